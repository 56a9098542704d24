#!/bin/sh
# grade-uses.sh SRC BIN — `labkit grade` of exercise 2 of labs/kernel_api
# (sym_consumer calls klab_calls(), which sym_provider exports: `uses`)
# against the build tree BIN, which has that lab configured and built.
# A class of submissions, each with sym_provider/ and sym_consumer/ (two
# directories, two kbuild builds in the sandbox):
#
#   good         the lab's own modules: every step passes
#   no-export    its provider does not export klab_calls: the consumer
#                does not build, with modpost's undefined-symbol line
#   no-provider  its provider does not compile: the consumer is not
#                built, and the reason says so
#   lazy         its consumer prints the line without calling: it loads
#                without the provider, so 2.1 fails
set -u
src=$1 bin=$2
labkit=$bin/tools/labkit
spec=$src/labs/kernel_api/labs.yaml
mods=$src/labs/kernel_api/modules
tmp=$(mktemp -d /tmp/labkit-grade-uses.XXXXXX)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
fail() { echo "grade-uses: FAIL: $*"; exit 1; }

student() {
	mkdir -p "$tmp/class/$1"
	cp -r "$mods/sym_provider" "$mods/sym_consumer" "$tmp/class/$1/"
}
student good
student no-export
sed -i '/^EXPORT_SYMBOL(klab_calls);$/d' "$tmp/class/no-export/sym_provider/sym_provider.c"
grep -q "^EXPORT_SYMBOL" "$tmp/class/no-export/sym_provider/sym_provider.c" &&
	fail "no-export still exports"
student no-provider
sed -i 's/^	return value;$/	return value/' "$tmp/class/no-provider/sym_provider/sym_provider.c"
student lazy
sed -i 's/^	u32 first = klab_calls();$/	u32 first = 0x12345678;/;
        s/^	u32 second = klab_calls();$/	u32 second = 0x9abcdef0;/' \
	"$tmp/class/lazy/sym_consumer/sym_consumer.c"
grep -q 'klab_calls();' "$tmp/class/lazy/sym_consumer/sym_consumer.c" &&
	fail "lazy still calls klab_calls()"

"$labkit" grade --spec "$spec" --build-dir "$bin" -o "$tmp/grade" \
	--class "$tmp/class" --exercise 2 -j 2 > "$tmp/grade.log" 2>&1
rc=$?
cat "$tmp/grade.log"
[ $rc -eq 1 ] || fail "labkit grade exited $rc, expected 1 (some students fail)"

# field STUDENT COLUMN: one cell of summary.csv.
field() {
	python3 -c 'import csv, sys
for row in csv.DictReader(open(sys.argv[1], newline="")):
    if row["student"] == sys.argv[2]: print(row[sys.argv[3]])' \
		"$tmp/grade/summary.csv" "$1" "$2"
}
expect() {
	got=$(field "$1" score) why=$(field "$1" reason)
	[ "$got" = "$2" ] || fail "$1: score '$got', expected $2 ($why)"
	echo "$why" | grep -Eq -- "$3" || fail "$1: reason '$why', expected /$3/"
	echo "grade-uses: ok: $1: $got/7${why:+: $why}"
}
expect good 7 '^$'
expect no-export 0 "^2\.1: module 'sym_consumer' did not build: ERROR: modpost: \"klab_calls\" \[sym_consumer\.ko\] undefined!$"
expect no-provider 0 "^2\.1: module 'sym_provider' did not build: sym_provider\.c:[0-9]+:[0-9]+: error: .* \(so 'sym_consumer', which uses it, was not built\)$"
expect lazy 1 "^2\.1: "

# The consumer was built second, from the student's own provider.
log=$tmp/grade/students/good/grade.log
grep -n "module 'sym_provider' built" "$log" > /dev/null &&
	grep -n "module 'sym_consumer' built" "$log" > /dev/null ||
	fail "good: no build of both modules in $log"
p=$(grep -n "module 'sym_provider' built" "$log" | cut -d: -f1)
c=$(grep -n "module 'sym_consumer' built" "$log" | cut -d: -f1)
[ "$p" -lt "$c" ] || fail "good: sym_consumer was built before sym_provider"
[ ! -e "$tmp/grade/students/no-provider/build/sym_consumer" ] ||
	fail "no-provider: sym_consumer was built"
echo "grade-uses: ok: providers are built first, and a consumer of one that failed is not built"

ps -eo args= | grep -F "$tmp" | grep -v -e grep -e "$0" && fail "processes of the grading are left"
echo "grade-uses: ok: no guest or sandbox left"
