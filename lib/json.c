/* json.c - record members, stage bookkeeping, data files. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ab.h"

#ifndef AB_SHAREDIR
#define AB_SHAREDIR "/usr/local/share/ab"
#endif

const char *const ab_stages[] = { "gen", "extract", "exec", "score", NULL };

json_t *
ab_get(const json_t *root, const char *path)
{
	const char *dot;
	char key[256];
	size_t n;
	json_t *v = (json_t *)root;

	while (v != NULL && *path != '\0') {
		if (!json_is_object(v))
			return NULL;
		dot = strchr(path, '.');
		n = dot != NULL ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof key)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		v = json_object_get(v, key);
		path += n + (dot != NULL);
	}
	return v;
}

const char *
ab_get_str(const json_t *root, const char *path)
{
	return json_string_value(ab_get(root, path));
}

double
ab_get_num(const json_t *root, const char *path, double def)
{
	json_t *v = ab_get(root, path);

	return json_is_number(v) ? json_number_value(v) : def;
}

json_t *
ab_error_json(const char *kind, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return json_pack("{s:s, s:s}", "kind", kind, "message", msg);
}

json_t *
ab_error_json_from(const struct ab_error *err)
{
	return ab_error_json(err->kind[0] ? err->kind : "error", "%s",
	    err->msg);
}

static bool
member_failed(const json_t *m)
{
	json_t *e;

	if (!json_is_object(m))
		return false;
	if (json_object_get(m, "skipped") != NULL)
		return true;
	e = json_object_get(m, "error");
	return e != NULL && !json_is_null(e);
}

bool
ab_upstream_failed(const json_t *rec, const char *stage)
{
	int i;

	for (i = 0; ab_stages[i] != NULL; i++) {
		if (strcmp(ab_stages[i], stage) == 0)
			break;
		if (member_failed(json_object_get(rec, ab_stages[i])))
			return true;
	}
	return false;
}

json_t *
ab_skipped_json(void)
{
	return json_pack("{s:s}", "skipped", "upstream error");
}

void
ab_set_stage(json_t *rec, const char *stage, json_t *member)
{
	int i;

	json_object_set_new(rec, stage, member);
	/* A member of a later stage was computed from the one replaced:
	 * it goes, rather than sit beside a verdict it did not see. */
	for (i = 0; ab_stages[i] != NULL; i++)
		if (strcmp(ab_stages[i], stage) == 0)
			break;
	if (ab_stages[i] == NULL)
		return;
	for (i++; ab_stages[i] != NULL; i++)
		json_object_del(rec, ab_stages[i]);
}

char *
ab_canonical(const json_t *v)
{
	char *s = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT |
	    JSON_ENCODE_ANY);

	if (s == NULL)
		abort();
	return s;
}

bool
ab_is_secret_key(const char *name)
{
	static const char *const secret[] = { "api_key", "apikey", "key",
	    "token", "password", "secret", "authorization", "x-api-key",
	    "access_token", NULL };
	int i;

	for (i = 0; secret[i] != NULL; i++)
		if (strcasecmp(name, secret[i]) == 0)
			return true;
	return false;
}

json_t *
ab_strip_secrets(const json_t *v)
{
	const char *k;
	json_t *out, *m;
	size_t i;

	if (json_is_object(v)) {
		out = json_object();
		json_object_foreach((json_t *)v, k, m)
			if (!ab_is_secret_key(k))
				json_object_set_new(out, k,
				    ab_strip_secrets(m));
		return out;
	}
	if (json_is_array(v)) {
		out = json_array();
		json_array_foreach(v, i, m)
			json_array_append_new(out, ab_strip_secrets(m));
		return out;
	}
	return json_deep_copy(v);
}

/* Members of an agent that say how it is reached, paid for and waited
 * on, not what it is (ab-config(5), "The hash"). */
static const char *const operational[] = { "api_key_env",
	"api_key_header", "stream", "stream_usage", "retries", "backoff_s",
	"max_wait_s", "rpm", "tpm", "pricing", NULL };

static void
drop_operational(json_t *agent)
{
	const char *prov;
	int i;

	if (!json_is_object(agent))
		return;
	for (i = 0; operational[i] != NULL; i++)
		json_object_del(agent, operational[i]);
	/* A cmd program's timeout bounds the subject's own run; an API's
	 * bounds one HTTP attempt, which is retried. */
	prov = json_string_value(json_object_get(agent, "provider"));
	if (prov != NULL ? strcmp(prov, "cmd") != 0 :
	    json_object_get(agent, "command") == NULL)
		json_object_del(agent, "timeout_s");
}

json_t *
ab_config_identity(const json_t *config)
{
	json_t *c = ab_strip_secrets(config), *ai, *v;
	const char *k;
	size_t i;

	if (!json_is_object(c))
		return c;
	json_object_del(c, "name");
	json_object_del(c, "hash");
	json_object_del(c, "metadata");
	json_object_del(c, "description");
	drop_operational(c);
	if (json_is_object(ai = json_object_get(c, "ai_configuration"))) {
		drop_operational(ai);
		if (json_is_array(v = json_object_get(ai, "layer_agents")))
			for (i = 0; i < json_array_size(v); i++)
				drop_operational(json_array_get(v, i));
		if (json_is_object(v = json_object_get(ai,
		    "layer_agent_config"))) {
			json_t *m;

			json_object_foreach(v, k, m)
				drop_operational(m);
		}
	}
	return c;
}

static bool
is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *
ab_share_dir(void)
{
	static char *dir;
	char exe[PATH_MAX], *slash, *cand;
	const char *env;
	ssize_t n;

	if (dir != NULL)
		return dir;
	if ((env = getenv("AB_SHARE")) != NULL && *env != '\0')
		return dir = ab_xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			cand = ab_xasprintf("%s/../share/ab", exe);
			if (is_dir(cand))
				return dir = cand;
			free(cand);
		}
	}
	return dir = ab_xstrdup(AB_SHAREDIR);
}

char *
ab_share_path(const char *rel)
{
	return ab_xasprintf("%s/%s", ab_share_dir(), rel);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static long
hex4(const unsigned char *s)
{
	long v = 0;
	int i, h;

	for (i = 0; i < 4; i++) {
		if ((h = hexval(s[i])) < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

long
ab_json_unescape(const char *str, size_t n, char *out)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char *o = (unsigned char *)out;
	size_t i = 0, run, k;
	long cp, lo;

	while (i < n) {
		run = i;
		while (i < n && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '\\' &&
		    s[i] != '"')
			i++;
		memcpy(o, s + run, i - run);
		o += i - run;
		if (i >= n)
			break;
		if (s[i] >= 0x80) {
			if ((k = ab_utf8_len(str + i, n - i)) == 0)
				return -1;
			memcpy(o, s + i, k);
			o += k;
			i += k;
			continue;
		}
		if (s[i] != '\\' || ++i >= n)
			return -1;	/* a control character or a quote */
		switch (s[i]) {
		case '"': case '\\': case '/':
			*o++ = s[i++];
			continue;
		case 'b': *o++ = '\b'; i++; continue;
		case 'f': *o++ = '\f'; i++; continue;
		case 'n': *o++ = '\n'; i++; continue;
		case 'r': *o++ = '\r'; i++; continue;
		case 't': *o++ = '\t'; i++; continue;
		case 'u':
			break;
		default:
			return -1;
		}
		if (i + 5 > n || (cp = hex4(s + i + 1)) < 0)
			return -1;
		i += 5;
		if (cp == 0 || (cp >= 0xdc00 && cp <= 0xdfff))
			return -1;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (i + 6 > n || s[i] != '\\' || s[i + 1] != 'u' ||
			    (lo = hex4(s + i + 2)) < 0xdc00 || lo > 0xdfff)
				return -1;
			i += 6;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		}
		if (cp < 0x80) {
			*o++ = (unsigned char)cp;
		} else if (cp < 0x800) {
			*o++ = (unsigned char)(0xc0 | (cp >> 6));
			*o++ = (unsigned char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			*o++ = (unsigned char)(0xe0 | (cp >> 12));
			*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
			*o++ = (unsigned char)(0x80 | (cp & 0x3f));
		} else {
			*o++ = (unsigned char)(0xf0 | (cp >> 18));
			*o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
			*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
			*o++ = (unsigned char)(0x80 | (cp & 0x3f));
		}
	}
	return (long)(o - (unsigned char *)out);
}
