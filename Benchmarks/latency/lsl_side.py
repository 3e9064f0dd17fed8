"""The Lab Streaming Layer side: a pylsl outlet in this process, inlets in others (C or pylsl)."""
import array
import gc
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from harness import CHANNELS, RATE_HZ, BenchError, latencies, paced, start_subscribers, stop_subscribers

RUN_PY = Path(__file__).resolve().parent / "run.py"


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


def find_liblsl(pylsl):
    for candidate in sorted((Path(pylsl.__file__).parent / "lib").glob("liblsl.so*")):
        return str(candidate)
    raise BenchError("pylsl is installed but its liblsl.so was not found next to it")


def run_lsl(pylsl, args, inlet_binary, count, directory, label, clients, python_inlet=False):
    source_id = f"stance-bench-{os.getpid()}-{label}"
    info = pylsl.StreamInfo("StanceBench", "Force", CHANNELS, RATE_HZ, pylsl.cf_float32, source_id)
    outlet = pylsl.StreamOutlet(info)
    if python_inlet:
        command = [sys.executable, RUN_PY, "--pylsl-inlet", source_id]
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
