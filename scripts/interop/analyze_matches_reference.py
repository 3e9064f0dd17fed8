#!/usr/bin/env python3
"""Cross-check `stance analyze --json` against the NumPy/SciPy reference on fresh data.

Each run simulates new dual-plate trials (not the committed fixtures): a step-down to single-leg
stance on the right (the left plate falls below the COP threshold, so undefined-COP handling is
exercised), at rates and filter settings other than the defaults. It writes each trial as the
cell-force CSV, runs the real `stance analyze --json` on it, computes the same analysis with
`analyze()` from scripts/make_fixtures.py, and requires every number to agree within 1e-9
relative (nulls and strings exactly).

Usage: scripts/interop/analyze_matches_reference.py --stance PATH [--seed N]
Prints 'N passed, M failed' and exits 1 on any failure.
"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import make_fixtures as ref  # noqa: E402

TOLERANCE = 1e-9


def simulate(rng, rate_hz: float, seconds: float):
    """Double stance 60/40, single-leg stance on the right, double stance again."""
    n = int(seconds * rate_hz)
    t = np.arange(n) / rate_hz
    weight = rng.uniform(55, 95) * ref.G
    left_share = np.where((t > seconds * 0.3) & (t < seconds * 0.6), 0.0, 0.6)
    # Smooth the step over ~0.3 s so the plate unloads as a foot does.
    kernel = np.ones(int(0.3 * rate_hz)) / int(0.3 * rate_hz)
    left_share = np.convolve(np.pad(left_share, len(kernel), mode="edge"), kernel, "same")[len(kernel):-len(kernel)]
    f_left = weight * left_share + rng.normal(0, 0.8, n)
    f_right = weight * (1 - left_share) + rng.normal(0, 0.8, n)
    sway = lambda sd: sd * ref.smooth_noise(rng, n, rate_hz, 1.5)
    cells = np.vstack([
        ref.cells_from_cop(f_left, 0.012 + sway(0.004), 0.02 + sway(0.006)),
        ref.cells_from_cop(f_right, -0.01 + sway(0.003), 0.015 + sway(0.005)),
    ])
    cells += rng.normal(0.0, 0.4, size=cells.shape)
    return t, cells


def write_csv(path: Path, t, cells, rate_hz: float) -> None:
    decimals = 4 if rate_hz > 100 else 3
    lines = [ref.CSV_HEADER]
    for i in range(t.size):
        lines.append(",".join([f"{t[i]:.{decimals}f}"] + [f"{c:.4f}" for c in cells[:, i]]))
    path.write_text("\n".join(lines) + "\n")


def differences(actual, expected, path=""):
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or set(actual) != set(expected):
            return [f"{path}: keys {sorted(actual) if isinstance(actual, dict) else actual} vs {sorted(expected)}"]
        return [d for key in expected for d in differences(actual[key], expected[key], f"{path}.{key}")]
    if expected is None or isinstance(expected, str):
        return [] if actual == expected else [f"{path}: {actual!r} vs {expected!r}"]
    error = abs(actual - expected) / abs(expected) if expected != 0 else abs(actual)
    return [] if error <= TOLERANCE else [f"{path}: {actual} vs {expected} (relative error {error:.3g})"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stance", required=True, help="path of the stance executable")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: fresh)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else int(np.random.SeedSequence().entropy % 2**32)
    rng = np.random.default_rng(seed)
    print(f"interop: stance analyze vs NumPy/SciPy reference, seed {seed}")

    trials = [
        # (rate Hz, seconds, lowpass Hz, order, spacing mm)
        (200.0, 20.0, 6.0, 2, 400.0),
        (100.0, 15.0, 10.0, 4, 450.0),
        (1000.0, 8.0, 20.0, 3, 520.0),
        (100.0, 12.0, 0.0, 4, 450.0),
    ]
    passed = failed = 0
    with tempfile.TemporaryDirectory() as directory:
        for rate, seconds, lowpass, order, spacing in trials:
            t, cells = simulate(rng, rate, seconds)
            path = Path(directory) / f"trial-{int(rate)}hz.csv"
            write_csv(path, t, cells, rate)
            time_read, cells_read = ref.read_recording(path)
            expected = ref.analyze(time_read, cells_read, lowpass_hz=lowpass, order=order,
                                   plate_spacing_m=spacing / 1000)
            command = [args.stance, "analyze", str(path), "--json", "--lowpass-hz", str(lowpass),
                       "--order", str(order), "--plate-spacing-mm", str(spacing)]
            result = subprocess.run(command, capture_output=True, text=True)
            label = f"{rate:g} Hz, {seconds:g} s, low-pass {lowpass:g} Hz order {order}, spacing {spacing:g} mm"
            if result.returncode != 0:
                print(f"FAIL {label}: exit {result.returncode}: {result.stderr.strip()}")
                failed += 1
                continue
            problems = differences(json.loads(result.stdout), expected)
            if problems:
                print(f"FAIL {label}:")
                for line in problems[:20]:
                    print(f"    {line}")
                failed += 1
            else:
                left = expected["weight_distribution"]["left_pct"]
                print(f"ok   {label}: left {left:.2f} %, left sway "
                      f"{'null' if expected['left']['sway'] is None else 'defined'}")
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
