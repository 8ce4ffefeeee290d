/*
 * Unit tests of schema_json: the JSON string escaping, and the JSON Schema
 * of a small schema written from YAML (every type, site extension order,
 * both languages, an unknown collection).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "schema.h"
#include "schema_json.h"
#include "value.h"
#include "yamlv.h"

static void assert_escaped(const char *in, const char *want)
{
	struct buf b = BUF_INIT;
	buf_add_json_string(&b, in);
	assert_string_equal(b.ptr, want);
	buf_release(&b);
}

static void test_string_escaping(void **state)
{
	(void)state;
	assert_escaped("", "\"\"");
	assert_escaped("plain", "\"plain\"");
	assert_escaped("a\"b\\c", "\"a\\\"b\\\\c\"");
	assert_escaped("l1\nl2\r\t\b\f", "\"l1\\nl2\\r\\t\\b\\f\"");
	assert_escaped("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	/* UTF-8 as is; '/' only after '<', so that "</script>" never ends a
	 * script the JSON is inlined in. */
	assert_escaped("级别 a/b </x>", "\"级别 a/b <\\/x>\"");
	assert_escaped("^[0-9]{4}$", "\"^[0-9]{4}$\"");
}

static const char schema_yaml[] =
	"collections:\n"
	"  things:\n"
	"    label: 物品\n"
	"    label_en: Things\n"
	"    folder: content/things\n"
	"    permalink: \"/{collection}/{slug}/\"\n"
	"    fields:\n"
	"      title: { type: string, required: true, label: \"名\\\"称\" }\n"
	"      n: { type: integer, min: 2, label: 数 }\n"
	"      ok: { type: boolean }\n"
	"      day: { type: date, required: true }\n"
	"      kind: { type: enum, values: [甲, 乙] }\n"
	"      other: { type: reference, to: things }\n"
	"      pic: { type: image }\n"
	"      tags: { type: list, of: string, min_items: 1, required: true }\n"
	"      box:\n"
	"        type: object\n"
	"        fields:\n"
	"          a: { type: string, required: true }\n";

static struct schema *load(struct arena *a, struct diag *d)
{
	struct value *v = NULL;
	struct schema *s = NULL;
	assert_int_equal(yamlv_parse(a, schema_yaml, strlen(schema_yaml),
				     "schema.yaml", 0, d, &v), 0);
	assert_int_equal(schema_load(a, v, "schema.yaml", NULL, NULL, &s, d), 0);
	return s;
}

static void test_collection(void **state)
{
	struct arena a;
	struct diag d;
	struct buf b = BUF_INIT, again = BUF_INIT;
	(void)state;

	arena_init(&a);
	diag_init(&d);
	struct schema *s = load(&a, &d);
	assert_int_equal(schema_json(s, "zh-CN", "things", &b), 0);
	assert_non_null(strstr(b.ptr, "\"$schema\": \"http://json-schema.org/draft-07/schema#\""));
	assert_non_null(strstr(b.ptr, "\"title\": \"物品\""));
	assert_non_null(strstr(b.ptr, "\"title\": \"名\\\"称\""));
	assert_non_null(strstr(b.ptr, "\"minimum\": 2"));
	assert_non_null(strstr(b.ptr, "\"minItems\": 1"));
	assert_non_null(strstr(b.ptr, "\"format\": \"date\""));
	assert_non_null(strstr(b.ptr, "集合 things"));
	assert_non_null(strstr(b.ptr, "\"required\": [\n    \"title\",\n    \"day\",\n    \"tags\"\n  ]"));
	assert_non_null(strstr(b.ptr, "\"enum\": [\n        \"甲\",\n        \"乙\",\n        null\n      ]"));
	assert_non_null(strstr(b.ptr, "\"slug\": {"));
	/* Deterministic. */
	assert_int_equal(schema_json(s, "zh-CN", "things", &again), 0);
	assert_string_equal(b.ptr, again.ptr);

	buf_reset(&b);
	assert_int_equal(schema_json(s, "en", NULL, &b), 0);
	assert_non_null(strstr(b.ptr, "\"title\": \"Things\""));
	assert_non_null(strstr(b.ptr, "\"$ref\": \"#/definitions/things\""));
	assert_non_null(strstr(b.ptr, "A whole number, at least 2"));

	buf_reset(&b);
	assert_int_equal(schema_json(s, "zh-CN", "nope", &b), -1);
	assert_int_equal(b.len, 0);

	buf_release(&b);
	buf_release(&again);
	diag_release(&d);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_string_escaping),
		cmocka_unit_test(test_collection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
