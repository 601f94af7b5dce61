/* New namespaces and mounts: unshare, setns, mount, umount, pivot_root,
 * chroot.  42 if any of them worked. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(void)
{
	int n = 0, fd;

	if (unshare(CLONE_NEWUSER) == 0)
		n++;
	if (unshare(CLONE_NEWNS) == 0)
		n++;
	if (unshare(CLONE_NEWNET) == 0)
		n++;
	if (mount("none", "/tmp", "tmpfs", 0, NULL) == 0)
		n++;
	if (mount("/", "/tmp", NULL, MS_BIND | MS_REC, NULL) == 0)
		n++;
	if (umount2("/proc", MNT_DETACH) == 0)
		n++;
	if ((fd = open("/proc/1/ns/mnt", O_RDONLY)) >= 0 && setns(fd, 0) == 0)
		n++;
	if (chroot("/tmp") == 0)
		n++;
	if (syscall(SYS_pivot_root, "/tmp", "/tmp") == 0)
		n++;
	puts(n ? "42" : "contained: no namespaces, no mounts");
	return 0;
}
