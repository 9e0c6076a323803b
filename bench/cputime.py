"""Run a command and print the CPU seconds it cost, with every process it started.

``/usr/bin/time`` misses Chromium: the browser's renderer processes are orphaned and reaped by init, so their
CPU time is never added to the test run's. This wrapper makes itself the subreaper of everything below it
(PR_SET_CHILD_SUBREAPER), reaps the orphans and reports the sum. Usage:

    PYTHONPATH=$PWD .venv/bin/python bench/cputime.py .venv/bin/python -m pytest tests/browser/test_x.py -n 0
"""

import ctypes
import os
import resource
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def main() -> int:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    start = time.monotonic()
    returncode = subprocess.Popen(sys.argv[1:]).wait()
    while True:  # the orphans that were handed to us
        try:
            os.wait()
        except ChildProcessError:
            break
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"{time.monotonic() - start:.1f} s wall {usage.ru_utime:.1f} user {usage.ru_stime:.1f} sys "
        f"= {usage.ru_utime + usage.ru_stime:.1f} s CPU (with descendants); load {os.getloadavg()[0]:.2f}",
        file=sys.stderr,
    )
    return returncode


if __name__ == "__main__":
    sys.exit(main())
