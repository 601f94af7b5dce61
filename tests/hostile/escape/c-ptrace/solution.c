/* ptrace and process_vm_readv on every pid it might guess, including
 * its parent and pid 1: 42 if it could attach to anything or read
 * another process's memory. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

int
main(void)
{
	char buf[16];
	struct iovec l = { buf, sizeof buf }, r = { (void *)0x400000, 16 };
	int pid, n = 0;

	for (pid = 1; pid < 200; pid++) {
		if (pid == getpid())
			continue;
		if (ptrace(PTRACE_ATTACH, pid, 0, 0) == 0)
			n++;
		if (ptrace(PTRACE_SEIZE, pid, 0, 0) == 0)
			n++;
		if (process_vm_readv(pid, &l, 1, &r, 1, 0) > 0)
			n++;
	}
	puts(n ? "42" : "contained: no tracing");
	return 0;
}
