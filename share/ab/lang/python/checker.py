"""ab-exec: the checker.  Reads the test spec from stdin, runs each test
in a fresh namespace where the solution's names are proxies to the server
process (fd 4), and reports each finished test on the supervisor's channel
(fd 3), tagged with the run's nonce.  The solution never runs here."""
import builtins
import collections
import importlib
import json
import os
import re
import sys
import time
import types

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


# What a solution's exception may be raised as in the test: the
# built-in exception classes but those that end a program or that the
# test's own assert raises.
_NOT_RAISED = (SystemExit, KeyboardInterrupt, GeneratorExit, AssertionError)
_remote = {}  # reference number -> the stand-in of the solution's object
# Classes a run may make stand-ins of: the checker outlives the run, and
# a class costs it more than the message that named it.
MAX_CLASSES = 4096
_classes = [0]


_IN_PLACE = (dict, set, collections.Counter, collections.OrderedDict,
             collections.defaultdict, collections.deque)


def _reply(r, args=()):
    """The value of a request's answer, or the solution's exception."""
    if "exc" in r:
        e = _exception(r["exc"], r.get("msg", ""))
        raise e
    # Arguments the solution changed in place (lists, dicts, sets...).
    for a, after in zip(args, r.get("after", [])):
        try:
            if type(a) is list:
                a[:] = dec(after)
            elif type(a) in _IN_PLACE:
                v = dec(after)
                if type(v) is type(a):
                    a.clear()
                    if type(a) is collections.deque:
                        a.extend(v)
                    else:
                        a.update(v)
        except Exception:
            pass
    return dec(r["ok"])


def _exception(w, msg):
    """The solution's exception as the test sees it: a built-in class as
    itself, another as a class of the same name deriving from the same
    built-in classes (so that `except ValueError` catches a subclass of
    it, and not a class of the solution's that is only named so)."""
    try:
        if type(w) is not dict or "$e" not in w:
            raise ValueError("bad exception on the wire")
        cls = dec(w["$e"])
        if not (isinstance(cls, type) and issubclass(cls, BaseException)) \
                or issubclass(cls, _NOT_RAISED):
            raise ValueError("not raised as such")
        args = w.get("a")
        args = tuple(dec(args)) if args is not None else (msg,)
        try:
            e = cls(*args)
        except Exception:
            e = cls.__new__(cls)
            e.args = args
    except Exception:
        return SolutionError("%s: %s" % (_exc_name(w), msg))
    e.ab_from_solution = True
    return e


def _exc_name(w):
    try:
        c = w["$e"]
        return str(c.get("$ty") or c.get("n"))[:200]
    except Exception:
        return "exception"


def _request_value(q, args=()):
    return _reply(_request(q), args)


class Remote:
    """An object of the solution's, left in its process: attributes,
    calls, items, lengths and iteration are asked of it there, and come
    back as values.  Equality and hashing are identity, decided here:
    the solution never says whether its object equals a test's value."""
    __slots__ = ("_ab_id",)

    def __getattr__(self, name):
        return _op(self, "getattr", attr=name)

    def __setattr__(self, name, value):
        _op(self, "setattr", attr=name, value=enc(value))

    def __delattr__(self, name):
        _op(self, "delattr", attr=name)

    def __call__(self, *args, **kwargs):
        return _call(self, args, kwargs)

    def __getitem__(self, key):
        return _op(self, "getitem", key=enc(key))

    def __setitem__(self, key, value):
        _op(self, "setitem", key=enc(key), value=enc(value))

    def __delitem__(self, key):
        _op(self, "delitem", key=enc(key))

    def __len__(self):
        return _op(self, "len")

    def __bool__(self):
        return _op(self, "bool")

    def __iter__(self):
        return _op(self, "iter")

    def __next__(self):
        return _op(self, "next")

    def __repr__(self):
        try:
            return str(_op(self, "repr"))
        except Exception:
            return "<solution object %s>" % type(self).__qualname__

    def __str__(self):
        return str(_op(self, "str"))


class RemoteClass(type):
    """The type of the stand-ins of the solution's classes: calling one
    makes an object in the solution's process."""

    def __call__(cls, *args, **kwargs):
        return _call(cls, args, kwargs)

    def __getattr__(cls, name):
        if name.startswith("_ab_"):
            raise AttributeError(name)
        return _op(cls, "getattr", attr=name)

    def __repr__(cls):
        return "<solution class %s>" % cls.__qualname__


def _ref_of(v):
    if isinstance(v, Remote):
        return object.__getattribute__(v, "_ab_id")
    return type.__getattribute__(v, "_ab_cid")


def _op(target, op, **q):
    q["op"] = op
    q["ref"] = _ref_of(target)
    return _request_value(q)


def _call(target, args, kwargs):
    return _request_value({"op": "call", "ref": _ref_of(target),
                           "args": [enc(a) for a in args],
                           "kwargs": {str(k): enc(v)
                                      for k, v in kwargs.items()}}, args)


def _stand_in_class(w):
    """The class of the solution's that w names, made once per run."""
    rid = int(w["$cls"])
    c = _remote.get(rid)
    if c is not None:
        return c
    if _classes[0] >= MAX_CLASSES:
        raise ValueError("more than %d classes of the solution's" %
                         MAX_CLASSES)
    _classes[0] += 1
    qual = str(w.get("n", "?"))[:200]
    name = qual.rpartition(".")[2] or "?"
    ns = {"__module__": str(w.get("m", "?"))[:200], "__qualname__": qual,
          "_ab_cid": rid}
    if "b" in w:
        c = _exception_class(name, ns, w)
    else:
        ns["__slots__"] = ()
        c = RemoteClass(name, (Remote,), ns)
    _remote[rid] = c
    return c


def _exception_class(name, ns, w):
    """A class named as the solution's exception class, deriving from the
    most derived of its built-in bases; the standard library's own
    class when it is one (the test may have imported it), as the server
    found it and with the same built-in bases."""
    bases = w.get("b")
    mod = ns["__module__"]
    if w.get("std") is True and mod != "builtins" and \
            mod.partition(".")[0] in sys.stdlib_module_names:
        c = sys.modules.get(mod)
        for part in ns["__qualname__"].split("."):
            c = getattr(c, part, None)
        if isinstance(c, type) and issubclass(c, BaseException) and \
                not issubclass(c, _NOT_RAISED) and \
                [k.__name__ for k in c.__mro__[1:]
                 if abwire.BUILTIN_TYPES.get(k.__name__) is k] == bases:
            return c
    bs = []
    for n in bases if type(bases) is list else ():
        b = abwire.BUILTIN_TYPES.get(str(n))
        if b is None or not issubclass(b, BaseException) or \
                issubclass(b, _NOT_RAISED) or any(issubclass(x, b)
                                                  for x in bs):
            continue
        bs.append(b)
    for i in range(len(bs), 0, -1):
        try:
            return type(name, tuple(bs[:i]), ns)
        except TypeError:
            pass  # bases whose layouts conflict: keep the first ones
    return type(name, (Exception,), ns)


# Standard library modules a test may not get by naming a solution's
# module of that name (they act on importing).
_NO_IMPORT = frozenset(("antigravity", "this", "__hello__", "__phello__",
                        "idlelib", "tkinter", "turtle", "turtledemo",
                        "webbrowser"))


def std_object(s, load=False):
    """The checker's own standard library module or function that the
    solution's is ([module, qualname]), or None; importing the module
    only when `load` (a name the test uses)."""
    try:
        m, q = str(s[0]), str(s[1])
        if m.partition(".")[0] not in sys.stdlib_module_names:
            return None
        o = sys.modules.get(m)
        if o is None:
            if not load or m.partition(".")[0] in _NO_IMPORT:
                return None
            o = importlib.import_module(m)
        for part in q.split(".") if q else ():
            o = getattr(o, part)
        return o if q == "" or callable(o) else None
    except Exception:
        return None


def _other(v, depth):
    """The checker's side of the wire's references."""
    if "$std" in v:
        o = std_object(v["$std"])
        if o is not None:
            return o
    if "$r" in v:
        rid = int(v["$r"])
        o = _remote.get(rid)
        if o is None:
            if type(v.get("c")) is not dict:
                raise ValueError("bad value on the wire")
            cls = _stand_in_class(v["c"])
            if not issubclass(cls, Remote):
                raise ValueError("bad value on the wire")
            o = object.__new__(cls)
            object.__setattr__(o, "_ab_id", rid)
            _remote[rid] = o
        return o
    if "$cls" in v:
        return _stand_in_class(v)
    if "$e" in v:
        return _exception(v, str(v.get("s", "")))
    raise ValueError("bad value on the wire")


def _enc_other(v, depth):
    if isinstance(v, Remote):
        return {"$r": object.__getattribute__(v, "_ab_id")}
    if isinstance(v, type) and "_ab_cid" in v.__dict__:
        return {"$r": v.__dict__["_ab_cid"]}
    return abwire.opaque(v)


def enc(v):
    return abwire.enc(v, 0, _enc_other)


def dec(v):
    return abwire.dec(v, 0, _other)


class Proxy:
    __slots__ = ("_name",)

    def __init__(self, name):
        self._name = name

    def __call__(self, *args, **kwargs):
        return _request_value({"op": "call", "name": self._name,
                               "args": [enc(a) for a in args],
                               "kwargs": {str(k): enc(v)
                                          for k, v in kwargs.items()}},
                              args)

    def __repr__(self):
        return "<solution function %s>" % self._name


def reset():
    """Forget the previous run (for a checker that serves many)."""
    global _gone, spec, NONCE
    _gone = spec = NONCE = None
    _remote.clear()
    _classes[0] = 0


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
    # The wire built these (Counter, OrderedDict, defaultdict, deque,
    # namedtuple): their JSON form is their contents'.
    if t is list or isinstance(v, (tuple, collections.deque)) and \
            not isinstance(v, Remote):
        return [to_json(x, depth + 1) for x in v]
    if isinstance(v, dict) and all(type(k) is str for k in v):
        return {k: to_json(x, depth + 1) for k, x in dict.items(v)}
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
    name = type(e).__name__
    if "_ab_cid" in type(e).__dict__:
        # A class of the solution's: say so (it may be named ValueError).
        name = "%s.%s" % (type(e).__module__, type(e).__qualname__)
        if type(e).__qualname__ in abwire.BUILTIN_TYPES:
            name += " (the solution's class, not the built-in)"
    return "%s: %s" % (name, e)


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
    classes = hello.get("classes")
    classes = classes if type(classes) is dict else {}
    std = hello.get("std")
    std = std if type(std) is dict else {}
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
                    if n in callables and n not in std:
                        g[n] = Proxy(n)
                    elif n in classes or n in values or n in std:
                        if n not in known:
                            if n in classes:
                                known[n] = dec(classes[n])
                            elif n in std and std_object(std[n], True):
                                known[n] = std_object(std[n])
                            elif n in callables:
                                known[n] = Proxy(n)
                            else:
                                r = _request({"op": "get", "name": n})
                                known[n] = (Proxy(n) if r.get("callable")
                                            else _reply(r) if "ok" in r
                                            else None)
                        if known[n] is not None:
                            g[n] = known[n]
                if entry:
                    g[entry] = g["candidate"] = Proxy(entry)
                exec(code, g)
                # HumanEval: a check(candidate) that the test defines
                # (not a solution's function of that name) and does not
                # call.
                chk = g.get("check")
                if (type(chk) is types.FunctionType and not calls_check
                        and chk.__code__.co_filename.startswith("<test")):
                    chk(g.get("candidate"))
                res["status"] = "pass"
        except BaseException as e:  # noqa: the test may raise anything
            res["status"] = "fail"
            res["kind"] = kind_of(e)
            try:
                res["error"] = describe(e)[:2000]
            except BaseException:  # noqa: str() of a solution's object
                res["error"] = type(e).__name__
        res["time_ms"] = round((time.perf_counter() - t0) * 1000, 3)
        report(res)


if __name__ == "__main__":
    main()
