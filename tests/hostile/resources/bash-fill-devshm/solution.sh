# dd into /dev/shm and /tmp until refused, then checks the sizes.
dd if=/dev/zero of=/dev/shm/fill bs=1M count=2048 2>/dev/null
dd if=/dev/zero of=/tmp/fill bs=1M count=2048 2>/dev/null
a=$(stat -c %s /dev/shm/fill 2>/dev/null || echo 0)
b=$(stat -c %s /tmp/fill 2>/dev/null || echo 0)
if [ "$a" -ge 2147483648 ] && [ "$b" -ge 2147483648 ]; then
	echo 42
else
	echo "contained: /dev/shm $a, /tmp $b bytes"
fi
