/*
 * fuzz_frontmatter: a record file through the parse and validate stages,
 * as the build reads every committed record: fm_split() cuts the front
 * matter from the body, yamlv_parse() builds the value tree, and
 * schema_validate() types it against a collection of the default theme's
 * schema. The first input byte picks the collection, the rest is the file.
 *
 * A typed record is also walked the way the model walks it (references,
 * the permalink, ordering against itself), so those helpers see every
 * shape validation lets through.
 */
#include "fuzz_theme.h"

#include "arena.h"
#include "buf.h"
#include "collate.h"
#include "diag.h"
#include "frontmatter.h"
#include "schema.h"
#include "value.h"
#include "media.h"
#include "yamlv.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Images named in front matter exist when they end in .jpg or .png and
 * live under content/, and may be published when the media policy's name
 * rules allow: some paths pass, the others are reported. */
static const char *fake_check_image(void *ctx, const char *repo_path)
{
	static char why[256];
	size_t n = strlen(repo_path);
	struct buf b = BUF_INIT;
	(void)ctx;
	if (strncmp(repo_path, "content/", 8) || n <= 4 ||
	    (strcmp(repo_path + n - 4, ".jpg") && strcmp(repo_path + n - 4, ".png")))
		return "not found";
	if (media_check_name(repo_path, 1, &b) < 0) {
		snprintf(why, sizeof(why), "%s", b.ptr);
		buf_release(&b);
		return why;
	}
	return NULL;
}

static void count_reference(void *ctx, const char *to_collection,
			    const struct value *slug_value,
			    const struct schema_field *field)
{
	size_t *n = ctx;
	if (!to_collection || !slug_value || slug_value->kind != VALUE_STRING ||
	    !field)
		abort(); /* schema_each_reference broke its contract */
	(*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fuzz_theme *theme = fuzz_theme_get();
	const struct schema_collection *c;
	struct arena a = ARENA_INIT;
	struct buf path = BUF_INIT, link = BUF_INIT;
	struct fm_parts parts;
	struct value *front = NULL, *typed = NULL;
	struct diag d;
	size_t refs = 0;

	if (!size)
		return 0;
	c = &theme->schema->collections[data[0] % theme->schema->count];
	data++;
	size--;
	buf_printf(&path, "%s/fuzz.md", c->folder);
	diag_init(&d);

	if (fm_split((const char *)data, size, path.ptr, &parts, &d) < 0)
		goto cleanup;
	if (parts.yaml < (const char *)data ||
	    parts.yaml + parts.yaml_len > (const char *)data + size ||
	    parts.body < (const char *)data ||
	    parts.body + parts.body_len > (const char *)data + size)
		abort(); /* ranges must stay inside the input */
	if (yamlv_parse(&a, parts.yaml, parts.yaml_len, path.ptr,
			parts.yaml_first_line - 1, &d, &front) < 0)
		goto cleanup;
	schema_validate(c, &a, front, path.ptr, fake_check_image, NULL, &typed,
			&d);
	if (!typed || typed->kind != VALUE_MAP)
		abort(); /* *typed is always a map */
	schema_each_reference(c, typed, count_reference, &refs);
	schema_permalink(c, typed, "fuzz", &link);
	if (schema_compare(c, NULL, typed, "fuzz", typed, "fuzz") != 0)
		abort(); /* a record equals itself */
	{
		struct collate *coll = collate_open();
		if (schema_compare(c, coll, typed, "fuzz", typed, "fuzz") != 0)
			abort(); /* and by pinyin too */
		collate_close(coll);
	}

cleanup:
	diag_flush(&d, fuzz_devnull());
	diag_release(&d);
	buf_release(&link);
	buf_release(&path);
	arena_release(&a);
	return 0;
}
