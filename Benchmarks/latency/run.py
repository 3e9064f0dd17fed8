#!/usr/bin/env python3
"""End-to-end latency of live samples, Stance against Lab Streaming Layer, in one run.

(a) LSL: an outlet in this process pushes 8 float32 channels at 1 kHz (one push per sample,
    channel 0 = a counter) to inlets in other processes.
(b) Stance: this process writes the Stance line protocol at 1 kHz into a pseudo-terminal that
    stanced reads as its serial device; subscribers in other processes watch `samples`, or
    METRICS at 1 kHz (whose `sample_seq` names the newest sample each one includes).
(c) stanced's CPU time and memory at 1 kHz while 8 clients watch METRICS at 50 Hz.

Latency = the subscriber's CLOCK_MONOTONIC when the read (or pull) that completed the sample
returned, minus the writer's CLOCK_MONOTONIC right after os.write (or push_sample) returned. Both
sides use the same kind of subscriber: a small C program (stance_reader.c, lsl_inlet.c), compiled
here with gcc, that keeps its stamps in memory until the end. A pylsl inlet is measured too, to
compare with figures taken with Python on both sides, and the pseudo-terminal alone (a C reader on
its secondary side, no daemon), the floor under every Stance figure.

Files: harness.py (writer, subscriber processes, statistics), lsl_side.py, stance_side.py; this
file runs the cases and prints the report.

    python3 Benchmarks/latency/run.py --stanced .build/release/stanced --json-out latency.json
    python3 Benchmarks/latency/run.py --stanced … --seconds 2 --cpu-seconds 3   # CI smoke run

Prints Markdown tables; exits non-zero when stanced does not start or a subscriber gets nothing.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import CHANNELS, RATE_HZ, BenchError, compile_helpers, cpu_pressure_us, machine_jiffies, \
    tighten_timer_slack, wait_until_quiet  # noqa: E402
from lsl_side import find_liblsl, import_pylsl, pylsl_inlet_main, run_lsl, write_lsl_config  # noqa: E402
from stance_side import run_pty_floor, run_reader_cpu, run_stance_latency, run_stance_resources, sample_lines  # noqa: E402


def microseconds(value):
    return "—" if value is None else f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}"


def metrics_latency(figures):
    if not figures or not figures["latencies_measured"]:
        return "—"
    return (f"{figures['latencies_measured']:,}, {microseconds(figures['p50_us'])} / {microseconds(figures['p99_us'])} / "
            f"{microseconds(figures['max_us'])}")


def report(results, args):
    lsl_reference = {row["clients"]: row for row in results["latency"] if row["system"] == "LSL" and "C inlet" in row["client"]}
    out = ["| system | stream | subscriber | clients | samples per client (latencies pooled) | p50 (µs) | p99 (µs) | "
           "max (µs) | stamped before the write returned (%) | from write start: p50 / p99 (µs) | write call: p50 / p99 (µs) | "
           "lost per client, max (samples) | p99 ÷ LSL p99, same clients | stanced CPU (% of one core) | stanced VmHWM (MB) | "
           "CPU pressure: some task waiting (% of time) |",
           "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    order = {"LSL": 0, "pseudo-terminal alone": 1, "Stance": 2}
    for row in sorted(results["latency"], key=lambda row: (row["clients"], order[row["system"]], "pylsl" in row["client"])):
        reference = lsl_reference.get(row["clients"])
        ratio = "—"
        if row["system"] == "Stance" and reference and reference["p99_us"]:
            ratio = f"{row['p99_us'] / reference['p99_us']:.2f}"
            row["p99_ratio_to_lsl"] = row["p99_us"] / reference["p99_us"]
        cpu = f"{row['cpu_percent_of_one_core']:.1f}" if "cpu_percent_of_one_core" in row else "—"
        hwm = f"{row['vmhwm_mb']:.1f}" if "vmhwm_mb" in row else "—"
        pressure = "—" if row.get("cpu_pressure_some_percent") is None else f"{row['cpu_pressure_some_percent']:.1f}"
        early = 100 * row["received_before_writer_stamp"] / max(1, row["latencies_measured"])
        out.append(f"| {row['system']} | {row['stream']} | {row['client']} | {row['clients']} | "
                   f"{row['samples_written']:,} ({row['latencies_measured']:,}) | {microseconds(row['p50_us'])} | "
                   f"{microseconds(row['p99_us'])} | {microseconds(row['max_us'])} | {early:.1f} | "
                   f"{microseconds(row['from_call_start_p50_us'])} / {microseconds(row['from_call_start_p99_us'])} | "
                   f"{microseconds(row['write_call_p50_us'])} / {microseconds(row['write_call_p99_us'])} | "
                   f"{row['lost_max']} | {ratio} | {cpu} | {hwm} | {pressure} |")
    if results["resources"]:
        out += ["", "| stanced at 1 kHz, clients | window (s) | CPU (% of one core) | goal ≤ 2 % | VmRSS (MB) | "
                "VmHWM (MB) | RSS anonymous / file-backed (MB) | goal ≤ 30 MB | busiest threads: CPU (%), voluntary switches (/s) | "
                "50 Hz METRICS latency: lines, p50 / p99 / max (µs) |",
                "|---|---:|---:|---|---:|---:|---:|---|---|---|"]
        for row in results["resources"]:
            cpu_ok = "met" if row["cpu_percent_of_one_core"] <= 2 else "missed"
            memory_ok = "met" if row["vmhwm_mb"] <= 30 else "missed"
            busiest = sorted(row["threads"], key=lambda thread: -thread["voluntary_switches_per_s"])[:4]
            threads = "; ".join(f"{thread['tid']}: {thread['cpu_percent_of_one_core']:.1f} %, "
                                f"{thread['voluntary_switches_per_s']:,.0f}/s" for thread in busiest)
            reference = results.get("cpu_reference", {}).get("reader_cpu_percent_of_one_core")
            ratio = f" ({row['cpu_percent_of_one_core'] / reference:.1f}× the bare reader's {reference:.2f} %)" if reference else ""
            out.append(f"| {row['clients']} | {row['cpu_window_s']:.1f} | {row['cpu_percent_of_one_core']:.2f}{ratio} | {cpu_ok} | "
                       f"{row['vmrss_mb']:.1f} | {row['vmhwm_mb']:.1f} | {row['rss_anon_mb']:.1f} / {row['rss_file_mb']:.1f} | "
                       f"{memory_ok} | {threads} | {metrics_latency(row.get('metrics_latency'))} |")
    out += ["",
            f"Writer: Python {platform.python_version()} in one process, paced at 1 kHz; for Stance `os.write` of one "
            "line-protocol line into a pseudo-terminal read by stanced, for LSL one `push_sample` of 8 float32. "
            "Latency = subscriber's CLOCK_MONOTONIC when its read/pull returned − writer's CLOCK_MONOTONIC right after the "
            "write/push returned; a subscriber that runs while the writer is preempted inside or just after the call stamps "
            "first (negative values, counted in 'stamped before the write returned'), so the figures from the start of "
            "the call are given too. "
            f"Subscribers: one process each. First {args.warmup:g} s of each run skipped; p50/p99 nearest-rank over "
            "all clients' samples pooled. MB = 10^6 bytes. METRICS latency is of the newest sample each METRICS line includes "
            "(`sample_seq`); its lost count is of samples no METRICS line named. "
            f"Machine: {os.cpu_count()} cores, Linux {platform.release()}"
            + (f"; pylsl {results['environment']['pylsl']} with liblsl {results['environment']['liblsl']}, discovery "
               "confined to 127.0.0.1." if "liblsl" in results["environment"] else ".")]
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stanced", help="the stanced binary (release build)")
    parser.add_argument("--seconds", type=float, default=12, help="measured seconds per latency case (default 12: 12,000 samples)")
    parser.add_argument("--warmup", type=float, default=1, help="seconds skipped at the start of each case (default 1)")
    parser.add_argument("--cpu-seconds", type=float, default=30, help="window of the CPU measurement (default 30)")
    parser.add_argument("--many", type=int, default=32, help="clients in the many-clients cases (default 32)")
    parser.add_argument("--skip-lsl", action="store_true", help="Stance only")
    parser.add_argument("--skip-stance", action="store_true", help="LSL only")
    parser.add_argument("--skip-cpu", action="store_true", help="no CPU/memory cases")
    parser.add_argument("--skip-latency", action="store_true", help="only the CPU/memory cases")
    parser.add_argument("--no-wait-quiet", dest="wait_quiet", action="store_false",
                        help="start each case at once, without waiting (≤ 60 s) for a second of < 30 %% machine load")
    parser.add_argument("--json-out", help="also write every figure here as JSON")
    parser.add_argument("--pylsl-inlet", nargs=2, metavar=("SOURCE_ID", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pylsl_inlet:
        return pylsl_inlet_main(*args.pylsl_inlet)
    if not args.skip_stance:
        if not args.stanced:
            parser.error("--stanced PATH is required (or --skip-stance)")
        if not os.access(args.stanced, os.X_OK):
            raise BenchError(f"stanced not found or not executable: {args.stanced}")
    tighten_timer_slack()
    count = int((args.seconds + args.warmup) * RATE_HZ)
    results = {"latency": [], "resources": [], "environment": {
        "cores": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version(),
        "rate_hz": RATE_HZ, "channels": CHANNELS, "measured_seconds": args.seconds, "warmup_seconds": args.warmup}}
    with tempfile.TemporaryDirectory(prefix="stance-latency-") as directory:
        pylsl = None
        if not args.skip_lsl:
            pylsl = import_pylsl(write_lsl_config(directory))
            results["environment"]["pylsl"] = getattr(pylsl, "__version__", "?")
            results["environment"]["liblsl"] = pylsl.library_version()
        reader, inlet = compile_helpers(directory, find_liblsl(pylsl) if pylsl else None)
        if not args.skip_stance:
            results["environment"]["stanced"] = subprocess.run([args.stanced, "--version"], capture_output=True,
                                                               text=True).stdout.strip()
        # Interleaved, so that LSL and Stance cases with the same clients run close in time (a load
        # that comes and goes on the machine then hits both); the table groups them again.
        lsl = not args.skip_lsl and not args.skip_latency
        stance = not args.skip_stance and not args.skip_latency
        cases = [("pseudo-terminal alone", "line protocol", 1, None)] if stance else []
        for clients in (1, args.many):
            if lsl:
                cases.append(("LSL", "8 × float32", clients, "c"))
            if stance:
                cases += [("Stance", "samples", clients, None), ("Stance", "METRICS at 1 kHz", clients, None)]
            if lsl and clients == 1:
                cases.append(("LSL", "8 × float32", 1, "python"))
        lines = sample_lines(count) if not args.skip_stance else None
        for system, stream, clients, flavour in cases:
            label = f"{system}-{stream.split()[0]}-{clients}-{flavour or 'c'}".lower().replace(" ", "-")
            print(f"… {system} {stream}, {clients} client(s){' (pylsl inlet)' if flavour == 'python' else ''}", file=sys.stderr)
            idle_before = wait_until_quiet() if args.wait_quiet else None
            busy_before, pressure_before, wall_before = machine_jiffies(), cpu_pressure_us(), time.monotonic()
            if system == "pseudo-terminal alone":
                row = run_pty_floor(args, reader, lines, directory)
            elif system == "LSL":
                row = run_lsl(pylsl, args, inlet, count, directory, label, clients, python_inlet=flavour == "python")
            else:
                row = run_stance_latency(args, reader, lines, directory, label,
                                         "samples" if stream == "samples" else "metrics", clients)
            busy_after, pressure_after, wall_after = machine_jiffies(), cpu_pressure_us(), time.monotonic()
            row.update(system=system, stream=stream, clients=clients,
                       machine_busy_percent=100 * (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1]),
                       machine_busy_before_percent=None if idle_before is None else 100 * idle_before,
                       cpu_pressure_some_percent=None if pressure_before is None else
                       (pressure_after - pressure_before) / 1e4 / (wall_after - wall_before))
            results["latency"].append(row)
        if not args.skip_stance and not args.skip_cpu:
            print(f"… reference: the C reader alone on the pseudo-terminal, {args.cpu_seconds:g} s", file=sys.stderr)
            if args.wait_quiet:
                wait_until_quiet()
            results["cpu_reference"] = run_reader_cpu(args, reader, directory)
            for with_samples in (False, True):
                print(f"… stanced CPU and memory, {args.cpu_seconds:g} s{' (+1 samples client)' if with_samples else ''}",
                      file=sys.stderr)
                if args.wait_quiet:
                    wait_until_quiet()
                results["resources"].append(run_stance_resources(args, reader, directory,
                                                                 f"resources-{int(with_samples)}", with_samples))
    table = report(results, args)
    print(table)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"latency benchmark: {error}", file=sys.stderr)
        sys.exit(1)
