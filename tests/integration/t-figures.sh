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
    shown = "未填报" if e["value"] is None else f"{e['value']:,}"
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
    want = "未填报" if e["value"] is None else f"{e['value']:,}{e['unit']}"
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
