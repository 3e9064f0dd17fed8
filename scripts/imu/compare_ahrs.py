#!/usr/bin/env python3
"""Orientation accuracy of Stance's AHRS (`stance ahrs`) against imufusion (x-io Fusion) and the
`ahrs` package (Madgwick, Mahony) on the same IMU data with known ground truth.

Data: `stance simulate --scenario S --imu-csv PATH --segment SEG --rate-hz R --duration-s D
--seed N` (StanceSimulation). When that command is not available, the fallback generator
scripts/imu/imu_trajectories.py writes CSV files with the same header, and the output says so.

Filters, each run on every file, 6-axis (no magnetometer) and 9-axis:
  stance          OrientationFilter with its default settings (`stance ahrs --csv IN --output OUT`)
  fusion          imufusion.Ahrs with the settings its README calls appropriate for most
                  applications: gain 0.5, gyroscope range 2000 deg/s, acceleration and magnetic
                  rejection 10 deg, rejection timeout 5 s; NWU; the sample rate of the file
  fusion+bias     the same, its gyroscope first through imufusion.Bias (stationary threshold
                  3 deg/s, period 3 s: Fusion's defaults), as in Fusion's advanced example
  madgwick        ahrs.filters.Madgwick, default gains (0.033 6-axis, 0.041 9-axis)
  mahony          ahrs.filters.Mahony, default gains (k_P 1, k_I 0.3); its 9-axis earth frame is
                  ENU (field reference (0, |h_xy|, h_z)), turned to NWU before comparing

Errors, degrees, after the first --settle-s seconds (default 2 s, while every filter converges
from its first sample):
  6-axis: tilt error, the angle between the true and the estimated direction of earth z in the
          sensor frame (heading is unobservable without a magnetometer);
  9-axis: the full rotation angle between true and estimated orientation. The filters' earth x
          is magnetic north; the truth's is the simulator's, so the truth is first turned about
          vertical by the field's declination in it (the mean of R_true m over the file).
RMS and max per file; the last column says whether Stance's RMS is the lowest (or within 2 %).

Usage (from the repository root):
    python3 scripts/imu/compare_ahrs.py [--stance PATH] [--rates 100,1000] [--duration-s 60]
        [--seed 1] [--markdown] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import imu_trajectories  # noqa: E402

# Scenario and the segment whose IMU we evaluate (what the simulator calls them).
CASES = (("quiet-stance", "trunk"), ("squat", "left-thigh"), ("step-up", "left-shank"),
         ("single-leg-stance", "left-shank"))
# Extra `stance ahrs` options (tuning experiments: --stance-options "--integral-gain 0.1").
STANCE_OPTIONS: list[str] = []
FILTERS = ("stance", "fusion", "fusion+bias", "madgwick", "mahony")


def stance_binary(path: str | None) -> str:
    if path:
        return path
    bin_path = subprocess.run(["swift", "build", "--show-bin-path"], capture_output=True, text=True,
                              check=True).stdout.strip()
    return os.path.join(bin_path, "stance")


def simulator_available(stance: str) -> bool:
    try:
        help_text = subprocess.run([stance, "simulate", "--help"], capture_output=True, text=True).stdout
    except OSError:
        return False
    return "--imu-csv" in help_text


def make_csv(stance: str, use_simulator: bool, scenario: str, segment: str, rate: float,
             duration: float, seed: int, directory: str) -> str:
    path = os.path.join(directory, f"{scenario}-{segment}-{rate:g}hz.csv")
    if use_simulator:
        subprocess.run([stance, "simulate", "--scenario", scenario, "--imu-csv", path, "--segment", segment,
                        "--rate-hz", f"{rate:g}", "--duration-s", f"{duration:g}", "--seed", str(seed)],
                       check=True, stdout=subprocess.DEVNULL)
    else:
        imu_trajectories.write_csv(path, imu_trajectories.generate(scenario, rate, duration, seed))
    return path


def load(path: str) -> dict[str, np.ndarray]:
    with open(path) as f:
        names = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    columns = {name: data[:, i] for i, name in enumerate(names)}
    get = lambda *keys: np.column_stack([columns[k] for k in keys])  # noqa: E731
    return {"t": columns["time_s"], "q": get("true_qw", "true_qx", "true_qy", "true_qz"),
            "gyr": get("gx_rad_s", "gy_rad_s", "gz_rad_s"), "acc": get("ax_m_s2", "ay_m_s2", "az_m_s2"),
            "mag": get("mx_uT", "my_uT", "mz_uT")}


# Filters ----------------------------------------------------------------------------------------

def run_stance(stance: str, path: str, nine_axis: bool, directory: str) -> np.ndarray:
    out = os.path.join(directory, "stance-out.csv")
    command = [stance, "ahrs", "--csv", path, "--output", out] + ([] if nine_axis else ["--no-mag"]) + STANCE_OPTIONS
    subprocess.run(command, check=True)
    return np.loadtxt(out, delimiter=",", skiprows=1, ndmin=2)[:, 1:5]


def run_fusion(data: dict, rate: float, nine_axis: bool, with_bias: bool) -> np.ndarray:
    import imufusion
    ahrs = imufusion.Ahrs()
    ahrs.set_settings(imufusion.AhrsSettings(
        sample_rate=rate, convention=imufusion.CONVENTION_NWU, gain=0.5, gyroscope_range=2000.0,
        acceleration_rejection=10.0, magnetic_rejection=10.0, rejection_timeout=5.0))
    bias = imufusion.Bias()
    bias.set_settings(imufusion.BiasSettings(sample_rate=rate, stationary_threshold=3.0, stationary_period=3.0))
    gyr = np.degrees(data["gyr"])
    acc = data["acc"] / imu_trajectories.G
    mag = data["mag"]
    out = np.empty((len(gyr), 4))
    for i in range(len(gyr)):
        g = bias.update(gyr[i]) if with_bias else gyr[i]
        if nine_axis:
            ahrs.update(g, acc[i], mag[i])
        else:
            ahrs.update_no_magnetometer(g, acc[i])
        out[i] = ahrs.get_quaternion()
    return out


def run_ahrs_package(name: str, data: dict, rate: float, nine_axis: bool) -> np.ndarray:
    from ahrs.filters import Madgwick, Mahony
    kind = Madgwick if name == "madgwick" else Mahony
    mag = data["mag"] if nine_axis else None
    q = kind(gyr=data["gyr"], acc=data["acc"], mag=mag, frequency=rate).Q
    if name == "mahony" and nine_axis:
        # ahrs' Mahony references the field to (0, |h_xy|, h_z): its earth frame is ENU. Turn it
        # to NWU: q_NWU = Rz(-90 deg) ⊗ q_ENU.
        c = s = np.sqrt(0.5)
        w, x, y, z = q.T
        q = np.stack([c * w + s * z, c * x + s * y, c * y - s * x, c * z - s * w], axis=1)
    return q


# Errors -----------------------------------------------------------------------------------------

def earth_z_in_sensor(q: np.ndarray) -> np.ndarray:
    """Third row of R(q): earth z in sensor axes."""
    w, x, y, z = q.T
    return np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], axis=1)


def tilt_error_deg(truth: np.ndarray, estimate: np.ndarray) -> np.ndarray:
    a = earth_z_in_sensor(truth / np.linalg.norm(truth, axis=1, keepdims=True))
    b = earth_z_in_sensor(estimate / np.linalg.norm(estimate, axis=1, keepdims=True))
    cosine = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return np.degrees(np.arccos(np.clip(cosine, -1, 1)))


def rotation_error_deg(truth: np.ndarray, estimate: np.ndarray) -> np.ndarray:
    dot = np.abs(np.sum(truth * estimate, axis=1)) / (np.linalg.norm(truth, axis=1) * np.linalg.norm(estimate, axis=1))
    return np.degrees(2 * np.arccos(np.clip(dot, 0, 1)))


def in_magnetic_frame(data: dict) -> np.ndarray:
    """The truth turned about earth z so that x is magnetic north (the filters' frame)."""
    q = data["q"]
    w, x, y, z = q.T
    m = data["mag"]
    # R m for each row, averaged: the field in the truth's earth frame.
    rx = (1 - 2 * (y * y + z * z)) * m[:, 0] + 2 * (x * y - w * z) * m[:, 1] + 2 * (x * z + w * y) * m[:, 2]
    ry = 2 * (x * y + w * z) * m[:, 0] + (1 - 2 * (x * x + z * z)) * m[:, 1] + 2 * (y * z - w * x) * m[:, 2]
    declination = np.arctan2(np.mean(ry), np.mean(rx))
    c, s = np.cos(-declination / 2), np.sin(-declination / 2)  # Rz(-declination) ⊗ q
    return np.stack([c * w - s * z, c * x - s * y, c * y + s * x, c * z + s * w], axis=1)


def summary(errors: np.ndarray) -> dict:
    return {"rms_deg": float(np.sqrt(np.mean(errors ** 2))), "max_deg": float(np.max(errors))}


# Main -------------------------------------------------------------------------------------------

def evaluate(stance: str, path: str, rate: float, settle_s: float, directory: str,
             filters: tuple = FILTERS) -> dict:
    data = load(path)
    keep = data["t"] - data["t"][0] >= settle_s
    truth_magnetic = in_magnetic_frame(data)
    result = {}
    for nine_axis in (False, True):
        axes = "9-axis" if nine_axis else "6-axis"
        for name in filters:
            if name == "stance":
                q = run_stance(stance, path, nine_axis, directory)
            elif name.startswith("fusion"):
                q = run_fusion(data, rate, nine_axis, with_bias=name == "fusion+bias")
            else:
                q = run_ahrs_package(name, data, rate, nine_axis)
            if not np.all(np.isfinite(q)):
                result[(axes, name)] = {"rms_deg": float("nan"), "max_deg": float("nan")}
                continue
            if nine_axis:
                errors = rotation_error_deg(truth_magnetic[keep], q[keep])
            else:
                errors = tilt_error_deg(data["q"][keep], q[keep])
            result[(axes, name)] = summary(errors)
    return result


def verdict(row: dict, axes: str) -> str:
    ours = row[(axes, "stance")]["rms_deg"]
    others = [row[(axes, name)]["rms_deg"] for name in FILTERS if name != "stance"]
    best = min(v for v in others if np.isfinite(v))
    if ours <= best:
        return "best"
    return "within 2 %" if ours <= 1.02 * best else f"WORSE ({ours / best:.2f}x best)"


def print_tables(results: list, markdown: bool) -> None:
    for axes, what in (("6-axis", "tilt error"), ("9-axis", "full orientation error")):
        print()
        print(f"{axes}, {what}, degrees: RMS / max")
        header = ["scenario (segment)", "rate Hz"] + list(FILTERS) + ["Stance"]
        rows = []
        for case in results:
            cells = [f"{case['scenario']} ({case['segment']})", f"{case['rate_hz']:g}"]
            for name in FILTERS:
                e = case["errors"][(axes, name)]
                cells.append(f"{e['rms_deg']:.2f} / {e['max_deg']:.2f}")
            cells.append(verdict(case["errors"], axes))
            rows.append(cells)
        if markdown:
            print("| " + " | ".join(header) + " |")
            print("|" + "---|" * len(header))
            for cells in rows:
                print("| " + " | ".join(cells) + " |")
        else:
            widths = [max(len(c[i]) for c in rows + [header]) for i in range(len(header))]
            for cells in [header] + rows:
                print("  ".join(c.ljust(w) for c, w in zip(cells, widths)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stance", metavar="PATH", help="the stance binary (default: the debug build's)")
    ap.add_argument("--rates", default="100,1000", help="sample rates in Hz, comma-separated")
    ap.add_argument("--duration-s", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--settle-s", type=float, default=2.0, help="seconds left out at the start of each file")
    ap.add_argument("--fallback", action="store_true",
                    help="use the fallback generator even if `stance simulate --imu-csv` exists")
    ap.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    ap.add_argument("--stance-options", default="", help="extra options for `stance ahrs` (experiments)")
    args = ap.parse_args()
    STANCE_OPTIONS.extend(args.stance_options.split())
    stance = stance_binary(args.stance)
    use_simulator = not args.fallback and simulator_available(stance)
    if use_simulator:
        print("data: stance simulate --imu-csv (StanceSimulation)")
    else:
        print("data: FALLBACK generator scripts/imu/imu_trajectories.py, not StanceSimulation "
              "(`stance simulate --imu-csv` is not available in this build" + (", or --fallback)" if args.fallback else ")"))
    print(f"{args.duration_s:g} s per file, seed {args.seed}, errors after the first {args.settle_s:g} s")
    rates = [float(r) for r in args.rates.split(",")]
    results = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="stance-ahrs-") as directory:
        for scenario, segment in CASES:
            for rate in rates:
                path = make_csv(stance, use_simulator, scenario, segment, rate, args.duration_s, args.seed, directory)
                errors = evaluate(stance, path, rate, args.settle_s, directory)
                results.append({"scenario": scenario, "segment": segment, "rate_hz": rate, "errors": errors})
                print(f"  {scenario} ({segment}) {rate:g} Hz done, {time.monotonic() - started:.0f} s", file=sys.stderr)
    print_tables(results, args.markdown)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"data": "stance simulate" if use_simulator else "fallback generator",
                       "duration_s": args.duration_s, "seed": args.seed, "settle_s": args.settle_s,
                       "results": [{**r, "errors": {f"{a} {n}": e for (a, n), e in r["errors"].items()}}
                                   for r in results]}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
