/*
 * cgroup.c - per-run cgroups beneath the supervisor's own cgroup, for
 * cgroup v1, v2 and the hybrid of both.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ab.h"
#include "sandbox/cgroup.h"

/* The first 4 KiB of what fd reads, as a new string; closes fd. */
static char *
read_fd(int fd)
{
	char buf[4096];
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return ab_xstrdup(buf);
}

static char *
read_small(const char *path)
{
	return read_fd(open(path, O_RDONLY | O_CLOEXEC));
}

/* Directory descriptors of the cgroups in use, by path, per thread (a
 * slot): a run reads and writes some twenty files of its cgroups, and a
 * lookup beneath a held directory skips the walk down from the mount's
 * root, most of what the supervisor spent in the kernel per run. */
#define DC_SLOTS 6
static _Thread_local struct {
	char path[512];
	int fd;			/* O_PATH directory, or -1 */
} dcache[DC_SLOTS];
static _Thread_local unsigned dc_next;

static void
dc_forget(const char *dir)
{
	int i;

	for (i = 0; i < DC_SLOTS; i++)
		if (dcache[i].path[0] != '\0' &&
		    (dir == NULL || strcmp(dcache[i].path, dir) == 0)) {
			close(dcache[i].fd);
			dcache[i].path[0] = '\0';
		}
}

/* open(dir/file, flags), through a held descriptor of dir when it can. */
static int
open_in(const char *dir, const char *file, int flags)
{
	char path[4096];
	size_t len = strlen(dir);
	int i, fd;

	flags |= O_CLOEXEC;
	for (i = 0; i < DC_SLOTS; i++) {
		if (dcache[i].path[0] == '\0' || strcmp(dcache[i].path, dir) != 0)
			continue;
		if ((fd = openat(dcache[i].fd, file, flags)) >= 0 ||
		    errno != ENOENT)
			return fd;
		dc_forget(dir);	/* removed, perhaps made again */
		break;
	}
	if (len < sizeof dcache[0].path &&
	    (fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		i = (int)(dc_next++ % DC_SLOTS);
		if (dcache[i].path[0] != '\0')
			close(dcache[i].fd);
		memcpy(dcache[i].path, dir, len + 1);
		dcache[i].fd = fd;
		return openat(fd, file, flags);
	}
	snprintf(path, sizeof path, "%s/%s", dir, file);
	return open(path, flags);
}

static char *
read_in(const char *dir, const char *file)
{
	return read_fd(open_in(dir, file, O_RDONLY));
}

static int
write_str(const char *dir, const char *file, const char *s)
{
	int fd, r;

	if ((fd = open_in(dir, file, O_WRONLY)) < 0)
		return -1;
	r = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return r;
}

/* A value "KEY N" from a flat keyed file, or -1. */
static long long
keyed(const char *dir, const char *file, const char *key)
{
	char *s, *p;
	size_t kl = strlen(key);
	long long v = -1;

	if ((s = read_in(dir, file)) == NULL)
		return -1;
	for (p = s; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p ? p + 1 : NULL) {
		if (strncmp(p, key, kl) == 0 && p[kl] == ' ') {
			v = strtoll(p + kl + 1, NULL, 10);
			break;
		}
	}
	free(s);
	return v;
}

static long long
single(const char *dir, const char *file)
{
	char *s;
	long long v;

	if ((s = read_in(dir, file)) == NULL)
		return -1;
	v = strncmp(s, "max", 3) == 0 ? -1 : strtoll(s, NULL, 10);
	free(s);
	return v;
}

/* Mount point of a cgroup v1 hierarchy with controller ctl ("" for v2),
 * from /proc/self/mountinfo.  New string or NULL. */
static char *
find_mount(const char *ctl)
{
	size_t len;
	char *s = ab_read_file("/proc/self/mountinfo", &len, NULL), *line,
	    *save = NULL, *res = NULL;

	if (s == NULL)
		return NULL;
	for (line = strtok_r(s, "\n", &save); line != NULL && res == NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *f[8], *sep = strstr(line, " - "), *opts, *tok,
		    *sv = NULL, *p = line;
		int i;

		if (sep == NULL)
			continue;
		*sep = '\0';
		for (i = 0; i < 5; i++) {
			f[i] = strsep(&p, " ");
			if (f[i] == NULL)
				break;
		}
		if (i < 5)
			continue;
		/* after " - ": fstype source superopts */
		p = sep + 3;
		f[5] = strsep(&p, " ");
		f[6] = strsep(&p, " ");
		opts = p;
		if (f[5] == NULL || opts == NULL)
			continue;
		if (*ctl == '\0') {
			if (strcmp(f[5], "cgroup2") == 0)
				res = ab_xstrdup(f[4]);
			continue;
		}
		if (strcmp(f[5], "cgroup") != 0)
			continue;
		for (tok = strtok_r(opts, ",", &sv); tok != NULL;
		    tok = strtok_r(NULL, ",", &sv))
			if (strcmp(tok, ctl) == 0)
				res = ab_xstrdup(f[4]);
	}
	free(s);
	return res;
}

/* Our own path in the hierarchy holding ctl ("" for v2). */
static char *
own_path(const char *ctl)
{
	size_t len;
	char *s = ab_read_file("/proc/self/cgroup", &len, NULL), *line,
	    *save = NULL, *res = NULL;

	if (s == NULL)
		return NULL;
	for (line = strtok_r(s, "\n", &save); line != NULL && res == NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2, *tok, *sv = NULL;

		if (c1 == NULL || (c2 = strchr(c1 + 1, ':')) == NULL)
			continue;
		*c2 = '\0';
		if (*ctl == '\0') {
			if (c1[1] == '\0' && strncmp(line, "0:", 2) == 0)
				res = ab_xstrdup(c2 + 1);
			continue;
		}
		for (tok = strtok_r(c1 + 1, ",", &sv); tok != NULL;
		    tok = strtok_r(NULL, ",", &sv))
			if (strcmp(tok, ctl) == 0)
				res = ab_xstrdup(c2 + 1);
	}
	free(s);
	return res;
}

/* A process that exists and is not a zombie. */
static bool
alive(pid_t pid)
{
	char path[64], *s, *rp;
	bool r;

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return false;
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((s = read_small(path)) == NULL)
		return errno != ENOENT;
	rp = strrchr(s, ')');
	r = !(rp != NULL && rp[1] == ' ' && (rp[2] == 'Z' || rp[2] == 'X'));
	free(s);
	return r;
}

/* Our name prefix: "ab-slot.NS." where NS is the inode of our pid
 * namespace, so that a supervisor only ever judges pids it can see.
 * (Older versions named their cgroups "ab-sandbox.PID.SLOT" and would
 * take ours for theirs.) */
static const char *
prefix(void)
{
	static char p[64];
	struct stat st;

	if (p[0] == '\0')
		snprintf(p, sizeof p, "ab-slot.%lu.", stat("/proc/self/ns/pid",
		    &st) == 0 ? (unsigned long)st.st_ino : 0UL);
	return p;
}

/* Remove the cgroups of supervisors that died without cleaning up
 * (ab-slot.NS.PID.SLOT of our pid namespace whose PID is gone),
 * beneath parent only. */
static void
clean_stale(const char *parent)
{
	DIR *d = opendir(parent), *sd;
	struct dirent *e, *se;
	char *p, *sp;
	long pid;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t pl = strlen(prefix());

		if (strncmp(e->d_name, prefix(), pl) != 0)
			continue;
		pid = strtol(e->d_name + pl, &p, 10);
		if (*p != '.' || pid <= 0 || alive((pid_t)pid))
			continue;
		p = ab_xasprintf("%s/%s", parent, e->d_name);
		if ((sd = opendir(p)) != NULL) {
			while ((se = readdir(sd)) != NULL) {
				if (strncmp(se->d_name, "run.", 4) != 0)
					continue;
				sp = ab_xasprintf("%s/%s", p, se->d_name);
				rmdir(sp);
				free(sp);
			}
			closedir(sd);
		}
		rmdir(p);
		free(p);
	}
	closedir(d);
}

static char *
slot_dir(const char *ctl, int slot)
{
	char *mnt = find_mount(ctl), *own = own_path(ctl), *dir = NULL;

	if (mnt != NULL && own != NULL) {
		char *parent = ab_xasprintf("%s%s", mnt,
		    strcmp(own, "/") == 0 ? "" : own);

		clean_stale(parent);
		free(parent);
		dir = ab_xasprintf("%s%s/%s%ld.%d", mnt,
		    strcmp(own, "/") == 0 ? "" : own, prefix(), (long)getpid(),
		    slot);
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			free(dir);
			dir = NULL;
		}
	}
	free(mnt);
	free(own);
	return dir;
}

static bool
has_word(const char *list, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	for (p = list; (p = strstr(p, w)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return true;
	return false;
}

/* Some swap space is on (/proc/swaps lists more than its header). */
static bool
swap_on(void)
{
	char *s = read_small("/proc/swaps"), *nl;
	bool r;

	if (s == NULL)
		return true;
	r = (nl = strchr(s, '\n')) != NULL && nl[1] != '\0';
	free(s);
	return r;
}

/* The parent of pid, from /proc/PID/stat, or -1. */
static pid_t
parent_of(pid_t pid)
{
	char path[64], *s, *rp;
	long pp = -1;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((s = read_small(path)) == NULL)
		return -1;
	if ((rp = strrchr(s, ')')) != NULL && rp[1] == ' ' && rp[2] != '\0')
		pp = strtol(rp + 4, NULL, 10);
	free(s);
	return (pid_t)pp;
}

/* 1 when pid runs the program self is (its /proc/PID/exe), 0 when it
 * runs another, -1 when it is gone. */
static int
same_program(pid_t pid, const struct stat *self)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof path, "/proc/%ld/exe", (long)pid);
	if (stat(path, &st) < 0)
		return errno == ENOENT || errno == ESRCH ? -1 : 0;
	return st.st_dev == self->st_dev && st.st_ino == self->st_ino;
}

/* pid is in the v2 cgroup own or beneath it. */
static bool
in_subtree(pid_t pid, const char *own)
{
	char path[64], *s, *p;
	size_t n = strlen(own);
	bool r = false;

	snprintf(path, sizeof path, "/proc/%ld/cgroup", (long)pid);
	if ((s = read_small(path)) == NULL)
		return false;
	for (p = s; p != NULL; p = (p = strchr(p, '\n')) ? p + 1 : NULL)
		if (strncmp(p, "0::", 3) == 0) {
			p += 3;
			r = strcmp(own, "/") == 0 || (strncmp(p, own, n) == 0 &&
			    (p[n] == '\n' || p[n] == '/' || p[n] == '\0'));
			break;
		}
	free(s);
	return r;
}

/* The kind of why for a failed write or mkdir: not ours to write, or
 * something else. */
static int
why_of(int err)
{
	return err == EACCES || err == EPERM || err == EROFS ?
	    CG_WHY_DENIED : CG_WHY_OTHER;
}

/* The "no internal processes" rule of cgroup v2: a cgroup other than
 * the root that holds processes cannot give controllers to its children.
 * When every process in our cgroup base (path own) is ours, that is runs
 * this program (this process, and under ab-exec -j its parent and the
 * other workers), move them all into one leaf, ab-supervisor.PID, PID
 * the topmost of them (so that the workers agree on it).  Any other
 * process there is not ours to move: then nothing is touched and why
 * (and *kind, CG_WHY_*) says so.  0 or -1. */
static int
move_ours(const char *base, const char *own, int *kind, char *why,
    size_t whylen)
{
	struct stat self;
	char *path, *procs, *leaf = NULL, *p, *e, pid[32];
	pid_t top = getpid(), pp;
	int rc = -1, k;

	if (stat("/proc/self/exe", &self) < 0)
		return -1;
	while ((pp = parent_of(top)) > 1 && same_program(pp, &self) == 1 &&
	    in_subtree(pp, own))
		top = pp;
	path = ab_xasprintf("%s/cgroup.procs", base);
	procs = read_small(path);
	free(path);
	if (procs == NULL)
		return -1;
	for (p = procs; (k = (int)strtol(p, &e, 10)) > 0; p = e)
		if (same_program((pid_t)k, &self) == 0) {
			char *comm;

			path = ab_xasprintf("/proc/%d/comm", k);
			comm = read_small(path);
			free(path);
			if (comm != NULL)
				comm[strcspn(comm, "\n")] = '\0';
			snprintf(why, whylen, "cgroup v2: %s holds process %d "
			    "(%s), not %s: run %s alone in a cgroup of its "
			    "own (no internal processes)", base, k,
			    comm ? comm : "?", ab_progname(), ab_progname());
			*kind = CG_WHY_SHARED;
			free(comm);
			goto out;
		}
	leaf = ab_xasprintf("%s/ab-supervisor.%ld", base, (long)top);
	if (mkdir(leaf, 0755) < 0 && errno != EEXIST) {
		*kind = why_of(errno);
		snprintf(why, whylen, "cgroup v2: %s: %s", leaf,
		    strerror(errno));
		goto out;
	}
	for (p = procs; (k = (int)strtol(p, &e, 10)) > 0; p = e) {
		snprintf(pid, sizeof pid, "%d", k);
		if (same_program((pid_t)k, &self) == 1 &&
		    write_str(leaf, "cgroup.procs", pid) < 0 && errno != ESRCH) {
			*kind = why_of(errno);
			snprintf(why, whylen, "cgroup v2: moving %d to %s: %s",
			    k, leaf, strerror(errno));
			goto out;
		}
	}
	rc = 0;
out:
	free(procs);
	free(leaf);
	return rc;
}

/* cgroup v2: the slot's cgroup beneath our own, with memory and pids
 * enabled for its runs.  Both must be given to our cgroup; enabling
 * them there may need ab-exec's processes moved into a leaf (see
 * move_ours).  All or nothing: when something is missing, our cgroup is
 * left as it was and cg->why (and why_kind) says what.  CPU time needs
 * no controller: every cgroup has cpu.stat. */
static char *
v2_slot(struct sb_cg *cg, int slot, unsigned *have)
{
	char *why = cg->why;
	size_t whylen = sizeof cg->why;
	char *mnt = find_mount(""), *own = own_path(""), *base = NULL,
	    *dir = NULL, *ctl = NULL, *p;
	const char *add = "+memory +pids";
	int tries, r;

	if (mnt == NULL || own == NULL)
		goto out;
	/* A worker of ab-exec -j forked after its parent moved into our
	 * leaf: our cgroup is the leaf's parent. */
	if ((p = strrchr(own, '/')) != NULL && p != own &&
	    strncmp(p + 1, "ab-supervisor.", 14) == 0)
		*p = '\0';
	base = ab_xasprintf("%s%s", mnt, strcmp(own, "/") == 0 ? "" : own);
	p = ab_xasprintf("%s/cgroup.controllers", base);
	ctl = read_small(p);
	free(p);
	if (ctl == NULL || !has_word(ctl, "memory") || !has_word(ctl, "pids")) {
		cg->why_kind = CG_WHY_UNGIVEN;
		snprintf(why, whylen, "cgroup v2: %s is not given the memory "
		    "and pids controllers (delegate them)", base);
		goto out;
	}
	/* One write: enabling pids alone would succeed beside other
	 * processes (it is a threaded controller) and change their
	 * cgroup. */
	for (tries = 0; (r = write_str(base, "cgroup.subtree_control",
	    add)) < 0 && errno == EBUSY && tries < 3; tries++)
		if (move_ours(base, own, &cg->why_kind, why, whylen) < 0)
			goto out;
	if (r < 0) {
		cg->why_kind = why_of(errno);
		snprintf(why, whylen, "cgroup v2: %s/cgroup.subtree_control: "
		    "%s", base, strerror(errno));
		goto out;
	}
	clean_stale(base);
	dir = ab_xasprintf("%s/%s%ld.%d", base, prefix(), (long)getpid(),
	    slot);
	if ((mkdir(dir, 0755) < 0 && errno != EEXIST) ||
	    write_str(dir, "cgroup.subtree_control", add) < 0) {
		cg->why_kind = why_of(errno);
		snprintf(why, whylen, "cgroup v2: %s: %s", dir,
		    strerror(errno));
		rmdir(dir);
		free(dir);
		dir = NULL;
		goto out;
	}
	/* Without swap accounting the memory limit holds only without
	 * swap. */
	p = ab_xasprintf("%s/memory.swap.max", dir);
	if (access(p, F_OK) < 0 && swap_on()) {
		cg->why_kind = CG_WHY_OTHER;
		snprintf(why, whylen, "cgroup v2: no memory.swap.max (swap "
		    "accounting is off) while swap is on");
		free(p);
		rmdir(dir);
		free(dir);
		dir = NULL;
		goto out;
	}
	free(p);
	*have = CG_MEM | CG_PIDS;
	p = ab_xasprintf("%s/cpu.stat", dir);
	if (access(p, R_OK) == 0)
		*have |= CG_CPU;
	free(p);
out:
	free(mnt);
	free(own);
	free(base);
	free(ctl);
	return dir;
}

/* A cgroup v1 hierarchy with one of our controllers is mounted: then
 * v1 it is (alone or the hybrid), whatever v2 has. */
static bool
v1_mounted(void)
{
	static const char *const ctl[] = { "memory", "pids", "cpuacct" };
	char *m;
	int i;

	for (i = 0; i < 3; i++)
		if ((m = find_mount(ctl[i])) != NULL) {
			free(m);
			return true;
		}
	return false;
}

void
sb_cg_init(struct sb_cg *cg, int slot, unsigned disable)
{
	char *p;

	memset(cg, 0, sizeof *cg);
	cg->ver = 1;
	cg->cpu_fd = -1;
	cg->mem_limit = cg->pids_limit = -1;
	if (!(disable & CG_MEM))
		cg->mem = slot_dir("memory", slot);
	if (!(disable & CG_PIDS))
		cg->pids = slot_dir("pids", slot);
	if (!(disable & CG_CPU))
		cg->cpu = slot_dir("cpuacct", slot);
	if (cg->mem != NULL)
		cg->have |= CG_MEM;
	if (cg->pids != NULL)
		cg->have |= CG_PIDS;
	if (cg->cpu != NULL)
		cg->have |= CG_CPU;
	if (cg->have == 0 && !v1_mounted() && (p = find_mount("")) != NULL) {
		unsigned have = 0;

		free(p);
		cg->ver = 2;
		if ((disable & (CG_MEM | CG_PIDS | CG_CPU)) !=
		    (CG_MEM | CG_PIDS | CG_CPU))
			cg->v2 = v2_slot(cg, slot, &have);
		cg->have = have & ~disable;
	}
}

static char *
run_dir(const char *slotdir, unsigned long n)
{
	char *d = ab_xasprintf("%s/run.%lu", slotdir, n);
	int r;

	/* The slot's directory may have been removed by another supervisor
	 * that could not see our pid (another pid namespace): make it
	 * again.  One that exists is a dead supervisor's (whose pid we now
	 * have), with its counters: a new one. */
	if ((r = mkdir(d, 0755)) < 0 && errno == ENOENT &&
	    (mkdir(slotdir, 0755) == 0 || errno == EEXIST))
		r = mkdir(d, 0755);
	if (r < 0 && errno == EEXIST && rmdir(d) == 0)
		r = mkdir(d, 0755);
	if (r < 0) {
		free(d);
		return NULL;
	}
	return d;
}

static int
open_procs(const char *dir)
{
	return open_in(dir, "cgroup.procs", O_WRONLY);
}

/* No process in the cgroup (asking up to tries times, 0.5 ms apart, to
 * wait for the dying). */
static bool
procs_empty(const char *dir, int tries)
{
	char *s;
	int i;

	for (i = 0; i < tries; i++) {
		bool empty;

		if ((s = read_in(dir, "cgroup.procs")) == NULL)
			return false;
		empty = s[strspn(s, " \n")] == '\0';
		free(s);
		if (empty)
			return true;
		usleep(500);
	}
	return false;
}

static void rm_run(char **dir);

/* What a kept memory cgroup may still have charged when its next run
 * starts: the kernel's per-CPU charge batches and caches of the runs
 * before (a few hundred KiB).  Reclaiming it (memory.force_empty)
 * drains every CPU's page lists and costs more than a new cgroup, so a
 * cgroup with more than this is not kept. */
#define KEEP_MAX_BYTES (1LL << 20)

/* A memory cgroup kept from the previous run, for the next: its peak
 * reset to what is left, at most KEEP_MAX_BYTES, and the OOM kills so
 * far noted, so that only the next run's count. */
static int
reset_mem(struct sb_cg *cg, const char *dir)
{
	long long u = single(dir, "memory.usage_in_bytes");

	if (u < 0 || u > KEEP_MAX_BYTES ||
	    write_str(dir, "memory.max_usage_in_bytes", "0") < 0 ||
	    single(dir, "memory.max_usage_in_bytes") > KEEP_MAX_BYTES ||
	    (cg->oom_base = keyed(dir, "memory.oom_control",
	    "oom_kill")) < 0)
		return -1;
	write_str(dir, "memory.failcnt", "0");
	return 0;
}

static int
reset_pids(struct sb_cg *cg, const char *dir)
{
	return (cg->pids_base = keyed(dir, "pids.events", "max")) < 0 ?
	    -1 : 0;
}

static int
reset_cpu(struct sb_cg *cg, const char *dir)
{
	(void)cg;
	return write_str(dir, "cpuacct.usage", "0");
}

/* The kept cgroup *keep for this run, empty and reset, or NULL (then
 * it is removed). */
static char *
kept(struct sb_cg *cg, char **keep, int (*reset)(struct sb_cg *,
    const char *))
{
	char *d = *keep;

	*keep = NULL;
	if (d == NULL)
		return NULL;
	if (procs_empty(d, 1) && reset(cg, d) == 0)
		return d;
	rm_run(&d);
	return NULL;
}

int
sb_cg_run_begin(struct sb_cg *cg, long memory_mb, long procs,
    int *fds, int *nfds, struct ab_error *err)
{
	char v[64];

	*nfds = 0;
	cg->nrun++;
	if (cg->ver == 2) {
		if (cg->v2 == NULL)
			return 0;
		if ((cg->run_v2 = run_dir(cg->v2, cg->nrun)) == NULL)
			return ab_error_set(err, "sandbox", "cgroup: %s: %s",
			    cg->v2, strerror(errno));
		if (cg->have & CG_MEM) {
			snprintf(v, sizeof v, "%ld", memory_mb << 20);
			if (write_str(cg->run_v2, "memory.max", v) < 0)
				return ab_error_set(err, "sandbox",
				    "cgroup: memory.max: %s", strerror(errno));
			/* Without swap accounting the limit holds only
			 * when there is no swap. */
			if (write_str(cg->run_v2, "memory.swap.max", "0") < 0 &&
			    (errno != ENOENT || swap_on()))
				return ab_error_set(err, "sandbox",
				    "cgroup: memory.swap.max: %s",
				    strerror(errno));
		}
		if (cg->have & CG_PIDS) {
			snprintf(v, sizeof v, "%ld", procs);
			if (write_str(cg->run_v2, "pids.max", v) < 0)
				return ab_error_set(err, "sandbox",
				    "cgroup: pids.max: %s", strerror(errno));
		}
		if ((fds[(*nfds)++] = open_procs(cg->run_v2)) < 0)
			return ab_error_set(err, "sandbox", "cgroup: %s",
			    strerror(errno));
		return 0;
	}
	if (cg->mem != NULL) {
		bool fresh = false;

		if ((cg->run_mem = kept(cg, &cg->keep_mem, reset_mem)) ==
		    NULL) {
			cg->oom_base = 0;
			if ((cg->run_mem = run_dir(cg->mem, cg->nrun)) == NULL)
				return ab_error_set(err, "sandbox",
				    "cgroup: %s: %s", cg->mem, strerror(errno));
			fresh = true;
		}
		if (fresh || cg->mem_limit != (long long)memory_mb << 20) {
			cg->mem_limit = -1;
			snprintf(v, sizeof v, "%ld", memory_mb << 20);
			/* memsw first and again: the memory limit may not
			 * exceed it, and a kept cgroup has the previous
			 * run's limits. */
			write_str(cg->run_mem, "memory.memsw.limit_in_bytes",
			    v);
			if (write_str(cg->run_mem, "memory.limit_in_bytes",
			    v) < 0)
				return ab_error_set(err, "sandbox",
				    "cgroup: memory.limit_in_bytes: %s",
				    strerror(errno));
			write_str(cg->run_mem, "memory.memsw.limit_in_bytes",
			    v);
			cg->mem_limit = (long long)memory_mb << 20;
		}
		if (fresh)
			write_str(cg->run_mem, "memory.swappiness", "0");
		if ((fds[(*nfds)++] = open_procs(cg->run_mem)) < 0)
			return ab_error_set(err, "sandbox", "cgroup: %s",
			    strerror(errno));
	}
	if (cg->pids != NULL) {
		if ((cg->run_pids = kept(cg, &cg->keep_pids, reset_pids)) ==
		    NULL) {
			cg->pids_base = 0;
			cg->pids_limit = -1;
			if ((cg->run_pids = run_dir(cg->pids, cg->nrun)) == NULL)
				return ab_error_set(err, "sandbox",
				    "cgroup: %s: %s", cg->pids, strerror(errno));
		}
		if (cg->pids_limit != procs) {
			cg->pids_limit = -1;
			snprintf(v, sizeof v, "%ld", procs);
			if (write_str(cg->run_pids, "pids.max", v) < 0)
				return ab_error_set(err, "sandbox",
				    "cgroup: pids.max: %s", strerror(errno));
			cg->pids_limit = procs;
		}
		if ((fds[(*nfds)++] = open_procs(cg->run_pids)) < 0)
			return ab_error_set(err, "sandbox", "cgroup: %s",
			    strerror(errno));
	}
	if (cg->cpu != NULL) {
		if ((cg->run_cpu = kept(cg, &cg->keep_cpu, reset_cpu)) == NULL &&
		    (cg->run_cpu = run_dir(cg->cpu, cg->nrun)) == NULL)
			return ab_error_set(err, "sandbox", "cgroup: %s: %s",
			    cg->cpu, strerror(errno));
		if ((fds[(*nfds)++] = open_procs(cg->run_cpu)) < 0)
			return ab_error_set(err, "sandbox", "cgroup: %s",
			    strerror(errno));
	}
	return 0;
}

double
sb_cg_cpu_ms(struct sb_cg *cg)
{
	long long v;

	if (!(cg->have & CG_CPU))
		return -1;
	if (cg->ver == 2) {
		if (cg->run_v2 == NULL ||
		    (v = keyed(cg->run_v2, "cpu.stat", "usage_usec")) < 0)
			return -1;
		return (double)v / 1e3;
	}
	if (cg->run_cpu == NULL)
		return -1;
	if (cg->cpu_fd < 0 || cg->cpu_fd_run != cg->nrun) {
		char path[4096];

		if (cg->cpu_fd >= 0)
			close(cg->cpu_fd);
		snprintf(path, sizeof path, "%s/cpuacct.usage", cg->run_cpu);
		cg->cpu_fd = open(path, O_RDONLY | O_CLOEXEC);
		cg->cpu_fd_run = cg->nrun;
		if (cg->cpu_fd < 0)
			return -1;
	}
	{
		char buf[64];
		ssize_t n = pread(cg->cpu_fd, buf, sizeof buf - 1, 0);

		if (n <= 0)
			return -1;
		buf[n] = '\0';
		return (double)strtoll(buf, NULL, 10) / 1e6;
	}
}

long
sb_cg_peak_kb(struct sb_cg *cg)
{
	long long v = -1;

	if (!(cg->have & CG_MEM))
		return -1;
	if (cg->ver == 2 && cg->run_v2 != NULL)
		v = single(cg->run_v2, "memory.peak");
	else if (cg->run_mem != NULL)
		v = single(cg->run_mem, "memory.max_usage_in_bytes");
	return v < 0 ? -1 : (long)(v / 1024);
}

long
sb_cg_oom_kills(struct sb_cg *cg)
{
	long long v = -1;

	if (cg->ver == 2 && cg->run_v2 != NULL)
		v = keyed(cg->run_v2, "memory.events", "oom_kill");
	else if (cg->run_mem != NULL &&
	    (v = keyed(cg->run_mem, "memory.oom_control", "oom_kill")) >= 0)
		v -= cg->oom_base;
	return v < 0 ? 0 : (long)v;
}

long
sb_cg_pids_max_hits(struct sb_cg *cg)
{
	long long v = -1;

	if (cg->ver == 2 && cg->run_v2 != NULL)
		v = keyed(cg->run_v2, "pids.events", "max");
	else if (cg->run_pids != NULL &&
	    (v = keyed(cg->run_pids, "pids.events", "max")) >= 0)
		v -= cg->pids_base;
	return v < 0 ? 0 : (long)v;
}

/* Kill every process of the run from outside (the keeper's kill(-1) is
 * the normal path; this is the backstop). */
void
sb_cg_kill(struct sb_cg *cg)
{
	const char *dirs[3] = { cg->run_v2, cg->run_pids, cg->run_mem };
	int i, round;

	if (cg->run_v2 != NULL && write_str(cg->run_v2, "cgroup.kill",
	    "1") == 0)
		return;
	for (round = 0; round < 50; round++) {
		bool any = false;

		for (i = 0; i < 3; i++) {
			char path[4096], *s, *p, *e;

			if (dirs[i] == NULL)
				continue;
			snprintf(path, sizeof path, "%s/cgroup.procs", dirs[i]);
			if ((s = read_small(path)) == NULL)
				continue;
			for (p = s; *p != '\0'; p = e) {
				long pid = strtol(p, &e, 10);

				if (e == p)
					break;
				if (pid > 1) {
					kill((pid_t)pid, SIGKILL);
					any = true;
				}
				while (*e == '\n')
					e++;
			}
			free(s);
		}
		if (!any)
			return;
		usleep(1000);
	}
}

static void
rm_run(char **dir)
{
	int i;

	if (*dir == NULL)
		return;
	dc_forget(*dir);
	/* Tasks killed a moment ago may still be leaving the group: on a
	 * loaded machine that takes longer than a quiet one, so back off
	 * (0.5 ms doubling to 32 ms) for up to about 3 s before giving up. */
	for (i = 0; i < 100 && rmdir(*dir) < 0 && errno == EBUSY; i++)
		usleep(500U << (i < 6 ? i : 6));
	free(*dir);
	*dir = NULL;
}

/* Keep the run's v1 cgroup for the next run if nothing is left in it
 * (the keeper has killed and reaped everything), else remove it. */
static void
keep_run(char **dir, char **keep)
{
	if (*dir == NULL)
		return;
	rm_run(keep);
	if (procs_empty(*dir, 200)) {
		*keep = *dir;
		*dir = NULL;
	} else
		rm_run(dir);
}

void
sb_cg_run_end(struct sb_cg *cg)
{
	if (cg->cpu_fd >= 0) {
		close(cg->cpu_fd);
		cg->cpu_fd = -1;
	}
	rm_run(&cg->run_v2);
	keep_run(&cg->run_mem, &cg->keep_mem);
	keep_run(&cg->run_pids, &cg->keep_pids);
	keep_run(&cg->run_cpu, &cg->keep_cpu);
	cg->oom_base = cg->pids_base = 0;
}

void
sb_cg_release(struct sb_cg *cg)
{
	char **d[7] = { &cg->keep_mem, &cg->keep_pids, &cg->keep_cpu,
	    &cg->v2, &cg->mem, &cg->pids, &cg->cpu };
	int i;

	sb_cg_run_end(cg);
	for (i = 0; i < 7; i++)
		rm_run(d[i]);
	dc_forget(NULL);
}

bool
sb_cg_advice(const struct sb_cg *cg, char *buf, size_t len)
{
	static const char run[] = "systemd-run --user --scope -p Delegate=yes";
	unsigned long uid = (unsigned long)geteuid();
	char *mnt, *own;

	if (cg->ver == 2) {
		if (cg->why_kind == CG_WHY_OTHER)
			return false;
		mnt = find_mount("");
		own = own_path("");
		if (cg->why_kind == CG_WHY_NONE || cg->why_kind == CG_WHY_DENIED)
			snprintf(buf, len, "rootless: no cgroup delegated to "
			    "uid %lu (%s%s: not writable); run it in one of its "
			    "own: %s %s ...", uid, mnt ? mnt : "",
			    own && strcmp(own, "/") ? own : "", run,
			    ab_progname());
		else
			snprintf(buf, len, "rootless: %s: %s %s ... gives one",
			    cg->why, run, ab_progname());
	} else {
		mnt = find_mount("memory");
		own = own_path("memory");
		snprintf(buf, len, "rootless: no cgroup delegated to uid %lu "
		    "(cgroup v1 %s%s is not writable; systemd delegates "
		    "only cgroup v2); as root: mkdir a cgroup in each of "
		    "memory, pids and cpuacct, chown -R it to the user and "
		    "write the shell's pid to its cgroup.procs (or boot with "
		    "systemd.unified_cgroup_hierarchy=1 and use "
		    "%s)", uid, mnt ? mnt : "/sys/fs/cgroup/memory",
		    own && strcmp(own, "/") ? own : "", run);
	}
	free(mnt);
	free(own);
	return true;
}
