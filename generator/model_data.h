/*
 * model_data: the values templates see, built from the linked records (part of the model module; see model.h and the data
 * contract in docs/THEMES.md).
 */
#ifndef SHOWCASE_MODEL_DATA_H
#define SHOWCASE_MODEL_DATA_H

struct arena;
struct model;
struct record;
struct value;

/* Fill m->site_data, m->site_for and each collection's data: the small
 * values every page shares, built once in the model's arena. */
void model_data_build(struct model *m, const char *generator,
		      const char *build_date);

struct record_time;

/* A commit time `when` as the day it was in the site's time zone
 * (site.yaml `timezone`, Beijing time by default, never the zone of the
 * machine that builds): YYYY-MM-DD, "2024年3月5日" or "5 March 2024", and
 * an ISO 8601 time with the offset; strings in `a`. */
void model_time_text(const struct model *m, struct arena *a, long long when,
		     struct record_time *out);

/*
 * What templates see as `record` (without content), as a link (summary),
 * and as `home`. They are built into `a`, which the caller owns (a page's
 * arena, emptied after the page); the model is only read, so several
 * threads may build values at once, each into its own arena.
 */
struct value *model_record_data(const struct model *m, const struct record *r,
				struct arena *a);
struct value *model_record_summary(const struct model *m,
				   const struct record *r, struct arena *a);
struct value *model_home_data(const struct model *m, struct arena *a);

/* What a card in a list of records needs (partials/card): the fields,
 * the summary and cover_url, without the display rows and links back of
 * model_record_data(), for pages that list many records (taxonomy). */
struct value *model_record_card(const struct model *m, const struct record *r,
				struct arena *a);

#endif
