/*
 * new: see new.h.
 */
#include "new.h"

#include "alloc.h"
#include "arena.h"
#include "buf.h"
#include "cli.h"
#include "diag.h"
#include "frontmatter.h"
#include "media.h"
#include "repo.h"
#include "schema.h"
#include "site.h"
#include "theme.h"
#include "value.h"
#include "yamlv.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SETS 64

const char new_help[] =
	"usage: showcase new COLLECTION [-C DIR] [--title T] [--date D] [--slug S]\n"
	"                    [--set FIELD=VALUE]... [--theme DIR]\n"
	"\n"
	"Write a new record of COLLECTION (cases, projects, ...) with every field\n"
	"of the schema: required fields first, with their labels and choices as\n"
	"comments, optional ones commented out. The record is checked before it is\n"
	"written, and an existing record is never replaced.\n"
	"\n"
	"  --title T          the title\n"
	"  --date D           the date, YYYY-MM-DD (default: today)\n"
	"  --slug S           the file name (default: the date and the ASCII\n"
	"                     letters of the title, or a short hash of it)\n"
	"  --set FIELD=VALUE  any other field; a list takes VALUE,VALUE,...\n"
	"  -C DIR             the site's folder (default: the current folder)\n"
	"\n"
	"Missing required values are asked for on a terminal; otherwise (stdin\n"
	"not a terminal) the command exits 2 and names them. Exit status: 0\n"
	"written; 1 the values are invalid (nothing written); 2 wrong usage, a\n"
	"missing value or an existing record; 3 repository or theme failure.\n";

struct new_ctx {
	struct arena arena;
	struct repo_snapshot *snap;
	struct site_config site;
	struct theme *theme;
	struct schema *schema;
	const struct schema_collection *c;
	const char *names[MAX_SETS], *values[MAX_SETS];
	size_t nsets;
	struct diag *d;
};

void new_slug(struct buf *out, const char *title, const char *date)
{
	size_t start;
	int dash = 0;

	buf_reset(out);
	if (date && *date)
		buf_printf(out, "%s-", date);
	start = out->len;
	for (const unsigned char *p = (const unsigned char *)title; *p; p++) {
		int alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9');
		if (!alnum) {
			dash = out->len > start;
			continue;
		}
		if (out->len - start >= 40)
			break;
		if (dash)
			buf_putc(out, '-');
		dash = 0;
		buf_putc(out, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
	}
	if (out->len - start < 3 || !strpbrk(out->ptr + start,
					     "abcdefghijklmnopqrstuvwxyz")) {
		/* Too little ASCII to go by ("2" of "送教下乡2"): a stable
		 * short hash of the title. */
		buf_truncate(out, start);
		unsigned h = 2166136261u;
		for (const unsigned char *p = (const unsigned char *)title; *p; p++)
			h = (h ^ *p) * 16777619u;
		buf_printf(out, "r%08x", h);
	}
}

static const char *get(const struct new_ctx *n, const char *name)
{
	for (size_t i = n->nsets; i-- > 0;)
		if (!strcmp(n->names[i], name))
			return n->values[i];
	return NULL;
}

static void set(struct new_ctx *n, const char *name, const char *value)
{
	n->names[n->nsets] = name;
	n->values[n->nsets++] = value;
}

/* A YAML double-quoted scalar. */
static void add_quoted(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		if (*s == '\n')
			buf_puts(b, "\\n");
		else if ((unsigned char)*s < 0x20)
			buf_printf(b, "\\x%02x", (unsigned char)*s);
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static void add_scalar(struct buf *b, const struct schema_field *f,
		       const char *v)
{
	if (f->type == SCHEMA_INTEGER || f->type == SCHEMA_BOOLEAN ||
	    f->type == SCHEMA_DATE)
		buf_puts(b, v); /* typed plain, checked below like any value */
	else
		add_quoted(b, v);
}

/* VALUE,VALUE (commas ASCII or Chinese) as a YAML flow list; for a list of
 * objects, each value is the first field of an entry. */
static void add_list(struct buf *b, const struct schema_field *f,
		     const char *v)
{
	const struct schema_field *it = f->item ? f->item : f;
	struct buf norm = BUF_INIT;
	int first = 1;

	for (const char *p = v; *p; p++) {
		if (!strncmp(p, "，", strlen("，"))) {
			buf_putc(&norm, ',');
			p += strlen("，") - 1;
		} else {
			buf_putc(&norm, *p);
		}
	}
	buf_putc(b, '[');
	for (char *p = norm.ptr, *next; p; p = next) {
		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		while (*p == ' ')
			p++;
		if (!*p)
			continue;
		buf_puts(b, first ? "" : ", ");
		first = 0;
		if (it->type == SCHEMA_OBJECT && it->nfields) {
			buf_printf(b, "{ %s: ", it->fields[0].name);
			add_quoted(b, p);
			buf_puts(b, " }");
		} else {
			add_scalar(b, it, p);
		}
	}
	buf_putc(b, ']');
	buf_release(&norm);
}

static void add_comment(struct buf *b, const struct schema_field *f)
{
	buf_printf(b, "  # %s", f->label);
	if (f->type == SCHEMA_ENUM || (f->type == SCHEMA_LIST && f->item &&
				       f->item->type == SCHEMA_ENUM)) {
		const struct schema_field *e = f->type == SCHEMA_ENUM ? f : f->item;
		buf_puts(b, "；可选: ");
		for (size_t i = 0; i < e->nvalues; i++)
			buf_printf(b, "%s%s", i ? ", " : "", e->values[i]);
	} else if (f->type == SCHEMA_DATE) {
		buf_puts(b, "；格式 年-月-日");
	} else if (f->type == SCHEMA_REFERENCE) {
		buf_printf(b, "；填写 %s 中记录的文件名", f->to);
	} else if (f->type == SCHEMA_LIST) {
		buf_puts(b, "；多项用逗号分隔");
	}
	buf_putc(b, '\n');
}

static void compose(const struct new_ctx *n, struct buf *b)
{
	const struct schema_collection *c = n->c;

	buf_puts(b, "---\n# 必填字段 (required)\n");
	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			buf_puts(b, "# 选填字段 (optional): 去掉行首的 # 再填写\n");
		for (size_t i = 0; i < c->nfields; i++) {
			const struct schema_field *f = &c->fields[i];
			const char *v = get(n, f->name);
			if (!!f->required == pass)
				continue;
			if (!v)
				buf_puts(b, "# ");
			buf_printf(b, "%s: ", f->name);
			if (v && f->type == SCHEMA_LIST)
				add_list(b, f, v);
			else if (v)
				add_scalar(b, f, v);
			else
				buf_puts(b, f->type == SCHEMA_LIST ? "[]" : "");
			add_comment(b, f);
		}
	}
	buf_puts(b, "---\n\n正文从这里开始（Markdown）。\n");
}

/* Ask for each missing required value on the terminal. Returns 0, or -1
 * after naming them when stdin is not a terminal (or at end of input). */
static int ask_missing(struct new_ctx *n)
{
	struct buf missing = BUF_INIT;
	int tty = isatty(0);

	for (size_t i = 0; i < n->c->nfields; i++) {
		const struct schema_field *f = &n->c->fields[i];
		char line[1024];
		if (!f->required || get(n, f->name))
			continue;
		if (tty && n->nsets < MAX_SETS) {
			fprintf(stderr, "%s (%s)", f->label, f->name);
			if (f->type == SCHEMA_ENUM)
				for (size_t j = 0; j < f->nvalues; j++)
					fprintf(stderr, "%s%s", j ? ", " : " [", f->values[j]);
			fputs(f->type == SCHEMA_ENUM ? "]: " : ": ", stderr);
			if (fgets(line, sizeof(line), stdin)) {
				line[strcspn(line, "\r\n")] = '\0';
				if (*line) {
					set(n, f->name, arena_strdup(&n->arena, line));
					continue;
				}
			}
		}
		buf_printf(&missing, "%s'%s' (%s: ", missing.len ? ", " : "",
			   f->name, f->label);
		if (!strcmp(f->name, "title") || !strcmp(f->name, "date"))
			buf_printf(&missing, "--%s)", f->name);
		else
			buf_printf(&missing, "--set %s=%s)", f->name,
				   f->type == SCHEMA_LIST ? "A,B" : "VALUE");
	}
	if (missing.len)
		diag_report(n->d, DIAG_ERROR, DIAG_USAGE, NULL, 0, 0,
			    "missing required values (stdin is not a terminal, "
			    "so they cannot be asked for): %s", missing.ptr);
	int failed = missing.len > 0;
	buf_release(&missing);
	return failed ? -1 : 0;
}

struct ref_check {
	const struct new_ctx *n;
	const char *path;
};

/* A reference must name a record on disk (slugs from file names; a record
 * renamed by `slug:` is not seen here, the full check sees it). */
static void check_reference(void *ctx, const char *to,
			    const struct value *slug,
			    const struct schema_field *field)
{
	struct ref_check *rc = ctx;
	const struct schema_collection *tc = schema_find(rc->n->schema, to);
	char *path;

	if (!tc || !value_str(slug))
		return;
	path = arena_printf((struct arena *)&rc->n->arena, "%s/%s.md",
			    tc->folder, value_str(slug));
	if (!repo_snapshot_find(rc->n->snap, path))
		diag_error(rc->n->d, rc->path, slug->line, slug->col,
			   "'%s' refers to '%s', which is not a record of '%s' "
			   "(no file %s)", field->name, value_str(slug), to, path);
}

/* The record as a build would read it: front matter, schema, references. */
static int validate(struct new_ctx *n, const char *path, const struct buf *text)
{
	struct fm_parts parts;
	struct value *front, *typed;
	struct ref_check rc = { n, path };
	struct media_limits lim = { n->site.image_pixels, n->site.media_bytes };
	struct media_policy policy;
	struct media_image_check ic = { &policy, n->d };

	if (fm_split(text->ptr, text->len, path, &parts, n->d) < 0 ||
	    yamlv_parse(&n->arena, parts.yaml, parts.yaml_len, path,
			parts.yaml_first_line - 1, n->d, &front) < 0)
		return -1;
	media_policy_init(&policy, n->snap, &lim);
	schema_validate(n->c, &n->arena, front, path, media_check_image_field, &ic,
			&typed, n->d);
	media_policy_release(&policy);
	schema_each_reference(n->c, typed, check_reference, &rc);
	return diag_error_count(n->d) ? -1 : 0;
}

static int load(struct new_ctx *n, const char *dir, const char *theme_dir)
{
	const struct repo_file *f;
	struct buf text = BUF_INIT;
	int rc = -1;

	if (repo_snapshot_open(&n->snap, dir, NULL, REPO_WORKTREE, NULL, n->d) < 0)
		goto cleanup;
	if (!(f = repo_snapshot_find(n->snap, "site.yaml"))) {
		diag_fail(n->d, NULL, 0, 0, "no site.yaml in '%s' (is -C pointing "
			  "at the content repository?)", n->snap->root_display);
		goto cleanup;
	}
	if (repo_snapshot_read(n->snap, f, &text, n->d) < 0 ||
	    site_load(&n->arena, arena_strndup(&n->arena, text.ptr, text.len),
		      text.len, "site.yaml", &n->site, n->d) < 0 ||
	    theme_open(&n->theme, &n->arena, n->snap, theme_dir, n->site.theme,
		       n->site.language, n->d) < 0)
		goto cleanup;
	if (!n->theme->schema) {
		diag_fail(n->d, NULL, 0, 0, "theme '%s' has no schema.yaml",
			  n->theme->root);
		goto cleanup;
	}
	rc = schema_load(&n->arena, n->theme->schema, n->theme->schema_path,
			 n->site.collections, n->site.path, &n->schema, n->d);
cleanup:
	buf_release(&text);
	return rc;
}

static int slug_is_safe(const char *s)
{
	if (!*s || *s == '-' || strlen(s) > 100)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-'))
			return 0;
	return 1;
}

static int write_new(const char *root, const char *path, const struct buf *b,
		     struct diag *d)
{
	struct buf full = BUF_INIT, folder = BUF_INIT;
	int fd, rc = -1;

	buf_printf(&full, "%s/%s", root, path);
	buf_printf(&folder, "%.*s", (int)(strrchr(full.ptr, '/') - full.ptr),
		   full.ptr);
	if (mkdir(folder.ptr, 0777) < 0 && errno != EEXIST) {
		diag_fail(d, NULL, 0, 0, "cannot create '%s': %s", folder.ptr,
			  strerror(errno));
		goto cleanup;
	}
	/* O_EXCL: never replace a record, even one created a moment ago. */
	fd = open(full.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		  0666);
	if (fd < 0 && errno == EEXIST) {
		diag_report(d, DIAG_ERROR, DIAG_USAGE, path, 0, 0,
			    "record already exists; it was left as it is "
			    "(choose another --slug)");
		goto cleanup;
	}
	if (fd < 0 || write(fd, b->ptr, b->len) != (ssize_t)b->len ||
	    close(fd) < 0) {
		diag_fail(d, NULL, 0, 0, "cannot write '%s': %s", full.ptr,
			  strerror(errno));
		goto cleanup;
	}
	rc = 0;
cleanup:
	buf_release(&full);
	buf_release(&folder);
	return rc;
}

static int usage_error(const char *fmt, const char *arg)
{
	return cli_usage_error("new", fmt, arg);
}

int new_command(int argc, char **argv)
{
	static const struct option options[] = {
		{ "title", required_argument, NULL, 'T' },
		{ "date", required_argument, NULL, 'D' },
		{ "slug", required_argument, NULL, 'S' },
		{ "set", required_argument, NULL, 's' },
		{ "theme", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct new_ctx n;
	struct diag d;
	struct buf text = BUF_INIT, slug = BUF_INIT, path = BUF_INIT;
	const char *dir = ".", *theme = NULL, *slug_opt = NULL, *eq, *date;
	char today[11];
	int c, code;
	time_t now = time(NULL);
	struct tm tm;

	memset(&n, 0, sizeof(n));
	arena_init(&n.arena);
	diag_init(&d);
	n.d = &d;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":C:h", options, NULL)) != -1) {
		if (n.nsets >= MAX_SETS - 1)
			return usage_error("%s", "too many values");
		switch (c) {
		case 'C': dir = optarg; break;
		case 'T': set(&n, "title", optarg); break;
		case 'D': set(&n, "date", optarg); break;
		case 'S': slug_opt = optarg; break;
		case 't': theme = optarg; break;
		case 's':
			if (!(eq = strchr(optarg, '=')) || eq == optarg)
				return usage_error("--set needs FIELD=VALUE, not '%s'", optarg);
			set(&n, arena_strndup(&n.arena, optarg, (size_t)(eq - optarg)),
			    eq + 1);
			break;
		case 'h': fputs(new_help, stdout); return EXIT_OK;
		case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
		default: return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("%s", "new needs a COLLECTION, e.g. 'showcase new cases'");
	if (optind + 1 < argc)
		return usage_error("unexpected argument '%s'", argv[optind + 1]);
	if (slug_opt && !slug_is_safe(slug_opt))
		return usage_error("--slug takes lowercase ASCII letters, digits "
				   "and '-', not '%s'", slug_opt);

	if (load(&n, dir, theme) < 0)
		goto cleanup;
	if (!(n.c = schema_find(n.schema, argv[optind]))) {
		struct buf names = BUF_INIT;
		for (size_t i = 0; i < n.schema->count; i++)
			buf_printf(&names, "%s%s", i ? ", " : "",
				   n.schema->collections[i].name);
		diag_report(&d, DIAG_ERROR, DIAG_USAGE, NULL, 0, 0,
			    "no collection '%s' (the schema has: %s)",
			    argv[optind], names.ptr);
		buf_release(&names);
		goto cleanup;
	}
	for (size_t i = 0; i < n.nsets; i++)
		if (!schema_field_find(n.c, n.names[i]))
			diag_report(&d, DIAG_ERROR, DIAG_USAGE, NULL, 0, 0,
				    "collection '%s' has no field '%s'",
				    n.c->name, n.names[i]);
	if (diag_error_count(&d))
		goto cleanup;
	/* The date defaults to today: records are mostly written the day
	 * of what they tell. */
	if (!get(&n, "date") && schema_field_find(n.c, "date") &&
	    localtime_r(&now, &tm) && strftime(today, sizeof(today), "%Y-%m-%d", &tm))
		set(&n, "date", today);
	if (ask_missing(&n) < 0)
		goto cleanup;

	date = get(&n, "date") ? get(&n, "date") : get(&n, "year");
	if (slug_opt)
		buf_puts(&slug, slug_opt);
	else
		new_slug(&slug, get(&n, "title") ? get(&n, "title") : "", date);
	buf_printf(&path, "%s/%s.md", n.c->folder, slug.ptr);
	compose(&n, &text);
	if (validate(&n, path.ptr, &text) < 0)
		goto cleanup;
	if (repo_snapshot_find(n.snap, path.ptr)) {
		diag_report(&d, DIAG_ERROR, DIAG_USAGE, path.ptr, 0, 0,
			    "record already exists; it was left as it is "
			    "(choose another --slug)");
		goto cleanup;
	}
	if (write_new(n.snap->root_display, path.ptr, &text, &d) == 0)
		printf("%s\n", path.ptr);

cleanup:
	code = diag_exit_code(&d);
	diag_flush(&d, stderr);
	theme_free(n.theme);
	repo_snapshot_free(n.snap);
	arena_release(&n.arena);
	buf_release(&text);
	buf_release(&slug);
	buf_release(&path);
	diag_release(&d);
	return code;
}
