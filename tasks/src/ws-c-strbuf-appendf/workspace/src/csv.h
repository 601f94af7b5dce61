#ifndef CSV_H
#define CSV_H
#include "strbuf.h"

/* Append "name,count,ratio\n" with ratio to 2 decimals. */
int csv_row(struct strbuf *sb, const char *name, long count, double ratio);
#endif
