#!/bin/sh
# layers.sh includes CC <stage>=<header>=<below,...>=<include dir:...>...
# layers.sh symbols NM <stage>=<below,...>=<archive>...
#
# includes: for every pair of stages S, T: a one-line source of S that
#   includes T's header compiles when T is S or below it, and otherwise
#   fails with the compiler's "<header>: No such file or directory" (any
#   other failure is a broken probe, not a layer).
# symbols: no undefined symbol of S's archive is defined by a stage that
#   is neither S nor below it.
set -u
mode=$1 tool=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
fail() { echo "layers: FAIL: $*"; bad=$((bad + 1)); }

field() { echo "$1" | cut -d= -f"$2"; }
sees() { # sees <below> <stage>
	case ",$1," in *",$2,"*) return 0 ;; esac
	return 1
}

case $mode in
includes)
	n=0
	for s in "$@"; do
		stage=$(field "$s" 1) below=$(field "$s" 3)
		flags=$(field "$s" 4 | tr ':' '\n' | sed 's/^/-I/' | tr '\n' ' ')
		for t in "$@"; do
			other=$(field "$t" 1) h=$(field "$t" 2)
			printf '#include "%s"\nint probe;\n' "$h" > "$tmp/p.c"
			# shellcheck disable=SC2086
			"$tool" -D_GNU_SOURCE -fsyntax-only $flags "$tmp/p.c" > "$tmp/out" 2>&1
			rc=$?
			n=$((n + 1))
			if [ "$other" = "$stage" ] || sees "$below" "$other"; then
				[ $rc -eq 0 ] || { cat "$tmp/out"; fail "$stage cannot include $h, of $other below it"; }
			elif [ $rc -eq 0 ]; then
				fail "$stage includes $h, of $other, which it may not see"
			elif ! grep -q "$h: No such file or directory" "$tmp/out"; then
				cat "$tmp/out"
				fail "$stage including $h failed for another reason than the layers"
			fi
		done
	done
	[ $bad -eq 0 ] && echo "layers: ok: $n includes between $# stages, each as the table allows"
	;;
symbols)
	for s in "$@"; do
		"$tool" -g --defined-only "$(field "$s" 3)" 2>/dev/null |
			awk -v st="$(field "$s" 1)" 'NF == 3 { print $3, st }'
	done | sort -u > "$tmp/defined"
	n=0
	for s in "$@"; do
		stage=$(field "$s" 1) below=$(field "$s" 2)
		"$tool" -u "$(field "$s" 3)" 2>/dev/null | awk 'NF == 2 { print $2 }' |
			sort -u > "$tmp/undefined"
		join "$tmp/undefined" "$tmp/defined" > "$tmp/used"
		while read -r sym owner; do
			n=$((n + 1))
			[ "$owner" = "$stage" ] || sees "$below" "$owner" ||
				fail "stage $stage uses $sym of stage $owner, which it may not see"
		done < "$tmp/used"
	done
	[ $bad -eq 0 ] && echo "layers: ok: $n uses of other stages' symbols, each down the table"
	;;
esac
[ $bad -eq 0 ]
