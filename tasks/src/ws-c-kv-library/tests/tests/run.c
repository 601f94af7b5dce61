#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "tap.h"

static int
pair(const char *line, const char *k, const char *v)
{
	char key[16], val[16];

	return kv_parse_line(line, key, sizeof key, val, sizeof val) == 1 &&
	    strcmp(key, k) == 0 && strcmp(val, v) == 0;
}

static int
rc(const char *line)
{
	char key[16], val[16];

	return kv_parse_line(line, key, sizeof key, val, sizeof val);
}

static int
kvget(const char *input, const char *key, const char *want, int want_rc)
{
	char cmd[256], out[256] = "";
	FILE *in = fopen("tests/in.txt", "w"), *p;
	int st;

	fputs(input, in);
	fclose(in);
	snprintf(cmd, sizeof cmd, "./kvget '%s' < tests/in.txt 2>/dev/null", key);
	p = popen(cmd, "r");
	if (fread(out, 1, sizeof out - 1, p) == 0)
		out[0] = '\0';
	st = pclose(p);
	return strcmp(out, want) == 0 && WEXITSTATUS(st) == want_rc;
}

int
main(void)
{
	CHECK("a pair", pair("name = ab\n", "name", "ab"));
	CHECK("blanks trimmed, inner kept", pair("  a b =  x  y \n", "a b", "x  y"));
	CHECK("value with =", pair("url=a=b", "url", "a=b"));
	CHECK("empty value", pair("k=\n", "k", ""));
	CHECK("comment and blank", rc("  # c\n") == 0 && rc("\n") == 0 && rc("") == 0);
	CHECK("bad lines", rc("novalue\n") == -1 && rc("=v\n") == -1 && rc(" = v") == -1);
	CHECK("too long", rc("0123456789abcdef=1") == -1 && rc("k=0123456789abcdef") == -1 &&
	    pair("0123456789abcde=1", "0123456789abcde", "1"));
	CHECK("kvget finds the last value", kvget("a=1\nb=2\na=3\n", "a", "1\n3\n", 0));
	CHECK("kvget missing key", kvget("a=1\n", "z", "", 1));
	CHECK("kvget goes on after a bad line", kvget("oops\nk = v\n", "k", "v\n", 0));
	return DONE();
}
