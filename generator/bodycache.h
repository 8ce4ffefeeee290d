/*
 * bodycache: what parsing a record's body gave (its plain text, its
 * prose, the files it links), kept beside the output for the next build.
 *
 * A build after a commit carries every record page whose key did not
 * change over from the previous output without rendering it (render_key.c),
 * but the search index, the feeds, the cards and the media the page links
 * still need what its body holds. Parsing every body again for that was a
 * sixth of the CPU of a build with one changed record. A record page's key
 * covers all that the parse reads (the body's blob and path, every
 * record's path and address, site.yaml, the theme, the media files, the
 * generator), so the same key gives the same text, prose and links: they
 * are kept by that key.
 *
 * The file is ".BASE.showcase-cache" (OUTDIR_CACHE_SUFFIX) beside output
 * folder BASE, like the lock, never inside it (it is no file for
 * visitors):
 *
 *     showcase-body-cache/1\n
 *     base <64 hex digits>\n
 *     count <N>\n
 *     N entries: <64 hex key> \0 <text bytes> <prose bytes> <link bytes> \n
 *                <text> \0 <prose> \0 <links>
 *     end <16 hex digits>\n
 *
 * where <links> is, for every link the parse resolved, 'i' (an image) or
 * 'a' (any other link), the repository path and a NUL, in the order the
 * parse resolved them; and the end line is a checksum of every byte before
 * it. A file that is not exactly that (another base, cut short or torn by
 * a crash, edited) is ignored and the bodies are parsed. Only bodies whose
 * parse reported nothing are kept, so that a warning is said again.
 *
 * The file is replaced through a temporary file in the build's scratch
 * folder and rename(), and only when what holds its name is a regular
 * file that starts with the format line above (or nothing): a file of the
 * user's that happens to have the name is left alone.
 *
 * Ownership and threads: a bodycache from bodycache_open() owns its
 * mapping of the file; entries point into it, valid until
 * bodycache_free(). bodycache_find() only reads and may be called from
 * many threads at once.
 */
#ifndef SHOWCASE_BODYCACHE_H
#define SHOWCASE_BODYCACHE_H

#include <stddef.h>

#define BODYCACHE_HEADER "showcase-body-cache/1\n"

struct bodycache;
struct diag;
struct writer;

struct bodycache_entry {
	const char *text, *prose; /* NUL-terminated */
	const char *links;        /* see above; links_len bytes */
	size_t links_len;
};

/* The most bytes an entry may take: a text of SEARCH_MAX_TEXT characters
 * of up to 4 bytes, a prose far shorter, and its links; a cache larger
 * than this per record of the model is not read at all (it is not one
 * this generator wrote for this site, and reading it whole to check it
 * would be the cost). */
#define BODYCACHE_MAX_ENTRY (128u << 10)

/* The cache beside output folder `outdir` made for base key `base`, for a
 * model of `records` records, or NULL when there is none that can be
 * trusted; then *why (when `why` is not NULL) says why, in a static
 * string. */
struct bodycache *bodycache_open(const char *outdir, const char *base,
				 size_t records, const char **why);

/* 1 and *e filled when the cache holds page key `key`, else 0. NULL-safe. */
int bodycache_find(const struct bodycache *c, const char *key,
		   struct bodycache_entry *e);

void bodycache_free(struct bodycache *c);

/*
 * Replace the cache beside the output of `w` (before write_commit()) with
 * the entries i < count whose keys[i] is not empty: keys[i] (64 hex
 * digits), texts[i], prose[i] (NULL for empty) and links[i] of
 * links_len[i] bytes. Returns 0, or -1 after a warning to `d`: the cache
 * is only an aid, the build goes on.
 */
int bodycache_write(struct writer *w, const char *base, size_t count,
		    char (*keys)[65], char **texts, char **prose,
		    char **links, const size_t *links_len, struct diag *d);

#endif
