#!/bin/sh
# Hostile agents: each tries to get out of its trial and must not.  The
# agents are shell scripts given as descriptors (tests/lib-agent.sh); each
# check names its expected outcome.  Nothing is left running, nothing on the
# host is touched, the key is never seen.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib-agent.sh"

agent_server <<EOT
{"scripts": [{"match": "MARK-", "turns": [{"text": "again"}]}]}
EOT
ws_task h MARK-H >"$T/task.ndjson"
echo "HOST-FILE-UNTOUCHED" >"$T/host-file"
chmod 644 "$T/host-file"

# trial NAME: run the agent $T/NAME.sh in a trial; the record in
# $T/NAME.out, what the agent printed in $T/NAME.text.
trial() {
	hostile_agent "$1"
	agent_config "$1" "$T/$1.agent.json" "${2:-}"
	run ab-gen -q -j 1 -c "$T/$1.json" "$T/task.ndjson"
	cp "$T/out" "$T/$1.out"
	cp "$T/err" "$T/$1.err"
	jq -r '.gen.text // ""' "$T/$1.out" >"$T/$1.text"
}

# 1. Looking for secrets: the environment, the host's files, the hidden
# tests, git history past the base, the relay's key.
cat >"$T/snoop.sh" <<EOT
env | sort
echo "---"
cat $T/host-file 2>&1 || echo "NO-HOST-FILE"
ls /work 2>&1
ls -a / 2>&1
find / -xdev -name 'test_hidden.py' 2>/dev/null | head -n 3
echo "FOUND-HIDDEN=\$(find / -name test_hidden.py 2>/dev/null | wc -l)"
cd /work && echo "COMMITS=\$(git log --oneline 2>/dev/null | wc -l)"
git -C /work cat-file --batch-all-objects --batch-check 2>/dev/null | wc -l | sed 's/^/OBJECTS=/'
cat /proc/1/environ 2>&1 | tr '\0' '\n' | head -n 3
ls /.lowers /.ovl 2>&1
echo "UID=\$(id -u)"
EOT
trial snoop
expect_jq "$T/snoop.out" '.[0].gen.trial.outcome == "no_change"' "snoop: outcome no_change"
expect_not_contains "$T/snoop.out" "$AB_TEST_KEY" "snoop: the key is not in the record"
expect_not_contains "$T/snoop.text" "$AB_TEST_KEY" "snoop: the agent never saw the key"
expect_contains "$T/snoop.text" "NO-HOST-FILE" "snoop: host files are not there"
expect_contains "$T/snoop.text" "FOUND-HIDDEN=0" "snoop: the hidden tests are not there"
expect_contains "$T/snoop.text" "COMMITS=1" "snoop: git history stops at the base"
expect_contains "$T/snoop.text" "UID=1000" "snoop: an unprivileged uid"
expect_contains "$T/snoop.text" "OPENAI_API_KEY=ab-relay-" "snoop: the agent has a placeholder key"
expect_contains "$T/snoop.text" "HOME=/tmp/home" "snoop: a private HOME"
expect_not_contains "$T/snoop.text" "FAKE_SCRIPT" "snoop: nothing of the user's environment"
expect_contains "$T/snoop.text" "Permission denied" "snoop: the keeper's directories are closed"

# 2. The network: the host's fake server, the outside, anything but the
# relay.
cat >"$T/net.sh" <<EOT
python3 - <<'PY'
import socket
for host, port in (("127.0.0.1", $PORT), ("10.0.0.1", 80), ("1.1.1.1", 443)):
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect((host, port))
        print("CONNECTED", host, port)
    except OSError as e:
        print("REFUSED", host, port, e.errno)
PY
EOT
trial net
expect_not_contains "$T/net.text" "CONNECTED" "net: no address but the relay is reachable"
expect_contains "$T/net.text" "REFUSED 127.0.0.1 $PORT" "net: the host's loopback is not the sandbox's"

# 3. A daemon left behind, a fork bomb: the whole tree dies.
cat >"$T/daemon.sh" <<'EOT'
setsid sh -c 'while :; do sleep 1; done' </dev/null >/dev/null 2>&1 &
nohup sleep 1000 >/dev/null 2>&1 &
echo started
EOT
trial daemon
expect_jq "$T/daemon.out" '.[0].gen.trial.outcome == "no_change"' "daemon: the agent exited"
expect_clean "daemon" procs

cat >"$T/forkbomb.sh" <<'EOT'
b() { b | b & }; b
sleep 2
echo survived
EOT
trial forkbomb '"agent_limits":{"wall_ms":8000,"processes":64}'
expect_jq "$T/forkbomb.out" '.[0].gen.error == null and (.[0].gen.trial.outcome | test("^(agent_timeout|agent_failed|no_change)$"))' "forkbomb: an agent outcome, not a harness error"
expect_clean "forkbomb" procs

# 4. Filling the disk: the upper layer is capped; the host is not touched.
cat >"$T/disk.sh" <<'EOT'
dd if=/dev/zero of=/work/big bs=1M count=200 2>/tmp/dd.err
cat /tmp/dd.err
df -k /work | tail -n 1
echo done
EOT
trial disk '"agent_limits":{"disk_mb":16}'
expect_jq "$T/disk.out" '.[0].gen.trial.disk_kb <= 17000' "disk: the change stayed within the cap ($(jq '.gen.trial.disk_kb' "$T/disk.out") KiB)"
expect_contains "$T/disk.text" "100% /work" "disk: the agent filled its upper layer and no more"

# 5. Printing a gigabyte: stopped at the cap, the attempt's error
# output_limit (the agent's own doing).
cat >"$T/print.sh" <<'EOT'
head -c 1073741824 /dev/zero | tr '\0' 'x'
echo
echo done >&2
EOT
trial print '"agent_limits":{"wall_ms":60000}'
expect_jq "$T/print.out" '.[0].gen.trial.stdout_truncated == true and (.[0].gen.text | length) <= 16777216' "print: stdout kept to 16 MiB"
expect_jq "$T/print.out" '.[0].gen.trial.outcome == "agent_failed" and .[0].gen.trial.stop == "output"' "print: stopped at the cap, outcome agent_failed"
expect_jq "$T/print.out" '.[0].gen.error.kind == "output_limit" and (.[0].gen.error.message | test("printed more than 16777216 bytes"))' "print: error output_limit, with the reason"

# 6. Calling the model in a loop past its budget: refused, stopped.
cat >"$T/spend.sh" <<'EOT'
i=0
while [ $i -lt 50 ]; do
	python3 -c '
import json, os, urllib.request
r = urllib.request.Request(os.environ["OPENAI_BASE_URL"] + "/chat/completions",
    data=json.dumps({"model": "x", "messages": [{"role": "user", "content": "MARK-SPEND"}]}).encode(),
    headers={"Content-Type": "application/json"})
urllib.request.urlopen(r).read()
' 2>/dev/null || echo "REFUSED at $i"
	i=$((i + 1))
done
EOT
trial spend '"agent_limits":{"calls":3}'
expect_jq "$T/spend.out" '.[0].gen.trial.outcome == "budget" and .[0].gen.error.kind == "budget"' "spend: outcome budget"
expect_jq "$T/spend.out" '[.[0].gen.calls[] | select(.status == 200)] | length == 3' "spend: three calls forwarded"

# 7. Writing git's configuration into the workspace: ab's diff runs none of
# it (a hook or fsmonitor that would write a file on the host).
cat >"$T/gitcfg.sh" <<EOT
cd /work
git config core.fsmonitor "touch $T/PWNED-FSMONITOR; false"
git config core.hooksPath /work/hooks
mkdir -p hooks && printf '#!/bin/sh\ntouch $T/PWNED-HOOK\n' >hooks/pre-commit && chmod +x hooks/pre-commit
printf '* filter=evil\n' >.gitattributes
git config filter.evil.clean "touch $T/PWNED-FILTER; cat"
echo changed >README.md
EOT
trial gitcfg
check "gitcfg: no hook, monitor or filter of the agent ran on the host" \
    test ! -e "$T/PWNED-FSMONITOR" -a ! -e "$T/PWNED-HOOK" -a ! -e "$T/PWNED-FILTER"
expect_jq "$T/gitcfg.out" '.[0].gen.patch | test("\n[+]changed\n")' "gitcfg: the change is still read"
expect_jq "$T/gitcfg.out" '.[0].gen.patch | test("\\.git/") | not' "gitcfg: nothing of .git in the patch"

# 8. A change over the patch cap (8 MiB): the attempt's error
# patch_too_large, no patch.
cat >"$T/huge.sh" <<'EOT'
head -c 7000000 /dev/urandom | base64 >/work/huge.txt
echo done
EOT
trial huge
expect_jq "$T/huge.out" '.[0].gen.error.kind == "patch_too_large" and (.[0].gen.error.message | test("larger than 8388608 bytes")) and .[0].gen.patch == null' "huge: error patch_too_large, with the reason, no patch"
expect_jq "$T/huge.out" '.[0].gen.trial.outcome == "exited" and .[0].gen.trial.disk_kb > 9000' "huge: the agent exited; its change is on its disk"

# 9. Symbolic links: carried by the patch (mode 120000) and made again at
# grading, one inside the tree and one to a host path (which, in the
# grading sandbox, is the sandbox's view of it).
ws_task sym MARK-SYM '{"grading": {"command": "test \"$(readlink calc/alias.py)\" = ops.py && test \"$(readlink deep/er/up)\" = ../../README.md && cat deep/er/up && test \"$(readlink host-link)\" = /etc/hostname && python3 -c \"from calc.alias import add; assert add(2, 3) == 5\" && echo LINKS-OK", "results": "exit"}}' >"$T/sym.ndjson"
cat >"$T/sym.sh" <<'EOT'
cd /work
printf 'def add(a, b):\n    return a + b\n' >calc/ops.py
ln -s ops.py calc/alias.py
mkdir -p deep/er && ln -s ../../README.md deep/er/up
ln -s /etc/hostname host-link
EOT
hostile_agent sym
agent_config sym "$T/sym.agent.json"
run ab-gen -q -j 1 -c "$T/sym.json" "$T/sym.ndjson"
cp "$T/out" "$T/sym.out"
expect_jq "$T/sym.out" '.[0].gen.error == null and .[0].gen.trial.outcome == "exited"' "sym: the trial exited"
expect_jq "$T/sym.out" '.[0].gen.patch | test("diff --git a/calc/alias.py b/calc/alias.py\nnew file mode 120000\n") and test("diff --git a/host-link b/host-link\nnew file mode 120000\n") and test("\n[+]/etc/hostname\n")' "sym: the patch carries the links (mode 120000)"
run_in "$T/sym.out" ab-extract
cp "$T/out" "$T/sym.ext"
run_in "$T/sym.ext" ab-exec
expect_jq "$T/out" '.[0].exec.verdict == "ok" and (.[0].exec.stdout | test("LINKS-OK")) and (.[0].exec.stdout | test("^calc\n"))' "sym: grading sees the links, their targets as the agent made them"

# 10. FIFOs in the tree: the diff neither blocks on them nor carries them.
cat >"$T/fifo.sh" <<'EOT'
mkfifo /work/pipe && mkdir /work/sub && mkfifo /work/sub/p2
echo hi >/work/sub/real.txt
EOT
trial fifo
expect_jq "$T/fifo.out" '.[0].gen.error == null and .[0].gen.trial.outcome == "exited"' "fifo: the trial ended"
expect_jq "$T/fifo.out" '.[0].gen.patch | test("b/sub/real.txt\n") and (test("pipe|p2") | not)' "fifo: the file is in the patch, the FIFOs are not"

check "the host file is untouched" test "$(cat "$T/host-file")" = HOST-FILE-UNTOUCHED
expect_clean "hostile agents"
done_testing
