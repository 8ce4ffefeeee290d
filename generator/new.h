/*
 * new: `showcase new COLLECTION`, a new record written from the schema, so
 * that staff start from a file that already has every field and every
 * choice in it instead of copying an old record and its mistakes.
 *
 * The record is composed in memory, validated by the same stages a build
 * runs on a record (fm_split, yamlv_parse, schema_validate, and its
 * references against the files on disk), and only then written, with
 * O_EXCL: an existing record is never replaced. The layout:
 *
 *     ---
 *     # 必填字段 (required)
 *     title: "…"          # 标题
 *     kind: 工作案例       # 类别；可选: 工作案例, 学员成长案例, …
 *     # 选填字段 (optional): delete the '#' to fill one in
 *     # authors: []       # 作者
 *     ---
 *
 * Values: --title, --date (default: today, when the collection has a
 * `date` field) and --set FIELD=VALUE (repeatable; a list takes values
 * separated by commas). A required value still missing is asked for on a
 * terminal; when stdin is not a terminal the command exits 2 naming them.
 *
 * The slug rule (new_slug): the record's date as YYYY-MM-DD (or its year
 * when it has no date), then '-', then the ASCII letters and digits of the
 * title, lowercased, every other run of characters turned into one '-', at
 * most 40 characters; a title whose ASCII form is shorter than 3 characters
 * or holds no letter (most Chinese titles) gives instead 'r' and 8 hex
 * digits of a hash of the title (FNV-1a), so the same title on the same day gives the same slug and
 * is refused as a duplicate. --slug S overrides it (lowercase ASCII
 * letters, digits and '-').
 */
#ifndef SHOWCASE_NEW_H
#define SHOWCASE_NEW_H

#include <stddef.h>

struct buf;

extern const char new_help[];

/* The command (argv[0] is "new"); returns the exit code. */
int new_command(int argc, char **argv);

/* The slug of a record titled `title` dated `date` ("YYYY-MM-DD", a year,
 * or NULL), by the rule above, into `out` (replacing it). */
void new_slug(struct buf *out, const char *title, const char *date);

#endif
