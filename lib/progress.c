/* progress.c - the progress line of a slow stage, on a terminal only. */
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ab.h"

/* The non-blank lines of files when every one is a regular file, else
 * -1 (stdin, a pipe: the total is not known before the end). */
static long
count_lines(char **files, int nfiles)
{
	char buf[1 << 16];
	long n = 0;
	ssize_t k;
	int i, fd;
	bool blank;

	if (!ab_inputs_regular(files, nfiles))
		return -1;
	for (i = 0; i < nfiles; i++) {
		if ((fd = open(files[i], O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		blank = true;
		while ((k = read(fd, buf, sizeof buf)) > 0) {
			char *p = buf, *end = buf + k;

			for (; p < end; p++) {
				if (*p == '\n') {
					n += !blank;
					blank = true;
				} else if (*p != ' ' && *p != '\t' &&
				    *p != '\r')
					blank = false;
			}
		}
		n += !blank;
		close(fd);
	}
	return n;
}

void
ab_progress_init(struct ab_progress *p, char **files, int nfiles)
{
	memset(p, 0, sizeof *p);
	p->on = isatty(STDERR_FILENO) && getenv("AB_NO_PROGRESS") == NULL;
	p->total = p->on ? count_lines(files, nfiles) : -1;
	p->t0 = p->last = ab_now_ms();
}

void
ab_progress_show(struct ab_progress *p, long done, long failed, bool final)
{
	double now = ab_now_ms(), s = (now - p->t0) / 1000, rate;
	char eta[32] = "", fail[40] = "";

	if (!p->on || (!final && now - p->last < 250) || (final &&
	    !p->shown))
		return;
	p->last = now;
	p->shown = true;
	rate = done / fmax(s, 1e-3);
	if (p->total > done && done > 0) {
		double left = (p->total - done) / rate;

		if (left < 60)
			snprintf(eta, sizeof eta, "  ETA %.0fs", left);
		else if (left < 3600)
			snprintf(eta, sizeof eta, "  ETA %dm%02ds",
			    (int)left / 60, (int)left % 60);
		else
			snprintf(eta, sizeof eta, "  ETA %dh%02dm",
			    (int)left / 3600, (int)left % 3600 / 60);
	}
	if (failed >= 0)
		snprintf(fail, sizeof fail, "  %ld failed", failed);
	if (p->total >= 0)
		fprintf(stderr, "\r%s: %ld/%ld done  %.1f/s%s%s \033[K",
		    ab_progname(), done, p->total, rate, fail, eta);
	else
		fprintf(stderr, "\r%s: %ld done  %.1f/s%s \033[K",
		    ab_progname(), done, rate, fail);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}
