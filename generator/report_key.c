/*
 * report_key: the key of one booklet output (report.h, struct report_key)
 * for incremental builds (manifest.h): a booklet is typeset again only
 * when its key changed.
 *
 * What a booklet shows comes from: the template's Markdown (the template
 * data: the year's record lists, fields and figures, its date), the bodies
 * and fields of the records its directives print, the figures its charts
 * draw (the year's values), the titles and addresses of the records its
 * links and references name, the images it reads, and the generator,
 * theme and settings. The key covers each of them, the last ones through
 * the manifest's base key (every file of the snapshot that is not a
 * record: site.yaml, a committed theme, media) and the link table
 * (report_key_base()). Records enter by path, blob id and git history
 * (published, updated, authors), so that an edit, or a commit that only
 * changes their dates, changes the key.
 *
 * Conservative where exact is risky: every record of the booklet's year
 * (whatever collection), every record counted in a figure of the year
 * (cumulative figures count earlier years), the records its sets list and
 * every record a directive names; and any title or address of any record
 * changes every booklet's key.
 */
#include "report_internal.h"

#include "manifest.h"
#include "model.h"
#include "repo.h"
#include "stats.h"

#include <string.h>

static void put_record(struct manifest_hash *h, const struct load_site *s,
		       const struct record *r)
{
	manifest_hash_record(h, r);
}

static void put_set(struct manifest_hash *h, const struct load_site *s,
		    const char *what, const struct stats_set *set)
{
	manifest_hash_num(h, what, (long long)set->len);
	for (size_t i = 0; i < set->len; i++)
		put_record(h, s, set->records[i]);
}

void report_key_base(const struct load_site *s, const char *base,
		     char out[MANIFEST_KEY_SIZE])
{
	struct manifest_hash *h = manifest_hash_new();
	const struct model *m = s->model;

	manifest_hash_str(h, "base", base);
	for (size_t i = 0; i < m->ncollections; i++) {
		const struct collection *c = &m->collections[i];
		manifest_hash_str(h, "collection", c->name);
		manifest_hash_num(h, "count", (long long)c->count);
		for (size_t j = 0; j < c->count; j++) {
			const struct record *r = c->records[j];
			manifest_hash_str(h, "path", r->path);
			manifest_hash_str(h, "url", r->url);
			manifest_hash_str(h, "title", r->title);
		}
	}
	manifest_hash_end(h, out);
}

void report_key_make(const struct report_job *job, const char *base,
		     enum report_format format, const char *md, size_t len,
		     char out[MANIFEST_KEY_SIZE])
{
	struct manifest_hash *h = manifest_hash_new();
	const struct load_site *s = job->site;
	const struct model *m = s->model;
	const struct figures *fs = job->figures;
	const struct stats_year *st = job->stats;

	manifest_hash_str(h, "booklet-base", base);
	manifest_hash_num(h, "format", format);
	manifest_hash_num(h, "year", st->year);
	manifest_hash_num(h, "epoch", report_data_epoch(s, job->report, st));
	manifest_hash_put(h, "md", md, len);
	put_record(h, s, job->report);
	put_set(h, s, "projects", &st->projects);
	put_set(h, s, "cases", &st->cases);
	put_set(h, s, "featured", &st->featured_cases);
	put_set(h, s, "other", &st->other_cases);
	put_set(h, s, "achievements", &st->achievements);
	put_set(h, s, "studios", &st->studios);
	put_set(h, s, "selections", &st->selections);
	for (size_t i = 0; i < m->ncollections; i++) {
		const struct collection *c = &m->collections[i];
		for (size_t j = 0; j < c->count; j++)
			if (figures_record_year(c->records[j]) == st->year)
				put_record(h, s, c->records[j]);
	}
	for (size_t i = 0; i < fs->nvalues; i++) {
		const struct figures_value *v = fs->values[i];
		if (v->year != st->year)
			continue;
		manifest_hash_str(h, "figure", v->id);
		manifest_hash_num(h, "has", v->has_value);
		manifest_hash_num(h, "value", v->value);
		manifest_hash_num(h, "selected", (long long)v->selected);
		manifest_hash_num(h, "reported", (long long)v->reported);
		for (size_t j = 0; j < v->selected; j++)
			put_record(h, s, v->records[j]);
	}
	for (size_t i = 0; i < job->used->len; i++)
		put_record(h, s, job->used->records[i]);
	manifest_hash_end(h, out);
}
