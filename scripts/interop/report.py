"""Shared by the interop checks: printing their (label, problem or None) results, waiting for a path."""

import time


def report(results) -> int:
    """Prints `ok` or `FAIL` per result, then 'N passed, M failed'; returns 1 on any failure."""
    passed = failed = 0
    for label, problem in results:
        if problem is None:
            passed += 1
            print(f"  ok    {label}")
        else:
            failed += 1
            print(f"  FAIL  {label}: {problem}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def wait_for(path, what: str, seconds=10):
    """Waits until `path` (a pathlib.Path) exists; exits naming it and `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what}: {path} did not appear within {seconds} s")
        time.sleep(0.05)
