/*
 * manifest: the keys (see manifest.h); the previous output and the new
 * manifest are manifest_prev.c's.
 *
 * The hash is SHA-256 from GLib (GChecksum), which the typesetter's
 * libraries link already. What goes into it is written as fields with
 * their lengths, so that no two different inputs give the same stream.
 */
#include "manifest.h"

#include "alloc.h"
#include "buf.h"
#include "load.h"
#include "model.h"
#include "parallel.h"
#include "repo.h"
#include "site.h"
#include "theme.h"
#include "thumb.h"

#include <cairo.h>
#include <cmark-gfm.h>
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <git2.h>
#include <glib.h>
#include <librsvg/rsvg.h>
#include <link.h>
#include <pango/pango.h>
#include <qpdf/qpdf-c.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <webp/decode.h>



/* "WHAT LEN:" then the bytes. By hand, not snprintf, and in one
 * g_checksum_update() when the field is short (ids, paths, numbers): this
 * runs for every part of every page's key (render_key.c) and for every
 * file of the commit in the manifest key, where GLib's cost per call
 * outweighed the hashing of a few dozen bytes. */
static void put(GChecksum *h, const char *what, const void *data, size_t len)
{
	char field[256], num[24];
	size_t k = sizeof(num), v = len, wlen = strlen(what);

	num[--k] = ':';
	do
		num[--k] = (char)('0' + v % 10);
	while ((v /= 10));
	num[--k] = ' ';
	if (wlen + (sizeof(num) - k) + len <= sizeof(field)) {
		memcpy(field, what, wlen);
		memcpy(field + wlen, num + k, sizeof(num) - k);
		if (len)
			memcpy(field + wlen + (sizeof(num) - k), data, len);
		g_checksum_update(h, (const guchar *)field,
				  wlen + (sizeof(num) - k) + len);
		return;
	}
	g_checksum_update(h, (const guchar *)what, wlen);
	g_checksum_update(h, (const guchar *)num + k, sizeof(num) - k);
	if (len)
		g_checksum_update(h, data, len);
}

static void put_str(GChecksum *h, const char *what, const char *s)
{
	put(h, what, s ? s : "", s ? strlen(s) : 0);
}

static void put_num(GChecksum *h, const char *what, long long v)
{
	char num[32];
	size_t k = sizeof(num);
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v
				     : (unsigned long long)v;

	do
		num[--k] = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		num[--k] = '-';
	put(h, what, num + k, sizeof(num) - k);
}

struct manifest_hash *manifest_hash_new(void)
{
	return (struct manifest_hash *)g_checksum_new(G_CHECKSUM_SHA256);
}

void manifest_hash_put(struct manifest_hash *h, const char *what,
		       const void *data, size_t len)
{
	put((GChecksum *)h, what, data, len);
}

void manifest_hash_str(struct manifest_hash *h, const char *what,
		       const char *s)
{
	put_str((GChecksum *)h, what, s);
}

void manifest_hash_num(struct manifest_hash *h, const char *what,
		       long long v)
{
	put_num((GChecksum *)h, what, v);
}

void manifest_hash_end(struct manifest_hash *h, char key[MANIFEST_KEY_SIZE])
{
	snprintf(key, MANIFEST_KEY_SIZE, "%s",
		 g_checksum_get_string((GChecksum *)h));
	g_checksum_free((GChecksum *)h);
}

static void record_digest(const struct model *m, struct record *r)
{
	const struct repo_file *f = repo_snapshot_find(m->snapshot, r->path);
	const struct repo_file_history *hi = r->history;
	GChecksum *h = g_checksum_new(G_CHECKSUM_SHA256);
	gsize len = sizeof(r->digest);

	put_str(h, "record", r->path);
	put_str(h, "oid", f ? f->oid : "");
	if (hi) {
		put_num(h, "published", hi->published);
		put_num(h, "updated", hi->updated);
		for (size_t k = 0; k < hi->nauthors; k++)
			put_str(h, "author", hi->authors[k]);
	}
	g_checksum_get_digest(h, r->digest, &len);
	g_checksum_free(h);
}

struct digest_job {
	const struct model *m;
	struct record **records;
	size_t n;
	atomic_size_t next;
};

static void *digest_work(void *arg)
{
	struct digest_job *job = *(struct digest_job **)arg;
	size_t i;

	while ((i = atomic_fetch_add(&job->next, 1)) < job->n)
		record_digest(job->m, job->records[i]);
	return NULL;
}

void manifest_record_digests(struct model *m)
{
	struct digest_job job = { m, NULL, 0, 0 };
	size_t n = 0, nworkers;
	struct digest_job **workers;

	for (size_t i = 0; i < m->ncollections; i++)
		n += m->collections[i].count;
	job.records = xcalloc(n ? n : 1, sizeof(*job.records));
	job.n = n;
	n = 0;
	for (size_t i = 0; i < m->ncollections; i++)
		for (size_t j = 0; j < m->collections[i].count; j++)
			job.records[n++] = m->collections[i].records[j];
	/* 50,000 hashes were 0.15 s of one thread. */
	nworkers = n < 1024 ? 1 : (size_t)parallel_jobs(m->jobs);
	workers = xcalloc(nworkers, sizeof(*workers));
	for (size_t i = 0; i < nworkers; i++)
		workers[i] = &job;
	parallel_run(digest_work, workers, sizeof(*workers), nworkers);
	free(workers);
	free(job.records);
}

void manifest_hash_record(struct manifest_hash *h, const struct record *r)
{
	put((GChecksum *)h, "record", r->digest, sizeof(r->digest));
}

/* The bytes of the file open as `fd` (closed here). Returns 0 or -1. */
static int put_fd(GChecksum *h, const char *what, int fd)
{
	struct buf b = BUF_INIT;
	int rc;

	if (fd < 0)
		return -1;
	rc = buf_read_fd(&b, fd);
	close(fd);
	if (rc == 0)
		put(h, what, b.ptr, b.len);
	buf_release(&b);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every entry below the folder open as `fd` (closed here), in name order,
 * its path relative to the theme and, for files, its bytes; links by
 * their target. Returns 0, or -1 when something cannot be read. */
static int put_tree(GChecksum *h, int fd, const char *prefix, int depth)
{
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int ret = 0;

	if (!dir) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = xrealloc(names, st_mult(cap, sizeof(*names)));
		}
		names[n++] = xstrdup(e->d_name);
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n && ret == 0; i++) {
		struct buf path = BUF_INIT;
		struct stat st;
		buf_printf(&path, "%s%s", prefix, names[i]);
		if (fstatat(dirfd(dir), names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			ret = -1;
		} else if (S_ISDIR(st.st_mode) && depth < 32) {
			put_str(h, "dir", path.ptr);
			buf_putc(&path, '/');
			ret = put_tree(h, openat(dirfd(dir), names[i],
				O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC),
				path.ptr, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			put_str(h, "file", path.ptr);
			ret = put_fd(h, "bytes", openat(dirfd(dir), names[i],
				O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
		} else if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t len = readlinkat(dirfd(dir), names[i], target,
						 sizeof(target));
			put_str(h, "link", path.ptr);
			if (len < 0)
				ret = -1;
			else
				put(h, "target", target, (size_t)len);
		} else {
			ret = -1;
		}
		buf_release(&path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
	return ret;
}

/* The GNU build ID of the running program: the linker's hash of the
 * whole linked file (-Wl,--build-id, see the Makefile). It names the
 * program's code as hashing the executable's bytes would, without
 * reading those megabytes on every run, no-op rebuilds included. */
static int find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
	struct buf *id = data;

	/* The first object is the program itself. */
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p, *end;
		if (ph->p_type != PT_NOTE)
			continue;
		p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
			const char *name = p + sizeof(*n);
			const char *desc = name + ((n->n_namesz + 3) & ~3u);
			const char *next = desc + ((n->n_descsz + 3) & ~3u);
			if (next > end)
				break;
			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
			    !memcmp(name, "GNU", 4) && n->n_descsz) {
				buf_add(id, desc, n->n_descsz);
				return 1;
			}
			p = next;
		}
	}
	return 1;
}

/* What shapes the output besides the site: the generator's code and the
 * libraries and fonts the booklets are typeset with. */
static int put_generator(GChecksum *h)
{
	struct buf id = BUF_INIT;
	int major, minor, rev;
	struct stat st;
	const char *fc_caches[] = { "/var/cache/fontconfig", NULL };
	char *home_cache = NULL;

	put_str(h, "version", SHOWCASE_VERSION);
	/* A build of other code under the same version number is another
	 * generator. Without a build ID, the executable's bytes. */
	dl_iterate_phdr(find_build_id, &id);
	if (id.len)
		put(h, "build-id", id.ptr, id.len);
	else if (put_fd(h, "exe", open("/proc/self/exe",
				       O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	buf_release(&id);
	put_str(h, "pango", pango_version_string());
	put_str(h, "cairo", cairo_version_string());
	put_str(h, "qpdf", qpdf_get_qpdf_version());
	put_str(h, "cmark", cmark_version_string());
	put_str(h, "vips", thumb_library_version());
	put_str(h, "gdk-pixbuf", gdk_pixbuf_version);
	put_num(h, "rsvg", (long long)rsvg_major_version * 1000000 +
		rsvg_minor_version * 1000 + rsvg_micro_version);
	put_num(h, "webp", WebPGetDecoderVersion());
	git_libgit2_version(&major, &minor, &rev);
	put_num(h, "libgit2", (long long)major * 1000000 + minor * 1000 + rev);
	/* Fonts installed or removed: fc-cache rewrites its caches then.
	 * NEEDSWORK: a font file replaced in place, without fc-cache, goes
	 * unseen. */
	if (getenv("HOME"))
		home_cache = g_build_filename(getenv("HOME"), ".cache",
					      "fontconfig", NULL);
	fc_caches[1] = home_cache;
	for (size_t i = 0; i < 2; i++)
		if (fc_caches[i] && !stat(fc_caches[i], &st)) {
			put_str(h, "fc-cache", fc_caches[i]);
			put_num(h, "mtime", (long long)st.st_mtim.tv_sec);
			put_num(h, "ns", (long long)st.st_mtim.tv_nsec);
		}
	g_free(home_cache);
	/* Where fontconfig looks, when told otherwise. */
	put_str(h, "FONTCONFIG_FILE", getenv("FONTCONFIG_FILE"));
	put_str(h, "FONTCONFIG_PATH", getenv("FONTCONFIG_PATH"));
	return 0;
}

/* A record's file: content/COLLECTION/SLUG.md. Its bytes and history
 * enter the keys of the outputs that show it, not the base key. */
static int is_record_path(const char *path)
{
	size_t n = strlen(path);
	return !strncmp(path, "content/", 8) && n > 3 &&
		!strcmp(path + n - 3, ".md");
}

int manifest_key(const struct load_site *s, const struct load_options *o,
		 char key[MANIFEST_KEY_SIZE], char base[MANIFEST_KEY_SIZE],
		 const char **why)
{
	GChecksum *h, *b;
	const char *unused;
	int ret = -1;

	if (!why)
		why = &unused;

	key[0] = base[0] = '\0';
	/* Files on disk have no blob ids to trust, and the commit's history
	 * is not what they show. */
	if (s->snap->worktree || !s->snap->commit_id[0]) {
		*why = "a build of the files on disk (--worktree) has no key";
		return -1;
	}
	b = g_checksum_new(G_CHECKSUM_SHA256);
	put_str(b, "format", MANIFEST_HEADER);
	if (put_generator(b) < 0) {
		*why = "the generator's own executable (/proc/self/exe) cannot be read";
		goto cleanup;
	}
	for (size_t i = 0; i < s->snap->count; i++) {
		const struct repo_file *f = &s->snap->files[i];
		if (is_record_path(f->path))
			continue;
		put_str(b, "path", f->path);
		put_str(b, "oid", f->oid);
		put_num(b, "mode", f->mode);
	}
	put_str(b, "SOURCE_DATE_EPOCH", getenv("SOURCE_DATE_EPOCH"));
	put_num(b, "drafts", o->drafts);
	put_str(b, "theme-option", o->theme);
	put_str(b, "theme", s->theme->root);
	if (s->theme->dir && put_tree(b, open(s->theme->dir, O_RDONLY |
			O_DIRECTORY | O_CLOEXEC), "", 0) < 0) {
		*why = "the theme folder cannot be read in full (a file or "
		       "folder that cannot be opened, or neither a file, a "
		       "folder nor a link)";
		goto cleanup;
	}
	snprintf(base, MANIFEST_KEY_SIZE, "%s", g_checksum_get_string(b));

	h = g_checksum_new(G_CHECKSUM_SHA256);
	put_str(h, "base", base);
	put_str(h, "commit", s->snap->commit_id);
	put_num(h, "commit-time", s->snap->commit_time);
	for (size_t i = 0; i < s->snap->count; i++) {
		const struct repo_file *f = &s->snap->files[i];
		put_str(h, "path", f->path);
		put_str(h, "oid", f->oid);
		put_num(h, "mode", f->mode);
	}
	put_str(h, "date", s->date);
	put_num(h, "epoch", load_epoch(s->snap->commit_time));
	snprintf(key, MANIFEST_KEY_SIZE, "%s", g_checksum_get_string(h));
	g_checksum_free(h);
	ret = 0;
cleanup:
	g_checksum_free(b);
	if (ret < 0)
		key[0] = base[0] = '\0';
	return ret;
}
