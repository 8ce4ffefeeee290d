/*
 * search: see search.h.
 */
#include "search.h"

#include "alloc.h"
#include "buf.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

struct search_posting {
	const char *tok;   /* NUL-terminated, in the index's arena */
	size_t len;
	size_t shard;      /* set by search_index_finish() */
	uint32_t *ids;     /* ascending, no repeats */
	size_t n, cap;
};

/* Characters indexed as bigrams: Han ideographs and kana. CJK punctuation
 * and fullwidth forms separate tokens, as in search.js. */
static int is_cjk(unsigned cp)
{
	return (cp >= 0x3041 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0x20000 && cp <= 0x3FFFD);
}

/* Letters and digits of a Latin word: ASCII, and Latin-1 to Latin
 * Extended-B letters (not lowercased: search.js leaves them too). */
static int is_word(unsigned cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
	       (cp >= 'A' && cp <= 'Z') ||
	       (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

/* Longest Latin word indexed, in bytes: longer ones are cut (a URL or a
 * hash would only bloat the index). */
#define WORD_MAX 32

void search_tokenize(const char *text, size_t len, search_token_fn fn,
		     void *ctx)
{
	size_t i = 0;
	/* the start and length of the previous CJK character, if the last
	 * character was one */
	size_t prev = 0, prev_len = 0, run = 0;
	char word[WORD_MAX];
	size_t wlen = 0;

	while (i <= len) {
		unsigned cp = 0;
		size_t n = i < len ? utf8_decode(text + i, len - i, &cp) : 0;
		if (i < len && !n) {
			n = 1; /* invalid byte: a separator */
			cp = 0;
		}
		if (i < len && is_cjk(cp)) {
			if (run)
				fn(ctx, text + prev, prev_len + n);
			prev = i;
			prev_len = n;
			run++;
		} else {
			if (run == 1)
				fn(ctx, text + prev, prev_len);
			run = 0;
		}
		if (i < len && is_word(cp)) {
			if (wlen + n <= WORD_MAX) {
				for (size_t k = 0; k < n; k++) {
					char ch = text[i + k];
					word[wlen++] = ch >= 'A' && ch <= 'Z'
							       ? (char)(ch - 'A' + 'a') : ch;
				}
			}
		} else if (wlen) {
			fn(ctx, word, wlen);
			wlen = 0;
		}
		if (i == len)
			break;
		i += n;
	}
}

uint32_t search_hash(const char *tok, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)tok[i];
		h *= 16777619u;
	}
	return h;
}

void search_index_init(struct search_index *ix)
{
	memset(ix, 0, sizeof(*ix));
	arena_init(&ix->arena);
}

struct add_ctx {
	struct search_index *ix;
	uint32_t id;
};

/* A token of 1 to 8 bytes as its table key: its bytes, zero padded.
 * Tokens hold no NUL byte (invalid bytes separate tokens), so no two
 * tokens share a key and no key is 0. */
static uint64_t short_key(const char *tok, size_t len)
{
	uint64_t k = 0;
	memcpy(&k, tok, len);
	return k;
}

static size_t short_slot(const struct search_index *ix, uint64_t key)
{
	size_t mask = ix->short_cap - 1;
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;
	while (ix->short_keys[i] && ix->short_keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

static void short_grow(struct search_index *ix)
{
	uint64_t *keys = ix->short_keys;
	struct search_posting **vals = ix->short_postings;
	size_t cap = ix->short_cap;

	ix->short_cap = cap ? st_mult(cap, 2) : 4096;
	ix->short_keys = xcalloc(ix->short_cap, sizeof(*ix->short_keys));
	ix->short_postings = xcalloc(ix->short_cap, sizeof(*ix->short_postings));
	for (size_t i = 0; i < cap; i++)
		if (keys[i]) {
			size_t j = short_slot(ix, keys[i]);
			ix->short_keys[j] = keys[i];
			ix->short_postings[j] = vals[i];
		}
	free(keys);
	free(vals);
}

/* The posting of `tok`, NULL when new: then `*slot` is where to put it
 * (short tokens; SIZE_MAX for the strmap's). */
static struct search_posting *find_posting(struct search_index *ix,
					   const char *tok, size_t len,
					   size_t *slot)
{
	char key[WORD_MAX * 2 + 1];

	if (len <= sizeof(uint64_t)) {
		if (2 * (ix->short_len + 1) > ix->short_cap)
			short_grow(ix);
		*slot = short_slot(ix, short_key(tok, len));
		return ix->short_postings[*slot];
	}
	*slot = SIZE_MAX;
	memcpy(key, tok, len);
	key[len] = '\0';
	return strmap_get(&ix->tokens, key);
}

static void add_token(void *arg, const char *tok, size_t len)
{
	struct add_ctx *c = arg;
	struct search_index *ix = c->ix;
	struct search_posting *p;
	size_t slot;

	if (len > WORD_MAX * 2)
		return; /* cannot happen: a word is cut at WORD_MAX bytes */
	p = find_posting(ix, tok, len, &slot);
	if (!p) {
		p = arena_calloc(&ix->arena, 1, sizeof(*p));
		p->tok = arena_strndup(&ix->arena, tok, len);
		p->len = len;
		if (slot == SIZE_MAX) {
			strmap_put(&ix->tokens, p->tok, p);
		} else {
			ix->short_keys[slot] = short_key(tok, len);
			ix->short_postings[slot] = p;
			ix->short_len++;
		}
		if (ix->npostings == ix->cap_postings) {
			ix->cap_postings = ix->cap_postings ? st_mult(ix->cap_postings, 2) : 256;
			ix->postings = xrealloc(ix->postings,
						st_mult(ix->cap_postings, sizeof(*ix->postings)));
		}
		ix->postings[ix->npostings++] = p;
	}
	if (p->n && p->ids[p->n - 1] == c->id)
		return;
	if (p->n == p->cap) {
		p->cap = p->cap ? st_mult(p->cap, 2) : 4;
		p->ids = xrealloc(p->ids, st_mult(p->cap, sizeof(*p->ids)));
	}
	p->ids[p->n++] = c->id;
}

/* The first `max` characters of s, in the arena. */
static const char *cut_chars(struct arena *a, const char *s, size_t max)
{
	size_t len = strlen(s), i = 0, chars = 0;
	unsigned cp;

	while (i < len && chars < max) {
		size_t n = utf8_decode(s + i, len - i, &cp);
		i += n ? n : 1;
		chars++;
	}
	return arena_strndup(a, s, i);
}

void search_index_add(struct search_index *ix, const struct search_doc *doc,
		      const char *text, size_t len)
{
	struct add_ctx c = { ix, (uint32_t)ix->ndocs };
	struct search_doc *d;

	if (ix->ndocs == ix->cap_docs) {
		ix->cap_docs = ix->cap_docs ? st_mult(ix->cap_docs, 2) : 64;
		ix->docs = xrealloc(ix->docs, st_mult(ix->cap_docs, sizeof(*ix->docs)));
	}
	d = &ix->docs[ix->ndocs++];
	d->url = arena_strdup(&ix->arena, doc->url ? doc->url : "");
	d->title = arena_strdup(&ix->arena, doc->title ? doc->title : "");
	d->collection = arena_strdup(&ix->arena, doc->collection ? doc->collection : "");
	d->year = doc->year;
	d->excerpt = cut_chars(&ix->arena, doc->excerpt ? doc->excerpt : "",
			       SEARCH_EXCERPT);
	search_tokenize(text, len, add_token, &c);
}

/* Bytes of a posting in its shard: the token, the ids as deltas. */
static size_t posting_bytes(const struct search_posting *p)
{
	size_t bytes = p->len + 6;
	uint32_t last = 0;
	for (size_t i = 0; i < p->n; i++) {
		uint32_t d = p->ids[i] - last;
		last = p->ids[i];
		bytes += d < 10 ? 2 : d < 100 ? 3 : d < 1000 ? 4 : 6;
	}
	return bytes;
}

static int cmp_posting(const void *a, const void *b)
{
	const struct search_posting *x = *(const struct search_posting *const *)a;
	const struct search_posting *y = *(const struct search_posting *const *)b;
	if (x->shard != y->shard)
		return x->shard < y->shard ? -1 : 1;
	return strcmp(x->tok, y->tok);
}

void search_index_finish(struct search_index *ix)
{
	size_t total = 0;

	for (size_t i = 0; i < ix->npostings; i++)
		total += posting_bytes(ix->postings[i]);
	ix->nshards = 1;
	while (ix->nshards < 4096 && total / ix->nshards > SEARCH_SHARD_BYTES)
		ix->nshards *= 2;
	/* By shard, then in byte order: each shard is one run, and its text
	 * does not depend on the order in which tokens first appeared. */
	for (size_t i = 0; i < ix->npostings; i++)
		ix->postings[i]->shard = search_hash(ix->postings[i]->tok,
						     ix->postings[i]->len) % ix->nshards;
	if (ix->npostings)
		qsort(ix->postings, ix->npostings, sizeof(*ix->postings), cmp_posting);
	ix->shard_start = xcalloc(ix->nshards + 1, sizeof(*ix->shard_start));
	for (size_t i = 0, k = 0; k <= ix->nshards; k++) {
		while (i < ix->npostings && ix->postings[i]->shard < k)
			i++;
		ix->shard_start[k] = i;
	}
}

size_t search_index_chunks(const struct search_index *ix)
{
	return (ix->ndocs + SEARCH_CHUNK - 1) / SEARCH_CHUNK;
}

void search_index_meta_json(const struct search_index *ix,
			    const char *const *collections, struct buf *out)
{
	int years[26];
	size_t nyears = 0;

	buf_printf(out, "{\"version\":1,\"docs\":%zu,\"shards\":%zu,\"chunk\":%d,"
		   "\"collections\":[", ix->ndocs, ix->nshards, SEARCH_CHUNK);
	for (size_t i = 0; collections && collections[i]; i += 2) {
		buf_puts(out, i ? ",[" : "[");
		buf_add_json_string(out, collections[i]);
		buf_putc(out, ',');
		buf_add_json_string(out, collections[i + 1]);
		buf_putc(out, ']');
	}
	/* The years, newest first, for the filter. */
	for (size_t i = 0; i < ix->ndocs; i++) {
		int y = ix->docs[i].year, seen = 0;
		if (!y)
			continue;
		for (size_t k = 0; k < nyears && !seen; k++)
			seen = years[k] == y;
		if (seen || nyears == sizeof(years) / sizeof(*years))
			continue;
		size_t k = nyears++;
		while (k > 0 && years[k - 1] < y) {
			years[k] = years[k - 1];
			k--;
		}
		years[k] = y;
	}
	buf_puts(out, "],\"years\":[");
	for (size_t k = 0; k < nyears; k++)
		buf_printf(out, k ? ",%d" : "%d", years[k]);
	/* For the filters, one character per record, so that a query never
	 * fetches the records it will not show: its collection ('a' + the
	 * index in "collections", '-' for none) and its year ('a' + the index
	 * in "years"). 10,000 records cost 20 KB. */
	buf_puts(out, "],\"c\":\"");
	for (size_t i = 0; i < ix->ndocs; i++) {
		char ch = '-';
		for (size_t k = 0; collections && collections[k] && k / 2 < 26; k += 2)
			if (!strcmp(collections[k], ix->docs[i].collection)) {
				ch = (char)('a' + k / 2);
				break;
			}
		buf_putc(out, ch);
	}
	buf_puts(out, "\",\"y\":\"");
	for (size_t i = 0; i < ix->ndocs; i++) {
		char ch = '-';
		for (size_t k = 0; k < nyears && k < 26; k++)
			if (years[k] == ix->docs[i].year)
				ch = (char)('a' + k);
		buf_putc(out, ch);
	}
	buf_puts(out, "\"}\n");
}

/* By hand, not printf: a shard lists every record id of its tokens. */
static void put_uint(struct buf *out, uint32_t v)
{
	char num[10];
	size_t k = sizeof(num);

	do
		num[--k] = (char)('0' + v % 10);
	while ((v /= 10));
	buf_add(out, num + k, sizeof(num) - k);
}

void search_index_shard_json(const struct search_index *ix, size_t shard,
			     struct buf *out)
{
	buf_putc(out, '{');
	for (size_t i = ix->shard_start[shard]; i < ix->shard_start[shard + 1]; i++) {
		const struct search_posting *p = ix->postings[i];
		uint32_t last = 0;
		if (i > ix->shard_start[shard])
			buf_putc(out, ',');
		buf_add_json_string(out, p->tok);
		buf_puts(out, ":[");
		for (size_t k = 0; k < p->n; k++) {
			if (k)
				buf_putc(out, ',');
			put_uint(out, p->ids[k] - last);
			last = p->ids[k];
		}
		buf_putc(out, ']');
	}
	buf_puts(out, "}\n");
}

void search_index_chunk_json(const struct search_index *ix, size_t chunk,
			     struct buf *out)
{
	size_t from = chunk * SEARCH_CHUNK;

	buf_putc(out, '[');
	for (size_t i = from; i < ix->ndocs && i < from + SEARCH_CHUNK; i++) {
		const struct search_doc *d = &ix->docs[i];
		buf_puts(out, i > from ? ",\n[" : "[");
		buf_add_json_string(out, d->url);
		buf_putc(out, ',');
		buf_add_json_string(out, d->title);
		buf_putc(out, ',');
		buf_add_json_string(out, d->collection);
		buf_printf(out, ",%d,", d->year);
		buf_add_json_string(out, d->excerpt);
		buf_putc(out, ']');
	}
	buf_puts(out, "]\n");
}

void search_index_release(struct search_index *ix)
{
	for (size_t i = 0; i < ix->npostings; i++)
		free(ix->postings[i]->ids);
	free(ix->postings);
	free(ix->shard_start);
	free(ix->docs);
	strmap_release(&ix->tokens);
	free(ix->short_keys);
	free(ix->short_postings);
	arena_release(&ix->arena);
	memset(ix, 0, sizeof(*ix));
}
