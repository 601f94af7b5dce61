"""baseline.py [-j N] [-t SECONDS] < records.ndjson: the "common Python
harness" that ab-exec is compared with, written for ab's benchmark (no
code taken from elsewhere): like the usual HumanEval evaluation script, it
runs each sample in a forked worker process with a timeout (3 s) and NO
sandbox, N workers at a time (2), the results gathered through a
multiprocessing manager.  Reads ab records (task.tests[0].code is a
`def check(candidate)`, extract.code the solution) and prints one line per
record, "ID passed|failed|timed out", in input order.  Only ever give it
trusted code: it protects nothing."""
import contextlib
import io
import json
import multiprocessing
import os
import signal
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def unsafe_execute(program, timeout, result):
    with tempfile.TemporaryDirectory() as d:
        os.chdir(d)
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):
                exec(program, {"__name__": "__sample__"})
            result.append("passed")
        except Timeout:
            result.append("timed out")
        except BaseException as e:
            result.append("failed: %s" % type(e).__name__)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)


def check_one(rec, timeout):
    task = rec["task"]
    program = "%s\n\n%s\n\ncheck(%s)\n" % (
        rec["extract"]["code"], task["tests"][0]["code"], task["entry_point"])
    with multiprocessing.Manager() as m:
        result = m.list()
        p = multiprocessing.Process(target=unsafe_execute,
                                    args=(program, timeout, result))
        p.start()
        p.join(timeout=timeout + 1)
        if p.is_alive():
            p.kill()
            p.join()
        return result[0] if result else "timed out"


def main():
    jobs, timeout = 2, 3.0
    args = sys.argv[1:]
    while args:
        if args[0] == "-j":
            jobs = int(args[1])
        elif args[0] == "-t":
            timeout = float(args[1])
        else:
            sys.exit("usage: baseline.py [-j N] [-t SECONDS]")
        args = args[2:]
    multiprocessing.set_start_method("fork")
    recs = [json.loads(line) for line in sys.stdin if line.strip()]
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        results = list(ex.map(lambda r: check_one(r, timeout), recs))
    for r, res in zip(recs, results):
        print(r["id"], res)


if __name__ == "__main__":
    main()
