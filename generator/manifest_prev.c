/*
 * manifest_prev: the previous output as its manifest lists it, and the
 * new manifest (see manifest.h). Reading a manifest back, checking the
 * previous output against it (the walk of a no-op rebuild), carrying its
 * files over, writing the new one. The keys themselves are hashed in
 * manifest.c.
 */
#include "manifest.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "outdir.h"
#include "parallel.h"
#include "strmap.h"
#include "write.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files listed in a manifest that is read back: more means a damaged or
 * foreign file, and a full build. */
#define MAX_ENTRIES 10000000

struct entry {
	char *path;
	unsigned long long size, ino;
	long long sec, nsec;
	char key[MANIFEST_KEY_SIZE]; /* the file's own key, "" for none */
	char *note;                  /* its note (manifest.h), NULL: none */
};

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path,
		      ((const struct entry *)b)->path);
}

struct entries {
	struct entry *v;
	size_t len, cap;
};

static void entries_release(struct entries *es)
{
	for (size_t i = 0; i < es->len; i++) {
		free(es->v[i].path);
		free(es->v[i].note);
	}
	free(es->v);
	memset(es, 0, sizeof(*es));
}

static void entries_push(struct entries *es, const struct entry *e)
{
	if (es->len == es->cap) {
		es->cap = es->cap ? es->cap * 2 : 256;
		es->v = xrealloc(es->v, st_mult(es->cap, sizeof(*es->v)));
	}
	es->v[es->len++] = *e;
}

static void entries_add(struct entries *es, const char *path,
			const struct stat *st)
{
	const struct entry e = {
		xstrdup(path), (unsigned long long)st->st_size,
		(unsigned long long)st->st_ino, (long long)st->st_mtim.tv_sec,
		(long long)st->st_mtim.tv_nsec, "", NULL,
	};
	entries_push(es, &e);
}

/* A "NAME HEX\n" line at *line with the value `want`: 1 when it matches,
 * 0 when it does not, -1 when it is not such a line. Moves *line on. */
static int key_line(char **line, const char *name, const char *want)
{
	size_t n = strlen(name), klen = MANIFEST_KEY_SIZE - 1;
	char *l = *line;
	int same;

	if (strncmp(l, name, n) || l[n] != ' ' || strlen(l + n + 1) < klen + 1 ||
	    l[n + 1 + klen] != '\n')
		return -1;
	same = !strncmp(l + n + 1, want, klen);
	*line = l + n + 2 + klen;
	return same;
}

/* The "summary RECORDS DIAGNOSTICS\n" line at *line; moves *line on. */
static int summary_line(char **line, struct manifest_summary *sum)
{
	char *end = strchr(*line, '\n');
	unsigned long long records, diagnostics;
	int used = 0;

	if (!end || sscanf(*line, "summary %llu %llu%n", &records,
			   &diagnostics, &used) != 2 || *line + used != end)
		return -1;
	sum->records = (size_t)records;
	sum->diagnostics = (size_t)diagnostics;
	*line = end + 1;
	return 0;
}

/* The decimal number at *p, then the byte `sep`: moves *p past both and
 * returns 0, or -1 when *p holds anything else. By hand, not sscanf():
 * a manifest has a line per file, 60,000 lines at 50,000 records, and
 * sscanf() was a tenth of a no-op rebuild. */
static int take_num(char **p, char sep, unsigned long long *v)
{
	const char *s = *p;
	unsigned long long n = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned digit = (unsigned)(*s - '0');
		if (n > (ULLONG_MAX - digit) / 10)
			return -1;
		n = n * 10 + digit;
	}
	if (*s != sep)
		return -1;
	*v = n;
	*p = (char *)s + 1;
	return 0;
}

/* Parse the previous manifest `text`: 2 when it is whole and has `key`, 1
 * when it has another key but the same `base`, else -1. */
static int parse(char *text, const char *key, const char *base,
		 struct entries *es, struct manifest_summary *sum)
{
	char *line, *next;
	int whole, same_base;

	if (strncmp(text, MANIFEST_HEADER, strlen(MANIFEST_HEADER)))
		return -1;
	line = text + strlen(MANIFEST_HEADER);
	if ((whole = key_line(&line, "key", key)) < 0 ||
	    (same_base = key_line(&line, "base", base)) < 0 || !same_base ||
	    summary_line(&line, sum) < 0)
		return -1;
	for (; *line; line = next) {
		struct entry e;
		unsigned long long count;
		unsigned long long sec, nsec;
		char *p = line, *k;
		int before_1970 = 0;
		if (!(next = strchr(line, '\n')) || es->len >= MAX_ENTRIES)
			return -1;
		*next++ = '\0';
		/* The last line counts the files: a manifest that lost lines
		 * would carry over an output without those files. */
		if (!strncmp(line, "end ", 4)) {
			p = line + 4;
			if (*next || take_num(&p, '\0', &count) < 0 ||
			    count != es->len)
				return -1;
			return whole ? 2 : 1;
		}
		/* NOTE, of the file on the line before */
		if (!strncmp(line, "note ", 5)) {
			if (!es->len || es->v[es->len - 1].note ||
			    !manifest_note_is_valid(line + 5))
				return -1;
			es->v[es->len - 1].note = xstrdup(line + 5);
			continue;
		}
		/* SIZE SEC.NSEC INODE KEY PATH, as manifest_write() puts it */
		if (take_num(&p, ' ', &e.size) < 0)
			return -1;
		if (*p == '-') {
			before_1970 = 1;
			p++;
		}
		if (take_num(&p, '.', &sec) < 0 || sec > LLONG_MAX ||
		    take_num(&p, ' ', &nsec) < 0 || nsec > LLONG_MAX ||
		    take_num(&p, ' ', &e.ino) < 0 || !(k = strchr(p, ' ')) ||
		    k == p || k - p >= MANIFEST_KEY_SIZE ||
		    !write_path_is_safe(k + 1))
			return -1;
		e.sec = before_1970 ? -(long long)sec : (long long)sec;
		e.nsec = (long long)nsec;
		if (k - p == 1 && *p == '-') /* no key of its own */
			e.key[0] = '\0';
		else
			snprintf(e.key, sizeof(e.key), "%.*s", (int)(k - p), p);
		e.path = xstrdup(k + 1);
		e.note = NULL;
		entries_push(es, &e);
	}
	return -1; /* no "end" line: cut short */
}

/* What a walk of an output folder found besides its regular files: a
 * previous output is the very output of a build only when it holds
 * nothing else and its modes are those the build gives. */
struct extras {
	mode_t file_mode, dir_mode; /* as the writer makes them */
	size_t count;               /* anything else, or another mode */
};

/* Every regular file below the folder open as `fd` (closed here), but the
 * marker and the manifest; `x` counts what else is there. `path` holds the
 * folder's path relative to the output ("" or ending in '/'), and is left
 * as it came.
 *
 * A no-op rebuild is mostly this walk: 25,000 entries at 10,000 records,
 * half of them folders of one page each. So it reads each folder with
 * outdir_entries and the entry types they give, and stats only the files
 * and the folders it opens. */
/* The depth of the folders whose own folders the workers walk
 * (list_output()): cases/ and the like. */
#define SPILL_DEPTH 1

/* Folders at SPILL_DEPTH stay open and hand their own folders to `sp`
 * (when not NULL) instead of walking them. */
static int list_tree(struct entries *es, int fd, struct buf *path, int depth,
		     struct extras *x, struct outdir_folders *sp)
{
	struct outdir_entries it;
	size_t mark = path->len, seen = 0;
	struct stat st;
	const char *name;
	unsigned char type;
	int ret = 0, err = 0;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode) || depth > 64) {
		close(fd);
		return -1;
	}
	if (depth && (st.st_mode & 07777) != x->dir_mode)
		x->count++;
	outdir_entries_start(&it, fd);
	while (ret == 0 && (name = outdir_entries_next(&it, &type, &err))) {
		seen++;
		if (!depth && (!strcmp(name, OUTDIR_MARKER) ||
			       !strcmp(name, MANIFEST_NAME)))
			continue;
		buf_truncate(path, mark);
		buf_puts(path, name);
		if (type == DT_UNKNOWN) { /* the file system does not say */
			if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
				ret = -1;
				break;
			}
			type = S_ISDIR(st.st_mode) ? DT_DIR
			       : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
		}
		if (type == DT_DIR) {
			buf_putc(path, '/');
			if (sp && depth == SPILL_DEPTH)
				outdir_folders_add(sp, fd, name, path->ptr);
			else
				ret = list_tree(es, openat(fd, name, O_RDONLY |
					O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC),
					path, depth + 1, x, sp);
		} else if (type == DT_REG) {
			if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				ret = -1;
			else if (!S_ISREG(st.st_mode) ||
				 (st.st_mode & 07777) != x->file_mode)
				x->count++;
			else
				entries_add(es, path->ptr, &st);
		} else {
			x->count++; /* a link, a pipe: not the build's */
		}
	}
	if (err)
		ret = -1;
	buf_truncate(path, mark);
	/* A build makes no empty folder. */
	if (!seen && depth)
		x->count++;
	if (sp && depth == SPILL_DEPTH)
		outdir_folders_keep(sp, fd);
	else
		close(fd);
	return ret;
}

struct walk_job {
	const struct outdir_folders *sp;
	atomic_size_t next;
};

struct walk_worker {
	struct walk_job *job;
	struct entries es;
	struct extras x;
	struct buf path;
	int ret;
};

static void *walk_work(void *arg)
{
	struct walk_worker *w = arg;
	const struct outdir_folders *sp = w->job->sp;
	size_t i;

	while (!w->ret && (i = atomic_fetch_add(&w->job->next, 1)) < sp->len) {
		buf_reset(&w->path);
		buf_puts(&w->path, sp->v[i].path);
		w->ret = list_tree(&w->es, openat(sp->v[i].parent,
			sp->v[i].name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			O_CLOEXEC), &w->path, SPILL_DEPTH + 1, &w->x, NULL);
	}
	return NULL;
}

/*
 * list_tree() of a whole output, on the workers of parallel.h below its
 * second level: a no-op rebuild is mostly this walk (25,000 entries at
 * 10,000 records, half of them folders of one page each), and the walk
 * is mostly system calls, which two threads make side by side. The files
 * come in no order (the caller sorts them).
 */
static int list_output(struct entries *es, int fd, struct extras *x)
{
	struct outdir_folders sp = { 0 };
	struct buf path = BUF_INIT;
	int ret = list_tree(es, fd, &path, 0, x, &sp);
	size_t n = sp.len < 256 ? 1 : (size_t)parallel_jobs(0);
	struct walk_job job = { &sp, 0 };
	struct walk_worker *workers = xcalloc(n, sizeof(*workers));

	for (size_t i = 0; i < n; i++) {
		workers[i].job = &job;
		workers[i].x = (struct extras){ x->file_mode, x->dir_mode, 0 };
		buf_init(&workers[i].path, 0);
	}
	if (ret == 0 && sp.len)
		parallel_run(walk_work, workers, sizeof(*workers), n);
	for (size_t i = 0; i < n; i++) {
		struct walk_worker *w = &workers[i];
		if (w->ret)
			ret = -1;
		x->count += w->x.count;
		for (size_t k = 0; k < w->es.len; k++) {
			entries_push(es, &w->es.v[k]);
			w->es.v[k].path = NULL; /* moved */
		}
		w->es.len = 0;
		entries_release(&w->es);
		buf_release(&w->path);
	}
	free(workers);
	outdir_folders_release(&sp);
	buf_release(&path);
	return ret;
}

/* Is the previous output exactly what `es` lists, files and folders,
 * marker and modes, with nothing else? Only reads. */
static int previous_is_exact(struct writer *w, const struct entries *es)
{
	struct entries old = { 0 };
	struct extras x = { 0, write_dir_mode(w), 0 };
	struct buf marker = BUF_INIT;
	char chunk[256];
	ssize_t n;
	int fd, exact;

	x.file_mode = x.dir_mode & 0644;
	fd = openat(write_previous_fd(w), OUTDIR_MARKER,
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 && marker.len < 4096)
		buf_add(&marker, chunk, (size_t)n);
	close(fd);
	exact = n == 0 && !strcmp(marker.ptr, outdir_marker_text) &&
		list_output(&old, openat(write_previous_fd(w), ".", O_RDONLY |
					 O_DIRECTORY | O_CLOEXEC), &x) == 0 &&
		!x.count && old.len == es->len;
	if (exact && old.len)
		qsort(old.v, old.len, sizeof(*old.v), cmp_entry);
	for (size_t i = 0; exact && i < old.len; i++)
		exact = !strcmp(old.v[i].path, es->v[i].path) &&
			old.v[i].size == es->v[i].size &&
			old.v[i].ino == es->v[i].ino &&
			old.v[i].sec == es->v[i].sec &&
			old.v[i].nsec == es->v[i].nsec;
	entries_release(&old);
	buf_release(&marker);
	return exact;
}

/* Carry every file `es` lists over, all or nothing: every file is
 * checked before any is linked, so that a full build never meets a file
 * already there. 1 when carried, 0 when one is not as listed, -1 after a
 * system error. */
static int carry_all(struct writer *w, const struct entries *es,
		     struct diag *d)
{
	for (size_t i = 0; i < es->len; i++) {
		struct stat st;
		const struct entry *e = &es->v[i];
		if (write_previous_stat(w, e->path, &st) < 0 ||
		    (st.st_mode & 07777) != (write_dir_mode(w) & 0644) ||
		    (unsigned long long)st.st_size != e->size ||
		    (unsigned long long)st.st_ino != e->ino ||
		    (long long)st.st_mtim.tv_sec != e->sec ||
		    (long long)st.st_mtim.tv_nsec != e->nsec)
			return 0;
	}
	for (size_t i = 0; i < es->len; i++)
		if (write_reuse(w, es->v[i].path, d) < 0)
			return -1;
	return 1;
}

struct manifest_prev {
	struct writer *w;
	struct entries es; /* sorted by path */
};

static const struct entry *prev_find(const struct manifest_prev *p,
				     const char *path)
{
	struct entry k = { (char *)path, 0, 0, 0, 0, "", NULL };
	return p->es.len ? bsearch(&k, p->es.v, p->es.len, sizeof(k), cmp_entry)
			 : NULL;
}

/* Is the file open as `fd` still what the manifest lists as `e`? */
static int intact_stat(const struct manifest_prev *p, const struct entry *e,
		       const struct stat *st)
{
	return S_ISREG(st->st_mode) &&
		(st->st_mode & 07777) == (write_dir_mode(p->w) & 0644) &&
		(unsigned long long)st->st_size == e->size &&
		(unsigned long long)st->st_ino == e->ino &&
		(long long)st->st_mtim.tv_sec == e->sec &&
		(long long)st->st_mtim.tv_nsec == e->nsec;
}

static int intact(const struct manifest_prev *p, const struct entry *e,
		  int fd)
{
	struct stat st;
	return !fstat(fd, &st) && intact_stat(p, e, &st);
}

struct accept_intact {
	const struct manifest_prev *p;
	const struct entry *e;
};

static int accept_intact(void *ctx, const struct stat *st)
{
	const struct accept_intact *a = ctx;
	return intact_stat(a->p, a->e, st);
}

int manifest_prev_reuse(const struct manifest_prev *p, const char *path,
			const char *key, struct writer *w, struct diag *d)
{
	const struct entry *e = p ? prev_find(p, path) : NULL;
	struct accept_intact a = { p, e };

	if (!e || !e->key[0] || strcmp(e->key, key))
		return 0;
	return write_reuse_if(w, path, accept_intact, &a, d);
}

const char *manifest_prev_key(const struct manifest_prev *p, const char *path)
{
	const struct entry *e = p ? prev_find(p, path) : NULL;
	struct stat st;

	/* A stat, not an open: this runs for every page of the site. */
	if (!e || !e->key[0] || write_previous_stat(p->w, path, &st) < 0)
		return NULL;
	return intact_stat(p, e, &st) ? e->key : NULL;
}

const char *manifest_prev_note(const struct manifest_prev *p, const char *path)
{
	const struct entry *e = p ? prev_find(p, path) : NULL;

	return e && e->key[0] ? e->note : NULL;
}

int manifest_note_is_valid(const char *note)
{
	if (!*note)
		return 0;
	for (; *note; note++)
		if ((unsigned char)*note <= ' ' || *note == 0x7f)
			return 0;
	return 1;
}

int manifest_prev_same(void *ctx, const char *path, const void *data,
		       size_t len)
{
	const struct manifest_prev *p = ctx;
	const struct entry *e = prev_find(p, path);
	char *old;
	size_t got = 0;
	ssize_t n = 1;
	int fd, same = 0;

	if (!e || e->size != len || (fd = write_previous_open(p->w, path)) < 0)
		return 0;
	if (intact(p, e, fd)) {
		old = xmalloc(len ? len : 1);
		while (got < len && (n = read(fd, old + got, len - got)) > 0)
			got += (size_t)n;
		same = got == len && !memcmp(old, data, len);
		free(old);
	}
	close(fd);
	return same;
}

void manifest_prev_free(struct manifest_prev *p)
{
	if (!p)
		return;
	entries_release(&p->es);
	free(p);
}

int manifest_reuse(struct writer *w, const char *key, const char *base,
		   struct manifest_prev **prev, struct manifest_summary *was,
		   struct diag *d)
{
	struct entries es = { 0 };
	struct buf text = BUF_INIT;
	struct manifest_summary sum = { 0 };
	int n, kind;
	int fd, ret = 0;

	*prev = NULL;
	memset(was, 0, sizeof(*was));
	if (write_previous_fd(w) < 0)
		return 0;
	fd = openat(write_previous_fd(w), MANIFEST_NAME,
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = buf_read_fd(&text, fd);
	close(fd);
	if (n < 0 || strlen(text.ptr) != text.len ||
	    (kind = parse(text.ptr, key, base, &es, &sum)) < 0)
		goto cleanup;
	if (es.len > 1)
		qsort(es.v, es.len, sizeof(*es.v), cmp_entry);
	/* Not a manifest this module wrote: a full build. */
	for (size_t i = 0; i < es.len; i++)
		if (!strcmp(es.v[i].path, OUTDIR_MARKER) ||
		    !strcmp(es.v[i].path, MANIFEST_NAME) ||
		    (i && !strcmp(es.v[i].path, es.v[i - 1].path)))
			goto cleanup;
	/* A build that had something to say is not carried over whole: a
	 * booklet that warned was typeset without a key of its own, and
	 * made file by file it is typeset again and says it again. */
	if (kind == 2 && !sum.diagnostics) {
		/* Nothing to do at all: leave it in place, write nothing. */
		if (previous_is_exact(w, &es)) {
			*was = sum;
			ret = 2;
			goto cleanup;
		}
		if ((ret = carry_all(w, &es, d)) < 0)
			goto cleanup;
		/* Carried over whole: *prev still gives the files' keys
		 * (manifest_prev_keys()). */
		if (ret == 1)
			*was = sum;
	}
	/* Another commit of the same generator, theme and settings: the
	 * outputs are made file by file, each reused where it can be. */
	*prev = xcalloc(1, sizeof(**prev));
	(*prev)->w = w;
	(*prev)->es = es;
	memset(&es, 0, sizeof(es));
cleanup:
	entries_release(&es);
	buf_release(&text);
	return ret;
}

void manifest_prev_keys(const struct manifest_prev *p, struct strmap *keys,
			struct strmap *notes, struct arena *a)
{
	for (size_t i = 0; p && i < p->es.len; i++) {
		const struct entry *e = &p->es.v[i];
		if (e->key[0])
			strmap_put(keys, arena_strdup(a, e->path),
				   arena_strdup(a, e->key));
		if (e->note)
			strmap_put(notes, arena_strdup(a, e->path),
				   arena_strdup(a, e->note));
	}
}

int manifest_write(struct writer *w, const char *key, const char *base,
		   const struct strmap *keys, const struct strmap *notes,
		   const struct manifest_summary *sum, struct diag *d)
{
	struct entries es = { 0 };
	struct buf out = BUF_INIT;
	size_t n;
	const struct write_made *made = write_files(w, &n);
	int ret;

	/* What the writer made, as it made it: the same list as a walk of
	 * the new output would give, without the walk (the marker is made
	 * by write_begin() and this file comes next: neither is in it). */
	es.v = xcalloc(n ? n : 1, sizeof(*es.v));
	es.cap = n ? n : 1;
	for (size_t i = 0; i < n; i++)
		es.v[es.len++] = (struct entry){ xstrdup(made[i].path),
			made[i].size, made[i].ino, made[i].sec, made[i].nsec, "",
			NULL };
	if (es.len)
		qsort(es.v, es.len, sizeof(*es.v), cmp_entry);
	buf_printf(&out, MANIFEST_HEADER "key %s\nbase %s\nsummary %zu %zu\n", key, base,
		   sum->records, sum->diagnostics);
	for (size_t i = 0; i < es.len; i++) {
		const char *k = keys ? strmap_get(keys, es.v[i].path) : NULL;
		const char *note = k && notes ? strmap_get(notes, es.v[i].path)
					      : NULL;
		buf_printf(&out, "%llu %lld.%09lld %llu %s %s\n", es.v[i].size,
			   es.v[i].sec, es.v[i].nsec, es.v[i].ino,
			   k ? k : "-", es.v[i].path);
		if (note && manifest_note_is_valid(note))
			buf_printf(&out, "note %s\n", note);
	}
	buf_printf(&out, "end %zu\n", es.len);
	ret = write_file(w, MANIFEST_NAME, out.ptr, out.len, d);
	entries_release(&es);
	buf_release(&out);
	return ret;
}
