# The shell waits on a sleeping child, which must die with it.
sleep 100000
echo 42
