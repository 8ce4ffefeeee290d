/*
 * numfmt: the one way showcase writes a count, in the booklet's text, its
 * tables, its charts and the website alike (issue 12, item 9: the charts
 * said "10,891人次" while the text said "45821 人次").
 *
 * The rule follows Chinese publishing practice (GB/T 15835-2011, 出版物上
 * 数字用法, 5.1.3): an integer of up to four digits is written plain
 * ("2024", "1500"), one of five digits or more is grouped in threes from
 * the right with the 千分撇 ("12,345", "1,234,567"). Four-digit years and
 * small counts stay as people write them; large counts stay readable. The
 * comma, not a thin space, because pdftotext, search and copy-and-paste
 * keep it, and Pango never breaks a line at it.
 *
 * Reentrant; keeps nothing.
 */
#ifndef SHOWCASE_NUMFMT_H
#define SHOWCASE_NUMFMT_H

struct buf;

/* Append `n` (negative numbers with a leading '-') by the rule above. */
void numfmt_count(struct buf *out, long long n);

#endif
