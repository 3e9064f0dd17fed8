#!/usr/bin/env python3
"""Plates and IMUs through the real binaries: IMU_METRICS on the socket, IMU streams read by pyxdf.

Starts `stance simulate` twice (a dual plate on the stance line protocol, and the WitMotion IMUs,
of which stanced reads three: left shank, right shank, trunk; squats with the left shank's range of motion 80 % of the
right's, 100 Hz), `stanced` reading all four with a 100 Hz WitMotion profile, watches the
`metrics` stream while recording a session of about 6 s, and checks:
- IMU_METRICS arrive beside METRICS, with both shanks and the trunk; the shanks' ROM asymmetry is
  20 % ± 2 with the right dominant once the 6 s window holds whole repetitions;
- pyxdf reads session.xdf: the plate streams and one stream per IMU (float32, ax ay az in m/s^2 and
  gx gy gz in rad/s first, their units in the desc, the device's role), each with about as many
  samples as its rate times the plates' span, on the plates' clock; and its recorded metrics
  (`ROLE metrics`, 50 Hz), the shanks' last window keeping the set ROM ratio 0.8 ± 0.02.

Usage: scripts/interop/imu_session.py --bin DIR   (DIR holds stance and stanced)
Prints 'N passed, M failed' and exits 1 on any failure.
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyxdf

from report import report, wait_for

RATE_HZ = 100.0
PROFILE = """[profile]
name = "witmotion-100hz"
summary = "WitMotion IMU set to 100 Hz"
[match]
subsystem = "tty"
[device]
protocol = "witmotion"
baud = 115200
rate_hz = 100
role = "imu-trunk"
"""
ROLES = ["imu-left-shank", "imu-right-shank", "imu-trunk"]


def record(bin_dir: Path, work: Path):
    """Runs the simulators, the daemon, a watcher and a session; returns (IMU_METRICS and METRICS
    objects seen, the session's directory)."""
    stance, stanced = str(bin_dir / "stance"), str(bin_dir / "stanced")
    (work / "profiles").mkdir()
    (work / "profiles" / "witmotion-100hz.toml").write_text(PROFILE)
    (work / "stanced.toml").write_text(f'profiles_dir = "{work / "profiles"}"\n')
    trial = ["--scenario", "squat", "--reps", "10", "--rep-s", "3", "--left-rom-ratio", "0.8", "--left-share", "0.58",
             "--rate-hz", str(RATE_HZ), "--link-dir", str(work)]
    simulators = [subprocess.Popen([stance, "simulate", *trial], stdout=subprocess.DEVNULL),
                  subprocess.Popen([stance, "simulate", "--protocol", "witmotion", *trial], stdout=subprocess.DEVNULL)]
    daemon = None
    socket = work / "stance.sock"
    try:
        for link in ["dual-plate", *ROLES]:
            wait_for(work / link, "imu interop")
        devices = ["--device", str(work / "dual-plate")]
        for role in ROLES:
            devices += ["--device", f"{work / role},profile=witmotion-100hz,role={role}"]
        daemon = subprocess.Popen([stanced, "--config", str(work / "stanced.toml"), *devices, "--socket", str(socket),
                                   "--sessions", str(work / "sessions"), "--window-s", "6", "--log-level", "warning"])
        wait_for(socket, "imu interop")
        watcher = subprocess.Popen([stance, "watch", "--json", "--rate-hz", "5", "--seconds", "10", "--socket", str(socket)],
                                   stdout=subprocess.PIPE, text=True)
        time.sleep(1)
        subprocess.run([stance, "session", "start", "--subject", "imu-interop", "--socket", str(socket)], check=True,
                       stdout=subprocess.DEVNULL)
        time.sleep(6)
        subprocess.run([stance, "session", "stop", "--socket", str(socket)], check=True, stdout=subprocess.DEVNULL)
        output, _ = watcher.communicate(timeout=30)
    finally:
        if daemon:
            daemon.terminate()
            daemon.wait(10)
        for simulator in simulators:
            simulator.terminate()
            simulator.wait(10)
    objects = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    sessions = sorted(p for p in (work / "sessions").iterdir() if p.is_dir())
    if len(sessions) != 1:
        raise SystemExit(f"imu interop: expected one session, found {sessions}")
    return objects, sessions[0]


def check_socket(objects):
    """Yields (label, problem or None) for what the watcher saw."""
    imu = [o for o in objects if o.get("class") == "IMU_METRICS"]
    plates = [o for o in objects if o.get("class") == "METRICS"]
    yield f"IMU_METRICS and METRICS both on the metrics stream ({len(imu)} and {len(plates)})", \
        None if len(imu) >= 30 and len(plates) >= 30 else "too few"
    if not imu:
        return
    last = imu[-1]
    segments = sorted(last.get("segments", {}))
    yield "IMU_METRICS: both shanks and the trunk", \
        None if segments == ["left_shank", "right_shank"] and last.get("trunk") else f"{segments}, trunk {bool(last.get('trunk'))}"
    rom = last.get("asymmetry", {}).get("shank", {}).get("rom", {})
    value = rom.get("asymmetry_pct", float("nan"))
    yield f"shank ROM asymmetry {value:.2f} % (20 % set), right dominant", \
        None if abs(value - 20) <= 2 and rom.get("dominant") == "right" else f"{rom}"


def check_file(session: Path):
    """Yields (label, problem or None) for session.xdf as pyxdf reads it."""
    streams, _ = pyxdf.load_xdf(str(session / "session.xdf"), synchronize_clocks=True, dejitter_timestamps=False)
    by_name = {s["info"]["name"][0]: s for s in streams}
    plates = by_name.get("left plate")
    yield "plate streams present", None if plates is not None and "right plate" in by_name else f"{sorted(by_name)}"
    if plates is None:
        return
    plate_times = np.asarray(plates["time_stamps"])
    span = float(plate_times[-1] - plate_times[0])
    for role in ROLES:
        stream = by_name.get(role)
        if stream is None:
            yield f"{role}: a stream", f"streams: {sorted(by_name)}"
            continue
        info = stream["info"]
        channels = info["desc"][0]["channels"][0]["channel"]
        labels = [c["label"][0] for c in channels]
        units = [c["unit"][0] for c in channels]
        first_six = list(zip(labels[:6], units[:6]))
        wanted = [(axis, "m/s^2") for axis in ("ax", "ay", "az")] + [(axis, "rad/s") for axis in ("gx", "gy", "gz")]
        yield f"{role}: float32, {len(labels)} channels, ax…gz with units", \
            None if info["channel_format"][0] == "float32" and first_six == wanted else f"{info['channel_format']} {first_six}"
        acquisition = info["desc"][0].get("acquisition", [{}])[0]
        yield f"{role}: role in the desc", None if acquisition.get("role") == [role] else f"{acquisition}"
        times = np.asarray(stream["time_stamps"])
        expected = RATE_HZ * span
        yield f"{role}: {len(times)} samples for {span:.2f} s at {RATE_HZ:g} Hz", \
            None if abs(len(times) - expected) <= 15 else f"expected about {expected:.0f}"
        if len(times):
            offset = max(abs(times[0] - plate_times[0]), abs(times[-1] - plate_times[-1]))
            yield f"{role}: on the plates' clock (ends within {offset * 1000:.0f} ms)", None if offset <= 0.15 else f"{offset:.3f} s"
        metrics = by_name.get(f"{role} metrics")
        labels_m = [c["label"][0] for c in metrics["info"]["desc"][0]["channels"][0]["channel"]] if metrics else []
        yield f"{role} metrics: a double64 stream at 50 Hz", \
            None if metrics is not None and metrics["info"]["channel_format"][0] == "double64" and \
            abs(len(metrics["time_stamps"]) - 50 * span) <= 10 else f"{metrics['info'] if metrics else 'absent'}"
        gravity = np.linalg.norm(np.asarray(stream["time_series"])[:, :3], axis=1).mean() if len(times) else 0
        yield f"{role}: mean |a| {gravity:.2f} m/s^2 (gravity and the squat's accelerations)", \
            None if 8.5 <= gravity <= 11.5 else "not about 9.8"


def check_recorded_rom(session: Path):
    """Yields (label, problem or None): the recorded shank metrics keep the set ROM ratio."""
    streams, _ = pyxdf.load_xdf(str(session / "session.xdf"), synchronize_clocks=True, dejitter_timestamps=False)
    by_name = {s["info"]["name"][0]: s for s in streams}
    roms = []
    for side in ("left", "right"):
        stream = by_name.get(f"imu-{side}-shank metrics")
        if stream is None:
            yield f"imu-{side}-shank metrics present", "absent"
            return
        labels = [c["label"][0] for c in stream["info"]["desc"][0]["channels"][0]["channel"]]
        roms.append(float(np.asarray(stream["time_series"])[-1, labels.index("rom")]))
    ratio = roms[0] / roms[1] if roms[1] else float("nan")
    yield f"recorded shank ROM: left {roms[0]:.1f}°, right {roms[1]:.1f}°, ratio {ratio:.3f} (0.8 set) ± 0.02", \
        None if abs(ratio - 0.8) <= 0.02 else "off"


def check_export(bin_dir: Path, session: Path):
    """Yields (label, problem or None): `stance export --format csv` writes each IMU stream as CSV
    whose values equal pyxdf's reading of session.xdf, on the plates' time axis."""
    exported = subprocess.run([str(bin_dir / "stance"), "export", str(session), "--format", "csv"], capture_output=True, text=True)
    yield "stance export --format csv", None if exported.returncode == 0 else exported.stderr.strip()
    if exported.returncode != 0:
        return
    streams, _ = pyxdf.load_xdf(str(session / "session.xdf"), synchronize_clocks=True, dejitter_timestamps=False)
    by_name = {s["info"]["name"][0]: s for s in streams}
    origin = float(by_name["left plate"]["time_stamps"][0])
    for role in ROLES:
        path = session / f"session-{role}.csv"
        if not path.exists():
            yield f"{path.name} written", "absent"
            continue
        table = np.genfromtxt(path, delimiter=",", names=True)
        values = np.column_stack([table[name] for name in table.dtype.names[1:]])
        xdf = np.asarray(by_name[role]["time_series"], dtype=np.float64)
        same_values = values.shape == xdf.shape and np.array_equal(values.astype(np.float32), xdf.astype(np.float32), equal_nan=True)
        times = np.asarray(by_name[role]["time_stamps"]) - origin
        same_times = len(times) == len(table) and np.allclose(table["time_s"], times, atol=1e-9)
        yield f"{path.name}: {len(table)} rows × {values.shape[1]} channels equal pyxdf's, times from the plates' first sample", \
            None if same_values and same_times else f"shape {values.shape} vs {xdf.shape}, times equal: {same_times}"


def check_catalogue(bin_dir: Path, session: Path):
    """Yields (label, problem or None): the catalogue's IMU summary of the file (ImuSessionSummary)
    finds the set ROM asymmetry over the whole session."""
    listed = subprocess.run([str(bin_dir / "stance"), "sessions", "list", "--json", "--dir", str(session.parent)],
                            capture_output=True, text=True)
    rows = json.loads(listed.stdout) if listed.returncode == 0 else []
    if len(rows) != 1:
        yield "catalogue lists the session", f"exit {listed.returncode}: {listed.stderr.strip()} {rows}"
        return
    row = rows[0]
    asymmetry = row.get("shank_rom_asymmetry_pct")
    yield (f"catalogue: shank ROM over the session left {row.get('shank_rom_left_deg') or float('nan'):.1f}°, "
           f"right {row.get('shank_rom_right_deg') or float('nan'):.1f}°, asymmetry {asymmetry or float('nan'):.2f} % "
           f"{row.get('shank_rom_dominant')} (20 % right set) ± 2"), \
        None if asymmetry is not None and abs(asymmetry - 20) <= 2 and row.get("shank_rom_dominant") == "right" else "off"
    yield f"catalogue: single-leg stance from the {row.get('single_leg_segment')}, none in squats " \
          f"({row.get('single_leg_left_s')} s / {row.get('single_leg_right_s')} s)", \
        None if row.get("single_leg_segment") == "trunk" and row.get("single_leg_left_s") == 0 \
        and row.get("single_leg_right_s") == 0 else "off"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True, help="directory holding the stance and stanced binaries")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stance-imu-interop-") as directory:
        objects, session = record(Path(args.bin), Path(directory))
        print(f"interop: plates and IMUs through stanced; session.xdf read by pyxdf {pyxdf.__version__}")
        return report([*check_socket(objects), *check_file(session), *check_recorded_rom(session),
                       *check_catalogue(Path(args.bin), session), *check_export(Path(args.bin), session)])


if __name__ == "__main__":
    sys.exit(main())
