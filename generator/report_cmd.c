/*
 * report_cmd: `showcase report YEAR`, one booklet written to a file (see
 * report.h): find the year's report record, typeset it, write it.
 */
#include "report.h"

#include "buf.h"
#include "diag.h"
#include "figures.h"
#include "load.h"
#include "model.h"
#include "outdir.h"
#include "progress.h"
#include "value.h"
#include "write.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* `r` is a second report of `year`: at its year (or the date it comes
 * from). */
static void report_second(const struct record *r, const struct record *first,
			  int year, struct diag *d)
{
	const struct value *v = value_map_get(r->fields, "year");
	if (!v)
		v = value_map_get(r->fields, "date");
	diag_error(d, r->path, v ? v->line : 1, v ? v->col : 1,
		   "a second report for %d (the first is '%s')", year,
		   first->path);
}

/* The report record of `year`, or NULL after reporting which years have
 * one. */
static const struct record *find_report(const struct model *m, int year,
					struct diag *d)
{
	const struct collection *c = model_collection(m, "reports");
	const struct record *found = NULL;
	struct buf years = BUF_INIT;

	for (size_t i = 0; c && i < c->count; i++) {
		int y = figures_record_year(c->records[i]);
		if (y == year && !found)
			found = c->records[i];
		else if (y == year)
			report_second(c->records[i], found, year, d);
		buf_printf(&years, "%s%d", years.len ? ", " : "", y);
	}
	if (!found)
		diag_error(d, NULL, 0, 0,
			   "no report record for %d (content/reports/%d.md); "
			   "years with a report: %s", year, year,
			   years.len ? years.ptr : "none");
	buf_release(&years);
	return diag_error_count(d) ? NULL : found;
}

/* The default output folder, when this makes it, is marked as showcase's
 * so that a later build may replace it. */
static int mark_new_output(const char *dir, struct diag *d)
{
	struct buf marker = BUF_INIT;
	struct stat st;
	int ret = 0;

	buf_printf(&marker, "%s/output", dir);
	if (lstat(marker.ptr, &st) < 0 && errno == ENOENT) {
		buf_puts(&marker, "/" OUTDIR_MARKER);
		ret = write_single_file(marker.ptr, outdir_marker_text,
					strlen(outdir_marker_text), d);
	}
	buf_release(&marker);
	return ret;
}

int report_run(const struct report_options *o, struct diag *d)
{
	struct load_site s;
	struct buf out = BUF_INIT, path = BUF_INIT;
	const struct record *r;
	const char *dir = o->build.dir ? o->build.dir : ".";
	int code;

	buf_printf(&path, "%s/output", dir);
	if (load_open(&s, &o->build, path.ptr, d) < 0)
		goto cleanup;
	if (!(r = find_report(s.model, o->year, d)))
		goto cleanup;
	buf_reset(&path);
	if (o->out)
		buf_puts(&path, o->out);
	else
		buf_printf(&path, "%s/output/%s", dir,
			   report_output_path(&s.arena, r, o->format));
	if (report_typeset(&s, r, o->format, &out, d) < 0)
		goto cleanup;
	progress_add(PROGRESS_BOOKLETS, 1);
	if (!o->out && mark_new_output(dir, d) < 0)
		goto cleanup;
	if (write_single_file(path.ptr, out.ptr, out.len, d) < 0)
		goto cleanup;
	progress_stop();
	if (!o->build.quiet)
		fprintf(stderr, "showcase: wrote the %d booklet to '%s'\n",
			o->year, path.ptr);
cleanup:
	progress_stop(); /* the line goes before the diagnostics */
	code = diag_exit_code(d);
	diag_flush(d, stderr);
	load_release(&s);
	buf_release(&out);
	buf_release(&path);
	return code;
}
