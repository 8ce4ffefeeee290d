#!/usr/bin/env python3
"""Lay a showcase corpus out as the content of the Hugo site in bench/hugo.

usage: bench/hugo/convert.py CORPUS SITE

CORPUS is a site made by bench/gen_corpus.py (its work tree); SITE is a copy
of bench/hugo. Each record content/COLL/SLUG.md becomes SITE/content/COLL/
SLUG.md with its front matter and body unchanged, plus one parameter per
taxonomy field of the theme's schema (COLL_FIELD: the value as a list, a
date field as its year, as showcase makes its term pages), and ref_project /
ref_case for the records that point at a project or a case. The schema goes
to SITE/data/schema.yaml for the record pages' field labels. A file whose
bytes would not change is not written, so a run after one changed record
touches one file; records gone from CORPUS are removed.
"""
import os
import sys

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def put(path, text, keep):
    keep.add(path)
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def flow(values):
    return "[" + ", ".join('"%s"' % str(v).replace("\\", "\\\\").replace('"', '\\"')
                           for v in values) + "]"


def main():
    corpus, site = sys.argv[1], sys.argv[2]
    with open(os.path.join(TOP, "themes/default/schema.yaml"), encoding="utf-8") as f:
        schema_text = f.read()
    schema = yaml.load(schema_text, Loader=Loader)["collections"]
    keep = set()
    put(os.path.join(site, "data/schema.yaml"), schema_text, keep)
    # The ref_* taxonomies index references; they are never pages.
    put(os.path.join(site, "content/_index.md"),
        "---\ntitle: 首页\ncascade:\n- _target: {path: '/ref_*/**'}\n"
        "  _build: {render: never, list: never}\n- _target: {path: '/ref_*'}\n"
        "  _build: {render: never, list: never}\n---\n", keep)
    for coll, c in sorted(schema.items()):
        src = os.path.join(corpus, c["folder"])
        if not os.path.isdir(src):
            continue
        dst = os.path.join(site, "content", coll)
        put(os.path.join(dst, "_index.md"),
            "---\ntitle: %s\nweight: %d\n---\n" % (c["label"], c.get("order", 0)), keep)
        tax = [(n, f) for n, f in c["fields"].items() if isinstance(f, dict) and f.get("taxonomy")]
        for name in sorted(os.listdir(src)):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(src, name), encoding="utf-8") as f:
                text = f.read()
            head, sep, body = text[4:].partition("\n---\n")
            fm = yaml.load(head, Loader=Loader) or {}
            extra = []
            for field, f in tax:
                v = fm.get(field)
                if v is None:
                    continue
                vals = v if isinstance(v, list) else [v]
                if f.get("type") == "date":
                    vals = [str(x)[:4] for x in vals]
                extra.append("%s_%s: %s" % (coll, field, flow(vals)))
            if coll == "cases" and fm.get("project"):
                extra.append("ref_project: %s" % flow([fm["project"]]))
            if coll == "selections":
                cases = sorted({e["case"] for e in fm.get("entries") or [] if e.get("case")})
                if cases:
                    extra.append("ref_case: %s" % flow(cases))
            out = "---\n" + head + "\n" + "\n".join(extra) + "\n---\n" + body
            put(os.path.join(dst, name), out, keep)
    for root, _, files in os.walk(os.path.join(site, "content")):
        for name in files:
            p = os.path.join(root, name)
            if p not in keep:
                os.unlink(p)


if __name__ == "__main__":
    main()
