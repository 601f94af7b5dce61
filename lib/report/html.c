/*
 * html.c - the report as one self-contained HTML file: inline style,
 * inline script, charts as inline SVG drawn here (they show without
 * script), sortable tables, and each attempt's code in a <details>.
 * Nothing is fetched from the network.  Loaded with #selftest in the URL,
 * the page checks itself and writes the result into #selftest-result.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define MAX_ATTEMPT_ROWS 5000

static const char *const palette[] = { "#4e79a7", "#f28e2b", "#59a14f",
	"#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
	"#bab0ac" };
#define COLOR(i) palette[(size_t)(i) % (sizeof palette / sizeof palette[0])]

static void
esc(struct ab_buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '<': ab_buf_adds(b, "&lt;"); break;
		case '>': ab_buf_adds(b, "&gt;"); break;
		case '&': ab_buf_adds(b, "&amp;"); break;
		case '"': ab_buf_adds(b, "&quot;"); break;
		case '\'': ab_buf_adds(b, "&#39;"); break;
		default: ab_buf_addc(b, *s);
		}
	}
}

static const char css[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
	"margin:0;color:#1d2330;background:#f6f7f9}"
	"header{background:#1d2330;color:#fff;padding:18px 28px}"
	"header h1{margin:0;font-size:22px}header p{margin:4px 0 0;"
	"color:#c9cfdb}nav{padding:8px 28px;background:#e9ecf1}"
	"nav a{margin-right:14px;color:#2b4f8a;text-decoration:none}"
	"main{padding:8px 28px 40px}section{background:#fff;border-radius:8px;"
	"box-shadow:0 1px 3px rgba(0,0,0,.08);padding:14px 18px;margin:16px 0}"
	"h2{font-size:17px;margin:4px 0 10px}h3{font-size:14px;margin:12px 0 6px}"
	".charts{display:flex;flex-wrap:wrap;gap:18px}"
	"svg.chart{background:#fff;border:1px solid #e3e6eb;border-radius:6px}"
	"svg text{font:11px system-ui,sans-serif;fill:#333}"
	".tw{overflow-x:auto}table{border-collapse:collapse;font-size:12.5px;"
	"margin:6px 0}th,td{padding:4px 8px;border-bottom:1px solid #eceef2;"
	"text-align:left;white-space:nowrap}td.n{text-align:right;"
	"font-variant-numeric:tabular-nums}th{background:#f0f2f5;cursor:pointer;"
	"user-select:none;position:sticky;top:0}th[aria-sort=ascending]::after"
	"{content:' \\25B2'}th[aria-sort=descending]::after{content:' \\25BC'}"
	"td.null{color:#aaa}tr.bad td{background:#fff1f0}"
	".verdict{margin:4px 0;padding:6px 10px;background:#f3f6fb;"
	"border-left:3px solid #4e79a7}details summary{cursor:pointer;"
	"color:#2b4f8a}pre{background:#1d2330;color:#e8ecf3;padding:10px;"
	"border-radius:6px;max-width:900px;max-height:420px;overflow:auto;"
	"font-size:12px;white-space:pre}.ok{color:#2e7d32}.ko{color:#c62828}"
	".health{font-size:16px;font-weight:600}#selftest-result{display:none}"
	".txtask{margin:6px 0;border-left:3px solid #d5dae3;padding-left:8px}"
	".txgrid{display:flex;gap:12px;overflow-x:auto;align-items:flex-start}"
	".txcol{flex:0 0 460px;min-width:0}.txcol pre{max-width:none;"
	"white-space:pre-wrap;word-break:break-word}.txcol td{white-space:"
	"normal;max-width:160px;word-break:break-word}.tx h4,.txcol h4,"
	".txcol h5{margin:8px 0 4px;font-size:13px}.txpick{margin:6px 0}"
	".txpick select{margin:0 12px 0 4px}pre.txd{max-width:none}"
	".txd .da{color:#9be29b}.txd .dd{color:#ff9d9d}.txd .dh{color:#9fc3ff}"
	".cut{color:#e0a030;font-style:italic}.err b{color:#c62828}"
	".none{color:#888}";

const char *const rk_html_css = css;

/* Sorting: numbers by data-v, text otherwise; nulls last.  The selftest
 * checks the charts, sorting and script errors, and writes its verdict
 * into #selftest-result for a headless browser to read back. */
static const char js[] =
	"(function(){'use strict';\n"
	"var errors=[];window.addEventListener('error',function(e){"
	"errors.push(String(e.message));});\n"
	"function key(td){if(!td)return null;var v=td.getAttribute('data-v');"
	"if(v===null||v==='')return null;return td.classList.contains('n')?"
	"parseFloat(v):v;}\n"
	"function sortTable(th){var table=th.closest('table');"
	"var idx=Array.prototype.indexOf.call(th.parentNode.children,th);"
	"var asc=th.getAttribute('aria-sort')!=='ascending';"
	"Array.prototype.forEach.call(th.parentNode.children,function(h){"
	"h.removeAttribute('aria-sort');});"
	"th.setAttribute('aria-sort',asc?'ascending':'descending');"
	"var tb=table.tBodies[0];var rows=Array.prototype.slice.call(tb.rows);"
	"rows.sort(function(a,b){var x=key(a.cells[idx]),y=key(b.cells[idx]);"
	"if(x===null&&y===null)return 0;if(x===null)return 1;"
	"if(y===null)return -1;var r=typeof x==='number'&&typeof y==='number'?"
	"x-y:String(x).localeCompare(String(y));return asc?r:-r;});"
	"rows.forEach(function(r){tb.appendChild(r);});}\n"
	"document.querySelectorAll('table.sortable th').forEach(function(th){"
	"th.addEventListener('click',function(){sortTable(th);});});\n"
	/* Transcripts: a line diff (longest common subsequence) of two
	 * configurations' answers and code, built with text nodes only. */
	"function ldiff(a,b){var n=a.length,m=b.length,i,j;"
	"if(n*m>4000000)return null;var w=m+1,L=new Int32Array((n+1)*w);"
	"for(i=n-1;i>=0;i--)for(j=m-1;j>=0;j--)L[i*w+j]=a[i]===b[j]?"
	"L[(i+1)*w+j+1]+1:Math.max(L[(i+1)*w+j],L[i*w+j+1]);"
	"var out=[];i=0;j=0;while(i<n||j<m){"
	"if(i<n&&j<m&&a[i]===b[j]){out.push([' ',a[i]]);i++;j++;}"
	"else if(i<n&&(j>=m||L[(i+1)*w+j]>=L[i*w+j+1])){out.push(['-',a[i]]);"
	"i++;}else{out.push(['+',b[j]]);j++;}}return out;}\n"
	"function txtext(col,sel){var e=col&&col.querySelector(sel);"
	"return e?e.textContent.split('\\n'):[];}\n"
	"function txdraw(d){var sa=d.querySelector('select.txa'),"
	"sb=d.querySelector('select.txb'),box=d.querySelector('.txdiff');"
	"if(!sa||!sb||!box)return 0;var cols=d.querySelectorAll('.txcol');"
	"var A=cols[sa.selectedIndex],B=cols[sb.selectedIndex],n=0;"
	"box.textContent='';[['answer','pre.ans'],['code','pre.code']]."
	"forEach(function(p){var h=document.createElement('h5');"
	"h.textContent=p[0]+': '+sa.value+' \\u2192 '+sb.value;"
	"box.appendChild(h);var pre=document.createElement('pre');"
	"pre.className='txd';var r=ldiff(txtext(A,p[1]),txtext(B,p[1]));"
	"if(r===null){pre.textContent='too long to compare line by line';}"
	"else r.forEach(function(x){var s=document.createElement('span');"
	"if(x[0]==='+')s.className='da';else if(x[0]==='-')s.className='dd';"
	"if(x[0]!==' ')n++;s.textContent=x[0]+x[1]+'\\n';"
	"pre.appendChild(s);});box.appendChild(pre);});return n;}\n"
	"document.querySelectorAll('details.txtask').forEach(function(d){"
	"d.querySelectorAll('select').forEach(function(s){"
	"s.addEventListener('change',function(){txdraw(d);});});"
	"d.addEventListener('toggle',function(){if(d.open)txdraw(d);});});\n"
	"function selftest(){var out=[],ok=true;\n"
	"document.querySelectorAll('svg.chart').forEach(function(s){"
	"var n=s.querySelectorAll('rect.mark,circle.mark,path.mark,"
	"polygon.mark,polyline.mark,line.mark').length;"
	"var e=s.querySelector('text.note');"
	"if(n===0&&e)out.push('ok chart '+s.id+' empty: '+e.textContent);"
	"else if(n===0){ok=false;out.push('FAIL chart '+s.id+' has no marks');}"
	"else out.push('ok chart '+s.id+' '+n+' marks');});\n"
	"var t=document.querySelector('table.sortable');"
	"if(!t){ok=false;out.push('FAIL no sortable table');}else{"
	"var ths=t.tHead.rows[0].cells,col=-1;"
	"for(var i=0;i<ths.length;i++){if(ths[i].getAttribute('data-key')"
	"==='config')col=i;}"
	"if(col<0){ok=false;out.push('FAIL no config column');}else{"
	"ths[col].click();var v=Array.prototype.map.call(t.tBodies[0].rows,"
	"function(r){return r.cells[col].textContent;});"
	"var s=v.slice().sort(function(a,b){return a.localeCompare(b);});"
	"if(v.join('\\n')!==s.join('\\n')){ok=false;out.push('FAIL ascending "
	"sort');}else out.push('ok ascending sort of '+v.length+' rows');"
	"ths[col].click();v=Array.prototype.map.call(t.tBodies[0].rows,"
	"function(r){return r.cells[col].textContent;});s.reverse();"
	"if(v.join('\\n')!==s.join('\\n')){ok=false;out.push('FAIL descending "
	"sort');}else out.push('ok descending sort');}}\n"
	"var td=document.querySelector('details.txtask[data-selftest]');"
	"if(td){td.open=true;var tn=txdraw(td);"
	"var tp=td.querySelectorAll('.txdiff pre');"
	"if(tp.length!==2){ok=false;out.push('FAIL transcript diff not drawn');}"
	"else out.push('ok transcript diff '+tn+' changed lines\\n'+"
	"tp[0].textContent+tp[1].textContent);}\n"
	"if(errors.length){ok=false;out.push('FAIL script errors: '+"
	"errors.join('; '));}\n"
	"var el=document.getElementById('selftest-result');"
	"el.textContent=(ok?'SELFTEST PASS':'SELFTEST FAIL')+'\\n'+"
	"out.join('\\n');}\n"
	"if(location.hash==='#selftest')window.addEventListener('load',"
	"function(){setTimeout(selftest,0);});\n"
	"})();\n";

/* ---- tables --------------------------------------------------------------- */

static void
num_text(struct ab_buf *b, const struct rk_col *c, double d)
{
	if (c->type == RK_INT)
		ab_buf_addf(b, "%.0f", d);
	else
		ab_buf_addf(b, "%.*f", c->prec, d);
}

static void
html_table(struct ab_buf *b, const struct rk_table *t, const char *id)
{
	size_t r;
	int c;

	ab_buf_adds(b, "<h3>");
	esc(b, t->title);
	ab_buf_addf(b, "</h3><div class=\"tw\"><table class=\"sortable\" "
	    "id=\"%s\"><thead><tr>", id);
	for (c = 0; c < t->ncol; c++) {
		ab_buf_adds(b, "<th data-key=\"");
		esc(b, t->cols[c].key);
		ab_buf_adds(b, "\">");
		esc(b, t->cols[c].head);
		ab_buf_adds(b, "</th>");
	}
	ab_buf_adds(b, "</tr></thead><tbody>");
	for (r = 0; r < t->nrow; r++) {
		const struct rk_val *row = &t->vals[r * (size_t)t->ncol];
		int sev = rk_table_col(t, "severity"),
		    reg = rk_table_col(t, "regression");
		bool bad = (sev >= 0 && !row[sev].null &&
		    strcmp(row[sev].s, "none") != 0) ||
		    (reg >= 0 && !row[reg].null && row[reg].d != 0);

		ab_buf_adds(b, bad ? "<tr class=\"bad\">" : "<tr>");
		for (c = 0; c < t->ncol; c++) {
			const struct rk_col *col = &t->cols[c];
			const struct rk_val *v = &row[c];

			if (v->null) {
				ab_buf_addf(b, "<td class=\"%snull\">-</td>",
				    col->type == RK_STR ? "" : "n ");
			} else if (col->type == RK_STR &&
			    strcmp(col->key, "hash") == 0 &&
			    strlen(v->s) > 12) {
				/* Hashes: a prefix, the whole on hover. */
				ab_buf_adds(b, "<td data-v=\"");
				esc(b, v->s);
				ab_buf_adds(b, "\" title=\"");
				esc(b, v->s);
				ab_buf_addf(b, "\"><code>%.12s</code></td>",
				    v->s);
			} else if (col->type == RK_STR) {
				ab_buf_adds(b, "<td data-v=\"");
				esc(b, v->s);
				ab_buf_adds(b, "\">");
				esc(b, v->s);
				ab_buf_adds(b, "</td>");
			} else if (col->type == RK_BOOL) {
				ab_buf_addf(b, "<td class=\"n\" data-v=\"%d\">"
				    "%s</td>", v->d != 0, v->d != 0 ? "yes" :
				    "no");
			} else {
				ab_buf_addf(b, "<td class=\"n\" data-v=\""
				    "%.17g\">", v->d);
				num_text(b, col, v->d);
				ab_buf_adds(b, "</td>");
			}
		}
		ab_buf_adds(b, "</tr>");
	}
	ab_buf_adds(b, "</tbody></table></div>\n");
}

/* ---- charts ---------------------------------------------------------------- */

static const struct rk_val *
cell(const struct rk_table *t, size_t r, const char *key)
{
	static const struct rk_val null = { true, 0, NULL };
	int c = rk_table_col(t, key);

	return c < 0 ? &null : &t->vals[r * (size_t)t->ncol + (size_t)c];
}

static double
cnum(const struct rk_table *t, size_t r, const char *key)
{
	const struct rk_val *v = cell(t, r, key);

	return v->null ? NAN : v->d;
}

static const char *
cstr(const struct rk_table *t, size_t r, const char *key)
{
	const struct rk_val *v = cell(t, r, key);

	return v->null ? NULL : v->s;
}

static void
svg_open(struct ab_buf *b, const char *id, int w, int h, const char *title)
{
	ab_buf_addf(b, "<svg class=\"chart\" id=\"%s\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "xmlns=\"http://www.w3.org/2000/svg\"><title>", id, w, h, w, h);
	esc(b, title);
	ab_buf_addf(b, "</title><text x=\"10\" y=\"16\" "
	    "style=\"font-weight:600;font-size:12px\">");
	esc(b, title);
	ab_buf_adds(b, "</text>");
}

static void
svg_note(struct ab_buf *b, int x, int y, const char *msg)
{
	ab_buf_addf(b, "<text class=\"note\" x=\"%d\" y=\"%d\" "
	    "fill=\"#888\">", x, y);
	esc(b, msg);
	ab_buf_adds(b, "</text>");
}

/* Leaderboard bars: the pass rate with its Wilson interval. */
static void
chart_leaderboard(struct ab_buf *b, const struct rk_table *t)
{
	int w = 760, row = 26, top = 30, left = 180, plot = 500;
	int h = top + row * (int)(t->nrow ? t->nrow : 1) + 34;
	size_t r;
	int k;

	svg_open(b, "chart-leaderboard", w, h, "Pass rate with 95% Wilson "
	    "interval (bars: pass@1)");
	for (k = 0; k <= 10; k += 2)
		ab_buf_addf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" "
		    "stroke=\"#eee\"/><text x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\">%d%%</text>", left + plot * k / 10,
		    left + plot * k / 10, top - 4, h - 28, left + plot * k / 10,
		    h - 14, k * 10);
	if (t->nrow == 0)
		svg_note(b, left, top + 16, "no data");
	for (r = 0; r < t->nrow; r++) {
		double p1 = cnum(t, r, "pass@1"), rate = cnum(t, r,
		    "pass_rate"), lo = cnum(t, r, "ci_low"), hi = cnum(t, r,
		    "ci_high");
		int y = top + (int)r * row;
		const char *st = cstr(t, r, "status");

		if (isnan(p1))
			p1 = rate;
		ab_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		    left - 8, y + 16);
		esc(b, cstr(t, r, "config"));
		ab_buf_adds(b, "</text>");
		ab_buf_addf(b, "<rect class=\"mark\" x=\"%d\" y=\"%d\" "
		    "width=\"%.1f\" height=\"%d\" fill=\"%s\" rx=\"2\"><title>",
		    left, y + 4, isnan(p1) ? 0 : plot * p1, row - 8, COLOR(r));
		esc(b, cstr(t, r, "config"));
		ab_buf_addf(b, ": pass@1 %.3f</title></rect>", isnan(p1) ? 0 :
		    p1);
		if (!isnan(lo) && !isnan(hi)) {
			int yc = y + row / 2;

			ab_buf_addf(b, "<line class=\"mark\" x1=\"%.1f\" "
			    "x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#222\" "
			    "stroke-width=\"1.5\"/><line x1=\"%.1f\" "
			    "x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#222\"/>"
			    "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" "
			    "stroke=\"#222\"/><circle class=\"mark\" "
			    "cx=\"%.1f\" cy=\"%d\" r=\"3\" fill=\"#222\"/>",
			    left + plot * lo, left + plot * hi, yc, yc,
			    left + plot * lo, left + plot * lo, yc - 5, yc + 5,
			    left + plot * hi, left + plot * hi, yc - 5, yc + 5,
			    left + plot * rate, yc);
		}
		ab_buf_addf(b, "<text x=\"%d\" y=\"%d\">%s</text>",
		    left + plot + 8, y + 16, st != NULL ? st : "");
	}
	ab_buf_adds(b, "</svg>\n");
}

/* Radar of mean score dimensions per configuration. */
static void
chart_radar(struct ab_buf *b, const struct rk_model *m, const int *order)
{
	const char *axes[12];
	int na = 0, w = 460, h = 400, cx = 200, cy = 215, R = 150, i, a;
	size_t c, k;
	double max = 0, scale;

	for (c = 0; c < m->nconfigs; c++)
		for (k = 0; k < m->configs[c].dims.n; k++) {
			const struct rk_count *d = &m->configs[c].dims.v[k];

			for (i = 0; i < na && strcmp(axes[i], d->key) != 0;
			    i++)
				;
			if (i == na && na < 12)
				axes[na++] = d->key;
			if (d->m.n > 0 && d->m.mean > max)
				max = d->m.mean;
		}
	scale = max <= 1 ? 1 : max <= 10 ? 10 : max <= 100 ? 100 : max;
	svg_open(b, "chart-radar", w, h, "Score dimensions (mean)");
	for (i = 1; i <= 4; i++)
		ab_buf_addf(b, "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" "
		    "fill=\"none\" stroke=\"#e5e5e5\"/>", cx, cy, R * i / 4);
	if (na == 0) {
		svg_note(b, cx - 110, cy, "no score.dimensions in the input");
		ab_buf_adds(b, "<circle class=\"mark\" cx=\"200\" cy=\"215\" "
		    "r=\"2\" fill=\"#ccc\"/></svg>\n");
		return;
	}
	for (a = 0; a < na; a++) {
		double ang = -M_PI / 2 + 2 * M_PI * a / na;
		double x = cx + R * cos(ang), y = cy + R * sin(ang);

		ab_buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\">", cx, cy, x, y,
		    cx + (R + 16) * cos(ang), cy + (R + 16) * sin(ang) + 4);
		esc(b, axes[a]);
		ab_buf_adds(b, "</text>");
	}
	for (c = 0; c < m->nconfigs; c++) {
		const struct rk_config *cf = &m->configs[order[c]];
		struct ab_buf pts = AB_BUF_INIT;
		int have = 0;

		for (a = 0; a < na; a++) {
			double v = 0, ang = -M_PI / 2 + 2 * M_PI * a / na;

			for (k = 0; k < cf->dims.n; k++)
				if (strcmp(cf->dims.v[k].key, axes[a]) == 0 &&
				    cf->dims.v[k].m.n > 0) {
					v = cf->dims.v[k].m.mean / scale;
					have = 1;
				}
			v = v < 0 ? 0 : v > 1 ? 1 : v;
			ab_buf_addf(&pts, "%s%.1f,%.1f", a ? " " : "",
			    cx + R * v * cos(ang), cy + R * v * sin(ang));
		}
		if (have) {
			ab_buf_addf(b, "<polygon class=\"mark\" points=\"%s\" "
			    "fill=\"%s\" fill-opacity=\"0.15\" stroke=\"%s\" "
			    "stroke-width=\"2\"><title>", pts.s, COLOR(c),
			    COLOR(c));
			esc(b, cf->label);
			ab_buf_adds(b, "</title></polygon>");
			ab_buf_addf(b, "<rect x=\"380\" y=\"%d\" width=\"10\" "
			    "height=\"10\" fill=\"%s\"/><text x=\"394\" "
			    "y=\"%d\">", 40 + (int)c * 16, COLOR(c),
			    49 + (int)c * 16);
			esc(b, cf->label);
			ab_buf_adds(b, "</text>");
		}
		ab_buf_release(&pts);
	}
	ab_buf_addf(b, "<text x=\"10\" y=\"%d\" fill=\"#888\">scale 0 to "
	    "%g</text></svg>\n", h - 8, scale);
}

/* Score histograms, one panel per configuration. */
static void
chart_hist(struct ab_buf *b, const struct rk_model *m, const int *order)
{
	int pw = 230, ph = 120, cols = 3, n = (int)m->nconfigs, i, k;
	int rows = n ? (n + cols - 1) / cols : 1;
	int w = pw * cols + 20, h = 30 + rows * (ph + 24);
	long max;

	svg_open(b, "chart-hist", w, h, "Score distribution (score.total, "
	    "bins of 10)");
	if (n == 0)
		svg_note(b, 20, 50, "no data");
	for (i = 0; i < n; i++) {
		const struct rk_config *cf = &m->configs[order[i]];
		int x0 = 10 + (i % cols) * pw, y0 = 30 + (i / cols) * (ph + 24);

		max = 1;
		for (k = 0; k < 10; k++)
			if (cf->hist[k] > max)
				max = cf->hist[k];
		ab_buf_addf(b, "<text x=\"%d\" y=\"%d\">", x0, y0 + 10);
		esc(b, cf->label);
		ab_buf_addf(b, "</text><line x1=\"%d\" x2=\"%d\" y1=\"%d\" "
		    "y2=\"%d\" stroke=\"#999\"/>", x0, x0 + 200, y0 + ph,
		    y0 + ph);
		for (k = 0; k < 10; k++) {
			double bh = (double)(ph - 20) * (double)cf->hist[k] /
			    (double)max;

			ab_buf_addf(b, "<rect class=\"mark\" x=\"%d\" "
			    "y=\"%.1f\" width=\"18\" height=\"%.1f\" "
			    "fill=\"%s\"><title>%d-%d: %ld</title></rect>",
			    x0 + k * 20, y0 + ph - bh, bh, COLOR(i), k * 10,
			    k * 10 + 10, cf->hist[k]);
		}
		ab_buf_addf(b, "<text x=\"%d\" y=\"%d\">0</text><text "
		    "x=\"%d\" y=\"%d\" text-anchor=\"end\">100</text>", x0,
		    y0 + ph + 13, x0 + 200, y0 + ph + 13);
		if (cf->hist[10])
			ab_buf_addf(b, "<text x=\"%d\" y=\"%d\" fill=\"#888\">"
			    "%ld unscored</text>", x0 + 110, y0 + 10,
			    cf->hist[10]);
	}
	ab_buf_adds(b, "</svg>\n");
}

/* Quality against cost or time, with the Pareto front. */
static void
chart_scatter(struct ab_buf *b, const struct rk_table *t, const char *id,
    const char *xkey, const char *frontkey, const char *title,
    const char *xlabel)
{
	int w = 460, h = 320, l = 60, r = 20, top = 30, bot = 40;
	double xmax = 0, ymax = 0, ymin = INFINITY, x, y, *px, *py;
	size_t i, n = 0, *ix, j, tmp;
	bool any = false;

	px = ab_xcalloc(t->nrow + 1, sizeof *px);
	py = ab_xcalloc(t->nrow + 1, sizeof *py);
	ix = ab_xcalloc(t->nrow + 1, sizeof *ix);
	for (i = 0; i < t->nrow; i++) {
		x = cnum(t, i, xkey);
		y = cnum(t, i, "quality");
		if (isnan(x) || isnan(y))
			continue;
		any = true;
		xmax = x > xmax ? x : xmax;
		ymax = y > ymax ? y : ymax;
		ymin = y < ymin ? y : ymin;
	}
	xmax = xmax > 0 ? xmax * 1.1 : 1;
	/* The quality axis spans the data in steps of 10, within 0..100
	 * for scores in that range. */
	ymin = any ? floor((ymin - 5) / 10) * 10 : 0;
	ymin = ymin < 0 ? 0 : ymin;
	ymax = any ? ceil((ymax + 5) / 10) * 10 : 100;
	if (ymax > 100 && ymin < 100)
		ymax = ymax <= 105 ? 100 : ymax;
	if (ymax <= ymin)
		ymax = ymin + 10;
	svg_open(b, id, w, h, title);
	ab_buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#999\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#999\"/>", l, h - bot, w - r, h - bot, l, top, l,
	    h - bot);
	ab_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
	    (l + w - r) / 2, h - 8);
	esc(b, xlabel);
	ab_buf_addf(b, " (max %.4g)</text><text x=\"12\" y=\"%d\" "
	    "transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">quality "
	    "(%g to %g)</text>", xmax, (top + h - bot) / 2,
	    (top + h - bot) / 2, ymin, ymax);
	if (!any)
		svg_note(b, l + 20, top + 40, "no data for this axis");
	for (i = 0; i < t->nrow; i++) {
		const struct rk_val *f = cell(t, i, frontkey);

		x = cnum(t, i, xkey);
		y = cnum(t, i, "quality");
		if (isnan(x) || isnan(y))
			continue;
		px[i] = l + (w - l - r) * x / xmax;
		py[i] = h - bot - (h - top - bot) * (y - ymin) / (ymax - ymin);
		if (!f->null && f->d != 0)
			ix[n++] = i;
		ab_buf_addf(b, "<circle class=\"mark\" cx=\"%.1f\" "
		    "cy=\"%.1f\" r=\"5\" fill=\"%s\"><title>", px[i], py[i],
		    COLOR(i));
		esc(b, cstr(t, i, "config"));
		ab_buf_addf(b, ": %.4g, %.1f</title></circle><text x=\"%.1f\" "
		    "y=\"%.1f\">", x, y, px[i] + 7, py[i] - 6);
		esc(b, cstr(t, i, "config"));
		ab_buf_adds(b, "</text>");
	}
	/* The front as a staircase through its points, cheapest first. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && px[ix[j]] < px[ix[j - 1]]; j--) {
			tmp = ix[j];
			ix[j] = ix[j - 1];
			ix[j - 1] = tmp;
		}
	if (n > 0) {
		ab_buf_adds(b, "<polyline class=\"mark\" fill=\"none\" "
		    "stroke=\"#c62828\" stroke-dasharray=\"4 3\" "
		    "stroke-width=\"1.5\" points=\"");
		for (i = 0; i < n; i++) {
			if (i > 0)
				ab_buf_addf(b, " %.1f,%.1f", px[ix[i]],
				    py[ix[i - 1]]);
			ab_buf_addf(b, "%s%.1f,%.1f", i ? " " : "", px[ix[i]],
			    py[ix[i]]);
		}
		ab_buf_adds(b, "\"><title>Pareto front</title></polyline>");
	}
	ab_buf_adds(b, "</svg>\n");
	free(px);
	free(py);
	free(ix);
}

static void
heat_color(char *out, size_t n, double v)
{
	/* Red (0) through yellow to green (1). */
	int r, g;

	v = v < 0 ? 0 : v > 1 ? 1 : v;
	r = v < 0.5 ? 220 : (int)(220 - (v - 0.5) * 2 * 150);
	g = v < 0.5 ? (int)(70 + v * 2 * 130) : 200;
	snprintf(out, n, "rgb(%d,%d,90)", r, g);
}

/* Category x configuration heatmap of pass rates. */
static void
chart_heatmap(struct ab_buf *b, const struct rk_report *rep,
    const struct rk_model *m, const int *order)
{
	const struct rk_table *t = NULL;
	const char *cats[64];
	int nc = 0, i, j, cw = 90, ch = 26, left = 150, top = 60, w, h;
	size_t r, k;
	char col[32];

	for (k = 0; k < rep->n; k++) {
		const struct rk_table *x = &rep->t[k];

		if (strcmp(x->name, "breakdown") == 0 && x->nrow > 0 &&
		    strcmp(cstr(x, 0, "by"), "category") == 0)
			t = x;
	}
	for (r = 0; t != NULL && r < t->nrow; r++) {
		const char *v = cstr(t, r, "value");

		for (i = 0; i < nc && strcmp(cats[i], v) != 0; i++)
			;
		if (i == nc && nc < 64)
			cats[nc++] = v;
	}
	w = left + cw * (int)(m->nconfigs ? m->nconfigs : 1) + 20;
	h = top + ch * (nc ? nc : 1) + 20;
	svg_open(b, "chart-heatmap", w < 360 ? 360 : w, h, "Pass rate by "
	    "category and configuration");
	for (j = 0; j < (int)m->nconfigs; j++) {
		ab_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
		    left + j * cw + cw / 2, top - 8);
		esc(b, m->configs[order[j]].label);
		ab_buf_adds(b, "</text>");
	}
	if (nc == 0)
		svg_note(b, 20, top + 16, "no data");
	for (i = 0; i < nc; i++) {
		ab_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		    left - 8, top + i * ch + 17);
		esc(b, cats[i]);
		ab_buf_adds(b, "</text>");
		for (j = 0; j < (int)m->nconfigs; j++) {
			double v = NAN;

			for (r = 0; r < t->nrow; r++)
				if (strcmp(cstr(t, r, "value"), cats[i]) == 0 &&
				    strcmp(cstr(t, r, "config"),
				    m->configs[order[j]].label) == 0)
					v = cnum(t, r, "pass_rate");
			if (isnan(v)) {
				ab_buf_addf(b, "<rect x=\"%d\" y=\"%d\" "
				    "width=\"%d\" height=\"%d\" "
				    "fill=\"#f2f2f2\"/>", left + j * cw,
				    top + i * ch, cw - 2, ch - 2);
				continue;
			}
			heat_color(col, sizeof col, v);
			ab_buf_addf(b, "<rect class=\"mark\" x=\"%d\" y=\"%d\" "
			    "width=\"%d\" height=\"%d\" fill=\"%s\"><title>"
			    "%.3f</title></rect><text x=\"%d\" y=\"%d\" "
			    "text-anchor=\"middle\">%.0f%%</text>",
			    left + j * cw, top + i * ch, cw - 2, ch - 2, col,
			    v, left + j * cw + cw / 2, top + i * ch + 17,
			    100 * v);
		}
	}
	ab_buf_adds(b, "</svg>\n");
}

/* Pass rate across runs per configuration; regressions ringed in red. */
static void
chart_trends(struct ab_buf *b, const struct rk_table *t,
    const struct rk_model *m, const int *order)
{
	int w = 760, h = 300, l = 50, r = 170, top = 30, bot = 40, nr, ci;
	size_t i;
	double x, y;
	bool any = false;

	nr = (int)m->nruns;
	svg_open(b, "chart-trends", w, h, "Pass rate across runs (red "
	    "ring: significant drop)");
	ab_buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#999\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#999\"/>", l, h - bot, w - r, h - bot, l, top, l,
	    h - bot);
	for (i = 0; i <= 4; i++)
		ab_buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">"
		    "%zu%%</text>", l - 4, (int)(h - bot - (h - top - bot) *
		    (double)i / 4) + 4, i * 25);
	for (ci = 0; ci < (int)m->nconfigs; ci++) {
		struct ab_buf pts = AB_BUF_INIT;
		const char *label = m->configs[order[ci]].label;
		int np = 0;

		for (i = 0; i < t->nrow; i++) {
			const char *run = cstr(t, i, "run");
			const struct rk_val *reg = cell(t, i, "regression");
			int ri;

			if (strcmp(cstr(t, i, "config"), label) != 0 ||
			    isnan(y = cnum(t, i, "pass_rate")))
				continue;
			ri = rk_model_find_run(m, run);
			x = l + (w - l - r) * (nr > 1 ? (double)ri /
			    (nr - 1) : 0.5);
			y = h - bot - (h - top - bot) * y;
			ab_buf_addf(&pts, "%s%.1f,%.1f", np ? " " : "", x, y);
			np++;
			any = true;
			ab_buf_addf(b, "<circle class=\"mark\" cx=\"%.1f\" "
			    "cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>", x, y,
			    COLOR(ci));
			esc(b, label);
			ab_buf_adds(b, " ");
			esc(b, run);
			ab_buf_adds(b, "</title></circle>");
			if (!reg->null && reg->d != 0)
				ab_buf_addf(b, "<circle class=\"mark\" "
				    "cx=\"%.1f\" cy=\"%.1f\" r=\"9\" "
				    "fill=\"none\" stroke=\"#c62828\" "
				    "stroke-width=\"2.5\"><title>regression"
				    "</title></circle>", x, y);
		}
		if (np > 1)
			ab_buf_addf(b, "<polyline class=\"mark\" fill=\"none\" "
			    "stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>",
			    COLOR(ci), pts.s);
		if (np > 0) {
			ab_buf_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"10\" "
			    "height=\"10\" fill=\"%s\"/><text x=\"%d\" "
			    "y=\"%d\">", w - r + 14, top + ci * 16, COLOR(ci),
			    w - r + 28, top + ci * 16 + 9);
			esc(b, label);
			ab_buf_adds(b, "</text>");
		}
		ab_buf_release(&pts);
	}
	for (i = 0; i < m->nruns && i < 12; i++) {
		ab_buf_addf(b, "<text x=\"%.1f\" y=\"%d\" "
		    "text-anchor=\"middle\">", l + (w - l - r) * (nr > 1 ?
		    (double)i / (nr - 1) : 0.5), h - bot + 14);
		esc(b, m->runs[i].id);
		ab_buf_adds(b, "</text>");
	}
	if (!any)
		svg_note(b, l + 20, top + 30, "no data");
	ab_buf_adds(b, "</svg>\n");
}

/* ---- attempts -------------------------------------------------------------- */

static const struct rk_model *att_model;

static int
att_cmp(const void *a, const void *b)
{
	const struct rk_cell *x = &att_model->cells[*(const size_t *)a],
	    *y = &att_model->cells[*(const size_t *)b];
	int r;

	if ((r = strcmp(att_model->configs[x->config].label,
	    att_model->configs[y->config].label)) != 0)
		return r;
	if ((r = strcmp(att_model->tasks[x->task].id,
	    att_model->tasks[y->task].id)) != 0)
		return r;
	return x->run < y->run ? -1 : x->run > y->run;
}

/* Index of the k-th kept attempt in sample order. */
static int
order_kept(const struct rk_cell *c, int k)
{
	int i, j, rank;

	for (i = 0; i < c->nkept; i++) {
		rank = 0;
		for (j = 0; j < c->nkept; j++)
			if (c->kept[j].sample < c->kept[i].sample ||
			    (c->kept[j].sample == c->kept[i].sample && j < i))
				rank++;
		if (rank == k)
			return i;
	}
	return 0;
}

static void
attempts(struct ab_buf *b, const struct rk_model *m)
{
	size_t *ix = ab_xcalloc(m->ncells + 1, sizeof *ix), i, n;
	int k;

	for (i = 0; i < m->ncells; i++)
		ix[i] = i;
	att_model = m;
	qsort(ix, m->ncells, sizeof *ix, att_cmp);
	n = m->ncells < MAX_ATTEMPT_ROWS ? m->ncells : MAX_ATTEMPT_ROWS;
	ab_buf_addf(b, "<h3>Attempts by configuration and task%s</h3>",
	    n < m->ncells ? " (first 5000)" : "");
	ab_buf_adds(b, "<div class=\"tw\"><table class=\"sortable\" "
	    "id=\"table-attempts\"><thead><tr><th data-key=\"config\">config"
	    "</th><th data-key=\"task\">task</th><th data-key=\"run\">run</th>"
	    "<th data-key=\"attempts\">attempts</th><th data-key=\"passed\">"
	    "passed</th><th data-key=\"score\">score</th><th "
	    "data-key=\"code\">attempts and their code</th>"
	    "</tr></thead><tbody>");
	for (i = 0; i < n; i++) {
		const struct rk_cell *c = &m->cells[ix[i]];

		ab_buf_addf(b, "<tr%s><td data-v=\"", c->c < c->n ?
		    " class=\"bad\"" : "");
		esc(b, m->configs[c->config].label);
		ab_buf_adds(b, "\">");
		esc(b, m->configs[c->config].label);
		ab_buf_adds(b, "</td><td data-v=\"");
		esc(b, m->tasks[c->task].id);
		ab_buf_adds(b, "\">");
		esc(b, m->tasks[c->task].id);
		ab_buf_adds(b, "</td><td data-v=\"");
		esc(b, m->runs[c->run].id);
		ab_buf_adds(b, "\">");
		esc(b, m->runs[c->run].id);
		ab_buf_addf(b, "</td><td class=\"n\" data-v=\"%ld\">%ld</td>"
		    "<td class=\"n\" data-v=\"%ld\">%ld</td>", c->n, c->n,
		    c->c, c->c);
		if (c->score.n > 0)
			ab_buf_addf(b, "<td class=\"n\" data-v=\"%.17g\">%.1f"
			    "</td>", c->score.mean, c->score.mean);
		else
			ab_buf_adds(b, "<td class=\"n null\">-</td>");
		ab_buf_adds(b, "<td>");
		if (c->nkept == 0)
			ab_buf_adds(b, "-");
		for (k = 0; k < c->nkept; k++) {
			const struct rk_kept *e = &c->kept[order_kept(c, k)];

			ab_buf_addf(b, "<details><summary>#%ld ", e->sample);
			esc(b, e->verdict);
			if (!isnan(e->score))
				ab_buf_addf(b, " %.1f", e->score);
			ab_buf_adds(b, "</summary><p>");
			esc(b, e->id);
			ab_buf_adds(b, "</p>");
			if (e->code[0] == '\0') {
				ab_buf_adds(b, "<p class=\"none\">no code</p>");
			} else {
				ab_buf_adds(b, "<pre><code>");
				esc(b, e->code);
				ab_buf_adds(b, "</code></pre>");
			}
			ab_buf_adds(b, "</details>");
		}
		if (c->n + c->excl > c->nkept && c->nkept > 0)
			ab_buf_addf(b, "<small>%d of %ld shown</small>",
			    c->nkept, c->n + c->excl);
		ab_buf_adds(b, "</td></tr>");
	}
	ab_buf_adds(b, "</tbody></table></div>\n");
	free(ix);
}

/* ---- transcripts ------------------------------------------------------------ */

static int
task_id_cmp(const void *a, const void *b)
{
	return strcmp(att_model->tasks[*(const int *)a].id,
	    att_model->tasks[*(const int *)b].id);
}

/* Whether the cell's first kept attempt has its transcript. */
static bool
has_tx(const struct rk_cell *c)
{
	return c->nkept > 0 && c->kept[order_kept(c, 0)].tx != NULL;
}

void
rk_html_transcripts(struct ab_buf *b, const struct rk_model *m,
    const struct rk_opts *o)
{
	int *order = rk_config_order(m, o), *tasks, *best, t, k, ncol, shown;
	size_t i, nc = m->nconfigs;
	bool first = true, with_tx = false;

	ab_buf_adds(b, "<section id=\"transcripts\"><h2>Transcripts</h2>");
	if (nc == 0 || m->ntasks == 0) {
		ab_buf_adds(b, "<p class=\"none\">No attempts.</p></section>");
		free(order);
		return;
	}
	/* The cell of each task and configuration with kept attempts, from
	 * the latest run that has one, preferring those with a transcript;
	 * with any transcripts kept, only their tasks are shown. */
	best = ab_xcalloc(m->ntasks * nc, sizeof *best);
	for (i = 0; i < m->ntasks * nc; i++)
		best[i] = -1;
	for (i = 0; i < m->ncells; i++) {
		const struct rk_cell *c = &m->cells[i], *q;
		int *p = &best[(size_t)c->task * nc + (size_t)c->config];

		if (c->nkept == 0)
			continue;
		q = *p >= 0 ? &m->cells[*p] : NULL;
		if (q == NULL || has_tx(q) < has_tx(c) ||
		    (has_tx(q) == has_tx(c) && q->run < c->run))
			*p = (int)i;
		if (has_tx(c))
			with_tx = true;
	}
	tasks = ab_xcalloc(m->ntasks + 1, sizeof *tasks);
	for (i = 0; i < m->ntasks; i++)
		tasks[i] = (int)i;
	att_model = m;
	qsort(tasks, m->ntasks, sizeof *tasks, task_id_cmp);
	ab_buf_adds(b, "<p>Each task's prompt and each configuration's first "
	    "attempt (sample 0, from the latest run that has one) side by "
	    "side: answer, extracted code, tests; pick two "
	    "configurations to see how their answers and code differ, line "
	    "by line.</p>");
	shown = 0;
	for (i = 0; i < m->ntasks && shown < RK_TX_TASKS; i++) {
		t = tasks[i];
		bool tx = false;

		for (ncol = 0, k = 0; k < (int)nc; k++) {
			int ci = best[(size_t)t * nc + (size_t)order[k]];

			if (ci >= 0) {
				ncol++;
				tx |= has_tx(&m->cells[ci]);
			}
		}
		if (ncol == 0 || (with_tx && !tx))
			continue;
		shown++;
		ab_buf_adds(b, "<details class=\"txtask\"");
		if (first && ncol >= 2) {
			ab_buf_adds(b, " data-selftest=\"1\"");
			first = false;
		}
		ab_buf_adds(b, "><summary><code>");
		esc(b, m->tasks[t].id);
		ab_buf_addf(b, "</code> \xc2\xb7 %d configuration%s</summary>",
		    ncol, ncol == 1 ? "" : "s");
		if (m->tasks[t].prompt != NULL) {
			ab_buf_adds(b, "<h4>Prompt</h4><pre class=\"prompt\">");
			ab_buf_adds(b, m->tasks[t].prompt);	/* escaped */
			ab_buf_adds(b, "</pre>");
		}
		if (ncol >= 2) {
			for (int side = 0; side < 2; side++) {
				int col = 0;

				ab_buf_addf(b, "%s<select class=\"%s\" "
				    "aria-label=\"configuration %c\">",
				    side == 0 ? "<div class=\"txpick\">compare "
				    : "with ", side == 0 ? "txa" : "txb",
				    side == 0 ? 'A' : 'B');
				for (k = 0; k < (int)nc; k++) {
					if (best[(size_t)t * nc +
					    (size_t)order[k]] < 0)
						continue;
					ab_buf_adds(b, "<option value=\"");
					esc(b, m->configs[order[k]].label);
					ab_buf_addf(b, "\"%s>", col == side ?
					    " selected" : "");
					esc(b, m->configs[order[k]].label);
					ab_buf_adds(b, "</option>");
					col++;
				}
				ab_buf_addf(b, "</select>%s", side == 1 ?
				    "</div><div class=\"txdiff\"></div>" : "");
			}
		}
		ab_buf_adds(b, "<div class=\"txgrid\">");
		for (k = 0; k < (int)nc; k++) {
			int ci = best[(size_t)t * nc + (size_t)order[k]];
			const struct rk_cell *c;
			const struct rk_kept *e;

			if (ci < 0)
				continue;
			c = &m->cells[ci];
			e = &c->kept[order_kept(c, 0)];
			ab_buf_adds(b, "<div class=\"txcol\"><h4>");
			esc(b, m->configs[order[k]].label);
			ab_buf_addf(b, "</h4><p>attempt #%ld <span class=\"%s\">",
			    e->sample, strcmp(e->verdict, "ok") == 0 ? "ok" :
			    "ko");
			esc(b, e->verdict);
			ab_buf_addf(b, "</span> \xc2\xb7 %ld of %ld passed in "
			    "run ", c->c, c->n);
			esc(b, m->runs[c->run].id);
			ab_buf_adds(b, "</p>");
			if (e->tx != NULL) {
				ab_buf_adds(b, e->tx);
			} else {
				ab_buf_adds(b, "<pre class=\"code\">");
				esc(b, e->code);
				ab_buf_adds(b, "</pre>");
			}
			ab_buf_adds(b, "</div>");
		}
		ab_buf_adds(b, "</div></details>\n");
	}
	if (shown == 0)
		ab_buf_adds(b, "<p class=\"none\">No attempt has an answer "
		    "to show.</p>");
	else if (shown == RK_TX_TASKS && i < m->ntasks)
		ab_buf_addf(b, "<p class=\"cut\">The first %d tasks are "
		    "shown.</p>", RK_TX_TASKS);
	ab_buf_adds(b, "</section>\n");
	free(tasks);
	free(best);
	free(order);
}

/* ---- the page ---------------------------------------------------------------- */

static int
flush(FILE *fp, struct ab_buf *b)
{
	int rc = 0;

	if (b->len > 0 && fwrite(b->s, 1, b->len, fp) != b->len)
		rc = -1;
	ab_buf_reset(b);
	return rc;
}

/* The charts of the analysis, configurations in the given order: score
 * dimensions, score distributions, quality against cost and time,
 * category heatmap, trends (those whose tables r has). */
static void
charts(struct ab_buf *b, const struct rk_model *m, const struct rk_report *r,
    const int *order)
{
	const struct rk_table *cost = rk_report_find(r, "cost"),
	    *tr = rk_report_find(r, "trends");

	ab_buf_adds(b, "<div class=\"charts\">");
	chart_radar(b, m, order);
	chart_hist(b, m, order);
	if (cost != NULL) {
		chart_scatter(b, cost, "chart-score-cost", "cost_per_attempt",
		    "pareto_cost", "Quality against cost per attempt "
		    "(dashed: Pareto front)", "cost per attempt, USD");
		chart_scatter(b, cost, "chart-score-time", "latency_ms",
		    "pareto_time", "Quality against generation time "
		    "(dashed: Pareto front)", "mean generation time, ms");
	}
	chart_heatmap(b, r, m, order);
	if (tr != NULL)
		chart_trends(b, tr, m, order);
	ab_buf_adds(b, "</div>");
}

/* Configurations in leaderboard order (lb may be NULL). */
static int *
lb_order(const struct rk_model *m, const struct rk_table *lb)
{
	int *order = ab_xcalloc(m->nconfigs + 1, sizeof *order);
	size_t i;

	for (i = 0; lb != NULL && i < lb->nrow && i < m->nconfigs; i++)
		order[i] = rk_model_find_config(m, cstr(lb, i, "config"));
	return order;
}

int
rk_write_charts(FILE *fp, const struct rk_model *m, const struct rk_report *r)
{
	struct ab_buf b = AB_BUF_INIT;
	int *order = lb_order(m, rk_report_find(r, "leaderboard")), rc;

	charts(&b, m, r, order);
	rc = flush(fp, &b);
	ab_buf_release(&b);
	free(order);
	return rc;
}

int
rk_write_html(FILE *fp, const struct rk_model *m, const struct rk_opts *o,
    const struct rk_report *r)
{
	static const struct { const char *name, *title; } sections[] = {
		{ "breakdown", "Breakdowns" }, { "agents", NULL },
		{ "trials", "Agent trials" },
		{ "cost", "Cost efficiency" }, { "compare", "Head to head" },
		{ "verdicts", NULL }, { "health", "Regressions" },
		{ "regress", NULL }, { "regress_tasks", NULL },
		{ "errors", "Error patterns" }, { "trends", "Trends" },
	};
	const struct rk_table *lb = rk_report_find(r, "leaderboard"),
	    *vd = rk_report_find(r, "verdicts");
	struct ab_buf b = AB_BUF_INIT;
	int *order, rc = 0, tid = 0;
	size_t i, k, s;
	char id[32];

	order = lb_order(m, lb);
	ab_buf_adds(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" "
	    "content=\"width=device-width,initial-scale=1\">"
	    "<title>ab-rank report</title><style>");
	ab_buf_adds(&b, css);
	ab_buf_addf(&b, "</style></head><body><header><h1>ab-rank report</h1>"
	    "<p>%ld attempts, %zu configurations, %zu tasks, %zu runs; "
	    "intervals at %g%%, significance at %g, bootstrap %u resamples "
	    "(seed %llu)</p></header>", m->records, m->nconfigs, m->ntasks,
	    m->nruns, 100 * o->level, o->alpha, o->reps,
	    (unsigned long long)o->seed);
	ab_buf_adds(&b, "<nav><a href=\"#leaderboard\">Leaderboard</a>"
	    "<a href=\"#charts\">Charts</a><a href=\"#breakdown\">Breakdowns"
	    "</a>");
	if (rk_model_has_trials(m))
		ab_buf_adds(&b, "<a href=\"#trials\">Agent trials</a>");
	ab_buf_adds(&b, "<a href=\"#cost\">Cost</a><a href=\"#compare\">Head to "
	    "head"
	    "</a><a href=\"#health\">Regressions</a><a href=\"#errors\">"
	    "Errors</a><a href=\"#trends\">Trends</a><a href=\"#transcripts\">"
	    "Transcripts</a><a href=\"#attempts\">Attempts</a></nav><main>");
	ab_buf_adds(&b, "<section id=\"leaderboard\"><h2>Leaderboard</h2>"
	    "<div class=\"charts\">");
	if (lb != NULL) {
		chart_leaderboard(&b, lb);
		ab_buf_adds(&b, "</div>");
		html_table(&b, lb, "table-leaderboard");
	} else {
		ab_buf_adds(&b, "</div>");
	}
	ab_buf_adds(&b, "</section><section id=\"charts\"><h2>Charts</h2>");
	charts(&b, m, r, order);
	ab_buf_adds(&b, "</section>\n");
	rc |= flush(fp, &b);
	for (s = 0; s < sizeof sections / sizeof sections[0]; s++) {
		bool open = sections[s].title != NULL;

		if (strcmp(sections[s].name, "trials") == 0 &&
		    !rk_model_has_trials(m))
			continue;
		if (open) {
			if (s > 0)
				ab_buf_adds(&b, "</section>");
			ab_buf_addf(&b, "<section id=\"%s\"><h2>%s</h2>",
			    sections[s].name, sections[s].title);
		}
		if (strcmp(sections[s].name, "health") == 0 && r->health)
			ab_buf_addf(&b, "<p class=\"health\">Overall health: "
			    "<span class=\"%s\">%s</span></p>",
			    r->regression ? "ko" : "ok", r->health);
		if (strcmp(sections[s].name, "verdicts") == 0 && vd != NULL)
			for (k = 0; k < vd->nrow; k++) {
				ab_buf_adds(&b, "<p class=\"verdict\">");
				esc(&b, cstr(vd, k, "verdict"));
				ab_buf_adds(&b, "</p>");
			}
		for (i = 0; i < r->n; i++) {
			if (strcmp(r->t[i].name, sections[s].name) != 0)
				continue;
			snprintf(id, sizeof id, "table-%d", tid++);
			html_table(&b, &r->t[i], id);
		}
		if (strcmp(sections[s].name, "trials") == 0)
			rk_html_trajectories(&b, m, o);
		rc |= flush(fp, &b);
	}
	ab_buf_adds(&b, "</section>");
	rk_html_transcripts(&b, m, o);
	rc |= flush(fp, &b);
	ab_buf_adds(&b, "<section id=\"attempts\"><h2>Attempts</h2>");
	attempts(&b, m);
	ab_buf_adds(&b, "</section></main><pre id=\"selftest-result\"></pre>"
	    "<script>");
	ab_buf_adds(&b, js);
	ab_buf_adds(&b, "</script></body></html>\n");
	rc |= flush(fp, &b);
	ab_buf_release(&b);
	free(order);
	return rc;
}

/* ---- for pages built elsewhere (load.c) ---------------------------------- */

void
rk_html_head(struct ab_buf *b, const char *title, const char *sub)
{
	ab_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" "
	    "content=\"width=device-width,initial-scale=1\"><title>");
	esc(b, title);
	ab_buf_adds(b, "</title><style>");
	ab_buf_adds(b, css);
	ab_buf_adds(b, "</style></head><body><header><h1>");
	esc(b, title);
	ab_buf_adds(b, "</h1><p>");
	esc(b, sub);
	ab_buf_adds(b, "</p></header><main>");
}

void
rk_html_table(struct ab_buf *b, const struct rk_table *t, const char *id)
{
	html_table(b, t, id);
}

void
rk_html_esc(struct ab_buf *b, const char *s)
{
	esc(b, s);
}

void
rk_svg_open(struct ab_buf *b, const char *id, int w, int h,
    const char *title)
{
	svg_open(b, id, w, h, title);
}

const char *
rk_html_color(int i)
{
	return COLOR(i);
}

void
rk_html_foot(struct ab_buf *b)
{
	ab_buf_adds(b, "</main><pre id=\"selftest-result\"></pre><script>");
	ab_buf_adds(b, js);
	ab_buf_adds(b, "</script></body></html>\n");
}
