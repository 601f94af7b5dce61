/* format.c - write a report's tables as text, NDJSON, CSV, Markdown or
 * JUnit XML. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* A number with 15 significant digits (what a double holds reliably, so
 * rounding noise in the last bits never shows); integers without a
 * fraction. */
static void
num_json(struct ab_buf *b, double d)
{
	if (d == floor(d) && fabs(d) < 1e15)
		ab_buf_addf(b, "%.0f", d);
	else
		ab_buf_addf(b, "%.15g", d);
}

static void
str_json(struct ab_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	ab_buf_addc(b, '"');
	for (; *p != '\0'; p++) {
		switch (*p) {
		case '"': ab_buf_adds(b, "\\\""); break;
		case '\\': ab_buf_adds(b, "\\\\"); break;
		case '\n': ab_buf_adds(b, "\\n"); break;
		case '\r': ab_buf_adds(b, "\\r"); break;
		case '\t': ab_buf_adds(b, "\\t"); break;
		default:
			if (*p < 0x20)
				ab_buf_addf(b, "\\u%04x", *p);
			else
				ab_buf_addc(b, (char)*p);
		}
	}
	ab_buf_addc(b, '"');
}

/* A cell as display text (new string). */
static char *
cell_text(const struct rk_col *c, const struct rk_val *v, const char *null)
{
	if (v->null)
		return ab_xstrdup(null);
	switch (c->type) {
	case RK_STR:
		return ab_xstrdup(v->s);
	case RK_INT:
		return ab_xasprintf("%.0f", v->d);
	case RK_BOOL:
		return ab_xstrdup(v->d != 0 ? "yes" : "no");
	default:
		return ab_xasprintf("%.*f", c->prec, v->d);
	}
}

static bool
shown(const struct rk_col *c, bool wide)
{
	return wide || !c->wide;
}

/* Display width: UTF-8 code points. */
static size_t
width(const char *s)
{
	size_t w = 0;

	for (; *s != '\0'; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void
write_text(struct ab_buf *b, const struct rk_table *t, bool wide)
{
	size_t *w = ab_xcalloc((size_t)t->ncol, sizeof *w), r, n;
	char *s;
	int c;
	bool first;

	for (c = 0; c < t->ncol; c++)
		w[c] = width(t->cols[c].head);
	for (r = 0; r < t->nrow; r++)
		for (c = 0; c < t->ncol; c++) {
			s = cell_text(&t->cols[c], &t->vals[r * (size_t)t->ncol
			    + (size_t)c], "-");
			if ((n = width(s)) > w[c])
				w[c] = n;
			free(s);
		}
	ab_buf_addf(b, "%s\n", t->title);
	for (r = 0; r <= t->nrow; r++) {
		first = true;
		for (c = 0; c < t->ncol; c++) {
			const struct rk_col *col = &t->cols[c];
			size_t pad;

			if (!shown(col, wide))
				continue;
			s = r == 0 ? ab_xstrdup(col->head) : cell_text(col,
			    &t->vals[(r - 1) * (size_t)t->ncol + (size_t)c],
			    "-");
			pad = w[c] - width(s);
			if (!first)
				ab_buf_adds(b, "  ");
			if (col->type != RK_STR)
				while (pad-- > 0)
					ab_buf_addc(b, ' ');
			ab_buf_adds(b, s);
			if (col->type == RK_STR && c < t->ncol - 1)
				while (pad-- > 0)
					ab_buf_addc(b, ' ');
			free(s);
			first = false;
		}
		/* No trailing blanks. */
		while (b->len > 0 && b->s[b->len - 1] == ' ')
			b->s[--b->len] = '\0';
		ab_buf_addc(b, '\n');
	}
	if (t->nrow == 0)
		ab_buf_adds(b, "(no rows)\n");
	free(w);
}

static void
write_ndjson(struct ab_buf *b, const struct rk_table *t)
{
	const struct rk_val *v;
	size_t r;
	int c;

	for (r = 0; r < t->nrow; r++) {
		ab_buf_adds(b, "{\"view\":");
		str_json(b, t->name);
		for (c = 0; c < t->ncol; c++) {
			v = &t->vals[r * (size_t)t->ncol + (size_t)c];
			ab_buf_addc(b, ',');
			str_json(b, t->cols[c].key);
			ab_buf_addc(b, ':');
			if (v->null)
				ab_buf_adds(b, "null");
			else if (t->cols[c].type == RK_STR)
				str_json(b, v->s);
			else if (t->cols[c].type == RK_BOOL)
				ab_buf_adds(b, v->d != 0 ? "true" : "false");
			else
				num_json(b, v->d);
		}
		ab_buf_adds(b, "}\n");
	}
}

static void
csv_field(struct ab_buf *b, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		ab_buf_adds(b, s);
		return;
	}
	ab_buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			ab_buf_addc(b, '"');
		ab_buf_addc(b, *s);
	}
	ab_buf_addc(b, '"');
}

static void
write_csv(struct ab_buf *b, const struct rk_table *t)
{
	const struct rk_val *v;
	struct ab_buf nb = AB_BUF_INIT;
	size_t r;
	int c;

	for (c = 0; c < t->ncol; c++) {
		if (c)
			ab_buf_addc(b, ',');
		csv_field(b, t->cols[c].key);
	}
	ab_buf_adds(b, "\r\n");
	for (r = 0; r < t->nrow; r++) {
		for (c = 0; c < t->ncol; c++) {
			v = &t->vals[r * (size_t)t->ncol + (size_t)c];
			if (c)
				ab_buf_addc(b, ',');
			if (v->null)
				continue;
			if (t->cols[c].type == RK_STR) {
				csv_field(b, v->s);
			} else if (t->cols[c].type == RK_BOOL) {
				ab_buf_adds(b, v->d != 0 ? "true" : "false");
			} else {
				ab_buf_reset(&nb);
				num_json(&nb, v->d);
				ab_buf_adds(b, nb.s);
			}
		}
		ab_buf_adds(b, "\r\n");
	}
	ab_buf_release(&nb);
}

static void
md_text(struct ab_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			ab_buf_adds(b, "\\|");
		else if (*s == '\n' || *s == '\r')
			ab_buf_addc(b, ' ');
		else
			ab_buf_addc(b, *s);
	}
}

static void
write_md(struct ab_buf *b, const struct rk_table *t, bool wide)
{
	size_t r;
	int c;
	char *s;

	ab_buf_addf(b, "### %s\n\n|", t->title);
	for (c = 0; c < t->ncol; c++) {
		if (!shown(&t->cols[c], wide))
			continue;
		ab_buf_addc(b, ' ');
		md_text(b, t->cols[c].head);
		ab_buf_adds(b, " |");
	}
	ab_buf_adds(b, "\n|");
	for (c = 0; c < t->ncol; c++)
		if (shown(&t->cols[c], wide))
			ab_buf_adds(b, t->cols[c].type == RK_STR ? " --- |" :
			    " ---: |");
	ab_buf_addc(b, '\n');
	for (r = 0; r < t->nrow; r++) {
		ab_buf_addc(b, '|');
		for (c = 0; c < t->ncol; c++) {
			if (!shown(&t->cols[c], wide))
				continue;
			s = cell_text(&t->cols[c], &t->vals[r *
			    (size_t)t->ncol + (size_t)c], "");
			ab_buf_addc(b, ' ');
			md_text(b, s);
			ab_buf_adds(b, " |");
			free(s);
		}
		ab_buf_addc(b, '\n');
	}
}

static void
xml_text(struct ab_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<': ab_buf_adds(b, "&lt;"); break;
		case '>': ab_buf_adds(b, "&gt;"); break;
		case '&': ab_buf_adds(b, "&amp;"); break;
		case '"': ab_buf_adds(b, "&quot;"); break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\n' &&
			    *s != '\t')
				ab_buf_addc(b, ' ');
			else
				ab_buf_addc(b, *s);
		}
	}
}

/* Why a row is a failed test case, or NULL when it passes. */
static char *
junit_failure(const struct rk_table *t, size_t r)
{
	const struct rk_val *row = &t->vals[r * (size_t)t->ncol];
	int c;

	if (strcmp(t->name, "health") == 0) {
		c = rk_table_col(t, "health");
		if (c >= 0 && !row[c].null && strcmp(row[c].s, "healthy") != 0)
			return ab_xasprintf("health: %s", row[c].s);
	} else if (strcmp(t->name, "regress") == 0 ||
	    strcmp(t->name, "regress_tasks") == 0) {
		c = rk_table_col(t, "severity");
		if (c >= 0 && !row[c].null && strcmp(row[c].s, "none") != 0)
			return ab_xasprintf("significant regression, "
			    "severity %s", row[c].s);
	} else if (strcmp(t->name, "trends") == 0) {
		c = rk_table_col(t, "regression");
		if (c >= 0 && !row[c].null && row[c].d != 0)
			return ab_xstrdup("significant drop in pass rate "
			    "from the previous run");
	}
	return NULL;
}

static void
write_junit(struct ab_buf *b, const struct rk_report *rep)
{
	size_t i, r, fails;
	int c;
	char *f, *s;

	ab_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"ab-rank\">\n");
	for (i = 0; i < rep->n; i++) {
		const struct rk_table *t = &rep->t[i];

		fails = 0;
		for (r = 0; r < t->nrow; r++)
			if ((f = junit_failure(t, r)) != NULL) {
				fails++;
				free(f);
			}
		ab_buf_adds(b, "  <testsuite name=\"");
		xml_text(b, t->title);
		ab_buf_addf(b, "\" tests=\"%zu\" failures=\"%zu\" "
		    "errors=\"0\">\n", t->nrow, fails);
		for (r = 0; r < t->nrow; r++) {
			ab_buf_adds(b, "    <testcase classname=\"");
			xml_text(b, t->name);
			ab_buf_adds(b, "\" name=\"");
			/* The row's identity: its leading text cells. */
			for (c = 0; c < t->ncol && c < 3; c++) {
				const struct rk_val *v = &t->vals[r *
				    (size_t)t->ncol + (size_t)c];

				s = cell_text(&t->cols[c], v, "-");
				if (c)
					ab_buf_adds(b, " / ");
				xml_text(b, s);
				free(s);
			}
			ab_buf_adds(b, "\">");
			if ((f = junit_failure(t, r)) != NULL) {
				ab_buf_adds(b, "<failure message=\"");
				xml_text(b, f);
				ab_buf_adds(b, "\"/>");
				free(f);
			}
			ab_buf_adds(b, "<system-out>");
			for (c = 0; c < t->ncol; c++) {
				s = cell_text(&t->cols[c], &t->vals[r *
				    (size_t)t->ncol + (size_t)c], "");
				ab_buf_addf(b, "%s%s=", c ? " " : "",
				    t->cols[c].key);
				xml_text(b, s);
				free(s);
			}
			ab_buf_adds(b, "</system-out></testcase>\n");
		}
		ab_buf_adds(b, "  </testsuite>\n");
	}
	ab_buf_adds(b, "</testsuites>\n");
}

int
rk_write(FILE *fp, enum rk_format f, const struct rk_report *r, bool wide)
{
	struct ab_buf b = AB_BUF_INIT;
	size_t i;
	int rc = 0;

	if (f == RK_FMT_JUNIT) {
		write_junit(&b, r);
	} else {
		for (i = 0; i < r->n; i++) {
			if (i > 0 && f != RK_FMT_NDJSON)
				ab_buf_adds(&b, f == RK_FMT_CSV ? "\r\n" :
				    "\n");
			switch (f) {
			case RK_FMT_TABLE:
				write_text(&b, &r->t[i], wide);
				break;
			case RK_FMT_NDJSON:
				write_ndjson(&b, &r->t[i]);
				break;
			case RK_FMT_CSV:
				write_csv(&b, &r->t[i]);
				break;
			case RK_FMT_MD:
				write_md(&b, &r->t[i], wide);
				break;
			default:
				break;
			}
			/* Write in pieces so memory stays small. */
			if (b.len > 0 && fwrite(b.s, 1, b.len, fp) != b.len)
				rc = -1;
			ab_buf_reset(&b);
		}
	}
	if (b.len > 0 && fwrite(b.s, 1, b.len, fp) != b.len)
		rc = -1;
	ab_buf_release(&b);
	return rc;
}
