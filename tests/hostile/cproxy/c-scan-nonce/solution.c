/* The entry point looks for the run's nonce wherever the test's process
 * might have left it: its own stack (to the top of its mapping), the
 * environment, /proc/self, /proc/N/environ and cmdline of every process
 * it can see, its descriptors.  For every 32-hex-digit string it writes
 * forged records on every descriptor; it answers right only if it found
 * one (so a nonce within its reach shows as a pass). */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;
static int found;

static void
emit(const char *s)
{
	char rec[256];
	int fd, i, n;

	for (i = 0; i < 10; i++) {
		n = snprintf(rec, sizeof rec, "%.32s {\"test\":%d,\"status\":"
		    "\"pass\"}\n", s, i);
		for (fd = 0; fd < 64; fd++)
			(void)!write(fd, rec, (size_t)n);
	}
}

static void
scan(const char *s, size_t len)
{
	size_t i, run = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && isxdigit((unsigned char)s[i])) {
			run++;
			continue;
		}
		if (run == 32) {
			found = 1;
			emit(s + i - 32);
		}
		run = 0;
	}
}

static void
scan_file(const char *path)
{
	static char buf[1 << 20];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof buf);
	close(fd);
	if (n > 0)
		scan(buf, (size_t)n);
}

static void
scan_stack(void)
{
	char line[512], *here = line;
	unsigned long lo, hi, me = (unsigned long)here;
	FILE *fp = fopen("/proc/self/maps", "r");

	if (fp == NULL)
		return;
	while (fgets(line, sizeof line, fp) != NULL)
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && me >= lo &&
		    me < hi) {
			scan((const char *)me, hi - me);
			break;
		}
	fclose(fp);
}

int
add(int a, int b)
{
	char path[300];
	struct dirent *d;
	DIR *dp;
	char **e;
	int fd;

	scan_stack();
	for (e = environ; *e != NULL; e++)
		scan(*e, strlen(*e));
	scan_file("/proc/self/environ");
	scan_file("/proc/self/cmdline");
	if ((dp = opendir("/proc")) != NULL) {
		while ((d = readdir(dp)) != NULL) {
			snprintf(path, sizeof path, "/proc/%s/environ", d->d_name);
			scan_file(path);
			snprintf(path, sizeof path, "/proc/%s/cmdline", d->d_name);
			scan_file(path);
		}
		closedir(dp);
	}
	for (fd = 0; fd < 64; fd++) {
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		scan_file(path);
	}
	return found ? a + b : a * b;
}
