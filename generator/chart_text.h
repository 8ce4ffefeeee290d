/*
 * chart_text: the text of charts as SVG wants it (escaped, fitted, in the
 * site's language, numbers without the locale), and how wide it is.
 *
 * Internal to chart.c and chart_text.c; not for other modules. Widths are
 * estimates (CJK characters 1 em, others 0.6 em; see chart.c) in px at
 * `size`. Text is UTF-8 as written; invalid sequences are shown as U+FFFD.
 */
#ifndef SHOWCASE_CHART_TEXT_H
#define SHOWCASE_CHART_TEXT_H

#include <stddef.h>

#include "buf.h"

/* Append `len` bytes of `s` (`s` up to its NUL), escaped for SVG text and
 * attributes, control characters dropped. */
void chart_put_text_n(struct buf *out, const char *s, size_t len);
void chart_put_text(struct buf *out, const char *s);

/* The estimated width of `s` at font size `size`. */
double chart_text_width(const char *s, double size);

/* `s` escaped, cut with an ellipsis to fit `maxw`. */
void chart_put_fitted(struct buf *out, const char *s, double maxw, double size);

/* Split `s` into at most two lines no wider than `maxw`: line one is
 * s[0..*cut), line two s[*rest..]. Breaks anywhere, as Chinese does,
 * except inside a Latin word when an earlier space allows. Returns the
 * number of lines, or 3 when two are not enough. */
int chart_wrap2(const char *s, double maxw, double size, size_t *cut, size_t *rest);

/* The words and punctuation a chart writes itself, per language (the
 * titles, labels and units come in the caller's language). */
struct chart_words {
	const char *no_data, *other, *colon, *comma;
	const char *pct_open, *pct_close;   /* around "33%" after a value */
	const char *unit_space;             /* between a number and its unit */
	const char *category, *count, *share, *total;
};

/* The words of `language` ("en…": English; anything else: Chinese). */
const struct chart_words *chart_words_for(const char *language);

/* A coordinate or length: at most two decimals, no trailing zeros. */
void chart_put_num(struct buf *out, double v);

#endif
