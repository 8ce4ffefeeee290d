/*
 * report_internal: what the files of the report module share (report.c,
 * report_data.c, report_html.c). Not for other modules.
 */
#ifndef SHOWCASE_REPORT_INTERNAL_H
#define SHOWCASE_REPORT_INTERNAL_H

#include "report.h"

struct arena;
struct cmark_node;
struct directive;
struct figures_group;
struct figures_value;
struct stats_year;
struct tmpl_srcmap;
struct value;

/* The records the directives of a booklet print (its key reads them). */
struct report_used {
	const struct record **records;
	size_t len, cap;
};

/* One booklet being made. */
struct report_job {
	const struct load_site *site;
	const struct record *report;
	struct stats_year *stats;
	const struct figures *figures; /* the build's, read only */
	struct report_shown *shown; /* the values the booklet shows (report.h) */
	struct report_used *used;
	struct arena *arena;
	struct diag *d;
	const char *template_path; /* the report template, for diagnostics */
	/* The template's output (Markdown), where each of its lines starts,
	 * and which template line wrote what: to report problems found in
	 * the Markdown at the template line. */
	const char *md;
	size_t *md_lines, md_nlines;
	const struct tmpl_srcmap *map;
	/* Records printed in full (record directives of the template), known
	 * before any body is parsed: in the PDF, links to them become page
	 * references (TS_RECORD_LINK) instead of website addresses. */
	const struct record **in_full;
	size_t nin_full;
	int paged; /* making the PDF, not the print page */
};

/* The template data (docs/REPORT.md). */
struct value *report_data(const struct load_site *bs, const struct record *r,
			  const struct stats_year *s, struct arena *a);

/* The moment the booklet of `r` with the records `s` stands for (its
 * PDF's dates, the 版权页's date): SOURCE_DATE_EPOCH when set, else the
 * newest git date among the report and the records of its year; 0 when
 * none has one (a worktree build); -1 for a malformed variable. */
long long report_data_epoch(const struct load_site *bs, const struct record *r,
			    const struct stats_year *s);

/* The key of the booklet `job` makes in `format` (report_key.c), with
 * `base` from report_key_base(): job->used are the records its directives
 * print, and job->shown from index `shown_from` on the figures it shows. */
void report_key_make(const struct report_job *job, const char *base,
		     enum report_format format, size_t shown_from,
		     char out[65]);

/* The note the manifest keeps with a booklet (manifest.h): the records
 * `used` and the figures `shown` from index `shown_from` on, in order, as
 * a string that report_key_read_note() reads back (malloc'd; the caller
 * frees it). */
char *report_key_note(const struct report_used *used,
		      const struct report_shown *shown, size_t shown_from);

/* Append the records and figures `note` lists to `used` and `shown`, as
 * they are in `s` (the figures of `year`). Returns 0, or -1 when the note
 * is malformed or names a record or figure `s` does not have. */
int report_key_read_note(const struct load_site *s, int year, const char *note,
			 struct report_used *used, struct report_shown *shown);

/* Append to the lists (report.c). */
void report_note_used(struct report_used *u, const struct record *r);
void report_note_shown(struct report_shown *sh, const struct figures_value *v);

/* Read the bytes of a "repo:PATH" URL from the snapshot. Returns 0 or -1. */
int report_read_repo_url(const struct report_job *job, const char *url,
			 struct buf *out);

/* The breakdown a chart directive names ("projects_by_level": figure
 * `projects` of the booklet's year by `level`), or NULL. *whole gets the
 * figure's value for the year. */
const struct figures_group *report_chart_group(const struct report_job *job,
					       const char *name,
					       const struct figures_value **whole);

/* The SVG of a chart directive (its figure was checked). `inline_svg`
 * leaves out the XML declaration. Returns 0 or -1. */
int report_chart_svg(const struct report_job *job, const struct directive *dir,
		     int inline_svg, struct buf *out);

/* The numbered caption of a chart directive's figure, "图3　培训项目（按
 * 级别）" ("Figure 3. …" in English), in the job's arena; the chart itself
 * then draws no title (report_chart_svg()). */
const char *report_chart_caption(const struct report_job *job,
				 const struct directive *dir, int number);

/* A chart of one bar, or a pie of one 100 % slice, as the sentence that
 * says it better ("培训项目（按级别）：全部为国培，3 个。"), in the job's
 * arena; NULL when the chart has two reported terms or more. */
const char *report_chart_sentence(const struct report_job *job,
				  const struct figures_value *v,
				  const struct figures_group *g, int pie);

/* Render the expanded document as one self-contained print HTML page. */
int report_html(const struct report_job *job, struct cmark_node *doc,
		struct buf *out);

#endif
