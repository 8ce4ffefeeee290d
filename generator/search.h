/*
 * search: the static full-text index of the site, written at build time and
 * read by the theme's own script (static/search.js) in the visitor's
 * browser: no search service, no outside request.
 *
 * Chinese has no spaces between words and no segmenter is good enough for
 * names of projects, schools and studios, so CJK text is indexed as
 * overlapping character pairs (bigrams: "教师培训" gives 教师, 师培, 培训),
 * and a query is matched when every pair of it is in the record: a phrase
 * of two or more characters is found wherever it occurs, which is what a
 * visitor expects of "培训" or "送教下乡". A lone CJK character (between
 * punctuation or Latin) is a token of its own. Latin letters and digits
 * form words, ASCII lowercased. search.js tokenizes queries the same way.
 *
 * The index is split so that a query fetches little of it (a phone on a
 * slow network, 10,000 records):
 *
 *   search/meta.json        shard and chunk counts, collections, years
 *   search/t/N.json         tokens whose search_hash() % shards is N, each
 *                           with the ids of its records, delta-encoded
 *   search/d/N.json         records N*SEARCH_CHUNK... : url, title,
 *                           collection, year, excerpt (for the snippet)
 *
 * Pure: bytes in, JSON out; render writes the files. Output depends only on
 * the records added and their order, so builds are byte-identical.
 */
#ifndef SHOWCASE_SEARCH_H
#define SHOWCASE_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "strmap.h"

struct buf;

/* Records per search/d/N.json file. */
#define SEARCH_CHUNK 128
/* Characters of a record's text that are indexed (bodies beyond it are
 * rare; the bound keeps one huge record from dominating the index). */
#define SEARCH_MAX_TEXT 20000
/* Characters of the excerpt kept for the result's snippet. */
#define SEARCH_EXCERPT 120
/* Aimed size of one token shard, in bytes. */
#define SEARCH_SHARD_BYTES 65536

/* Call fn(ctx, token, len) for each token of text[0..len), in order,
 * repeats included. The token is not NUL-terminated. */
typedef void (*search_token_fn)(void *ctx, const char *tok, size_t len);
void search_tokenize(const char *text, size_t len, search_token_fn fn,
		     void *ctx);

/* FNV-1a of the token's UTF-8 bytes: which shard holds it. */
uint32_t search_hash(const char *tok, size_t len);

/* What a result shows; the index copies the strings. */
struct search_doc {
	const char *url;
	const char *title;
	const char *collection; /* name, e.g. "cases" */
	int year;               /* 0 when the record has none */
	const char *excerpt;    /* plain text; cut to SEARCH_EXCERPT */
};

struct search_posting;

struct search_index {
	struct arena arena;
	struct strmap tokens;            /* token -> struct search_posting,
					    for tokens longer than 8 bytes */
	/* Tokens of at most 8 bytes (every bigram: two CJK characters are
	 * 6 bytes), packed into their key, in an open-addressed table: a
	 * lookup per token of every record's text, 25 million at 50,000
	 * records, was most of the index's time through the strmap. */
	uint64_t *short_keys;            /* 0: an empty slot */
	struct search_posting **short_postings;
	size_t short_cap, short_len;
	struct search_posting **postings; /* in order of first appearance */
	size_t npostings, cap_postings;
	struct search_doc *docs;
	size_t ndocs, cap_docs;
	size_t nshards;                  /* set by search_index_finish() */
	size_t *shard_start;             /* postings of shard k: from
					    shard_start[k] to shard_start[k+1] */
};

void search_index_init(struct search_index *ix);
/* Add a record: `doc` for its result, `text` (plain text: title, summary,
 * body) for its tokens. Ids are given in the order of the calls. */
void search_index_add(struct search_index *ix, const struct search_doc *doc,
		      const char *text, size_t len);
/* Choose the number of shards (a power of two, by size); call once after
 * the last search_index_add(). */
void search_index_finish(struct search_index *ix);
size_t search_index_chunks(const struct search_index *ix);
/* Append the JSON of search/meta.json, search/t/<shard>.json and
 * search/d/<chunk>.json. `collections` are pairs of name and label, NULL
 * ended, for the filter. */
void search_index_meta_json(const struct search_index *ix,
			    const char *const *collections, struct buf *out);
void search_index_shard_json(const struct search_index *ix, size_t shard,
			     struct buf *out);
void search_index_chunk_json(const struct search_index *ix, size_t chunk,
			     struct buf *out);
void search_index_release(struct search_index *ix);

#endif
