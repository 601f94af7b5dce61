/*
 * sb_int.h - internals of the sandbox library (lib/sandbox); not for programs.
 *
 * A slot is a "keeper" process, cloned once into new user, pid, mount,
 * net, ipc and uts namespaces.  It is pid 1 of its pid namespace, builds a
 * fresh root (a read-only tmpfs with read-only bind mounts of the system
 * directories, size-capped tmpfs at /work, /tmp and /dev/shm) and then
 * serves requests from the supervisor over a SOCK_SEQPACKET socket: each
 * run is a child of the keeper that joins the run's cgroups, drops to an
 * unprivileged uid, sets rlimits, no_new_privs and seccomp, and execs.
 * When the main process exits the keeper kills everything else in the
 * namespace (kill(-1)) and reaps it before it answers.
 *
 * Nothing passes from one run to the next: /work, /tmp and /dev/shm are
 * new tmpfs mounts for every run (new inode numbers, new times), the
 * pid counter of the namespace is set back before every run (and the
 * zygotes always get the same pids), and every process of a run starts
 * in a new IPC namespace (System V ids numbered from the start) and a
 * new cgroup namespace (its /proc/self/cgroup reads "/", whatever the
 * run's cgroup is called).
 */
#ifndef AB_SB_INT_H
#define AB_SB_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Ids inside the user namespace. */
#define SB_UID_ROOT	0
#define SB_UID_RUN	1000	/* the program */
#define SB_UID_PEER	1001	/* the peer program (the solution) */
#define SB_UID_CHECK	1002	/* a persistent zygote (the checker) */
/* Host ids: SB_HOST_BASE + 8 * slot + {0, 1, 2, 3}. */
#define SB_HOST_BASE	3200000

/* Pids: a run's first process gets SB_PID_RUN + 1, zygote i gets
 * SB_PID_ZYGOTE + 1 + i, in every run (ns_last_pid is set before). */
#define SB_PID_ZYGOTE	1
#define SB_PID_RUN	3

/* Feature bits, checked at creation. */
enum {
	SB_F_USERNS = 1 << 0,
	SB_F_PIDNS = 1 << 1,
	SB_F_MNTNS = 1 << 2,
	SB_F_NETNS = 1 << 3,
	SB_F_IPCNS = 1 << 4,
	SB_F_UTSNS = 1 << 5,
	SB_F_ROOT = 1 << 6,	/* fresh root (pivot_root) */
	SB_F_PROC = 1 << 7,	/* private /proc with hidepid */
	SB_F_CG_MEM = 1 << 8,
	SB_F_CG_PIDS = 1 << 9,
	SB_F_CG_CPU = 1 << 10,
	SB_F_SECCOMP = 1 << 11,
	SB_F_NNP = 1 << 12,
	SB_F_RLIMITS = 1 << 13,
	SB_F_UID = 1 << 14,	/* unprivileged uid */
	SB_F_TMPFS = 1 << 15,	/* size-capped work dir */
	SB_F_ALL = (1 << 16) - 1,
};

enum sb_op {
	SB_OP_PREP = 1,		/* supervisor: remount /work (unless keep) */
	SB_OP_RUN,		/* supervisor: start a run (fds attached) */
	SB_OP_KILL,		/* supervisor: kill the run now */
	SB_OP_LISTEN,		/* supervisor: loopback up, a TCP listener
				   on 127.0.0.1 sent back (agent trials) */
	SB_REP_READY,		/* keeper: set up (features, msg) */
	SB_REP_PREPARED,	/* keeper: PREP done (status 0 or errno) */
	SB_REP_STARTED,		/* keeper: main process started */
	SB_REP_EXITED,		/* keeper: run over, all reaped */
	SB_REP_LISTENING,	/* keeper: status = port or -errno; the
				   socket attached */
};

#define SB_MSG_MAX 65536
#define SB_MAX_CG 4

struct sb_req {
	uint32_t op;
	uint32_t keep;		/* PREP: keep /work */
	int64_t tmpfs_mb;	/* PREP */
	uint32_t ovl;		/* PREP: /work an overlay whose lower
				   directory is strs (relative to
				   /.lowers/d), its upper a tmpfs of
				   work_mb */
	uint32_t lo;		/* PREP: loopback up (else down) */
	int64_t work_mb;	/* PREP with ovl */
	int64_t rl_cpu_s, rl_fsize, rl_nofile, rl_nproc;
	uint32_t ncg;		/* RUN: cgroup.procs fds after the 4 std */
	uint32_t warm;		/* RUN: argv and peer argv are zygotes */
	uint32_t argc, envc, peer_argc;
	uint32_t peer_envc;	/* RUN: the peer gets the first peer_envc
				   of env (the fixed part, no secret) */
	uint32_t strs_len;
	/* followed by strs_len bytes of NUL-terminated strings:
	 * argv, env, peer argv */
};

struct sb_rep {
	uint32_t op;
	uint32_t features;
	int32_t status;		/* EXITED: wait status of the main process */
	int32_t exec_errno;	/* EXITED: errno of a failed execve */
	int64_t utime_us, stime_us, maxrss_kb;
	int64_t outside_cpu_us;	/* EXITED: CPU a persistent main program
				   (a zygote outside the run's cgroups)
				   spent on the run */
	char msg[512];
};

/* keeper.c: the keeper's main; never returns. */
/* A host directory bound read-only at a fixed place of the root. */
struct sb_ro_bind {
	const char *target;	/* borrowed; the place ("/.ab-cache"), or
				   NULL: no bind */
	int fd;			/* -1 or a detached read-only mount of the
				   directory that the caller made */
	const char *path;	/* borrowed; or NULL: the directory by
				   name, bound by the keeper (rootless: an
				   unprivileged caller cannot clone a
				   mount) */
	bool noexec;		/* also MS_NOEXEC */
};
#define SB_NBINDS 2

struct sb_keeper_args {
	int sock;		/* to the supervisor */
	int sync_fd;		/* read one byte: maps written */
	unsigned disable;	/* features to leave out (testing) */
	unsigned nsflags;	/* namespaces actually created */
	const void *bpf;	/* seccomp program (struct sock_filter[]) */
	size_t bpf_len;		/* in instructions */
	int64_t tmpfs_mb;
	unsigned run_uid, peer_uid;	/* ids of the programs, as seen
					   in the keeper's namespace */
	unsigned check_uid;		/* id of a persistent zygote */
	char *const *ro_dirs;		/* more read-only binds, or NULL */
	const char *lower_root;		/* bound read-only at /.lowers/d */
	int lower_fd;			/* -1 or a detached read-only mount
					   of lower_root that the caller
					   made (then lower_root is not
					   opened by name: the keeper's uid
					   may not reach it) */
	struct sb_ro_bind binds[SB_NBINDS];	/* the cache at
					   /.ab-cache, the modules at
					   /.ab-modules */
	/* Rootless (the caller is not root): the namespace maps one id,
	 * the caller's, as SB_UID_RUN, and the keeper, the program, its
	 * peer and the supervisor share it; each run's process then
	 * enters a Landlock domain of its own (ptrace, /proc and, from
	 * ABI 6, signals stay within it) and a peer may write only
	 * beneath /tmp and /dev/shm (see ab-exec(1) ROOTLESS). */
	bool single;
	unsigned root_uid;		/* the keeper's id inside: 0, or
					   SB_UID_RUN when single */
	int landlock_abi;		/* 0: none */
};
void sb_keeper_main(const struct sb_keeper_args *a) __attribute__((noreturn));

#endif
