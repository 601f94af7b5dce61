"""ab-exec: the checker.  Reads the test spec from stdin, runs each test
in a fresh namespace where the solution's names are proxies to the server
process (fd 4), and reports each finished test on the supervisor's channel
(fd 3), tagged with the run's nonce.  The solution never runs here."""
import builtins
import json
import os
import re
import sys
import time

# -I leaves the harness directory out of sys.path: add it last, so
# nothing there can shadow the standard library.
sys.path.append(os.path.dirname(os.path.abspath(__file__)))
import abwire  # noqa: E402

spec = None
NONCE = None
CHAN = 3
SOL = 4


class SolutionError(Exception):
    """The solution raised, or its process went away."""


class SolutionGone(SolutionError):
    pass


_gone = None


def _request(q):
    global _gone
    if _gone is not None:
        raise SolutionGone(_gone)
    try:
        abwire.send(SOL, q)
        return abwire.recv(SOL)
    except (EOFError, OSError):
        _gone = "the solution's process exited"
        raise SolutionGone(_gone) from None


_builtin_exc = {n: getattr(builtins, n) for n in dir(builtins)
                if isinstance(getattr(builtins, n), type)
                and issubclass(getattr(builtins, n), BaseException)
                and not issubclass(getattr(builtins, n),
                                   (SystemExit, KeyboardInterrupt,
                                    GeneratorExit, AssertionError))}


class Proxy:
    __slots__ = ("_name",)

    def __init__(self, name):
        self._name = name

    def __call__(self, *args, **kwargs):
        r = _request({"op": "call", "name": self._name,
                      "args": [abwire.enc(a) for a in args],
                      "kwargs": {str(k): abwire.enc(v)
                                 for k, v in kwargs.items()}})
        if "exc" in r:
            cls = _builtin_exc.get(r["exc"])
            err = SolutionError("%s: %s" % (r["exc"], r.get("msg", "")))
            if cls is not None:
                # An exception the test may expect: raise the built-in
                # type, marked as the solution's.
                try:
                    e = cls(r.get("msg", ""))
                except Exception:
                    raise err from None
                e.ab_from_solution = True
                raise e
            raise err
        # Arguments the solution changed in place (lists, dicts).
        for a, after in zip(args, r.get("after", [])):
            try:
                if type(a) is list:
                    a[:] = abwire.dec(after)
                elif type(a) is dict:
                    a.clear()
                    a.update(abwire.dec(after))
            except Exception:
                pass
        return abwire.dec(r["ok"])

    def __repr__(self):
        return "<solution function %s>" % self._name


def reset():
    """Forget the previous run (for a checker that serves many)."""
    global _gone, spec, NONCE
    _gone = spec = NONCE = None


def names_of(code):
    out = set(code.co_names) | set(code.co_varnames)
    for c in code.co_consts:
        if hasattr(c, "co_names"):
            out |= names_of(c)
    return out


# Compiled tests by (text, index), kept across the runs of a persistent
# checker: the samples of a task share their tests.  Code objects are
# immutable; a run cannot change what the next one runs.
_compiled = {}


def compiled(text, index):
    key = (text, index)
    hit = _compiled.get(key)
    if hit is None:
        if len(_compiled) >= 512:
            _compiled.clear()
        code = compile(text, "<test %d>" % index, "exec")
        hit = _compiled[key] = (code, frozenset(names_of(code)),
                                re.search(r"^check\s*\(", text, re.M)
                                is not None)
    return hit


def report(obj):
    line = NONCE + " " + json.dumps(obj, separators=(",", ":")) + "\n"
    os.write(CHAN, line.encode())


def to_json(v, depth=0):
    """A decoded value as JSON (tuples are arrays); None when it has no
    JSON form."""
    if depth > 200:
        raise ValueError("nested too deeply")
    t = type(v)
    if v is None or t is bool or t is int or t is str:
        return v
    if t is float:
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError("non-finite float %r" % v)
        return v
    if t is list or t is tuple:
        return [to_json(x, depth + 1) for x in v]
    if t is dict and all(type(k) is str for k in v):
        return {k: to_json(x, depth + 1) for k, x in v.items()}
    raise ValueError("a %s has no JSON form" % t.__name__)


def kind_of(e):
    if isinstance(e, SolutionGone):
        return "gone"  # the supervisor knows why (a limit, or a crash)
    if isinstance(e, SolutionError) or getattr(e, "ab_from_solution", False):
        return "runtime_error"
    return "wrong_answer"


def describe(e):
    if isinstance(e, AssertionError):
        tb = e.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = ""
        if tb is not None and tb.tb_frame.f_code.co_filename.startswith(
                "<test"):
            where = " (line %d)" % tb.tb_lineno
        msg = str(e)
        return "assertion failed%s%s" % (where, ": " + msg if msg else "")
    return "%s: %s" % (type(e).__name__, e)


def main():
    global spec, NONCE
    spec = json.loads(sys.stdin.buffer.read())
    os.close(0)
    NONCE = spec["nonce"]
    try:
        hello = abwire.recv(SOL)
    except (EOFError, OSError, ValueError):
        hello = {"load_error": "the solution's process exited while loading",
                 "gone": True}
    if "load_error" in hello:
        for t in spec["tests"]:
            report({"test": t["index"], "status": "fail",
                    "kind": "gone" if hello.get("gone") else "runtime_error",
                    "error": hello["load_error"]})
        return
    entry = spec.get("entry_point") or ""
    known = {}
    callables = set(hello.get("callables") or ())
    values = set(hello.get("values") or ())
    for t in spec["tests"]:
        t0 = time.perf_counter()
        res = {"test": t["index"]}
        try:
            if t["style"] == "call":
                if not entry:
                    raise ValueError("the task has no entry_point")
                value = Proxy(entry)(*t["args"])
                res["status"] = "value"
                res["value"] = to_json(value)
            else:
                code, names, calls_check = compiled(t["code"], t["index"])
                g = {"__name__": "__main__", "__builtins__": builtins}
                defined = set()
                for n in names:
                    if n in defined or hasattr(builtins, n):
                        continue
                    if n in callables:
                        g[n] = Proxy(n)
                    elif n in values:
                        if n not in known:
                            r = _request({"op": "get", "name": n})
                            known[n] = (Proxy(n) if r.get("callable") else
                                        abwire.dec(r["ok"]) if "ok" in r
                                        else None)
                        if known[n] is not None:
                            g[n] = known[n]
                if entry:
                    g[entry] = g["candidate"] = Proxy(entry)
                exec(code, g)
                # HumanEval: a check(candidate) the test does not call.
                if callable(g.get("check")) and not calls_check:
                    g["check"](g.get("candidate"))
                res["status"] = "pass"
        except BaseException as e:  # noqa: the test may raise anything
            res["status"] = "fail"
            res["kind"] = kind_of(e)
            res["error"] = describe(e)[:2000]
        res["time_ms"] = round((time.perf_counter() - t0) * 1000, 3)
        report(res)


if __name__ == "__main__":
    main()
