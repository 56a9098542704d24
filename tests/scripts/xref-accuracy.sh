#!/bin/bash
# xref-accuracy.sh TREE INDEX LABKIT [KNOWN] [PER-KIND] — labkit's
# definitions against universal-ctags' on a deterministic sample of the
# names ctags finds in TREE: for each of struct, function and macro,
# PER-KIND names (default 800; every n-th of ctags' sorted names of that
# kind), each checked for the same set of path:line definitions in .c and
# .h files (ctags told .h is C; labkit's declarations left out) through
# one `labkit xref def --json --kind KIND` over INDEX per kind.
#
# Left out as no disagreement: ctags' made-up names of anonymous structs
# (__anon...), and files reached through a symbolic link, which labkit
# does not follow.  A disagreement listed in KNOWN (default
# tests/data/xref/accuracy-known.txt: `kind name  reason` a line) is
# explained; every other one is printed.  Fails (exit 1) when a kind's
# agreement, explained disagreements counted as agreeing, is under 99%;
# exit 77 without ctags or jq.
set -euo pipefail
tree=$(cd "$1" && pwd)
index=$2
labkit=$3
known=${4:-$(dirname "$0")/../data/xref/accuracy-known.txt}
per=${5:-800}
for t in ctags jq; do
	command -v "$t" >/dev/null || { echo "xref-accuracy: skipped: no $t" >&2; exit 77; }
done
ctags --version 2>/dev/null | grep -q 'Universal Ctags' ||
	{ echo "xref-accuracy: skipped: ctags is not universal-ctags" >&2; exit 77; }
[ -f "$index" ] || { echo "xref-accuracy: error: no index '$index'" >&2; exit 2; }
tmp=$(mktemp -d /tmp/labkit-xref-acc.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

export LC_ALL=C
if [ -n "${LABKIT_XREF_CTAGS:-}" ] && [ -s "$LABKIT_XREF_CTAGS" ]; then
	cp "$LABKIT_XREF_CTAGS" "$tmp/tags" # a tags file made as below, to save time
else
	(cd "$tree" && ctags -R --languages=C --langmap=C:+.h --kinds-C=dfs \
		--excmd=number --fields=+K -f "$tmp/tags" .)
fi
# each file an awk reads first starts with a line, so FNR == NR holds
# for it alone even when it has nothing else
(echo /; cd "$tree" && find . -type l -printf '%P\n') >"$tmp/links"

# kind:name <TAB> sorted path:line list, for the sample
awk -F'\t' -v per="$per" '
	function linked(p,   i, n, parts, pre) {
		n = split(p, parts, "/"); pre = ""
		for (i = 1; i <= n; i++) { pre = pre (i > 1 ? "/" : "") parts[i]; if (pre in link) return 1 }
		return 0 }
	FNR == NR { link[$0] = 1; next }
	/^!_TAG/ || $1 ~ /^__anon/ { next }
	$4 != "function" && $4 != "macro" && $4 != "struct" { next }
	{ sub(/^\.\//, "", $2); sub(/;".*/, "", $3); k = $4
	  if (linked($2)) next
	  key = k ":" $1; if (!(key in at)) { n[k]++; names[k, n[k]] = $1 }
	  at[key] = at[key] " " $2 ":" $3 }
	END { for (k in n) { step = int(n[k] / per); if (step < 1) step = 1
		for (i = 1; i <= n[k] && i <= step * per; i += step) print k ":" names[k, i] "\t" at[k ":" names[k, i]] } }
' "$tmp/links" "$tmp/tags" >"$tmp/want"

# the same from labkit, one query per kind
echo "-" >"$tmp/got"
for kind in function macro struct; do
	sed -n "s/^$kind:\([^\t]*\)\t.*/\1/p" "$tmp/want" >"$tmp/names.$kind"
	xargs -a "$tmp/names.$kind" "$labkit" xref def --index "$index" --json --kind "$kind" \
		2>/dev/null >"$tmp/got.$kind.json" || true
	jq -r --arg k "$kind" '.[] | select(.declaration == false) |
		select(.path | test("\\.[ch]$")) | "\($k):\(.name)\t\(.path):\(.line)"' \
		"$tmp/got.$kind.json"
done >>"$tmp/got"

# ok|differ <TAB> kind:name <TAB> ctags' list <TAB> labkit's list, lists sorted
awk -F'\t' '
	function norm(s,   n, a, i, j, t, out) {
		n = split(s, a, " ")
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j] < a[j - 1]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		out = ""; for (i = 1; i <= n; i++) if (i == 1 || a[i] != a[i - 1]) out = out a[i] " "
		return out }
	FNR == NR { got[$1] = got[$1] " " $2; next }
	{ w = norm($2); g = norm(got[$1]); print (w == g ? "ok" : "differ") "\t" $1 "\t" w "\t" g }
' "$tmp/got" "$tmp/want" >"$tmp/cmp"

# known disagreements: "kind name  reason"
(echo "-"; sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$known" 2>/dev/null |
	awk '{ print $1 ":" $2 }' | sort -u) >"$tmp/known"

printf 'xref-accuracy: %s, index %s; up to %s names per kind sampled from ctags\n\n' "$tree" "$index" "$per"
rc=0
for kind in function macro struct; do
	read -r n ok expl < <(awk -F'\t' -v k="$kind" '
		FNR == NR { known[$1] = 1; next }
		index($2, k ":") == 1 { n++; ok += $1 == "ok"; expl += $1 != "ok" && ($2 in known) }
		END { print n + 0, ok + 0, expl + 0 }' "$tmp/known" "$tmp/cmp")
	if [ "$n" -eq 0 ]; then echo "xref-accuracy: error: no $kind names sampled" >&2; exit 1; fi
	pct=$(awk -v a=$((ok + expl)) -v n="$n" 'BEGIN { printf "%.2f", 100 * a / n }')
	printf '%-9s %5d names, %5d agree (%.2f%%), %3d known disagreements: %s%% %s\n' \
		"$kind" "$n" "$ok" "$(awk -v a="$ok" -v n="$n" 'BEGIN { print 100 * a / n }')" \
		"$expl" "$pct" "$(awk -v p="$pct" 'BEGIN { print (p >= 99) ? "ok" : "UNDER 99%" }')"
	awk -v p="$pct" 'BEGIN { exit !(p < 99) }' && rc=1
done
total=$(wc -l <"$tmp/cmp")
[ "$total" -ge 2000 ] || { echo "xref-accuracy: error: only $total names sampled (want >= 2000)" >&2; rc=1; }
echo
echo "disagreements not in $known:"
awk -F'\t' 'FNR == NR { known[$1] = 1; next }
	$1 == "differ" && !($2 in known) { printf "  %s | ctags: %s| labkit: %s\n", $2, $3, $4 }' \
	"$tmp/known" "$tmp/cmp"
exit $rc
