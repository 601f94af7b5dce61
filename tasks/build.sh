#!/bin/sh
# build.sh - assemble the task files tasks/*.ndjson from their sources.
#
# Each task is a directory tasks/src/ID/ holding task.json (the task without
# its solutions), reference.EXT (the reference solution) and mutant-N.EXT
# (plausible wrong solutions its tests must reject).  In task.json a member
# NAME_file (at any depth) is replaced by NAME with that file's contents,
# so long test code, inputs and starter code can live in their own files.
# A task whose suite is "starter" goes to tasks/starter.ndjson, every other
# task to tasks/LANGUAGE.ndjson; tasks are in directory order, members in
# the order of task.json, then reference and mutants.
#
# A workspace task (see ab-task(5), "Workspace tasks") is a directory
# tasks/src/ws-NAME/ holding task.json (kind "workspace": the language,
# difficulty, category, grading command and limits), instruction.md (the
# prompt), workspace/ (the project the agent starts from), tests/ (the
# hidden grading files: tests/PATH is written at PATH in the workspace
# after the answer's patch), solution.patch or solution.sh (the reference)
# and wrong-N.patch (plausible wrong answers its tests must reject, kept
# as "mutants").  Files are text when they are UTF-8, base64 otherwise;
# an executable file gets mode "755".  They go to tasks/workspace.ndjson.
#
# The assembly is done by python3, not jq: jq 1.6 rewrites 3.0 as 3 and
# rounds integers beyond 2^53, and call-style tests compare type-strictly.
#
# usage: tasks/build.sh [-c]
#   -c  check only: exit 1 if a committed task file differs from its sources
set -eu
here=$(cd "$(dirname "$0")" && pwd)
check=0
case ${1:-} in
-c) check=1 ;;
'') ;;
*) echo "usage: tasks/build.sh [-c]" >&2; exit 2 ;;
esac
out=$(mktemp -d "${TMPDIR:-/tmp}/ab-tasks.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM

python3 - "$here/src" "$out" <<'PY'
import base64, json, os, sys

src, out = sys.argv[1], sys.argv[2]
status = 0


def inline(v, files, tid):
    if isinstance(v, dict):
        r = {}
        for k, x in v.items():
            if k.endswith("_file"):
                if x not in files:
                    raise ValueError("%s: no file %s" % (tid, x))
                r[k[:-5]] = files[x]
            else:
                r[k] = inline(x, files, tid)
        return r
    if isinstance(v, list):
        return [inline(x, files, tid) for x in v]
    return v


def tree(top, tid):
    """The files beneath top as workspace file objects, in path order."""
    out = []
    if not os.path.isdir(top):
        raise ValueError("%s: no directory %s" % (tid, os.path.basename(top)))
    for dp, dns, fns in os.walk(top):
        dns.sort()
        for f in sorted(fns):
            full = os.path.join(dp, f)
            rel = os.path.relpath(full, top).replace(os.sep, "/")
            if os.path.islink(full):
                raise ValueError("%s: %s is a symbolic link" % (tid, rel))
            with open(full, "rb") as fh:
                data = fh.read()
            o = {"path": rel}
            try:
                o["text"] = data.decode("utf-8")
            except UnicodeDecodeError:
                o["base64"] = base64.b64encode(data).decode("ascii")
            if os.stat(full).st_mode & 0o100:
                o["mode"] = "755"
            out.append(o)
    return sorted(out, key=lambda o: o["path"])


def workspace_task(d, tid):
    with open(os.path.join(d, "task.json"), encoding="utf-8") as fh:
        task = json.load(fh)
    if task.get("id") != tid:
        raise ValueError("%s: id is %r" % (tid, task.get("id")))
    with open(os.path.join(d, "instruction.md"), encoding="utf-8") as fh:
        task["prompt"] = fh.read()
    task["workspace"] = {"files": tree(os.path.join(d, "workspace"), tid)}
    grading = task.setdefault("grading", {})
    if os.path.isdir(os.path.join(d, "tests")):
        grading["files"] = tree(os.path.join(d, "tests"), tid)
    sols = [f for f in ("solution.patch", "solution.sh")
            if os.path.exists(os.path.join(d, f))]
    if len(sols) != 1:
        raise ValueError("%s: needs exactly one of solution.patch, "
                         "solution.sh" % tid)
    with open(os.path.join(d, sols[0]), encoding="utf-8") as fh:
        task["solution"] = {"patch" if sols[0].endswith(".patch")
                            else "script": fh.read()}
    wrong = sorted(f for f in os.listdir(d)
                   if f.startswith("wrong-") and f.endswith(".patch"))
    if wrong:
        task["mutants"] = []
        for f in wrong:
            with open(os.path.join(d, f), encoding="utf-8") as fh:
                task["mutants"].append(fh.read())
    # A fixed member order: the task's own, then what was assembled.
    order = ["id", "kind", "suite", "language", "difficulty", "category",
             "tags", "prompt", "workspace", "grading", "agent_limits",
             "solution", "mutants"]
    return {k: task[k] for k in order if k in task} | \
        {k: v for k, v in task.items() if k not in order}


outputs = {}
for tid in sorted(os.listdir(src)):
    d = os.path.join(src, tid)
    if not os.path.isdir(d):
        continue
    if tid.startswith("ws-"):
        try:
            task = workspace_task(d, tid)
        except (OSError, ValueError) as e:
            print("build.sh: %s" % e, file=sys.stderr)
            status = 1
            continue
        outputs.setdefault("workspace", []).append(
            json.dumps(task, ensure_ascii=False, separators=(",", ":")))
        continue
    try:
        files = {}
        for f in sorted(os.listdir(d)):
            if f != "task.json":
                with open(os.path.join(d, f), encoding="utf-8") as fh:
                    files[f] = fh.read()
        with open(os.path.join(d, "task.json"), encoding="utf-8") as fh:
            task = json.load(fh)
        if task.get("id") != tid:
            raise ValueError("%s: id is %r" % (tid, task.get("id")))
        task = inline(task, files, tid)
        refs = [f for f in files if f.startswith("reference.")]
        if len(refs) != 1:
            raise ValueError("%s: needs exactly one reference.EXT" % tid)
        task["reference"] = files[refs[0]]
        task["mutants"] = [files[f] for f in files if f.startswith("mutant-")]
    except (OSError, ValueError) as e:
        print("build.sh: %s" % e, file=sys.stderr)
        status = 1
        continue
    name = "starter" if task.get("suite") == "starter" else task["language"]
    outputs.setdefault(name, []).append(
        json.dumps(task, ensure_ascii=False, separators=(",", ":")))
for name, lines in outputs.items():
    with open(os.path.join(out, name + ".ndjson"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
sys.exit(status)
PY

status=0
if [ "$check" = 1 ]; then
	for f in "$out"/*.ndjson; do
		n=$(basename "$f")
		if ! cmp -s "$f" "$here/$n"; then
			echo "tasks/$n: out of date with tasks/src (run tasks/build.sh)" >&2
			status=1
		fi
	done
	for f in "$here"/*.ndjson; do
		[ -f "$f" ] || continue
		n=$(basename "$f")
		if [ ! -f "$out/$n" ]; then
			echo "tasks/$n: no task in tasks/src belongs here" >&2
			status=1
		fi
	done
	exit $status
fi
rm -f "$here"/*.ndjson
for f in "$out"/*.ndjson; do
	cp "$f" "$here/$(basename "$f")"
done
