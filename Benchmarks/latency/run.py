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
sides use the same kind of subscriber: a small C program, compiled here with gcc, that keeps its
stamps in memory until the end. A pylsl inlet is measured too, to compare with figures taken with
Python on both sides.

    python3 Benchmarks/latency/run.py --stanced .build/release/stanced --json-out latency.json
    python3 Benchmarks/latency/run.py --stanced … --seconds 2 --cpu-seconds 3   # CI smoke run

Prints Markdown tables; exits non-zero when stanced does not start or a subscriber gets nothing.
"""
import argparse
import array
import ctypes
import gc
import json
import os
import platform
import random
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tty
from pathlib import Path

HERE = Path(__file__).resolve().parent
RATE_HZ = 1000
PERIOD_NS = 1_000_000_000 // RATE_HZ
CHANNELS = 8
HEADER = b"#stance-line/1 channels=8 rate_hz=1000 units=N layout=dual-plate id=BENCH\n"
SAMPLES_REQUEST = '{"cmd":"watch","streams":["samples"]}'
METRICS_REQUEST = '{{"cmd":"watch","streams":["metrics"],"rate_hz":{rate}}}'
CLK_TCK = os.sysconf("SC_CLK_TCK")


class BenchError(Exception):
    """A failure that ends the run with a message (stanced did not start, a client got nothing)."""


# --- setup -------------------------------------------------------------------------------------

def import_pylsl(config_path):
    """pylsl (with the liblsl it ships), installed on first use: CI and fresh machines lack it."""
    # liblsl reads its configuration once, when first used: set it before the import.
    os.environ["LSLAPICFG"] = str(config_path)
    try:
        import pylsl
    except ImportError:
        print("installing pylsl (pip install --quiet pylsl)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pylsl"], check=True)
        import pylsl
    return pylsl


def write_lsl_config(directory):
    """Keeps LSL's discovery and data on this machine: stream resolution by unicast to 127.0.0.1
    only, never the default broadcast and multicast groups of the local network."""
    path = Path(directory) / "lsl_api.cfg"
    path.write_text(
        "[ports]\nIPv6 = disable\n"
        "[multicast]\nResolveScope = machine\nAddressesOverride = {127.0.0.1}\nListenAddress = 127.0.0.1\n"
        "[lab]\nKnownPeers = {127.0.0.1}\n"
        "[log]\nlevel = -2\n")
    return path


def compile_helpers(directory, liblsl):
    """Builds the C subscribers into `directory`; returns their paths."""
    gcc = shutil.which("gcc") or shutil.which("cc")
    if not gcc:
        raise BenchError("gcc not found: the subscribers are small C programs compiled at run time")
    reader = Path(directory) / "stance_reader"
    subprocess.run([gcc, "-O2", "-Wall", "-o", reader, HERE / "stance_reader.c"], check=True)
    inlet = None
    if liblsl:
        inlet = Path(directory) / "lsl_inlet"
        subprocess.run([gcc, "-O2", "-Wall", "-o", inlet, HERE / "lsl_inlet.c", liblsl,
                        f"-Wl,-rpath,{Path(liblsl).parent}"], check=True)
    return reader, inlet


def find_liblsl(pylsl):
    for candidate in sorted((Path(pylsl.__file__).parent / "lib").glob("liblsl.so*")):
        return str(candidate)
    raise BenchError("pylsl is installed but its liblsl.so was not found next to it")


def tighten_timer_slack():
    """The writer sleeps between samples; the default 50 µs timer slack would skew its 1 kHz grid."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(29, 1, 0, 0, 0)  # PR_SET_TIMERSLACK, 1 ns
    except (OSError, AttributeError):
        pass


# --- the writer (both sides) -------------------------------------------------------------------

def paced(count, emit, probes=None):
    """Calls emit(i) for i in 0..<count on a 1 kHz grid; returns CLOCK_MONOTONIC just before and
    just after each call. A late writer catches up without sleeping, as a device's burst would.
    probes[i](), if given, runs just after sample i (to read /proc at a chosen moment)."""
    before = array.array("q", bytes(8 * count))
    after = array.array("q", bytes(8 * count))
    now = time.monotonic_ns
    sleep = time.sleep
    probes = probes or {}
    gc.disable()
    try:
        start = now() + 2 * PERIOD_NS
        for index in range(count):
            wait = start + index * PERIOD_NS - now()
            if wait > 0:
                sleep(wait / 1e9)
            before[index] = now()
            emit(index)
            after[index] = now()
            if index in probes:
                probes[index]()
    finally:
        gc.enable()
    return before, after


def sample_lines(count, seed=1):
    """`$SEQ,DEVICE_MICROS,c0..c7*HH\\n` for SEQ = 1…count: cells near 100 N with a little noise."""
    generator = random.Random(seed)
    lines = []
    for index in range(count):
        cells = ",".join(f"{100 + generator.gauss(0, 0.5):.3f}" for _ in range(CHANNELS))
        body = f"{index + 1},{index * 1000 % 2**32},{cells}".encode()
        checksum = 0
        for byte in body:
            checksum ^= byte
        lines.append(b"$" + body + b"*%02X\n" % checksum)
    return lines


# --- subscribers -------------------------------------------------------------------------------

def start_subscribers(commands, directory, label):
    """Starts one process per command (its last argument is its output file) and waits until each
    prints "ready"."""
    processes = []
    for index, command in enumerate(commands):
        out = Path(directory) / f"{label}-{index}.bin"
        log = open(Path(directory) / f"{label}-{index}.err", "w+")
        process = subprocess.Popen([*map(str, command), str(out)], stdout=subprocess.PIPE, stderr=log, text=True)
        processes.append((process, out, log))
    deadline = time.monotonic() + 30
    for process, _, log in processes:
        while True:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([process.stdout], [], [], max(0, remaining))
            line = process.stdout.readline() if ready else ""
            if line.strip() == "ready":
                break
            if not ready or process.poll() is not None or line == "":
                stop_subscribers(processes)
                log.seek(0)
                raise BenchError(f"{label}: a subscriber did not get ready: {log.read().strip() or 'no message'}")
    return processes


def stop_subscribers(processes):
    """SIGTERM, then each one's (sequence, time) pairs and its summary line."""
    results = []
    for process, _, _ in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process, out, log in processes:
        try:
            summary, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            summary, _ = process.communicate()
        log.seek(0)
        errors = log.read().strip()
        log.close()
        pairs = array.array("q")
        if out.exists():
            with open(out, "rb") as file:
                pairs.frombytes(file.read())
        results.append({"pairs": pairs, "summary": summary.strip(), "stderr": errors, "exit": process.returncode})
    return results


def pylsl_inlet_main(source_id, out):
    """The pylsl subscriber (hidden --pylsl-inlet mode): the same loop as lsl_inlet.c, in Python."""
    pylsl = import_pylsl(os.environ.get("LSLAPICFG", ""))
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    streams = pylsl.resolve_byprop("source_id", source_id, 1, 15.0)
    if not streams:
        print(f"pylsl inlet: no stream with source_id {source_id}", file=sys.stderr)
        return 1
    inlet = pylsl.StreamInlet(streams[0], max_buflen=360, max_chunklen=1, recover=False)
    inlet.open_stream(timeout=15.0)
    print("ready", flush=True)
    pairs = array.array("q")
    now = time.monotonic_ns
    gc.disable()
    while not stop:
        values, stamp = inlet.pull_sample(timeout=0.2)
        received = now()
        if stamp is not None:
            pairs.append(int(values[0]))
            pairs.append(received)
    with open(out, "wb") as file:
        pairs.tofile(file)
    print(f"samples={len(pairs) // 2}")
    return 0


# --- statistics --------------------------------------------------------------------------------

def percentile(ordered, fraction):
    """Nearest-rank percentile of a sorted list."""
    if not ordered:
        return None
    rank = max(1, int(-(-fraction * len(ordered) // 1)))
    return ordered[min(rank, len(ordered)) - 1]


def latencies(write_times, results, first_index, first_sequence=1):
    """Latencies (µs, all clients pooled) of the samples written from `first_index` on, and per
    client the samples written in that window that it never received. write_times = (before,
    after) the write call: latency counts from after it; from before it as a second figure."""
    before, after = write_times
    pooled, pooled_from_call, lost = [], [], []
    measured = len(after) - first_index
    for result in results:
        pairs = result["pairs"]
        first_seen = {}
        for position in range(0, len(pairs), 2):
            sequence = pairs[position]
            if sequence not in first_seen:
                first_seen[sequence] = pairs[position + 1]
        count = 0
        for index in range(first_index, len(after)):
            received = first_seen.get(index + first_sequence)
            if received is not None:
                pooled.append((received - after[index]) / 1000)
                pooled_from_call.append((received - before[index]) / 1000)
                count += 1
        lost.append(measured - count)
    pooled.sort()
    pooled_from_call.sort()
    calls = sorted((after[index] - before[index]) / 1000 for index in range(first_index, len(after)))
    # A subscriber may stamp a sample before the writer, preempted inside or just after the write
    # call, stamps its return (many clients on 2 cores): those are kept, as negative values. A
    # sample received before its write call began means the sequences do not match.
    early = sum(1 for value in pooled if value < 0)
    if pooled_from_call and pooled_from_call[0] < 0:
        raise BenchError(f"a sample was received {-pooled_from_call[0]:,.0f} µs before its write began: sequence mismatch")
    return {
        "samples_written": measured,
        "latencies_measured": len(pooled),
        "p50_us": percentile(pooled, 0.50),
        "p99_us": percentile(pooled, 0.99),
        "max_us": pooled[-1] if pooled else None,
        "min_us": pooled[0] if pooled else None,
        "received_before_writer_stamp": early,
        "from_call_start_p50_us": percentile(pooled_from_call, 0.50),
        "from_call_start_p99_us": percentile(pooled_from_call, 0.99),
        "from_call_start_max_us": pooled_from_call[-1] if pooled_from_call else None,
        "write_call_p50_us": percentile(calls, 0.50),
        "write_call_p99_us": percentile(calls, 0.99),
        "lost_per_client": lost,
        "lost_max": max(lost) if lost else None,
        "lost_total": sum(lost),
    }


# --- (a) Lab Streaming Layer -------------------------------------------------------------------

def run_lsl(pylsl, args, inlet_binary, count, directory, label, clients, python_inlet=False):
    source_id = f"stance-bench-{os.getpid()}-{label}"
    info = pylsl.StreamInfo("StanceBench", "Force", CHANNELS, RATE_HZ, pylsl.cf_float32, source_id)
    outlet = pylsl.StreamOutlet(info)
    if python_inlet:
        command = [sys.executable, Path(__file__).resolve(), "--pylsl-inlet", source_id]
    else:
        command = [inlet_binary, source_id]
    processes = start_subscribers([command] * clients, directory, label)
    rows = []
    for index in range(count):
        row = [100.0 + random.gauss(0, 0.5) for _ in range(CHANNELS)]
        row[0] = float(index + 1)
        rows.append(row)
    push = outlet.push_sample
    write_times = paced(count, lambda index: push(rows[index]))
    time.sleep(0.5)
    results = stop_subscribers(processes)
    del outlet
    for number, result in enumerate(results):
        if len(result["pairs"]) == 0:
            raise BenchError(f"LSL {label}: inlet {number} received nothing ({result['stderr'] or result['summary']})")
    figures = latencies(write_times, results, int(args.warmup * RATE_HZ))
    figures["client"] = "pylsl inlet (Python)" if python_inlet else "C inlet (liblsl C API, pull_sample_f)"
    return figures


# --- (b) and (c) stanced -----------------------------------------------------------------------

class Daemon:
    """stanced reading the secondary side of a fresh pseudo-terminal."""

    def __init__(self, binary, directory, label):
        self.primary, self.secondary = os.openpty()
        tty.setraw(self.secondary)
        self.device = os.ttyname(self.secondary)
        self.socket_path = str(Path(directory) / f"{label}.sock")
        self.log_path = Path(directory) / f"{label}-stanced.log"
        self.log = open(self.log_path, "w")
        self.command = [str(binary), "--device", f"{self.device},profile=arduino-hx711-plate",
                        "--socket", self.socket_path, "--log-level", "warning"]
        try:
            self.process = subprocess.Popen(self.command, stdout=self.log, stderr=subprocess.STDOUT)
        except OSError as error:
            raise BenchError(f"stanced did not start: {error}")
        self.wait_until_connected()
        os.write(self.primary, HEADER)
        self.wait_for_header_rate()

    def failure(self, what):
        self.log.flush()
        text = self.log_path.read_text().strip()
        return BenchError(f"stanced {what}: {' '.join(self.command)}\n{text[-2000:] or '(no output)'}")

    def request(self, line, timeout=5):
        """One request on a fresh connection: the first reply line that is not VERSION, parsed."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(timeout)
            connection.connect(self.socket_path)
            connection.sendall(line.encode() + b"\n")
            buffer = b""
            while True:
                chunk = connection.recv(65536)
                if not chunk:
                    raise OSError("connection closed")
                buffer += chunk
                while b"\n" in buffer:
                    reply, buffer = buffer.split(b"\n", 1)
                    message = json.loads(reply)
                    if message.get("class") != "VERSION":
                        return message

    def wait_until_connected(self):
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise self.failure(f"exited with status {self.process.returncode}")
            try:
                status = self.request('{"cmd":"status"}', timeout=1)
                if any(device.get("state") == "connected" for device in status.get("devices", [])):
                    return
            except (OSError, ValueError):
                pass
            time.sleep(0.05)
        raise self.failure("did not open the pseudo-terminal and serve STATUS within 15 s")

    def wait_for_header_rate(self):
        """Until the pipeline runs at the header's 1 kHz: a client that watches before that has
        its METRICS rate capped at the profile's rate (80 Hz) for good."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            status = self.status()
            if status and abs(float(status.get("rate_hz", 0)) - RATE_HZ) < 1e-6:
                return
            time.sleep(0.02)
        raise self.failure(f"did not adopt the header's rate of {RATE_HZ} Hz within 10 s")

    def cpu_seconds(self):
        with open(f"/proc/{self.process.pid}/stat") as file:
            fields = file.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14, 15)

    def threads(self):
        """Per thread: CPU seconds and context switches (voluntary ones are the thread's sleeps
        and waits: a thread that polls shows them at its polling rate)."""
        threads = {}
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            try:
                head, tail = (task / "stat").read_text().rsplit(")", 1)
                fields = tail.split()
                switches = {}
                for line in (task / "status").read_text().splitlines():
                    key, _, value = line.partition(":")
                    if key.endswith("ctxt_switches"):
                        switches[key] = int(value)
            except OSError:
                continue
            threads[task.name] = (head.split("(", 1)[1], (int(fields[11]) + int(fields[12])) / CLK_TCK,
                                  switches.get("voluntary_ctxt_switches", 0), switches.get("nonvoluntary_ctxt_switches", 0))
        return threads

    def memory_mb(self):
        """VmRSS, VmHWM and the RSS split (anonymous, file-backed), MB of 10^6 bytes."""
        values = {}
        with open(f"/proc/{self.process.pid}/status") as file:
            for line in file:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile", "RssShmem"):
                    values[key] = int(rest.split()[0]) * 1024 / 1e6
        return values

    def status(self):
        try:
            return self.request('{"cmd":"status"}', timeout=2)
        except (OSError, ValueError):
            return None

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        os.close(self.primary)
        os.close(self.secondary)
        self.log.close()


def run_stance(args, reader_binary, lines, directory, label, requests_and_keys, measure_from):
    """Writes `lines` at 1 kHz to a fresh stanced; returns the subscribers' results, the write
    times, and the daemon's CPU and memory between sample `measure_from` and the last one."""
    daemon = Daemon(args.stanced, directory, label)
    try:
        commands = [[reader_binary, daemon.socket_path, request, key] for request, key in requests_and_keys]
        processes = start_subscribers(commands, directory, label)
        usage = {}

        def probe(name):
            def take():
                usage[name] = (time.monotonic(), daemon.cpu_seconds(), daemon.threads())
            return take

        primary = daemon.primary
        write = os.write
        write_times = paced(len(lines), lambda index: write(primary, lines[index]),
                            probes={measure_from: probe("start"), len(lines) - 1: probe("end")})
        if daemon.process.poll() is not None:
            raise daemon.failure(f"exited with status {daemon.process.returncode} during the run")
        memory = daemon.memory_mb()
        time.sleep(0.5)
        status = daemon.status()
        results = stop_subscribers(processes)
    finally:
        daemon.stop()
    wall = usage["end"][0] - usage["start"][0]
    threads = []
    for tid, (name, cpu, voluntary, involuntary) in sorted(usage["end"][2].items(), key=lambda item: int(item[0])):
        _, cpu0, voluntary0, involuntary0 = usage["start"][2].get(tid, (name, 0, 0, 0))
        threads.append({"tid": int(tid), "name": name, "cpu_percent_of_one_core": 100 * (cpu - cpu0) / wall,
                        "voluntary_switches_per_s": (voluntary - voluntary0) / wall,
                        "involuntary_switches_per_s": (involuntary - involuntary0) / wall})
    resources = {
        "cpu_percent_of_one_core": 100 * (usage["end"][1] - usage["start"][1]) / wall,
        "cpu_window_s": wall,
        "vmrss_mb": memory.get("VmRSS", 0),
        "vmhwm_mb": memory.get("VmHWM", 0),
        "rss_anon_mb": memory.get("RssAnon", 0),
        "rss_file_mb": memory.get("RssFile", 0),
        "threads": threads,
    }
    if status:
        device = (status.get("devices") or [{}])[0]
        resources["daemon_status"] = {key: device.get(key) for key in
                                      ("samples", "bad_frames", "checksum_errors", "gaps", "bytes_discarded")}
        resources["daemon_status"]["client_drops"] = [client.get("dropped") for client in status.get("clients", [])]
    return results, write_times, resources


def run_pty_floor(args, reader_binary, lines, directory):
    """The pseudo-terminal alone: a C reader of the secondary side, no daemon. Every Stance figure
    includes this hop (as it would include a USB serial driver's)."""
    primary, secondary = os.openpty()
    try:
        tty.setraw(secondary)
        processes = start_subscribers([[reader_binary, os.ttyname(secondary), "-", "$"]], directory, "pty")
        write = os.write
        write_times = paced(len(lines), lambda index: write(primary, lines[index]))
        time.sleep(0.5)
        results = stop_subscribers(processes)
    finally:
        os.close(primary)
        os.close(secondary)
    if len(results[0]["pairs"]) == 0:
        raise BenchError(f"pseudo-terminal: the reader received nothing ({results[0]['stderr']})")
    figures = latencies(write_times, results, int(args.warmup * RATE_HZ))
    figures["client"] = "C reader (read(2) on the secondary side)"
    return figures


def machine_jiffies():
    """(busy, total) clock ticks of all cores, from /proc/stat."""
    with open("/proc/stat") as file:
        values = [int(value) for value in file.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def run_stance_latency(args, reader_binary, lines, directory, label, stream, clients):
    if stream == "samples":
        request, key = SAMPLES_REQUEST, '"seq":'
    else:
        request, key = METRICS_REQUEST.format(rate=RATE_HZ), '"sample_seq":'
    warmup = int(args.warmup * RATE_HZ)
    results, write_times, resources = run_stance(args, reader_binary, lines, directory, label,
                                                 [(request, key)] * clients, measure_from=warmup)
    for number, result in enumerate(results):
        if len(result["pairs"]) == 0:
            hint = f" ({result['summary']}; no line carried {key} — a daemon without this stream?)" \
                if "lines=" in result["summary"] else ""
            raise BenchError(f"Stance {label}: client {number} received nothing{hint} {result['stderr']}".strip())
    figures = latencies(write_times, results, warmup)
    figures.update(resources)
    figures["client"] = "C reader (read(2) on the Unix socket)"
    figures["lag_lines"] = sum(int(result["summary"].split("lag=")[1].split()[0]) for result in results
                               if "lag=" in result["summary"])
    return figures


def run_stance_resources(args, reader_binary, directory, label, with_samples_client):
    seconds = args.cpu_seconds + 2 * args.warmup
    lines = sample_lines(int(seconds * RATE_HZ), seed=2)
    requests = [(METRICS_REQUEST.format(rate=50), '"sample_seq":')] * 8
    if with_samples_client:
        requests.append((SAMPLES_REQUEST, '"seq":'))
    results, _, resources = run_stance(args, reader_binary, lines, directory, label, requests,
                                       measure_from=int(2 * args.warmup * RATE_HZ))
    for number, result in enumerate(results):
        lines_received = int(result["summary"].split("lines=")[1].split()[0]) if "lines=" in result["summary"] else 0
        if lines_received < 3:
            raise BenchError(f"Stance {label}: client {number} received nothing ({result['stderr'] or result['summary']})")
    resources["clients"] = "8 × METRICS at 50 Hz" + (" + 1 × samples" if with_samples_client else "")
    return resources


# --- report ------------------------------------------------------------------------------------

def microseconds(value):
    return "—" if value is None else f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}"


def report(results, args):
    lsl_reference = {row["clients"]: row for row in results["latency"] if row["system"] == "LSL" and "C inlet" in row["client"]}
    out = ["| system | stream | subscriber | clients | samples per client (latencies pooled) | p50 (µs) | p99 (µs) | "
           "max (µs) | stamped before the write returned (%) | from write start: p50 / p99 (µs) | write call: p50 / p99 (µs) | "
           "lost per client, max (samples) | p99 ÷ LSL p99, same clients | stanced CPU (% of one core) | stanced VmHWM (MB) | "
           "machine busy, all processes (% of all cores) |",
           "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in results["latency"]:
        reference = lsl_reference.get(row["clients"])
        ratio = "—"
        if row["system"] == "Stance" and reference and reference["p99_us"]:
            ratio = f"{row['p99_us'] / reference['p99_us']:.2f}"
            row["p99_ratio_to_lsl"] = row["p99_us"] / reference["p99_us"]
        cpu = f"{row['cpu_percent_of_one_core']:.1f}" if "cpu_percent_of_one_core" in row else "—"
        hwm = f"{row['vmhwm_mb']:.1f}" if "vmhwm_mb" in row else "—"
        early = 100 * row["received_before_writer_stamp"] / max(1, row["latencies_measured"])
        out.append(f"| {row['system']} | {row['stream']} | {row['client']} | {row['clients']} | "
                   f"{row['samples_written']:,} ({row['latencies_measured']:,}) | {microseconds(row['p50_us'])} | "
                   f"{microseconds(row['p99_us'])} | {microseconds(row['max_us'])} | {early:.1f} | "
                   f"{microseconds(row['from_call_start_p50_us'])} / {microseconds(row['from_call_start_p99_us'])} | "
                   f"{microseconds(row['write_call_p50_us'])} / {microseconds(row['write_call_p99_us'])} | "
                   f"{row['lost_max']} | {ratio} | {cpu} | {hwm} | {row['machine_busy_percent']:.0f} |")
    if results["resources"]:
        out += ["", "| stanced at 1 kHz, clients | window (s) | CPU (% of one core) | goal ≤ 2 % | VmRSS (MB) | "
                "VmHWM (MB) | RSS anonymous / file-backed (MB) | goal ≤ 30 MB | busiest threads: CPU (%), voluntary switches (/s) |",
                "|---|---:|---:|---|---:|---:|---:|---|---|"]
        for row in results["resources"]:
            cpu_ok = "met" if row["cpu_percent_of_one_core"] <= 2 else "missed"
            memory_ok = "met" if row["vmhwm_mb"] <= 30 else "missed"
            busiest = sorted(row["threads"], key=lambda thread: -thread["voluntary_switches_per_s"])[:4]
            threads = "; ".join(f"{thread['tid']}: {thread['cpu_percent_of_one_core']:.1f} %, "
                                f"{thread['voluntary_switches_per_s']:,.0f}/s" for thread in busiest)
            out.append(f"| {row['clients']} | {row['cpu_window_s']:.1f} | {row['cpu_percent_of_one_core']:.2f} | {cpu_ok} | "
                       f"{row['vmrss_mb']:.1f} | {row['vmhwm_mb']:.1f} | {row['rss_anon_mb']:.1f} / {row['rss_file_mb']:.1f} | "
                       f"{memory_ok} | {threads} |")
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
        cases = []
        if not args.skip_lsl and not args.skip_latency:
            cases += [("LSL", "8 × float32", 1, "c"), ("LSL", "8 × float32", 1, "python"), ("LSL", "8 × float32", args.many, "c")]
        if not args.skip_stance and not args.skip_latency:
            cases += [("pseudo-terminal alone", "line protocol", 1, None), ("Stance", "samples", 1, None), ("Stance", "samples", args.many, None),
                      ("Stance", "METRICS at 1 kHz", 1, None), ("Stance", "METRICS at 1 kHz", args.many, None)]
        lines = sample_lines(count) if not args.skip_stance else None
        for system, stream, clients, flavour in cases:
            label = f"{system}-{stream.split()[0]}-{clients}-{flavour or 'c'}".lower().replace(" ", "-")
            print(f"… {system} {stream}, {clients} client(s){' (pylsl inlet)' if flavour == 'python' else ''}", file=sys.stderr)
            busy_before = machine_jiffies()
            if system == "pseudo-terminal alone":
                row = run_pty_floor(args, reader, lines, directory)
            elif system == "LSL":
                row = run_lsl(pylsl, args, inlet, count, directory, label, clients, python_inlet=flavour == "python")
            else:
                row = run_stance_latency(args, reader, lines, directory, label,
                                         "samples" if stream == "samples" else "metrics", clients)
            busy_after = machine_jiffies()
            row.update(system=system, stream=stream, clients=clients,
                       machine_busy_percent=100 * (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1]))
            results["latency"].append(row)
        if not args.skip_stance and not args.skip_cpu:
            for with_samples in (False, True):
                print(f"… stanced CPU and memory, {args.cpu_seconds:g} s{' (+1 samples client)' if with_samples else ''}",
                      file=sys.stderr)
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
