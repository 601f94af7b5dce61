"""ab-exec: the solution's side.  Runs the solution (argv[1]) in its own
process, under its own uid, and answers the checker's requests on fd 3.
Nothing here is trusted: the checker only ever sees decoded plain values,
and references to objects that stay here (the solution's classes and
their instances, modules, generators...), on which it asks for
attributes, calls, items, lengths and iterations, never for a
comparison.  What this process says of an exception (its class, the
built-in classes it derives from) is what an honest solution could make
true by raising that exception, so a lie here buys nothing."""
import os
import sys

# -I leaves the harness directory out of sys.path: add it last, so
# nothing there can shadow the standard library.
sys.path.append(os.path.dirname(os.path.abspath(__file__)))
import abwire  # noqa: E402

# ab-exec --modules: the user's packages the solution may import, seen
# read-only, after the standard library.
if os.path.isdir("/.ab-modules/python"):
    sys.path.append("/.ab-modules/python")

FD = 3
REFS = {}   # reference number -> object the checker holds a stand-in of
_IDS = {}   # id(object) -> reference number (the objects stay alive)
_mro = type.__dict__["__mro__"].__get__
_qualname = type.__dict__["__qualname__"].__get__
_module = type.__dict__["__module__"].__get__


def ref(o):
    k = id(o)
    r = _IDS.get(k)
    if r is None:
        r = len(REFS) + 1
        REFS[r] = o
        _IDS[k] = r
    return r


def _text(f, c):
    try:
        return str(f(c))[:200]
    except BaseException:
        return "?"


def class_ref(c):
    """A class of the solution's (or any the wire has no name for)."""
    q = {"$cls": ref(c), "n": _text(_qualname, c), "m": _text(_module, c)}
    if issubclass(c, BaseException):
        # The built-in exception classes it derives from, most derived
        # first, so that `except ValueError` catches a subclass; and
        # whether it is the standard library's class of that module and
        # name (found there, not only named so).
        q["b"] = [n for n in (abwire.type_name(k) for k in _mro(c)[1:])
                  if n in abwire.BUILTIN_TYPES]
        q["std"] = _is_stdlib(c, q["m"], q["n"])
    return q


def _is_stdlib(c, mod, qual):
    if mod.partition(".")[0] not in sys.stdlib_module_names or \
            mod == "builtins":
        return False
    o = sys.modules.get(mod)
    for part in qual.split("."):
        o = getattr(o, part, None)
    return o is c


def exc_class(c):
    n = abwire.type_name(c)
    return {"$ty": n} if n is not None else class_ref(c)


def exc(e, depth=0):
    try:
        args = abwire.enc(tuple(BaseException.__dict__["args"].__get__(e)),
                          depth + 1, other)
    except BaseException:
        args = None
    q = {"$e": exc_class(type(e)), "a": args}
    try:
        q["s"] = str(e)[:2000]
    except BaseException:
        q["s"] = "?"
    return q


def std_name(v):
    """[module, qualname] when v is the standard library's module or
    function of that name as this process loaded it: the checker then
    uses its own, which the solution cannot have patched."""
    try:
        if isinstance(v, type(sys)):
            n = v.__dict__.get("__name__")
            if type(n) is str and n.partition(".")[0] in \
                    sys.stdlib_module_names and sys.modules.get(n) is v:
                return [n, ""]
        elif callable(v) and not isinstance(v, type):
            m = getattr(v, "__module__", None)
            q = getattr(v, "__qualname__", None)
            if type(m) is not str or type(q) is not str or \
                    m.partition(".")[0] not in sys.stdlib_module_names:
                return None
            o = sys.modules.get(m)
            for part in q.split("."):
                o = getattr(o, part, None)
            if o is v:
                return [m, q]
    except Exception:
        pass
    return None


def other(v, depth):
    if isinstance(v, type):
        return class_ref(v)
    if isinstance(v, BaseException):
        return exc(v, depth)
    q = {"$r": ref(v), "c": class_ref(type(v))}
    s = std_name(v)
    if s is not None:
        q["$std"] = s
    return q


def resolve(v, depth):
    if "$r" in v:
        return REFS[int(v["$r"])]
    raise ValueError("bad value on the wire")


def enc(v):
    return abwire.enc(v, 0, other)


def dec(v):
    return abwire.dec(v, 0, resolve)


def answer(ns, q):
    op = q.get("op")
    if op == "get":
        name = q["name"]
        if name not in ns:
            return {"missing": True}
        if callable(ns[name]) and not isinstance(ns[name], type):
            return {"callable": True}
        return {"ok": enc(ns[name])}
    obj = REFS[int(q["ref"])] if "ref" in q else ns[q["name"]]
    if op == "call":
        args = [dec(a) for a in q["args"]]
        kwargs = {k: dec(x) for k, x in q.get("kwargs", {}).items()}
        r = obj(*args, **kwargs)
        sys.stdout.flush()
        return {"ok": enc(r), "after": [enc(a) for a in args]}
    if op == "getattr":
        r = getattr(obj, str(q["attr"]))
    elif op == "setattr":
        r = setattr(obj, str(q["attr"]), dec(q["value"]))
    elif op == "delattr":
        r = delattr(obj, str(q["attr"]))
    elif op == "getitem":
        r = obj[dec(q["key"])]
    elif op == "setitem":
        obj[dec(q["key"])] = dec(q["value"])
        r = None
    elif op == "delitem":
        del obj[dec(q["key"])]
        r = None
    elif op == "len":
        r = len(obj)
    elif op == "bool":
        r = bool(obj)
    elif op == "iter":
        r = iter(obj)
    elif op == "next":
        r = next(obj)
    elif op == "repr":
        r = repr(obj)
    elif op == "str":
        r = str(obj)
    else:
        raise ValueError("unknown request")
    sys.stdout.flush()
    return {"ok": enc(r)}


def main():
    path = sys.argv[1]
    ns = {"__name__": "solution", "__builtins__": __builtins__}
    sys.argv = [path]
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            src = f.read()
        exec(compile(src, path, "exec"), ns)
    except BaseException as e:  # noqa: the solution may raise anything
        abwire.send(FD, {"load_error": "%s: %s" % (type(e).__name__, e)})
        sys.stdout.flush()
        os._exit(1)
    # The solution's top-level names, so that the checker needs no
    # round trip to know what a test may call; its classes, so that a
    # test's isinstance() and except clauses know them.
    funcs, values, classes, std = [], [], {}, {}
    for k, v in list(ns.items()):
        if type(k) is str and not k.startswith("__"):
            if isinstance(v, type):
                try:
                    classes[k] = enc(v)
                except BaseException:
                    values.append(k)
            else:
                (funcs if callable(v) else values).append(k)
                s = std_name(v)
                if s is not None:
                    std[k] = s
    abwire.send(FD, {"ready": True, "callables": funcs, "values": values,
                     "classes": classes, "std": std})
    while True:
        try:
            q = abwire.recv(FD)
        except EOFError:
            os._exit(0)
        try:
            abwire.send(FD, answer(ns, q))
        except BaseException as e:  # noqa
            if isinstance(e, SystemExit):
                sys.stdout.flush()
                os._exit(e.code if isinstance(e.code, int) else 1)
            try:
                msg = str(e)[:2000]
            except BaseException:
                msg = "?"
            try:
                abwire.send(FD, {"exc": exc(e), "msg": msg})
            except BaseException:
                try:
                    abwire.send(FD, {"exc": {"$e": {"$ty": "Exception"},
                                             "a": None, "s": msg},
                                     "msg": msg})
                except BaseException:
                    os._exit(1)


if __name__ == "__main__":
    main()
