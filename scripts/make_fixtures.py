#!/usr/bin/env python3
"""Generate the reference fixtures used by Stance's Swift test suites.

Everything written here is computed with NumPy/SciPy, independently of the
Swift implementation, so the Swift tests can compare against it:

  Tests/StanceDSPTests/Fixtures/butterworth.json
      Second-order-section coefficients from scipy.signal.butter for orders
      1..8, lowpass and highpass, at several (cutoff, rate) pairs.
  Tests/StanceDSPTests/Fixtures/sosfilt.json
      Multichannel inputs with the outputs of scipy.signal.sosfilt (zero
      initial state) and scipy.signal.sosfiltfilt (default padding).
  Tests/StanceDSPTests/Fixtures/sway.json
      COP series and their sway metrics after Prieto et al. (1996).
  Tests/StanceDSPTests/Fixtures/asymmetry.json
      Left/right asymmetry and Robinson symmetry-index cases.
  Tests/StanceDSPTests/Fixtures/imu_kinematics.json
      An IMU's orientation, gyroscope and accelerometer series (scipy's Rotation
      for the quaternions) with the sagittal and frontal angles, sliding-window
      range of motion and peak angular velocity of a segment, and the trunk's
      tilt and acceleration sway (Prieto measures) and jerk (Mancini et al. 2012),
      the acceleration low-passed by scipy.signal.sosfilt (4th-order, 3.5 Hz).
  Examples/quiet-stance-dual.csv
      A simulated 30 s dual force-plate quiet-stance trial (8 load cells).
  Tests/StanceCLITests/Fixtures/quiet-stance-dual.analyze.json
  Tests/StanceCLITests/Fixtures/quiet-stance-dual.analyze-nofilter.json
      The expected `stance analyze --json` result for that recording, with
      the default 10 Hz low-pass and with filtering disabled.

All randomness comes from numpy.random.default_rng with fixed seeds, so the
output is reproducible for a given NumPy/SciPy version (recorded in each JSON
file's "generator" object).  Floats are written with Python's shortest
round-trip repr, so they parse back to the identical double.

Regenerate from the repository root with:

    python3 scripts/make_fixtures.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import scipy
import scipy.signal

ROOT = Path(__file__).resolve().parent.parent
DSP_FIXTURES = ROOT / "Tests" / "StanceDSPTests" / "Fixtures"
CLI_FIXTURES = ROOT / "Tests" / "StanceCLITests" / "Fixtures"
EXAMPLES = ROOT / "Examples"

GENERATOR = {
    "script": "scripts/make_fixtures.py",
    "numpy": np.__version__,
    "scipy": scipy.__version__,
}

G = 9.80665  # standard gravity, m/s^2

# Load-cell positions in the plate frame (metres): x medio-lateral (positive to
# the subject's right), y antero-posterior (positive forward), origin at the
# plate centre.  Order matches the CSV columns: TL, TR, BL, BR.
CELL_HALF_X = 0.2165
CELL_HALF_Y = 0.119
CELL_POS = np.array([
    [-CELL_HALF_X, +CELL_HALF_Y],  # TL
    [+CELL_HALF_X, +CELL_HALF_Y],  # TR
    [-CELL_HALF_X, -CELL_HALF_Y],  # BL
    [+CELL_HALF_X, -CELL_HALF_Y],  # BR
])

# Standard deviation (m) of the fast COP jitter in the simulated recording.
JITTER_ML_M = 0.0007
JITTER_AP_M = 0.0010

CSV_HEADER = ("time_s,left_tl_N,left_tr_N,left_bl_N,left_br_N,"
              "right_tl_N,right_tr_N,right_bl_N,right_br_N")


# ---------------------------------------------------------------------------
# JSON output
# ---------------------------------------------------------------------------

def _is_scalar(value) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def _encode(value, indent: int) -> str:
    """JSON-encode with indentation, but keep lists of scalars on one line.

    This keeps sample arrays and SOS rows compact while the structure around
    them stays readable and diff-friendly.
    """
    pad = "  " * indent
    inner = "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(str(k))}: {_encode(v, indent + 1)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, (list, tuple)):
        if all(_is_scalar(v) for v in value):
            return json.dumps(list(value), allow_nan=False, separators=(",", ":"))
        items = [inner + _encode(v, indent + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"non-finite float in fixture: {value!r}")
    return json.dumps(value, allow_nan=False)


def write_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = _encode(obj, 0) + "\n"
    # Sanity check: the text must be valid JSON that round-trips exactly.
    assert json.loads(text) == json.loads(json.dumps(obj))
    path.write_text(text)
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")


# ---------------------------------------------------------------------------
# Reference metrics
# ---------------------------------------------------------------------------

def sway_metrics(x, y, rate_hz: float) -> dict:
    """Prieto et al. (1996) time-domain sway metrics, in SI units (m, s).

    x is medio-lateral, y antero-posterior; both 1-D of the same length N >= 3.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = x.size
    if n < 3 or y.size != n:
        raise ValueError("sway metrics need at least 3 paired samples")

    ml = x - x.mean()
    ap = y - y.mean()
    rd = np.sqrt(ml * ml + ap * ap)
    mean_distance = float(rd.mean())
    rms_distance = float(np.sqrt(np.mean(rd * rd)))

    path_length = float(np.sum(np.sqrt(np.diff(x) ** 2 + np.diff(y) ** 2)))
    mean_velocity = path_length / ((n - 1) / rate_hz)

    cov = np.cov(np.vstack([x, y]), ddof=1)
    sx2, sy2, sxy = cov[0, 0], cov[1, 1], cov[0, 1]
    f_stat = ((n - 2) / 2.0) * (0.05 ** (-2.0 / (n - 2)) - 1.0)
    det = max(sx2 * sy2 - sxy * sxy, 0.0)
    ellipse_area = float(2.0 * math.pi * f_stat * math.sqrt(det))

    mean_frequency = mean_velocity / (4.0 * math.sqrt(2.0) * mean_distance)

    return {
        "path_length_m": path_length,
        "mean_velocity_m_s": float(mean_velocity),
        "mean_distance_m": mean_distance,
        "rms_distance_m": rms_distance,
        "range_ml_m": float(x.max() - x.min()),
        "range_ap_m": float(y.max() - y.min()),
        "ellipse95_area_m2": ellipse_area,
        "mean_frequency_hz": float(mean_frequency),
    }


def sway_metrics_mm(x, y, rate_hz: float):
    """Same metrics reported in millimetres (mm^2 for the area); None if N < 3."""
    if len(x) < 3:
        return None
    m = sway_metrics(x, y, rate_hz)
    return {
        "path_length_mm": m["path_length_m"] * 1000.0,
        "mean_velocity_mm_s": m["mean_velocity_m_s"] * 1000.0,
        "mean_distance_mm": m["mean_distance_m"] * 1000.0,
        "rms_distance_mm": m["rms_distance_m"] * 1000.0,
        "range_ml_mm": m["range_ml_m"] * 1000.0,
        "range_ap_mm": m["range_ap_m"] * 1000.0,
        "ellipse95_area_mm2": m["ellipse95_area_m2"] * 1e6,
        "mean_frequency_hz": m["mean_frequency_hz"],
    }


def asymmetry(left: float, right: float) -> dict:
    """Percent asymmetry, dominant side and Robinson symmetry index."""
    left = float(left)
    right = float(right)
    if left == 0.0 and right == 0.0:
        return {"asymmetry_pct": 0.0, "dominant": "none", "symmetry_index_pct": 0.0}
    hi, lo = max(left, right), min(left, right)
    if left > right:
        dominant = "left"
    elif right > left:
        dominant = "right"
    else:
        dominant = "none"
    return {
        "asymmetry_pct": 100.0 * (hi - lo) / hi,
        "dominant": dominant,
        "symmetry_index_pct": 100.0 * (left - right) / (0.5 * (left + right)),
    }


# ---------------------------------------------------------------------------
# a) Butterworth coefficients
# ---------------------------------------------------------------------------

BUTTER_PAIRS = [(10.0, 100.0), (10.0, 1000.0), (1.0, 1000.0),
                (45.0, 100.0), (0.5, 50.0), (30.0, 200.0)]


def make_butterworth() -> None:
    cases = []
    for order in range(1, 9):
        for btype in ("lowpass", "highpass"):
            for fc, fs in BUTTER_PAIRS:
                sos = scipy.signal.butter(order, fc, btype, fs=fs, output="sos")
                cases.append({
                    "order": order,
                    "cutoff_hz": fc,
                    "rate_hz": fs,
                    "type": btype,
                    "sos": sos.tolist(),
                })
    assert len(cases) == 96
    write_json(DSP_FIXTURES / "butterworth.json",
               {"generator": GENERATOR, "cases": cases})


# ---------------------------------------------------------------------------
# b) sosfilt / sosfiltfilt
# ---------------------------------------------------------------------------

SOSFILT_CASES = [
    # name, order, type, cutoff, rate, channels, samples
    ("lp4-10hz-100hz-8ch", 4, "lowpass", 10.0, 100.0, 8, 400),
    ("lp3-5hz-100hz-3ch", 3, "lowpass", 5.0, 100.0, 3, 300),
    ("hp2-0.5hz-100hz-5ch", 2, "highpass", 0.5, 100.0, 5, 300),
    ("lp8-20hz-1000hz-4ch", 8, "lowpass", 20.0, 1000.0, 4, 600),
    ("lp1-10hz-200hz-2ch", 1, "lowpass", 10.0, 200.0, 2, 100),
    ("hp5-2hz-250hz-1ch", 5, "highpass", 2.0, 250.0, 1, 250),
]


def test_signal(rng, channels: int, samples: int, rate_hz: float) -> np.ndarray:
    """DC offset of 100*channel + 2 Hz sine (amplitude 5) + N(0, 1) noise."""
    t = np.arange(samples) / rate_hz
    offsets = 100.0 * np.arange(channels)[:, None]
    sine = 5.0 * np.sin(2.0 * np.pi * 2.0 * t)[None, :]
    noise = rng.normal(0.0, 1.0, size=(channels, samples))
    return offsets + sine + noise


def make_sosfilt() -> None:
    rng = np.random.default_rng(20240501)
    cases = []
    for name, order, btype, fc, fs, channels, samples in SOSFILT_CASES:
        sos = scipy.signal.butter(order, fc, btype, fs=fs, output="sos")
        x = test_signal(rng, channels, samples, fs)
        cases.append({
            "name": name,
            "order": order,
            "cutoff_hz": fc,
            "rate_hz": fs,
            "type": btype,
            "sos": sos.tolist(),
            "input": x.tolist(),
            "sosfilt": scipy.signal.sosfilt(sos, x, axis=-1).tolist(),
            "sosfiltfilt": scipy.signal.sosfiltfilt(sos, x, axis=-1).tolist(),
        })
    write_json(DSP_FIXTURES / "sosfilt.json",
               {"generator": GENERATOR, "cases": cases})


# ---------------------------------------------------------------------------
# c) Sway metrics
# ---------------------------------------------------------------------------

def make_sway() -> None:
    rng = np.random.default_rng(19960101)
    series = []

    # 10 s of a 1 Hz circle, radius 10 mm, centred at (0.05, -0.02) m.
    fs = 100.0
    n = 1000
    t = np.arange(n) / fs
    r = 0.010
    series.append(("circle-1hz-r10mm", fs,
                   0.05 + r * np.cos(2 * np.pi * t),
                   -0.02 + r * np.sin(2 * np.pi * t)))

    # Correlated random walk plus a slow 0.2 Hz drift.
    fs = 100.0
    n = 3000
    t = np.arange(n) / fs
    e = rng.normal(0.0, 0.0002, size=(2, n))
    dx = e[0]
    dy = 0.6 * e[0] + 0.8 * e[1]  # corr(dx, dy) = 0.6, same sd
    x = np.cumsum(dx) + 0.002 * np.sin(2 * np.pi * 0.2 * t)
    y = np.cumsum(dy) + 0.003 * np.sin(2 * np.pi * 0.2 * t + 0.7)
    series.append(("random-walk-100hz", fs, x, y))

    # Tilted ellipse (semi-axes 8 mm and 3 mm, rotated 30 degrees) plus noise.
    fs = 50.0
    n = 500
    t = np.arange(n) / fs
    phase = 2 * np.pi * 0.7 * t
    a, b, tilt = 0.008, 0.003, math.radians(30.0)
    u = a * np.cos(phase)
    v = b * np.sin(phase)
    x = 0.001 + u * math.cos(tilt) - v * math.sin(tilt) + rng.normal(0, 0.0003, n)
    y = -0.004 + u * math.sin(tilt) + v * math.cos(tilt) + rng.normal(0, 0.0003, n)
    series.append(("ellipse-tilted-50hz", fs, x, y))

    # The minimum: three samples.
    series.append(("short-3-samples", 100.0,
                   np.array([0.0, 0.001, 0.0005]),
                   np.array([0.0, 0.0005, 0.002])))

    cases = []
    for name, fs, x, y in series:
        cases.append({
            "name": name,
            "rate_hz": fs,
            "x_m": x.tolist(),
            "y_m": y.tolist(),
            "metrics": sway_metrics(x, y, fs),
        })

    # Sanity check against the closed form for the circle.
    circle = cases[0]["metrics"]
    chord = 2 * 0.010 * math.sin(math.pi / 100)  # 1 Hz at 100 Hz: 3.6 deg steps
    assert math.isclose(circle["path_length_m"], 999 * chord, rel_tol=1e-12)
    assert math.isclose(circle["mean_distance_m"], 0.010, rel_tol=1e-12)
    assert math.isclose(circle["rms_distance_m"], 0.010, rel_tol=1e-12)

    write_json(DSP_FIXTURES / "sway.json", {"generator": GENERATOR, "cases": cases})


# ---------------------------------------------------------------------------
# d) Asymmetry
# ---------------------------------------------------------------------------

ASYMMETRY_PAIRS = [(412.5, 337.5), (300.0, 360.0), (500.0, 500.0), (0.0, 0.0),
                   (0.0, 10.0), (10.0, 0.0), (1e-3, 2e-3), (735.75, 1.0),
                   (88.2, 91.7), (1234.5, 999.9)]


def make_asymmetry() -> None:
    cases = [{"left": l, "right": r, **asymmetry(l, r)} for l, r in ASYMMETRY_PAIRS]
    write_json(DSP_FIXTURES / "asymmetry.json", {"generator": GENERATOR, "cases": cases})


# ---------------------------------------------------------------------------
# e) Example recording and its expected analysis
# ---------------------------------------------------------------------------

def smooth_noise(rng, n: int, rate_hz: float, corner_hz: float) -> np.ndarray:
    """Unit-variance gaussian noise low-passed at corner_hz (zero phase)."""
    sos = scipy.signal.butter(2, corner_hz, "lowpass", fs=rate_hz, output="sos")
    s = scipy.signal.sosfiltfilt(sos, rng.normal(size=n))
    return s / s.std()


def ou_sway(rng, n: int, rate_hz: float, sd_m: float, tau_s: float) -> np.ndarray:
    """Mean-reverting random walk (Ornstein-Uhlenbeck) driven by smooth noise.

    The drive is low-passed at 2 Hz so the trajectory is smooth like real COP
    sway; the result is rescaled to the requested standard deviation.
    """
    drive = smooth_noise(rng, n, rate_hz, 2.0)
    dt = 1.0 / rate_hz
    out = np.empty(n)
    acc = 0.0
    for k in range(n):
        acc += -acc * dt / tau_s + drive[k] * dt
        out[k] = acc
    out -= out.mean()
    return out * (sd_m / out.std())


def plate_cop(rng, n: int, t: np.ndarray, offset, scale: float) -> np.ndarray:
    """Local COP (x, y) of one plate, metres, in the plate frame.

    offset + slow mean-reverting random walk + faster smooth jitter (the
    small corrective ankle movements, band-limited to 3 Hz) + a slow
    oscillation.  Everything but the offset is multiplied by scale.
    """
    def axis(walk_sd, jitter_sd, osc_amp, osc_hz):
        return (ou_sway(rng, n, 100.0, walk_sd, 2.0)
                + jitter_sd * smooth_noise(rng, n, 100.0, 3.0)
                + osc_amp * np.sin(2 * np.pi * osc_hz * t + rng.uniform(0, 2 * np.pi)))

    x = offset[0] + scale * axis(0.0018, JITTER_ML_M, 0.0006, 0.15)
    y = offset[1] + scale * axis(0.0028, JITTER_AP_M, 0.0010, 0.25)
    return np.vstack([x, y])


def cells_from_cop(force, x, y) -> np.ndarray:
    """Bilinear split of a plate force at COP (x, y) onto TL, TR, BL, BR."""
    u = x / CELL_HALF_X
    v = y / CELL_HALF_Y
    return np.vstack([
        force * (1 - u) * (1 + v) / 4,  # TL
        force * (1 + u) * (1 + v) / 4,  # TR
        force * (1 - u) * (1 - v) / 4,  # BL
        force * (1 + u) * (1 - v) / 4,  # BR
    ])


def make_example_recording(path: Path) -> None:
    rng = np.random.default_rng(75_55_45)
    rate = 100.0
    n = 3000
    t = np.arange(n) / rate
    weight = 75.0 * G

    # Weight shifts: a slow oscillation plus a smooth wander of a few percent
    # of body weight, moved from one plate to the other (anti-correlated).
    shift = (0.015 * np.sin(2 * np.pi * 0.08 * t + 0.4)
             + 0.012 * smooth_noise(rng, n, rate, 0.3))
    # Small whole-body vertical fluctuation plus independent per-plate noise.
    bounce = 1.0 + 0.002 * smooth_noise(rng, n, rate, 1.0)
    f_left = weight * bounce * (0.55 + shift) + rng.normal(0, 0.8, n)
    f_right = weight * bounce * (0.45 - shift) + rng.normal(0, 0.8, n)

    cop_left = plate_cop(rng, n, t, (0.010, 0.020), 1.3)
    cop_right = plate_cop(rng, n, t, (-0.008, 0.015), 1.0)

    cells = np.vstack([cells_from_cop(f_left, *cop_left),
                       cells_from_cop(f_right, *cop_right)])
    cells += rng.normal(0.0, 0.5, size=cells.shape)
    assert cells.min() > 0.0, "simulated cell force went negative"

    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [CSV_HEADER]
    for i in range(n):
        cols = [f"{i / 100:.2f}"] + [f"{c:.3f}" for c in cells[:, i]]
        lines.append(",".join(cols))
    path.write_text("\n".join(lines) + "\n")
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")


def read_recording(path: Path):
    """Parse the CSV back with NumPy exactly as written (3-decimal rounding)."""
    with path.open() as fh:
        header = fh.readline().strip()
    if header != CSV_HEADER:
        raise ValueError(f"unexpected header: {header!r}")
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    return data[:, 0], data[:, 1:9].T  # time (N,), cells (8, N)


def analyze(time_s, cells, lowpass_hz=10.0, order=4, plate_spacing_m=0.450,
            threshold_N=20.0) -> dict:
    """Reference for `stance analyze --json` on a dual-plate recording.

    cells is (8, N): left TL, TR, BL, BR then right TL, TR, BL, BR, in newtons.
    """
    t = np.asarray(time_s, dtype=np.float64)
    cells = np.array(cells, dtype=np.float64)
    n = t.size
    duration = float(t[-1] - t[0])
    rate = (n - 1) / duration

    if lowpass_hz > 0:
        sos = scipy.signal.butter(order, lowpass_hz, "lowpass", fs=rate, output="sos")
        cells = np.vstack([scipy.signal.sosfiltfilt(sos, col) for col in cells])

    plates = {}
    for side, rows, x_shift in (("left", slice(0, 4), -plate_spacing_m / 2),
                                ("right", slice(4, 8), +plate_spacing_m / 2)):
        c = cells[rows]
        force = c.sum(axis=0)
        defined = force >= threshold_N
        safe = np.where(defined, force, 1.0)
        local_x = np.where(defined, (c * CELL_POS[:, 0:1]).sum(axis=0) / safe, np.nan)
        local_y = np.where(defined, (c * CELL_POS[:, 1:2]).sum(axis=0) / safe, np.nan)
        plates[side] = {
            "force": force,
            "defined": defined,
            "local": (local_x, local_y),
            "global": (local_x + x_shift, local_y),
        }

    left, right = plates["left"], plates["right"]

    # Combined COP: force-weighted mean over the plates defined at each sample.
    w_l = np.where(left["defined"], left["force"], 0.0)
    w_r = np.where(right["defined"], right["force"], 0.0)
    comb_defined = left["defined"] | right["defined"]
    w_sum = np.where(comb_defined, w_l + w_r, 1.0)
    comb = []
    for axis in (0, 1):
        gl = np.where(left["defined"], left["global"][axis], 0.0)
        gr = np.where(right["defined"], right["global"][axis], 0.0)
        comb.append(np.where(comb_defined, (w_l * gl + w_r * gr) / w_sum, np.nan))
    comb_x, comb_y = comb

    def plate_sway(p):
        m = p["defined"]
        return sway_metrics_mm(p["local"][0][m], p["local"][1][m], rate)

    sway_left = plate_sway(left)
    sway_right = plate_sway(right)
    sway_comb = sway_metrics_mm(comb_x[comb_defined], comb_y[comb_defined], rate)

    total = left["force"] + right["force"]
    total_sum = total.sum()
    mean_l = float(left["force"].mean())
    mean_r = float(right["force"].mean())

    if comb_defined.any():
        cx = comb_x[comb_defined]
        weight_shift = {"mean_mm": float(1000.0 * cx.mean()),
                        "range_mm": float(1000.0 * (cx.max() - cx.min()))}
    else:
        weight_shift = {"mean_mm": None, "range_mm": None}

    def sway_asym(key):
        if sway_left is None or sway_right is None:
            return None
        return asymmetry(sway_left[key], sway_right[key])

    return {
        "samples": int(n),
        "rate_hz": float(rate),
        "duration_s": duration,
        "left": {"mean_force_N": mean_l,
                 "peak_force_N": float(left["force"].max()),
                 "sway": sway_left},
        "right": {"mean_force_N": mean_r,
                  "peak_force_N": float(right["force"].max()),
                  "sway": sway_right},
        "combined": {"mean_force_N": float(total.mean()), "sway": sway_comb},
        "weight_distribution": {
            "left_pct": float(100.0 * left["force"].sum() / total_sum),
            "right_pct": float(100.0 * right["force"].sum() / total_sum),
        },
        "weight_shift": weight_shift,
        "asymmetry": {
            "force": asymmetry(mean_l, mean_r),
            "sway_path": sway_asym("path_length_mm"),
            "sway_area": sway_asym("ellipse95_area_mm2"),
        },
    }


def summarize(label: str, result: dict) -> None:
    wd = result["weight_distribution"]
    asym = result["asymmetry"]
    print(f"  [{label}] {result['samples']} samples at {result['rate_hz']:.6f} Hz, "
          f"{result['duration_s']:.2f} s")
    print(f"    weight: left {wd['left_pct']:.2f} %, right {wd['right_pct']:.2f} %; "
          f"mean forces L {result['left']['mean_force_N']:.1f} N, "
          f"R {result['right']['mean_force_N']:.1f} N, "
          f"total {result['combined']['mean_force_N']:.1f} N")
    print(f"    weight shift: mean x {result['weight_shift']['mean_mm']:.2f} mm, "
          f"range {result['weight_shift']['range_mm']:.2f} mm")
    for side in ("left", "right"):
        s = result[side]["sway"]
        print(f"    {side:5s} sway: path {s['path_length_mm']:.1f} mm, "
              f"velocity {s['mean_velocity_mm_s']:.2f} mm/s, "
              f"mean dist {s['mean_distance_mm']:.2f} mm, "
              f"ellipse {s['ellipse95_area_mm2']:.1f} mm^2, "
              f"mean freq {s['mean_frequency_hz']:.3f} Hz")
    s = result["combined"]["sway"]
    print(f"    combined sway: path {s['path_length_mm']:.1f} mm, "
          f"ellipse {s['ellipse95_area_mm2']:.1f} mm^2")
    for key in ("force", "sway_path", "sway_area"):
        a = asym[key]
        print(f"    asymmetry {key:9s}: {a['asymmetry_pct']:.2f} % ({a['dominant']}), "
              f"SI {a['symmetry_index_pct']:+.2f} %")


def make_example() -> None:
    csv_path = EXAMPLES / "quiet-stance-dual.csv"
    make_example_recording(csv_path)
    time_s, cells = read_recording(csv_path)

    print("expected `stance analyze --json` for Examples/quiet-stance-dual.csv:")
    for lowpass, suffix, label in ((10.0, "analyze", "lowpass 10 Hz"),
                                   (0.0, "analyze-nofilter", "no filter")):
        result = analyze(time_s, cells, lowpass_hz=lowpass)
        options = {"lowpass_hz": int(lowpass), "order": 4, "plate_spacing_mm": 450}
        summarize(label, result)
        write_json(CLI_FIXTURES / f"quiet-stance-dual.{suffix}.json",
                   {"generator": GENERATOR, "options": options, "expected": result})


# ---------------------------------------------------------------------------
# e) IMU segment kinematics and trunk sway
# ---------------------------------------------------------------------------

def segment_angles(rotation):
    """Sagittal and frontal angles (rad) of sensors with these orientations (sensor -> earth,
    earth NWU; sensor x forward, y left, z up): from earth's up seen in the sensor frame."""
    up = rotation.inv().apply([0.0, 0.0, 1.0])
    return np.arctan2(-up[:, 0], up[:, 2]), np.arctan2(up[:, 1], up[:, 2])


def make_imu_kinematics() -> None:
    from scipy.spatial.transform import Rotation

    rng = np.random.default_rng(20121125)
    fs, n, window_s = 100.0, 1200, 5.0
    capacity = int(round(window_s * fs))
    t = np.arange(n) / fs
    # A squat-like sagittal swing, a little frontal sway and a wandering heading, composed as
    # heading, then pitch, then roll (the angles the metrics report differ from these inputs).
    yaw = 0.4 * np.sin(2 * np.pi * 0.05 * t) + 0.3
    pitch = 0.5 * (1 - np.cos(2 * np.pi * 0.35 * t)) + smooth_noise(rng, n, fs, 2.0) * 0.02
    roll = 0.08 * np.sin(2 * np.pi * 0.6 * t + 1.0) + smooth_noise(rng, n, fs, 2.0) * 0.01
    rotation = Rotation.from_euler("ZYX", np.column_stack([yaw, pitch, roll]))
    quaternions = rotation.as_quat(scalar_first=True)
    gyro = np.column_stack([np.gradient(roll, 1 / fs), np.gradient(pitch, 1 / fs), np.gradient(yaw, 1 / fs)])
    gyro += rng.normal(0.0, 0.01, size=gyro.shape)
    accel = rotation.inv().apply([0.0, 0.0, G]) + rng.normal(0.0, 0.05, size=(n, 3))
    sagittal, frontal = segment_angles(rotation)
    sagittal_deg, frontal_deg = np.degrees(sagittal), np.degrees(frontal)
    gyro_y_deg = np.degrees(gyro[:, 1])
    # The horizontal acceleration, low-passed causally at 3.5 Hz (4th-order Butterworth, Mancini
    # et al. 2012), started at the first sample's level.
    sos = scipy.signal.butter(4, 3.5, "lowpass", fs=fs, output="sos")
    zi = scipy.signal.sosfilt_zi(sos)
    ml = scipy.signal.sosfilt(sos, -accel[:, 1], zi=zi * -accel[0, 1])[0]
    ap = scipy.signal.sosfilt(sos, accel[:, 0], zi=zi * accel[0, 0])[0]
    jerk_terms = np.zeros(n)
    jerk_terms[1:] = 0.5 * ((np.diff(ap) * fs) ** 2 + (np.diff(ml) * fs) ** 2) / fs

    checkpoints = []
    for k in list(range(2, n, 97)) + [n - 1]:
        lo = max(0, k + 1 - capacity)
        window = slice(lo, k + 1)
        jerk_lo = max(1, k + 1 - capacity)
        checkpoints.append({
            "index": k,
            "sagittal_deg": float(sagittal_deg[k]),
            "frontal_deg": float(frontal_deg[k]),
            "range_of_motion_deg": float(sagittal_deg[window].max() - sagittal_deg[window].min()),
            "peak_angular_velocity_deg_s": float(np.abs(gyro_y_deg[window]).max()),
            "tilt": sway_metrics(frontal_deg[window], sagittal_deg[window], fs),
            "acceleration": sway_metrics(ml[window], ap[window], fs),
            "jerk_m2_s5": float(jerk_terms[jerk_lo:k + 1].sum()),
        })
    write_json(DSP_FIXTURES / "imu_kinematics.json", {
        "generator": GENERATOR, "rate_hz": fs, "window_s": window_s,
        "quaternion_wxyz": quaternions.tolist(), "gyro_rad_s": gyro.tolist(), "accel_m_s2": accel.tolist(),
        "checkpoints": checkpoints,
    })


def main() -> None:
    make_butterworth()
    make_sosfilt()
    make_sway()
    make_asymmetry()
    make_imu_kinematics()
    make_example()


if __name__ == "__main__":
    main()
