/*
 * report_key: the key of one booklet output (report.h, struct report_key)
 * for incremental builds (manifest.h): a booklet is typeset again only
 * when its key changed.
 *
 * What a booklet shows comes from: the template's Markdown, the bodies
 * and fields of the records its directives print, the figures it shows
 * (its charts, its 年度概况), the titles and addresses of the records its
 * links and references name, the images it reads, and the generator,
 * theme and settings. The key covers each of them, the last ones through
 * the manifest's base key (every file of the snapshot that is not a
 * record: site.yaml, a committed theme, the template, media) and the
 * link table (report_key_base()). Records enter by path, blob id and git
 * history (published, updated, authors), so that an edit, or a commit
 * that only changes their dates, changes the key.
 *
 * The template's Markdown is not hashed: the key covers what the template
 * is rendered from instead (report_data() reads the report record, its
 * year's records and sets, the year's figures, the titles and addresses
 * of the records it references, site.yaml and the build's date, which is
 * the epoch hashed here). So the key can be taken before the template is
 * rendered, once the records and figures the Markdown turned out to print
 * are known: the previous build keeps them in the manifest's note of the
 * file (report_key_note()), and a build reads them back
 * (report_key_read_note()), takes the key with them and, when it is the
 * listed one, carries the booklet over without rendering its template or
 * parsing it. The note needs no trust: the key hashes the lists it gives,
 * so a note that lists anything else gives another key.
 *
 * Conservative where exact is risky: every record of the booklet's year
 * (whatever collection), every record counted in a figure of the year
 * (cumulative figures count earlier years), the records its sets list and
 * every record a directive names; and any title or address of any record
 * changes every booklet's key.
 *
 * NEEDSWORK: report_data() must read nothing this key does not cover. A
 * new kind of template data (another year's figures, a field of a record
 * of another year) needs its inputs hashed here too, or a booklet is
 * carried over stale.
 */
#include "report_internal.h"

#include "buf.h"
#include "manifest.h"
#include "model.h"
#include "repo.h"
#include "stats.h"
#include "strmap.h"

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
		     enum report_format format, size_t shown_from,
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
	manifest_hash_num(h, "used", (long long)job->used->len);
	for (size_t i = 0; i < job->used->len; i++)
		put_record(h, s, job->used->records[i]);
	manifest_hash_num(h, "shown", (long long)(job->shown->len - shown_from));
	for (size_t i = shown_from; i < job->shown->len; i++)
		manifest_hash_str(h, "figure", job->shown->values[i]->id);
	manifest_hash_end(h, out);
}

/* One item of a note: its kind, ':', then `s` with every byte that a note
 * may not hold (manifest_note_is_valid()), '%' and the separator ','
 * written as %XX. */
static void note_item(struct buf *b, char kind, const char *s)
{
	if (b->len)
		buf_putc(b, ',');
	buf_putc(b, kind);
	buf_putc(b, ':');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= ' ' || c == 0x7f || c == '%' || c == ',')
			buf_printf(b, "%%%02X", c);
		else
			buf_putc(b, (char)c);
	}
}

char *report_key_note(const struct report_used *used,
		      const struct report_shown *shown, size_t shown_from)
{
	struct buf b = BUF_INIT;

	/* "-" stands for no item: a note is never empty */
	for (size_t i = 0; i < used->len; i++)
		note_item(&b, 'r', used->records[i]->path);
	for (size_t i = shown_from; i < shown->len; i++)
		note_item(&b, 'f', shown->values[i]->id);
	if (!b.len)
		buf_putc(&b, '-');
	return buf_detach(&b, NULL);
}

/* Decode the item at *p (after its "K:") up to ',' or the end into `out`;
 * moves *p past the separator. -1 when it is empty or decodes to a NUL.
 * A note that says anything else than what was written gives another key
 * (the key hashes what it lists), so the decoder need not be strict. */
static int note_take(const char **p, struct buf *out)
{
	size_t len = strcspn(*p, ",");
	int rc;

	buf_reset(out);
	rc = buf_add_percent_decoded(out, *p, len);
	*p += len + ((*p)[len] == ',');
	return rc == 0 && out->len ? 0 : -1;
}

int report_key_read_note(const struct load_site *s, int year, const char *note,
			 struct report_used *used, struct report_shown *shown)
{
	const struct figures *fs = &s->figures;
	struct strmap ids = STRMAP_INIT;
	struct buf item = BUF_INIT;
	const char *p = note;
	int ret = -1;

	/* The figures a booklet shows are its year's (the 年度概况, the
	 * charts' breakdowns). */
	for (size_t i = 0; i < fs->nvalues; i++)
		if (fs->values[i]->year == year)
			strmap_put(&ids, fs->values[i]->id, fs->values[i]);
	if (!strcmp(note, "-"))
		p = "";
	while (*p) {
		char kind = p[0];
		if (p[1] != ':' || (kind != 'r' && kind != 'f'))
			goto cleanup;
		p += 2;
		if (note_take(&p, &item) < 0)
			goto cleanup;
		if (kind == 'r') {
			const struct record *r = model_record_by_path(s->model,
								      item.ptr);
			if (!r)
				goto cleanup;
			report_note_used(used, r);
		} else {
			const struct figures_value *v = strmap_get(&ids, item.ptr);
			if (!v)
				goto cleanup;
			report_note_shown(shown, v);
		}
	}
	ret = 0;
cleanup:
	strmap_release(&ids);
	buf_release(&item);
	return ret;
}
