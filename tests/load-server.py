#!/usr/bin/env python3
"""A scripted streaming model server for ab-gen's load tests (python3
standard library only).

Usage: load-server.py PORTFILE LOGFILE LIFETIME_S [option=value ...]

Listens on 127.0.0.1 on an ephemeral port, writes the port to PORTFILE and
exits after LIFETIME_S seconds.  Answers POST /v1/chat/completions in the
OpenAI format, streamed (server-sent events, one event per token) or not.
Its behaviour is fixed by the options, so that the load a client reports
can be checked against what the server knows it did:

  prefill_ms=P   time from taking a slot to the first token (default 20)
  token_ms=T     time between tokens (default 5)
  tokens=N       tokens per answer, at most the request's max_tokens (8)
  slots=C        requests served at once; more wait for a slot (queue)
                 (default 1000: no queueing)
  max_rps=R      answer 429 to a request arriving when more than R arrived
                 in the second before it (default: never)
  pause_at=S     S seconds after the first request, every stream stalls ...
  pause_ms=D     ... for D milliseconds (default: no pause)
  cold=K         the first K requests ...
  cold_ms=C      ... wait C ms more before their first token (a cold
                 start, for warm-ups)
  status=CODE    answer every request with this HTTP status (429: a storm
                 of rate limits; 401: a bad key)

LOGFILE gets one JSON line per request, the ground truth: {"arrive",
"start" (slot taken), "first" (first token sent), "end", "status",
"tokens"}, times in seconds on the server's monotonic clock.
"""
import asyncio
import json
import socket
import sys
import time

OPT = {"prefill_ms": 20.0, "token_ms": 5.0, "tokens": 8, "slots": 1000,
       "max_rps": 0.0, "pause_at": -1.0, "pause_ms": 0.0, "status": 0,
       "cold": 0, "cold_ms": 0.0}
STATE = {"t0": None, "arrivals": [], "served": 0}
LOG = None
SLOTS = None


def log(entry):
    LOG.write(json.dumps(entry) + "\n")
    LOG.flush()


async def pause_point(now):
    """Sleep through the scripted pause if now falls inside it."""
    if OPT["pause_at"] < 0 or STATE["t0"] is None:
        return
    a = STATE["t0"] + OPT["pause_at"]
    b = a + OPT["pause_ms"] / 1000
    if a <= now < b:
        await asyncio.sleep(b - now)


async def respond(writer, code, body, ctype="application/json", extra=""):
    reason = {200: "OK", 401: "Unauthorized", 429: "Too Many Requests",
              500: "Internal Server Error"}.get(code, "Error")
    data = body.encode()
    writer.write(("HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
                  "Content-Length: %d\r\n%s\r\n" %
                  (code, reason, ctype, len(data), extra)).encode() + data)
    await writer.drain()


async def serve(reader, writer, req):
    now = time.monotonic()
    if STATE["t0"] is None:
        STATE["t0"] = now
    entry = {"arrive": now}
    arr = STATE["arrivals"]
    while arr and arr[0] < now - 1:
        arr.pop(0)
    arr.append(now)
    status = int(OPT["status"])
    if status == 0 and OPT["max_rps"] > 0 and len(arr) > OPT["max_rps"]:
        status = 429
    if status:
        entry.update(status=status, end=time.monotonic())
        log(entry)
        msg = {"error": {"message": "scripted %d" % status,
                         "type": "rate_limit" if status == 429 else "auth"}}
        await respond(writer, status, json.dumps(msg),
                      extra="Retry-After: 1\r\n" if status == 429 else "")
        return
    n = int(OPT["tokens"])
    if isinstance(req.get("max_tokens"), int):
        n = max(1, min(n, req["max_tokens"]))
    stream = bool(req.get("stream"))
    async with SLOTS:
        entry["start"] = time.monotonic()
        STATE["served"] += 1
        cold = OPT["cold_ms"] if STATE["served"] <= OPT["cold"] else 0
        await asyncio.sleep((OPT["prefill_ms"] + cold) / 1000)
        if not stream:
            await pause_point(time.monotonic())
            for _ in range(n - 1):
                await asyncio.sleep(OPT["token_ms"] / 1000)
            entry["first"] = time.monotonic()
            body = {"id": "c1", "object": "chat.completion", "model": "load",
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant",
                                             "content": "tok " * n}}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": n}}
            await respond(writer, 200, json.dumps(body))
        else:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream"
                         b"\r\nTransfer-Encoding: chunked\r\n\r\n")
            for i in range(n):
                if i > 0:
                    await asyncio.sleep(OPT["token_ms"] / 1000)
                await pause_point(time.monotonic())
                ev = {"model": "load", "choices": [{"index": 0, "delta": {
                    "content": "tok%d " % i}, "finish_reason": None}]}
                if i == 0:
                    entry["first"] = time.monotonic()
                chunk("data: %s\n\n" % json.dumps(ev), writer)
                await writer.drain()
            ev = {"model": "load", "choices": [{"index": 0, "delta": {},
                  "finish_reason": "stop"}],
                  "usage": {"prompt_tokens": 10, "completion_tokens": n}}
            chunk("data: %s\n\n" % json.dumps(ev), writer)
            chunk("data: [DONE]\n\n", writer)
            writer.write(b"0\r\n\r\n")
            await writer.drain()
    entry.update(status=200, end=time.monotonic(), tokens=n)
    log(entry)


def chunk(s, writer):
    data = s.encode()
    writer.write(b"%x\r\n%s\r\n" % (len(data), data))


async def handle(reader, writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            length = 0
            while True:
                h = await reader.readline()
                if h in (b"\r\n", b"\n", b""):
                    break
                k, _, v = h.decode("latin-1").partition(":")
                if k.strip().lower() == "content-length":
                    length = int(v.strip())
            body = await reader.readexactly(length) if length else b"{}"
            try:
                req = json.loads(body)
            except ValueError:
                req = {}
            await serve(reader, writer, req)
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main():
    global LOG, SLOTS
    portfile, logfile, lifetime = sys.argv[1], sys.argv[2], float(sys.argv[3])
    for a in sys.argv[4:]:
        k, _, v = a.partition("=")
        if k not in OPT:
            sys.exit("load-server: unknown option " + k)
        OPT[k] = float(v)
    LOG = open(logfile, "a")
    SLOTS = asyncio.Semaphore(int(OPT["slots"]))
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=512)
    port = server.sockets[0].getsockname()[1]
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % port)
    import os
    os.rename(portfile + ".tmp", portfile)
    await asyncio.sleep(lifetime)


if __name__ == "__main__":
    asyncio.run(main())
