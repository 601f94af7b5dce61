"""ab-exec: the wire between the checker and the solution's server.

Messages are 4-byte big-endian lengths followed by JSON.  Values are
tagged so that tuples, sets, dicts with any keys, bytes and non-finite
floats survive; decoding builds plain built-in values only, so nothing the
solution sends can carry behaviour (no __eq__, no __hash__ of its own)."""
import json
import math
import os

MAX = 16 << 20


class Opaque:
    """A value the wire cannot carry: equal only to itself."""
    __slots__ = ("type", "text")

    def __init__(self, type_, text):
        self.type, self.text = type_, text

    def __repr__(self):
        return "<%s %s>" % (self.type, self.text)


def send(fd, obj):
    data = json.dumps(obj, separators=(",", ":"), allow_nan=False).encode()
    buf = len(data).to_bytes(4, "big") + data
    while buf:
        n = os.write(fd, buf)
        buf = buf[n:]


def _readn(fd, n):
    parts = []
    while n > 0:
        b = os.read(fd, min(n, 1 << 20))
        if not b:
            raise EOFError
        parts.append(b)
        n -= len(b)
    return b"".join(parts)


def recv(fd):
    n = int.from_bytes(_readn(fd, 4), "big")
    if n > MAX:
        raise ValueError("message too long")
    return json.loads(_readn(fd, n))


def enc(v, depth=0):
    if depth > 200:
        raise ValueError("value nested too deeply")
    t = type(v)
    if v is None or t is bool or t is str:
        return v
    if t is int:
        return v
    if t is float:
        if math.isfinite(v):
            return v
        return {"$f": repr(v)}
    if t is list:
        return [enc(x, depth + 1) for x in v]
    if t is tuple:
        return {"$t": [enc(x, depth + 1) for x in v]}
    if t is dict:
        return {"$d": [[enc(k, depth + 1), enc(x, depth + 1)]
                       for k, x in v.items()]}
    if t is set or t is frozenset:
        return {"$s" if t is set else "$fs":
                [enc(x, depth + 1) for x in v]}
    if t is bytes or t is bytearray:
        return {"$b": bytes(v).hex()}
    if t is complex:
        return {"$c": [enc(v.real), enc(v.imag)]}
    # Subclasses of the built-ins travel as their plain value.
    if isinstance(v, bool):
        return bool(v)
    if isinstance(v, int):
        return int.__index__(v)
    if isinstance(v, float):
        return enc(float.__float__(v), depth)
    if isinstance(v, str):
        return str.__str__(v)
    if isinstance(v, (list, tuple)):
        return enc(list(list.__iter__(v) if isinstance(v, list)
                        else tuple.__iter__(v)), depth)
    try:
        text = repr(v)[:200]
    except Exception:
        text = "?"
    return {"$o": type(v).__name__, "r": text}


def dec(v, depth=0):
    if depth > 200:
        raise ValueError("value nested too deeply")
    t = type(v)
    if v is None or t is bool or t is int or t is float or t is str:
        return v
    if t is list:
        return [dec(x, depth + 1) for x in v]
    if t is not dict or len(v) > 2:
        raise ValueError("bad value on the wire")
    if "$t" in v:
        return tuple(dec(x, depth + 1) for x in v["$t"])
    if "$d" in v:
        return {dec(k, depth + 1): dec(x, depth + 1) for k, x in v["$d"]}
    if "$s" in v:
        return set(dec(x, depth + 1) for x in v["$s"])
    if "$fs" in v:
        return frozenset(dec(x, depth + 1) for x in v["$fs"])
    if "$f" in v:
        return float(str(v["$f"]))
    if "$b" in v:
        return bytes.fromhex(str(v["$b"]))
    if "$c" in v:
        return complex(float(v["$c"][0]), float(v["$c"][1]))
    if "$o" in v:
        return Opaque(str(v["$o"]), str(v.get("r", "")))
    raise ValueError("bad value on the wire")
