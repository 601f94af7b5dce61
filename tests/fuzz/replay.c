/*
 * replay.c - runs a fuzz target over files without libFuzzer: each
 * argument is a file or a directory of files, fed to
 * LLVMFuzzerTestOneInput one at a time.  Built into every fuzz-* target
 * unless FUZZ=1; tests/t0002-fuzz.sh replays each target's corpus.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
one(const char *path)
{
	struct ab_error err;
	size_t len;
	char *data = ab_read_file(path, &len, &err);

	if (data == NULL) {
		ab_warnx("%s", err.msg);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct dirent **ents;
	struct stat st;
	int i, j, n, status = 0, count = 0;
	char *p;

	ab_init(argv[0]);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			n = scandir(argv[i], &ents, NULL, alphasort);
			for (j = 0; j < n; j++) {
				if (ents[j]->d_name[0] != '.') {
					p = ab_xasprintf("%s/%s", argv[i],
					    ents[j]->d_name);
					status |= one(p);
					count++;
					free(p);
				}
				free(ents[j]);
			}
			if (n >= 0)
				free(ents);
		} else {
			status |= one(argv[i]);
			count++;
		}
	}
	printf("%d inputs\n", count);
	return status;
}
