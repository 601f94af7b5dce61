/* cgroup.h - per-run cgroups for the sandbox (internal). */
#ifndef AB_SB_CGROUP_H
#define AB_SB_CGROUP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "ab.h"

enum { CG_MEM = 1, CG_PIDS = 2, CG_CPU = 4 };

struct sb_cg {
	int ver;			/* 1 (v1 or hybrid) or 2 */
	unsigned have;			/* CG_* bits that work */
	char *mem, *pids, *cpu;		/* v1 slot directories, new */
	char *v2;			/* v2 slot directory, new */
	char *run_mem, *run_pids, *run_cpu, *run_v2;	/* current run */
	unsigned long nrun;
	int cpu_fd;
	unsigned long cpu_fd_run;
	/* v1: the run's cgroups, kept empty between runs for the next one
	 * (reset at its start), and the event counts they started with. */
	char *keep_mem, *keep_pids, *keep_cpu;
	long long oom_base, pids_base;
	/* v1: the limits last written to the run's (or kept) cgroups, -1
	 * when unknown: a kept cgroup keeps them, and nothing inside the
	 * sandbox can write there. */
	long long mem_limit, pids_limit;
	char why[256];			/* what did not work, or "" */
	int why_kind;			/* CG_WHY_*: what why is about */
};

/* What stopped the v2 slot (cg->why_kind): nothing said, our cgroup not
 * ours to write, a foreign process in it, memory and pids not given to
 * it, something else (the kernel's). */
enum { CG_WHY_NONE, CG_WHY_DENIED, CG_WHY_SHARED, CG_WHY_UNGIVEN,
    CG_WHY_OTHER };

/* Create the slot's cgroups beneath our own; cg->have says what works.
 * disable: CG_* bits to leave out. */
void sb_cg_init(struct sb_cg *cg, int slot, unsigned disable);
/* Create the run's cgroups with its limits; fds[] receives cgroup.procs
 * descriptors (up to 3) for the run's processes to join. */
int sb_cg_run_begin(struct sb_cg *cg, long memory_mb, long procs, int *fds,
    int *nfds, struct ab_error *err);
double sb_cg_cpu_ms(struct sb_cg *cg);	/* -1 when unknown */
long sb_cg_peak_kb(struct sb_cg *cg);	/* -1 when unknown */
long sb_cg_oom_kills(struct sb_cg *cg);
long sb_cg_pids_max_hits(struct sb_cg *cg);
void sb_cg_kill(struct sb_cg *cg);
void sb_cg_run_end(struct sb_cg *cg);
void sb_cg_release(struct sb_cg *cg);
/* Rootless, when the memory or pids cgroup could not be made: one line
 * saying why and what gives a cgroup of one's own, into buf; false (buf
 * untouched) when another cgroup would not help. */
bool sb_cg_advice(const struct sb_cg *cg, char *buf, size_t len);

#endif
