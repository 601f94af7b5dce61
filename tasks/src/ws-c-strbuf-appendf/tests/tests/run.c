#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "strbuf.h"
#include "tap.h"

int
main(void)
{
	struct strbuf sb = { 0 };
	char big[5000];
	int rc;

	rc = sb_appendf(&sb, "%d-%s", 42, "x");
	CHECK("appendf into an empty buffer", rc == 0 && sb.s && strcmp(sb.s, "42-x") == 0 && sb.len == 4);
	sb_append(&sb, "|", 1);
	rc = sb_appendf(&sb, "%.3f", 1.5);
	CHECK("appendf appends", rc == 0 && strcmp(sb.s, "42-x|1.500") == 0 && sb.len == 10);
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	rc = sb_appendf(&sb, "[%s]", big);
	CHECK("appendf grows for long text", rc == 0 && sb.len == 10 + 5001 && sb.s[sb.len - 1] == ']' &&
	    sb.s[sb.len] == '\0' && sb.s[11] == 'a');
	sb_free(&sb);
	rc = sb_appendf(&sb, "%s", "");
	CHECK("appendf of nothing", rc == 0 && sb.len == 0 && (sb.s == NULL || sb.s[0] == '\0'));
	sb_free(&sb);
	sb_append(&sb, " \t hello world \r\n", 17);
	sb_trim(&sb);
	CHECK("trim", strcmp(sb.s, "hello world") == 0 && sb.len == 11);
	sb_free(&sb);
	sb_append(&sb, " \n\t ", 4);
	sb_trim(&sb);
	CHECK("trim of blanks only", strcmp(sb.s, "") == 0 && sb.len == 0);
	sb_free(&sb);
	sb_trim(&sb);
	CHECK("trim of an empty buffer", sb.len == 0);
	csv_row(&sb, "tea", 12, 0.125);
	csv_row(&sb, "jam", -3, 2.0 / 3);
	CHECK("csv rows", sb.s != NULL && (strcmp(sb.s, "tea,12,0.12\njam,-3,0.67\n") == 0 ||
	    strcmp(sb.s, "tea,12,0.13\njam,-3,0.67\n") == 0));
	sb_free(&sb);
	return DONE();
}
