/*
 * collate: Chinese alphabetical order (pinyin), for the lists people read.
 *
 * strcmp() orders Han characters by code point, which is no order a
 * reader knows (临泽县 → 傅海 → 兴宁区). Chinese publications list names
 * by pinyin: 甘州, 广西, 湖南, 济源, 金坛. This module sorts by ICU's
 * collation for the locale "zh", whose CLDR default is pinyin (Han
 * first, by pinyin, then Latin letters), with runs of digits compared by
 * their value (第2中学 before 第10中学). Debian's libicu (libicu-dev,
 * pkg-config icu-uc icu-i18n) is the library the system's desktops and
 * databases already use for this; the order is CLDR's, so it is the one
 * readers meet elsewhere.
 *
 * Determinism: the order depends only on the strings and on the ICU
 * version (CLDR data); strings that collate equal are ordered by their
 * bytes, then by their place in the input, so a sort is stable and
 * byte-identical from run to run.
 *
 * Thread safety: ICU says a collator is not to be shared between threads.
 * The module opens one "zh" collator per process (once, under
 * pthread_once) and never uses it itself: collate_open() and
 * collate_sort() work on a clone of it (ucol_clone: cheap, a copy of a
 * few pointers to shared, immutable rule data). So collate_sort() may be
 * called from any number of threads at once; a struct collate belongs to
 * the thread that uses it (one at a time), as a FILE would.
 *
 * When ICU cannot open the collator (no data), every function falls back
 * to byte order (strcmp) and collate_available() says so; nothing fails.
 */
#ifndef SHOWCASE_COLLATE_H
#define SHOWCASE_COLLATE_H

#include <stddef.h>

struct collate;

/* 1 when the pinyin collator is there, 0 when sorting falls back to
 * byte order. */
int collate_available(void);

/* A collator for one thread's use (any number may exist at once); never
 * NULL. Free it with collate_close(). */
struct collate *collate_open(void);
void collate_close(struct collate *c);

/* The same for a site's `language`: "zh…" (or NULL) is pinyin order as
 * collate_open(); any other language orders by English rules (Latin
 * letters alphabetically, case and accents secondary). */
struct collate *collate_open_for(const char *language);

/* <0, 0, >0 as `a` sorts before, with or after `b` (both UTF-8; invalid
 * bytes compare as U+FFFD). NULL sorts after every string. */
int collate_compare(struct collate *c, const char *a, const char *b);

/*
 * Sort the `n` elements of `size` bytes at `base` in place, by `nkeys`
 * keys (1 to 4), each a UTF-8 string that key(elem, k, ctx) returns for
 * level k: by key 0, ties by key 1, and so on. A NULL or empty key sorts
 * after all others at its level (a record without a region comes after
 * those with one). Stable. The strings need only live until key() is
 * called again. Thread-safe (see above).
 */
void collate_sort(void *base, size_t n, size_t size, size_t nkeys,
		  const char *(*key)(const void *elem, size_t k, void *ctx),
		  void *ctx);

/* Sort an array of `n` strings (NULL allowed, last). */
void collate_sort_strings(const char **v, size_t n);

#endif
