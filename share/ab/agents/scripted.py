#!/usr/bin/env python3
"""ab's scripted agent: a small, offline coding agent for the demo and the
tests (python3 standard library only).

It talks to its model through the relay like a real agent CLI (OpenAI chat
completions at $OPENAI_BASE_URL with $OPENAI_API_KEY), shows the model the
instruction and the workspace's text files, and applies the edits the model
sends back:

    ```file:PATH          the whole new content of PATH
    ...
    ```
    ```delete:PATH
    ```

It stops when a reply says DONE on a line of its own, or after --turns
turns, and prints the model's last message.

Usage: scripted.py [--turns N] [--stream] INSTRUCTION_FILE WORKSPACE MODEL
"""
import json
import os
import re
import sys
import urllib.error
import urllib.request

SYSTEM = ("You are a coding agent working in a repository. Reply with "
          "the files to change as fenced blocks: ```file:PATH then the "
          "whole new content of the file, then ```; ```delete:PATH``` "
          "removes a file. Say DONE on a line of its own when finished.")
MAX_SHOWN = 64 * 1024


def workspace_text(root):
    out, total = [], 0
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x != ".git")
        for f in sorted(files):
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)
            try:
                with open(p, "rb") as fh:
                    data = fh.read(MAX_SHOWN + 1)
                text = data.decode("utf-8")
            except (OSError, UnicodeDecodeError):
                out.append("### %s (binary)\n" % rel)
                continue
            if total + len(text) > MAX_SHOWN:
                out.append("### %s (not shown)\n" % rel)
                continue
            total += len(text)
            out.append("### %s\n```\n%s```\n" % (rel, text))
    return "\n".join(out)


def ask(base, key, model, messages, stream):
    body = {"model": model, "messages": messages, "stream": stream}
    req = urllib.request.Request(
        base.rstrip("/") + "/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json",
                 "Authorization": "Bearer " + key})
    with urllib.request.urlopen(req, timeout=600) as r:
        if not stream:
            j = json.load(r)
            return j["choices"][0]["message"].get("content") or ""
        text = []
        for line in r:
            line = line.decode().strip()
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                break
            j = json.loads(data)
            for ch in j.get("choices") or []:
                text.append((ch.get("delta") or {}).get("content") or "")
        return "".join(text)


BLOCK = re.compile(r"^```(file|delete):([^\n`]+)\n(.*?)^```[ \t]*$",
                   re.S | re.M)


def apply_edits(root, reply):
    done = []
    for kind, path, body in BLOCK.findall(reply):
        path = os.path.normpath(path.strip())
        if path.startswith("..") or os.path.isabs(path) or \
                path.split(os.sep)[0] == ".git":
            print("scripted: refusing path %s" % path, file=sys.stderr)
            continue
        full = os.path.join(root, path)
        if kind == "delete":
            if os.path.lexists(full):
                os.unlink(full)
        else:
            os.makedirs(os.path.dirname(full) or ".", exist_ok=True)
            with open(full, "w") as fh:
                fh.write(body)
        done.append("%s %s" % (kind, path))
    return done


def main(argv):
    turns, stream = 4, False
    while argv and argv[0].startswith("--"):
        if argv[0] == "--turns":
            turns = int(argv[1])
            argv = argv[2:]
        elif argv[0] == "--stream":
            stream = True
            argv = argv[1:]
        else:
            print("scripted: unknown option %s" % argv[0], file=sys.stderr)
            return 2
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    instruction, root, model = argv
    base = os.environ.get("OPENAI_BASE_URL", "")
    key = os.environ.get("OPENAI_API_KEY", "")
    if not base.startswith("http"):
        print("scripted: no model (OPENAI_BASE_URL is not set)",
              file=sys.stderr)
        return 3
    with open(instruction) as fh:
        task = fh.read()
    messages = [{"role": "system", "content": SYSTEM},
                {"role": "user", "content": "%s\n\n# Files\n\n%s" %
                 (task, workspace_text(root))}]
    reply = ""
    for turn in range(turns):
        try:
            reply = ask(base, key, model, messages, stream)
        except urllib.error.HTTPError as e:
            print("scripted: the model refused: HTTP %d %s" %
                  (e.code, e.read().decode(errors="replace")[:300]),
                  file=sys.stderr)
            return 4
        done = apply_edits(root, reply)
        print("scripted: turn %d: %s" % (turn + 1, ", ".join(done) or
                                          "no edits"), file=sys.stderr)
        if re.search(r"^DONE\s*$", reply, re.M):
            break
        messages.append({"role": "assistant", "content": reply})
        messages.append({"role": "user", "content": "Applied: %s. Go on, "
                         "or say DONE." % (", ".join(done) or "nothing")})
    print(re.sub(r"^DONE\s*$", "", reply, flags=re.M).strip())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
