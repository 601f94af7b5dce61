/*
 * lang-table - prints lang.h's table, or the language of each name given,
 * for tests/t0006-lang.sh.  It includes extract.h and score.h and calls
 * both halves, so that it cannot build while the two disagree about the
 * languages (they once defined enum ab_lang and ab_lang_name each).
 *
 *   lang-table            one line per language: name ext tool aliases...
 *                         then "both: LANG LINES" for a zsh fence extracted
 *                         by lib/extract and analysed by lib/score
 *   lang-table NAME...    "NAME CANONICAL" each, "-" for unknown
 */
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "extract.h"
#include "lang.h"
#include "score.h"

static int
both(void)
{
	static const char answer[] = "Here:\n```zsh\necho hi\necho there\n```\n";
	struct ab_extract_opts o = { 0 };
	struct ab_extract x;
	struct ab_error e;
	struct ab_src s;

	memset(&x, 0, sizeof x);
	if (ab_extract(answer, strlen(answer), &o, &x, &e) < 0) {
		fprintf(stderr, "lang-table: ab_extract: %s\n", e.msg);
		return 1;
	}
	memset(&s, 0, sizeof s);
	ab_src_analyse(&s, ab_lang_from_name(x.language), x.code,
	    strlen(x.code));
	printf("both: %s %d\n", ab_lang_name(s.lang), s.lines);
	ab_src_release(&s);
	ab_extract_release(&x);
	return 0;
}

int
main(int argc, char *argv[])
{
	const char *const *a;
	const char *name;
	int l, i;

	if (argc > 1) {
		for (i = 1; i < argc; i++) {
			name = ab_lang_name(ab_lang_from_name(argv[i]));
			printf("%s %s\n", argv[i], name != NULL ? name : "-");
		}
		return ferror(stdout) ? 1 : 0;
	}
	for (l = AB_LANG_UNKNOWN; l < AB_LANG_COUNT; l++) {
		name = ab_lang_name((enum ab_lang)l);
		if (name == NULL)
			continue;
		printf("%s %s %s", name, ab_lang_ext((enum ab_lang)l),
		    ab_lang_tool((enum ab_lang)l));
		for (a = ab_lang_aliases((enum ab_lang)l); *a != NULL; a++)
			printf(" %s", *a);
		putchar('\n');
	}
	if (both() != 0)
		return 1;
	return ferror(stdout) ? 1 : 0;
}
