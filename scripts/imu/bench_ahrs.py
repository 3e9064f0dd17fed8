#!/usr/bin/env python3
"""Time Stance's OrientationFilter against x-io Fusion's AHRS C core on the same IMU samples.

Workload: 100 s of the fallback generator's squat trajectory at 1 kHz (gyroscope, accelerometer,
magnetometer with noise and bias; scripts/imu/imu_trajectories.py), as float32, run 10 times
through a fresh filter: 1 000 000 updates, 6-axis and 9-axis, fastest of 7 runs each.

  Stance  `stance-bench --only ahrs --ahrs-workload FILE --json` (release build)
  Fusion  its C sources from the imufusion source distribution, fetched now with
          `pip download --no-deps --no-binary imufusion imufusion` into a temporary directory
          (never into the repository), compiled with Benchmarks/ahrs/fusion_bench.c by
          `cc -O3 -march=native` (as in our field notes) and `cc -O3` (baseline); the README's
          recommended settings, with the units converted before timing (deg/s, g)

Prints ns per update and the ratio Fusion / Stance (above 1: Stance is faster). With --callgrind
also the instructions per update under valgrind (noise-free; 100 000 updates).

Usage (from the repository root):
    python3 scripts/imu/bench_ahrs.py --swift-bench PATH [--swift-bench-portable PATH] [--callgrind]
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import imu_trajectories  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
HARNESS = os.path.join(HERE, "..", "..", "Benchmarks", "ahrs", "fusion_bench.c")
RATE_HZ = 1000
UPDATES = 1_000_000
REPEATS = 7


def fetch_fusion(directory: str) -> str:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", "imufusion",
                    "imufusion", "-d", directory], check=True)
    archive = glob.glob(os.path.join(directory, "imufusion-*.tar.gz"))[0]
    with tarfile.open(archive) as tar:
        tar.extractall(directory, filter="data")
    return glob.glob(os.path.join(directory, "imufusion-*", "Fusion"))[0]


def compile_fusion(fusion: str, output: str, flags: list[str]) -> None:
    sources = sorted(glob.glob(os.path.join(fusion, "*.c")))
    subprocess.run(["cc", *flags, "-I", fusion, "-o", output, HARNESS, *sources, "-lm"], check=True)


def run_json(command: list[str]) -> dict:
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = [line for line in out.splitlines() if line.startswith("{")][-1]
    # stance-bench --only ahrs prints the parts it skipped as inf or nan, which JSON spells otherwise.
    return json.loads(re.sub(r"(?<=[:\s])(-?)inf\b", r"\1Infinity", re.sub(r"(?<=[:\s])nan\b", "NaN", line)))


def callgrind_per_update(command: list[str], function: str, updates: int) -> float:
    with tempfile.TemporaryDirectory() as directory:
        out = os.path.join(directory, "callgrind.out")
        # Not checked: under valgrind its allocator replaces stance-bench's counting malloc, so the
        # allocation-counter control fails and stance-bench exits 1 after its work.
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command], capture_output=True)
        text = subprocess.run(["callgrind_annotate", "--inclusive=yes", out], capture_output=True, text=True).stdout
    for line in text.splitlines():
        if re.search(function, line):
            return float(line.split()[0].replace(",", "")) / updates
    return float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--swift-bench", required=True, metavar="PATH", help="stance-bench, native release build")
    ap.add_argument("--swift-bench-portable", metavar="PATH", help="stance-bench, baseline release build")
    ap.add_argument("--callgrind", action="store_true", help="also count instructions under valgrind")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="stance-fusion-") as directory:
        workload = os.path.join(directory, "workload.f32")
        data = imu_trajectories.generate("squat", RATE_HZ, 100.0, seed=1)
        np.ascontiguousarray(data[:, 5:14], dtype="<f4").tofile(workload)
        fusion = fetch_fusion(directory)
        figures = {}
        for name, flags in (("native", ["-O3", "-march=native"]), ("baseline", ["-O3"])):
            binary = os.path.join(directory, f"fusion-{name}")
            compile_fusion(fusion, binary, flags)
            figures[f"fusion_{name}"] = run_json([binary, workload, str(RATE_HZ), str(UPDATES), str(REPEATS)])
        swift_args = ["--only", "ahrs", "--json", "--repeats", str(REPEATS), "--ahrs-workload", workload,
                      "--ahrs-rate-hz", str(RATE_HZ), "--ahrs-updates", str(UPDATES)]
        figures["stance_native"] = run_json([args.swift_bench, *swift_args])["ahrs"]
        if args.swift_bench_portable:
            figures["stance_baseline"] = run_json([args.swift_bench_portable, *swift_args])["ahrs"]
        if args.callgrind:
            small = ["--ahrs-updates", "100000", "--repeats", "1"]
            bench = args.swift_bench_portable or args.swift_bench
            figures["callgrind_instructions_per_update"] = {
                "stance": callgrind_per_update([bench, *swift_args, *small], r"runOrientationFilter", 2 * 100_000),
                "fusion": callgrind_per_update([os.path.join(directory, "fusion-baseline"), workload, str(RATE_HZ),
                                                "100000", "1"], r"[:\s]run[\s\[]", 2 * 100_000),
            }
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"AHRS: {UPDATES:,} updates at {RATE_HZ} Hz (squat, fallback generator), fastest of {REPEATS}")
    print(f"  {'build':<34s} {'6-axis ns':>10s} {'9-axis ns':>10s}")
    rows = [("Stance, native (-target-cpu native)", "stance_native"),
            ("Stance, baseline", "stance_baseline"),
            ("Fusion C, -O3 -march=native", "fusion_native"),
            ("Fusion C, -O3", "fusion_baseline")]
    for label, key in rows:
        if key in figures:
            f = figures[key]
            print(f"  {label:<34s} {f['ns_per_6_axis_update']:>10.2f} {f['ns_per_9_axis_update']:>10.2f}")
    for ours, theirs in (("stance_native", "fusion_native"), ("stance_baseline", "fusion_baseline")):
        if ours in figures:
            r6 = figures[theirs]["ns_per_6_axis_update"] / figures[ours]["ns_per_6_axis_update"]
            r9 = figures[theirs]["ns_per_9_axis_update"] / figures[ours]["ns_per_9_axis_update"]
            print(f"  Fusion / Stance ({ours.split('_')[1]}): {r6:.2f} (6-axis), {r9:.2f} (9-axis)"
                  "  — above 1: Stance is faster")
    if figures["stance_native"]["heap_allocations"] != 0:
        print(f"FAIL: the orientation filter made {figures['stance_native']['heap_allocations']} heap allocations")
        return 1
    print("  heap allocations in the orientation filter: 0")
    if "callgrind_instructions_per_update" in figures:
        c = figures["callgrind_instructions_per_update"]
        stance = "not counted (valgrind failed on the binary)" if c["stance"] != c["stance"] else f"{c['stance']:.1f}"
        print(f"  callgrind, instructions per update (6- and 9-axis mean, baseline builds): "
              f"Stance {stance}, Fusion {c['fusion']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
