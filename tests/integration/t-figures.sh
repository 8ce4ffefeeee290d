# Figures (issue 9): stats/figures.json recounted from the records by an
# independent route (recount_figures.py reads the front matter with
# PyYAML), every page it names shows the value, the booklet's overview read
# back with pdftotext equals the figures, and two builds are byte-identical.

FIGURES_TOP=$(cd "$HERE/../.." && pwd)

# The sample site of this repository, plus projects that leave out their
# trainees and hours, so that sums are partial (2022) or not reported
# (2021), and a studio founded after every booklet's year.
make_figures_site() {
	mkdir -p site
	cp -R "$FIGURES_TOP/content" "$FIGURES_TOP/site.yaml" site/
	cat > site/content/projects/2022-xinjiaoshi-gangqian.md <<'MD'
---
title: 2022年新教师岗前培训
year: 2022
level: 县培
category: 新教师岗前培训
region: 河阳县
---
未报送参训人数与学时。
MD
	cat > site/content/projects/2021-songjiao-xiaxiang.md <<'MD'
---
title: 2021年送教下乡培训
year: 2021
level: 县培
region: 北山县
---
未报送参训人数与学时。
MD
	cat > site/content/studios/weilai-gongzuoshi.md <<'MD'
---
title: 未来教师工作坊
kind: 教师工作坊
level: 县级
host: 李老师
founded: 2031
---
2031年成立。
MD
	git -C site init -q -b main
	git -C site add -A
	git -C site commit -q -m "records"
}

t_figures_recount() {
	make_figures_site
	run_showcase 0 build -C site --out "$PWD/o1"
	expect_file o1/stats/figures.json
	python3 "$HERE/recount_figures.py" site o1/stats/figures.json
	# Not reported is null, never 0; a partial sum says so.
	python3 - o1/stats/figures.json <<'PY'
import json, sys
f = {e["id"]: e for e in json.load(open(sys.argv[1]))["figures"]}
assert f["trainees/2021"]["value"] is None, f["trainees/2021"]
assert f["trainees/2022"]["reported"] < f["trainees/2022"]["selected"]
assert f["studios/2024"]["where"]["year"] == {"max": 2024, "or_unknown": True}
assert "studios/weilai-gongzuoshi/" not in f["studios/2024"]["records"]
assert f["projects/2024"]["pages"], "the 2024 booklet shows projects/2024"
PY
}
test_case "figures: figures.json recounted from the front matter by another route" t_figures_recount

t_figures_pages() {
	make_figures_site
	run_showcase 0 build -C site --out "$PWD/o1"
	# Each page named in figures.json shows each value it is named for:
	# the number as printed (1,234), or 未填报.
	python3 - o1 <<'PY'
import html, json, os, re, subprocess, sys
out = sys.argv[1]
data = json.load(open(os.path.join(out, "stats/figures.json")))
texts = {}
def text(page):
    if page not in texts:
        p = os.path.join(out, page)
        if page.endswith(".pdf"):
            t = subprocess.run(["pdftotext", p, "-"], capture_output=True,
                               check=True, text=True).stdout
        else:
            t = html.unescape(re.sub(r"<[^>]*>", " ", open(p, encoding="utf-8").read()))
        texts[page] = re.sub(r"\s+", "", t)
    return texts[page]
bad = checked = 0
for e in data["figures"]:
    # numfmt.h: up to four digits plain, five and more grouped by commas
    shown = "未填报" if e["value"] is None else (
        str(e["value"]) if abs(e["value"]) < 10000 else f"{e['value']:,}")
    for page in e["pages"]:
        checked += 1
        if shown not in text(page):
            bad += 1
            print(f"{page} does not show {e['id']} = {shown}")
print(f"{checked} figure pages checked, {bad} wrong")
assert checked > 0 and bad == 0
PY
}
test_case "figures: every page named in figures.json shows the value" t_figures_pages

t_figures_overview() {
	make_figures_site
	run_showcase 0 build -C site --out "$PWD/o1"
	local y
	for y in 2023 2024; do
		pdftotext -layout o1/reports/$y/$y.pdf $y.txt
		# The overview table, read back: each row "LABEL VALUE" equals
		# the figure of the year.
		python3 - o1/stats/figures.json $y.txt $y <<'PY'
import json, re, sys
figs = {e["id"]: e for e in json.load(open(sys.argv[1]))["figures"]}
txt = open(sys.argv[2], encoding="utf-8").read()
year = sys.argv[3]
overview = txt[txt.index("指标"):]
overview = overview[:overview.index("二、培训项目") if "二、培训项目" in overview else None]
rows = {}
for line in overview.splitlines():
    m = re.match(r"\s*(\S+)\s{2,}(.+?)\s*$", line)
    if m:
        rows[m.group(1)] = re.sub(r"\s", "", m.group(2))
checked = 0
for name in ["projects", "trainees", "hours", "cases", "featured_cases",
             "achievements", "achieving_studios", "studios", "selections"]:
    e = figs[f"{name}/{year}"]
    want = "未填报" if e["value"] is None else (
        str(e["value"]) if abs(e["value"]) < 10000 else f"{e['value']:,}") + e["unit"]
    got = rows.get(e["label"], "")
    assert got.startswith(want), f"{year} {e['label']}: booklet {got!r}, figures {want!r}"
    checked += 1
print(f"{year}: {checked} overview rows equal the figures")
PY
	done
	tr -d ' \n' < 2024.txt > flat.txt
	expect_not_contains flat.txt "培训总学时"
	# The organisation of the report record (or site.yaml), not a fixed
	# 全市 (which the foreword, a record's body, may well say).
	expect_contains flat.txt "2024年，沁川市教育体育局共实施"
	expect_not_contains flat.txt "未来教师工作坊"
}
test_case "figures: the booklet's overview read back equals the figures" t_figures_overview

# Provenance: on every web page named in figures.json, the value is a link
# (its text shows the value) to a page whose table of counted records holds
# exactly the URLs of `records`. Booklets (PDF, print HTML) only show it.
t_figures_provenance() {
	make_figures_site
	run_showcase 0 build -C site --out "$PWD/o1"
	python3 - o1 <<'PY'
import html, json, os, re, sys, urllib.parse
out = sys.argv[1]
data = json.load(open(os.path.join(out, "stats/figures.json")))
base = "/"  # site.yaml base_url
def read(page):
    return open(os.path.join(out, page), encoding="utf-8").read()
def target(page, href):
    url = urllib.parse.urljoin(base + page, href)
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    assert path.startswith(base), (page, href)
    path = path[len(base):]
    return path + "index.html" if path.endswith("/") or not path else path
anchors = {}
def links(page):
    if page not in anchors:
        found = []
        for m in re.finditer(r'<a\b[^>]*href="([^"]*)"[^>]*>(.*?)</a>', read(page), re.S):
            text = re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]*>", "", m.group(2))))
            found.append((html.unescape(m.group(1)), text))
        anchors[page] = found
    return anchors[page]
listed = {}
def counted(page):
    if page not in listed:
        t = read(page)
        m = re.search(r'<table class="data-table figure-records">(.*?)</table>', t, re.S)
        urls = None
        if m:
            body = m.group(1).split("<tbody>", 1)[1]
            urls = [target(page, html.unescape(h)) for h in
                    re.findall(r'<tr>\s*<td><a href="([^"]*)"', body)]
        listed[page] = urls
    return listed[page]
checked = bad = 0
for e in data["figures"]:
    # numfmt.h: up to four digits plain, five and more grouped by commas
    shown = "未填报" if e["value"] is None else (
        str(e["value"]) if abs(e["value"]) < 10000 else f"{e['value']:,}")
    want = sorted(r + "index.html" for r in e["records"])
    for page in e["pages"]:
        if page.startswith("reports/") and not page.endswith("/index.html"):
            continue  # a booklet
        checked += 1
        ok = False
        for href, text in links(page):
            if shown not in text:
                continue
            # Pages only: a booklet's download link may show a digit.
            got = counted(target(page, href)) if target(page, href).endswith(
                ".html") and os.path.exists(
                os.path.join(out, target(page, href))) else None
            if got is not None and sorted(got) == want and len(got) == len(set(got)):
                ok = True
                break
        if not ok:
            bad += 1
            if bad <= 10:
                print(f"{page}: no link showing {e['id']} = {shown} to exactly its {len(want)} records")
print(f"{checked} figures on web pages checked, {bad} without provenance")
assert checked > 100 and bad == 0
# The home page shows the latest year's headline figures, linked.
latest = max(int(e["id"].split("/")[1]) for e in data["figures"] if re.match(r"^[a-z_]+/\d{4}$", e["id"]))
assert any("index.html" in e["pages"] for e in data["figures"] if e["id"].endswith(f"/{latest}")), "home page figures"
PY
}
test_case "figures: every figure on a web page links to exactly the records it counts" t_figures_provenance

# Taxonomy pages: every term page lists exactly the records with the term
# (recounted from the front matter with PyYAML), with Chinese terms kept
# as UTF-8 folders and percent-encoded in hrefs; record pages link terms.
t_figures_taxonomy() {
	make_figures_site
	run_showcase 0 build -C site --out "$PWD/o1"
	expect_file "o1/projects/by-level/国培/index.html"
	expect_file "o1/projects/by-level/index.html"
	expect_file "o1/cases/by-year/2024/index.html"
	expect_file "o1/years/2024/index.html"
	expect_file "o1/stats/index.html"
	expect_contains "o1/projects/by-level/index.html" 'href="/projects/by-level/%E5%9B%BD%E5%9F%B9/"'
	python3 - site o1 <<'PY'
import glob, os, re, sys, yaml
site, out = sys.argv[1:]
want = {}
for path in glob.glob(os.path.join(site, "content/projects/*.md")):
    front = yaml.safe_load(open(path, encoding="utf-8").read().split("---")[1])
    if front.get("draft"):
        continue
    slug = os.path.basename(path)[:-3]
    want.setdefault(front["region"], set()).add(f"/projects/{slug}/")
for region, urls in want.items():
    page = open(os.path.join(out, "projects/by-region", region, "index.html"), encoding="utf-8").read()
    got = set(re.findall(r'class="card-title"><a href="([^"]*)"', page))
    assert got == urls, (region, got ^ urls)
print(f"{len(want)} region pages list exactly their projects")
PY
	# A record page links its level to the term page.
	expect_contains o1/projects/2024-beishan-songjiao-xiaxiang/index.html 'href="/projects/by-level/%E5%9B%BD%E5%9F%B9/"'
	# The 2024 report's page links its year's page.
	expect_contains o1/reports/2024/index.html 'href="/years/2024/"'
}
test_case "figures: taxonomy pages list exactly the records of their term" t_figures_taxonomy

t_figures_identical() {
	make_figures_site
	run_showcase 0 build -C site --out "$PWD/o1"
	run_showcase 0 build -C site --out "$PWD/o2" -j 1
	[ "$(tree_digest o1)" = "$(tree_digest o2)" ] || {
		diff -r o1 o2 | head -20 >&2
		fail "two builds differ"
	}
}
test_case "figures: two builds are byte-identical" t_figures_identical

# A record whose page would be a taxonomy or year page is a content error
# at its slug, found before anything is written.
t_figures_clash() {
	make_figures_site
	cat > site/content/projects/by-level.md <<'MD'
---
title: 冲突的项目
year: 2024
level: 县培
region: 河阳县
---
MD
	git -C site add -A
	git -C site commit -q -m "a slug that names a taxonomy index"
	run_showcase 1 build -C site --out "$PWD/o1"
	expect_contains err.txt "content/projects/by-level.md:1:1: error: page 'projects/by-level/index.html' is also the index of 'level' of 'projects'; choose another slug"
	[ ! -e o1 ] || fail "a failed build wrote its output"
}
test_case "figures: a slug that is a taxonomy page's path is an error at the slug" t_figures_clash
