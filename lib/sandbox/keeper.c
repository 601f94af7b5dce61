/*
 * keeper.c - the process that owns a slot's namespaces (see sb_int.h).
 *
 * It runs in a copy of the supervisor's memory, so it uses no allocator
 * and no stdio: only system calls and static buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <net/if.h>
#include <netinet/in.h>
#include <dirent.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ab.h"
#include "sandbox.h"
#include "sandbox/sb_int.h"

#define NEWROOT "/tmp"	/* mount point of the new root before pivot */

static char kmsg[SB_MSG_MAX];
static char errbuf[512];
static unsigned features;
static unsigned run_uid = SB_UID_RUN;
static unsigned root_id;	/* the keeper's id inside: 0, or SB_UID_RUN
				   when rootless (one id mapped) */
static int lastpid_fd = -1;	/* /proc/sys/kernel/ns_last_pid */
static int run_unshare;		/* namespaces each run's process makes */

/* The next process forked in the namespace gets pid last + 1 (when
 * free): the same sequence in every run, whatever the runs before did. */
static void
set_last_pid(int last)
{
	char b[16];
	int n = snprintf(b, sizeof b, "%d", last);

	if (lastpid_fd >= 0 && pwrite(lastpid_fd, b, (size_t)n, 0) < 0) {
		/* the sequence then goes on from the run before */
	}
}

/* CPU time (user + system, microseconds) of a process, or -1. */
static int64_t
proc_cpu_us(pid_t pid)
{
	char path[64], st[512], *p;
	long long ut, stime;
	long hz = sysconf(_SC_CLK_TCK);
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof path, "/proc/%ld/schedstat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, st, sizeof st - 1);
		close(fd);
		if (n > 0) {
			st[n] = '\0';
			return strtoll(st, NULL, 10) / 1000;	/* ns on CPU */
		}
	}
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, st, sizeof st - 1);
	close(fd);
	if (n <= 0 || (p = strrchr((st[n] = '\0', st), ')')) == NULL)
		return -1;
	/* After ")": state is field 3; utime and stime are 14 and 15. */
	for (i = 3; i < 14 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p, " %lld %lld", &ut, &stime) != 2 || hz <= 0)
		return -1;
	return (ut + stime) * 1000000 / hz;
}

static void
note(const char *fmt, ...)
{
	size_t n = strlen(errbuf);
	va_list ap;

	if (n + 2 >= sizeof errbuf)
		return;
	if (n > 0)
		errbuf[n++] = ';', errbuf[n++] = ' ', errbuf[n] = '\0';
	va_start(ap, fmt);
	vsnprintf(errbuf + n, sizeof errbuf - n, fmt, ap);
	va_end(ap);
}

static int
mkfile(const char *path, const char *content, mode_t mode)
{
	int fd, r;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode)) < 0)
		return -1;
	r = write(fd, content, strlen(content)) ==
	    (ssize_t)strlen(content) ? 0 : -1;
	close(fd);
	return r;
}

/* Bind src read-only at NEWROOT/dst (a directory or a file). */
static int
bind_ro(const char *src, const char *dst, bool dir)
{
	char path[256];
	struct stat st;

	if (lstat(src, &st) < 0)
		return 0;	/* absent on this system: nothing to bind */
	snprintf(path, sizeof path, NEWROOT "%s", dst);
	if (S_ISLNK(st.st_mode)) {
		char target[256];
		ssize_t n = readlink(src, target, sizeof target - 1);

		if (n < 0)
			return -1;
		target[n] = '\0';
		return symlink(target, path);
	}
	if (dir) {
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -1;
	} else if (mkfile(path, "", 0644) < 0)
		return -1;
	if (mount(src, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -1;
	if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY |
	    MS_NOSUID | MS_NODEV * dir, NULL) < 0 &&
	    mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY |
	    MS_NOSUID, NULL) < 0)
		return -1;
	return 0;
}

static int
mount_tmpfs_n(const char *path, int64_t mb, int64_t inodes, unsigned uid,
    int mode)
{
	char opt[160];

	snprintf(opt, sizeof opt, "size=%lldk,nr_inodes=%lld,mode=%o,"
	    "uid=%u,gid=%u", (long long)mb * 1024, (long long)inodes, mode,
	    uid, uid);
	return mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, opt);
}

static int
mount_tmpfs(const char *path, int64_t mb, unsigned uid, int mode)
{
	return mount_tmpfs_n(path, mb, 16384, uid, mode);
}

static const char passwd[] =
    "root:x:0:0:root:/root:/bin/sh\n"
    "sandbox:x:1000:1000:sandbox:/work:/bin/sh\n"
    "solution:x:1001:1001:solution:/work:/bin/sh\n"
    "checker:x:1002:1002:checker:/:/bin/sh\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
static const char group[] =
    "root:x:0:\nsandbox:x:1000:\nsolution:x:1001:\nchecker:x:1002:\n"
    "nogroup:x:65534:\n";

/* mkdir -p NEWROOT/path (path absolute). */
static int
mkdir_in_root(const char *path)
{
	char buf[512];
	size_t i, n;

	n = (size_t)snprintf(buf, sizeof buf, NEWROOT "%s", path);
	if (n >= sizeof buf)
		return -1;
	for (i = sizeof NEWROOT; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		if (i < n)
			buf[i] = '/';
	}
	return 0;
}

/* Bind b at its target in the new root: its detached mount, or the
 * directory open at fd (by name, rootless); nothing when neither. */
static int
attach_ro(const struct sb_ro_bind *b, int fd)
{
	char path[256], src[64];

	if (b->target == NULL || (b->fd < 0 && fd < 0))
		return 0;
	snprintf(path, sizeof path, NEWROOT "%s", b->target);
	if (mkdir(path, 0755) < 0)
		return note("mkdir %s: %s", b->target, strerror(errno)), -1;
	if (b->fd >= 0) {
		if (move_mount(b->fd, "", AT_FDCWD, path,
		    MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return note("bind %s: %s", b->target,
			    strerror(errno)), -1;
		close(b->fd);
		return 0;
	}
	snprintf(src, sizeof src, "/proc/self/fd/%d", fd);
	if (mount(src, path, NULL, MS_BIND, NULL) < 0 ||
	    mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY |
	    MS_NOSUID | MS_NODEV | (b->noexec ? MS_NOEXEC : 0), NULL) < 0)
		return note("bind %s: %s", b->target, strerror(errno)), -1;
	close(fd);
	return 0;
}

static int
build_root(const struct sb_keeper_args *a)
{
	int64_t tmpfs_mb = a->tmpfs_mb;
	char *const *ro_dirs = a->ro_dirs;
	const char *lower_root = a->lower_root;
	int lower_fd = a->lower_fd;
	int cfd[SB_NBINDS];
	static const char *const dirs[] = { "/usr", "/etc/alternatives",
	    "/etc/ld.so.conf.d", "/etc/ssl", NULL };
	static const char *const links[] = { "/bin", "/sbin", "/lib",
	    "/lib32", "/lib64", "/libx32", NULL };
	static const char *const files[] = { "/etc/ld.so.cache",
	    "/etc/ld.so.conf", "/etc/localtime", "/etc/nsswitch.conf",
	    NULL };
	static const char *const devs[] = { "null", "zero", "full",
	    "random", "urandom", NULL };
	char path[256], lower[64];
	int i, lfd = -1;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return note("make / private: %s", strerror(errno)), -1;
	/* The lower root may lie beneath NEWROOT, which is about to be
	 * covered: hold it first. */
	if (lower_root != NULL && lower_fd < 0 && (lfd = open(lower_root,
	    O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return note("%s: %s%s", lower_root, strerror(errno), errno ==
		    EACCES ? " (the sandbox's uid may not search a directory "
		    "above it: give it mode 0711, or set TMPDIR elsewhere)" :
		    ""), -1;
	snprintf(lower, sizeof lower, "/proc/self/fd/%d", lfd);
	/* Likewise the binds that come by name (rootless). */
	for (i = 0; i < SB_NBINDS; i++) {
		const struct sb_ro_bind *b = &a->binds[i];

		cfd[i] = -1;
		if (b->target != NULL && b->fd < 0 && b->path != NULL &&
		    (cfd[i] = open(b->path, O_PATH | O_DIRECTORY |
		    O_CLOEXEC)) < 0)
			return note("%s: %s", b->path, strerror(errno)), -1;
	}
	if (mount("tmpfs", NEWROOT, "tmpfs", MS_NOSUID | MS_NODEV,
	    "size=4m,mode=755") < 0)
		return note("mount root: %s", strerror(errno)), -1;
	if (mkdir(NEWROOT "/etc", 0755) < 0)
		return note("mkdir etc: %s", strerror(errno)), -1;
	for (i = 0; dirs[i] != NULL; i++)
		if (bind_ro(dirs[i], dirs[i], true) < 0)
			return note("bind %s: %s", dirs[i], strerror(errno)),
			    -1;
	for (i = 0; links[i] != NULL; i++)
		if (bind_ro(links[i], links[i], true) < 0)
			return note("bind %s: %s", links[i], strerror(errno)),
			    -1;
	for (i = 0; files[i] != NULL; i++)
		if (bind_ro(files[i], files[i], false) < 0)
			return note("bind %s: %s", files[i], strerror(errno)),
			    -1;
	for (i = 0; ro_dirs != NULL && ro_dirs[i] != NULL; i++) {
		char *slash;

		snprintf(path, sizeof path, "%s", ro_dirs[i]);
		if ((slash = strrchr(path, '/')) != NULL && slash != path)
			*slash = '\0';
		if (slash != NULL && slash != path && mkdir_in_root(path) < 0)
			return note("mkdir %s: %s", path, strerror(errno)), -1;
		if (bind_ro(ro_dirs[i], ro_dirs[i], true) < 0)
			return note("bind %s: %s", ro_dirs[i],
			    strerror(errno)), -1;
	}
	if (mkfile(NEWROOT "/etc/passwd", passwd, 0644) < 0 ||
	    mkfile(NEWROOT "/etc/group", group, 0644) < 0 ||
	    mkfile(NEWROOT "/etc/hostname", "ab-sandbox\n", 0644) < 0 ||
	    mkfile(NEWROOT "/etc/hosts",
	    "127.0.0.1 localhost ab-sandbox\n::1 localhost\n", 0644) < 0)
		return note("etc: %s", strerror(errno)), -1;
	/* /dev: a tmpfs holding bind mounts of the harmless host nodes. */
	if (mkdir(NEWROOT "/dev", 0755) < 0 ||
	    mount("tmpfs", NEWROOT "/dev", "tmpfs", MS_NOSUID,
	    "size=64k,mode=755") < 0)
		return note("mount /dev: %s", strerror(errno)), -1;
	for (i = 0; devs[i] != NULL; i++) {
		char src[64];

		snprintf(src, sizeof src, "/dev/%s", devs[i]);
		snprintf(path, sizeof path, NEWROOT "/dev/%s", devs[i]);
		if (mkfile(path, "", 0666) < 0 ||
		    mount(src, path, NULL, MS_BIND, NULL) < 0)
			return note("bind %s: %s", src, strerror(errno)), -1;
	}
	if (symlink("/proc/self/fd", NEWROOT "/dev/fd") < 0 ||
	    symlink("/proc/self/fd/0", NEWROOT "/dev/stdin") < 0 ||
	    symlink("/proc/self/fd/1", NEWROOT "/dev/stdout") < 0 ||
	    symlink("/proc/self/fd/2", NEWROOT "/dev/stderr") < 0 ||
	    mkdir(NEWROOT "/dev/shm", 01777) < 0 ||
	    mkdir(NEWROOT "/work", 0755) < 0 ||
	    mkdir(NEWROOT "/.ovl", 0700) < 0 ||
	    mkdir(NEWROOT "/.lowers", 0700) < 0 ||
	    mkdir(NEWROOT "/tmp", 01777) < 0 ||
	    mkdir(NEWROOT "/proc", 0555) < 0 ||
	    mkdir(NEWROOT "/.old", 0700) < 0)
		return note("populate root: %s", strerror(errno)), -1;
	if (lfd >= 0 && (mkdir(NEWROOT "/.lowers/d", 0700) < 0 ||
	    mount(lower, NEWROOT "/.lowers/d", NULL, MS_BIND, NULL) < 0 ||
	    mount(NULL, NEWROOT "/.lowers/d", NULL, MS_BIND | MS_REMOUNT |
	    MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0))
		return note("bind %s: %s", lower_root, strerror(errno)), -1;
	if (lfd >= 0)
		close(lfd);
	/* Or the caller's detached mount of it. */
	if (lower_fd >= 0) {
		if (mkdir(NEWROOT "/.lowers/d", 0700) < 0 ||
		    move_mount(lower_fd, "", AT_FDCWD, NEWROOT "/.lowers/d",
		    MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return note("bind %s: %s", lower_root,
			    strerror(errno)), -1;
		close(lower_fd);
	}
	/* The cache and the modules: detached read-only mounts the
	 * caller made, of directories this namespace may not reach by
	 * name, or (rootless) the directories opened above. */
	for (i = 0; i < SB_NBINDS; i++)
		if (attach_ro(&a->binds[i], cfd[i]) < 0)
			return -1;
	if (a->binds[1].fd >= 0 || cfd[1] >= 0) {
		/* Node looks for packages in node_modules of every parent
		 * of the program's directory: /node_modules is one. */
		if (symlink(AB_SANDBOX_MODULES "/node_modules",
		    NEWROOT "/node_modules") < 0)
			return note("/node_modules: %s", strerror(errno)), -1;
	}
	/* Rootless, the run's id owns what the keeper makes: the lower
	 * root gets no permission at all (the root is read-only, so no
	 * chmod gives one back; the keeper passes by capability). */
	if (a->single && chmod(NEWROOT "/.lowers", 0) < 0)
		return note("hide /.lowers: %s", strerror(errno)), -1;
	if (mount_tmpfs(NEWROOT "/work", tmpfs_mb, run_uid, 0755) < 0 ||
	    mount_tmpfs(NEWROOT "/tmp", tmpfs_mb, root_id, 01777) < 0 ||
	    mount_tmpfs(NEWROOT "/dev/shm", tmpfs_mb, root_id, 01777) < 0)
		return note("mount tmpfs: %s", strerror(errno)), -1;
	features |= SB_F_TMPFS;
	if (mount("proc", NEWROOT "/proc", "proc", MS_NOSUID | MS_NODEV |
	    MS_NOEXEC, "hidepid=invisible") < 0 &&
	    mount("proc", NEWROOT "/proc", "proc", MS_NOSUID | MS_NODEV |
	    MS_NOEXEC, "hidepid=2") < 0)
		note("mount /proc: %s", strerror(errno));
	else
		features |= SB_F_PROC;
	if (chdir(NEWROOT) < 0 ||
	    syscall(SYS_pivot_root, ".", ".old") < 0 ||
	    chdir("/") < 0 || umount2("/.old", MNT_DETACH) < 0 ||
	    rmdir("/.old") < 0)
		return note("pivot_root: %s", strerror(errno)), -1;
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID |
	    MS_NODEV | MS_BIND, NULL) < 0)
		return note("remount / read-only: %s", strerror(errno)), -1;
	/* /dev too: nothing is made there after this (rootless, its owner
	 * is the run's id). */
	if (mount(NULL, "/dev", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID |
	    MS_BIND, NULL) < 0)
		return note("remount /dev read-only: %s", strerror(errno)), -1;
	features |= SB_F_ROOT;
	return 0;
}

static void
send_rep(int sock, struct sb_rep *r)
{
	while (send(sock, r, sizeof *r, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

static int
set_rlimit(int res, int64_t soft, int64_t hard)
{
	struct rlimit rl;

	if (soft < 0)
		return 0;	/* not limited: leave it as it is */
	rl.rlim_cur = (rlim_t)soft;
	rl.rlim_max = hard < 0 ? RLIM_INFINITY : (rlim_t)hard;
	return setrlimit(res, &rl);
}

/* No capability left, none to regain (rootless: the id stays the one
 * the keeper had). */
static int
drop_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int c;

	for (c = 0; c <= 63; c++)
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return -1;
	memset(d, 0, sizeof d);
	return (int)syscall(SYS_capset, &h, d);
}

/* Landlock before its constants reached the headers. */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0)	/* ABI 6 */
#define LL_SCOPE_SIGNAL (1ULL << 1)		/* ABI 6 */

/* Rootless: enter a Landlock domain of our own.  Whatever is outside it
 * (the keeper, the other program of a peer run) can then not be
 * ptraced, its /proc files read (fd, environ, mem) nor, with hidepid,
 * even seen, and from ABI 6 not signalled nor reached by an abstract
 * socket.  A peer (the solution) may moreover write only beneath /tmp,
 * /dev/shm and /dev (its null), as under root, where /work belongs to
 * the checker's id. */
static int
landlock_self(int abi, bool peer)
{
	static const char *const writable[] = { "/tmp", "/dev/shm", "/dev",
	    NULL };
	struct {
		uint64_t fs, net, scoped;
	} attr;
	struct {
		uint64_t allowed;
		int32_t parent_fd;
	} __attribute__((packed)) rule;
	uint64_t wr = LANDLOCK_ACCESS_FS_WRITE_FILE |
	    LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
	    LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |
	    LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |
	    LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
	    LANDLOCK_ACCESS_FS_MAKE_SYM;
	int fd, dfd, i, rc = 0;

	if (abi >= 2)
		wr |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		wr |= LANDLOCK_ACCESS_FS_TRUNCATE;
	memset(&attr, 0, sizeof attr);
	/* A domain must handle something: making device nodes, which
	 * nobody here may do anyway. */
	attr.fs = peer ? wr : LANDLOCK_ACCESS_FS_MAKE_CHAR |
	    LANDLOCK_ACCESS_FS_MAKE_BLOCK;
	if (abi >= 6)
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
	if ((fd = (int)syscall(SYS_landlock_create_ruleset, &attr,
	    abi >= 6 ? sizeof attr : sizeof attr.fs, 0)) < 0)
		return -1;
	for (i = 0; peer && writable[i] != NULL && rc == 0; i++) {
		if ((dfd = open(writable[i], O_PATH | O_DIRECTORY |
		    O_CLOEXEC)) < 0)
			continue;
		rule.allowed = strcmp(writable[i], "/dev") == 0 ?
		    LANDLOCK_ACCESS_FS_WRITE_FILE |
		    (abi >= 3 ? LANDLOCK_ACCESS_FS_TRUNCATE : 0) : wr;
		rule.parent_fd = dfd;
		rc = (int)syscall(SYS_landlock_add_rule, fd,
		    LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
		close(dfd);
	}
	if (rc == 0)
		rc = (int)syscall(SYS_landlock_restrict_self, fd, 0);
	close(fd);
	return rc;
}

static const char *const path_dirs[] = { "/usr/local/bin", "/usr/bin",
    "/bin", NULL };

/* In the forked child: become the run, then exec.  Never returns. */
static void
child(const struct sb_keeper_args *a, const struct sb_req *q, char **argv,
    char **envp, uid_t uid, bool peer, const int *fds, int nfds, int errpipe)
{
	struct sock_fprog prog;
	char path[512];
	int i, e, keep;

	/* Join the run's cgroups first: everything after is accounted. */
	for (i = 0; i < (int)q->ncg; i++)
		if (write(fds[4 + i], "0", 1) != 1)
			goto fail;
	/* A run's own IPC and cgroup namespaces (after the cgroups: the
	 * cgroup namespace is rooted where the process is); a zygote
	 * (uid -1) has its children make theirs. */
	if (uid != (uid_t)-1 && run_unshare != 0 &&
	    unshare(run_unshare) < 0)
		goto fail;
	/* fds[0..3]: stdin, stdout, stderr, channel (or socket) and, for
	 * the main program of a peer run, fds[4 + ncg]: the peer socket. */
	for (i = 0; i < 4; i++)
		if (fds[i] >= 0 && dup2(fds[i], 100 + i) < 0)
			goto fail;
	if (nfds > 4 + (int)q->ncg && dup2(fds[4 + q->ncg], 104) < 0)
		goto fail;
	for (i = 0; i < 4; i++)
		if (fds[i] >= 0 && dup2(100 + i, i) < 0)
			goto fail;
	if (nfds > 4 + (int)q->ncg && dup2(104, 4) < 0)
		goto fail;
	/* Keep 0-3 (and 4), the error pipe just above them (close on
	 * exec), close everything else. */
	keep = nfds > 4 + (int)q->ncg ? 5 : 4;
	if (dup3(errpipe, keep, O_CLOEXEC) < 0)
		goto fail;
	errpipe = keep;
	if (syscall(SYS_close_range, keep + 1, ~0U, 0) < 0) {
		for (i = keep + 1; i < 1024; i++)
			close(i);
	}
	if (fds[3] < 0)
		close(3);
	if (setsid() < 0)
		goto fail;
	if (chdir("/work") < 0 && chdir("/") < 0)
		goto fail;
	umask(022);
	if (set_rlimit(RLIMIT_CPU, q->rl_cpu_s, q->rl_cpu_s < 0 ? -1 :
	    q->rl_cpu_s + 1) < 0 ||
	    set_rlimit(RLIMIT_FSIZE, q->rl_fsize, q->rl_fsize) < 0 ||
	    set_rlimit(RLIMIT_NOFILE, q->rl_nofile, q->rl_nofile) < 0 ||
	    set_rlimit(RLIMIT_NPROC, q->rl_nproc, q->rl_nproc) < 0 ||
	    set_rlimit(RLIMIT_CORE, 0, 0) < 0 ||
	    set_rlimit(RLIMIT_MEMLOCK, 0, 0) < 0 ||
	    set_rlimit(RLIMIT_MSGQUEUE, 0, 0) < 0)
		goto fail;
	if (!(a->disable & SB_F_UID) && uid != (uid_t)-1) {
		gid_t g = uid;

		/* Rootless, setgroups is denied (the caller's groups stay)
		 * and the id does not change: drop the capabilities the
		 * keeper had in the namespace. */
		if ((!a->single && setgroups(1, &g) < 0) ||
		    setresgid(uid, uid, uid) < 0 ||
		    setresuid(uid, uid, uid) < 0 ||
		    (a->single && drop_caps() < 0))
			goto fail;
	}
	if (!(a->disable & SB_F_NNP) &&
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		goto fail;
	if (a->single && a->landlock_abi > 0 &&
	    !(a->disable & SB_F_NNP) && landlock_self(a->landlock_abi, peer) < 0)
		goto fail;
	if (a->bpf != NULL) {
		prog.len = (unsigned short)a->bpf_len;
		prog.filter = (struct sock_filter *)a->bpf;
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
			goto fail;
	}
	if (strchr(argv[0], '/') != NULL) {
		execve(argv[0], argv, envp);
	} else {
		e = ENOENT;
		for (i = 0; path_dirs[i] != NULL; i++) {
			snprintf(path, sizeof path, "%s/%s", path_dirs[i],
			    argv[0]);
			execve(path, argv, envp);
			if (errno != ENOENT)
				e = errno;
		}
		errno = e;
	}
fail:
	e = errno;
	if (write(errpipe, &e, sizeof e) < 0) {
		/* the keeper reports the run as failed anyway */
	}
	_exit(127);
}

/* Split the request's strings into argv, env and peer argv. */
static int
split_strs(struct sb_req *q, char *strs, char **argv, char **envp,
    char **pargv, size_t max)
{
	char *p = strs, *end = strs + q->strs_len;
	uint32_t i;

	if (q->argc == 0 || q->argc + q->envc + q->peer_argc + 3 > max)
		return -1;
	if (q->strs_len == 0 || end[-1] != '\0')
		return -1;
	for (i = 0; i < q->argc + q->envc + q->peer_argc; i++) {
		char **v = i < q->argc ? argv + i : i < q->argc + q->envc ?
		    envp + (i - q->argc) : pargv + (i - q->argc - q->envc);

		if (p >= end)
			return -1;
		*v = p;
		p += strlen(p) + 1;
	}
	argv[q->argc] = NULL;
	envp[q->envc] = NULL;
	pargv[q->peer_argc] = NULL;
	if (q->peer_envc > q->envc)
		return -1;
	return 0;
}

static void
close_fds(int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* Kill everything in the namespace but us and reap it all. */
static void
kill_all(void)
{
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, __WALL) > 0 || errno == EINTR)
		;
}

static void do_warm(const struct sb_keeper_args *a, struct sb_req *q,
    char **argv, char **envp, char **pargv, int *fds, int nfds);
static void kill_run(void);
static int kill_run_procs(void);
static void ipc_clean(void);
static bool zygotes_alive(void);

static void
do_run(const struct sb_keeper_args *a, struct sb_req *q, int *fds, int nfds)
{
	static char *argv[4096], *envp[256], *pargv[256];
	struct sb_rep rep;
	struct rusage ru;
	struct pollfd pfd[2];
	int ep[2], sp[2] = { -1, -1 }, pfds[SB_MAX_CG + 5], status, e;
	pid_t pid, ppid = -1, w;
	ssize_t n;

	memset(&rep, 0, sizeof rep);
	rep.op = SB_REP_EXITED;
	if (split_strs(q, (char *)(q + 1), argv, envp, pargv,
	    sizeof argv / sizeof argv[0]) < 0 ||
	    nfds != 4 + (int)q->ncg) {
		rep.exec_errno = EINVAL;
		snprintf(rep.msg, sizeof rep.msg, "bad run request");
		goto out;
	}
	if (q->warm && q->peer_argc > 0) {
		do_warm(a, q, argv, envp, pargv, fds, nfds);
		return;
	}
	if (pipe2(ep, O_CLOEXEC) < 0) {
		rep.exec_errno = errno;
		goto out;
	}
	set_last_pid(SB_PID_RUN);
	if (q->peer_argc > 0 &&
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0) {
		rep.exec_errno = errno;
		close(ep[0]), close(ep[1]);
		goto out;
	}
	if (q->peer_argc > 0) {
		/* The peer: the solution.  Its stdin is empty, its
		 * stdout and stderr are the run's, fd 3 is the socket. */
		int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);

		memcpy(pfds, fds, sizeof(int) * (size_t)nfds);
		pfds[0] = devnull;
		pfds[3] = sp[1];
		if ((ppid = fork()) == 0) {
			/* Only the fixed environment: what the caller adds
			 * (the nonce) is the main program's. */
			envp[q->peer_envc] = NULL;
			child(a, q, pargv, envp, a->peer_uid, true, pfds,
			    nfds, ep[1]);
		}
		if (devnull >= 0)
			close(devnull);
		close(sp[1]);
		if (ppid < 0) {
			rep.exec_errno = errno;
			close(sp[0]), close(ep[0]), close(ep[1]);
			goto out;
		}
		pfds[0] = -1;
	}
	memcpy(pfds, fds, sizeof(int) * (size_t)nfds);
	if (sp[0] >= 0)
		pfds[nfds] = sp[0];
	if ((pid = fork()) == 0)
		child(a, q, argv, envp, a->run_uid, false, pfds,
		    nfds + (sp[0] >= 0), ep[1]);
	if (sp[0] >= 0)
		close(sp[0]);
	close(ep[1]);
	close_fds(fds, nfds);
	nfds = 0;
	if (pid < 0) {
		rep.exec_errno = errno;
		close(ep[0]);
		kill_all();
		goto out;
	}
	rep.op = SB_REP_STARTED;
	send_rep(a->sock, &rep);
	rep.op = SB_REP_EXITED;
	/* Wait for the main process, or a KILL from the supervisor. */
	pfd[0].fd = a->sock;
	pfd[0].events = POLLIN;
	pfd[1].fd = (int)syscall(SYS_pidfd_open, pid, 0);
	pfd[1].events = POLLIN;
	for (;;) {
		w = wait4(pid, &status, WNOHANG | __WALL, &ru);
		if (w == pid)
			break;
		if (poll(pfd, pfd[1].fd >= 0 ? 2 : 1,
		    pfd[1].fd >= 0 ? -1 : 20) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN) {
			struct sb_req k;

			n = recv(a->sock, &k, sizeof k, MSG_DONTWAIT);
			if (n == 0)
				_exit(0);	/* supervisor gone */
			if (n > 0 && k.op == SB_OP_KILL)
				kill(-1, SIGKILL);
		} else if (pfd[0].revents & (POLLHUP | POLLERR)) {
			_exit(0);
		}
	}
	if (pfd[1].fd >= 0)
		close(pfd[1].fd);
	if (w == pid) {
		rep.status = status;
		rep.utime_us = (int64_t)ru.ru_utime.tv_sec * 1000000 +
		    ru.ru_utime.tv_usec;
		rep.stime_us = (int64_t)ru.ru_stime.tv_sec * 1000000 +
		    ru.ru_stime.tv_usec;
		rep.maxrss_kb = ru.ru_maxrss;
	} else {
		rep.status = -1;
	}
	if (zygotes_alive())
		kill_run();	/* spare the zygotes */
	else
		kill_all();
	ipc_clean();
	/* An exec failure of either process is reported by errno. */
	n = read(ep[0], &e, sizeof e);
	if (n == (ssize_t)sizeof e)
		rep.exec_errno = e;
	close(ep[0]);
out:
	close_fds(fds, nfds);
	send_rep(a->sock, &rep);
}


/* Remove every System V IPC object: nothing passes from run to run. */
static void
ipc_clean(void)
{
	static const char *const files[] = { "/proc/sysvipc/shm",
	    "/proc/sysvipc/msg", "/proc/sysvipc/sem" };
	char buf[8192], *p, *e;
	ssize_t n;
	int i, fd;

	for (i = 0; i < 3; i++) {
		if ((fd = open(files[i], O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		p = strchr(buf, '\n');	/* skip the header */
		while (p != NULL && *++p != '\0') {
			long key, id;

			key = strtol(p, &e, 10);
			id = strtol(e, &e, 10);
			(void)key;
			if (e != p) {
				if (i == 0)
					shmctl((int)id, IPC_RMID, NULL);
				else if (i == 1)
					msgctl((int)id, IPC_RMID, NULL);
				else
					semctl((int)id, 0, IPC_RMID);
			}
			p = strchr(p, '\n');
		}
	}
}

/* ---- warm runs: zygotes that fork per run -------------------------------
 *
 * A zygote is a long-lived interpreter started by the keeper as root of
 * the namespace (no capability outside it; no_new_privs and seccomp are
 * in force), that has loaded its harness once.  For each run it receives
 * the run's descriptors and limits on its control socket (its fd 3),
 * forks a child that joins the run's cgroups, takes the descriptors,
 * the limits and the run's unprivileged uid, and runs the harness; it
 * answers with the child's pid, then with its wait status.  The
 * programs of a run cannot reach a zygote: another uid, and /proc
 * hides it. */

struct zyg {
	pid_t pid;
	int sock;
	int64_t final_cpu_us;	/* CPU of the last one stopped, or -1 */
	char argv[1024];	/* NUL-separated argv it was started with */
	size_t argv_len;
};
static struct zyg zyg[2] = { { -1, -1, -1, "", 0 }, { -1, -1, -1, "", 0 } };

static bool
zygotes_alive(void)
{
	return zyg[0].pid > 0 || zyg[1].pid > 0;
}

static void
zyg_stop(struct zyg *z)
{
	z->final_cpu_us = -1;
	if (z->pid > 0) {
		struct rusage ru;

		kill(z->pid, SIGKILL);
		if (wait4(z->pid, NULL, __WALL, &ru) == z->pid)
			z->final_cpu_us = (int64_t)ru.ru_utime.tv_sec *
			    1000000 + ru.ru_utime.tv_usec +
			    (int64_t)ru.ru_stime.tv_sec * 1000000 +
			    ru.ru_stime.tv_usec;
	}
	if (z->sock >= 0)
		close(z->sock);
	z->pid = -1;
	z->sock = -1;
	z->argv_len = 0;
}

static size_t
pack_argv(char **argv, char *buf, size_t cap)
{
	size_t n = 0, l;

	for (; *argv != NULL; argv++) {
		l = strlen(*argv) + 1;
		if (n + l > cap)
			return 0;
		memcpy(buf + n, *argv, l);
		n += l;
	}
	return n;
}

/* Wait for one message from a zygote (at most ms); its text in buf. */
static ssize_t
zyg_recv(struct zyg *z, char *buf, size_t cap, int ms)
{
	struct pollfd p = { z->sock, POLLIN, 0 };
	ssize_t n;

	for (;;) {
		int k = poll(&p, 1, ms);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		n = recv(z->sock, buf, cap - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0)
			buf[n] = '\0';
		return n <= 0 ? -1 : n;
	}
}

static int
zyg_start(const struct sb_keeper_args *a, struct zyg *z, char **argv,
    char **envp)
{
	struct sb_req zq;
	int sp[2], fds[4], devnull, ep[2];
	char buf[256];

	zyg_stop(z);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return -1;
	if (pipe2(ep, O_CLOEXEC) < 0) {
		close(sp[0]), close(sp[1]);
		return -1;
	}
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	memset(&zq, 0, sizeof zq);
	zq.rl_cpu_s = -1;
	zq.rl_fsize = -1;
	zq.rl_nofile = 1024;
	zq.rl_nproc = -1;
	fds[0] = fds[1] = fds[2] = devnull;
	fds[3] = sp[1];
	set_last_pid(SB_PID_ZYGOTE + (int)(z - zyg));
	if ((z->pid = fork()) == 0) {
		static char *zenv[300], idvar[64];
		int k;

		/* The id a persistent zygote takes for good. */
		snprintf(idvar, sizeof idvar, "AB_CHECK_UID=%u", a->check_uid);
		for (k = 0; envp[k] != NULL && k < 298; k++)
			zenv[k] = envp[k];
		zenv[k++] = idvar;
		zenv[k] = NULL;
		child(a, &zq, argv, zenv, (uid_t)-1, false, fds, 4, ep[1]);
	}
	close(sp[1]);
	close(ep[1]);
	close(ep[0]);
	if (devnull >= 0)
		close(devnull);
	z->sock = sp[0];
	if (z->pid < 0 || zyg_recv(z, buf, sizeof buf, 10000) < 0 ||
	    strncmp(buf, "{\"ready\"", 8) != 0) {
		zyg_stop(z);
		return -1;
	}
	z->argv_len = pack_argv(argv, z->argv, sizeof z->argv);
	return 0;
}

/* Processes of the namespace other than us and the zygotes: kill them
 * and reap what is ours; returns how many were still there. */
static int
kill_run_procs(void)
{
	static char dbuf[16384];
	int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC), left = 0;
	long n, off;

	if (fd < 0)
		return 0;
	while ((n = syscall(SYS_getdents64, fd, dbuf, sizeof dbuf)) > 0) {
		for (off = 0; off < n; ) {
			struct {
				uint64_t ino;
				int64_t off;
				unsigned short reclen;
				unsigned char type;
				char name[];
			} *d = (void *)(dbuf + off);
			char *e, path[64], st[256];
			long pid = strtol(d->name, &e, 10);
			int sfd;
			ssize_t k;

			off += d->reclen;
			if (*e != '\0' || pid <= 1 || pid == zyg[0].pid ||
			    pid == zyg[1].pid)
				continue;
			snprintf(path, sizeof path, "/proc/%ld/stat", pid);
			if ((sfd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
				k = read(sfd, st, sizeof st - 1);
				close(sfd);
				if (k > 0) {
					char *rp;

					st[k] = '\0';
					rp = strrchr(st, ')');
					if (rp != NULL && rp[1] == ' ' &&
					    rp[2] == 'Z')
						continue;	/* a zombie */
				}
			}
			kill((pid_t)pid, SIGKILL);
			left++;
		}
	}
	close(fd);
	while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
		;
	return left;
}

static void
kill_run(void)
{
	int i;

	for (i = 0; i < 4000 && kill_run_procs() > 0; i++)
		usleep(500);
}

/* Hand a zygote one run: its descriptors and limits.  Returns 0 or -1;
 * zyg_pid then gives the child's pid. */
static int
zyg_fork(struct zyg *z, const struct sb_req *q, unsigned uid, const int *fds,
    int nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * (6 + SB_MAX_CG))];
		struct cmsghdr align;
	} cm;
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *c;
	char msg[256];

	snprintf(msg, sizeof msg, "{\"uid\":%u,\"nfds\":%d,\"ncg\":%u,"
	    "\"unshare\":%d,\"cpu\":%lld,\"fsize\":%lld,\"nofile\":%lld,"
	    "\"nproc\":%lld}",
	    uid, nfds - (int)q->ncg, q->ncg, run_unshare, (long long)q->rl_cpu_s,
	    (long long)q->rl_fsize, (long long)q->rl_nofile,
	    (long long)q->rl_nproc);
	memset(&mh, 0, sizeof mh);
	memset(&cm, 0, sizeof cm);
	iov.iov_base = msg;
	iov.iov_len = strlen(msg);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
	memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	return sendmsg(z->sock, &mh, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

/* The pid a zygote answers after zyg_fork (0 when it runs the harness
 * itself), or -1. */
static pid_t
zyg_pid(struct zyg *z)
{
	char msg[256];
	long pid;

	if (zyg_recv(z, msg, sizeof msg, 5000) < 0 ||
	    strncmp(msg, "{\"pid\":", 7) != 0 ||
	    (pid = strtol(msg + 7, NULL, 10)) < 0 || pid == 1)
		return -1;
	return (pid_t)pid;	/* 0: a persistent zygote runs it itself */
}

/* Parse {"status":N,"ut":U,"st":S,"rss":R} from a zygote. */
static int
zyg_status(const char *m, struct sb_rep *rep)
{
	const char *p;

	if ((p = strstr(m, "\"status\":")) == NULL)
		return -1;
	rep->status = (int32_t)strtol(p + 9, NULL, 10);
	if ((p = strstr(m, "\"ut\":")) != NULL)
		rep->utime_us = strtoll(p + 5, NULL, 10);
	if ((p = strstr(m, "\"st\":")) != NULL)
		rep->stime_us = strtoll(p + 5, NULL, 10);
	if ((p = strstr(m, "\"rss\":")) != NULL)
		rep->maxrss_kb = strtoll(p + 6, NULL, 10);
	return 0;
}

static void
do_warm(const struct sb_keeper_args *a, struct sb_req *q, char **argv,
    char **envp, char **pargv, int *fds, int nfds)
{
	struct sb_rep rep;
	struct pollfd pfd[2];
	char packed[1024], m[512];
	int sp[2] = { -1, -1 }, f[6 + SB_MAX_CG], i, devnull = -1;
	pid_t main_pid, peer_pid, zpid;
	int64_t cpu0, cpu1;
	bool main_done = false, killed = false;
	size_t plen;

	memset(&rep, 0, sizeof rep);
	rep.op = SB_REP_EXITED;
	/* (Re)start the zygotes when missing or given other commands. */
	plen = pack_argv(argv, packed, sizeof packed);
	if (zyg[0].pid < 0 || plen != zyg[0].argv_len ||
	    memcmp(packed, zyg[0].argv, plen) != 0 ||
	    kill(zyg[0].pid, 0) < 0) {
		if (zyg_start(a, &zyg[0], argv, envp) < 0) {
			rep.exec_errno = ENOEXEC;
			goto out;
		}
	}
	plen = pack_argv(pargv, packed, sizeof packed);
	if (zyg[1].pid < 0 || plen != zyg[1].argv_len ||
	    memcmp(packed, zyg[1].argv, plen) != 0 ||
	    kill(zyg[1].pid, 0) < 0) {
		char *saved = envp[q->peer_envc];
		int rc;

		/* The peer's zygote: the fixed environment only. */
		envp[q->peer_envc] = NULL;
		rc = zyg_start(a, &zyg[1], pargv, envp);
		envp[q->peer_envc] = saved;
		if (rc < 0) {
			rep.exec_errno = ENOEXEC;
			goto out;
		}
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0 ||
	    (devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
		rep.exec_errno = errno;
		goto out;
	}
	/* The peer (the solution): empty stdin, the run's stdout and
	 * stderr, fd 3 the socket to the main program. */
	f[0] = devnull;
	f[1] = fds[1];
	f[2] = fds[2];
	f[3] = sp[1];
	for (i = 0; i < (int)q->ncg; i++)
		f[4 + i] = fds[4 + i];
	set_last_pid(SB_PID_RUN);
	if (zyg_fork(&zyg[1], q, a->peer_uid, f, 4 + (int)q->ncg) < 0) {
		zyg_stop(&zyg[1]);
		rep.exec_errno = ECHILD;
		goto out;
	}
	/* A persistent main program (the checker) runs outside the run's
	 * cgroups: what it spends on the run is measured here and charged
	 * to the run (rep.outside_cpu_us). */
	cpu0 = proc_cpu_us(zyg[0].pid);
	/* The main program: stdin, stdout, stderr, the channel, fd 4 the
	 * socket to the peer.  Both zygotes fork at once. */
	for (i = 0; i < 4; i++)
		f[i] = fds[i];
	f[4] = sp[0];
	for (i = 0; i < (int)q->ncg; i++)
		f[5 + i] = fds[4 + i];
	if (zyg_fork(&zyg[0], q, a->run_uid, f, 5 + (int)q->ncg) < 0) {
		zyg_stop(&zyg[0]);
		(void)zyg_pid(&zyg[1]);
		kill_run();
		rep.exec_errno = ECHILD;
		goto out;
	}
	peer_pid = zyg_pid(&zyg[1]);
	main_pid = zyg_pid(&zyg[0]);
	if (peer_pid < 0 || main_pid < 0) {
		if (peer_pid < 0)
			zyg_stop(&zyg[1]);
		if (main_pid < 0)
			zyg_stop(&zyg[0]);
		kill_run();
		rep.exec_errno = ECHILD;
		goto out;
	}
	close(sp[1]);
	sp[1] = -1;
	close(sp[0]);
	sp[0] = -1;
	close_fds(fds, nfds);
	nfds = 0;
	rep.op = SB_REP_STARTED;
	send_rep(a->sock, &rep);
	rep.op = SB_REP_EXITED;
	pfd[0].fd = a->sock;
	pfd[0].events = POLLIN;
	pfd[1].fd = zyg[0].sock;
	pfd[1].events = POLLIN;
	while (!main_done) {
		/* A persistent main program is not killed with the run: it
		 * gets a moment to finish once its peer is gone (it then
		 * has nothing to wait for), and dies if still busy. */
		int k = poll(pfd, 2, killed && main_pid == 0 ? 300 : -1);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (k == 0) {
			zyg_stop(&zyg[0]);
			rep.status = SIGKILL;
			break;
		}
		if (pfd[0].revents & POLLIN) {
			struct sb_req kq;
			ssize_t n = recv(a->sock, &kq, sizeof kq, MSG_DONTWAIT);

			if (n == 0)
				_exit(0);
			if (n > 0 && kq.op == SB_OP_KILL) {
				kill_run();
				killed = true;
			}
		} else if (pfd[0].revents & (POLLHUP | POLLERR)) {
			_exit(0);
		}
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (zyg_recv(&zyg[0], m, sizeof m, 0) < 0 ||
			    zyg_status(m, &rep) < 0) {
				zyg_stop(&zyg[0]);
				rep.status = SIGKILL;	/* lost: as killed */
			}
			main_done = true;
		}
	}
	if (main_pid == 0 && cpu0 >= 0) {
		zpid = zyg[0].pid;
		cpu1 = zpid > 0 ? proc_cpu_us(zpid) : zyg[0].final_cpu_us;
		if (cpu1 > cpu0)
			rep.outside_cpu_us = cpu1 - cpu0;
	}
	/* The main program is over: kill the rest, collect the peer's
	 * status from its zygote (it was killed, or it exited), then make
	 * sure nothing is left. */
	kill_run_procs();
	if (zyg_recv(&zyg[1], m, sizeof m, 5000) < 0 ||
	    strstr(m, "\"status\"") == NULL)
		zyg_stop(&zyg[1]);
	kill_run();
out:
	if (sp[0] >= 0)
		close(sp[0]);
	if (sp[1] >= 0)
		close(sp[1]);
	if (devnull >= 0)
		close(devnull);
	close_fds(fds, nfds);
	ipc_clean();
	send_rep(a->sock, &rep);
}

/* Make path a fresh, empty tmpfs of mb megabytes owned by uid with mode:
 * always a new mount, never the old one emptied in place, so that
 * nothing of a run before (an inode number, a time stamp, a file kept
 * open) reaches the next (a new tmpfs numbers its inodes from the
 * start).  A mount costs a fraction of a millisecond. */
static int
fresh_tmpfs(const char *path, int64_t mb, unsigned uid, int mode)
{
	umount2(path, MNT_DETACH);
	return mount_tmpfs(path, mb, uid, mode);
}

/* Loopback up or down (agent trials reach their relay on it). */
static int
set_lo(bool up)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1;

	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, "lo", 3);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		if (up)
			ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		else
			ifr.ifr_flags &= ~IFF_UP;
		rc = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return rc;
}

/* /work as an overlay: the lower directory is rel beneath /.lowers/d (the
 * host's lower_root, bound read-only there at start: an overlay's lower
 * layer must be a mount of our own namespace), the upper a fresh tmpfs of
 * mb megabytes at /.ovl that only we can reach, so the run's changes
 * cost only what they write and a full disk stops there. */
static int
work_overlay(const struct sb_keeper_args *a, const char *rel, int64_t mb)
{
	char opt[512];
	int64_t inodes = mb * 256 > 16384 ? mb * 256 : 16384;

	umount2("/work", MNT_DETACH);
	umount2("/.ovl", MNT_DETACH);
	if (mount_tmpfs_n("/.ovl", mb, inodes, root_id, 0700) < 0 ||
	    mkdir("/.ovl/u", 0755) < 0 || chown("/.ovl/u", a->run_uid,
	    a->run_uid) < 0 || mkdir("/.ovl/w", 0700) < 0 ||
	    mkdir("/.ovl/g", 0700) < 0)
		return -1;
	if (a->lower_root == NULL || rel[0] == '/' || strstr(rel, "..") ||
	    strlen(rel) > 200 ||
	    strpbrk(rel, ",:\\") != NULL) {
		errno = EINVAL;
		return -1;
	}
	snprintf(opt, sizeof opt, "lowerdir=/.lowers/d/%s,"
	    "upperdir=/.ovl/u,workdir=/.ovl/w,userxattr", rel);
	if (mount("overlay", "/work", "overlay", MS_NOSUID | MS_NODEV,
	    opt) < 0)
		return -1;
	/* Rootless, the upper's tmpfs belongs to the run's id: closed and
	 * made read-only where the run could reach it (the overlay holds
	 * a private clone of the mount, writable). */
	if (a->single && (chmod("/.ovl", 0) < 0 || mount(NULL, "/.ovl", NULL,
	    MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV,
	    NULL) < 0))
		return -1;
	return 0;
}

static void
do_prep(const struct sb_keeper_args *a, const struct sb_req *q, int *fds,
    int nfds)
{
	struct sb_rep rep;
	int64_t mb = q->tmpfs_mb > 0 ? q->tmpfs_mb : a->tmpfs_mb;

	memset(&rep, 0, sizeof rep);
	rep.op = SB_REP_PREPARED;
	if (fresh_tmpfs("/tmp", mb, root_id, 01777) < 0 ||
	    fresh_tmpfs("/dev/shm", mb, root_id, 01777) < 0)
		rep.status = errno;
	if (q->ovl) {
		const char *rel = (const char *)(q + 1);

		if (q->strs_len == 0 || rel[q->strs_len - 1] != '\0' ||
		    work_overlay(a, rel, q->work_mb > 0 ? q->work_mb : mb) < 0)
			rep.status = q->strs_len == 0 ? EINVAL : errno;
	} else {
		umount2("/.ovl", MNT_DETACH);
		if (!q->keep && fresh_tmpfs("/work", mb, a->run_uid, 0755) < 0)
			rep.status = errno;
	}
	if (set_lo(q->lo != 0) < 0 && q->lo)
		rep.status = errno;
	close_fds(fds, nfds);
	send_rep(a->sock, &rep);
}

/* A TCP listener on 127.0.0.1:port (0: any) in our network namespace,
 * sent to the supervisor, which serves it from outside. */
static void
do_listen(const struct sb_keeper_args *a, const struct sb_req *q)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cm;
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	struct sb_rep rep;
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *c;
	int s = -1, one = 1;

	memset(&rep, 0, sizeof rep);
	rep.op = SB_REP_LISTENING;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)q->tmpfs_mb);
	if (set_lo(true) < 0 ||
	    (s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(s, (struct sockaddr *)&sin, sizeof sin) < 0 ||
	    listen(s, 128) < 0 ||
	    getsockname(s, (struct sockaddr *)&sin, &sl) < 0) {
		rep.status = -errno;
		if (s >= 0)
			close(s);
		send_rep(a->sock, &rep);
		return;
	}
	rep.status = ntohs(sin.sin_port);
	memset(&mh, 0, sizeof mh);
	memset(&cm, 0, sizeof cm);
	iov.iov_base = &rep;
	iov.iov_len = sizeof rep;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof cm.buf;
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &s, sizeof s);
	while (sendmsg(a->sock, &mh, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
	close(s);
}

/* The namespaces a run's process can make for itself: IPC (when the
 * slot has its own) and cgroup. */
static void
probe_unshare(void)
{
	int flags = (features & SB_F_IPCNS ? CLONE_NEWIPC : 0) |
	    CLONE_NEWCGROUP, st;
	pid_t pid;

	if (!(features & SB_F_USERNS))
		return;
	if ((pid = fork()) == 0)
		_exit(unshare(flags) == 0 ? 0 : 1);
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0)
		run_unshare = flags;
}

void
sb_keeper_main(const struct sb_keeper_args *a)
{
	struct sb_rep rep;
	struct msghdr mh;
	struct iovec iov;
	union {
		char buf[CMSG_SPACE(sizeof(int) * (4 + SB_MAX_CG))];
		struct cmsghdr align;
	} cm;
	struct cmsghdr *c;
	int fds[4 + SB_MAX_CG], nfds;
	char b;
	ssize_t n;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "ab-keeper");
	/* The supervisor's handlers (ab_interrupt_catch) are not ours: as
	 * the pid namespace's init the keeper then ignores a terminal's
	 * signal, and the supervisor decides when the runs end. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (read(a->sync_fd, &b, 1) != 1)
		_exit(1);
	close(a->sync_fd);
	features = a->nsflags;
	run_uid = a->run_uid;
	root_id = a->root_uid;
	/* Rootless, the only id mapped is already ours (and the
	 * capabilities in the namespace came with its making). */
	if ((a->nsflags & SB_F_USERNS) && !a->single) {
		if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0 ||
		    setgroups(0, NULL) < 0) {
			note("setuid 0 in the user namespace: %s",
			    strerror(errno));
			features &= ~SB_F_USERNS;
		}
	}
	/* A change of ids cleared the parent-death signal: set it again,
	 * then make sure the supervisor did not die in between. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (recv(a->sock, &b, 1,
	    MSG_PEEK | MSG_DONTWAIT) == 0)
		_exit(1);
	if (a->nsflags & SB_F_UTSNS)
		sethostname("ab-sandbox", 10);
	if (!(a->nsflags & SB_F_MNTNS) || (a->disable & SB_F_ROOT))
		note("no fresh root");
	else
		build_root(a);
	lastpid_fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY |
	    O_CLOEXEC);
	probe_unshare();
	if (!(a->disable & SB_F_UID))
		features |= SB_F_UID;
	if (!(a->disable & SB_F_NNP))
		features |= SB_F_NNP;
	if (a->bpf != NULL)
		features |= SB_F_SECCOMP;
	features |= SB_F_RLIMITS;
	/* Ignore the signals a child could use to stop us if it could
	 * reach us at all (it cannot: other uid, and we are pid 1). */
	signal(SIGPIPE, SIG_IGN);
	memset(&rep, 0, sizeof rep);
	rep.op = SB_REP_READY;
	rep.features = features;
	snprintf(rep.msg, sizeof rep.msg, "%s", errbuf);
	send_rep(a->sock, &rep);
	for (;;) {
		struct sb_req *q = (struct sb_req *)kmsg;

		memset(&mh, 0, sizeof mh);
		iov.iov_base = kmsg;
		iov.iov_len = sizeof kmsg;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof cm.buf;
		n = recvmsg(a->sock, &mh, MSG_CMSG_CLOEXEC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		nfds = 0;
		for (c = CMSG_FIRSTHDR(&mh); c != NULL;
		    c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_RIGHTS) {
				int k = (int)((c->cmsg_len - CMSG_LEN(0)) /
				    sizeof(int));

				if (k > 4 + SB_MAX_CG)
					k = 4 + SB_MAX_CG;
				memcpy(fds, CMSG_DATA(c), sizeof(int) *
				    (size_t)k);
				nfds = k;
			}
		}
		if ((size_t)n < sizeof *q ||
		    (size_t)n < sizeof *q + q->strs_len) {
			close_fds(fds, nfds);
			continue;
		}
		switch (q->op) {
		case SB_OP_PREP:
			do_prep(a, q, fds, nfds);
			break;
		case SB_OP_LISTEN:
			close_fds(fds, nfds);
			do_listen(a, q);
			break;
		case SB_OP_RUN:
			do_run(a, q, fds, nfds);
			break;
		default:
			close_fds(fds, nfds);
			break;
		}
	}
}
