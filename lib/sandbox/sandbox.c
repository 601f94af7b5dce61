/*
 * sandbox.c - the supervisor: slots, runs, limits and what happened.
 * See sandbox.h for the interface and sb_int.h for the design.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <linux/landlock.h>
#include <linux/openat2.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ab.h"
#include "sandbox.h"
#include "sandbox/cgroup.h"
#include "sandbox/sb_int.h"

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

#define ERR_KEEP (64 * 1024)		/* stderr bytes kept */
#define CHAN_MAX (64L << 20)		/* channel bytes accepted */

struct ab_sandbox {
	struct ab_sandbox_opts o;
	unsigned disable;	/* SB_F_* left out on purpose (testing) */
	unsigned features;	/* SB_F_* in force */
	unsigned nsflags;	/* namespaces the keeper gets */
	char why[512];		/* what failed while setting up */
	struct sb_cg cg;
	void *bpf;		/* seccomp program */
	size_t bpf_len;
	pid_t keeper;
	int sock;
	int workfd;		/* O_PATH of the keeper's /work */
	bool broken;		/* keeper must be restarted */
	bool reset;		/* the next run starts with an empty /work */
	bool rootless;		/* not root: one id mapped (see sb_int.h) */
	int landlock_abi;	/* rootless: Landlock's ABI, 0 when none */
};

static const struct {
	unsigned bit;
	const char *name;
} feature_names[] = {
	{ SB_F_USERNS, "userns" }, { SB_F_PIDNS, "pidns" },
	{ SB_F_MNTNS, "mountns" }, { SB_F_NETNS, "netns" },
	{ SB_F_IPCNS, "ipcns" }, { SB_F_UTSNS, "utsns" },
	{ SB_F_ROOT, "fresh-root" }, { SB_F_PROC, "proc-hidepid" },
	{ SB_F_TMPFS, "tmpfs" },
	{ SB_F_CG_MEM, "memory" }, { SB_F_CG_PIDS, "pids" },
	{ SB_F_CG_CPU, "cpu" },
	{ SB_F_RLIMITS, "rlimits" }, { SB_F_NNP, "no-new-privs" },
	{ SB_F_SECCOMP, "seccomp" }, { SB_F_UID, "uid" },
	{ 0, NULL },
};

/* AB_SANDBOX_DISABLE=name,name: pretend these primitives are missing
 * (to test the refusal and the degraded mode). */
static unsigned
parse_disable(void)
{
	const char *s = getenv("AB_SANDBOX_DISABLE");
	unsigned bits = 0;
	char *copy, *tok, *save = NULL;
	int i;

	if (s == NULL || *s == '\0')
		return 0;
	copy = ab_xstrdup(s);
	for (tok = strtok_r(copy, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save)) {
		for (i = 0; feature_names[i].name != NULL; i++)
			if (strcmp(tok, feature_names[i].name) == 0)
				bits |= feature_names[i].bit;
		if (strcmp(tok, "all") == 0)
			bits |= SB_F_ALL;
	}
	free(copy);
	return bits;
}

static int
build_seccomp(struct ab_sandbox *sb, struct ab_error *err)
{
	static const int deny[] = {
		SCMP_SYS(ptrace), SCMP_SYS(process_vm_readv),
		SCMP_SYS(process_vm_writev), SCMP_SYS(io_uring_setup),
		SCMP_SYS(io_uring_enter), SCMP_SYS(io_uring_register),
		SCMP_SYS(keyctl), SCMP_SYS(add_key), SCMP_SYS(request_key),
		SCMP_SYS(bpf), SCMP_SYS(perf_event_open),
		SCMP_SYS(userfaultfd), SCMP_SYS(mount), SCMP_SYS(umount2),
		SCMP_SYS(setns), SCMP_SYS(pivot_root),
		SCMP_SYS(chroot), SCMP_SYS(kexec_load),
		SCMP_SYS(kexec_file_load), SCMP_SYS(init_module),
		SCMP_SYS(finit_module), SCMP_SYS(delete_module),
		SCMP_SYS(reboot), SCMP_SYS(swapon), SCMP_SYS(swapoff),
		SCMP_SYS(acct), SCMP_SYS(quotactl),
		SCMP_SYS(open_by_handle_at), SCMP_SYS(name_to_handle_at),
		SCMP_SYS(fsopen), SCMP_SYS(fsmount), SCMP_SYS(fsconfig),
		SCMP_SYS(fspick), SCMP_SYS(move_mount), SCMP_SYS(open_tree),
		SCMP_SYS(mount_setattr), SCMP_SYS(syslog), SCMP_SYS(uselib),
		SCMP_SYS(vhangup), SCMP_SYS(iopl), SCMP_SYS(ioperm),
		SCMP_SYS(personality), SCMP_SYS(lookup_dcookie),
		SCMP_SYS(pidfd_getfd), SCMP_SYS(kcmp),
	};
	static const unsigned long newns[] = { CLONE_NEWUSER, CLONE_NEWNS,
	    CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWUTS,
	    CLONE_NEWCGROUP, CLONE_NEWTIME };
	scmp_filter_ctx ctx;
	size_t i;
	int rc = 0, fd = -1;
	struct stat st;

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		return ab_error_set(err, "sandbox", "seccomp_init failed");
	/* Another architecture (int 0x80, x32) kills the process. */
	rc |= seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS);
	for (i = 0; i < sizeof deny / sizeof deny[0]; i++)
		if (deny[i] >= 0)
			rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
			    deny[i], 0);
	/* clone3 hides its flags in memory: make libc fall back to clone. */
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3),
	    0);
	for (i = 0; i < sizeof newns / sizeof newns[0]; i++)
		rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
		    SCMP_SYS(clone), 1,
		    SCMP_A0(SCMP_CMP_MASKED_EQ, newns[i], newns[i]));
	/* unshare: only the IPC and cgroup namespaces, which a run's
	 * process makes for itself while it still may (a zygote's child,
	 * before it drops its uid; see keeper.c); without privilege the
	 * kernel refuses them anyway.  Every other flag is harmless alone
	 * (CLONE_FILES, CLONE_FS, CLONE_SYSVSEM). */
	for (i = 0; i < sizeof newns / sizeof newns[0]; i++)
		if (newns[i] != CLONE_NEWIPC && newns[i] != CLONE_NEWCGROUP)
			rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
			    SCMP_SYS(unshare), 1,
			    SCMP_A0(SCMP_CMP_MASKED_EQ, newns[i], newns[i]));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT),
	    SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, AF_VSOCK));
	/* No IP sockets: the slot's network namespace has no interface up,
	 * so they could reach nothing, but even a failed send moves the
	 * namespace's counters (/proc/net/snmp), which the next run of the
	 * slot could read. */
	if (!sb->o.allow_inet) {
		rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT),
		    SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, AF_INET));
		rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT),
		    SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, AF_INET6));
	}
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
	    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
	    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCLINUX));
	if (rc != 0) {
		seccomp_release(ctx);
		return ab_error_set(err, "sandbox", "seccomp: cannot build "
		    "the filter");
	}
	if ((fd = memfd_create("ab-seccomp", MFD_CLOEXEC)) < 0 ||
	    seccomp_export_bpf(ctx, fd) != 0 || fstat(fd, &st) < 0 ||
	    st.st_size <= 0) {
		if (fd >= 0)
			close(fd);
		seccomp_release(ctx);
		return ab_error_set(err, "sandbox", "seccomp: cannot export "
		    "the filter");
	}
	seccomp_release(ctx);
	sb->bpf = ab_xmalloc((size_t)st.st_size);
	if (pread(fd, sb->bpf, (size_t)st.st_size, 0) != st.st_size) {
		close(fd);
		free(sb->bpf);
		sb->bpf = NULL;
		return ab_error_set(err, "sandbox", "seccomp: read filter");
	}
	close(fd);
	sb->bpf_len = (size_t)st.st_size / 8;	/* struct sock_filter */
	return 0;
}

static int
write_map(pid_t pid, const char *file, const char *map)
{
	char path[64];
	int fd, r;

	snprintf(path, sizeof path, "/proc/%ld/%s", (long)pid, file);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	r = write(fd, map, strlen(map)) == (ssize_t)strlen(map) ? 0 : -1;
	close(fd);
	return r;
}

/* Namespaces we can create, one by one (rootless, each with a user
 * namespace, whose capabilities make the others). */
static unsigned
probe_ns(unsigned disable, bool rootless, unsigned *bits)
{
	static const struct {
		unsigned flag, bit;
	} ns[] = {
		{ CLONE_NEWUSER, SB_F_USERNS }, { CLONE_NEWPID, SB_F_PIDNS },
		{ CLONE_NEWNS, SB_F_MNTNS }, { CLONE_NEWNET, SB_F_NETNS },
		{ CLONE_NEWIPC, SB_F_IPCNS }, { CLONE_NEWUTS, SB_F_UTSNS },
	};
	unsigned flags = 0, i;
	pid_t pid;
	int st;

	*bits = 0;
	for (i = 0; i < sizeof ns / sizeof ns[0]; i++) {
		if (disable & ns[i].bit)
			continue;
		if ((pid = fork()) == 0)
			_exit(unshare((int)(ns[i].flag | (rootless ?
			    CLONE_NEWUSER : 0))) == 0 ? 0 : 1);
		if (pid > 0 && waitpid(pid, &st, 0) == pid &&
		    WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			flags |= ns[i].flag;
			*bits |= ns[i].bit;
		}
	}
	return flags;
}

static void
keeper_stop(struct ab_sandbox *sb)
{
	if (sb->workfd >= 0)
		close(sb->workfd);
	sb->workfd = -1;
	if (sb->sock >= 0)
		close(sb->sock);
	sb->sock = -1;
	if (sb->keeper > 0) {
		kill(sb->keeper, SIGKILL);
		while (waitpid(sb->keeper, NULL, 0) < 0 && errno == EINTR)
			;
	}
	sb->keeper = -1;
}

/* Receive one reply, waiting at most ms. */
static int
recv_rep(struct ab_sandbox *sb, struct sb_rep *r, int ms)
{
	struct pollfd p = { sb->sock, POLLIN, 0 };
	ssize_t n;

	for (;;) {
		int k = poll(&p, 1, ms);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		n = recv(sb->sock, r, sizeof *r, 0);
		if (n < 0 && errno == EINTR)
			continue;
		return n == (ssize_t)sizeof *r ? 0 : -1;
	}
}

/* Close the detached mounts of a's binds (the keeper has its copies). */
static void
close_binds(struct sb_keeper_args *a)
{
	int i;

	for (i = 0; i < SB_NBINDS; i++)
		if (a->binds[i].fd >= 0) {
			close(a->binds[i].fd);
			a->binds[i].fd = -1;
		}
}

static int
keeper_start(struct ab_sandbox *sb, struct ab_error *err)
{
	struct sb_keeper_args ka;
	struct sb_rep rep;
	int sv[2], sp[2];
	unsigned long base = SB_HOST_BASE + 8UL * (unsigned)sb->o.slot;
	char map[256];
	long flags = 0;
	pid_t pid;
	int i;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return ab_error_set(err, "sandbox", "socketpair: %s",
		    strerror(errno));
	if (pipe2(sp, O_CLOEXEC) < 0) {
		close(sv[0]), close(sv[1]);
		return ab_error_set(err, "sandbox", "pipe: %s",
		    strerror(errno));
	}
	memset(&ka, 0, sizeof ka);
	ka.sock = sv[1];
	ka.sync_fd = sp[0];
	ka.disable = sb->disable;
	ka.nsflags = sb->features & (SB_F_USERNS | SB_F_PIDNS | SB_F_MNTNS |
	    SB_F_NETNS | SB_F_IPCNS | SB_F_UTSNS);
	ka.bpf = (sb->disable & SB_F_SECCOMP) ? NULL : sb->bpf;
	ka.bpf_len = sb->bpf_len;
	ka.tmpfs_mb = sb->o.defaults.tmpfs_mb;
	ka.ro_dirs = sb->o.ro_dirs;
	ka.lower_root = sb->o.lower_root;
	ka.lower_fd = -1;
	/* The lower root as a detached read-only mount made here, where
	 * the path resolves with the caller's rights: the keeper (nobody
	 * to the host) could not open it by name beneath a directory
	 * closed to others (a TMPDIR in a home of mode 0700).  Where the
	 * kernel lacks open_tree, or rootless (cloning a mount is not ours
	 * to do, and the keeper has the caller's rights), the keeper binds
	 * it by name. */
	if (sb->o.lower_root != NULL && !sb->rootless) {
		struct mount_attr ma;

		memset(&ma, 0, sizeof ma);
		ma.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
		    MOUNT_ATTR_NODEV;
		if ((ka.lower_fd = open_tree(AT_FDCWD, sb->o.lower_root,
		    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)) >= 0 &&
		    mount_setattr(ka.lower_fd, "", AT_EMPTY_PATH, &ma,
		    sizeof ma) < 0) {
			close(ka.lower_fd);
			ka.lower_fd = -1;
		}
	}
	ka.binds[0].target = AB_SANDBOX_CACHE;
	ka.binds[0].path = sb->o.cache_ro;
	ka.binds[0].noexec = true;
	ka.binds[1].target = AB_SANDBOX_MODULES;
	ka.binds[1].path = sb->o.modules_ro;
	for (i = 0; i < SB_NBINDS; i++)
		ka.binds[i].fd = -1;
	for (i = 0; i < SB_NBINDS; i++) {
		struct sb_ro_bind *b = &ka.binds[i];
		struct mount_attr ma;

		/* Rootless, cloning a mount is not ours to do: the keeper
		 * binds the directory by name, in its own namespace. */
		if (b->path == NULL || sb->rootless)
			continue;
		memset(&ma, 0, sizeof ma);
		ma.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
		    MOUNT_ATTR_NODEV | (b->noexec ? MOUNT_ATTR_NOEXEC : 0);
		if ((b->fd = open_tree(AT_FDCWD, b->path, OPEN_TREE_CLONE |
		    OPEN_TREE_CLOEXEC)) < 0 || mount_setattr(b->fd, "",
		    AT_EMPTY_PATH, &ma, sizeof ma) < 0) {
			ab_error_set(err, "sandbox", "%s: %s", b->path,
			    strerror(errno));
			close_binds(&ka);
			if (ka.lower_fd >= 0)
				close(ka.lower_fd);
			close(sv[0]), close(sv[1]), close(sp[0]), close(sp[1]);
			return -1;
		}
		b->path = NULL;
	}
	ka.run_uid = (ka.nsflags & SB_F_USERNS) ? SB_UID_RUN :
	    (unsigned)(base + 1);
	ka.peer_uid = (ka.nsflags & SB_F_USERNS) ? SB_UID_PEER :
	    (unsigned)(base + 2);
	ka.check_uid = (ka.nsflags & SB_F_USERNS) ? SB_UID_CHECK :
	    (unsigned)(base + 3);
	if (sb->rootless) {
		ka.single = true;
		ka.root_uid = ka.run_uid = ka.peer_uid = ka.check_uid =
		    SB_UID_RUN;
		ka.landlock_abi = sb->landlock_abi;
	}
	if (ka.nsflags & SB_F_USERNS)
		flags |= CLONE_NEWUSER;
	if (ka.nsflags & SB_F_PIDNS)
		flags |= CLONE_NEWPID;
	if (ka.nsflags & SB_F_MNTNS)
		flags |= CLONE_NEWNS;
	if (ka.nsflags & SB_F_NETNS)
		flags |= CLONE_NEWNET;
	if (ka.nsflags & SB_F_IPCNS)
		flags |= CLONE_NEWIPC;
	if (ka.nsflags & SB_F_UTSNS)
		flags |= CLONE_NEWUTS;
	pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL,
	    NULL);
	if (pid == 0) {
		close(sv[0]);
		close(sp[1]);
		sb_keeper_main(&ka);
	}
	close(sv[1]);
	close(sp[0]);
	close_binds(&ka);
	if (ka.lower_fd >= 0)
		close(ka.lower_fd);
	if (pid < 0) {
		close(sv[0]), close(sp[1]);
		return ab_error_set(err, "sandbox", "clone: %s",
		    strerror(errno));
	}
	sb->keeper = pid;
	sb->sock = sv[0];
	if ((flags & CLONE_NEWUSER) && sb->rootless) {
		/* One id each, our own: all an unprivileged user may map
		 * (after giving up setgroups in the namespace). */
		char gmap[64];

		snprintf(map, sizeof map, "%d %lu 1\n", SB_UID_RUN,
		    (unsigned long)geteuid());
		snprintf(gmap, sizeof gmap, "%d %lu 1\n", SB_UID_RUN,
		    (unsigned long)getegid());
		if (write_map(pid, "setgroups", "deny") < 0 ||
		    write_map(pid, "uid_map", map) < 0 ||
		    write_map(pid, "gid_map", gmap) < 0) {
			ab_error_set(err, "sandbox", "rootless: uid_map: %s",
			    strerror(errno));
			close(sp[1]);
			keeper_stop(sb);
			return -1;
		}
	} else if (flags & CLONE_NEWUSER) {
		snprintf(map, sizeof map, "0 %lu 1\n%d %lu 1\n%d %lu 1\n"
		    "%d %lu 1\n", base, SB_UID_RUN, base + 1, SB_UID_PEER,
		    base + 2, SB_UID_CHECK, base + 3);
		if (write_map(pid, "uid_map", map) < 0 ||
		    write_map(pid, "gid_map", map) < 0) {
			ab_error_set(err, "sandbox", "uid_map: %s",
			    strerror(errno));
			close(sp[1]);
			keeper_stop(sb);
			return -1;
		}
	}
	if (write(sp[1], "g", 1) != 1) {
		close(sp[1]);
		keeper_stop(sb);
		return ab_error_set(err, "sandbox", "keeper died");
	}
	close(sp[1]);
	if (recv_rep(sb, &rep, 10000) < 0 || rep.op != SB_REP_READY) {
		keeper_stop(sb);
		return ab_error_set(err, "sandbox", "the keeper did not "
		    "start");
	}
	rep.msg[sizeof rep.msg - 1] = '\0';
	sb->features = (sb->features & ~(SB_F_ROOT | SB_F_PROC | SB_F_TMPFS |
	    SB_F_SECCOMP | SB_F_NNP | SB_F_RLIMITS | SB_F_UID | SB_F_USERNS)) |
	    (rep.features & (SB_F_ROOT | SB_F_PROC | SB_F_TMPFS |
	    SB_F_SECCOMP | SB_F_NNP | SB_F_RLIMITS | SB_F_UID | SB_F_USERNS));
	if (rep.msg[0] != '\0')
		snprintf(sb->why, sizeof sb->why, "%s", rep.msg);
	sb->broken = false;
	return 0;
}

static const char *
missing_list(unsigned missing, char *buf, size_t n)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; feature_names[i].name != NULL; i++)
		if ((missing & feature_names[i].bit) && len + 32 < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%s",
			    len ? ", " : "", feature_names[i].name);
	return buf;
}

struct ab_sandbox *
ab_sandbox_new(const struct ab_sandbox_opts *o, struct ab_error *err)
{
	struct ab_sandbox *sb = ab_xcalloc(1, sizeof *sb);
	unsigned cgdis = 0, nsbits, missing;
	char list[256];

	sb->o = *o;
	sb->keeper = -1;
	sb->sock = -1;
	sb->workfd = -1;
	sb->disable = parse_disable();
	if (sb->o.defaults.cpu_ms <= 0)
		sb->o.defaults.cpu_ms = 2000;
	if (sb->o.defaults.memory_mb <= 0)
		sb->o.defaults.memory_mb = 256;
	if (sb->o.defaults.procs <= 0)
		sb->o.defaults.procs = 64;
	if (sb->o.defaults.output_bytes <= 0)
		sb->o.defaults.output_bytes = 8L << 20;
	if (sb->o.defaults.file_bytes <= 0)
		sb->o.defaults.file_bytes = 16L << 20;
	if (sb->o.defaults.open_files <= 0)
		sb->o.defaults.open_files = 64;
	if (sb->o.defaults.tmpfs_mb <= 0)
		sb->o.defaults.tmpfs_mb = 64;
	sb->rootless = geteuid() != 0;
	probe_ns(sb->disable, sb->rootless, &nsbits);
	sb->features = nsbits;
	if (sb->rootless && !(nsbits & SB_F_USERNS)) {
		/* Nothing works without it: no degraded mode either. */
		ab_error_set(err, "sandbox", "rootless: this kernel lets no "
		    "unprivileged user make a user namespace (as root: "
		    "sysctl user.max_user_namespaces=15000, and on Debian's "
		    "kernels kernel.unprivileged_userns_clone=1), or run "
		    "ab-exec as root");
		ab_sandbox_free(sb);
		return NULL;
	}
	if (sb->rootless) {
		long v = syscall(SYS_landlock_create_ruleset, NULL, 0,
		    LANDLOCK_CREATE_RULESET_VERSION);

		sb->landlock_abi = v > 0 ? (int)v : 0;
		if (sb->landlock_abi == 0 && !o->allow_degraded) {
			ab_error_set(err, "degraded", "rootless: no Landlock "
			    "in this kernel (Linux 5.13 or later with "
			    "landlock in lsm=), which keeps a run's "
			    "processes apart when they share one id; run "
			    "ab-exec as root");
			ab_sandbox_free(sb);
			return NULL;
		}
	}
	if (!(sb->disable & SB_F_SECCOMP) && build_seccomp(sb, err) < 0 &&
	    !o->allow_degraded) {
		ab_sandbox_free(sb);
		return NULL;
	}
	if (sb->disable & SB_F_CG_MEM)
		cgdis |= CG_MEM;
	if (sb->disable & SB_F_CG_PIDS)
		cgdis |= CG_PIDS;
	if (sb->disable & SB_F_CG_CPU)
		cgdis |= CG_CPU;
	sb_cg_init(&sb->cg, o->slot, cgdis);
	if (sb->cg.have & CG_MEM)
		sb->features |= SB_F_CG_MEM;
	if (sb->cg.have & CG_PIDS)
		sb->features |= SB_F_CG_PIDS;
	if (sb->cg.have & CG_CPU)
		sb->features |= SB_F_CG_CPU;
	/* Rootless without a cgroup of our own to write: say what gives
	 * one, before anything else fails. */
	if (sb->rootless && !o->allow_degraded &&
	    (~sb->cg.have & ~cgdis & (CG_MEM | CG_PIDS))) {
		char advice[768];

		if (sb_cg_advice(&sb->cg, advice, sizeof advice)) {
			ab_error_set(err, "degraded", "%s", advice);
			ab_sandbox_free(sb);
			return NULL;
		}
	}
	if (keeper_start(sb, err) < 0) {
		ab_sandbox_free(sb);
		return NULL;
	}
	/* Why a cgroup controller is missing, unless the keeper said more. */
	if (sb->why[0] == '\0' && (SB_F_CG_MEM | SB_F_CG_PIDS |
	    SB_F_CG_CPU) & ~sb->features & ~sb->disable)
		snprintf(sb->why, sizeof sb->why, "%s", sb->cg.why);
	missing = SB_F_ALL & ~sb->features;
	if (missing != 0 && !o->allow_degraded) {
		ab_error_set(err, "degraded", "sandbox primitives missing: %s%s%s",
		    missing_list(missing, list, sizeof list),
		    sb->why[0] ? ": " : "", sb->why);
		ab_sandbox_free(sb);
		return NULL;
	}
	return sb;
}

json_t *
ab_sandbox_isolation(const struct ab_sandbox *sb)
{
	json_t *a = json_array();
	char buf[64];
	int i;

	for (i = 0; feature_names[i].name != NULL; i++) {
		unsigned bit = feature_names[i].bit;
		const char *name = feature_names[i].name;

		if (bit & (SB_F_CG_MEM | SB_F_CG_PIDS | SB_F_CG_CPU)) {
			snprintf(buf, sizeof buf, "cgroup-v%d:%s", sb->cg.ver,
			    name);
			name = buf;
		}
		if (sb->features & bit)
			json_array_append_new(a, json_string(name));
		else
			json_array_append_new(a, json_pack("s+",
			    "not enforced: ", name));
	}
	/* Rootless: what is weaker (ab-exec(1) ROOTLESS). */
	if (sb->rootless) {
		json_array_append_new(a, json_string("rootless"));
		json_array_append_new(a, json_string(sb->landlock_abi > 0 ?
		    "landlock" : "not enforced: landlock"));
	}
	return a;
}

/* Open dir/name for writing beneath workfd, never through a symlink;
 * create the directories on the way. */
static int
open_beneath(int workfd, const char *name, int mode, struct ab_error *err)
{
	struct open_how how;
	char *copy, *p, *slash;
	int dfd, fd;

	if (name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL)
		return ab_error_set(err, "sandbox", "bad file name: %s", name);
	copy = ab_xstrdup(name);
	dfd = dup(workfd);
	for (p = copy; dfd >= 0 && (slash = strchr(p, '/')) != NULL;
	    p = slash + 1) {
		int nfd;

		*slash = '\0';
		memset(&how, 0, sizeof how);
		how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
		how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
		    RESOLVE_NO_MAGICLINKS;
		if (*p != '\0')
			mkdirat(dfd, p, 0755);
		nfd = (int)syscall(SYS_openat2, dfd, *p ? p : ".", &how,
		    sizeof how);
		close(dfd);
		dfd = nfd;
	}
	if (dfd < 0) {
		ab_error_set(err, "sandbox", "%s: %s", name, strerror(errno));
		free(copy);
		return -1;
	}
	memset(&how, 0, sizeof how);
	how.flags = O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC;
	how.mode = (unsigned)mode & 0777;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
	    RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, dfd, p, &how, sizeof how);
	if (fd < 0 && errno == EEXIST)
		fd = (int)syscall(SYS_openat2, dfd, p, &how, sizeof how);
	if (fd < 0)
		ab_error_set(err, "sandbox", "%s: %s", name, strerror(errno));
	else
		fchmod(fd, (mode_t)mode & 0777);
	close(dfd);
	free(copy);
	return fd;
}

static int
put_files(struct ab_sandbox *sb, int dirfd, const struct ab_file *files,
    size_t nfiles, struct ab_error *err)
{
	unsigned long uid = ab_sandbox_run_uid(sb), gid = ab_sandbox_run_gid(sb);
	size_t i, off;
	ssize_t n;
	int fd, rc = -1, pdeath = 0, ouid, ogid;

	/* Create them as the program's user: the only id allowed to write
	 * its work directory (and one the namespace maps).  A change of
	 * fsuid clears the parent-death signal: keep the caller's. */
	prctl(PR_GET_PDEATHSIG, &pdeath);
	ogid = setfsgid((gid_t)gid);
	ouid = setfsuid((uid_t)uid);
	for (i = 0; i < nfiles; i++) {
		const struct ab_file *f = &files[i];
		size_t nl = strlen(f->name);

		if (nl > 0 && f->name[nl - 1] == '/') {
			/* A directory: made on the way to a file inside. */
			char *inner = ab_xasprintf("%s.ab-dir", f->name);

			fd = open_beneath(dirfd, inner, 0600, err);
			if (fd >= 0) {
				close(fd);
				unlinkat(dirfd, inner, 0);
			}
			free(inner);
			if (fd < 0)
				goto out;
			continue;
		}
		if ((fd = open_beneath(dirfd, f->name,
		    f->mode ? f->mode : 0644, err)) < 0)
			goto out;
		for (off = 0; off < f->len; off += (size_t)n) {
			n = write(fd, f->data + off, f->len - off);
			if (n < 0 && errno == EINTR) {
				n = 0;
				continue;
			}
			if (n <= 0) {
				ab_error_set(err, "sandbox", "%s: %s", f->name,
				    n < 0 ? strerror(errno) : "short write");
				close(fd);
				goto out;
			}
		}
		close(fd);
	}
	rc = 0;
out:
	setfsuid((uid_t)ouid);
	setfsgid((gid_t)ogid);
	if (pdeath != 0)
		prctl(PR_SET_PDEATHSIG, pdeath);
	return rc;
}

/* Send a request with descriptors attached. */
static int
send_fds(struct ab_sandbox *sb, const void *msg, size_t len, const int *fds,
    int nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * (4 + SB_MAX_CG))];
		struct cmsghdr align;
	} cm;
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *c;

	memset(&mh, 0, sizeof mh);
	memset(&cm, 0, sizeof cm);
	iov.iov_base = (void *)msg;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (nfds > 0) {
		mh.msg_control = cm.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	return sendmsg(sb->sock, &mh, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

static int
prep(struct ab_sandbox *sb, bool keep, long tmpfs_mb, const char *lower,
    bool lo, struct ab_error *err)
{
	struct sb_req q;
	struct sb_rep r;
	char path[64], msg[sizeof q + 1024];
	size_t len = sizeof q;

	memset(&q, 0, sizeof q);
	q.op = SB_OP_PREP;
	q.keep = keep;
	q.tmpfs_mb = tmpfs_mb;
	q.lo = lo;
	if (lower != NULL) {
		if (strlen(lower) + 1 > sizeof msg - sizeof q)
			return ab_error_set(err, "sandbox", "%s: path too long",
			    lower);
		q.ovl = 1;
		q.work_mb = tmpfs_mb;
		/* /tmp holds the agent's home: a quarter of its disk. */
		q.tmpfs_mb = tmpfs_mb / 4 > 64 ? tmpfs_mb / 4 : 64;
		q.strs_len = (uint32_t)strlen(lower) + 1;
		memcpy(msg + sizeof q, lower, q.strs_len);
		len += q.strs_len;
	}
	memcpy(msg, &q, sizeof q);
	if (send_fds(sb, msg, len, NULL, 0) < 0 ||
	    recv_rep(sb, &r, 5000) < 0 || r.op != SB_REP_PREPARED) {
		sb->broken = true;
		return ab_error_set(err, "sandbox", "keeper lost");
	}
	if (r.status != 0)
		return ab_error_set(err, "sandbox", "work directory: %s",
		    strerror(r.status));
	if (sb->workfd >= 0)
		close(sb->workfd);
	snprintf(path, sizeof path, "/proc/%ld/root/work", (long)sb->keeper);
	if ((sb->workfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return ab_error_set(err, "sandbox", "%s: %s", path,
		    strerror(errno));
	return 0;
}

static const char *const fixed_env[] = {
	"PATH=/usr/local/bin:/usr/bin:/bin",
	"HOME=/work",
	"TMPDIR=/tmp",
	"TZ=UTC",
	"LC_ALL=C.UTF-8",
	"LANG=C.UTF-8",
	"PYTHONHASHSEED=0",
	"PYTHONDONTWRITEBYTECODE=1",
	"PYTHONIOENCODING=utf-8",
	"USER=sandbox",
	"LOGNAME=sandbox",
	"SHELL=/bin/sh",
	NULL,
};

static void
add_strs(struct ab_buf *b, char *const *v, uint32_t *count)
{
	for (; v != NULL && *v != NULL; v++, (*count)++)
		ab_buf_add(b, *v, strlen(*v) + 1);
}

static void
merge_limits(struct ab_limits *l, const struct ab_limits *spec,
    const struct ab_limits *def)
{
	*l = *spec;
	if (l->cpu_ms <= 0)
		l->cpu_ms = def->cpu_ms;
	if (l->wall_ms <= 0)
		l->wall_ms = def->wall_ms > 0 ? def->wall_ms :
		    2 * l->cpu_ms + 1000;
	if (l->memory_mb <= 0)
		l->memory_mb = def->memory_mb;
	if (l->procs <= 0)
		l->procs = def->procs;
	if (l->output_bytes <= 0)
		l->output_bytes = def->output_bytes;
	if (l->file_bytes <= 0)
		l->file_bytes = def->file_bytes;
	if (l->open_files <= 0)
		l->open_files = def->open_files;
	if (l->tmpfs_mb <= 0)
		l->tmpfs_mb = def->tmpfs_mb;
}

/* Read what is there from fd into b, keeping at most cap bytes in b.
 * Returns bytes read, 0 on EOF, -1 when nothing now. */
static ssize_t
drain(int fd, struct ab_buf *b, size_t cap, size_t *total)
{
	char chunk[65536];
	ssize_t n = read(fd, chunk, sizeof chunk);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? -1 : 0;
	if (n > 0) {
		size_t keep = b->len < cap ? cap - b->len : 0;

		ab_buf_add(b, chunk, (size_t)n < keep ? (size_t)n : keep);
		*total += (size_t)n;
	}
	return n;
}

static void
send_kill(struct ab_sandbox *sb)
{
	struct sb_req q;

	memset(&q, 0, sizeof q);
	q.op = SB_OP_KILL;
	if (send(sb->sock, &q, sizeof q, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		sb_cg_kill(&sb->cg);
}

int
ab_sandbox_run(struct ab_sandbox *sb, const struct ab_run_spec *spec,
    struct ab_run_result *res, struct ab_error *err)
{
	struct ab_limits l;
	struct ab_buf msg = AB_BUF_INIT, out = AB_BUF_INIT, ebuf = AB_BUF_INIT,
	    chan = AB_BUF_INIT;
	struct sb_req q;
	struct sb_rep rep;
	struct msghdr mh;
	struct iovec iov;
	union {
		char buf[CMSG_SPACE(sizeof(int) * (4 + SB_MAX_CG))];
		struct cmsghdr align;
	} cm;
	struct cmsghdr *c;
	int pin = -1, pout[2] = { -1, -1 }, perr[2] = { -1, -1 },
	    pch[2] = { -1, -1 }, cgfds[SB_MAX_CG], ncg = 0, i, rc = -1;
	size_t out_total = 0, err_total = 0, chan_total = 0;
	double t0, deadline, cpu, next_cpu_check = 0, t_exit = 0, ncpu;
	bool exited = false, killed = false, open_out, open_err, open_ch, keep;
	enum ab_stop stop = AB_STOP_NONE;

	memset(res, 0, sizeof *res);
	res->peak_kb = -1;
	for (i = 0; i < SB_MAX_CG; i++)
		cgfds[i] = -1;
	if (spec->argv == NULL || spec->argv[0] == NULL)
		return ab_error_set(err, "sandbox", "empty command");
	if (spec->warm && spec->peer_argv != NULL && sb->rootless)
		return ab_error_set(err, "sandbox", "rootless: no warm "
		    "zygotes (a zygote would share its id with the runs it "
		    "forks)");
	merge_limits(&l, &spec->limits, &sb->o.defaults);
	ncpu = (double)sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1)
		ncpu = 1;
	keep = spec->keep_workdir && !sb->reset;
	sb->reset = false;
	if ((sb->broken || sb->keeper < 0) && (keeper_stop(sb),
	    keeper_start(sb, err) < 0))
		return -1;
	if (prep(sb, keep, l.tmpfs_mb, spec->lower_dir, spec->loopback,
	    err) < 0 || put_files(sb, sb->workfd, spec->files, spec->nfiles,
	    err) < 0)
		goto done;
	if (spec->ntmp_files > 0) {
		char path[64];
		int tfd;

		snprintf(path, sizeof path, "/proc/%ld/root/tmp",
		    (long)sb->keeper);
		if ((tfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
			ab_error_set(err, "sandbox", "%s: %s", path,
			    strerror(errno));
			goto done;
		}
		if (put_files(sb, tfd, spec->tmp_files, spec->ntmp_files,
		    err) < 0) {
			close(tfd);
			goto done;
		}
		close(tfd);
	}
	/* stdin: a sealed memory file. */
	if ((pin = memfd_create("stdin", MFD_CLOEXEC)) < 0 ||
	    (spec->stdin_len > 0 && write(pin, spec->stdin_data,
	    spec->stdin_len) != (ssize_t)spec->stdin_len) ||
	    lseek(pin, 0, SEEK_SET) < 0) {
		ab_error_set(err, "sandbox", "stdin: %s", strerror(errno));
		goto done;
	}
	if (pipe2(pout, O_CLOEXEC) < 0 || pipe2(perr, O_CLOEXEC) < 0 ||
	    pipe2(pch, O_CLOEXEC) < 0) {
		ab_error_set(err, "sandbox", "pipe: %s", strerror(errno));
		goto done;
	}
	fcntl(pout[0], F_SETFL, O_NONBLOCK);
	fcntl(perr[0], F_SETFL, O_NONBLOCK);
	fcntl(pch[0], F_SETFL, O_NONBLOCK);
	if (sb_cg_run_begin(&sb->cg, l.memory_mb, l.procs, cgfds, &ncg,
	    err) < 0)
		goto done;
	/* The request. */
	memset(&q, 0, sizeof q);
	q.op = SB_OP_RUN;
	q.rl_cpu_s = (l.cpu_ms + 999) / 1000 + 1;
	q.rl_fsize = l.file_bytes;
	q.rl_nofile = l.open_files;
	q.rl_nproc = (sb->features & SB_F_USERNS) ? l.procs : -1;
	q.ncg = (uint32_t)ncg;
	q.warm = spec->warm && spec->peer_argv != NULL;
	ab_buf_add(&msg, &q, sizeof q);
	add_strs(&msg, spec->argv, &q.argc);
	for (i = 0; fixed_env[i] != NULL; i++) {
		/* A variable the caller sets replaces the fixed one. */
		size_t nl = strcspn(fixed_env[i], "=") + 1;
		char *const *v;

		for (v = spec->env; v != NULL && *v != NULL; v++)
			if (strncmp(*v, fixed_env[i], nl) == 0)
				break;
		if (v == NULL || *v == NULL)
			add_strs(&msg, (char *const[]){ (char *)fixed_env[i],
			    NULL }, &q.envc);
	}
	q.peer_envc = q.envc;
	add_strs(&msg, spec->env, &q.envc);
	add_strs(&msg, spec->peer_argv, &q.peer_argc);
	q.strs_len = (uint32_t)(msg.len - sizeof q);
	memcpy(msg.s, &q, sizeof q);
	if (msg.len > SB_MSG_MAX) {
		ab_error_set(err, "sandbox", "command line too long");
		goto done;
	}
	{
		int fds[4 + SB_MAX_CG] = { pin, pout[1], perr[1], pch[1] };

		for (i = 0; i < ncg; i++)
			fds[4 + i] = cgfds[i];
		memset(&mh, 0, sizeof mh);
		memset(&cm, 0, sizeof cm);
		iov.iov_base = msg.s;
		iov.iov_len = msg.len;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cm.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)(4 + ncg));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)(4 + ncg));
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)(4 + ncg));
		t0 = ab_now_ms();
		if (sendmsg(sb->sock, &mh, MSG_NOSIGNAL) < 0) {
			sb->broken = true;
			ab_error_set(err, "sandbox", "keeper lost: %s",
			    strerror(errno));
			goto done;
		}
	}
	close(pin), pin = -1;
	close(pout[1]), pout[1] = -1;
	close(perr[1]), perr[1] = -1;
	close(pch[1]), pch[1] = -1;
	for (i = 0; i < ncg; i++)
		close(cgfds[i]), cgfds[i] = -1;
	if (recv_rep(sb, &rep, 10000) < 0) {
		sb->broken = true;
		ab_error_set(err, "sandbox", "keeper did not answer");
		goto done;
	}
	if (rep.op == SB_REP_EXITED)
		exited = true;
	deadline = t0 + (double)l.wall_ms;
	open_out = open_err = open_ch = true;
	/* Watch: output, channel, the keeper's report, the clock. */
	while (!exited || open_out || open_err || open_ch) {
		struct pollfd p[4];
		double now = ab_now_ms();
		int np = 0, wait_ms;

		if (!exited && !killed) {
			if (now >= deadline) {
				stop = AB_STOP_WALL;
			} else if (now >= next_cpu_check) {
				cpu = sb_cg_cpu_ms(&sb->cg);
				if (cpu >= (double)l.cpu_ms)
					stop = AB_STOP_CPU;
				/* The tree cannot burn more than ncpu ms of CPU
				 * per ms: look again when it could be over. */
				next_cpu_check = now + (cpu < 0 ? 5 :
				    ((double)l.cpu_ms - cpu) / ncpu);
				if (next_cpu_check > now + 100)
					next_cpu_check = now + 100;
				if (next_cpu_check < now + 1)
					next_cpu_check = now + 1;
			}
			if (stop != AB_STOP_NONE) {
				/* The reason is recorded; now kill. */
				send_kill(sb);
				killed = true;
			}
		}
		if (exited && t_exit == 0)
			t_exit = now;
		if (exited && now - t_exit > 2000)
			break;	/* a pipe held open by nothing we know */
		wait_ms = exited ? 200 : killed ? 100 :
		    (int)(next_cpu_check - now) + 1;
		if (!exited && !killed && deadline - now < wait_ms)
			wait_ms = (int)(deadline - now) + 1;
		if (!exited) {
			p[np].fd = sb->sock;
			p[np++].events = POLLIN;
		}
		if (open_out) {
			p[np].fd = pout[0];
			p[np++].events = POLLIN;
		}
		if (open_err) {
			p[np].fd = perr[0];
			p[np++].events = POLLIN;
		}
		if (open_ch) {
			p[np].fd = pch[0];
			p[np++].events = POLLIN;
		}
		if (poll(p, (nfds_t)np, wait_ms) < 0 && errno != EINTR) {
			ab_error_set(err, "sandbox", "poll: %s",
			    strerror(errno));
			goto done;
		}
		if (!exited && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			if (recv_rep(sb, &rep, 0) < 0) {
				sb->broken = true;
				ab_error_set(err, "sandbox", "keeper lost");
				goto done;
			}
			if (rep.op == SB_REP_EXITED)
				exited = true;
		}
		while (open_out) {
			size_t before = out.len;
			ssize_t n = drain(pout[0], &out,
			    (size_t)l.output_bytes, &out_total);

			if (spec->on_stdout != NULL && out.len > before)
				spec->on_stdout(out.s + before, out.len -
				    before, spec->on_stdout_ctx);
			if (n == 0)
				open_out = false;
			if (n <= 0)
				break;
		}
		while (open_err) {
			ssize_t n = drain(perr[0], &ebuf, ERR_KEEP, &err_total);

			if (n == 0)
				open_err = false;
			if (n <= 0)
				break;
		}
		while (open_ch) {
			ssize_t n = drain(pch[0], &chan, CHAN_MAX, &chan_total);

			if (n == 0)
				open_ch = false;
			if (n <= 0)
				break;
		}
		if (!killed && stop == AB_STOP_NONE &&
		    ((!spec->output_no_stop && out_total + err_total >
		    (size_t)l.output_bytes) ||
		    chan_total > (size_t)CHAN_MAX)) {
			stop = AB_STOP_OUTPUT;
			send_kill(sb);
			killed = true;
		}
	}
	res->wall_ms = ab_now_ms() - t0;
	if (rep.exec_errno != 0 && rep.status == 0) {
		rep.status = 127 << 8;
	}
	if (rep.status == -1) {
		ab_error_set(err, "sandbox", "lost the run's main process");
		goto done;
	}
	res->exit_code = WIFEXITED(rep.status) ? WEXITSTATUS(rep.status) : 0;
	res->term_signal = WIFSIGNALED(rep.status) ? WTERMSIG(rep.status) : 0;
	res->exec_errno = rep.exec_errno;
	cpu = sb_cg_cpu_ms(&sb->cg);
	res->cpu_ms = cpu >= 0 ? cpu :
	    (double)(rep.utime_us + rep.stime_us) / 1e3;
	/* A persistent main program's work on this run, done outside the
	 * run's cgroups, is the run's too; over the limit, it is the
	 * run's time limit. */
	res->cpu_ms += (double)rep.outside_cpu_us / 1e3;
	if (stop == AB_STOP_NONE && rep.outside_cpu_us > 0 &&
	    res->cpu_ms >= (double)l.cpu_ms)
		stop = AB_STOP_CPU;
	res->peak_kb = sb_cg_peak_kb(&sb->cg);
	if (res->peak_kb < 0)
		res->peak_kb = rep.maxrss_kb;
	res->pids_max_hits = sb_cg_pids_max_hits(&sb->cg);
	if (stop == AB_STOP_NONE && sb_cg_oom_kills(&sb->cg) > 0)
		stop = AB_STOP_MEMORY;
	/* RLIMIT_CPU, the second fence, fired before we saw it. */
	if (stop == AB_STOP_NONE && (res->term_signal == SIGXCPU ||
	    (res->term_signal == SIGKILL && res->cpu_ms >= (double)l.cpu_ms)))
		stop = AB_STOP_CPU;
	res->stop = stop;
	res->out_truncated = out_total > out.len;
	res->chan_truncated = chan_total > chan.len;
	res->out_len = out.len;
	res->out = ab_buf_detach(&out);
	res->err_len = ebuf.len;
	res->err = ab_buf_detach(&ebuf);
	res->chan_len = chan.len;
	res->chan = ab_buf_detach(&chan);
	rc = 0;
done:
	if (rc < 0 && sb->keeper > 0 && !sb->broken)
		send_kill(sb);
	if (pin >= 0)
		close(pin);
	for (i = 0; i < 2; i++) {
		if (pout[i] >= 0)
			close(pout[i]);
		if (perr[i] >= 0)
			close(perr[i]);
		if (pch[i] >= 0)
			close(pch[i]);
	}
	for (i = 0; i < SB_MAX_CG; i++)
		if (cgfds[i] >= 0)
			close(cgfds[i]);
	if (rc < 0) {
		sb_cg_kill(&sb->cg);
		sb->broken = true;
	}
	sb_cg_run_end(&sb->cg);
	ab_buf_release(&msg);
	ab_buf_release(&out);
	ab_buf_release(&ebuf);
	ab_buf_release(&chan);
	return rc;
}

void
ab_sandbox_reset(struct ab_sandbox *sb)
{
	/* Nobody sees the work directory between runs: empty it when the
	 * next run starts, at that run's size. */
	sb->reset = true;
}

int
ab_sandbox_listen(struct ab_sandbox *sb, int port, int *fd, int *port_out,
    struct ab_error *err)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cm;
	struct sb_req q;
	struct sb_rep r;
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *c;
	struct pollfd p;
	ssize_t n;

	*fd = -1;
	if ((sb->broken || sb->keeper < 0) && (keeper_stop(sb),
	    keeper_start(sb, err) < 0))
		return -1;
	if (!(sb->features & SB_F_NETNS))
		return ab_error_set(err, "sandbox", "no network namespace: "
		    "a listener would be the host's");
	memset(&q, 0, sizeof q);
	q.op = SB_OP_LISTEN;
	q.tmpfs_mb = port;
	if (send(sb->sock, &q, sizeof q, MSG_NOSIGNAL) != (ssize_t)sizeof q) {
		sb->broken = true;
		return ab_error_set(err, "sandbox", "keeper lost");
	}
	p.fd = sb->sock;
	p.events = POLLIN;
	if (poll(&p, 1, 5000) <= 0) {
		sb->broken = true;
		return ab_error_set(err, "sandbox", "keeper did not answer");
	}
	memset(&mh, 0, sizeof mh);
	iov.iov_base = &r;
	iov.iov_len = sizeof r;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof cm.buf;
	n = recvmsg(sb->sock, &mh, MSG_CMSG_CLOEXEC);
	if (n != (ssize_t)sizeof r || r.op != SB_REP_LISTENING) {
		sb->broken = true;
		return ab_error_set(err, "sandbox", "keeper lost");
	}
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(c), sizeof *fd);
	if (r.status <= 0 || *fd < 0) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return ab_error_set(err, "sandbox", "listener: %s",
		    strerror(r.status < 0 ? -r.status : EPROTO));
	}
	*port_out = r.status;
	return 0;
}

char *
ab_sandbox_work_path(const struct ab_sandbox *sb, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/%ld/root/work", (long)sb->keeper);
	return buf;
}

long
ab_sandbox_keeper_pid(const struct ab_sandbox *sb)
{
	return (long)sb->keeper;
}

unsigned long
ab_sandbox_run_uid(const struct ab_sandbox *sb)
{
	if (sb->rootless)
		return (unsigned long)geteuid();
	return SB_HOST_BASE + 8UL * (unsigned)sb->o.slot + 1;
}

unsigned long
ab_sandbox_run_gid(const struct ab_sandbox *sb)
{
	if (sb->rootless)
		return (unsigned long)getegid();
	return SB_HOST_BASE + 8UL * (unsigned)sb->o.slot + 1;
}

bool
ab_sandbox_rootless(const struct ab_sandbox *sb)
{
	return sb->rootless;
}

void
ab_sandbox_kill(struct ab_sandbox *sb)
{
	if (sb->keeper > 0)
		send_kill(sb);
}

void
ab_sandbox_clear(struct ab_sandbox *sb)
{
	struct ab_error err;

	if (sb->keeper > 0 && !sb->broken)
		prep(sb, false, 1, NULL, false, &err);
}

void
ab_run_result_release(struct ab_run_result *res)
{
	free(res->out);
	free(res->err);
	free(res->chan);
	res->out = res->err = res->chan = NULL;
}

void
ab_sandbox_free(struct ab_sandbox *sb)
{
	if (sb == NULL)
		return;
	keeper_stop(sb);
	sb_cg_release(&sb->cg);
	free(sb->bpf);
	free(sb);
}

const char *
ab_signal_name(int sig)
{
	static const struct {
		int sig;
		const char *name;
	} names[] = {
		{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" },
		{ SIGQUIT, "SIGQUIT" }, { SIGILL, "SIGILL" },
		{ SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
		{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" },
		{ SIGKILL, "SIGKILL" }, { SIGUSR1, "SIGUSR1" },
		{ SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
		{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" },
		{ SIGTERM, "SIGTERM" }, { SIGSTKFLT, "SIGSTKFLT" },
		{ SIGCHLD, "SIGCHLD" }, { SIGCONT, "SIGCONT" },
		{ SIGSTOP, "SIGSTOP" }, { SIGTSTP, "SIGTSTP" },
		{ SIGTTIN, "SIGTTIN" }, { SIGTTOU, "SIGTTOU" },
		{ SIGURG, "SIGURG" }, { SIGXCPU, "SIGXCPU" },
		{ SIGXFSZ, "SIGXFSZ" }, { SIGVTALRM, "SIGVTALRM" },
		{ SIGPROF, "SIGPROF" }, { SIGWINCH, "SIGWINCH" },
		{ SIGIO, "SIGIO" }, { SIGPWR, "SIGPWR" }, { SIGSYS, "SIGSYS" },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].sig == sig)
			return names[i].name;
	return "SIGUNKNOWN";
}
