"""ab-exec: a zygote for warm python runs (see sandbox.h, "warm").

Started once per slot as root of the sandbox's namespaces (no capability
outside them; no_new_privs and seccomp already in force), it loads the
harness (argv[1]: "checker" or "server") and then serves the keeper on
its fd 3: each message is {"uid", "nfds", "ncg", "unshare", "cpu",
"fsize", "nofile", "nproc"} with nfds + ncg descriptors (the run's
stdin, stdout, stderr, fd 3 [, fd 4], then cgroup.procs files).  It
forks a child that joins the cgroups, makes the namespaces "unshare"
names (clone flags: the run's own IPC and cgroup namespaces), takes the
descriptors as 0..nfds-1, the limits and the uid, and runs the harness; it answers {"pid": N}, then
{"status": wait status, "ut", "st", "rss"} when the child is gone.
The zygote never runs the submission's code and never reads from the
run's descriptors.
With "persist" as argv[2] (the checker), it does not fork: it takes the
uid $AB_CHECK_UID once, for good, and runs each run's harness itself, answering
{"pid": 0} and then {"status": ...} when the harness is done; a
harness that runs over the run's CPU limit dies of SIGXCPU.  It never
holds a run's descriptors after that run, and the run's programs cannot
reach it (its uid is used by nothing else)."""
import ctypes
import gc
import json
import os
import resource
import socket
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
ROLE = sys.argv[1]
if ROLE == "checker":
    import checker as harness  # noqa: E402
else:
    import server as harness  # noqa: E402
import abwire  # noqa: E402

PERSIST = len(sys.argv) > 2 and sys.argv[2] == "persist"
LIBC = ctypes.CDLL(None, use_errno=True)
# The control socket moves out of the way of the run's fds 0-4.
os.dup2(3, 20)
os.close(3)
ctl = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET, fileno=20)
set_up = False  # the child's descriptors are in place


def limit(res, v, extra=0):
    if v >= 0:
        resource.setrlimit(res, (v, v + extra))


def child(q, fds):
    nfds, ncg = q["nfds"], q["ncg"]
    for fd in fds[nfds:nfds + ncg]:
        os.write(fd, b"0")
    if q.get("unshare") and LIBC.unshare(q["unshare"]) != 0:
        e = ctypes.get_errno()
        raise OSError(e, "unshare: " + os.strerror(e))
    for i in range(nfds):
        os.dup2(fds[i], 100 + i)
    for i in range(nfds):
        os.dup2(100 + i, i)
    os.closerange(nfds, 65536)
    global set_up
    set_up = True
    os.setsid()
    limit(resource.RLIMIT_CPU, q["cpu"], 1)
    limit(resource.RLIMIT_FSIZE, q["fsize"])
    limit(resource.RLIMIT_NOFILE, q["nofile"])
    limit(resource.RLIMIT_NPROC, q["nproc"])
    limit(resource.RLIMIT_CORE, 0)
    limit(resource.RLIMIT_MEMLOCK, 0)
    limit(resource.RLIMIT_MSGQUEUE, 0)
    uid = q["uid"]
    os.setgroups([uid])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    os.chdir("/work")
    os.umask(0o22)
    # The streams made by std_streams() now write to the run's fds.
    if ROLE == "server":
        sys.argv = ["server.py", "solution.py"]
    harness.main()
    sys.stdout.flush()


def std_streams():
    """sys.stdin, stdout and stderr as a fresh interpreter makes them for
    pipes (stderr line-buffered, with backslashreplace), made here once
    over a pipe: a child that made its own would spend 0.4 ms copying
    the pages it touches.  The zygote never reads or writes them; the
    child's fds 0-2 are the run's when it uses them."""
    r, w = os.pipe()
    saved = [os.dup(i) for i in range(3)]
    os.dup2(r, 0)
    os.dup2(w, 1)
    os.dup2(w, 2)
    sys.stdin = sys.__stdin__ = open(0, "r", encoding="utf-8",
                                     closefd=False)
    sys.stdout = sys.__stdout__ = open(1, "w", encoding="utf-8",
                                       closefd=False)
    sys.stderr = sys.__stderr__ = open(2, "w", buffering=1,
                                       encoding="utf-8",
                                       errors="backslashreplace",
                                       closefd=False)
    for f in (sys.stdin, sys.stdout, sys.stderr):
        f.seekable()
    for i in range(3):
        os.dup2(saved[i], i)
        os.close(saved[i])
    os.close(r)
    os.close(w)


def persist_run(q, fds):
    """Run one harness in this process (the checker)."""
    nfds = q["nfds"]
    for fd in fds[nfds:]:
        os.close(fd)
    for i in range(nfds):
        os.dup2(fds[i], i)
        if fds[i] != i:
            os.close(fds[i])
    sys.stdin = open(0, "r", closefd=False)
    sys.stdout = open(1, "w", closefd=False)
    sys.stderr = open(2, "w", closefd=False)
    t0 = os.times()
    status = 0
    # The run's CPU limit holds for what the checker does for it (a
    # value from the solution may make it work hard: a set of integers
    # that all hash alike): over it, SIGXCPU kills this zygote, and the
    # keeper charges its time to the run.
    cpu_rl = resource.getrlimit(resource.RLIMIT_CPU)
    if q.get("cpu", -1) >= 0:
        soft = int(t0.user + t0.system) + 1 + q["cpu"]
        if cpu_rl[1] != resource.RLIM_INFINITY:
            soft = min(soft, cpu_rl[1])
        resource.setrlimit(resource.RLIMIT_CPU, (soft, cpu_rl[1]))
    os.chdir("/work")
    try:
        harness.reset()
        harness.main()
        sys.stdout.flush()
    except BaseException:
        status = 1 << 8
        try:
            import traceback
            sys.stderr.write(traceback.format_exc()[-4000:])
            sys.stderr.flush()
        except BaseException:
            pass
    t1 = os.times()
    resource.setrlimit(resource.RLIMIT_CPU, cpu_rl)
    os.chdir("/")
    # Let go of everything of the run.
    null = os.open("/dev/null", os.O_RDWR)
    for i in range(nfds):
        os.dup2(null, i)
    os.close(null)
    for i in range(3, nfds):
        os.close(i)
    return {"status": status, "ut": int((t1.user - t0.user) * 1e6),
            "st": int((t1.system - t0.system) * 1e6), "rss": 0}


# What a child does first, done once here: the first compile() of a
# process builds the interpreter's AST types (about 1.5 ms and 200 pages
# of memory); a child forked after it finds them made.  The wire's
# encoder and decoder warm up the same way.
WARM = """\
import math


class _Point:
    def __init__(self, x):
        self.x = x


def _warm(xs: list[int], s: str = "a b") -> dict:
    seen = {x: i for i, x in enumerate(xs) if x % 2 == 0}
    words = [w.upper() for w in s.split() if w]
    try:
        return {"n": len(seen), "w": words, "t": (1, 2.5, None),
                "m": max(xs, default=0), "r": math.isqrt(10)}
    except ValueError as e:
        raise RuntimeError(str(e)) from None
"""


def warm_up():
    ns = {"__name__": "warm", "__builtins__": __builtins__}
    exec(compile(WARM, "<warm>", "exec"), ns)
    v = ns["_warm"]([1, 2, 3, 4])
    abwire.dec(json.loads(json.dumps(abwire.enc(v))))


def serve():
    warm_up()
    if not PERSIST:
        std_streams()
    # Objects of the zygote are shared with every child: keep the
    # collector off them, so that children do not copy their pages.
    gc.collect()
    gc.freeze()
    if PERSIST:
        # It lives outside the runs' cgroups: cap what a value from a
        # solution can make it allocate.
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        uid = int(os.environ["AB_CHECK_UID"])
        os.setgroups([uid])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    # Off the work directory it was started in: a new one is mounted for
    # every run, and the old one must not live on with the zygote.
    os.chdir("/")
    ctl.send(b'{"ready":1}')
    while True:
        try:
            msg, fds, _, _ = socket.recv_fds(ctl, 4096, 16)
        except InterruptedError:
            continue
        if not msg:
            os._exit(0)
        q = json.loads(msg)
        if PERSIST:
            ctl.send(b'{"pid":0}')
            ctl.send(json.dumps(persist_run(q, fds)).encode())
            continue
        pid = os.fork()
        if pid == 0:
            rc = 0
            try:
                ctl.close()
                child(q, fds)
            except SystemExit as e:
                rc = e.code if isinstance(e.code, int) else 1
            except BaseException:
                rc = 1
                try:
                    import traceback
                    sys.stderr.flush()
                    os.write(2 if set_up else fds[2],
                             traceback.format_exc().encode()[-4000:])
                except BaseException:
                    pass
            os._exit(rc)
        for fd in fds:
            os.close(fd)
        ctl.send(json.dumps({"pid": pid}).encode())
        _, status, ru = os.wait4(pid, 0)
        ctl.send(json.dumps({"status": status,
                             "ut": int(ru.ru_utime * 1e6),
                             "st": int(ru.ru_stime * 1e6),
                             "rss": ru.ru_maxrss}).encode())


serve()
