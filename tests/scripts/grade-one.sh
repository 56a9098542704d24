#!/bin/sh
# grade-one.sh SRC BIN — one student's module graded, sandboxed, with
# `labkit grade <dir>` against the build tree BIN (Lab 2 built), from
# the student's side of the file system, with relative paths:
#   good/  the trivial module with a student's classic Makefile, no Kbuild:
#          5/5, exit 0, and `labkit check --format junit -o` on its results
#          writes well-formed XML naming the step;
#   bad/   the same module printing another load message: exactly the
#          steps that look for the message (3.3, 3.5) fail, 3.3 naming
#          the pattern and the closest line;
# and -DLABKIT_MODULE_DIR, which built a student's module on the host
# outside any sandbox, is refused with the command that replaces it.
set -u
src=$1 bin=$2
labkit=$bin/tools/labkit
tmp=$(mktemp -d /tmp/labkit-grade-one.XXXXXX)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "grade-one: FAIL: $*"; exit 1; }

mkdir "$tmp/good" "$tmp/bad"
cp "$src/modules/trivial/trivial.c" "$tmp/good/"
printf '%s\n' 'obj-m += trivial.o' '' 'all:' \
	'	$(MAKE) -C /lib/modules/$(shell uname -r)/build M=$(CURDIR) modules' \
	> "$tmp/good/Makefile"
cp "$src/modules/trivial/trivial.c" "$src/modules/trivial/Kbuild" "$tmp/bad/"
sed -i "s/Hello world! I'ma a trivial module!/Hello world! I am a trivial module!/" \
	"$tmp/bad/trivial.c"
grep -q 'I am a trivial module' "$tmp/bad/trivial.c" || fail "bad/trivial.c unchanged"

# grade <name>: as the student's directory's neighbour would type it.
grade() {
	(cd "$tmp" && "$labkit" grade --spec "$(realpath --relative-to=. "$src/labs.yaml")" \
		--build-dir "$(realpath --relative-to=. "$bin")" -o "out-$1" "$1") \
		> "$tmp/$1.log" 2>&1
}
field() {
	python3 -c 'import csv, sys
for row in csv.DictReader(open(sys.argv[1], newline="")):
    if row["student"] == sys.argv[2]: print(row[sys.argv[3]])' "$1" "$2" "$3"
}

grade good || { cat "$tmp/good.log"; fail "a good module failed exercise 3"; }
[ "$(field "$tmp/out-good/summary.csv" good score)" = 5 ] || fail "good: not 5/5"
"$labkit" check --spec "$src/labs.yaml" --results "$tmp/out-good/students/good/3/results.yaml" \
	--step 3.3 --format junit -o "$tmp/3.3.xml" >"$tmp/check.log" 2>&1 ||
	{ cat "$tmp/check.log"; fail "labkit check --format junit on a good step"; }
[ -s "$tmp/check.log" ] && { cat "$tmp/check.log"; fail "-o: the verdict also went to stdout"; }
grep -q '<testsuite name="lab2.3.3" .*failures="0"' "$tmp/3.3.xml" ||
	{ cat "$tmp/3.3.xml"; fail "no passing testsuite lab2.3.3 in the JUnit"; }
if command -v xmllint >/dev/null; then
	xmllint --noout "$tmp/3.3.xml" || fail "the JUnit is not well-formed XML"
fi
echo "grade-one: ok: a student's directory (Makefile, no Kbuild) gets 5/5, sandboxed"

grade bad && { cat "$tmp/bad.log"; fail "a module with another message passed exercise 3"; }
csv=$tmp/out-bad/summary.csv
for t in 3.1 3.2 3.4; do
	[ "$(field "$csv" bad "$t")" = passed ] || fail "$t did not pass with bad/"
done
for t in 3.3 3.5; do
	[ "$(field "$csv" bad "$t")" = failed ] || fail "$t did not fail with bad/"
done
out=$("$labkit" check --spec "$src/labs.yaml" --results "$tmp/out-bad/students/bad/3/results.yaml" \
	--step 3.3 2>&1)
echo "$out" | grep -q "pattern 'Hello world! I'ma a trivial module!' not found" &&
echo "$out" | grep -q '| .*Hello world! I am a trivial module!' ||
	{ echo "$out"; fail "3.3 does not name the pattern and the closest line"; }
echo "grade-one: ok: a module with another message fails 3.3 and 3.5, and only those"

if cmake -S "$src" -B "$tmp/b" -DLABKIT_TESTS=OFF -DLABKIT_MODULE_DIR="$tmp/good" \
	>"$tmp/configure.log" 2>&1; then
	fail "-DLABKIT_MODULE_DIR still configures"
fi
tr -s '\n ' '  ' < "$tmp/configure.log" | grep -q "LABKIT_MODULE_DIR is gone: .*labkit grade" ||
	{ cat "$tmp/configure.log"; fail "no message naming labkit grade"; }
echo "grade-one: ok: -DLABKIT_MODULE_DIR is refused, naming labkit grade"
