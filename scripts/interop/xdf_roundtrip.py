#!/usr/bin/env python3
"""Read an XDF file written by StanceRecording's XDFWriter with pyxdf, the field's own reader.

The file is the recording of Tests/StanceRecordingTests/XDFInteropTests.swift: this script runs
that test with STANCE_XDF_INTEROP_PATH set (the test target must be built: `swift build
--build-tests`), loads the file with `pyxdf.load_xdf`, and checks the file header, the three
streams (names, types, channel counts and formats, channel labels in desc), every value and
timestamp against the formulas the test documents, and the footers' sample counts. Timestamps
must agree within 1e-9 s (pyxdf deduces unstamped ones by adding 1 / rate), values exactly.

Usage: scripts/interop/xdf_roundtrip.py [--swift SWIFT] [--xdf PATH]
(--xdf: check an existing file instead of running the test). Prints 'N passed, M failed' and
exits 1 on any failure.
"""
import argparse
import sys
from pathlib import Path

import numpy as np
import pyxdf

from swift_test_file import check_file

TIME_TOLERANCE_S = 1e-9
MARKERS = [(1000.0, "session start"), (1000.5, 'tare <&> "ok"'), (1001.25, "mark é ✓"), (1002.5, "session stop")]


def expected_streams():
    """name -> (type, channel count, format, timestamps, values) as the Swift test writes them."""
    i = np.arange(250)
    cells = (i[:, None] * np.float32(0.5) + np.arange(4)[None, :]).astype(np.float32)
    j = np.arange(120)
    metrics = np.array([[k * 0.1 + c * 1000 for c in range(3)] for k in j], dtype=np.float64)
    return {
        "left plate cells": ("Force", 4, "float32", 1000 + i / 100, cells),
        "metrics": ("Metrics", 3, "double64", 1000 + j / 50, metrics),
        "markers": ("Markers", 1, "string", np.array([t for t, _ in MARKERS]), [[text] for _, text in MARKERS]),
    }


def check(path: Path):
    """Yields (label, problem or None) for each check."""
    streams, header = pyxdf.load_xdf(str(path), synchronize_clocks=True, dejitter_timestamps=False)
    yield "file header version 1.0", None if header["info"]["version"] == ["1.0"] else f"header {header}"
    yield "file header metadata", None if header["info"]["subject"] == ["interop & test"] else f"header {header}"
    expected = expected_streams()
    names = sorted(s["info"]["name"][0] for s in streams)
    yield "three streams", None if names == sorted(expected) else f"streams {names}"
    for stream in streams:
        info = stream["info"]
        name = info["name"][0]
        if name not in expected:
            continue
        kind, channels, fmt, times, values = expected[name]
        header_found = (info["type"][0], int(info["channel_count"][0]), info["channel_format"][0])
        yield f"{name}: header", None if header_found == (kind, channels, fmt) else f"header {header_found}"
        count = len(stream["time_stamps"])
        yield f"{name}: {len(times)} samples", None if count == len(times) else f"{count} samples"
        footer_count = int(stream["footer"]["info"]["sample_count"][0])
        yield f"{name}: footer sample_count", None if footer_count == len(times) else f"footer says {footer_count}"
        if count != len(times):
            continue
        worst = float(np.max(np.abs(np.asarray(stream["time_stamps"]) - times)))
        yield f"{name}: timestamps", None if worst <= TIME_TOLERANCE_S else f"off by up to {worst:.3g} s"
        if fmt == "string":
            same = list(map(list, stream["time_series"])) == values
        else:
            series = stream["time_series"]
            same = series.dtype == values.dtype and np.array_equal(series, values)
        yield f"{name}: values", None if same else f"values differ: {stream['time_series'][:3]} vs {values[:3]}"
        if name == "left plate cells":
            labels = [ch["label"][0] for ch in info["desc"][0]["channels"][0]["channel"]]
            want = ["left_tl", "left_tr", "left_bl", "left_br"]
            yield f"{name}: channel labels", None if labels == want else f"labels {labels}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--swift", default="swift", help="the swift command (default: swift)")
    parser.add_argument("--xdf", type=Path, help="check this file instead of writing one")
    args = parser.parse_args()
    print(f"interop: XDFWriter output read by pyxdf {pyxdf.__version__}")
    return check_file(args.swift, "XDFInteropTests", "STANCE_XDF_INTEROP_PATH", "interop.xdf", args.xdf, check)


if __name__ == "__main__":
    sys.exit(main())
