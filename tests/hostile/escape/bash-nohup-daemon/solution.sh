# Background jobs that try to outlive the run: nohup, setsid, disown.
exec -a hostile-linger sleep 1000 &
(setsid sh -c 'exec -a hostile-linger sleep 1000' &)
nohup sleep 1000 >/dev/null 2>&1 &
disown -a
echo 42
