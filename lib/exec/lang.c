/*
 * lang.c - language descriptors (share/ab/lang/NAME.json, ab-lang(5)),
 * parsed once into a struct ab_exec_lang, and the harness files they
 * name, read once per process.
 */
#include <stdlib.h>
#include <string.h>

#include "exec-int.h"
#include "lang.h"

/* The text of a share/ab/lang file, read once.  Borrowed from x. */
static const struct cached_file *
share_file(struct ab_exec *x, const char *rel, struct ab_error *err)
{
	struct cached_file *c;
	char *path, *r, *s;
	size_t len;

	if (strstr(rel, "..") != NULL || rel[0] == '/' || rel[0] == '\0') {
		ab_error_set(err, "language", "bad harness path %s", rel);
		return NULL;
	}
	for (c = x->files; c != NULL; c = c->next)
		if (strcmp(c->rel, rel) == 0)
			return c;
	r = ab_xasprintf("lang/%s", rel);
	path = ab_share_path(r);
	free(r);
	s = ab_read_file(path, &len, err);
	free(path);
	if (s == NULL)
		return NULL;
	c = ab_xcalloc(1, sizeof *c);
	c->rel = ab_xstrdup(rel);
	c->text = s;
	c->len = len;
	c->next = x->files;
	x->files = c;
	return c;
}

/* A command: a non-empty array of strings.  New, NULL-terminated. */
static int
get_argv(const json_t *style, const char *sname, const char *key,
    bool need, char ***out, struct ab_error *err)
{
	const json_t *a = json_object_get(style, key);
	size_t i, n = json_array_size(a);

	*out = NULL;
	if (a == NULL || (json_is_null(a) && !need)) {
		if (need)
			return ab_error_set(err, "language", "\"%s\" has no "
			    "\"%s\"", sname, key);
		return 0;
	}
	if (!json_is_array(a) || n == 0)
		return ab_error_set(err, "language", "\"%s\".\"%s\" must be a "
		    "non-empty array of strings", sname, key);
	for (i = 0; i < n; i++)
		if (!json_is_string(json_array_get(a, i)))
			return ab_error_set(err, "language", "\"%s\".\"%s\" "
			    "must be a non-empty array of strings", sname, key);
	*out = ab_xcalloc(n + 1, sizeof **out);
	for (i = 0; i < n; i++)
		(*out)[i] = ab_xstrdup(json_string_value(json_array_get(a, i)));
	return 0;
}

/* {"file": NAME, "text": PATH}: a file made from a share file. */
static int
get_filled(struct ab_exec *x, const json_t *style, const char *sname,
    const char *key, struct ab_exec_file *f, struct ab_error *err)
{
	const json_t *o = json_object_get(style, key);
	const char *file = ab_get_str(o, "file"), *text = ab_get_str(o, "text");
	const struct cached_file *c;

	if (o == NULL)
		return 0;
	if (!json_is_object(o) || file == NULL || text == NULL ||
	    json_object_size(o) != 2)
		return ab_error_set(err, "language", "\"%s\".\"%s\" must be "
		    "{\"file\": name, \"text\": path}", sname, key);
	if ((c = share_file(x, text, err)) == NULL)
		return -1;
	f->name = ab_xstrdup(file);
	f->path = ab_xstrdup(text);
	f->text = c->text;
	f->len = c->len;
	return 0;
}

/* "pch": {"file", "headers", "allow", "compile", "compile_checker"}
 * (a proxy style's precompiled headers, ab-lang(5)). */
static int
get_pch(const json_t *style, const char *sname, struct ab_exec_style *s,
    struct ab_error *err)
{
	static const char *const known[] = { "file", "headers", "allow",
	    "compile", "compile_checker", NULL };
	const json_t *o = json_object_get(style, "pch"), *val;
	const char *key, *file = ab_get_str(o, "file");
	struct ab_exec_pch *p;
	size_t i, k;

	if (o == NULL)
		return 0;
	if (!json_is_object(o) || file == NULL || !ab_ex_pch_name_ok(file) ||
	    strchr(file, '/') != NULL)
		return ab_error_set(err, "language", "\"%s\".\"pch\" must be "
		    "an object with a \"file\" name", sname);
	json_object_foreach((json_t *)o, key, val) {
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(key, known[i]) == 0)
				break;
		if (known[i] == NULL)
			return ab_error_set(err, "language", "\"%s\".\"pch\": "
			    "unknown member \"%.60s\"", sname, key);
	}
	p = s->pch = ab_xcalloc(1, sizeof *p);
	p->file = ab_xstrdup(file);
	if (get_argv(o, "pch", "headers", true, &p->headers, err) < 0 ||
	    get_argv(o, "pch", "allow", true, &p->allow, err) < 0 ||
	    get_argv(o, "pch", "compile", false, &p->compile, err) < 0 ||
	    get_argv(o, "pch", "compile_checker", false, &p->compile_checker,
	    err) < 0)
		return -1;
	for (k = 0; k < 2; k++) {
		char **v = k == 0 ? p->headers : p->allow;

		for (i = 0; v[i] != NULL; i++)
			if (!ab_ex_pch_name_ok(v[i]))
				return ab_error_set(err, "language",
				    "\"%s\".\"pch\": bad header name %.60s",
				    sname, v[i]);
	}
	return 0;
}

static int
get_style(struct ab_exec *x, const json_t *d, const char *sname,
    struct ab_exec_style *s, struct ab_error *err)
{
	static const char *const known[] = { "mode", "files", "template",
	    "test", "compile", "run", "peer", "zygote", "proxy", "server",
	    "compile_alone", "compile_checker", "pch", "checker", NULL };
	const json_t *o = json_object_get(d, sname), *fm, *zy, *val;
	const char *key, *mode, *proxy;
	size_t i;

	if (o == NULL)
		return 0;
	if (!json_is_object(o))
		return ab_error_set(err, "language", "\"%s\" must be an object",
		    sname);
	json_object_foreach((json_t *)o, key, val) {
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(key, known[i]) == 0)
				break;
		if (known[i] == NULL)
			return ab_error_set(err, "language", "\"%s\": unknown "
			    "member \"%.60s\"", sname, key);
	}
	s->present = true;
	mode = ab_get_str(o, "mode");
	if (json_object_get(o, "mode") != NULL && (mode == NULL ||
	    (strcmp(mode, "batch") != 0 && strcmp(mode, "each") != 0)))
		return ab_error_set(err, "language", "\"%s\".\"mode\" must be "
		    "\"batch\" or \"each\"", sname);
	s->batch = mode != NULL && strcmp(mode, "batch") == 0;
	fm = json_object_get(o, "files");
	if (fm != NULL && !json_is_object(fm))
		return ab_error_set(err, "language", "\"%s\".\"files\" must be "
		    "an object", sname);
	json_object_foreach((json_t *)fm, key, val) {
		struct ab_exec_file *f = &s->files[s->nfiles];
		const struct cached_file *c;

		if (s->nfiles >= AB_EXEC_MAX_FILES || !json_is_string(val))
			return ab_error_set(err, "language", "\"%s\".\"files\" "
			    "must map at most %d names to paths", sname,
			    AB_EXEC_MAX_FILES);
		if ((c = share_file(x, json_string_value(val), err)) == NULL)
			return -1;
		f->name = ab_xstrdup(key);
		f->path = ab_xstrdup(json_string_value(val));
		f->text = c->text;
		f->len = c->len;
		s->nfiles++;
	}
	if (get_filled(x, o, sname, "template", &s->tpl, err) < 0)
		return -1;
	if (json_object_get(o, "test") != NULL) {
		if (ab_get_str(o, "test") == NULL)
			return ab_error_set(err, "language", "\"%s\".\"test\" "
			    "must be a string", sname);
		s->test = ab_xstrdup(ab_get_str(o, "test"));
	}
	if ((s->tpl.name != NULL) != (s->test != NULL))
		return ab_error_set(err, "language", "\"%s\": \"template\" "
		    "and \"test\" go together", sname);
	if (get_argv(o, sname, "compile", false, &s->compile, err) < 0 ||
	    get_argv(o, sname, "run", true, &s->run, err) < 0 ||
	    get_argv(o, sname, "peer", false, &s->peer, err) < 0)
		return -1;
	if ((zy = json_object_get(o, "zygote")) != NULL) {
		if (!json_is_object(zy) || json_object_size(zy) != 2)
			return ab_error_set(err, "language", "\"%s\".\"zygote\" "
			    "must be {\"run\": command, \"peer\": command}",
			    sname);
		if (get_argv(zy, "zygote", "run", true, &s->zygote_run,
		    err) < 0 || get_argv(zy, "zygote", "peer", true,
		    &s->zygote_peer, err) < 0)
			return -1;
	}
	if (json_object_get(o, "proxy") == NULL) {
		if (json_object_get(o, "server") != NULL ||
		    json_object_get(o, "compile_alone") != NULL ||
		    json_object_get(o, "compile_checker") != NULL ||
		    json_object_get(o, "checker") != NULL)
			return ab_error_set(err, "language", "\"%s\": "
			    "\"server\", \"compile_alone\", "
			    "\"compile_checker\" and \"checker\" belong to "
			    "a proxy style", sname);
		return 0;
	}
	proxy = ab_get_str(o, "proxy");
	if (proxy != NULL && strcmp(proxy, "c") == 0)
		s->proxy_lang = AB_CP_C;
	else if (proxy != NULL && strcmp(proxy, "cpp") == 0)
		s->proxy_lang = AB_CP_CXX;
	else
		return ab_error_set(err, "language", "\"%s\".\"proxy\" must be "
		    "\"c\" or \"cpp\"", sname);
	s->proxy = true;
	/* "compile" was read above (optional there); a proxy needs it. */
	if (s->compile == NULL)
		return ab_error_set(err, "language", "\"%s\": a proxy style "
		    "needs \"compile\"", sname);
	if (get_filled(x, o, sname, "server", &s->server, err) < 0 ||
	    get_argv(o, sname, "compile_alone", true, &s->compile_alone,
	    err) < 0 || get_argv(o, sname, "compile_checker", true,
	    &s->compile_checker, err) < 0)
		return -1;
	if (s->server.name == NULL || s->tpl.name == NULL ||
	    s->nfiles + 1 > AB_EXEC_MAX_FILES)
		return ab_error_set(err, "language", "\"%s\": a proxy style "
		    "needs \"server\", \"template\" and \"test\"", sname);
	if (json_object_get(o, "checker") != NULL) {
		const char *kf = ab_get_str(o, "checker");

		if (kf == NULL || !ab_ex_pch_name_ok(kf) || strchr(kf, '/'))
			return ab_error_set(err, "language", "\"%s\".\"checker\" "
			    "must be a plain file name", sname);
		s->checker = ab_xstrdup(kf);
	}
	return get_pch(o, sname, s, err);
}

static void
free_file(struct ab_exec_file *f)
{
	free(f->name);
	free(f->path);
}

static void
free_style(struct ab_exec_style *s)
{
	size_t i;

	for (i = 0; i < s->nfiles; i++)
		free_file(&s->files[i]);
	free_file(&s->tpl);
	free_file(&s->server);
	free(s->test);
	ab_ex_free_argv(s->compile);
	ab_ex_free_argv(s->run);
	ab_ex_free_argv(s->peer);
	ab_ex_free_argv(s->zygote_run);
	ab_ex_free_argv(s->zygote_peer);
	ab_ex_free_argv(s->compile_alone);
	ab_ex_free_argv(s->compile_checker);
	free(s->checker);
	if (s->pch != NULL) {
		free(s->pch->file);
		ab_ex_free_argv(s->pch->headers);
		ab_ex_free_argv(s->pch->allow);
		ab_ex_free_argv(s->pch->compile);
		ab_ex_free_argv(s->pch->compile_checker);
		free(s->pch);
	}
}

static void
free_lang(struct ab_exec_lang *l)
{
	if (l == NULL)
		return;
	free(l->name);
	free(l->language);
	free(l->source);
	free_style(&l->io);
	free_style(&l->assert_);
	free_style(&l->call);
	free(l);
}

static long
get_limit(const json_t *cl, const char *key, long def, struct ab_error *err)
{
	const json_t *v = json_object_get(cl, key);

	if (v == NULL)
		return def;
	if (!json_is_number(v) || json_number_value(v) < 1 ||
	    json_number_value(v) > 3600000) {
		ab_error_set(err, "language", "\"compile_limits\".\"%s\" must "
		    "be a positive number", key);
		return -1;
	}
	return (long)json_number_value(v);
}

/* Parse descriptor d of language name.  New, or NULL with err. */
static struct ab_exec_lang *
parse(struct ab_exec *x, const char *name, const json_t *d,
    struct ab_error *err)
{
	static const char *const known[] = { "language", "source", "numbers",
	    "compile_limits", "io", "assert", "call", NULL };
	struct ab_exec_lang *l = ab_xcalloc(1, sizeof *l);
	const json_t *cl = json_object_get(d, "compile_limits"), *val;
	const char *key, *s;
	size_t i;

	l->name = ab_xstrdup(name);
	json_object_foreach((json_t *)d, key, val) {
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(key, known[i]) == 0)
				break;
		if (known[i] == NULL) {
			ab_error_set(err, "language", "unknown member \"%.60s\"",
			    key);
			goto bad;
		}
	}
	s = ab_get_str(d, "language");
	if (json_object_get(d, "language") != NULL && s == NULL) {
		ab_error_set(err, "language", "\"language\" must be a string");
		goto bad;
	}
	l->language = ab_xstrdup(s != NULL ? s : name);
	if ((s = ab_get_str(d, "source")) == NULL || *s == '\0' ||
	    strchr(s, '/') != NULL) {
		ab_error_set(err, "language", "\"source\" must be a file name");
		goto bad;
	}
	l->source = ab_xstrdup(s);
	s = ab_get_str(d, "numbers");
	if (json_object_get(d, "numbers") != NULL && (s == NULL ||
	    (strcmp(s, "loose") != 0 && strcmp(s, "strict") != 0))) {
		ab_error_set(err, "language", "\"numbers\" must be \"loose\" "
		    "or \"strict\"");
		goto bad;
	}
	l->loose_numbers = s != NULL && strcmp(s, "loose") == 0;
	if (cl != NULL && !json_is_object(cl)) {
		ab_error_set(err, "language", "\"compile_limits\" must be an "
		    "object");
		goto bad;
	}
	if ((l->compile_cpu_ms = get_limit(cl, "cpu_ms", 20000, err)) < 0 ||
	    (l->compile_wall_ms = get_limit(cl, "wall_ms", 40000, err)) < 0 ||
	    (l->compile_memory_mb = get_limit(cl, "memory_mb", 1024,
	    err)) < 0)
		goto bad;
	if (get_style(x, d, "io", &l->io, err) < 0 ||
	    get_style(x, d, "assert", &l->assert_, err) < 0 ||
	    get_style(x, d, "call", &l->call, err) < 0)
		goto bad;
	return l;
bad:
	free_lang(l);
	return NULL;
}

const struct ab_exec_lang *
ab_exec_lang_get(struct ab_exec *x, const char *name, struct ab_error *err)
{
	struct lang_slot *ls;
	struct ab_error e;
	json_error_t je;
	char *rel, *path;
	json_t *d;
	const char *p;
	enum ab_lang known = ab_lang_from_name(name);

	if (known != AB_LANG_UNKNOWN)	/* an alias names its descriptor */
		name = ab_lang_name(known);
	for (ls = x->langs; ls != NULL; ls = ls->next)
		if (strcmp(ls->name, name) == 0)
			break;
	if (ls == NULL) {
		for (p = name; *p != '\0'; p++)
			if (!((*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || *p == '-' ||
			    *p == '_' || *p == '+'))
				break;
		if (*name == '\0' || *p != '\0') {
			ab_error_set(err, "language", "unknown language "
			    "\"%.60s\"", name);
			return NULL;
		}
		ls = ab_xcalloc(1, sizeof *ls);
		ls->name = ab_xstrdup(name);
		ls->next = x->langs;
		x->langs = ls;
		rel = ab_xasprintf("lang/%s.json", name);
		path = ab_share_path(rel);
		free(rel);
		d = json_load_file(path, 0, &je);
		if (d == NULL || !json_is_object(d))
			ab_error_set(&ls->err, "language", "no usable "
			    "descriptor for language %s: %s: %s", name, path,
			    d == NULL ? je.text : "not an object");
		else if ((ls->l = parse(x, name, d, &e)) == NULL) {
			ab_error_set(&ls->err, "language", "no usable "
			    "descriptor for language %s: %s: %s", name, path,
			    e.msg);
			/* Not the task's fault: the installation's. */
			ab_ex_warn(x, "%s", ls->err.msg);
		}
		json_decref(d);
		free(path);
	}
	if (ls->l == NULL && err != NULL)
		*err = ls->err;
	return ls->l;
}

void
ab_ex_free_langs(struct ab_exec *x)
{
	struct lang_slot *ls;
	struct cached_file *c;

	while ((ls = x->langs) != NULL) {
		x->langs = ls->next;
		free_lang(ls->l);
		free(ls->name);
		free(ls);
	}
	while ((c = x->files) != NULL) {
		x->files = c->next;
		free(c->rel);
		free(c->text);
		free(c);
	}
}
