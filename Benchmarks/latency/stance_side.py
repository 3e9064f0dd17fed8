"""The Stance side: stanced reading a pseudo-terminal written at 1 kHz, subscribers on its socket."""
import json
import os
import random
import signal
import socket
import subprocess
import time
import tty
from pathlib import Path

from harness import CHANNELS, RATE_HZ, BenchError, latencies, paced, start_subscribers, stop_subscribers

HEADER = b"#stance-line/1 channels=8 rate_hz=1000 units=N layout=dual-plate id=BENCH\n"
SAMPLES_REQUEST = '{"cmd":"watch","streams":["samples"]}'
METRICS_REQUEST = '{{"cmd":"watch","streams":["metrics"],"rate_hz":{rate}}}'
CLK_TCK = os.sysconf("SC_CLK_TCK")


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
    measure_from = int(2 * args.warmup * RATE_HZ)
    results, write_times, resources = run_stance(args, reader_binary, lines, directory, label, requests,
                                                 measure_from=measure_from)
    for number, result in enumerate(results):
        lines_received = int(result["summary"].split("lines=")[1].split()[0]) if "lines=" in result["summary"] else 0
        if lines_received < 3:
            raise BenchError(f"Stance {label}: client {number} received nothing ({result['stderr'] or result['summary']})")
    # The 50 Hz METRICS clients' latency over the same window: the reader batches the samples
    # between METRICS, and this shows whether a METRICS line leaves any later for it.
    metrics = latencies(write_times, results[:8], measure_from)
    resources["metrics_latency"] = {key: metrics[key] for key in ("latencies_measured", "p50_us", "p99_us", "max_us")}
    resources["clients"] = "8 × METRICS at 50 Hz" + (" + 1 × samples" if with_samples_client else "")
    return resources


def run_reader_cpu(args, reader_binary, directory):
    """A reference for the daemon's CPU in the same run: the C subscriber reading the
    pseudo-terminal at 1 kHz by itself (what any reader of the device costs on this machine),
    measured over the same window as the daemon. Shared machines move both figures; their ratio
    moves less."""
    seconds = args.cpu_seconds + 2 * args.warmup
    lines = sample_lines(int(seconds * RATE_HZ), seed=3)
    primary, secondary = os.openpty()
    try:
        tty.setraw(secondary)
        processes = start_subscribers([[reader_binary, os.ttyname(secondary), "-", "$"]], directory, "cpu-reference")
        pid = processes[0][0].pid
        usage = {}

        def probe(name):
            def take():
                with open(f"/proc/{pid}/stat") as file:
                    fields = file.read().rsplit(")", 1)[1].split()
                usage[name] = (time.monotonic(), (int(fields[11]) + int(fields[12])) / CLK_TCK)
            return take

        start = int(args.warmup * RATE_HZ)
        write = os.write
        paced(len(lines), lambda index: write(primary, lines[index]),
              probes={start: probe("start"), len(lines) - 1: probe("end")})
        stop_subscribers(processes)
    finally:
        os.close(primary)
        os.close(secondary)
    wall = usage["end"][0] - usage["start"][0]
    return {"reader_cpu_percent_of_one_core": 100 * (usage["end"][1] - usage["start"][1]) / wall, "window_s": wall}
