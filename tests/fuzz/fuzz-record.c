/* fuzz-record.c - the NDJSON record reader on arbitrary bytes. */
#include <stdlib.h>

#include "ab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ab_reader r;
	struct ab_error err;
	json_t *rec;
	enum ab_read rc;
	FILE *saved = stdin;
	FILE *fp;

	if (size == 0)
		return 0;
	fp = fmemopen((void *)data, size, "r");
	if (fp == NULL)
		return 0;
	stdin = fp;
	/* A small maximum exercises the too-long path as well. */
	ab_reader_init(&r, NULL, 0, 256);
	while ((rc = ab_reader_next(&r, &rec, &err)) != AB_READ_EOF) {
		if (rc == AB_READ_RECORD)
			json_decref(rec);
		if (rc == AB_READ_IOERR)
			break;
	}
	ab_reader_release(&r);
	stdin = saved;
	fclose(fp);
	return 0;
}
