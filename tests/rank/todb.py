#!/usr/bin/env python3
"""Print SQL that builds an ab-store database (the contract's minimum
schema) holding the records read from stdin; feed it to the sqlite3 CLI.

todb.py [--schema-only] < records.ndjson | sqlite3 x.db
"""
import json
import sys

SCHEMA = """
PRAGMA journal_mode = WAL;
CREATE TABLE runs(id TEXT PRIMARY KEY, started TEXT, finished TEXT,
  status TEXT, notes TEXT, seed INTEGER, command TEXT, host TEXT, os TEXT,
  toolchain TEXT, ab_version TEXT, git_commit TEXT);
CREATE TABLE configs(hash TEXT PRIMARY KEY, name TEXT, json TEXT);
CREATE TABLE tasks(id TEXT PRIMARY KEY, hash TEXT, suite TEXT,
  language TEXT, difficulty TEXT, category TEXT, json TEXT);
CREATE TABLE results(id TEXT PRIMARY KEY, run_id TEXT, task_id TEXT,
  config_hash TEXT, config_name TEXT, sample INTEGER, language TEXT,
  difficulty TEXT, category TEXT, verdict TEXT, passed INTEGER,
  total INTEGER, score REAL, grade TEXT, success INTEGER,
  tokens_in INTEGER, tokens_out INTEGER, cost_usd REAL, latency_ms REAL,
  ttft_ms REAL, cpu_ms REAL, wall_ms REAL, peak_kb INTEGER,
  error_kind TEXT, record TEXT);
CREATE INDEX results_run ON results(run_id);
CREATE INDEX results_config ON results(config_hash);
CREATE INDEX results_task ON results(task_id);
CREATE VIEW records(id, run_id, record) AS
  SELECT id, run_id, record FROM results;
CREATE TABLE calls(result_id TEXT, idx INTEGER, role TEXT, model TEXT,
  provider TEXT, tokens_in INTEGER, tokens_out INTEGER, cost_usd REAL,
  latency_ms REAL, name TEXT);
CREATE TABLE tests(result_id TEXT, idx INTEGER, name TEXT, verdict TEXT,
  weight REAL, time_ms REAL);
"""


def q(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def get(r, path):
    for k in path.split("."):
        if not isinstance(r, dict) or k not in r:
            return None
        r = r[k]
    return r


print(SCHEMA)
if "--schema-only" in sys.argv:
    sys.exit(0)
print("BEGIN;")
runs, configs, tasks = [], {}, {}
for line in sys.stdin:
    r = json.loads(line)
    if r["run"] not in runs:
        runs.append(r["run"])
    configs[r["config"]["hash"]] = r["config"]
    tasks[r["task"]["id"]] = r["task"]
    kind = None
    for st in ("gen", "extract", "exec", "score"):
        e = get(r, st + ".error")
        if e:
            kind = "%s:%s" % (st, e.get("kind", "error"))
            break
    vals = [r["id"], r["run"], r["task"]["id"], r["config"]["hash"],
            r["config"]["name"], r.get("sample", 0), get(r, "task.language"),
            get(r, "task.difficulty"), get(r, "task.category"),
            get(r, "exec.verdict"), get(r, "exec.passed"),
            get(r, "exec.total"), get(r, "score.total"),
            get(r, "score.grade"), kind is None,
            get(r, "gen.tokens.in"), get(r, "gen.tokens.out"),
            get(r, "gen.cost_usd"), get(r, "gen.latency_ms"),
            get(r, "gen.ttft_ms"), get(r, "exec.cpu_ms"),
            get(r, "exec.wall_ms"), get(r, "exec.peak_kb"), kind,
            json.dumps(r, separators=(",", ":"))]
    print("INSERT INTO results VALUES(%s);" % ",".join(map(q, vals)))
    for i, c in enumerate(get(r, "gen.calls") or []):
        print("INSERT INTO calls VALUES(%s);" % ",".join(map(q, [
            r["id"], i, c.get("role"), c.get("model"), "cmd",
            get(c, "tokens.in"), get(c, "tokens.out"), c.get("cost_usd"),
            c.get("latency_ms"), c.get("name")])))
for i, run in enumerate(runs):
    print("INSERT INTO runs(id, started) VALUES(%s, '2026-01-%02dT00:00:00Z');"
          % (q(run), i + 1))
for h, c in configs.items():
    print("INSERT INTO configs VALUES(%s, %s, %s);"
          % (q(h), q(c["name"]), q(json.dumps(c))))
for t in tasks.values():
    print("INSERT INTO tasks VALUES(%s, NULL, %s, %s, %s, %s, %s);" % tuple(
        map(q, [t["id"], t.get("suite"), t.get("language"),
                t.get("difficulty"), t.get("category"), json.dumps(t)])))
print("COMMIT;")
