#!/usr/bin/env python3
"""Recount stats/figures.json from the records' front matter, by a route
independent of generator/figures.c: PyYAML reads the files, Python applies
the rules of docs/THEMES.md ("Figures"). Usage:

    recount_figures.py SITE_DIR FIGURES_JSON

Checks every entry's value, reported/selected counts and records; prints
each difference and exits 1 if there is any."""
import datetime, json, os, sys, yaml

site, path = sys.argv[1], sys.argv[2]
data = json.load(open(path, encoding="utf-8"))


def front(p):
    text = open(p, encoding="utf-8").read()
    if not text.startswith("---"):
        return None
    return yaml.safe_load(text.split("---", 2)[1]) or {}


records = {}  # collection -> list of (url, fields)
content = os.path.join(site, "content")
for coll in sorted(os.listdir(content)):
    for root, _, files in os.walk(os.path.join(content, coll)):
        for f in files:
            if not f.endswith(".md"):
                continue
            fm = front(os.path.join(root, f))
            if fm is None or fm.get("draft"):
                continue
            slug = fm.get("slug", f[:-3])
            records.setdefault(coll, []).append((f"{coll}/{slug}/", fm))


def year_of(fm):
    if isinstance(fm.get("year"), int):
        return fm["year"]
    d = fm.get("date")
    if isinstance(d, (datetime.date, str)):
        return int(str(d)[:4])
    if isinstance(fm.get("founded"), int):
        return fm["founded"]
    return 0


def terms(v):
    if v is None:
        return []
    items = v if isinstance(v, list) else [v]
    out = []
    for i in items:
        if isinstance(i, bool):
            out.append(i)
        elif i is not None and i != "":
            out.append(i)
    return out


def match(fm, field, want):
    if field == "year":
        y = year_of(fm)
        if isinstance(want, dict):
            return y == 0 or y <= want["max"]
        return y == want
    v = fm.get(field)
    if isinstance(want, bool) and v is None:
        return want is False
    return want in terms(v)


bad = 0
for e in data["figures"]:
    sel = [(u, fm) for u, fm in records.get(e["collection"], [])
           if all(match(fm, k, w) for k, w in e["where"].items())]
    m = e["measure"]
    if m == "count":
        value, reported = len(sel), len(sel)
    elif m.startswith("sum:"):
        f = m[4:]
        nums = [fm[f] for _, fm in sel if isinstance(fm.get(f), int)]
        reported = len(nums)
        value = sum(nums) if nums else None
    else:
        f = m[9:]
        having = [fm for _, fm in sel if terms(fm.get(f))]
        reported = len(having)
        value = len({str(t) for fm in having for t in terms(fm.get(f))})
        if sel and not having:
            value = None
    urls = sorted(u for u, _ in sel)
    got = (e["value"], e["reported"], e["selected"], sorted(e["records"]))
    want = (value, reported, len(sel), urls)
    if got != want:
        bad += 1
        print(f"{e['id']}: figures.json says {got[:3]}, recount {want[:3]}"
              + ("" if got[3] == want[3] else f"; records differ: {set(got[3]) ^ set(want[3])}"))
print(f"recounted {len(data['figures'])} figures, {bad} differ")
sys.exit(1 if bad else 0)
