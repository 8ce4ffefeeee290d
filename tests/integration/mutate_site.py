#!/usr/bin/env python3
"""Random commits for the differential test of incremental builds
(t-differential.sh).

    mutate_site.py init SITE STATE        write SITE's records from a
                                          starting state, kept in STATE
    mutate_site.py step SITE STATE SEED N apply step N of run SEED: one to
                                          three random changes, said on
                                          stdout

The site's records are regenerated from STATE (JSON, outside the
repository, so that it never enters the snapshot) on every step; a record
whose state did not change is written with the same bytes, so git sees
only what the step changed. Changes are what staff commit: a body edited
(with links to other records and images), a field set or removed (a year
or date moved, a term renamed, a figure's number changed or left out, a
reference moved), a record added, deleted or renamed (references follow),
a draft, a featured case, a report year added, site.yaml's description,
a photo redrawn. About one step in fifteen also breaks one record for
that step only (a reference to nothing, a value outside its enum), so that
failed builds are compared too and the next build goes over an output
older than its commit.

Deterministic for a SEED and N: the same commits every run, so a failure
can be replayed. Only the standard library.
"""
import json
import os
import random
import struct
import sys
import zlib

WORDS = ["教师", "培训", "课堂", "研修", "工作室", "名师", "示范校", "乡村", "骨干",
         "送教下乡", "校本", "课题", "听课", "评课", "反思", "成长", "团队", "学科",
         "阅读", "写作", "数学", "实验", "班主任", "心理健康", "信息技术"]
REGIONS = ["测试县", "西湖区", "河阳县", "东城区 北片", "龙泉区"]
PEOPLE = ["王老师", "李老师", "张三", "李四", "赵敏"]
SUBJECTS = ["语文", "数学", "英语", "班主任", "心理健康"]
ENUMS = {
    ("projects", "level"): ["国培", "省培", "市培", "县培", "校本"],
    ("projects", "rating"): ["优秀", "良好", "合格", "不合格"],
    ("projects", "stage"): ["幼儿园", "小学", "初中", "高中"],
    ("studios", "kind"): ["名师工作室", "名校长工作室", "名班主任工作室", "教师工作坊"],
    ("studios", "level"): ["国家级", "省级", "市级", "县级"],
    ("cases", "kind"): ["工作案例", "学员成长案例", "校本研修案例", "送教下乡案例", "工作室建设案例"],
    ("achievements", "kind"): ["论文", "课题", "获奖", "公开课", "课程资源", "著作", "讲座"],
    ("achievements", "level"): ["国家级", "省级", "市级", "县级", "校级"],
    ("selections", "category"): ["校本研修示范校", "优秀教师工作坊", "优秀名师工作室", "典型案例", "优秀学员", "其他"],
}
REQUIRED = {
    "projects": {"title", "year", "level", "region"},
    "studios": {"title", "kind", "level", "host"},
    "cases": {"title", "date", "kind"},
    "achievements": {"title", "studio", "date", "kind", "level"},
    "selections": {"title", "year", "category", "entries"},
    "reports": {"title", "year"},
}
YEARS = [2023, 2024, 2025]
PHOTO = "content/cases/images/photo.jpg"
PNG = "content/cases/images/drawn.png"


def words(rng, lo, hi):
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))


def date(rng, year=None):
    return "%d-%02d-%02d" % (year or rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28))


def slugs(st, coll):
    """The slugs of `coll` that may be referenced or linked: drafts are
    left out of a build, so a reference to one is an error."""
    return sorted(k.split("/", 1)[1] for k, rec in st["records"].items()
                  if k.startswith(coll + "/") and not rec.get("draft"))


def body(rng, st, key):
    """A Markdown body: paragraphs, sometimes a heading, a list, a table, a
    link to another record or an image beside the record."""
    out = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.random()
        if kind < 0.15:
            out.append("## " + words(rng, 1, 3))
        elif kind < 0.25:
            out.append("\n".join("- " + words(rng, 1, 4) for _ in range(rng.randint(1, 3))))
        elif kind < 0.32:
            out.append("| 模块 | 学时 |\n|---|---|\n| %s | %d |" % (words(rng, 1, 2), rng.randint(1, 40)))
        elif kind < 0.47:
            others = sorted(k for k, rec in st["records"].items() if not rec.get("draft"))
            other = rng.choice(others)
            coll, slug = other.split("/", 1)
            out.append("%s见[%s](../%s/%s.md)。" % (words(rng, 2, 6), words(rng, 1, 2), coll, slug))
        elif kind < 0.55 and key.startswith("cases/"):
            out.append("![%s](images/photo.jpg)" % words(rng, 1, 2))
        else:
            out.append(words(rng, 4, 30) + "。")
    return "\n\n".join(out) + "\n"


def new_fields(rng, st, coll, year=None):
    """The required fields of a new record of `coll`, and some optional."""
    f = {"title": words(rng, 2, 5)}
    if coll == "projects":
        f.update(year=year or rng.choice(YEARS), level=rng.choice(ENUMS[(coll, "level")]),
                 region=rng.choice(REGIONS))
    elif coll == "studios":
        f.update(kind=rng.choice(ENUMS[(coll, "kind")]), level=rng.choice(ENUMS[(coll, "level")]),
                 host=rng.choice(PEOPLE))
    elif coll == "cases":
        f.update(date=date(rng, year), kind=rng.choice(ENUMS[(coll, "kind")]))
    elif coll == "achievements":
        f.update(studio=rng.choice(slugs(st, "studios")), date=date(rng, year),
                 kind=rng.choice(ENUMS[(coll, "kind")]), level=rng.choice(ENUMS[(coll, "level")]))
    elif coll == "selections":
        f.update(year=year or rng.choice(YEARS), category=rng.choice(ENUMS[(coll, "category")]),
                 entries=[entry(rng, st) for _ in range(rng.randint(1, 3))])
    for _ in range(rng.randint(0, 3)):
        name, value = optional(rng, st, coll, f)
        if name:
            f[name] = value
    return f


def entry(rng, st):
    e = {"name": words(rng, 1, 3)}
    if rng.random() < 0.5:
        e["grade"] = rng.choice(["一等奖", "二等奖", "优秀", "示范校"])
    r = rng.random()
    if r < 0.3 and slugs(st, "cases"):
        e["case"] = rng.choice(slugs(st, "cases"))
    elif r < 0.6 and slugs(st, "studios"):
        e["studio"] = rng.choice(slugs(st, "studios"))
    return e


def optional(rng, st, coll, f):
    """One field of `coll` with a random valid value: (name, value)."""
    year = f.get("year") or int(str(f.get("date", "2024"))[:4])
    choices = {
        "projects": [
            ("trainees", lambda: rng.choice([0, rng.randint(1, 500)])),
            ("hours", lambda: rng.randint(0, 120)),
            ("rating", lambda: rng.choice(ENUMS[("projects", "rating")])),
            ("stage", lambda: rng.sample(ENUMS[("projects", "stage")], rng.randint(1, 2))),
            ("subject", lambda: rng.sample(SUBJECTS, rng.randint(1, 2))),
            ("summary", lambda: words(rng, 3, 8)),
            ("category", lambda: rng.choice(["骨干教师能力提升", "送教下乡", "新教师岗前培训"])),
            ("region", lambda: rng.choice(REGIONS)),
            ("level", lambda: rng.choice(ENUMS[("projects", "level")])),
            ("year", lambda: rng.choice(YEARS)),
        ],
        "studios": [
            ("members", lambda: rng.randint(0, 30)),
            ("founded", lambda: rng.randint(2018, 2025)),
            ("region", lambda: rng.choice(REGIONS)),
            ("subject", lambda: rng.sample(SUBJECTS, rng.randint(1, 2))),
            ("school", lambda: words(rng, 1, 2) + "学校"),
            ("level", lambda: rng.choice(ENUMS[("studios", "level")])),
        ],
        "cases": [
            ("featured", lambda: rng.random() < 0.6),
            ("authors", lambda: rng.sample(PEOPLE, rng.randint(1, 2))),
            ("region", lambda: rng.choice(REGIONS)),
            ("tags", lambda: rng.sample(WORDS, rng.randint(1, 3))),
            ("summary", lambda: words(rng, 3, 8)),
            ("project", lambda: rng.choice(slugs(st, "projects"))),
            ("studio", lambda: rng.choice(slugs(st, "studios"))),
            ("cover", lambda: rng.choice([PHOTO, PNG])),
            ("date", lambda: date(rng)),
            ("kind", lambda: rng.choice(ENUMS[("cases", "kind")])),
        ],
        "achievements": [
            ("award", lambda: rng.choice(["一等奖", "二等奖"])),
            ("people", lambda: rng.sample(PEOPLE, rng.randint(1, 3))),
            ("venue", lambda: words(rng, 1, 3)),
            ("studio", lambda: rng.choice(slugs(st, "studios"))),
            ("date", lambda: date(rng)),
            ("level", lambda: rng.choice(ENUMS[("achievements", "level")])),
        ],
        "selections": [
            ("issuer", lambda: "测试县教育体育局"),
            ("date", lambda: date(rng, year)),
            ("entries", lambda: [entry(rng, st) for _ in range(rng.randint(1, 3))]),
        ],
        "reports": [
            ("subtitle", lambda: words(rng, 2, 4)),
            ("organization", lambda: rng.choice(["测试县教育体育局", "测试县教师发展中心"])),
        ],
    }[coll]
    if coll != "reports":
        choices.append(("title", lambda: words(rng, 2, 5)))
    name, make = rng.choice(choices)
    if name in ("project",) and not slugs(st, "projects"):
        return None, None
    if name == "studio" and not slugs(st, "studios"):
        return None, None
    return name, make()


def yaml_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    s = str(v)
    if s in ("true", "false", "null", "yes", "no") or s[:1] in "-[{&*!|>'\"%@`#,?:" or \
            ": " in s or " #" in s or s.isdigit():
        return json.dumps(s, ensure_ascii=False)
    return s


def render(rec, broken=None):
    lines = ["---"]
    fields = dict(rec["fields"])
    if broken:
        fields[broken[0]] = broken[1]
    for k in sorted(fields):
        v = fields[k]
        if isinstance(v, list) and v and isinstance(v[0], dict):
            lines.append(k + ":")
            for e in v:
                first = True
                for ek in sorted(e):
                    lines.append(("  - " if first else "    ") + ek + ": " + yaml_scalar(e[ek]))
                    first = False
        elif isinstance(v, list):
            lines.append(k + ": [" + ", ".join(yaml_scalar(x) for x in v) + "]")
        else:
            lines.append(k + ": " + yaml_scalar(v))
    if rec.get("draft"):
        lines.append("draft: true")
    lines.append("---")
    return "\n".join(lines) + "\n" + rec["body"]


def png(path, rng):
    w, h = rng.randint(40, 120), rng.randint(30, 90)
    shade = rng.randint(0, 255)
    raw = b"".join(b"\x00" + bytes([shade]) * w for _ in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                  + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def write_site(site, st, broken=None):
    """Every record file from the state; files of records no longer in it
    removed; `broken` = (key, field, value) breaks one record's file."""
    want = set()
    for key, rec in sorted(st["records"].items()):
        path = os.path.join(site, "content", key + ".md")
        want.add(os.path.normpath(path))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        text = render(rec, broken[1:] if broken and broken[0] == key else None)
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old != text:
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)
    for coll in os.listdir(os.path.join(site, "content")):
        d = os.path.join(site, "content", coll)
        for name in os.listdir(d):
            p = os.path.normpath(os.path.join(d, name))
            if name.endswith(".md") and p not in want:
                os.remove(p)
    with open(os.path.join(site, "site.yaml"), "w", encoding="utf-8") as out:
        out.write("title: 测试县教师培训成果\nbase_url: https://example.org/peixun/\n"
                  "language: zh-CN\norganization: 测试县教育体育局\n"
                  "description: %s\n" % st["description"])


def init(site, state):
    rng = random.Random(0)
    st = {"records": {}, "description": "测试用站点", "next": 100}
    st["records"]["projects/p1"] = {"fields": {"title": "2024年测试县国培项目", "year": 2024,
                                               "level": "国培", "region": "测试县", "trainees": 120,
                                               "hours": 60}, "body": "## 项目目标\n\n提升教师能力。\n"}
    st["records"]["studios/s1"] = {"fields": {"title": "王老师名师工作室", "kind": "名师工作室",
                                              "level": "省级", "host": "王老师", "members": 12},
                                   "body": "工作室简介。\n"}
    st["records"]["cases/c1"] = {"fields": {"title": "案例一", "date": "2024-05-10", "kind": "工作案例",
                                            "project": "p1", "studio": "s1", "featured": True,
                                            "cover": PHOTO}, "body": "![课堂](images/photo.jpg)\n"}
    st["records"]["achievements/a1"] = {"fields": {"title": "论文一篇", "studio": "s1",
                                                   "date": "2024-09-01", "kind": "论文", "level": "省级"},
                                        "body": "发表于某期刊。\n"}
    st["records"]["selections/2024-test"] = {"fields": {"title": "2024年度典型案例评选结果", "year": 2024,
                                                        "category": "典型案例",
                                                        "entries": [{"name": "案例一", "case": "c1"}]},
                                             "body": "公布如下。\n"}
    st["records"]["reports/2024"] = {"fields": {"title": "2024年度教师培训成果展示", "year": 2024},
                                     "body": "前言。\n"}
    png(os.path.join(site, PNG), rng)
    write_site(site, st)
    with open(state, "w", encoding="utf-8") as out:
        json.dump(st, out, ensure_ascii=False, sort_keys=True)


def referenced(st, coll, slug):
    """Keys of the records whose fields reference `slug` of `coll`, or
    whose bodies link to it."""
    field = {"projects": "project", "studios": "studio", "cases": "case"}.get(coll)
    link = "../%s/%s.md" % (coll, slug)
    out = []
    for key, rec in st["records"].items():
        f = rec["fields"]
        if link in rec["body"]:
            out.append(key)
        if field and f.get(field) == slug:
            out.append(key)
        for e in f.get("entries", []):
            if field and e.get(field) == slug:
                out.append(key)
    return out


def fresh_slug(st, coll, prefix):
    """A slug no record of `coll` has had in this run."""
    while True:
        slug = "%s%d" % (prefix, st["next"])
        st["next"] += 1
        if coll + "/" + slug not in st["records"]:
            return slug


def rename_refs(st, coll, old, new):
    """References and body links to `old` of `coll` follow it to `new`."""
    field = {"projects": "project", "studios": "studio", "cases": "case"}.get(coll)
    for rec in st["records"].values():
        if field and rec["fields"].get(field) == old:
            rec["fields"][field] = new
        for e in rec["fields"].get("entries", []):
            if field and e.get(field) == old:
                e[field] = new
        rec["body"] = rec["body"].replace("../%s/%s.md" % (coll, old), "../%s/%s.md" % (coll, new))


def change(rng, site, st):
    """One random change of the state; returns what it did."""
    keys = sorted(st["records"])
    key = rng.choice(keys)
    coll, slug = key.split("/", 1)
    rec = st["records"][key]
    r = rng.random()
    if r < 0.22:
        rec["body"] = rec["body"] + "\n" + body(rng, st, key) if rng.random() < 0.5 else body(rng, st, key)
        return "body of %s" % key
    if r < 0.50:
        name, value = optional(rng, st, coll, rec["fields"])
        if not name:
            return "nothing"
        rec["fields"][name] = value
        return "%s.%s = %r" % (key, name, value)
    if r < 0.58:
        removable = sorted(k for k in rec["fields"] if k not in REQUIRED[coll])
        if not removable:
            return "nothing"
        name = rng.choice(removable)
        del rec["fields"][name]
        return "%s.%s removed" % (key, name)
    if r < 0.70:
        coll = rng.choice(["projects", "studios", "cases", "cases", "achievements", "selections"])
        if coll == "achievements" and not slugs(st, "studios"):
            coll = "studios"
        slug = fresh_slug(st, coll, coll[0])
        st["records"][coll + "/" + slug] = {"fields": new_fields(rng, st, coll), "body": "x"}
        st["records"][coll + "/" + slug]["body"] = body(rng, st, coll + "/" + slug)
        return "added %s/%s" % (coll, slug)
    if r < 0.77:
        if coll == "reports" or len(slugs(st, coll)) < 2 or referenced(st, coll, slug):
            return "nothing"
        del st["records"][key]
        return "deleted %s" % key
    if r < 0.83:
        if coll == "reports":
            return "nothing"
        new = fresh_slug(st, coll, slug.rstrip("0123456789") or coll[0])
        st["records"][coll + "/" + new] = st["records"].pop(key)
        rename_refs(st, coll, slug, new)
        return "renamed %s to %s" % (key, new)
    if r < 0.88:
        if coll == "reports" or referenced(st, coll, slug):
            return "nothing"
        rec["draft"] = not rec.get("draft")
        return "%s draft %s" % (key, rec["draft"])
    if r < 0.92:
        years = [y for y in YEARS if "reports/%d" % y not in st["records"]]
        if not years:
            rec = st["records"]["reports/" + rng.choice(slugs(st, "reports"))]
            rec["body"] = body(rng, st, "reports/x")
            return "a report's foreword"
        y = rng.choice(years)
        st["records"]["reports/%d" % y] = {"fields": {"title": "%d年度教师培训成果展示" % y, "year": y},
                                           "body": "前言。\n"}
        return "report %d added" % y
    if r < 0.95:
        st["description"] = "测试用站点" + words(rng, 1, 2)
        return "site.yaml description"
    if r < 0.98:
        png(os.path.join(site, PNG), rng)
        return "the drawn photo redrawn"
    return "nothing (a commit of no change)"


def breakage(rng, st):
    """A change that the build must refuse, for this step only: a value
    outside its field's list, or a reference to nothing."""
    key = rng.choice(sorted(k for k in st["records"] if not k.startswith("reports/")))
    coll = key.split("/", 1)[0]
    if coll == "cases" and rng.random() < 0.5:
        return (key, "project", "no-such-project")
    field = {"projects": "level", "studios": "level", "cases": "kind",
             "achievements": "level", "selections": "category"}[coll]
    return (key, field, "不存在的值")


def step(site, state, seed, n):
    with open(state, encoding="utf-8") as f:
        st = json.load(f)
    rng = random.Random("%s:%s" % (seed, n))
    done = [change(rng, site, st) for _ in range(rng.randint(1, 3))]
    broken = breakage(rng, st) if rng.random() < 1 / 15 else None
    write_site(site, st, broken)
    if broken:
        done.append("broken for this step: %s %s = %r" % broken)
    with open(state, "w", encoding="utf-8") as out:
        json.dump(st, out, ensure_ascii=False, sort_keys=True)
    print("; ".join(done))


if __name__ == "__main__":
    if sys.argv[1] == "init":
        init(sys.argv[2], sys.argv[3])
    else:
        step(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
