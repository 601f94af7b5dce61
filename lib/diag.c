/* diag.c - the diagnostic family: one line, one write, escaped. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ab.h"

static const char *progname = "ab";

void
ab_init(const char *argv0)
{
	const char *s;

	if (argv0 != NULL && *argv0 != '\0') {
		s = strrchr(argv0, '/');
		progname = s != NULL ? s + 1 : argv0;
	}
	signal(SIGPIPE, SIG_IGN);
}

const char *
ab_progname(void)
{
	return progname;
}

/* Format "prog: [file:line: ]msg[: strerror]\n" and write it at once. */
static void
vdiag(const char *file, long line, int errnum, const char *fmt, va_list ap)
{
	struct ab_buf b = AB_BUF_INIT, m = AB_BUF_INIT;
	char tmp[512];
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(tmp, sizeof tmp, fmt, aq);
	va_end(aq);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof tmp) {
		ab_buf_add(&m, tmp, (size_t)n);
	} else {
		char *big = ab_xmalloc((size_t)n + 1);

		vsnprintf(big, (size_t)n + 1, fmt, ap);
		ab_buf_add(&m, big, (size_t)n);
		free(big);
	}
	ab_buf_adds(&b, progname);
	ab_buf_adds(&b, ": ");
	if (file != NULL) {
		ab_buf_add_escaped(&b, file, strlen(file));
		ab_buf_addf(&b, ":%ld: ", line);
	}
	ab_buf_add_escaped(&b, m.s != NULL ? m.s : "", m.len);
	if (errnum != 0) {
		ab_buf_adds(&b, ": ");
		ab_buf_adds(&b, strerror(errnum));
	}
	ab_buf_addc(&b, '\n');
	fflush(stderr);
	if (write(STDERR_FILENO, b.s, b.len) < 0) {
		/* nowhere left to report it */
	}
	ab_buf_release(&b);
	ab_buf_release(&m);
}

void
ab_vwarnx(const char *fmt, va_list ap)
{
	vdiag(NULL, 0, 0, fmt, ap);
}

void
ab_warn(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vdiag(NULL, 0, e, fmt, ap);
	va_end(ap);
}

void
ab_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(NULL, 0, 0, fmt, ap);
	va_end(ap);
}

void
ab_warnx_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(file, line, 0, fmt, ap);
	va_end(ap);
}

void
ab_err(int status, const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vdiag(NULL, 0, e, fmt, ap);
	va_end(ap);
	ab_exit(status);
}

void
ab_errx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(NULL, 0, 0, fmt, ap);
	va_end(ap);
	ab_exit(status);
}

void
ab_print_version(void)
{
	printf("%s %s\n", progname, AB_VERSION);
}

void
ab_print_help(const char *text)
{
	printf("\n%s\nEvery option, the exit status and more examples: "
	    "man %s\n", text, progname);
}

int
ab_error_set(struct ab_error *err, const char *kind, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	snprintf(err->kind, sizeof err->kind, "%s", kind);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}
