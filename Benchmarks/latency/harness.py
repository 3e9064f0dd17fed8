"""What both sides of the latency benchmark share: the 1 kHz writer, subscriber processes, the
statistics, and the machine's load."""
import array
import ctypes
import gc
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RATE_HZ = 1000
PERIOD_NS = 1_000_000_000 // RATE_HZ
CHANNELS = 8


class BenchError(Exception):
    """A failure that ends the run with a message (stanced did not start, a client got nothing)."""


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


def tighten_timer_slack():
    """The writer sleeps between samples; the default 50 µs timer slack would skew its 1 kHz grid."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(29, 1, 0, 0, 0)  # PR_SET_TIMERSLACK, 1 ns
    except (OSError, AttributeError):
        pass


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


def machine_jiffies():
    """(busy, total) clock ticks of all cores, from /proc/stat. Tick-sampled: it undercounts loads
    made of short bursts (ours), but shows a compiler or a test suite running beside the benchmark."""
    with open("/proc/stat") as file:
        values = [int(value) for value in file.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def cpu_pressure_us():
    """Microseconds in which some runnable task waited for a core (/proc/pressure/cpu), or None."""
    try:
        with open("/proc/pressure/cpu") as file:
            return int(file.readline().split("total=")[1])
    except (OSError, IndexError, ValueError):
        return None


def wait_until_quiet(limit_s=60, busy_limit=0.3):
    """Waits, up to `limit_s`, for a second in which the machine is less than 30 % busy, so that a
    build running beside the benchmark does not land in one case only. Returns the busy fraction
    of that last second."""
    deadline = time.monotonic() + limit_s
    while True:
        start = machine_jiffies()
        time.sleep(1)
        end = machine_jiffies()
        busy = (end[0] - start[0]) / max(1, end[1] - start[1])
        if busy < busy_limit or time.monotonic() > deadline:
            if busy >= busy_limit:
                print(f"warning: the machine stayed {100 * busy:.0f} % busy; measuring anyway", file=sys.stderr)
            return busy
