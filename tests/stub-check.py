#!/usr/bin/env python3
"""stub-check.py - which test files exercise which program, found from the
tree rather than kept by hand (tests/stub-check.sh uses it).

A test file exercises a program when the program's name appears in it, or
in a file or directory it names, transitively: the helpers it sources
(tests/lib-exec.sh), the scripts it runs (examples/demo.sh,
tests/hostile/wrap.sh) and the data directories it reads (tests/golden,
whose subdirectories are named after the programs).

usage: stub-check.py TOP PROGRAM...   prints "PROGRAM TESTFILE" lines
"""
import os
import re
import sys

top, progs = sys.argv[1], sys.argv[2:]
roots = ["tests", "examples"]
skip_dirs = {"out", "corpus"}

files = {}      # relative path -> text (files) or None (directories)
for root in roots:
    for d, dirs, names in os.walk(os.path.join(top, root)):
        dirs[:] = sorted(x for x in dirs if x not in skip_dirs)
        rel = os.path.relpath(d, top)
        if rel not in roots:    # "tests" alone names everything
            files[rel] = None
        for n in names:
            p = os.path.join(d, n)
            try:
                with open(p, encoding="utf-8") as f:
                    files[os.path.relpath(p, top)] = f.read()
            except (UnicodeDecodeError, OSError):
                files[os.path.relpath(p, top)] = ""


base_count = {}
for p in files:
    b = os.path.basename(p)
    base_count[b] = base_count.get(b, 0) + 1


def names_of(path):
    """What a file or directory is called in another file's text: its
    path from the tree's top, from tests/, and its own name when that is
    distinctive (a '.' or a '-' in it, as lib-exec.sh or wrap.sh, unique
    in the tree, and not a program's name)."""
    out = {path}
    if path.startswith("tests/"):
        out.add(path[len("tests/"):])
    base = os.path.basename(path)
    if (("." in base or "-" in base) and len(base) > 3 and
            base_count[base] == 1 and base not in progs):
        out.add(base)
    return out


# The names a text can say: its words and paths, and every part of a
# path ("$TOP/tests/golden/*/" says tests/golden and golden).
def said_names(text):
    out = set()
    for tok in re.findall(r"[\w.-]+(?:/[\w.*-]+)*", text):
        parts = []
        for x in tok.split("/"):
            if "*" in x:        # a glob names the directory before it
                break
            if x:
                parts.append(x)
        for i in range(len(parts)):
            out.add("/".join(parts[i:]))
    return out


def code(p, text):
    """A script's text without its comment lines and its plain
    double-quoted strings (a comment or a message that names a program,
    "not an ab-store database", does not run it; "$(ab-store ...)" does)."""
    if p.endswith((".sh", ".py")) or "/" not in p:
        text = "\n".join(l for l in text.split("\n")
                         if not l.lstrip().startswith("#"))
        text = re.sub(r'"(?:[^"\\\n]|\\.)*"',
                      lambda m: m.group(0) if re.search(r"[$/]", m.group(0))
                      else '""', text)
    return text


# What runs: scripts (shell, python, jq, make) and the golden
# directories (tests/golden/PROG/CASE, run by t0000-golden.sh).
def runs(q):
    if files[q] is None:
        return q.startswith("tests/golden")
    return q.endswith((".sh", ".py", ".jq")) or os.path.basename(q) == "Makefile"


# A script is run where its name follows a word that runs it (sh, ., a
# python, make -f, jq -f) or starts a command; named elsewhere (given to
# shellcheck, copied) it is data.
RUNNER = re.compile(r"""(?:(?:^|[|;&(`]|\b(?:run|must|exec|nice|timeout\s+\S+))\s*(?:[A-Z_]+=\S*\s+)*(?:sh|bash|source|python3|\$PY|\$HOSTILE_PY|\.)|\s-f)\s""")
CMDSTART = re.compile(r"""(?:^|[|;&(`])\s*["']?\$?\{?$""")


def run_names(text):
    out = set()
    for line in text.replace("\\\n", " ").split("\n"):
        for m in re.finditer(r"[\w.-]+(?:/[\w.*-]+)*", line):
            before = line[:m.start()]
            if RUNNER.search(before) or CMDSTART.search(before):
                out |= said_names(m.group(0))
    return out


words = {p: said_names(code(p, t)) for p, t in files.items() if t is not None}
runwords = {p: run_names(code(p, t)) for p, t in files.items() if t is not None}
refs = {}
for p in words:
    if runs(p):     # a README names things; it runs none
        refs[p] = {q for q in files if q != p and runs(q) and names_of(q) &
                   (words[p] if files[q] is None else runwords[p])}


def children(d):
    return [q for q in files if os.path.dirname(q) == d]


# Python helpers name the programs in data and messages; none runs one.
def mentions(p, prog):
    # A README only describes a case; it runs nothing.
    if p.endswith(".py") or os.path.basename(p).startswith("README"):
        return False
    return prog in p.split("/") or prog in words.get(p, ())


def exercised(t, prog):
    seen, todo = set(), [t]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        if any(mentions(p, c) for c in callers[prog]):
            return True
        if files[p] is None:
            todo.extend(children(p))
        else:
            todo.extend(refs.get(p, ()))
    return False


# A program that runs another (ab-score times the reference through the
# ab-exec beside it: "%s/ab-exec" in bin/ab-score.c) exercises it too.
callers = {prog: {prog} for prog in progs}
for prog in progs:
    try:
        with open(os.path.join(top, "bin", prog + ".c"), encoding="utf-8") as f:
            src = f.read()
    except OSError:
        continue
    for other in progs:
        if other != prog and re.search(r'"[^"\n]*/' + re.escape(other) + '"', src):
            callers[other].add(prog)


tests = sorted(p for p in files
               if re.match(r"tests/t[0-9]+-[^/]*\.sh$", p))
for prog in progs:
    for t in tests:
        if exercised(t, prog):
            print(prog, t)
