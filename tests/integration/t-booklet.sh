# The booklet as a book designer reads it (issue 12), checked with poppler
# and qpdf on the PDF. make_report_site comes from t-report.sh.

# The catalog of a PDF, uncompressed, for grep.
pdf_catalog() { qpdf --qdf --object-streams=disable "$1" - | tr -d '\r'; }

t_booklet_clean_pdf() {
	make_report_site
	run_showcase 0 report 2024 -C site --out "$PWD/b.pdf"
	# Strict checkers find nothing (Cairo alone leaves a damaged xref).
	qpdf --check b.pdf > check.txt 2>&1 || fail "qpdf --check: $(cat check.txt)"
	expect_not_contains check.txt "WARNING"
	pdf_catalog b.pdf > qdf.txt
	expect_contains qdf.txt "/Lang (zh-CN)"
	expect_contains qdf.txt "/PageMode /UseOutlines"
	# Page labels: the cover, the front matter in roman numerals, then
	# arabic from the page printed "1", which shows "1" as its folio.
	qpdf --json --json-key=pagelabels b.pdf > labels.json
	python3 - labels.json > labels.txt <<'PY' || fail "bad page labels: $(cat labels.json)"
import json, sys
labels = json.load(open(sys.argv[1]))["pagelabels"]
for l in labels:
    print(l["index"], l["label"].get("/S", "-"), l["label"].get("/St", 1), l["label"].get("/P", "-"))
PY
	head -2 labels.txt > front.txt
	expect_same_text front.txt - <<'TXT'
0 - 1 u:封面
1 /r 1 -
TXT
	arabic=$(awk '$2 == "/D" && $3 == 1 {print $1 + 1; exit}' labels.txt)
	[ -n "$arabic" ] && [ "$(wc -l < labels.txt)" = 3 ] || fail "page labels: $(cat labels.txt)"
	# The folios printed are the labels.
	[ "$(pdf_page_text b.pdf 2 | grep -v '^\s*$' | tail -1 | tr -d ' \f')" = i ] || fail "page 2 is not printed i"
	[ "$(pdf_page_text b.pdf "$arabic" | grep -v '^\s*$' | tail -1 | tr -d ' \f')" = 1 ] ||
		fail "page $arabic is labelled 1 but printed otherwise"
}
test_case "booklet: qpdf finds no problem; /Lang, /PageMode and page labels are set" t_booklet_clean_pdf
