# Integration tests of `showcase schema --json` (issue 13): the JSON Schema
# that editors use to check front matter as staff type.

ROOT=$(cd "$HERE/../.." && pwd)
CHECK_FM="$HERE/check_frontmatter.py"

# Every record of the repository's sample site is valid against the schema
# of its own collection and against the combined document.
t_schema_sample_valid() {
	run_showcase 0 schema --json -C "$ROOT" --worktree
	cp out.txt all.json
	python3 "$CHECK_FM" all.json "$ROOT"/content/*/*.md
	for dir in "$ROOT"/content/*/; do
		c=$(basename "$dir")
		run_showcase 0 schema --json "$c" -C "$ROOT" --worktree
		cp out.txt "$c.json"
		python3 "$CHECK_FM" "$c.json" "$dir"*.md
	done
	# Deterministic: the same bytes twice.
	run_showcase 0 schema --json -C "$ROOT" --worktree
	cmp out.txt all.json
}
test_case "schema --json: the sample site's records are valid against it" t_schema_sample_valid

# What check refuses, the schema refuses too: a wrong enum value, a missing
# required field, a bad date, a negative count, a list too short.
t_schema_rejects() {
	make_site s
	run_showcase 0 schema --json projects -C s
	cp out.txt projects.json
	python3 "$CHECK_FM" projects.json s/content/projects/*.md
	sed -i 's/^level: 国培/level: 国家级培训/; /^region:/d' s/content/projects/p1.md
	sed -i 's/^start: .*/start: 2024-3-5/; s/^trainees: .*/trainees: -4/' s/content/projects/p1.md
	if python3 "$CHECK_FM" projects.json s/content/projects/p1.md >bad.txt; then
		fail "a bad record passed"
	fi
	expect_contains bad.txt "国家级培训"
	expect_contains bad.txt "'region' is a required property"
	expect_contains bad.txt "2024-3-5"
	expect_contains bad.txt "-4"
	# And check agrees that it is wrong.
	run_showcase 1 check -C s --worktree
	run_showcase 0 schema --json selections -C s
	grep -q '"minItems": 1' out.txt || fail "no minItems for entries"
}
test_case "schema --json: wrong values, missing fields and bad dates are refused" t_schema_rejects

# Labels in the site's language; site.yaml extensions included; usage errors.
t_schema_language_and_site() {
	make_site s
	run_showcase 0 schema --json projects -C s
	expect_contains out.txt '"title": "级别"'
	expect_contains out.txt '可选: 国培, 省培, 市培, 县培, 校本'
	sed -i 's/^language: .*//' s/site.yaml
	cat >>s/site.yaml <<'YAML'
language: en
collections:
  projects:
    fields:
      funding: { type: integer, min: 0, label: 经费, label_en: Funding }
YAML
	commit_all s
	run_showcase 0 schema --json projects -C s
	expect_contains out.txt '"title": "Training projects"'
	expect_contains out.txt '"title": "Funding"'
	expect_contains out.txt '"description": "A whole number, at least 0"'
	expect_contains out.txt '"minimum": 0'
	run_showcase 2 schema --json nosuch -C s
	expect_contains err.txt "no collection 'nosuch'"
	run_showcase 2 schema -C s
	expect_contains err.txt "--json"
	run_showcase 0 help schema
	expect_contains out.txt "usage: showcase schema --json"
}
test_case "schema --json: the site's language and its extensions" t_schema_language_and_site
