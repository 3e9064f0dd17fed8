#!/usr/bin/env python3
"""Fallback IMU ground truth for scripts/imu/compare_ahrs.py: known orientation trajectories and
the gyroscope, accelerometer and magnetometer readings they produce, with noise and bias.

Used ONLY when `stance simulate --imu-csv` is not available (the simulator in StanceSimulation is
the reference source of IMU ground truth). Writes the same CSV header as `stance simulate
--imu-csv`:

    time_s,true_qw,true_qx,true_qy,true_qz,gx_rad_s,gy_rad_s,gz_rad_s,ax_m_s2,ay_m_s2,az_m_s2,mx_uT,my_uT,mz_uT

The truth is analytic, so it is exact at any rate: each trajectory gives roll, pitch and yaw as
sums of sines (Z-Y-X Euler angles, q = Rz(yaw) Ry(pitch) Rx(roll), sensor -> earth NWU) with
their time derivatives, and the segment's linear acceleration in the earth frame. Then
  gyroscope     = the body-frame angular velocity from the Euler rates + bias + noise, where the
                  bias is constant (0.5 deg/s per axis, signs by seed) plus a random walk (drift)
  accelerometer = R^T (a_linear + (0, 0, 9.80665)) + noise
  magnetometer  = R^T m_earth + noise, m_earth 50 uT, inclination 65 deg down, declination 0
                  (earth x is magnetic north; the subject faces yaw0 from it at the start)

Usage:
    python3 scripts/imu/imu_trajectories.py --scenario squat --rate-hz 100 --duration-s 60 \\
        --seed 1 --imu-csv /tmp/squat.csv [--imu-noise none]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

G = 9.80665
HEADER = ("time_s,true_qw,true_qx,true_qy,true_qz,gx_rad_s,gy_rad_s,gz_rad_s,"
          "ax_m_s2,ay_m_s2,az_m_s2,mx_uT,my_uT,mz_uT")
SCENARIOS = ("quiet-stance", "squat", "step-up", "single-leg-stance")

# Sensor errors (per axis, standard deviations unless said otherwise): a consumer MEMS IMU.
GYRO_NOISE_RAD_S = 0.005          # white noise at the output rate (0.29 deg/s)
GYRO_BIAS_RAD_S = np.deg2rad(0.5)  # constant part of the bias
GYRO_BIAS_WALK_RAD_S_PER_SQRT_S = 0.0003  # drift of the bias (random walk)
ACCEL_NOISE_M_S2 = 0.03
MAG_NOISE_UT = 0.4
FIELD_UT = 50.0
INCLINATION_DEG = 65.0


def sines(t: np.ndarray, terms) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """sum of a sin(2 pi f t + phase) + offset: value, first and second derivative."""
    value = np.zeros_like(t)
    rate = np.zeros_like(t)
    accel = np.zeros_like(t)
    for amplitude, frequency, phase in terms:
        w = 2 * np.pi * frequency
        value += amplitude * np.sin(w * t + phase)
        rate += amplitude * w * np.cos(w * t + phase)
        accel -= amplitude * w * w * np.sin(w * t + phase)
    return value, rate, accel


def trajectory(scenario: str, t: np.ndarray, rng: np.random.Generator):
    """Euler angles (rad) and their rates, and the linear acceleration (m/s^2, earth frame)."""
    deg = np.pi / 180
    ph = lambda: rng.uniform(0, 2 * np.pi)  # noqa: E731
    lin = [[], [], []]  # sine terms of the earth-frame position (m) per axis
    if scenario == "quiet-stance":
        roll = [(0.8 * deg, 0.13, ph()), (0.5 * deg, 0.41, ph()), (0.2 * deg, 1.1, ph())]
        pitch = [(1.2 * deg, 0.09, ph()), (0.6 * deg, 0.33, ph()), (0.25 * deg, 0.9, ph())]
        yaw = [(1.5 * deg, 0.05, ph())]
        lin = [[(0.006, 0.09, ph())], [(0.004, 0.13, ph())], []]
    elif scenario == "squat":
        # One squat every 2.5 s: the segment pitches forward 35 deg and drops 0.35 m.
        roll = [(3 * deg, 0.4, ph()), (1 * deg, 1.3, ph())]
        pitch = [(17.5 * deg, 0.4, 0.0), (4 * deg, 0.8, ph()), (1 * deg, 2.1, ph())]
        yaw = [(4 * deg, 0.4, ph()), (10 * deg, 0.03, ph())]
        lin = [[(0.08, 0.4, ph())], [(0.02, 0.4, ph())], [(0.175, 0.4, 0.0), (0.03, 0.8, ph())]]
    elif scenario == "step-up":
        # A step every 2 s: fast pitch swings (to about 50 deg), vertical bursts, turning.
        roll = [(5 * deg, 0.5, ph()), (2 * deg, 1.5, ph())]
        pitch = [(25 * deg, 0.5, 0.0), (10 * deg, 1.0, ph()), (4 * deg, 2.0, ph())]
        yaw = [(20 * deg, 0.1, ph()), (6 * deg, 0.5, ph())]
        lin = [[(0.15, 0.5, ph()), (0.03, 1.5, ph())], [(0.05, 0.5, ph())],
               [(0.1, 0.5, 0.0), (0.06, 1.0, ph()), (0.02, 2.0, ph())]]
    elif scenario == "single-leg-stance":
        roll = [(2.5 * deg, 0.21, ph()), (1.2 * deg, 0.7, ph()), (0.5 * deg, 1.9, ph())]
        pitch = [(2.0 * deg, 0.17, ph()), (1.0 * deg, 0.6, ph()), (0.4 * deg, 1.6, ph())]
        yaw = [(3 * deg, 0.11, ph()), (1 * deg, 0.5, ph())]
        lin = [[(0.01, 0.21, ph()), (0.004, 0.7, ph())], [(0.012, 0.17, ph())], [(0.003, 1.0, ph())]]
    else:
        raise SystemExit(f"unknown scenario {scenario}; one of {', '.join(SCENARIOS)}")
    yaw0 = rng.uniform(-np.pi, np.pi)  # the subject's heading from magnetic north
    r, dr, _ = sines(t, roll)
    p, dp, _ = sines(t, pitch)
    y, dy, _ = sines(t, yaw)
    y = y + yaw0
    linear = np.stack([sines(t, terms)[2] for terms in lin], axis=1)
    return r, p, y, dr, dp, dy, linear


def euler_to_quaternion(r, p, y) -> np.ndarray:
    """q = Rz(y) Ry(p) Rx(r) as (w, x, y, z) rows."""
    cr, sr = np.cos(r / 2), np.sin(r / 2)
    cp, sp = np.cos(p / 2), np.sin(p / 2)
    cy, sy = np.cos(y / 2), np.sin(y / 2)
    return np.stack([cy * cp * cr + sy * sp * sr,
                     cy * cp * sr - sy * sp * cr,
                     cy * sp * cr + sy * cp * sr,
                     sy * cp * cr - cy * sp * sr], axis=1)


def rotate_to_sensor(q: np.ndarray, v: np.ndarray) -> np.ndarray:
    """R(q)^T v for rows of q (w, x, y, z) and rows (or one row) of v."""
    w, x, y, z = q.T
    r = np.empty((len(q), 3, 3))
    r[:, 0, 0] = 1 - 2 * (y * y + z * z)
    r[:, 0, 1] = 2 * (x * y - w * z)
    r[:, 0, 2] = 2 * (x * z + w * y)
    r[:, 1, 0] = 2 * (x * y + w * z)
    r[:, 1, 1] = 1 - 2 * (x * x + z * z)
    r[:, 1, 2] = 2 * (y * z - w * x)
    r[:, 2, 0] = 2 * (x * z - w * y)
    r[:, 2, 1] = 2 * (y * z + w * x)
    r[:, 2, 2] = 1 - 2 * (x * x + y * y)
    return np.einsum("nji,nj->ni", r, np.broadcast_to(v, (len(q), 3)))


def generate(scenario: str, rate_hz: float, duration_s: float, seed: int, noisy: bool = True) -> np.ndarray:
    rng = np.random.default_rng([seed, SCENARIOS.index(scenario) if scenario in SCENARIOS else 99])
    n = int(round(duration_s * rate_hz))
    t = np.arange(n) / rate_hz
    r, p, y, dr, dp, dy, linear = trajectory(scenario, t, rng)
    q = euler_to_quaternion(r, p, y)
    # Body angular velocity of Z-Y-X Euler angles.
    gyro = np.stack([dr - dy * np.sin(p),
                     dp * np.cos(r) + dy * np.sin(r) * np.cos(p),
                     -dp * np.sin(r) + dy * np.cos(r) * np.cos(p)], axis=1)
    accel = rotate_to_sensor(q, linear + np.array([0.0, 0.0, G]))
    inclination = np.deg2rad(INCLINATION_DEG)
    field = FIELD_UT * np.array([np.cos(inclination), 0.0, -np.sin(inclination)])
    mag = rotate_to_sensor(q, field)
    if noisy:
        bias = GYRO_BIAS_RAD_S * rng.choice([-1.0, 1.0], size=3)
        drift = np.cumsum(rng.normal(0, GYRO_BIAS_WALK_RAD_S_PER_SQRT_S / np.sqrt(rate_hz), size=(n, 3)), axis=0)
        gyro = gyro + bias + drift + rng.normal(0, GYRO_NOISE_RAD_S, size=(n, 3))
        accel = accel + rng.normal(0, ACCEL_NOISE_M_S2, size=(n, 3))
        mag = mag + rng.normal(0, MAG_NOISE_UT, size=(n, 3))
    return np.column_stack([t, q, gyro, accel, mag])


def write_csv(path: str, rows: np.ndarray) -> None:
    np.savetxt(path, rows, delimiter=",", header=HEADER, comments="", fmt="%.9g")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", required=True, choices=SCENARIOS)
    ap.add_argument("--rate-hz", type=float, default=100.0)
    ap.add_argument("--duration-s", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--imu-noise", choices=("default", "none"), default="default")
    ap.add_argument("--imu-csv", required=True, metavar="PATH")
    args = ap.parse_args()
    write_csv(args.imu_csv, generate(args.scenario, args.rate_hz, args.duration_s, args.seed,
                                     noisy=args.imu_noise == "default"))
    print(f"imu_trajectories.py (fallback generator, not StanceSimulation): wrote {args.imu_csv}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
