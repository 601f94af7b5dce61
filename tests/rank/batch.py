#!/usr/bin/env python3
"""Run the generators of this directory several times in one python (a
python start costs as much as a dozen runs of ab-rank).

batch.py <LIST

Each line of LIST is OUT SCRIPT ARG...: SCRIPT, a file of this directory
(gen.py, cases.py), runs as it would from the command line with the ARGs
(split on white space, no quoting), its standard output into the file OUT.
The output is the same, byte for byte.  A script that exits with another
status than 0 stops the batch with its status.
"""
import os
import runpy
import sys

here = os.path.dirname(os.path.abspath(__file__))
for line in sys.stdin:
    words = line.split()
    if not words:
        continue
    out, script, args = words[0], os.path.join(here, words[1]), words[2:]
    sys.argv = [script] + args
    with open(out, "w") as f:
        sys.stdout = f
        try:
            runpy.run_path(script, run_name="__main__")
        except SystemExit as e:
            if e.code not in (None, 0):
                sys.stdout = sys.__stdout__
                print("batch.py: %s: exit %s" % (line.strip(), e.code),
                      file=sys.stderr)
                sys.exit(e.code if isinstance(e.code, int) else 1)
        finally:
            sys.stdout = sys.__stdout__
