/*
 * fuzz_site: the input as a site's site.yaml, loaded as the build loads
 * it: site_load() parses and checks the settings, then schema_load()
 * merges the site's `collections` over the default theme's schema and
 * checks the result. A schema that loads is looked up the way the model
 * uses it, by name and by record path.
 */
#include "fuzz_theme.h"

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "schema.h"
#include "site.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fuzz_theme *theme = fuzz_theme_get();
	struct arena a = ARENA_INIT;
	struct site_config site;
	struct schema *schema = NULL;
	struct diag d;
	int rc;

	diag_init(&d);
	rc = site_load(&a, (const char *)data, size, "site.yaml", &site, &d);
	if (rc == 0 && (!site.title || !site.base_url || !site.base_path ||
			site.base_url[strlen(site.base_url) - 1] != '/' ||
			site.base_path[0] != '/' || site.page_size < 1))
		abort(); /* a loaded site has what site.h promises */
	if (site.raw && schema_load(&a, theme->raw, FUZZ_THEME_PATH,
				    site.collections, "site.yaml", &schema,
				    &d) == 0) {
		for (size_t i = 0; i < schema->count; i++) {
			const struct schema_collection *c =
				&schema->collections[i];
			struct buf p = BUF_INIT;
			if (schema_find(schema, c->name) != c)
				abort(); /* collections are sorted by name */
			buf_printf(&p, "%s/x.md", c->folder);
			if (schema_for_path(schema, p.ptr) != c)
				abort(); /* folders are distinct */
			for (size_t k = 0; k < c->nsort; k++)
				if (!c->sort[k].def)
					abort();
			buf_release(&p);
		}
	}
	diag_flush(&d, fuzz_devnull());
	diag_release(&d);
	arena_release(&a);
	return 0;
}
