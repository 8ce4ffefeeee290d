/*
 * model: the site as the templates see it, built from the validated records.
 *
 * The model stage reads every record file of the snapshot under content/,
 * splits and parses it (frontmatter, yamlv), validates it (schema), then
 * indexes records by slug and by file path, resolves references between
 * records and the links back to them, sorts each collection by its schema
 * order, and builds the immutable values that templates render.
 *
 * Everything the model holds lives in the arena given to model_new(),
 * except its indexes, the records' git history (repo_history_load(),
 * read in the load stage) and the media policy's cache, which
 * model_release() frees. A record file larger than the site's
 * limits.record_bytes is refused from the size git records, unread. Once
 * model_build() returns, nothing in the model is modified again: the render
 * stage reads it from several threads at once. Record bodies are not
 * rendered here; render does that on its worker threads.
 */
#ifndef SHOWCASE_MODEL_H
#define SHOWCASE_MODEL_H

#include "strmap.h"

#include <stddef.h>

struct arena;
struct diag;
struct media_policy;
struct repo_file_history;
struct repo_history;
struct repo_snapshot;
struct schema;
struct schema_collection;
struct site_config;
struct thumb_set;
struct value;

struct record {
	const struct schema_collection *schema;
	struct collection *coll;
	const char *path;     /* repository path of the file */
	const char *slug;
	/* where the slug was given, for diagnostics about it and the pages it
	 * names: its front matter value, or 1:1 when the file name gives it */
	unsigned slug_line, slug_col;
	const char *url;      /* with the site's base path */
	const char *out_path; /* file under OUT, e.g. "cases/x/index.html" */
	const char *title;
	const char *body;     /* Markdown, NUL-terminated, in the arena */
	size_t body_len;
	unsigned body_first_line;
	struct value *fields; /* typed front matter */
	int draft;
	size_t rank;          /* position in its sorted collection */
	/* records of other collections that reference this one, by collection */
	struct record_links *links;
	/* published, updated and authors from git (owned by model->history),
	 * NULL when unknown: a worktree build's uncommitted file, or no
	 * repository */
	const struct repo_file_history *history;
	/* model_record_year(), worked out once its fields are typed: pages,
	 * figures and booklets ask for it for every record they count */
	int year;
	int year_known;
	/* `history`'s published and updated times as pages show them (the
	 * day in the site's time zone, in words, ISO 8601), formatted once
	 * (model_data.h, model_time_text()); set with `history` */
	struct record_time {
		const char *date, *text, *iso;
	} published, updated;
	/* Its path, blob id and history hashed for the keys of incremental
	 * builds: manifest_record_digests(), which build calls when the
	 * output is keyed */
	unsigned char digest[32];
};

struct record_links {
	struct collection *from;
	struct record **records;
	size_t len, cap;
	struct record_links *next;
};

struct collection {
	const struct schema_collection *schema;
	const char *name;
	const char *label;
	const char *url;      /* list page URL */
	const char *out_dir;  /* list pages under OUT, e.g. "cases" */
	struct record **records; /* sorted by the schema's order */
	size_t count, cap;
	struct strmap by_slug;
	struct value *data;   /* {name, label, url, count} */
};

struct model {
	struct arena *arena;
	const struct site_config *site;
	const struct schema *schema;
	const struct repo_snapshot *snapshot;
	struct collection *collections; /* in schema order */
	size_t ncollections;
	struct strmap by_path;  /* repository path -> struct record */
	/* files under content/ left out for their errors -> struct record,
	 * as far as it was read (path, and body when it was found) */
	struct strmap failed;
	struct value *site_data; /* what templates see as `site` */
	/* `site` on the home page: site_data with the build date and the
	 * commit, which no other page shows (model_data.c) */
	struct value *site_home;
	size_t nrecords;
	int drafts;
	const char *commit_id; /* "" for worktree builds */
	struct repo_history *history; /* of content/, freed by model_release */
	/* Set before model_build: no history (check: dates and authors from
	 * the commits are shown, never validated, and the walk is a third of
	 * a check's time). */
	int no_history;
	/* Set before model_build: threads to read the records with (--jobs;
	 * 0, one per CPU) */
	int jobs;
	struct value **site_for; /* site data with nav.current set, per collection */
	/* What may be published of the files records link to; every image
	 * field, body link and booklet image is checked here (media.h).
	 * Thread safe; freed by model_release. */
	struct media_policy *media;
	/* The smaller copies of the images pages show (thumb.h): set by
	 * build for the render stage, NULL otherwise (images are then shown
	 * as they are). Thread safe; not the model's. */
	struct thumb_set *thumbs;
	/* Set by the build while booklets are being made (booklet.h): the
	 * size in bytes of report `r`'s PDF booklet, waiting for it to be
	 * written, or -1 when there is none. NULL: sizes are not known (check,
	 * serve), and pages link the booklets without one. Thread safe. */
	long long (*booklet_pdf_size)(void *ctx, const struct record *r);
	void *booklet_ctx;
};

/* `drafts`: include records with draft: true. */
struct model *model_new(struct arena *a, const struct site_config *site,
			const struct schema *schema,
			const struct repo_snapshot *snap, int drafts);

/*
 * Read, parse and validate every record, then index, link and sort them and
 * build the template values. Reports every problem; returns 0, or -1 when
 * any error was reported. `generator` and `build_date` go into site data.
 */
int model_build(struct model *m, const char *generator, const char *build_date,
		struct diag *d);

/* The record whose file is `repo_path`, or NULL. */
const struct record *model_record_by_path(const struct model *m,
					  const char *repo_path);
/* 1 if `repo_path` is a file under content/ that model_build() left out
 * because of its errors (so a link to it is not wrong too), else 0. */
int model_record_failed(const struct model *m, const char *repo_path);
/* The record of `collection` with `slug`, or NULL. */
/* The year a record counts for in the figures and booklets (figures.h):
 * its `year`, else the year of its `date`, else its `founded`; 0 when it
 * has none. */
int model_record_year(const struct record *r);

const struct record *model_record(const struct model *m,
				  const char *collection, const char *slug);
struct collection *model_collection(const struct model *m, const char *name);

/* URL under which a repository file (an image, an attachment) is published,
 * and its output path: "media/<repo path>". Returned in arena memory. */
const char *model_asset_url(const struct model *m, struct arena *a,
			    const char *repo_path);

void model_release(struct model *m);

#endif
