/* 32-bit system calls through int 0x80, where the numbers differ: a
 * filter that does not check the architecture first reads i386 unshare
 * (310) as x86-64 "process_vm_readv" and so on.  Tries i386 unshare,
 * ptrace, keyctl, mount and socketcall; 42 if any succeeded. */
#include <stdio.h>

static long
sys32(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile ("int $0x80"
	    : "=a" (ret)
	    : "a" (nr), "b" (a), "c" (b), "d" (c)
	    : "memory");
	return ret;
}

int
main(void)
{
	int n = 0;

	if (sys32(310, 0x10000000 /* CLONE_NEWUSER */, 0, 0) == 0)
		n++;
	if (sys32(26, 16 /* PTRACE_ATTACH */, 1, 0) == 0)
		n++;
	if (sys32(288, 0 /* KEYCTL_GET_KEYRING_ID */, -4, 0) >= 0)
		n++;
	if (sys32(21, 0, 0, 0) == 0)
		n++;
	puts(n ? "42" : "contained: no 32-bit escape");
	return 0;
}
