#!/bin/sh
# report-html.sh LABKIT DATA BUILD — writes the report from the golden
# results (DATA/lab2, judged by DATA/labs.yaml) into BUILD/report-html/,
# opens report.html in headless chromium, and checks that the page
# renders (a screenshot of some size, kept as BUILD/report.png) and that
# the rendered DOM holds the summary table, the failed step and the chart.
# Exits 77 (skipped) when chromium is not installed.
set -u
labkit=$1
data=$2
build=$3
out=$build/report-html
fail() { echo "report-html: FAIL: $*"; exit 1; }

chromium=$(command -v chromium || command -v chromium-browser) || {
	echo "report-html: SKIP: chromium is not installed (tools/install-deps installs it)"
	exit 77
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"

# The golden results hold a real failure (2.11 booted the QEMU build):
# the report is written and labkit exits 1.
"$labkit" report --spec "$data/labs.yaml" --results "$data/lab2" -o "$out" \
	>"$tmp/report.log" 2>&1
rc=$?
[ "$rc" -eq 1 ] || { cat "$tmp/report.log"; fail "labkit report exited $rc, expected 1"; }
for f in report.md report.html time.svg out/2.8.txt; do
	[ -s "$out/$f" ] || fail "$out/$f was not written"
done

# The page in a real browser.  A private profile, so nothing of the
# user's is touched; the same flags for both runs.
run_chromium() {
	timeout 120 "$chromium" --headless=new --no-sandbox --disable-gpu \
		--user-data-dir="$tmp/profile" --window-size=1200,3000 "$@" \
		"file://$(realpath "$out/report.html")"
}
rm -f "$build/report.png"
run_chromium --screenshot="$build/report.png" >"$tmp/shot.log" 2>&1 ||
	{ cat "$tmp/shot.log"; fail "chromium could not take a screenshot"; }
[ -f "$build/report.png" ] || { cat "$tmp/shot.log"; fail "no screenshot"; }
size=$(wc -c <"$build/report.png")
[ "$size" -gt 50000 ] || fail "the screenshot is only $size bytes: an empty page?"

run_chromium --dump-dom >"$tmp/dom.html" 2>"$tmp/dom.log" ||
	{ cat "$tmp/dom.log"; fail "chromium could not dump the DOM"; }
grep -q '<th>Krok</th><th>Wynik</th><th>Czas</th><th>Uwagi</th>' "$tmp/dom.html" ||
	fail "no summary table in the rendered page"
grep -q '<td>2.11</td><td class="failed">failed</td>' "$tmp/dom.html" ||
	fail "the failed step 2.11 is not in the summary table"
grep -q '<figure class="chart"><svg' "$tmp/dom.html" ||
	grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$tmp/dom.html" ||
	fail "no inline time chart"
echo "report-html: ok: $out/report.html renders (screenshot $build/report.png, $size bytes)"
