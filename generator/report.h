/*
 * report: `showcase report YEAR`, the printed yearly showcase booklet
 * (年度成果展示), typeset from the same records as the website.
 *
 * The booklet's structure is a Mustache template of the theme
 * (templates/report.mustache) that produces Markdown; bureaus reorder or
 * rename chapters by editing it, not C. The data it sees (the report
 * record, the year's figures and records) is documented in docs/REPORT.md.
 * Directives, written in the template as fenced code blocks with the info
 * string `showcase`, place what Markdown cannot say (the cover, the
 * contents, charts, records: directive.h parses them, from the template
 * only, never from a record's body).
 *
 * record/body/fields are expanded here (each body parsed on its own, so its
 * links, images and diagnostics point at its own file); the others go to
 * the typesetter (PDF) or become HTML (the print page).
 */
#ifndef SHOWCASE_REPORT_H
#define SHOWCASE_REPORT_H

#include "load.h"

struct buf;
struct diag;
struct figures;
struct figures_value;
struct record;

enum report_format {
	REPORT_PDF,
	REPORT_HTML,
};

struct report_options {
	struct load_options build; /* -C, --ref, --worktree, --theme */
	int year;
	const char *out;            /* --out FILE, NULL for the default */
	enum report_format format;
};

/* The command. Returns the exit code; diagnostics are flushed. */
int report_run(const struct report_options *o, struct diag *d);

/* Typeset the booklet of report record `r` into `out`. Returns 0, or -1
 * after reporting errors. Notes in s->figures where the figures it shows
 * are shown (report_typeset_shown() and report_shown_apply()). Single
 * thread. */
int report_typeset(struct load_site *s, const struct record *r,
		   enum report_format format, struct buf *out, struct diag *d);

/*
 * The figures one booklet shows, in the order it shows them. struct
 * figures may only be changed from one thread (figures_shown()), so a
 * booklet typeset on a thread of its own notes them here, and the build
 * hands them over once the thread is joined: the same calls in the same
 * order as a booklet typeset on the build's thread.
 */
struct report_shown {
	const struct figures_value **values;
	size_t len, cap;
};

#define REPORT_SHOWN_INIT { NULL, 0, 0 }

/* figures_shown(fs, v, page) for each value noted, in order. `page` must
 * outlive `fs` (arena memory). */
void report_shown_apply(const struct report_shown *sh, struct figures *fs,
			const char *page);

/* Free what `sh` holds and leave it as REPORT_SHOWN_INIT. */
void report_shown_release(struct report_shown *sh);

/* Incremental builds (manifest.h, report_key.c): a booklet's key. */
struct report_key {
	const char *base; /* report_key_base() of the build */
	const char *prev; /* the key the previous output lists for the file,
			   * NULL for none */
	const char *prev_note; /* and the note it keeps with it, or NULL */
	char key[65];     /* set by report_typeset_shown(), "" for none */
	char *note;       /* set with `key`, for the manifest; malloc'd, the
			   * caller frees it */
	int on_note;      /* set: carried over on prev_note, before the
			   * template was rendered */
};

/* The key of what every booklet of `s` shares: the manifest's `base` key
 * and every record's path, address and title (what links and references
 * show). Single thread. */
void report_key_base(const struct load_site *s, const char *base,
		     char out[65]);

/*
 * report_typeset(), noting the figures shown in `shown` (appended; the
 * caller applies them with the booklet's report_output_path()) instead of
 * changing s->figures. With `k`, it also sets k->key and k->note and,
 * when the key is k->prev, stops before the typesetting (the figures
 * shown are noted all the same) and returns 1: the previous file is this
 * booklet, to the byte. With k->prev_note, that is found before the
 * template is rendered (report_key.c). Thread safety: several booklets may be typeset at once, each with
 * its own `out`, `shown`, `k` and `d`, while the pages are rendered: `s`
 * is only read (its model, theme, snapshot and figures are read-only once
 * loaded; the media policy's cache has a lock of its own).
 */
int report_typeset_shown(const struct load_site *s, const struct record *r,
			 enum report_format format, struct buf *out, struct report_shown *shown,
			 struct report_key *k, struct diag *d);

/*
 * Several formats of the booklet of `r` (the PDF and the print page) at
 * once: report_typeset_shown() for each b[i], with the year's figures and
 * the template's Markdown made once for all (the template data is a good
 * part of the time of a booklet that is then carried over, and neither is
 * done for the formats carried over on their notes). Problems in what
 * they share are reported to the first b[i] that needs it, and then
 * every later b[i] that is not carried over gets rc -1.
 * `made` (may be NULL) is called with `ctx` and i as soon as b[i] is
 * done, so that whoever waits for it need not wait for the next; it
 * returns how many b[] there are now: `n`, or more when it has filled
 * b[n] (the other format, which it claimed only now, so that another
 * thread could take it meanwhile). Same thread safety as
 * report_typeset_shown().
 */
struct report_booklet {
	enum report_format format;
	struct buf *out;
	struct report_shown *shown;
	struct report_key *key; /* NULL: no key */
	struct diag *d;
	int rc;                 /* set: report_typeset_shown()'s return */
};

void report_typeset_formats(const struct load_site *s, const struct record *r,
			    struct report_booklet *b, size_t n,
			    size_t (*made)(void *ctx, size_t i), void *ctx);

/* Where the booklet of `r` goes under the output folder, next to its page:
 * "reports/2024/2024.pdf" (or .html). In `a`. */
const char *report_output_path(struct arena *a, const struct record *r,
			       enum report_format format);

#endif
