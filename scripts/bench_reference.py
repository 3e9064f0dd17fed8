#!/usr/bin/env python3
"""Time the SciPy reference workload and compare it with Stance's Swift benchmark.

Workload: a 4th-order 10 Hz Butterworth low-pass (second-order sections,
fs = 1000 Hz) applied to 8 channels of n float64 samples (default 200 000).

Figures reported (best of 7 timed runs after one warm-up, perf_counter_ns):
  scipy_sosfilt_ns_per_channel_sample      scipy.signal.sosfilt(sos, x, axis=-1)
  scipy_sosfiltfilt_ns_per_channel_sample  scipy.signal.sosfiltfilt(sos, x, axis=-1)
  python_live_us_per_sample                a plain-Python per-sample loop (DF2T
                                           cascade on 8 cells + the two plates'
                                           sums and COPs), for context only

With --swift-bench PATH the script runs `PATH --json`, which must print one JSON
object containing at least "sos_cascade_ns_per_channel_sample",
"full_chain_ns_per_sample" and "heap_allocations_per_sample".  The SciPy
timing is then repeated (the better of the two runs is used, to bracket noise)
and a comparison table is printed.  The exit status is 1 if the Swift run
allocates on the heap per sample, is less than 5x faster than
scipy.signal.sosfilt, or takes more than 50 ns per sample for the full chain,
unless --no-check is given.

Usage (from the repository root):

    python3 scripts/bench_reference.py [--samples N] [--json]
    python3 scripts/bench_reference.py --swift-bench .build/release/<bench> [--no-check]

This script does not generate fixtures; those come from
`python3 scripts/make_fixtures.py`.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time

import numpy as np
import scipy
import scipy.signal

CHANNELS = 8
RATE_HZ = 1000.0
CUTOFF_HZ = 10.0
ORDER = 4
TIMED_RUNS = 7
LIVE_SAMPLES = 20_000

MIN_CASCADE_SPEEDUP = 5.0
MAX_FULL_CHAIN_NS = 50.0
MIN_DECODER_MB_S = 20.0  # each decoder, bytes per second of realistic input

# Load-cell positions (m) in a plate frame, order TL, TR, BL, BR.
CELL_X = (-0.2165, 0.2165, -0.2165, 0.2165)
CELL_Y = (0.119, 0.119, -0.119, -0.119)


def make_workload(samples: int):
    sos = scipy.signal.butter(ORDER, CUTOFF_HZ, "lowpass", fs=RATE_HZ, output="sos")
    rng = np.random.default_rng(1234)
    x = 100.0 + rng.normal(0.0, 5.0, size=(CHANNELS, samples))
    return sos, np.ascontiguousarray(x, dtype=np.float64)


def best_ns(fn, runs: int = TIMED_RUNS) -> int:
    """Best wall time of `runs` calls to fn, after one untimed warm-up call."""
    fn()
    best = None
    for _ in range(runs):
        start = time.perf_counter_ns()
        fn()
        elapsed = time.perf_counter_ns() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def time_scipy(sos, x) -> dict:
    per = CHANNELS * x.shape[1]
    sosfilt_ns = best_ns(lambda: scipy.signal.sosfilt(sos, x, axis=-1))
    sosfiltfilt_ns = best_ns(lambda: scipy.signal.sosfiltfilt(sos, x, axis=-1))
    return {
        "scipy_sosfilt_ns_per_channel_sample": sosfilt_ns / per,
        "scipy_sosfiltfilt_ns_per_channel_sample": sosfiltfilt_ns / per,
    }


def python_live_loop(sos, x) -> float:
    """Plain-Python per-sample processing; returns microseconds per dual-plate sample.

    For each sample: run each of the 8 cell values through its own
    transposed-direct-form-II cascade, then sum each plate's 4 cells and
    compute its COP.  Context only: this is what a naive live loop costs.
    """
    sections = [tuple(float(c) for c in row) for row in sos]
    # One (z1, z2) pair per section per channel.
    state = [[[0.0, 0.0] for _ in sections] for _ in range(CHANNELS)]
    data = x[:, :LIVE_SAMPLES].T.tolist()  # sample-major rows of 8 floats
    filtered = [0.0] * CHANNELS
    sink = 0.0

    start = time.perf_counter_ns()
    for row in data:
        for ch in range(CHANNELS):
            v = row[ch]
            st = state[ch]
            for (b0, b1, b2, _a0, a1, a2), z in zip(sections, st):
                y = b0 * v + z[0]
                z[0] = b1 * v - a1 * y + z[1]
                z[1] = b2 * v - a2 * y
                v = y
            filtered[ch] = v
        for base in (0, 4):
            f = filtered[base] + filtered[base + 1] + filtered[base + 2] + filtered[base + 3]
            if f > 0.0:
                cx = (filtered[base] * CELL_X[0] + filtered[base + 1] * CELL_X[1]
                      + filtered[base + 2] * CELL_X[2] + filtered[base + 3] * CELL_X[3]) / f
                cy = (filtered[base] * CELL_Y[0] + filtered[base + 1] * CELL_Y[1]
                      + filtered[base + 2] * CELL_Y[2] + filtered[base + 3] * CELL_Y[3]) / f
                sink += cx + cy
    elapsed = time.perf_counter_ns() - start
    assert sink == sink  # keep the result alive
    return elapsed / 1000.0 / len(data)


def run_swift(path: str) -> dict:
    try:
        proc = subprocess.run([path, "--json"], capture_output=True, text=True)
    except OSError as err:
        raise SystemExit(f"error: cannot run {path}: {err}")
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"error: {path} --json exited with status {proc.returncode}")
    out = proc.stdout.strip()
    try:
        result = json.loads(out)
    except json.JSONDecodeError:
        # Tolerate log lines before the JSON object: use the last line that parses.
        result = None
        for line in reversed(out.splitlines()):
            line = line.strip()
            if line.startswith("{"):
                try:
                    result = json.loads(line)
                    break
                except json.JSONDecodeError:
                    continue
        if result is None:
            raise SystemExit(f"error: no JSON object in the output of {path} --json")
    if not isinstance(result, dict):
        raise SystemExit(f"error: {path} --json did not print a JSON object")
    missing = [k for k in ("sos_cascade_ns_per_channel_sample",
                           "full_chain_ns_per_sample",
                           "heap_allocations_per_sample") if k not in result]
    if missing:
        raise SystemExit(f"error: swift benchmark JSON lacks {', '.join(missing)}")
    return result


def print_python_table(fig: dict) -> None:
    print(f"workload: butter({ORDER}, {CUTOFF_HZ:g} Hz, fs={RATE_HZ:g} Hz) as "
          f"{fig['sections']} SOS, {CHANNELS} ch x {fig['samples']:,} samples; "
          f"numpy {np.__version__}, scipy {scipy.__version__}, "
          f"python {platform.python_version()}")
    rows = [
        ("scipy.signal.sosfilt", fig["scipy_sosfilt_ns_per_channel_sample"],
         "ns / channel-sample"),
        ("scipy.signal.sosfiltfilt", fig["scipy_sosfiltfilt_ns_per_channel_sample"],
         "ns / channel-sample"),
        ("plain-Python live loop", fig["python_live_us_per_sample"],
         "us / dual-plate sample"),
    ]
    for name, value, unit in rows:
        print(f"  {name:<34s} {value:>12.3f}  {unit}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=int, default=200_000,
                    help="samples per channel for the SciPy timing (default 200000)")
    ap.add_argument("--swift-bench", metavar="PATH",
                    help="Swift benchmark binary to run as `PATH --json`")
    ap.add_argument("--swift-bench-portable", metavar="PATH",
                    help="a second Swift benchmark binary built for the baseline CPU; "
                         "reported for comparison, not checked against the targets")
    ap.add_argument("--json", action="store_true",
                    help="print the figures as one JSON object instead of a table")
    ap.add_argument("--no-check", action="store_true",
                    help="always exit 0, even if the Swift figures miss the targets")
    args = ap.parse_args()
    if args.samples < LIVE_SAMPLES:
        ap.error(f"--samples must be at least {LIVE_SAMPLES}")

    sos, x = make_workload(args.samples)
    fig = {"samples": args.samples, "channels": CHANNELS, "sections": int(sos.shape[0])}
    fig.update(time_scipy(sos, x))
    fig["python_live_us_per_sample"] = python_live_loop(sos, x)

    if not args.swift_bench:
        if args.json:
            print(json.dumps(fig))
        else:
            print_python_table(fig)
        return 0

    swift = run_swift(args.swift_bench)
    portable = run_swift(args.swift_bench_portable) if args.swift_bench_portable else None
    # Time SciPy again after the Swift run and keep the better figures.
    again = time_scipy(sos, x)
    for key, value in again.items():
        fig[key] = min(fig[key], value)

    cascade = float(swift["sos_cascade_ns_per_channel_sample"])
    full_chain = float(swift["full_chain_ns_per_sample"])
    allocs = swift["heap_allocations_per_sample"]
    speedup = fig["scipy_sosfilt_ns_per_channel_sample"] / cascade if cascade > 0 else float("inf")

    failures = []
    if allocs != 0:
        failures.append(f"heap_allocations_per_sample is {allocs}, expected 0")
    if speedup < MIN_CASCADE_SPEEDUP:
        failures.append(f"cascade is {speedup:.2f}x faster than scipy.signal.sosfilt, "
                        f"expected at least {MIN_CASCADE_SPEEDUP:g}x")
    for decoder in swift.get("decoders", []):
        if decoder["megabytes_per_second"] < MIN_DECODER_MB_S:
            failures.append(f"decoder {decoder['name']} reads {decoder['megabytes_per_second']:.1f} MB/s, "
                            f"target is at least {MIN_DECODER_MB_S:g} MB/s")
        if decoder["heap_allocations"] != 0:
            failures.append(f"decoder {decoder['name']} made {decoder['heap_allocations']} heap allocations")
    if full_chain > MAX_FULL_CHAIN_NS:
        failures.append(f"full chain takes {full_chain:.2f} ns/sample, "
                        f"target is at most {MAX_FULL_CHAIN_NS:g} ns")

    if args.json:
        print(json.dumps({
            **fig,
            "swift": swift,
            "swift_portable": portable,
            "cascade_speedup_vs_scipy_sosfilt": speedup,
            "full_chain_target_ns": MAX_FULL_CHAIN_NS,
            "failures": failures,
        }))
    else:
        print_python_table(fig)
        print(f"swift benchmark: {args.swift_bench}")
        print(f"  {'swift SOS cascade':<34s} {cascade:>12.3f}  ns / channel-sample")
        print(f"  {'swift full chain':<34s} {full_chain:>12.3f}  ns / dual-plate sample "
              f"(target <= {MAX_FULL_CHAIN_NS:g})")
        print(f"  {'swift heap allocations':<34s} {allocs!s:>12}  per sample (target 0)")
        print(f"  {'cascade vs scipy.signal.sosfilt':<34s} {speedup:>12.2f}  "
              f"x faster than scipy.signal.sosfilt (target >= {MIN_CASCADE_SPEEDUP:g})")
        print(f"  {'full chain vs target':<34s} {full_chain / MAX_FULL_CHAIN_NS:>12.2f}  "
              f"x the {MAX_FULL_CHAIN_NS:g} ns budget")
        if "full_chain_with_per_plate_sway_ns_per_sample" in swift:
            print(f"  {'  with per-plate sway windows':<34s} "
                  f"{float(swift['full_chain_with_per_plate_sway_ns_per_sample']):>12.3f}  ns / dual-plate sample")
        if "sway_metrics_read_us" in swift:
            print(f"  {'  sway metrics read':<34s} {float(swift['sway_metrics_read_us']):>12.3f}  "
                  f"us per read of a {swift.get('sway_window_samples', '?')}-sample window")
        if swift.get("recorder"):
            recorder = swift["recorder"]
            print(f"  {'  recorder (2 plates, 4 IMUs, XDF)':<34s} {float(recorder['megabytes_per_second']):>12.1f}  "
                  f"MB/s sustained over {recorder['recorded_s']} s recorded ({float(recorder['megabytes']):.1f} MB), "
                  f"{float(recorder['cpu_percent_of_one_core_live']):.3f} % of a core while recording live")
        if "metrics_line_us" in swift:
            print(f"  {'  METRICS line (3 windows + JSON)':<34s} {float(swift['metrics_line_us']):>12.3f}  "
                  f"us per line ({float(swift['metrics_line_without_sway_us']):.3f} us without the sway objects)")
        for decoder in swift.get("decoders", []):
            print(f"  {'decoder ' + decoder['name']:<44s} {decoder['megabytes_per_second']:>8.1f}  MB/s "
                  f"(target >= {MIN_DECODER_MB_S:g}), {decoder['samples']:,} samples, "
                  f"{decoder['heap_allocations']} heap allocations")
        if portable is not None:
            p_cascade = float(portable["sos_cascade_ns_per_channel_sample"])
            print(f"swift benchmark, portable baseline build (not checked): {args.swift_bench_portable}")
            print(f"  {'swift SOS cascade':<34s} {p_cascade:>12.3f}  ns / channel-sample "
                  f"({fig['scipy_sosfilt_ns_per_channel_sample'] / p_cascade:.2f}x faster than sosfilt)")
            print(f"  {'swift full chain':<34s} {float(portable['full_chain_ns_per_sample']):>12.3f}  "
                  f"ns / dual-plate sample")
            print(f"  {'swift heap allocations':<34s} {portable['heap_allocations_per_sample']!s:>12}  per sample")
        for msg in failures:
            print(f"FAIL: {msg}")
        if not failures:
            print("OK: all targets met")

    if failures and not args.no_check:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
