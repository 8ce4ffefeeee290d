/*
 * collate: see collate.h.
 *
 * Sorting computes each element's ICU sort keys once (n conversions, not
 * n log n comparisons through the collator) and then compares bytes; the
 * comparison needs no collator, so plain qsort() serves.
 */
#include "collate.h"

#include "alloc.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>

#define COLLATE_MAX_KEYS 4

struct collate {
	UCollator *coll; /* a clone of `shared`, or NULL: byte order */
	UChar *u16;      /* conversion buffer */
	int32_t u16cap;
};

/* Opened once and only ever cloned: it is never used for collating, so
 * no thread touches its mutable state. Lives until the process exits
 * (ICU's own caches hold its data anyway). `shared` is "zh" (pinyin),
 * `shared_en` "en" for sites in another language (Latin by the locale). */
static UCollator *shared, *shared_en;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;
static pthread_once_t shared_en_once = PTHREAD_ONCE_INIT;

static UCollator *open_locale(const char *locale)
{
	UErrorCode st = U_ZERO_ERROR;
	UCollator *c = ucol_open(locale, &st);

	/* Digits by their value: 第2中学 before 第10中学, as people count. */
	ucol_setAttribute(c, UCOL_NUMERIC_COLLATION, UCOL_ON, &st);
	if (U_FAILURE(st)) {
		if (c)
			ucol_close(c);
		return NULL;
	}
	return c;
}

static void open_shared(void)
{
	shared = open_locale("zh");
}

static void open_shared_en(void)
{
	shared_en = open_locale("en");
}

int collate_available(void)
{
	pthread_once(&shared_once, open_shared);
	return shared != NULL;
}

static struct collate *clone_of(UCollator *from)
{
	struct collate *c = xcalloc(1, sizeof(*c));
	UErrorCode st = U_ZERO_ERROR;

	if (!from)
		return c;
	c->coll = ucol_clone(from, &st);
	if (U_FAILURE(st)) {
		if (c->coll)
			ucol_close(c->coll);
		c->coll = NULL;
	}
	return c;
}

struct collate *collate_open(void)
{
	collate_available();
	return clone_of(shared);
}

struct collate *collate_open_for(const char *language)
{
	if (!language || !strncmp(language, "zh", 2))
		return collate_open();
	pthread_once(&shared_en_once, open_shared_en);
	return clone_of(shared_en);
}

void collate_close(struct collate *c)
{
	if (!c)
		return;
	if (c->coll)
		ucol_close(c->coll);
	free(c->u16);
	free(c);
}

int collate_compare(struct collate *c, const char *a, const char *b)
{
	UErrorCode st = U_ZERO_ERROR;
	int r;

	if (!a || !b)
		return !a - !b;
	if (!c->coll)
		return strcmp(a, b);
	r = ucol_strcollUTF8(c->coll, a, -1, b, -1, &st);
	if (U_FAILURE(st) || r == UCOL_EQUAL)
		return strcmp(a, b);
	return r == UCOL_LESS ? -1 : 1;
}

/* `s` as UTF-16 in c->u16 (invalid bytes as U+FFFD); its length, or -1. */
static int32_t to_u16(struct collate *c, const char *s)
{
	for (int tries = 0; tries < 2; tries++) {
		UErrorCode st = U_ZERO_ERROR;
		int32_t len = 0;
		u_strFromUTF8WithSub(c->u16, c->u16cap, &len, s, -1, 0xFFFD, NULL, &st);
		if (U_SUCCESS(st) && len < c->u16cap)
			return len;
		if (st != U_BUFFER_OVERFLOW_ERROR && st != U_STRING_NOT_TERMINATED_WARNING &&
		    U_FAILURE(st))
			return -1;
		c->u16cap = len + 1;
		c->u16 = xrealloc(c->u16, st_mult((size_t)c->u16cap, sizeof(UChar)));
	}
	return -1;
}

/* The sort key of `s` (NUL-terminated, no other NUL in it, as ICU makes
 * them; caller frees); without a collator, a copy of `s`. */
static uint8_t *sort_key(struct collate *c, const char *s)
{
	uint8_t *key = NULL;
	int32_t len, need, cap = 64;

	if (c->coll && (len = to_u16(c, s)) >= 0) {
		for (int tries = 0; tries < 2; tries++) {
			key = xrealloc(key, (size_t)cap);
			need = ucol_getSortKey(c->coll, c->u16, len, key, cap);
			if (need > 0 && need <= cap)
				return key;
			if (need <= 0)
				break;
			cap = need;
		}
		free(key);
	}
	return (uint8_t *)xstrdup(s);
}

struct item {
	size_t idx;
	uint8_t *key[COLLATE_MAX_KEYS]; /* NULL: no key (sorts last) */
	char *raw[COLLATE_MAX_KEYS];    /* ties between equal keys */
	size_t nkeys;
};

static int compare_items(const void *pa, const void *pb)
{
	const struct item *a = *(struct item *const *)pa;
	const struct item *b = *(struct item *const *)pb;

	for (size_t k = 0; k < a->nkeys; k++) {
		int r;
		if (!a->key[k] || !b->key[k]) {
			if (a->key[k] || b->key[k])
				return a->key[k] ? -1 : 1;
			continue;
		}
		if ((r = strcmp((const char *)a->key[k], (const char *)b->key[k])))
			return r;
		if ((r = strcmp(a->raw[k], b->raw[k])))
			return r;
	}
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

void collate_sort(void *base, size_t n, size_t size, size_t nkeys,
		  const char *(*key)(const void *elem, size_t k, void *ctx),
		  void *ctx)
{
	struct collate *c;
	struct item *items, **order;
	unsigned char *tmp;

	if (n < 2 || !size)
		return;
	if (nkeys > COLLATE_MAX_KEYS)
		nkeys = COLLATE_MAX_KEYS;
	c = collate_open();
	items = xcalloc(n, sizeof(*items));
	order = xcalloc(n, sizeof(*order));
	for (size_t i = 0; i < n; i++) {
		const void *elem = (const unsigned char *)base + i * size;
		items[i].idx = i;
		items[i].nkeys = nkeys;
		for (size_t k = 0; k < nkeys; k++) {
			const char *s = key(elem, k, ctx);
			if (!s || !*s)
				continue;
			items[i].raw[k] = xstrdup(s);
			items[i].key[k] = sort_key(c, s);
		}
		order[i] = &items[i];
	}
	qsort(order, n, sizeof(*order), compare_items);

	tmp = xmalloc(st_mult(n, size));
	for (size_t i = 0; i < n; i++)
		memcpy(tmp + i * size, (unsigned char *)base + order[i]->idx * size, size);
	memcpy(base, tmp, n * size);

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < nkeys; k++) {
			free(items[i].key[k]);
			free(items[i].raw[k]);
		}
	free(tmp);
	free(order);
	free(items);
	collate_close(c);
}

static const char *string_key(const void *elem, size_t k, void *ctx)
{
	(void)k;
	(void)ctx;
	return *(const char *const *)elem;
}

void collate_sort_strings(const char **v, size_t n)
{
	collate_sort((void *)v, n, sizeof(*v), 1, string_key, NULL);
}
