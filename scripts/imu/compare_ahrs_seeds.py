#!/usr/bin/env python3
"""Orientation accuracy over many seeds: `compare_ahrs.py`'s comparison (the same files, filters
and error measures) run for each of --seeds, summarised per case (scenario, segment, rate, 6- or
9-axis) as the mean RMS error over the seeds for each filter, with how many seeds Stance's RMS was
the lowest or within 2 % of it; then the same for the maximum error. One seed's table depends on
that seed's sensor-bias draws (which filter sits closest to the truth changes from seed to seed);
the mean over seeds does less, and the 95 % bootstrap interval of Stance's mean over the best
other's (resampling the seeds) says how much less. --combine pools the --json files of earlier
runs (different seeds) into one table without running anything. --others-from takes the other
filters' figures from earlier --json runs over the same seeds and runs only Stance, for judging a
new build in a tenth of the time (the others' figures do not depend on it; the files are
regenerated from the seeds, so the simulator must be the same).

Usage (from the repository root; a release `stance` is much faster):
    python3 scripts/imu/compare_ahrs_seeds.py --stance $(swift build -c release --show-bin-path)/stance \
        --seeds 6-15 [--rates 100,1000] [--duration-s 60] [--json PATH]
    python3 scripts/imu/compare_ahrs_seeds.py --combine RUN1.json RUN2.json ...
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_ahrs  # noqa: E402


def parse_seeds(text: str) -> list[int]:
    seeds: list[int] = []
    for part in text.split(","):
        if "-" in part:
            first, last = (int(x) for x in part.split("-"))
            seeds += list(range(first, last + 1))
        else:
            seeds.append(int(part))
    return seeds


def ratio_interval(by_filter: dict, seed_count: int, resamples: int = 4000) -> tuple[float, float]:
    """95 % bootstrap interval of Stance's mean over the best other filter's mean (the best picked
    again in each resample of the seeds; a fixed generator seed, so the figures repeat)."""
    rng = np.random.default_rng(20261126)
    stance = np.asarray(by_filter["stance"])
    others = [np.asarray(values) for name, values in by_filter.items() if name != "stance"]
    ratios = []
    for _ in range(resamples):
        pick = rng.integers(0, seed_count, seed_count)
        ratios.append(stance[pick].mean() / min(values[pick].mean() for values in others))
    low, high = np.percentile(ratios, [2.5, 97.5])
    return float(low), float(high)


def print_table(table: dict, seed_count: int) -> None:
    """One Markdown row per case: each filter's mean over the seeds, Stance's mean over the best
    other filter's with its 95 % bootstrap interval over the seeds, and the seeds on which
    Stance's figure was the lowest or within 2 % of it."""
    header = ["axes", "scenario (segment)", "rate Hz"] + list(compare_ahrs.FILTERS) + [
        "Stance vs best mean", "95 % interval", "seeds Stance best or within 2 %"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for (axes, scenario, segment, rate), by_filter in sorted(table.items()):
        means = {name: float(np.mean(values)) for name, values in by_filter.items()}
        others = {name: value for name, value in means.items() if name != "stance"}
        best_name = min(others, key=others.get)
        ratio = means["stance"] / others[best_name]
        wins = sum(1 for i in range(seed_count)
                   if by_filter["stance"][i] <= 1.02 * min(by_filter[name][i] for name in others))
        cells = [axes, f"{scenario} ({segment})", f"{rate:g}"] + [f"{means[name]:.3f}" for name in compare_ahrs.FILTERS]
        low, high = ratio_interval(by_filter, seed_count)
        cells += [f"{ratio:.2f}x {best_name}", f"{low:.2f}-{high:.2f}", f"{wins} of {seed_count}"]
        print("| " + " | ".join(cells) + " |")


def run_figures(path: str) -> tuple[dict, list]:
    """An earlier --json run: the file's object, and its figures as (measure, (axes, scenario,
    segment, rate), filter, one value per seed) rows."""
    with open(path) as f:
        run = json.load(f)
    rows = []
    for measure in ("rms_deg", "max_deg"):
        for text, by_filter in run[measure].items():
            axes, scenario, segment, rate = text.split()
            for name, values in by_filter.items():
                rows.append((measure, (axes, scenario, segment, float(rate)), name, values))
    return run, rows


def load_others(paths: list[str], duration_s: float) -> dict:
    """The other filters' figures of earlier --json runs: seed → (scenario, segment, rate) →
    (axes, filter) → {rms_deg, max_deg}."""
    figures: dict = {}
    for path in paths:
        run, rows = run_figures(path)
        if run["duration_s"] != duration_s:
            raise SystemExit(f"compare_ahrs_seeds: {path}: {run['duration_s']} s files, not {duration_s:g} s")
        for measure, (axes, scenario, segment, rate), name, values in rows:
            if name == "stance":
                continue
            for seed, value in zip(run["seeds"], values):
                case = figures.setdefault(seed, {}).setdefault((scenario, segment, rate), {})
                case.setdefault((axes, name), {})[measure] = value
    return figures


def combine(paths: list[str]) -> int:
    """The tables of several earlier runs (their --json files), their seeds pooled."""
    seeds: list[int] = []
    tables: dict[str, dict[tuple, dict[str, list[float]]]] = {"rms_deg": {}, "max_deg": {}}
    for path in paths:
        run, rows = run_figures(path)
        overlap = set(seeds) & set(run["seeds"])
        if overlap:
            raise SystemExit(f"compare_ahrs_seeds: {path}: seeds {sorted(overlap)} are already in an earlier file")
        seeds += run["seeds"]
        for measure, case, name, values in rows:
            tables[measure].setdefault(case, {}).setdefault(name, []).extend(values)
    print(f"pooled from {', '.join(paths)}: seeds {','.join(str(s) for s in seeds)} ({len(seeds)}), degrees")
    for title, measure in (("mean RMS error over the seeds", "rms_deg"), ("mean maximum error over the seeds", "max_deg")):
        print()
        print(title)
        print_table(tables[measure], len(seeds))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stance", metavar="PATH", help="the stance binary (not with --combine)")
    ap.add_argument("--combine", nargs="+", metavar="JSON",
                    help="summarise earlier runs' --json files, their seeds pooled, instead of running")
    ap.add_argument("--seeds", default="6-15", help="seeds, e.g. 6-15 or 1,5,6-9 (2-4 tuned the defaults)")
    ap.add_argument("--rates", default="100,1000")
    ap.add_argument("--duration-s", type=float, default=60.0)
    ap.add_argument("--settle-s", type=float, default=2.0)
    ap.add_argument("--json", metavar="PATH", help="also write every seed's figures as JSON")
    ap.add_argument("--others-from", nargs="+", metavar="JSON",
                    help="take the other filters' figures from these earlier --json runs (every seed, "
                         "the same duration) and run only Stance")
    args = ap.parse_args()
    if args.combine:
        return combine(args.combine)
    if not args.stance:
        ap.error("--stance is required (or --combine)")
    if not compare_ahrs.simulator_available(args.stance):
        raise SystemExit("compare_ahrs_seeds: `stance simulate --imu-csv` is not available in this build")
    seeds = parse_seeds(args.seeds)
    rates = [float(r) for r in args.rates.split(",")]
    rms: dict[tuple, dict[str, list[float]]] = {}
    maxima: dict[tuple, dict[str, list[float]]] = {}
    earlier = load_others(args.others_from, args.duration_s) if args.others_from else None
    if earlier is not None:
        missing = [seed for seed in seeds if seed not in earlier]
        if missing:
            raise SystemExit(f"compare_ahrs_seeds: --others-from has no figures for seeds {missing}")
    filters = ("stance",) if earlier is not None else compare_ahrs.FILTERS
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="stance-ahrs-seeds-") as directory:
        for seed in seeds:
            for scenario, segment in compare_ahrs.CASES:
                for rate in rates:
                    path = compare_ahrs.make_csv(args.stance, True, scenario, segment, rate, args.duration_s, seed, directory)
                    errors = compare_ahrs.evaluate(args.stance, path, rate, args.settle_s, directory, filters)
                    os.remove(path)
                    if earlier is not None:
                        for (axes, name), figures in earlier[seed][(scenario, segment, rate)].items():
                            errors[(axes, name)] = figures
                    for (axes, name), figures in errors.items():
                        rms.setdefault((axes, scenario, segment, rate), {}).setdefault(name, []).append(figures["rms_deg"])
                        maxima.setdefault((axes, scenario, segment, rate), {}).setdefault(name, []).append(figures["max_deg"])
            print(f"  seed {seed} done, {time.monotonic() - started:.0f} s", file=sys.stderr)
    print(f"data: stance simulate --imu-csv, {args.duration_s:g} s per file, seeds {args.seeds} ({len(seeds)}), "
          f"errors after the first {args.settle_s:g} s, degrees")
    for title, table in (("mean RMS error over the seeds", rms), ("mean maximum error over the seeds", maxima)):
        print()
        print(title)
        print_table(table, len(seeds))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"seeds": seeds, "duration_s": args.duration_s,
                       "rms_deg": {" ".join(str(k) for k in key): value for key, value in rms.items()},
                       "max_deg": {" ".join(str(k) for k in key): value for key, value in maxima.items()}}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
