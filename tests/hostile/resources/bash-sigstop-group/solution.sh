# Starts a spinning child, then stops its whole process group.
( while :; do :; done ) &
kill -STOP 0
echo 42
