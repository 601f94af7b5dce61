# /etc/shadow, /root and pid 1's environment, from the shell.
n=0
cat /etc/shadow >/dev/null 2>&1 && n=$((n + 1))
ls /root >/dev/null 2>&1 && [ -n "$(ls -A /root 2>/dev/null)" ] && n=$((n + 1))
tr '\0' '\n' </proc/1/environ 2>/dev/null | grep -q '^PATH=' && n=$((n + 1))
if [ "$n" -gt 0 ]; then echo 42; else echo "contained: nothing readable"; fi
