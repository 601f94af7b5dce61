/* The rest of the list: bpf, perf_event_open, userfaultfd, an AF_VSOCK
 * socket, TIOCSTI on every descriptor.  42 if any worked. */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(void)
{
	unsigned char attr[128];
	char c = 'x';
	int n = 0, fd;

	memset(attr, 0, sizeof attr);
	if (syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, attr, sizeof attr) >= 0)
		n++;
	attr[4] = 112;	/* perf_event_attr.size */
	if (syscall(SYS_perf_event_open, attr, 0, -1, -1, 0) >= 0)
		n++;
	if (syscall(SYS_userfaultfd, 0) >= 0)
		n++;
	if (socket(40 /* AF_VSOCK */, SOCK_STREAM, 0) >= 0)
		n++;
	for (fd = 0; fd < 3; fd++)
		if (ioctl(fd, TIOCSTI, &c) == 0)
			n++;
	puts(n ? "42" : "contained: none allowed");
	return 0;
}
