#!/usr/bin/env python3
"""A fake model server for ab-gen's tests (python3 standard library only).

Usage: fake-server.py PORTFILE [LOGFILE] [LIFETIME_S]

Listens on 127.0.0.1 on an ephemeral port, writes the port to PORTFILE,
appends one JSON line per request to LOGFILE (with the first 80 characters
of its first user message in "first_user"), and exits after LIFETIME_S
seconds (default 60).  Speaks three wire formats, streamed or not:

  POST /v1/chat/completions   OpenAI chat completions (SSE when streamed)
  POST /v1/messages           Anthropic Messages (SSE when streamed)
  POST /api/chat              Ollama chat (NDJSON when streamed)

Faults are chosen by the model name (words joined by "+") or an X-Fault
header, and count per model and conversation, so "m+fail500x2" fails twice
and then answers:

  fail429xN[raS]  429 with Retry-After: S (default 1) N times
  fail500xN       500 N times        dropxN     close the connection N times
  truncxN         cut the stream (or body) short N times
  nonjsonxN       200 with an HTML body N times
  slowMS          wait MS milliseconds before answering
  quota           429 insufficient_quota, always
  echokey         401 whose message repeats the API key, always
  nousage         no token counts in the reply

Agent conversations: with FAKE_SCRIPT=FILE in the environment, a request
whose messages contain the "match" string of one of FILE's scripts,
{"scripts": [{"match": "...", "turns": [TURN, ...]}]}, is answered with
the turn numbered by the assistant messages already in the conversation
(the last turn repeats).  A TURN is {"text": "..."} or {"tool_use":
[{"name": "Write", "input": {...}}, ...], "text": "optional"} (Anthropic
Messages: tool_use blocks, stop_reason "tool_use"; OpenAI chat: tool_calls).
"""
import hashlib
import json
import os
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
COUNTS = {}
LOGFILE = None


def answer_text(model, messages):
    """A deterministic answer that shows what the model was given."""
    user = ""
    system = ""
    for m in messages:
        if m.get("role") == "user":
            user = flat(m.get("content", ""))
        elif m.get("role") == "system":
            system = flat(m.get("content", ""))
    base = model.split("+")[0]
    digest = hashlib.sha256((system + "\x00" + user).encode()).hexdigest()[:8]
    helpers = system.count("### ")
    return ("```python\n# %s answers %s (helpers %d)\ndef solve():\n"
            "    return '%s'\n```\n" % (base, digest, helpers, digest))


def count_tokens(text):
    return max(1, len(flat(text)) // 4)


def flat(content):
    """The text of a message's content: a string or a list of blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        out = []
        for b in content:
            if isinstance(b, dict):
                for k in ("text", "content", "input"):
                    if k in b:
                        v = b[k]
                        out.append(v if isinstance(v, str) else
                                   flat(v) if isinstance(v, list) else
                                   json.dumps(v))
            elif isinstance(b, str):
                out.append(b)
        return "\n".join(out)
    return ""


SCRIPTS = None


def scripted_turn(messages):
    """The scripted answer for an agent conversation, or None."""
    global SCRIPTS
    path = os.environ.get("FAKE_SCRIPT")
    if not path:
        return None
    if SCRIPTS is None:
        with open(path) as fp:
            SCRIPTS = json.load(fp)["scripts"]
    text = "\n".join(flat(m.get("content", "")) for m in messages)
    for sc in SCRIPTS:
        if sc["match"] in text:
            n = sum(1 for m in messages if m.get("role") == "assistant")
            turns = sc["turns"]
            return turns[min(n, len(turns) - 1)]
    return None


def faults(model, header):
    spec = model.split("+")[1:] + ([header] if header else [])
    out = {}
    for word in spec:
        m = re.fullmatch(r"fail429x(\d+)(?:ra(\d+))?", word)
        if m:
            out["fail429"] = int(m.group(1))
            out["ra"] = m.group(2) if m.group(2) is not None else "1"
            continue
        m = re.fullmatch(r"(fail500|drop|trunc|nonjson)x(\d+)", word)
        if m:
            out[m.group(1)] = int(m.group(2))
            continue
        m = re.fullmatch(r"slow(\d+)", word)
        if m:
            out["slow"] = int(m.group(1))
            continue
        if word in ("quota", "echokey", "nousage"):
            out[word] = True
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def send_json(self, code, obj, extra=None):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def chunk(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n)
        try:
            req = json.loads(raw)
        except ValueError:
            self.send_json(400, {"error": {"message": "bad json"}})
            return
        path = self.path.split("?")[0]
        if path.endswith("/chat/completions"):
            kind = "openai"
        elif path.endswith("/messages"):
            kind = "anthropic"
        elif path.endswith("/api/chat"):
            kind = "ollama"
        else:
            self.send_json(404, {"error": {"message": "no such endpoint"}})
            return
        model = req.get("model", "")
        messages = list(req.get("messages", []))
        if kind == "anthropic" and req.get("system"):
            messages.insert(0, {"role": "system", "content": req["system"]})
        stream = bool(req.get("stream", False))
        key = self.headers.get("Authorization", "") or \
            self.headers.get("x-api-key", "") or \
            self.headers.get("api-key", "")
        key_header = next((h for h in ("Authorization", "x-api-key",
                                       "api-key") if self.headers.get(h)),
                          None)
        key = key[len("Bearer "):] if key.startswith("Bearer ") else key
        f = faults(model, self.headers.get("X-Fault", ""))
        conv = model + json.dumps(messages, sort_keys=True)
        with LOCK:
            seen = COUNTS.get(conv, 0)
            COUNTS[conv] = seen + 1
        if LOGFILE:
            with LOCK, open(LOGFILE, "a") as fp:
                fp.write(json.dumps({
                    "t": time.time(), "kind": kind, "model": model,
                    "path": self.path, "key_header": key_header,
                    "stream": stream, "attempt": seen + 1,
                    "has_key": bool(key),
                    "first_user": next((flat(m.get("content", ""))[:80]
                                       for m in messages
                                       if m.get("role") == "user"), ""),
                    "params": {k: v for k, v in req.items()
                               if k not in ("messages", "system")},
                }) + "\n")
        if f.get("slow"):
            time.sleep(f["slow"] / 1000.0)
        if f.get("quota"):
            self.send_json(429, {"error": {
                "message": "You exceeded your current quota",
                "type": "insufficient_quota"}}, {"Retry-After": "1"})
            return
        if f.get("echokey"):
            self.send_json(401, {"error": {
                "message": "Incorrect API key provided: %s" % key,
                "type": "invalid_request_error"}})
            return
        budget = 0
        for name in ("fail429", "fail500", "drop", "trunc", "nonjson"):
            if name not in f:
                continue
            if seen < budget + f[name]:
                return self.fault(name, f, kind, stream)
            budget += f[name]
        turn = scripted_turn(messages)
        tools = None
        if turn is not None:
            text = turn.get("text", "")
            tools = turn.get("tool_use")
        else:
            text = answer_text(model, messages)
        tin = sum(count_tokens(m.get("content", "")) for m in messages)
        tout = count_tokens(text) + (len(json.dumps(tools)) // 4
                                     if tools else 0)
        usage = not f.get("nousage")
        if tools:
            self.tool_reply(kind, model, text, tools, tin, tout, stream)
        elif stream:
            self.stream(kind, model, text, tin, tout, usage, req)
        else:
            self.whole(kind, model, text, tin, tout, usage)

    def fault(self, name, f, kind, stream):
        if name == "fail429":
            self.send_json(429, {"error": {"message": "slow down",
                                           "type": "rate_limit"}},
                           {"Retry-After": f["ra"]})
        elif name == "fail500":
            self.send_json(500, {"error": {"message": "internal error"}})
        elif name == "drop":
            self.drop()
        elif name == "nonjson":
            body = b"<html><body>502 Bad Gateway</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif name == "trunc":
            if stream:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                if kind == "ollama":
                    self.chunk(json.dumps({"message": {"content": "par"},
                                           "done": False}) + "\n")
                elif kind == "anthropic":
                    self.chunk("event: content_block_delta\ndata: " +
                               json.dumps({"type": "content_block_delta",
                                           "delta": {"text": "par"}}) +
                               "\n\n")
                else:
                    self.chunk("data: " + json.dumps({"choices": [{
                        "delta": {"content": "par"}}]}) + "\n\n")
                self.drop()
            else:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "500")
                self.end_headers()
                self.wfile.write(b'{"choices": [')
                self.wfile.flush()
                self.drop()

    def tool_reply(self, kind, model, text, tools, tin, tout, stream):
        """A reply that asks the client to run tools."""
        ids = ["toolu_%02d_%s" % (i, hashlib.sha256(json.dumps(
            t, sort_keys=True).encode()).hexdigest()[:12])
            for i, t in enumerate(tools)]
        if kind == "anthropic":
            blocks = ([{"type": "text", "text": text}] if text else []) + [
                {"type": "tool_use", "id": i, "name": t["name"],
                 "input": t["input"]} for i, t in zip(ids, tools)]
            usage = {"input_tokens": tin, "output_tokens": tout}
            if not stream:
                self.send_json(200, {
                    "id": "msg_t", "type": "message", "role": "assistant",
                    "model": model, "content": blocks,
                    "stop_reason": "tool_use", "stop_sequence": None,
                    "usage": usage})
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()

            def ev(name, obj):
                self.chunk("event: %s\ndata: %s\n\n" % (name,
                                                         json.dumps(obj)))
            ev("message_start", {"type": "message_start", "message": {
                "id": "msg_t", "type": "message", "role": "assistant",
                "model": model, "content": [], "stop_reason": None,
                "stop_sequence": None,
                "usage": {"input_tokens": tin, "output_tokens": 1}}})
            for n, b in enumerate(blocks):
                if b["type"] == "text":
                    ev("content_block_start", {
                        "type": "content_block_start", "index": n,
                        "content_block": {"type": "text", "text": ""}})
                    ev("content_block_delta", {
                        "type": "content_block_delta", "index": n,
                        "delta": {"type": "text_delta", "text": b["text"]}})
                else:
                    ev("content_block_start", {
                        "type": "content_block_start", "index": n,
                        "content_block": {"type": "tool_use", "id": b["id"],
                                          "name": b["name"], "input": {}}})
                    ev("content_block_delta", {
                        "type": "content_block_delta", "index": n,
                        "delta": {"type": "input_json_delta",
                                  "partial_json": json.dumps(b["input"])}})
                ev("content_block_stop", {"type": "content_block_stop",
                                          "index": n})
            ev("message_delta", {"type": "message_delta", "delta": {
                "stop_reason": "tool_use", "stop_sequence": None},
                "usage": {"output_tokens": tout}})
            ev("message_stop", {"type": "message_stop"})
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            return
        calls = [{"id": i, "type": "function", "function": {
            "name": t["name"], "arguments": json.dumps(t["input"])}}
            for i, t in zip(ids, tools)]
        self.send_json(200, {
            "id": "c_t", "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "finish_reason": "tool_calls",
                         "message": {"role": "assistant",
                                     "content": text or None,
                                     "tool_calls": calls}}],
            "usage": {"prompt_tokens": tin, "completion_tokens": tout,
                      "total_tokens": tin + tout}})

    def whole(self, kind, model, text, tin, tout, usage):
        if kind == "anthropic":
            obj = {"id": "msg_1", "type": "message", "model": model,
                   "content": [{"type": "text", "text": text}]}
            if usage:
                obj["usage"] = {"input_tokens": tin, "output_tokens": tout}
        elif kind == "ollama":
            obj = {"model": model, "done": True,
                   "message": {"role": "assistant", "content": text}}
            if usage:
                obj["prompt_eval_count"] = tin
                obj["eval_count"] = tout
        else:
            obj = {"id": "c1", "object": "chat.completion", "model": model,
                   "choices": [{"index": 0, "finish_reason": "stop",
                                "message": {"role": "assistant",
                                            "content": text}}]}
            if usage:
                obj["usage"] = {"prompt_tokens": tin,
                                "completion_tokens": tout,
                                "total_tokens": tin + tout}
        self.send_json(200, obj)

    def stream(self, kind, model, text, tin, tout, usage, req):
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson"
                         if kind == "ollama" else "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        step = max(1, len(text) // 3)
        parts = [text[i:i + step] for i in range(0, len(text), step)]
        if kind == "openai":
            self.chunk(": keep-alive comment\n\n")
            self.chunk("data: " + json.dumps({"model": model, "choices": [{
                "index": 0, "delta": {"role": "assistant"},
                "finish_reason": None}]}) + "\n\n")
            for p in parts:
                # CRLF line ends on some events, to exercise the parser.
                self.chunk("data: " + json.dumps({"model": model, "choices": [
                    {"index": 0, "delta": {"content": p},
                     "finish_reason": None}]}) + "\r\n\r\n")
            self.chunk("data: " + json.dumps({"model": model, "choices": [{
                "index": 0, "delta": {}, "finish_reason": "stop"}]}) +
                "\n\n")
            if usage and (req.get("stream_options") or {}).get(
                    "include_usage"):
                self.chunk("data: " + json.dumps({
                    "model": model, "choices": [],
                    "usage": {"prompt_tokens": tin,
                              "completion_tokens": tout}}) + "\n\n")
            self.chunk("data: [DONE]\n\n")
        elif kind == "anthropic":
            start = {"type": "message_start", "message": {
                "id": "msg_1", "model": model, "content": [],
                "usage": {"input_tokens": tin if usage else None,
                          "output_tokens": 1}}}
            if not usage:
                del start["message"]["usage"]
            self.chunk("event: message_start\ndata: " + json.dumps(start) +
                       "\n\n")
            self.chunk("event: ping\ndata: {\"type\": \"ping\"}\n\n")
            for p in parts:
                self.chunk("event: content_block_delta\ndata: " + json.dumps({
                    "type": "content_block_delta", "index": 0,
                    "delta": {"type": "text_delta", "text": p}}) + "\n\n")
            delta = {"type": "message_delta",
                     "delta": {"stop_reason": "end_turn"}}
            if usage:
                delta["usage"] = {"output_tokens": tout}
            self.chunk("event: message_delta\ndata: " + json.dumps(delta) +
                       "\n\n")
            self.chunk("event: message_stop\ndata: " +
                       json.dumps({"type": "message_stop"}) + "\n\n")
        else:
            for p in parts:
                self.chunk(json.dumps({"model": model, "done": False,
                                       "message": {"role": "assistant",
                                                   "content": p}}) + "\n")
            last = {"model": model, "done": True,
                    "message": {"role": "assistant", "content": ""}}
            if usage:
                last["prompt_eval_count"] = tin
                last["eval_count"] = tout
            self.chunk(json.dumps(last) + "\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def main():
    global LOGFILE
    portfile = sys.argv[1]
    LOGFILE = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
    lifetime = float(sys.argv[3]) if len(sys.argv) > 3 else 60.0
    ThreadingHTTPServer.request_queue_size = 256
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    tmp = portfile + ".tmp"
    with open(tmp, "w") as fp:
        fp.write("%d\n" % srv.server_address[1])
    os.rename(tmp, portfile)
    threading.Timer(lifetime, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
