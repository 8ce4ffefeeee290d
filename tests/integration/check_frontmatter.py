#!/usr/bin/env python3
"""Validate the front matter of Markdown records against a JSON Schema
written by `showcase schema --json` (t-schema.sh).

usage: check_frontmatter.py SCHEMA.json FILE.md...

The front matter is read as the YAML language server reads it (YAML 1.2
core: 2024-03-05 stays a string), not as PyYAML's default YAML 1.1 would
(a datetime). Uses the jsonschema package when it is installed, else a
small validator of exactly the keywords showcase emits. Prints one line per
invalid file and exits 1 if there was any.
"""
import json
import re
import sys

import yaml


class Loader(yaml.SafeLoader):
    pass


# YAML 1.2 core has no timestamp type: dates are strings for the LS too.
Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

TYPES = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def mini_errors(schema, v, root, where="$"):
    """The errors of `v` against the subset showcase emits."""
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        return mini_errors(root["definitions"][name], v, root, where)
    if "anyOf" in schema:
        if any(not mini_errors(s, v, root, where) for s in schema["anyOf"]):
            return []
        return [f"{where}: matches none of anyOf"]
    errs = []
    t = schema.get("type")
    if t is not None:
        ts = t if isinstance(t, list) else [t]
        if not any(TYPES[x](v) for x in ts):
            return [f"{where}: {v!r} is not of type {t}"]
    if "enum" in schema and v not in schema["enum"]:
        errs.append(f"{where}: {v!r} is not one of {schema['enum']}")
    if "pattern" in schema and isinstance(v, str) and not re.search(schema["pattern"], v):
        errs.append(f"{where}: {v!r} does not match {schema['pattern']}")
    if "minimum" in schema and TYPES["number"](v) and v < schema["minimum"]:
        errs.append(f"{where}: {v} is less than {schema['minimum']}")
    if isinstance(v, list):
        if len(v) < schema.get("minItems", 0):
            errs.append(f"{where}: fewer than {schema['minItems']} items")
        for i, it in enumerate(v):
            errs += mini_errors(schema.get("items", {}), it, root, f"{where}[{i}]")
    if isinstance(v, dict):
        for k in schema.get("required", []):
            if k not in v:
                errs.append(f"{where}: '{k}' is a required property")
        for k, sub in schema.get("properties", {}).items():
            if k in v:
                errs += mini_errors(sub, v[k], root, f"{where}.{k}")
    return errs


def front_matter(path):
    text = open(path, encoding="utf-8").read()
    m = re.match(r"---\r?\n(.*?)\r?\n---\r?\n", text, re.S)
    return (yaml.load(m.group(1), Loader=Loader) if m else None) or {}


def main():
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    try:
        import jsonschema
        validator = jsonschema.Draft7Validator(schema)
        jsonschema.Draft7Validator.check_schema(schema)

        def errors(v):
            return [e.message for e in validator.iter_errors(v)]
    except ImportError:
        def errors(v):
            return mini_errors(schema, v, schema)
    bad = 0
    for path in sys.argv[2:]:
        for e in errors(front_matter(path)):
            print(f"{path}: {e}")
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
