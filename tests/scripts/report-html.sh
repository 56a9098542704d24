#!/bin/sh
# report-html.sh LABKIT DATA BUILD page|browser — the report written from
# the golden results (DATA/lab2, judged by DATA/labs.yaml): `labkit
# report` exits 1 (2.11 failed) and writes report.md, report.html,
# time.svg and the steps' outputs.
#
# page (ctest report.html; no browser): into a scratch directory; the
# page's HTML as written holds the summary table, the failed step and
# the inline time chart.
# browser (ctest report.html.browser): into BUILD/report-html/; headless
# chromium opens report.html and the page renders (a screenshot of some
# size, kept as BUILD/report.png) with the same three in its DOM.  Exits
# 77 (skipped) without chromium, before writing anything.
set -u
labkit=$1
data=$2
build=$3
mode=${4:-}
fail() { echo "report-html: FAIL: $*"; exit 1; }
case $mode in
page | browser) ;;
*) echo "usage: report-html.sh LABKIT DATA BUILD page|browser" >&2; exit 2 ;;
esac

chromium=
if [ "$mode" = browser ]; then
	chromium=$(command -v chromium || command -v chromium-browser) || {
		echo "report-html: skipped: no chromium in PATH to render the page with" \
			"(tools/install-deps installs it); report.html checks the page without one"
		exit 77
	}
fi
tmp=$(mktemp -d /tmp/labkit-report-html.XXXXXX)
cpgid=
cleanup() {
	[ -z "$cpgid" ] || kill -KILL "-$cpgid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# The golden results hold a real failure (2.11 booted the QEMU build):
# the report is written and labkit exits 1.
if [ "$mode" = page ]; then
	out=$tmp/report
else
	out=$build/report-html
	rm -rf "$out"
fi
"$labkit" report --spec "$data/labs.yaml" --results "$data/lab2" -o "$out" \
	>"$tmp/report.log" 2>&1
rc=$?
[ "$rc" -eq 1 ] || { cat "$tmp/report.log"; fail "labkit report exited $rc, expected 1"; }
for f in report.md report.html time.svg out/2.8.txt; do
	[ -s "$out/$f" ] || fail "$out/$f was not written"
done

# The summary table, the failed step in it and the inline chart, in
# HTML FILE (as written, or as chromium has it).
check_page() {
	grep -q '<th>Krok</th><th>Wynik</th><th>Czas</th><th>Uwagi</th>' "$1" ||
		fail "no summary table in $2"
	grep -q '<td>2.11</td><td class="failed">' "$1" || # the word: --lang's
		fail "the failed step 2.11 is not in the summary table of $2"
	grep -q '<figure class="chart"><svg' "$1" ||
		grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$1" ||
		fail "no inline time chart in $2"
}

if [ "$mode" = page ]; then
	check_page "$out/report.html" "the page as written"
	echo "report-html: ok: report.md, report.html, time.svg written; the page holds the table, 2.11 failed and the chart"
	exit 0
fi

# The page in a real browser.  A private profile, so nothing of the
# user's is touched; the same flags for both runs; chromium and its
# helpers in a process group of their own, killed when it is done or
# this script is interrupted.
run_chromium() {
	setsid timeout 120 "$chromium" --headless=new --no-sandbox --disable-gpu \
		--user-data-dir="$tmp/profile" --window-size=1200,3000 "$@" \
		"file://$(realpath "$out/report.html")" &
	cpgid=$!
	wait "$cpgid"
	set -- $?
	kill -KILL "-$cpgid" 2>/dev/null
	cpgid=
	return "$1"
}
rm -f "$build/report.png"
run_chromium --screenshot="$build/report.png" >"$tmp/shot.log" 2>&1 ||
	{ cat "$tmp/shot.log"; fail "chromium could not take a screenshot"; }
[ -f "$build/report.png" ] || { cat "$tmp/shot.log"; fail "no screenshot"; }
size=$(wc -c <"$build/report.png")
[ "$size" -gt 50000 ] || fail "the screenshot is only $size bytes: an empty page?"

run_chromium --dump-dom >"$tmp/dom.html" 2>"$tmp/dom.log" ||
	{ cat "$tmp/dom.log"; fail "chromium could not dump the DOM"; }
check_page "$tmp/dom.html" "the rendered page"
echo "report-html: ok: $out/report.html renders (screenshot $build/report.png, $size bytes)"
