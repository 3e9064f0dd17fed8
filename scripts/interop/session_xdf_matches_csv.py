#!/usr/bin/env python3
"""Record a real session through stanced and read its session.xdf with pyxdf.

Starts `stance simulate` (a dual plate on a pseudo-terminal, 100 Hz, a 58/42 squat set),
`stanced` on it with its socket and sessions in a temporary directory, records a session of
about 3 s with a mark, stops it, exports it (`stance export --format csv` and `c3d`) and checks
session.xdf with pyxdf against the exports:
- the file header's session metadata (subject, exercise, body mass, device, release);
- five streams: left plate, right plate (4 float32 channels, N, cell positions in desc), plate
  metrics (7 double64 channels per sample), markers (strings), metrics (the METRICS numbers,
  double64, at 50 Hz);
- every sample: as many as the CSV export has rows, each cell equal to the CSV's as float32,
  timestamps spaced 1/rate apart on the device's grid;
- the metrics stream: one row per 2 samples, its mean left share 58 % ± 1, every value equal to
  the metrics CSV export's, and `stance replay --check` finds the replay bit-identical;
- the markers: session start, the mark, session stop, in order;
- the catalogue's summary of it (`stance sessions list --json`) equals `stance analyze` of the CSV
  export;
- `stance export --format c3d` of it, read by ezc3d: the cells equal the XDF file's, and each
  platform's centre of pressure equals the one the recorded cells and plate geometry give,
  within 0.1 mm;
then records a second session and kills stanced (SIGKILL) in the middle of it: pyxdf must still
read that file, with each plate's last sample at most 1 s before the kill.

Usage: scripts/interop/session_xdf_matches_csv.py --bin DIR   (DIR holds stance and stanced)
Prints 'N passed, M failed' and exits 1 on any failure.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyxdf

from report import report, wait_for

RATE_HZ = 100.0


def record(bin_dir: Path, work: Path, kill=False):
    """Runs the simulator, the daemon and a session; returns the session's directory (and, with
    kill, the CLOCK_MONOTONIC second the daemon was killed with SIGKILL mid-session instead of
    stopping the session)."""
    stance, stanced = str(bin_dir / "stance"), str(bin_dir / "stanced")
    socket = work / "stance.sock"
    simulator = subprocess.Popen([stance, "simulate", "--scenario", "squat", "--reps", "10", "--rep-s", "3",
                                  "--left-share", "0.58", "--rate-hz", str(RATE_HZ), "--link-dir", str(work)],
                                 stdout=subprocess.DEVNULL)
    daemon = None
    try:
        wait_for(work / "dual-plate", "session interop")
        daemon = subprocess.Popen([stanced, "--device", str(work / "dual-plate"), "--socket", str(socket),
                                   "--sessions", str(work / "sessions"), "--log-level", "warning"])
        wait_for(socket, "session interop")
        environment = dict(os.environ, STANCE_SOCKET=str(socket))

        def client(*arguments):
            subprocess.run([stance, *arguments], check=True, stdout=subprocess.DEVNULL, env=environment)
        time.sleep(1)
        client("session", "start", "--subject", "interop-01", "--exercise", "squat", "--body-mass-kg", "75")
        time.sleep(1.5)
        client("mark", "halfway")
        time.sleep(1.5)
        if kill:
            killed_at = time.monotonic()
            daemon.kill()
            daemon.wait(10)
        else:
            client("session", "stop")
    finally:
        if daemon:
            daemon.terminate()
            daemon.wait(10)
        simulator.terminate()
        simulator.wait(10)
    sessions = sorted((work / "sessions").iterdir())
    if len(sessions) != 1:
        raise SystemExit(f"session interop: expected one session, found {sessions}")
    return (sessions[0], killed_at) if kill else sessions[0]


def check_killed(session: Path, killed_at: float):
    """Yields (label, problem or None) for a session whose daemon was killed mid-recording."""
    try:
        streams, _ = pyxdf.load_xdf(str(session / "session.xdf"), synchronize_clocks=True, dejitter_timestamps=False)
    except Exception as error:  # noqa: BLE001 - any failure to read is the finding
        yield "killed: pyxdf reads the file", f"{type(error).__name__}: {error}"
        return
    yield "killed: pyxdf reads the file", None
    by_name = {s["info"]["name"][0]: s for s in streams}
    for side in ("left", "right"):
        stamps = by_name.get(f"{side} plate", {}).get("time_stamps", [])
        if len(stamps) == 0:
            yield f"killed: {side} plate has samples", "none"
            continue
        lost = killed_at - float(stamps[-1])
        print(f"  ..    {side} plate: {len(stamps)} samples, the last {lost * 1000:.0f} ms before the kill")
        yield f"killed: {side} plate lost at most 1 s", None if lost <= 1.0 else f"{lost:.3f} s"


def check(session: Path):
    """Yields (label, problem or None)."""
    streams, header = pyxdf.load_xdf(str(session / "session.xdf"), synchronize_clocks=True, dejitter_timestamps=False)
    description = json.loads((session / "session.json").read_text())
    info = header["info"]
    meta = info["session"][0]
    yield "header: session id", None if meta["id"] == [description["id"]] else f"{meta['id']} vs {description['id']}"
    yield "header: subject, exercise, body mass", None if (meta["subject"], meta["exercise"], meta["body_mass_kg"]) == (
        ["interop-01"], ["squat"], ["75.0"]) else f"{meta}"
    device = info["devices"][0]["device"][0]
    yield "header: device profile and rate", None if device["profile"] == ["arduino-hx711-plate"] and float(
        device["rate_hz"][0]) == RATE_HZ else f"{device}"
    by_name = {s["info"]["name"][0]: s for s in streams}
    yield "five streams", None if sorted(by_name) == ["left plate", "markers", "metrics", "plate metrics", "right plate"] \
        else f"{sorted(by_name)}"
    with open(session / "session.csv") as file:
        rows = [row for row in csv.reader(file)][1:]
    cells = np.array([[float(value) for value in row[1:9]] for row in rows])
    for index, side in enumerate(["left", "right"]):
        stream = by_name.get(f"{side} plate")
        if stream is None:
            continue
        values = np.asarray(stream["time_series"])
        labels = [c["label"][0] for c in stream["info"]["desc"][0]["channels"][0]["channel"]]
        units = {c["unit"][0] for c in stream["info"]["desc"][0]["channels"][0]["channel"]}
        yield f"{side}: labels and units", None if labels == [f"{side}_{c}" for c in ("tl", "tr", "bl", "br")] and units == {"N"} \
            else f"{labels} {units}"
        yield f"{side}: float32 × 4 at {RATE_HZ:g} Hz", None if (stream["info"]["channel_format"][0], values.shape[1],
                                                                    float(stream["info"]["nominal_srate"][0])) == (
            "float32", 4, RATE_HZ) else f"{stream['info']['channel_format']} {values.shape}"
        yield f"{side}: {len(rows)} samples as in the CSV export", None if len(values) == len(rows) and len(rows) > 200 \
            else f"{len(values)} in the XDF, {len(rows)} in the CSV"
        if len(values) == len(rows):
            expected = cells[:, 4 * index:4 * index + 4].astype(np.float32)
            worst = float(np.max(np.abs(values - expected))) if len(rows) else 0
            yield f"{side}: values equal the CSV's as float32", None if worst == 0 else f"largest difference {worst} N"
        steps = np.diff(np.asarray(stream["time_stamps"]))
        yield f"{side}: timestamps 1/rate apart", None if len(steps) and np.allclose(steps, 1 / RATE_HZ, rtol=0, atol=1e-9) \
            else f"steps {steps.min() if len(steps) else None}…{steps.max() if len(steps) else None}"
    metrics = by_name.get("plate metrics")
    if metrics is not None:
        values = np.asarray(metrics["time_series"])
        yield "plate metrics: 7 channels, one row per sample", None if values.shape == (len(rows), 7) else f"{values.shape}"
    metrics = by_name.get("metrics")
    if metrics is not None:
        values = np.asarray(metrics["time_series"])
        labels = [c["label"][0] for c in metrics["info"]["desc"][0]["channels"][0]["channel"]]
        expected_rows = (len(rows) + 1) // 2
        yield f"metrics: {len(labels)} channels, {expected_rows} rows (50 Hz of {RATE_HZ:g} Hz)", \
            None if values.shape == (expected_rows, len(labels)) and len(labels) >= 40 else f"{values.shape}, {len(labels)} labels"
        shares = values[:, labels.index("left_share")]
        loaded = shares[np.isfinite(shares)]
        yield "metrics: mean left share 58 % ± 1", None if len(loaded) and abs(loaded.mean() - 58) < 1 else f"{loaded.mean()}"
        exported = np.genfromtxt(session / "session-metrics.csv", delimiter=",", skip_header=1)
        same = exported.shape == (len(values), len(labels) + 1) and np.array_equal(exported[:, 1:], values, equal_nan=True)
        yield "metrics: equal to the metrics CSV export", None if same else f"shapes {exported.shape} vs {values.shape}"
    markers = by_name.get("markers")
    if markers is not None:
        texts = [sample[0] for sample in markers["time_series"]]
        wanted = ["session.start", "mark: halfway", "session.stop"]
        found = [next((i for i, text in enumerate(texts) if text.startswith(name)), None) for name in wanted]
        ordered = None not in found and found == sorted(found)
        yield "markers: start, mark, stop in order", None if ordered else f"{texts}"


def export(bin_dir: Path, session: Path):
    """Yields (label, problem or None) for `stance export` of the session as CSV and C3D."""
    for form in ("csv", "c3d"):
        done = subprocess.run([str(bin_dir / "stance"), "export", str(session), "--format", form], capture_output=True, text=True)
        yield f"stance export --format {form}", None if done.returncode == 0 else done.stderr.strip()


def check_replay(bin_dir: Path, session: Path):
    """Yields (label, problem or None): `stance replay --check` finds the replay bit-identical."""
    done = subprocess.run([str(bin_dir / "stance"), "replay", str(session), "--check"], capture_output=True, text=True)
    yield "stance replay --check: bit-identical", None if done.returncode == 0 and "bit-identical" in done.stdout \
        else f"exit {done.returncode}: {done.stderr.strip()}"


def check_exports(bin_dir: Path, session: Path):
    """Yields (label, problem or None): the catalogue's summary equals `stance analyze` of the
    CSV export, and ezc3d reads the C3D export's cells exactly, with each platform's COP equal
    to the one computed from the recorded cells and plate geometry."""
    stance = str(bin_dir / "stance")

    # The catalogue's summary of the session (stance sessions list) is the analysis of its export.
    done = subprocess.run([stance, "sessions", "list", "--dir", str(session.parent), "--json"], capture_output=True, text=True)
    rows = json.loads(done.stdout) if done.returncode == 0 else []
    if len(rows) != 1:
        yield "stance sessions list: the session", f"exit {done.returncode}: {done.stderr.strip() or rows}"
    else:
        row, analysis = rows[0], json.loads(subprocess.run([stance, "analyze", "--json", str(session / "session.csv")],
                                                           capture_output=True, text=True, check=True).stdout)
        pairs = {"mean_left_n": analysis["left"]["mean_force_N"], "mean_right_n": analysis["right"]["mean_force_N"],
                 "force_asymmetry_pct": analysis["asymmetry"]["force"]["asymmetry_pct"],
                 "sway_path_mm": analysis["combined"]["sway"]["path_length_mm"],
                 "sway_ellipse_area_mm2": analysis["combined"]["sway"]["ellipse95_area_mm2"]}
        off = {key: (row.get(key), value) for key, value in pairs.items() if abs(row.get(key, float("nan")) - value) > 1e-9 * abs(value)}
        yield f"catalogue summary = stance analyze of the CSV export ({len(pairs)} figures)", None if not off else f"{off}"

    import ezc3d
    streams, _ = pyxdf.load_xdf(str(session / "session.xdf"), synchronize_clocks=False, dejitter_timestamps=False)
    by_name = {s["info"]["name"][0]: s for s in streams}
    c3d = ezc3d.c3d(str(session / "session.c3d"), extract_forceplat_data=True)
    analogs = c3d["data"]["analogs"][0]
    for index, side in enumerate(["left", "right"]):
        stream = by_name[f"{side} plate"]
        cells = np.asarray(stream["time_series"], dtype=np.float32)
        same = analogs.shape[1] == len(cells) and np.array_equal(analogs[4 * index:4 * index + 4].T.astype(np.float32), cells)
        yield f"c3d {side}: cells equal the XDF's ({len(cells)} samples)", None if same else f"shape {analogs.shape}"
        plate = stream["info"]["desc"][0]["plate"][0]
        xs = np.array([float(c["x_mm"][0]) for c in plate["cells"][0]["cell"]])
        ys = np.array([float(c["y_mm"][0]) for c in plate["cells"][0]["cell"]])
        centre = float(plate["centre_x_mm"][0])
        force = cells.astype(np.float64).sum(1)
        loaded = force >= 20
        expected = np.stack([(cells @ xs) / force + centre, (cells @ ys) / force], 1)[loaded]
        cop = c3d["data"]["platform"][index]["center_of_pressure"][:2].T[loaded]
        worst = float(np.max(np.abs(cop - expected))) if len(expected) else float("nan")
        yield f"c3d {side}: ezc3d COP = the cells' COP on {int(loaded.sum())} loaded samples (max {worst:.2g} mm)", \
            None if worst <= 0.1 else f"off by {worst} mm"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True, help="directory holding the stance and stanced binaries")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stance-session-interop-") as directory, \
            tempfile.TemporaryDirectory(prefix="stance-session-killed-") as killed_directory:
        session = record(Path(args.bin), Path(directory))
        killed_session, killed_at = record(Path(args.bin), Path(killed_directory), kill=True)
        print(f"interop: session.xdf of a live session read by pyxdf {pyxdf.__version__}")
        return report([*export(Path(args.bin), session), *check(session), *check_replay(Path(args.bin), session),
                       *check_exports(Path(args.bin), session), *check_killed(killed_session, killed_at)])


if __name__ == "__main__":
    sys.exit(main())
