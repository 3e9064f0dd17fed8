#!/usr/bin/env python3
"""Read a C3D file written by StanceRecording's C3D encoder with ezc3d, the field's own reader.

The file is the recording of Tests/StanceRecordingTests/C3DInteropTests.swift: this script runs
that test with STANCE_C3D_INTEROP_PATH set (the test target must be built: `swift build
--build-tests`), loads the file with `ezc3d.c3d(path, extract_forceplat_data=True)`, and checks
the rates and frame count, the analog labels and units, every cell value (exactly, float32)
against the formula the test documents, each plate's FZ (the sum of its cells), the events
(labels, contexts, times), and the centre of pressure ezc3d computes from each Type-2 platform
against the COP Stance's DSP computed for the same samples (`<path>.cop.csv`, written by the test
from `DualPlateLayout.reading`): within 0.1 mm wherever ours is defined (the plate carries at
least 20 N; ezc3d applies no threshold). A second file, PATH.long.c3d, checks that 70000 frames
(past the 16-bit frame count) read back whole.

Usage: scripts/interop/c3d_reads_back.py [--swift SWIFT] [--c3d PATH]
(--c3d: check an existing file, its PATH.cop.csv and PATH.long.c3d instead of running the test). Prints
'N passed, M failed' and exits 1 on any failure.
"""
import argparse
import csv
import sys
from pathlib import Path

import ezc3d
import numpy as np

from swift_test_file import check_file

COP_TOLERANCE_MM = 0.1
TIME_TOLERANCE_S = 1e-6
SAMPLES, RATE_HZ, PER_FRAME = 500, 1000.0, 10
LONG_FRAMES = 70000
CELLS = ["left_tl", "left_tr", "left_bl", "left_br", "right_tl", "right_tr", "right_bl", "right_br"]
DERIVED = [f"{side}_{c}" for side in ("left", "right") for c in ("Fx", "Fy", "Fz", "Mx", "My", "Mz")]
UNITS = ["N"] * 8 + ["N", "N", "N", "Nmm", "Nmm", "Nmm"] * 2
EVENTS = [("session start", "General", 0.0), ('tare <&> "ok"', "General", 0.05),
          ("mark é ✓", "Left", 0.125), ("session stop", "General", 0.499)]


def expected_cells():
    """(samples, 8) float32 newtons, as the Swift test writes them."""
    i = np.arange(SAMPLES)[:, None]
    lane = np.arange(8)[None, :]
    cells = 40 + ((37 * i + 53 * lane) % 97) * 3.3
    cells[300:340, 4:] = 2.5
    return cells.astype(np.float32)


def our_cop(path: Path):
    """(samples, 4) left x, y, right x, y in mm, NaN where Stance's COP is undefined."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    columns = ["left_x_mm", "left_y_mm", "right_x_mm", "right_y_mm"]
    return np.array([[float(r[c]) if r[c] else np.nan for c in columns] for r in rows])


def check(path: Path, cop_path: Path):
    """Yields (label, problem or None) for each check."""
    c3d = ezc3d.c3d(str(path), extract_forceplat_data=True)
    header, parameters = c3d["header"], c3d["parameters"]
    analog_rate = float(parameters["ANALOG"]["RATE"]["value"][0])
    point_rate = float(parameters["POINT"]["RATE"]["value"][0])
    found = (analog_rate, point_rate, header["points"]["last_frame"] + 1, header["analogs"]["size"], header["points"]["size"])
    want = (RATE_HZ, RATE_HZ / PER_FRAME, SAMPLES // PER_FRAME, 20, 0)
    yield "rates, frames, channel and point counts", None if found == want else f"found {found}, want {want}"

    labels = list(parameters["ANALOG"]["LABELS"]["value"])
    yield "analog labels", None if labels == CELLS + DERIVED else f"labels {labels}"
    units = list(parameters["ANALOG"]["UNITS"]["value"])
    yield "analog units", None if units == UNITS else f"units {units}"

    analogs = c3d["data"]["analogs"][0]  # (channels, samples), float64 from float32
    cells = expected_cells()
    yield f"analogs: {SAMPLES} samples", None if analogs.shape == (20, SAMPLES) else f"shape {analogs.shape}"
    if analogs.shape != (20, SAMPLES):
        return
    same = np.array_equal(analogs[:8].T.astype(np.float32), cells)
    yield "cell values exact", None if same else f"first differences {np.argwhere(analogs[:8].T != cells)[:3]}"
    sums = np.stack([cells[:, :4].astype(np.float64).sum(1), cells[:, 4:].astype(np.float64).sum(1)], 1).astype(np.float32)
    fz_same = np.array_equal(analogs[[10, 16]].T.astype(np.float32), sums)
    yield "FZ = sum of the plate's cells", None if fz_same else "FZ differs"

    event = parameters["EVENT"]
    found_events = list(zip(event["LABELS"]["value"], event["CONTEXTS"]["value"]))
    yield "event labels and contexts", None if found_events == [(l, c) for l, c, _ in EVENTS] else f"events {found_events}"
    times = event["TIMES"]["value"]
    seconds = times[0] * 60 + times[1]
    worst = float(np.max(np.abs(seconds - np.array([t for _, _, t in EVENTS]))))
    yield "event times (minutes, seconds)", None if worst <= TIME_TOLERANCE_S else f"off by up to {worst:.3g} s"

    types = list(parameters["FORCE_PLATFORM"]["TYPE"]["value"])
    platforms = c3d["data"]["platform"]
    yield "two Type-2 force platforms", None if types == [2, 2] and len(platforms) == 2 else f"types {types}, {len(platforms)} read"
    ours = our_cop(cop_path)
    for index, side in enumerate(["left", "right"]):
        platform = platforms[index]
        cop = platform["center_of_pressure"]  # (3, samples), mm, lab frame
        force = platform["force"]
        unit = platform["unit_position"]
        yield f"{side}: COP in mm", None if unit == "mm" else f"unit {unit}"
        up = np.max(np.abs(force[2] - sums[:, index]))
        yield f"{side}: vertical force = sum of cells", None if up < 1e-3 else f"off by up to {up:.3g} N"
        mine = ours[:, 2 * index:2 * index + 2]
        defined = ~np.isnan(mine[:, 0])
        expected_undefined = 40 if side == "right" else 0
        undefined = int((~defined).sum())
        yield f"{side}: our COP undefined on {expected_undefined} samples", \
            None if undefined == expected_undefined else f"undefined on {undefined}"
        difference = np.abs(cop[:2, defined].T - mine[defined])
        worst = float(difference.max())
        label = f"{side}: ezc3d COP = ours on {int(defined.sum())} samples (max difference {worst:.3g} mm)"
        yield label, None if worst <= COP_TOLERANCE_MM else f"off by up to {worst:.3g} mm"

    long = ezc3d.c3d(str(path) + ".long.c3d")
    values = long["data"]["analogs"][0, 0]
    same = np.array_equal(values, np.arange(LONG_FRAMES, dtype=np.float64))
    yield f"{LONG_FRAMES} frames (past 65535) read back", None if same else f"{values.shape[0]} samples, last {values[-1]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--swift", default="swift", help="the swift command (default: swift)")
    parser.add_argument("--c3d", type=Path, help="check this file (and PATH.cop.csv, PATH.long.c3d) instead of writing one")
    args = parser.parse_args()
    print(f"interop: C3D encoder output read by ezc3d {getattr(ezc3d, '__version__', '(version unknown)')}")
    return check_file(args.swift, "C3DInteropTests", "STANCE_C3D_INTEROP_PATH", "interop.c3d", args.c3d,
                      lambda path: check(path, Path(str(path) + ".cop.csv")))


if __name__ == "__main__":
    sys.exit(main())
