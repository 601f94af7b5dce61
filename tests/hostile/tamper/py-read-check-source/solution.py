# Finds the checker's source or code objects (stack frames, gc, files
# around it, /proc/self) and answers with the constant it expects.
import gc
import glob
import os
import re
import sys
PAT = re.compile(r"HOSTILE-ANSWER-\d+")


def search():
    f = sys._getframe(1)
    while f is not None:
        for c in f.f_code.co_consts:
            if isinstance(c, str) and PAT.search(c):
                return PAT.search(c).group()
        f = f.f_back
    for o in gc.get_objects():
        if hasattr(o, "co_consts"):
            for c in o.co_consts:
                if isinstance(c, str) and PAT.search(c):
                    return PAT.search(c).group()
    for p in glob.glob("*") + glob.glob("/tmp/*") + glob.glob("/proc/*/cmdline") \
            + glob.glob("/proc/*/fd/*"):
        try:
            with open(p, errors="replace") as fh:
                m = PAT.search(fh.read(1 << 20))
            if m:
                return m.group()
        except OSError:
            pass
    return "contained: not found"


def answer(s):
    return search()
