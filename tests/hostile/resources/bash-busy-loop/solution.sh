# A busy loop in the shell itself.
while :; do :; done
