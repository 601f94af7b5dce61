/* interrupt.c - SIGINT, SIGTERM and SIGHUP in a stage: stop reading, write
 * what is done, say how much. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "ab.h"

static volatile sig_atomic_t got;	/* the signal, 0 before one */
static int wake[2] = { -1, -1 };	/* written once by the handler */
static const char *in_hand;		/* said at once, borrowed */
static pid_t owner;			/* the process that caught them */
static int caught;			/* bit i: sigs[i] is caught */

static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

static void
on_signal(int sig)
{
	int e = errno;
	size_t i;

	/* A child forked without exec (ab-exec's workers) inherits the
	 * handler: it is the program's, not theirs. */
	if (getpid() != owner)
		return;
	if (got == 0) {
		got = sig;
		/* The next one of them ends the program at once. */
		for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
			if (caught & 1 << i)
				signal(sigs[i], SIG_DFL);
		if (wake[1] >= 0 && write(wake[1], "x", 1) < 0) {
			/* the flag alone still stops the record loop */
		}
		if (in_hand != NULL) {
			const char *p = ab_progname();

			if (write(STDERR_FILENO, p, strlen(p)) < 0 ||
			    write(STDERR_FILENO, ": interrupted: ", 15) < 0 ||
			    write(STDERR_FILENO, in_hand, strlen(in_hand)) < 0 ||
			    write(STDERR_FILENO, "\n", 1) < 0) {
				/* nowhere left to say it */
			}
		}
	}
	errno = e;
}

void
ab_interrupt_catch(const char *say)
{
	struct sigaction sa;
	size_t i;

	in_hand = say;
	owner = getpid();
	if (wake[0] < 0 && pipe2(wake, O_CLOEXEC | O_NONBLOCK) < 0)
		wake[0] = wake[1] = -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction old;

		/* One ignored on entry stays ignored: nohup(1), or a
		 * background job of a script, which the terminal's Ctrl-C
		 * must not stop. */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
		caught |= 1 << i;
	}
}

int
ab_interrupted(void)
{
	return got;
}

int
ab_interrupt_fd(void)
{
	return wake[0];
}

void
ab_interrupt_hold(bool hold)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(&set, sigs[i]);
	pthread_sigmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

int
ab_interrupt_status(int status, long written, long dropped)
{
	const char *name;

	if (got == 0)
		return status;
	name = got == SIGINT ? "SIGINT" : got == SIGTERM ? "SIGTERM" :
	    "SIGHUP";
	if (written < 0)
		written = ab_emitted();
	if (dropped > 0)
		ab_warnx("interrupted by %s: %ld record%s written, %ld in "
		    "hand dropped, the rest of the input not read", name,
		    written, written == 1 ? "" : "s", dropped);
	else
		ab_warnx("interrupted by %s: %ld record%s written, the rest "
		    "of the input not read", name, written,
		    written == 1 ? "" : "s");
	return AB_EXIT_FATAL;
}
