"""Prints the (label, problem or None) results of an interop check and returns the exit status."""


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
