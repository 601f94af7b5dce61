/*
 * sandbox.h - running untrusted programs: the supervisor's interface.
 *
 * A struct ab_sandbox is a supervisor with its isolation checked once at
 * creation (namespaces, cgroups, seccomp, rlimits, ...).  Each
 * ab_sandbox_run starts one program in a fresh work directory inside the
 * isolation, feeds it stdin from a file, enforces the limits, kills the
 * whole process tree at the deadline or when the main process exits, and
 * reports what happened.  Submission code never runs in the caller's
 * process.  Used by ab-exec (tests) and ab-score (analysers).
 *
 * Thread safety: one struct ab_sandbox per thread (a "slot").
 *
 * Runs as root, or rootless (see ab-exec(1) ROOTLESS): as an ordinary
 * user where the kernel allows unprivileged user namespaces and has
 * Landlock, in a cgroup delegated to the user (systemd-run --user
 * --scope -p Delegate=yes).  Rootless, the namespace maps only the
 * caller's own ids: the programs run under them (with no capability,
 * each in a Landlock domain of its own) and there are no warm
 * zygotes.  Cgroups are created only beneath the caller's own cgroup
 * in each hierarchy, named ab-slot.NS.PID.SLOT; those of a dead
 * supervisor are removed by the next ab_sandbox_new.  On cgroup v2 the
 * caller's cgroup must be given memory and pids and hold no process but
 * the caller's program (its processes are moved into a leaf
 * ab-supervisor.PID beside the slots).
 */
#ifndef AB_SANDBOX_H
#define AB_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ab.h"

/* Limits for one run; 0 means "the sandbox's default". */
struct ab_limits {
	long cpu_ms;		/* CPU time of the whole tree */
	long wall_ms;		/* wall clock */
	long memory_mb;		/* memory of the whole tree (cgroup), swap off */
	long procs;		/* processes and threads */
	long output_bytes;	/* stdout + stderr written; more is
				   output_limit (stdout kept whole up to
				   this, stderr's first 64 KiB kept) */
	long file_bytes;	/* largest file written (RLIMIT_FSIZE) */
	long open_files;	/* RLIMIT_NOFILE */
	long tmpfs_mb;		/* size of the work directory */
};

/* A file placed in the work directory before the run. */
struct ab_file {
	const char *name;	/* relative path, no "..", borrowed; a name
				   ending in "/" makes a directory */
	const char *data;	/* borrowed */
	size_t len;
	int mode;		/* e.g. 0644, 0755 */
};

struct ab_run_spec {
	char *const *argv;		/* borrowed; argv[0] looked up in the
					   sandbox's fixed PATH */
	const struct ab_file *files;	/* borrowed, nfiles entries */
	size_t nfiles;
	const char *stdin_data;		/* borrowed; NULL: empty stdin */
	size_t stdin_len;
	struct ab_limits limits;
	bool keep_workdir;		/* keep files between runs of one
					   ab_sandbox_session (compile, then
					   run); see ab_sandbox_reset */
	/* Extensions (zero-initialise the spec to leave them out): */
	char *const *env;		/* borrowed; extra "NAME=value" for
					   the main program, added to the
					   fixed environment (a peer gets
					   the fixed environment only) */
	char *const *peer_argv;		/* borrowed; NULL or a second program
					   started beside the main one under
					   another unprivileged uid: its fd 3
					   and the main program's fd 4 are the
					   two ends of a socket; its stdin is
					   empty, its stdout and stderr are
					   the run's.  The run still ends when
					   the main program exits. */
	bool warm;			/* with peer_argv: argv and peer_argv
					   are zygotes, kept alive in the
					   slot between runs, that fork one
					   child each per run (the child joins
					   the run's cgroups, takes its
					   descriptors, limits and uid); see
					   share/ab/lang/python/zygote.py for
					   their protocol.  Their children are
					   the run; the zygotes never run the
					   submission's code. */
	/* Agent trials: */
	const char *lower_dir;		/* borrowed; NULL or a directory
					   beneath the sandbox's lower_root
					   (a path relative to it) that the
					   run sees at
					   /work through an overlay (read-
					   only beneath, copy-on-write): its
					   changes go to a fresh tmpfs of
					   limits.tmpfs_mb and are seen at
					   ab_sandbox_work_path until the
					   next run.  Its files should belong
					   to ab_sandbox_run_uid. */
	const struct ab_file *tmp_files;	/* borrowed; placed beneath
					   /tmp (a fresh tmpfs) before the
					   run, ntmp_files entries */
	size_t ntmp_files;
	bool loopback;			/* the loopback interface up (see
					   ab_sandbox_listen); otherwise the
					   run has no network at all */
	bool output_no_stop;		/* output past output_bytes is read
					   and dropped (out_truncated), not
					   a reason to stop */
	/* NULL, or called in the caller's thread, during ab_sandbox_run,
	 * with the standard output's bytes as they are read (those kept:
	 * res.out is what it was given, in order), so that the caller can
	 * tell when each part came. */
	void (*on_stdout)(const char *p, size_t n, void *ctx);
	void *on_stdout_ctx;
};

/* Why the supervisor stopped the run, decided before it killed. */
enum ab_stop {
	AB_STOP_NONE = 0,	/* exited (or was signalled) on its own */
	AB_STOP_CPU,		/* CPU limit */
	AB_STOP_WALL,		/* wall-clock limit */
	AB_STOP_MEMORY,		/* memory limit (cgroup OOM) */
	AB_STOP_OUTPUT,		/* output limit */
};

struct ab_run_result {
	int exit_code;		/* valid when term_signal == 0 */
	int term_signal;	/* signal that ended the main process, or 0 */
	enum ab_stop stop;
	char *out;		/* new, NUL-terminated, at most output_bytes */
	size_t out_len;
	char *err;		/* new, NUL-terminated, truncated */
	size_t err_len;
	bool out_truncated;
	double cpu_ms, wall_ms;	/* cpu_ms includes what a persistent
				   zygote spent on the run */
	long peak_kb;
	/* Extra channel the harness may use (see ab-exec): bytes the
	 * submission cannot forge; new, may be NULL. */
	char *chan;
	size_t chan_len;
	/* Extensions: */
	int exec_errno;		/* != 0: the program could not be started
				   (errno of execve or of the set-up);
				   exit_code is then 127 */
	bool chan_truncated;	/* the channel overflowed (stop is
				   AB_STOP_OUTPUT) */
	long pids_max_hits;	/* forks refused by the process limit */
};

/*
 * The channel: the program's fd 3 is the write end of a pipe that only
 * the supervisor reads (res->chan).  With peer_argv, only the main
 * program has it; the peer cannot reach it (other uid, no ptrace, its
 * /proc hides the main program).
 */

struct ab_sandbox_opts {
	bool allow_degraded;	/* run even when a primitive is missing */
	int slot;		/* slot number: picks the unprivileged uid */
	struct ab_limits defaults;
	char *const *ro_dirs;	/* borrowed, NULL-terminated or NULL: more
				   host directories bound read-only at the
				   same path (an agent's install prefix) */
	bool allow_inet;	/* IP sockets allowed (agent trials reach
				   their relay on the slot's loopback; the
				   namespace's counters are then shared by
				   the slot's runs) */
	const char *lower_root;	/* borrowed or NULL: a host directory
				   holding the lower_dir of runs (bound
				   where only the keeper reaches it; the
				   caller opens it, so its parents need
				   not be open to others, but the
				   directory itself must let others search
				   it, mode 0711) */
	const char *cache_ro;	/* borrowed or NULL: an existing host
				   directory every run sees read-only at
				   AB_SANDBOX_CACHE (ab-exec's precompiled
				   headers) */
	const char *modules_ro;	/* borrowed or NULL: an existing host
				   directory of modules and packages the
				   solutions may load (ab-exec --modules),
				   seen read-only (nosuid, nodev) by every
				   run at AB_SANDBOX_MODULES, with the
				   symbolic link /node_modules ->
				   AB_SANDBOX_MODULES/node_modules, where
				   Node's own lookup from /work finds its
				   packages (require and import alike) */
};

#define AB_SANDBOX_CACHE "/.ab-cache"
#define AB_SANDBOX_MODULES "/.ab-modules"

/* Create a supervisor; checks every isolation primitive.  It starts the
 * slot's keeper process, which dies with the calling thread (parent-death
 * signal) and with ab_sandbox_free.  Create it before starting threads
 * that might fork, or in the thread that will use it.  Returns NULL
 * with err set (kind "degraded" naming what is missing) when a primitive
 * is missing and allow_degraded is false.  New; free with
 * ab_sandbox_free. */
struct ab_sandbox *ab_sandbox_new(const struct ab_sandbox_opts *o,
    struct ab_error *err);

/* What is and is not enforced, as a new JSON array with one string per
 * primitive, always in this order: "userns", "pidns", "mountns",
 * "netns", "ipcns", "utsns", "fresh-root", "proc-hidepid", "tmpfs",
 * "cgroup-vN:memory", "cgroup-vN:pids", "cgroup-vN:cpu" (N is 1 or 2),
 * "rlimits", "no-new-privs", "seccomp", "uid"; a missing one reads
 * "not enforced: NAME".  Rootless, two more follow: "rootless" and
 * "landlock".  The environment variable AB_SANDBOX_DISABLE
 * (names separated by commas, "memory", "pids", "cpu" for the cgroup
 * controllers, or "all") makes ab_sandbox_new treat those as missing, to
 * test the refusal and the degraded mode. */
json_t *ab_sandbox_isolation(const struct ab_sandbox *sb);

/* Run one program.  Returns 0 with *res filled (whatever the program did),
 * or -1 with err set when the harness itself failed (internal error).
 * It briefly changes the calling thread's filesystem uid (to write the
 * files as the program's user), keeping its parent-death signal. */
int ab_sandbox_run(struct ab_sandbox *sb, const struct ab_run_spec *spec,
    struct ab_run_result *res, struct ab_error *err);

/* Empty the work directory (after a keep_workdir sequence): the next run
 * starts with an empty one whatever its keep_workdir.  /tmp and /dev/shm
 * (and /work, unless kept) are new tmpfs mounts for every run, and every
 * run starts from the state of a fresh slot's first run: the same pids,
 * its own IPC and cgroup namespaces (see sb_int.h). */
void ab_sandbox_reset(struct ab_sandbox *sb);

/* A TCP listener on 127.0.0.1:port (0: the kernel picks) inside the
 * sandbox's network namespace, with the loopback interface up: the
 * caller serves it from outside while a run with spec.loopback set
 * connects to it, and nothing else of the network is reachable.  *fd
 * gets the listening socket (new, close-on-exec), *port_out the port.
 * Returns 0, or -1 with err set. */
int ab_sandbox_listen(struct ab_sandbox *sb, int port, int *fd,
    int *port_out, struct ab_error *err);

/* The path, from the caller's side, of the last run's /work (valid until
 * the next run; for reading what a run with lower_dir changed).  Writes
 * it into buf; returns buf. */
char *ab_sandbox_work_path(const struct ab_sandbox *sb, char *buf,
    size_t len);

/* The pid of the slot's keeper (pid 1 of its namespaces), or -1: its
 * /proc/PID/ns/mnt is the sandbox's mount namespace. */
long ab_sandbox_keeper_pid(const struct ab_sandbox *sb);

/* The host uid the programs of this sandbox run as (files of a lower_dir
 * should belong to it). */
unsigned long ab_sandbox_run_uid(const struct ab_sandbox *sb);
unsigned long ab_sandbox_run_gid(const struct ab_sandbox *sb);

/* True when the sandbox runs rootless (the caller is not root): one id
 * for every process, no warm zygotes (ab_sandbox_run refuses spec.warm
 * with a peer). */
bool ab_sandbox_rootless(const struct ab_sandbox *sb);

/* Kill the current run's processes now (from another thread, while
 * ab_sandbox_run waits for them); the run ends as killed by SIGKILL. */
void ab_sandbox_kill(struct ab_sandbox *sb);

/* Drop the work directory of the last run now (an overlay's upper and
 * its memory); the next run starts afresh anyway. */
void ab_sandbox_clear(struct ab_sandbox *sb);

void ab_run_result_release(struct ab_run_result *res);
void ab_sandbox_free(struct ab_sandbox *sb);

/* The name of a signal ("SIGSEGV"), borrowed static string. */
const char *ab_signal_name(int sig);

#endif
