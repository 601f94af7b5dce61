"""ab-exec: the solution's side.  Runs the solution (argv[1]) in its own
process, under its own uid, and answers the checker's calls on fd 3.
Nothing here is trusted: the checker only ever sees decoded plain values."""
import os
import sys

# -I leaves the harness directory out of sys.path: add it last, so
# nothing there can shadow the standard library.
sys.path.append(os.path.dirname(os.path.abspath(__file__)))
import abwire  # noqa: E402

FD = 3


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
    # round trip to know what a test may call.
    funcs, values = [], []
    for k, v in list(ns.items()):
        if type(k) is str and not k.startswith("__"):
            (funcs if callable(v) else values).append(k)
    abwire.send(FD, {"ready": True, "callables": funcs, "values": values})
    while True:
        try:
            q = abwire.recv(FD)
        except EOFError:
            os._exit(0)
        try:
            if q.get("op") == "get":
                name = q["name"]
                if name not in ns:
                    abwire.send(FD, {"missing": True})
                elif callable(ns[name]):
                    abwire.send(FD, {"callable": True})
                else:
                    abwire.send(FD, {"ok": abwire.enc(ns[name])})
                continue
            fn = ns[q["name"]]
            args = [abwire.dec(a) for a in q["args"]]
            kwargs = {k: abwire.dec(x) for k, x in q.get("kwargs", {}).items()}
            r = fn(*args, **kwargs)
            sys.stdout.flush()
            abwire.send(FD, {"ok": abwire.enc(r),
                             "after": [abwire.enc(a) for a in args]})
        except BaseException as e:  # noqa
            if isinstance(e, SystemExit):
                sys.stdout.flush()
                os._exit(e.code if isinstance(e.code, int) else 1)
            try:
                msg = str(e)[:2000]
            except BaseException:
                msg = "?"
            try:
                abwire.send(FD, {"exc": type(e).__name__, "msg": msg})
            except BaseException:
                os._exit(1)


if __name__ == "__main__":
    main()
