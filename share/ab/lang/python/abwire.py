"""ab-exec: the wire between the checker and the solution's server.

Messages are 4-byte big-endian lengths followed by JSON.  Values are
tagged so that tuples, sets, dicts with any keys, bytes, non-finite
floats, built-in types, and the standard library's value types
(Counter, OrderedDict, defaultdict, deque, namedtuple, Fraction,
Decimal, datetime's types, range) survive; decoding builds them from
plain data with this module's own classes, so nothing the solution
sends can carry behaviour (no __eq__, no __hash__ of its own).

What is none of these (an object of the solution's own class, a module,
a generator, an exception) is handed to the side's `other` hook: the
server keeps the object and sends a reference, the checker makes a
stand-in that reaches it (see checker.py)."""
import builtins
import collections
import json
import math
import os
import sys

MAX = 16 << 20

# Taken before any solution code runs in this process: a solution that
# rebinds builtins.ValueError later does not change what is the built-in.
BUILTIN_TYPES = {n: v for n, v in vars(builtins).items()
                 if isinstance(v, type)}
_BUILTIN_NAME = {id(v): n for n, v in BUILTIN_TYPES.items()}
_Counter = collections.Counter
_OrderedDict = collections.OrderedDict
_defaultdict = collections.defaultdict
_deque = collections.deque
# The standard library's value types the wire rebuilds, by the module
# that defines them: the sender compares identities with the module as
# it loaded it, the receiver imports it (these modules only).
_STDLIB = {"fractions": ("Fraction",), "decimal": ("Decimal",),
           "datetime": ("date", "datetime", "time", "timedelta",
                        "timezone")}


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


def opaque(v):
    try:
        text = repr(v)[:200]
    except Exception:
        text = "?"
    return {"$o": type(v).__name__, "r": text}


def _stdlib_type(t):
    """("module", "name") when t is one of the value types of _STDLIB, as
    this process loaded them."""
    for mod, names in _STDLIB.items():
        m = sys.modules.get(mod)
        if m is None:
            continue
        for n in names:
            if getattr(m, n, None) is t:
                return mod, n
    return None


def type_name(t):
    """The wire name of a type both sides know by name, else None."""
    n = _BUILTIN_NAME.get(id(t))
    if n is not None and BUILTIN_TYPES[n] is t:
        return n
    for n, c in (("collections.Counter", _Counter),
                 ("collections.OrderedDict", _OrderedDict),
                 ("collections.defaultdict", _defaultdict),
                 ("collections.deque", _deque)):
        if t is c:
            return n
    s = _stdlib_type(t)
    return s[0] + "." + s[1] if s else None


def _stdlib(mod, name):
    if name not in _STDLIB.get(mod, ()):
        raise ValueError("bad value on the wire")
    return getattr(__import__(mod), name)


def named_type(n):
    n = str(n)
    if n in BUILTIN_TYPES:
        return BUILTIN_TYPES[n]
    if n.startswith("collections."):
        c = {"Counter": _Counter, "OrderedDict": _OrderedDict,
             "defaultdict": _defaultdict, "deque": _deque}.get(n[12:])
        if c is not None:
            return c
    mod, _, name = n.partition(".")
    return _stdlib(mod, name)


def _pairs(v, depth, other):
    return [[enc(k, depth + 1, other), enc(x, depth + 1, other)]
            for k, x in dict.items(v)]


def _tz(tz):
    """A fixed offset in seconds, None for naive; raises for another tzinfo."""
    if tz is None:
        return None
    dt = sys.modules["datetime"]
    if type(tz) is not dt.timezone:
        raise TypeError("tzinfo")
    return tz.utcoffset(None).total_seconds()


def enc(v, depth=0, other=None):
    """v as JSON-ready data; `other(v, depth)` encodes what the wire does
    not carry by value (default: an Opaque)."""
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
        return [enc(x, depth + 1, other) for x in v]
    if t is tuple:
        return {"$t": [enc(x, depth + 1, other) for x in v]}
    if t is dict:
        return {"$d": _pairs(v, depth, other)}
    if t is set or t is frozenset:
        return {"$s" if t is set else "$fs":
                [enc(x, depth + 1, other) for x in v]}
    if t is bytes or t is bytearray:
        return {"$b": bytes(v).hex()}
    if t is complex:
        return {"$c": [enc(v.real), enc(v.imag)]}
    if t is _Counter or t is _OrderedDict:
        return {"$m": t.__name__, "d": _pairs(v, depth, other)}
    if t is _defaultdict:
        return {"$m": "defaultdict", "d": _pairs(v, depth, other),
                "f": enc(v.default_factory, depth + 1, other)}
    if t is _deque:
        return {"$m": "deque", "l": [enc(x, depth + 1, other) for x in v],
                "max": v.maxlen}
    if t is range:
        return {"$m": "range", "a": [v.start, v.stop, v.step]}
    if isinstance(v, type):
        n = type_name(v)
        if n is not None:
            return {"$ty": n}
    s = _stdlib_type(t)
    if s is not None:
        try:
            return _enc_stdlib(s[1], v)
        except (TypeError, ValueError, AttributeError, KeyError):
            pass
    # A namedtuple: a class made by collections.namedtuple, rebuilt by
    # name and fields on the other side.
    if isinstance(v, tuple) and t.__bases__ == (tuple,):
        fields = t.__dict__.get("_fields")
        if (type(fields) is tuple and len(fields) == tuple.__len__(v)
                and len(fields) <= 255
                and all(type(f) is str for f in fields)):
            return {"$nt": str(t.__name__)[:200], "f": list(fields),
                    "v": [enc(x, depth + 1, other)
                          for x in tuple.__iter__(v)]}
    # Other subclasses of the built-ins travel as their plain value.
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
                        else tuple.__iter__(v)), depth, other)
    if isinstance(v, dict):
        return {"$d": _pairs(v, depth, other)}
    if isinstance(v, (set, frozenset)):
        return enc((set if isinstance(v, set) else frozenset)(
            set.__iter__(v) if isinstance(v, set)
            else frozenset.__iter__(v)), depth, other)
    if other is not None:
        return other(v, depth)
    return opaque(v)


def _enc_stdlib(name, v):
    if name == "Fraction":
        return {"$m": name, "a": [int(v.numerator), int(v.denominator)]}
    if name == "Decimal":
        return {"$m": name, "a": [str(v)]}
    if name == "date":
        return {"$m": name, "a": [v.year, v.month, v.day]}
    if name == "datetime":
        return {"$m": name, "a": [v.year, v.month, v.day, v.hour, v.minute,
                                  v.second, v.microsecond, _tz(v.tzinfo),
                                  v.fold]}
    if name == "time":
        return {"$m": name, "a": [v.hour, v.minute, v.second, v.microsecond,
                                  _tz(v.tzinfo), v.fold]}
    if name == "timedelta":
        return {"$m": name, "a": [v.days, v.seconds, v.microseconds]}
    if name == "timezone":
        return {"$m": name, "a": [_tz(v)]}
    raise TypeError(name)


def _dec_stdlib(name, a):
    a = list(a)
    if name == "Fraction":
        return _stdlib("fractions", name)(int(a[0]), int(a[1]))
    if name == "Decimal":
        return _stdlib("decimal", name)(str(a[0]))
    dt = __import__("datetime")

    def tz(s):
        return None if s is None else dt.timezone(dt.timedelta(seconds=s))
    if name == "date":
        return dt.date(*map(int, a[:3]))
    if name == "datetime":
        return dt.datetime(*map(int, a[:7]), tzinfo=tz(a[7]),
                           fold=int(a[8]))
    if name == "time":
        return dt.time(*map(int, a[:4]), tzinfo=tz(a[4]), fold=int(a[5]))
    if name == "timedelta":
        return dt.timedelta(int(a[0]), int(a[1]), int(a[2]))
    if name == "timezone":
        return tz(a[0])
    raise ValueError("bad value on the wire")


_namedtuples = {}


def _namedtuple(name, fields):
    key = (name, fields)
    c = _namedtuples.get(key)
    if c is None:
        if len(_namedtuples) >= 256:
            _namedtuples.clear()
        c = _namedtuples[key] = collections.namedtuple(name, fields)
    return c


def dec(v, depth=0, other=None):
    """Data from the wire as a value; `other(v, depth)` decodes the tags
    of the side's references ($r, $cls, $e; default: an error)."""
    if depth > 200:
        raise ValueError("value nested too deeply")
    t = type(v)
    if v is None or t is bool or t is int or t is float or t is str:
        return v
    if t is list:
        return [dec(x, depth + 1, other) for x in v]
    if t is not dict or len(v) > 8:
        raise ValueError("bad value on the wire")
    d = depth + 1
    if "$t" in v:
        return tuple(dec(x, d, other) for x in v["$t"])
    if "$d" in v:
        return {dec(k, d, other): dec(x, d, other) for k, x in v["$d"]}
    if "$s" in v:
        return set(dec(x, d, other) for x in v["$s"])
    if "$fs" in v:
        return frozenset(dec(x, d, other) for x in v["$fs"])
    if "$f" in v:
        return float(str(v["$f"]))
    if "$b" in v:
        return bytes.fromhex(str(v["$b"]))
    if "$c" in v:
        return complex(float(v["$c"][0]), float(v["$c"][1]))
    if "$ty" in v:
        return named_type(v["$ty"])
    if "$m" in v:
        m = v["$m"]
        if m == "Counter" or m == "OrderedDict":
            c = _Counter() if m == "Counter" else _OrderedDict()
            for k, x in v["d"]:
                c[dec(k, d, other)] = dec(x, d, other)
            return c
        if m == "defaultdict":
            f = dec(v["f"], d, other)
            c = _defaultdict(f if callable(f) else None)
            for k, x in v["d"]:
                c[dec(k, d, other)] = dec(x, d, other)
            return c
        if m == "deque":
            mx = v.get("max")
            return _deque((dec(x, d, other) for x in v["l"]),
                          None if mx is None else int(mx))
        if m == "range":
            return range(*(int(x) for x in v["a"]))
        return _dec_stdlib(str(m), v["a"])
    if "$nt" in v:
        fields = tuple(str(f) for f in v["f"])
        vals = [dec(x, d, other) for x in v["v"]]
        if len(fields) != len(vals) or len(fields) > 255:
            raise ValueError("bad value on the wire")
        return _namedtuple(str(v["$nt"]), fields)(*vals)
    if "$o" in v:
        return Opaque(str(v["$o"]), str(v.get("r", "")))
    if other is not None:
        return other(v, depth)
    raise ValueError("bad value on the wire")
