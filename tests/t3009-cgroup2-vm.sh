#!/bin/sh
# ab-exec on a pure cgroup v2 hierarchy, under a real kernel: boot
# Debian's own kernel (fetched by `make vm-kernel`) in qemu with cgroup v1
# off (cgroup_no_v1=all), the host's root shared read-only over 9p and
# tmpfs for writes, and run tests/vm/guest.sh there as root.  Its TAP comes
# back over the second serial port and is checked here.  KVM when it can
# boot the kernel, else qemu's TCG; the whole test is bounded (qemu is
# killed at AB_VM_TIMEOUT seconds, 100 by default).
. "$(dirname "$0")/lib.sh"

VM=${AB_VM_CACHE:-/var/cache/ab/vm}
limit=${AB_VM_TIMEOUT:-100}

[ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] || skip_all "not Linux on x86_64"
command -v qemu-system-x86_64 >/dev/null 2>&1 ||
    skip_all "no qemu-system-x86_64 (make deps installs qemu-system-x86)"
[ -x /bin/busybox ] && /bin/busybox cpio --help >/dev/null 2>&1 ||
    skip_all "no /bin/busybox (make deps installs busybox-static)"
ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' ||
    skip_all "/bin/busybox is not static (make deps installs busybox-static)"
ver=$(cat "$VM/kernel" 2>/dev/null)
K=$VM/$ver
[ -n "$ver" ] && [ -f "$K/vmlinuz" ] ||
    skip_all "no VM kernel in $VM (make vm-kernel fetches Debian's)"
[ -x "$TOP/bin/ab-exec" ] || skip_all "ab-exec is not built"

# ---- the initramfs: busybox, the init script, the modules ---------------
# The modules the VM needs and those they depend on (read from each
# module's modinfo), in load order.  A module that is not there is taken
# to be built in.
ir=$T/initramfs
mkdir -p "$ir/bin" "$ir/modules"
cp /bin/busybox "$ir/bin/busybox"
cp "$TOP/tests/vm/init" "$ir/init"
chmod 755 "$ir/init"
: >"$ir/modules.order"
mod_file() {
	find "$K/modules" \( -name "$1.ko" -o -name "$1.ko.xz" -o \
	    -name "$1.ko.zst" -o -name "$(echo "$1" | tr _ -).ko" \) |
	    head -n 1
}
mod_cat() {
	case $1 in
	*.xz) xz -dc "$1" ;;
	*.zst) zstd -qdc "$1" ;;
	*) cat "$1" ;;
	esac
}
add_mod() {
	grep -qx "$1.ko" "$ir/modules.order" && return 0
	_f=$(mod_file "$1")
	if [ -z "$_f" ]; then
		grep -q "/$1\.ko" "$K/modules/modules.builtin" 2>/dev/null ||
		    diag "module $1: not found, taken as built in"
		return 0
	fi
	for _d in $(mod_cat "$_f" | tr '\0' '\n' |
	    sed -n 's/^depends=//p' | head -n 1 | tr , ' '); do
		add_mod "$_d"
	done
	# (sh has no local variables: the recursion changed _f)
	mod_cat "$(mod_file "$1")" >"$ir/modules/$1.ko"
	echo "$1.ko" >>"$ir/modules.order"
}
for m in virtio_pci 9pnet_virtio 9p zram; do
	add_mod $m
done
(cd "$ir" && find . | /bin/busybox cpio -o -H newc 2>/dev/null) |
    gzip -1 >"$T/initramfs.gz"
check "the initramfs is built" test -s "$T/initramfs.gz"

# ---- boot ----------------------------------------------------------------
# boot ACCEL SECONDS-TO-BOOT: run the VM; 0 when it ran to the end, 1
# when it was killed at the limit, 2 when it did not boot in time (and
# was killed).
boot() {
	rm -f "$T/tap.out" "$T/console.log" "$T/qemu.pid"
	_cpu=max
	[ "$1" = kvm ] && _cpu=host
	timeout -s KILL "$limit" qemu-system-x86_64 -nodefaults -no-reboot \
	    -display none -accel "$1" -cpu $_cpu -smp 2 -m 1024 \
	    -kernel "$K/vmlinuz" -initrd "$T/initramfs.gz" \
	    -append "console=ttyS0 cgroup_no_v1=all panic=-1 ab.top=$TOP" \
	    -virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
	    -serial "file:$T/console.log" -serial "file:$T/tap.out" \
	    -pidfile "$T/qemu.pid" 2>"$T/qemu.err" &
	_q=$!
	_t=0
	while kill -0 $_q 2>/dev/null; do
		if [ $_t -ge $(($2 * 10)) ] && ! grep -q '^# vm up' "$T/tap.out" 2>/dev/null; then
			kill -9 "$(cat "$T/qemu.pid" 2>/dev/null)" 2>/dev/null
			wait $_q
			return 2
		fi
		sleep 0.1
		_t=$((_t + 1))
	done
	wait $_q
	grep -q '^# vm done' "$T/tap.out" 2>/dev/null && return 0
	return 1
}

t0=$(date +%s)
accel=${AB_VM_ACCEL:-}
if [ -z "$accel" ]; then
	# KVM that runs an unmodified kernel (kvm_intel or kvm_amd; a
	# paravirtual KVM such as PVM cannot), else TCG.
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
	    { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
		accel=kvm
	else
		accel=tcg
		diag "no usable KVM here ($(ls /sys/module | grep '^kvm' | tr '\n' ' ')): TCG"
	fi
fi
st=0
boot $accel 30 || st=$?
if [ $st = 2 ] && [ $accel = kvm ]; then
	diag "KVM did not boot the kernel in 30 s: TCG"
	accel=tcg
	st=0
	boot tcg 60 || st=$?
fi
t1=$(date +%s)
[ $st = 2 ] && skip_all "the VM did not boot in time ($accel): $(tail -c 300 "$T/console.log" 2>/dev/null)"
diag "the VM ($accel, kernel $ver) ran for $((t1 - t0)) s"

# ---- its TAP ------------------------------------------------------------
tr -d '\r' <"$T/tap.out" >"$T/tap"
n=0
plan=
while IFS= read -r line; do
	case $line in
	"not ok "*) n=$((n + 1)); not_ok "vm: ${line#not ok * - }" ;;
	"ok "*"# skip"*) n=$((n + 1)); skip "vm: ${line#*# skip }" ;;
	"ok "*) n=$((n + 1)); ok "vm: ${line#ok * - }" ;;
	1..*) plan=${line#1..} ;;
	"Bail out!"*) not_ok "vm: $line" ;;
	"#"*) echo "$line" ;;
	*) diag "vm: $line" ;;
	esac
done <"$T/tap"
if [ $st = 1 ]; then
	not_ok "the VM finished within $limit s"
	diag "console:" "$(tail -n 20 "$T/console.log")" "$(cat "$T/qemu.err")"
else
	ok "the VM finished within $limit s ($((t1 - t0)) s)"
fi
check "the guest ran its whole plan ($n of ${plan:-?})" \
    test -n "$plan" -a "$n" = "$plan" -a "$n" -gt 0
expect_contains "$T/tap" "# guest exit 0" "the guest's tests passed"
done_testing
