"""What the interop scripts that read a file written by a Swift test share: running the test
with the output path in an environment variable, and printing the checks.

A check is a (label, problem or None) pair; `report` prints `ok` or `FAIL` per check, then
'N passed, M failed', and returns the exit status (1 on any failure).
"""
import os
import subprocess
import tempfile
from pathlib import Path


def check_file(swift: str, test_filter: str, env_name: str, name: str, given, check) -> int:
    """Runs `check(path)` on `given`, or on the file `name` that `swift test --filter test_filter`
    writes to the path in `env_name` (a temporary directory, removed afterwards)."""
    with tempfile.TemporaryDirectory() as directory:
        path = given
        if path is None:
            path = Path(directory) / name
            command = [swift, "test", "--skip-build", "--filter", test_filter]
            result = subprocess.run(command, env={**os.environ, env_name: str(path)}, capture_output=True, text=True)
            if result.returncode != 0 or not path.exists():
                print(f"FAIL writing {path}: exit {result.returncode}\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
                print("0 passed, 1 failed")
                return 1
        return report(check(path))


def report(checks) -> int:
    passed = failed = 0
    for label, problem in checks:
        if problem is None:
            print(f"ok   {label}")
            passed += 1
        else:
            print(f"FAIL {label}: {problem}")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0
