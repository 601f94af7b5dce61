# kill -9 -1, the parent, and pid 1: none of it may reach past the run.
kill -9 -1 2>/dev/null
kill -9 "$PPID" 2>/dev/null
kill -9 1 2>/dev/null
kill -STOP -1 2>/dev/null
echo 42
