/*
 * bodycache: see bodycache.h.
 */
#include "bodycache.h"

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "outdir.h"
#include "strmap.h"
#include "write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_LEN 64
/* "end " 16 hex digits "\n" */
#define END_LEN 21
/* The temporary file, in the scratch folder: no output path starts with
 * a dot (write_path_is_safe() callers make slugs), like the manifest. */
#define TMP_NAME ".showcase-cache-tmp"

struct bodycache {
	void *map;
	size_t size;
	struct bodycache_entry *entries;
	struct strmap index; /* key (in the mapping) -> entry */
};

/*
 * The checksum of the end line: words of 8 bytes from the file's start,
 * then the bytes left. Only to tell a file torn by a crash or cut short
 * from a whole one (the file is not fsync'ed, like the output), so a
 * multiply per word is enough. `n` is a multiple of 8 but for the last
 * call of a stream.
 */
static uint64_t checksum(uint64_t h, const unsigned char *p, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t v;
		memcpy(&v, p + i, 8);
		h = (h ^ v) * 0x100000001b3ULL;
		h ^= h >> 32;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}
#define CHECKSUM_SEED 0x9e3779b97f4a7c15ULL

/* A decimal number ended by `end`, at *p below `limit`. */
static int read_num(const char **p, const char *limit, char end, size_t *out)
{
	const char *s = *p;
	size_t n = 0;

	if (s >= limit || *s < '0' || *s > '9')
		return -1;
	for (; s < limit && *s >= '0' && *s <= '9'; s++) {
		if (n > (SIZE_MAX - 9) / 10)
			return -1;
		n = n * 10 + (size_t)(*s - '0');
	}
	if (s >= limit || *s != end)
		return -1;
	*p = s + 1;
	*out = n;
	return 0;
}

static int is_key(const char *p)
{
	for (int i = 0; i < KEY_LEN; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return 0;
	return 1;
}

/* One entry at *p: NULL when it is not well formed. */
static const char *read_entry(const char *p, const char *limit,
			      struct bodycache_entry *e)
{
	size_t nt, np, nl;

	if ((size_t)(limit - p) < KEY_LEN + 1 || !is_key(p) || p[KEY_LEN])
		return NULL;
	p += KEY_LEN + 1;
	if (read_num(&p, limit, ' ', &nt) < 0 || read_num(&p, limit, ' ', &np) < 0 ||
	    read_num(&p, limit, '\n', &nl) < 0)
		return NULL;
	if ((size_t)(limit - p) < nt + 1 || p[nt] || memchr(p, 0, nt))
		return NULL;
	e->text = p;
	p += nt + 1;
	if ((size_t)(limit - p) < np + 1 || p[np] || memchr(p, 0, np))
		return NULL;
	e->prose = p;
	p += np + 1;
	if ((size_t)(limit - p) < nl || (nl && p[nl - 1]))
		return NULL;
	/* Each link: a kind, a path of at least one byte, a NUL. */
	for (size_t i = 0; i < nl;) {
		const char *z = memchr(p + i, 0, nl - i);
		if ((p[i] != 'i' && p[i] != 'a') || (size_t)(z - (p + i)) < 2)
			return NULL;
		i = (size_t)(z - p) + 1;
	}
	e->links = p;
	e->links_len = nl;
	return p + nl;
}

static const char *parse(struct bodycache *c, const char *base)
{
	const char *p = c->map, *limit, *start = c->map;
	size_t hl = strlen(BODYCACHE_HEADER), count;
	char end[END_LEN + 1];

	if (c->size < hl + 5 + KEY_LEN + 1 + END_LEN ||
	    memcmp(p, BODYCACHE_HEADER, hl))
		return "not a body cache of this version";
	limit = start + c->size - END_LEN;
	snprintf(end, sizeof(end), "end %016llx\n",
		 (unsigned long long)checksum(CHECKSUM_SEED,
					      (const unsigned char *)start,
					      (size_t)(limit - start)));
	if (memcmp(limit, end, END_LEN))
		return "its checksum does not match (cut short or torn)";
	p += hl;
	if (memcmp(p, "base ", 5) || memcmp(p + 5, base, KEY_LEN) ||
	    p[5 + KEY_LEN] != '\n')
		return "another base key";
	p += 5 + KEY_LEN + 1;
	if ((size_t)(limit - p) < 6 || memcmp(p, "count ", 6))
		return "no count";
	p += 6;
	if (read_num(&p, limit, '\n', &count) < 0 ||
	    count > (size_t)(limit - p) / (KEY_LEN + 9))
		return "a bad count";
	c->entries = xcalloc(count ? count : 1, sizeof(*c->entries));
	for (size_t i = 0; i < count; i++) {
		const char *key = p;
		if (!(p = read_entry(p, limit, &c->entries[i])))
			return "a malformed entry";
		if (strmap_put(&c->index, key, &c->entries[i]))
			return "a key listed twice";
	}
	if (p != limit)
		return "bytes after the last entry";
	return NULL;
}

struct bodycache *bodycache_open(const char *outdir, const char *base,
				 size_t records, const char **why_out)
{
	struct bodycache *c;
	char *path = outdir_beside(outdir, OUTDIR_CACHE_SUFFIX);
	const char *why = NULL;
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	free(path);
	if (fd < 0) {
		if (why_out)
			*why_out = errno == ENOENT ? "there is none" : "cannot open it";
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
		why = "not a regular file";
	else if ((unsigned long long)st.st_size / BODYCACHE_MAX_ENTRY > records)
		why = "larger than the records could make it";
	else {
		c->size = (size_t)st.st_size;
		c->map = mmap(NULL, c->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (c->map == MAP_FAILED) {
			c->map = NULL;
			why = "cannot map it";
		} else
			why = parse(c, base);
	}
	close(fd);
	if (why) {
		if (why_out)
			*why_out = why;
		bodycache_free(c);
		return NULL;
	}
	return c;
}

int bodycache_find(const struct bodycache *c, const char *key,
		   struct bodycache_entry *e)
{
	const struct bodycache_entry *found;

	if (!c || !(found = strmap_get(&c->index, key)))
		return 0;
	*e = *found;
	return 1;
}

void bodycache_free(struct bodycache *c)
{
	if (!c)
		return;
	if (c->map)
		munmap(c->map, c->size);
	free(c->entries);
	strmap_release(&c->index);
	free(c);
}

/* ---- writing ---- */

struct out {
	int fd;
	int failed;
	uint64_t sum;
	struct buf b;
};

/* Write out all but the bytes past the last whole word, which the
 * checksum takes with the next ones (all of them when `last`). */
static void flush(struct out *o, int last)
{
	size_t n = last ? o->b.len : o->b.len & ~(size_t)7;
	const char *p = o->b.ptr;

	o->sum = checksum(o->sum, (const unsigned char *)p, n);
	for (size_t done = 0; done < n && !o->failed;) {
		ssize_t k = write(o->fd, p + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			o->failed = errno;
		else if (k == 0) /* write() of regular files: no space left */
			o->failed = ENOSPC;
		else
			done += (size_t)k;
	}
	memmove(o->b.ptr, o->b.ptr + n, o->b.len - n);
	buf_truncate(&o->b, o->b.len - n);
}

static void put(struct out *o, const void *p, size_t n)
{
	buf_add(&o->b, p, n);
	if (o->b.len >= 1 << 16)
		flush(o, 0);
}

/* 1 when `name` in `dirfd` is missing or a cache of showcase's (its
 * first line); 0 when it is something else, which is left alone. */
static int replaceable(int dirfd, const char *name)
{
	char head[sizeof(BODYCACHE_HEADER) - 1];
	struct stat st;
	ssize_t n;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	int ok;

	if (fd < 0)
		return errno == ENOENT;
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	if (ok) {
		do
			n = read(fd, head, sizeof(head));
		while (n < 0 && errno == EINTR);
		/* Empty: a crash before anything reached the disk. */
		ok = n == 0 || (n == (ssize_t)sizeof(head) &&
				!memcmp(head, BODYCACHE_HEADER, sizeof(head)));
	}
	close(fd);
	return ok;
}

int bodycache_write(struct writer *w, const char *base, size_t count,
		    char (*keys)[65], char **texts, char **prose,
		    char **links, const size_t *links_len, struct diag *d)
{
	const char *outdir = write_outdir(w);
	char *path = outdir_beside(outdir, OUTDIR_CACHE_SUFFIX), *dir, *slash, e[128];
	const char *name;
	struct out o = { .fd = -1, .sum = CHECKSUM_SEED, .b = BUF_INIT };
	size_t n = 0;
	int dirfd = -1, scratch = write_scratch_fd(w), ret = -1;

	slash = strrchr(path, '/');
	dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	name = slash ? slash + 1 : path;
	if (!*dir) {
		free(dir);
		dir = xstrdup("/");
	}
	for (size_t i = 0; i < count; i++)
		n += keys[i][0] != '\0';
	o.fd = openat(scratch, TMP_NAME,
		      O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (o.fd < 0) {
		o.failed = errno;
		goto cleanup;
	}
	buf_printf(&o.b, BODYCACHE_HEADER "base %s\ncount %zu\n", base, n);
	for (size_t i = 0; i < count; i++) {
		const char *t = texts[i] ? texts[i] : "", *p = prose[i] ? prose[i] : "";
		char head[96];
		size_t tl = strlen(t), pl = strlen(p);
		int hl;

		if (!keys[i][0])
			continue;
		put(&o, keys[i], KEY_LEN + 1);
		hl = snprintf(head, sizeof(head), "%zu %zu %zu\n", tl, pl,
			      links_len[i]);
		put(&o, head, (size_t)hl);
		put(&o, t, tl + 1);
		put(&o, p, pl + 1);
		if (links_len[i])
			put(&o, links[i], links_len[i]);
	}
	flush(&o, 1);
	buf_printf(&o.b, "end %016llx\n", (unsigned long long)o.sum);
	flush(&o, 1);
	if (close(o.fd) < 0 && !o.failed)
		o.failed = errno;
	o.fd = -1;
	if (o.failed)
		goto cleanup;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		o.failed = errno;
		goto cleanup;
	}
	if (!replaceable(dirfd, name)) {
		diag_report(d, DIAG_WARNING, DIAG_SYSTEM, path, 0, 0,
			    "not written by showcase: left alone, and the body cache is not kept (move it away)");
		goto cleanup;
	}
	if (renameat(scratch, TMP_NAME, dirfd, name) < 0) {
		o.failed = errno;
		goto cleanup;
	}
	ret = 0;

cleanup:
	if (o.fd >= 0)
		close(o.fd);
	if (ret < 0)
		unlinkat(scratch, TMP_NAME, 0);
	if (o.failed)
		diag_report(d, DIAG_WARNING, DIAG_SYSTEM, path, 0, 0,
			    "cannot keep the body cache: %s",
			    strerror_r(o.failed, e, sizeof(e)));
	if (dirfd >= 0)
		close(dirfd);
	buf_release(&o.b);
	free(dir);
	free(path);
	return ret;
}
