/* lang.c - the one table of languages (see lang.h). */
#include <string.h>
#include <strings.h>

#include "lang.h"
#include "ab.h"

static const struct {
	const char *name, *ext, *tool;
	const char *aliases[8];	/* NULL-terminated */
} langs[AB_LANG_COUNT] = {
	[AB_LANG_UNKNOWN] = { NULL, NULL, NULL, { NULL } },
	[AB_LANG_PYTHON] = { "python", "py", "python3",
	    { "py", "python3", "py3", NULL } },
	[AB_LANG_JAVASCRIPT] = { "javascript", "js", "node",
	    { "js", "node", "nodejs", "mjs", "cjs", NULL } },
	[AB_LANG_C] = { "c", "c", "cc", { "h", NULL } },
	[AB_LANG_CPP] = { "cpp", "cpp", "c++",
	    { "c++", "cc", "cxx", "hpp", "hh", "hxx", NULL } },
	[AB_LANG_BASH] = { "bash", "sh", "bash",
	    { "sh", "shell", "zsh", "ksh", NULL } },
};

static bool
valid(enum ab_lang lang)
{
	return lang > AB_LANG_UNKNOWN && lang < AB_LANG_COUNT;
}

const char *
ab_lang_name(enum ab_lang lang)
{
	return valid(lang) ? langs[lang].name : NULL;
}

const char *
ab_lang_ext(enum ab_lang lang)
{
	return valid(lang) ? langs[lang].ext : NULL;
}

const char *
ab_lang_tool(enum ab_lang lang)
{
	return valid(lang) ? langs[lang].tool : NULL;
}

const char *const *
ab_lang_aliases(enum ab_lang lang)
{
	return langs[valid(lang) ? lang : AB_LANG_UNKNOWN].aliases;
}

static bool
same(const char *word, const char *s, size_t n)
{
	return strlen(word) == n && strncasecmp(word, s, n) == 0;
}

enum ab_lang
ab_lang_from(const char *s, size_t n)
{
	int l, i;

	for (l = AB_LANG_UNKNOWN + 1; l < AB_LANG_COUNT; l++) {
		if (same(langs[l].name, s, n))
			return (enum ab_lang)l;
		for (i = 0; langs[l].aliases[i] != NULL; i++)
			if (same(langs[l].aliases[i], s, n))
				return (enum ab_lang)l;
	}
	return AB_LANG_UNKNOWN;
}

enum ab_lang
ab_lang_from_name(const char *name)
{
	return name != NULL ? ab_lang_from(name, strlen(name)) :
	    AB_LANG_UNKNOWN;
}
