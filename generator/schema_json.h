/*
 * schema_json: the site's schema (theme + site.yaml) as JSON Schema
 * (draft-07, the draft the YAML language server of editors supports best),
 * so that an editor completes and checks front matter as staff type.
 * `showcase schema --json` (cli.c) prints it.
 *
 * What it says, per collection: an object whose properties are the
 * collection's fields (and the implicit slug and draft) in schema order,
 * with their labels as titles and a description of the expected value in
 * the site's language; required fields in `required`; enums with their
 * values; dates as strings with a YYYY-MM-DD pattern and format "date";
 * references and image paths as strings whose description names the target
 * collection or the kind of path; lists with `items` and `minItems`;
 * objects with their own properties. It is a guide for editors and looser
 * than showcase check in three ways, on purpose: a string field also takes
 * numbers and booleans (showcase reads every scalar as text), an optional
 * field also takes null (an empty value counts as absent), and unknown
 * fields are allowed (check only warns about them). Images are not looked
 * for, references not resolved, `after` not compared: check does that.
 *
 * The output depends only on the schema and the language: fields in schema
 * order, collections sorted by name, no time or path in it.
 */
#ifndef SHOWCASE_SCHEMA_JSON_H
#define SHOWCASE_SCHEMA_JSON_H

struct buf;
struct schema;

/*
 * Append to `out` the JSON Schema of collection `only` of `s`, or when
 * `only` is NULL one document holding every collection under
 * `definitions` with a top-level `anyOf` of them. `language` is the
 * site's ("zh-CN" or "en"): titles are labels (label_en in English when
 * given), descriptions are in that language. Returns 0, or -1 (nothing
 * appended) when `only` names no collection.
 */
int schema_json(const struct schema *s, const char *language,
		const char *only, struct buf *out);


#endif
