#!/bin/sh
# module-dir.sh SRC_DIR — grading a student's module: configures a scratch
# build tree with -DLABKIT_MODULE_DIR=<a student's directory> and runs and
# checks exercise 3 (the module's) through its target and tests only.
#   good/  the trivial module with a student's classic Makefile, no Kbuild:
#          every step of 3 passes, and `labkit check --format junit -o`
#          writes well-formed XML naming the step;
#   bad/   the same module printing another load message: the build dir
#          is reconfigured, the module rebuilt, and exactly the steps that
#          look for the message (3.3, 3.5) fail, naming the pattern;
#   a directory with no Makefile or Kbuild, and one that does not exist,
#          fail the configure with an error naming the directory.
set -u
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
b=$tmp/build
fail() { echo "module-dir: FAIL: $*"; exit 1; }

mkdir "$tmp/good" "$tmp/bad" "$tmp/empty"
cp "$src/modules/trivial/trivial.c" "$tmp/good/"
printf '%s\n' 'obj-m += trivial.o' '' 'all:' \
	'	$(MAKE) -C /lib/modules/$(shell uname -r)/build M=$(CURDIR) modules' \
	> "$tmp/good/Makefile"
cp "$src/modules/trivial/trivial.c" "$src/modules/trivial/Kbuild" "$tmp/bad/"
sed -i "s/Hello world! I'ma a trivial module!/Hello world! I am a trivial module!/" \
	"$tmp/bad/trivial.c"
grep -q 'I am a trivial module' "$tmp/bad/trivial.c" || fail "bad/trivial.c unchanged"

# configure <module dir> <log>: the lab-trimmed kernels, no kernel builds
# for exercise 3 (it boots Debian's).
configure() {
	cmake -S "$src" -B "$b" -DLABKIT_TESTS=OFF -DLABKIT_KERNELS=quick -DLABKIT_MODULE_DIR="$1" >"$2" 2>&1
}

# grade <name>: exercise 3's target, then its tests; ctest's exit status.
grade() {
	configure "$tmp/$1" "$tmp/$1.configure.log" ||
		{ cat "$tmp/$1.configure.log"; fail "configure with $1/"; }
	cmake --build "$b" --target lab2.3 >"$tmp/$1.build.log" 2>&1 ||
		{ cat "$tmp/$1.build.log"; fail "target lab2.3 with $1/"; }
	grep -q "Building module 'trivial' from $tmp/$1 " "$tmp/$1.build.log" ||
		{ cat "$tmp/$1.build.log"; fail "the module was not built from $1/"; }
	ctest --test-dir "$b" -L lab2.3 >"$tmp/$1.ctest.log" 2>&1
}

grade good || { cat "$tmp/good.ctest.log"; fail "a good module failed exercise 3"; }
# the run and its 5 step checks (the report's cleanup test comes on top)
[ "$(grep -c 'lab2\.3\.[0-9a-z]* .* Passed' "$tmp/good.ctest.log")" = 6 ] &&
	grep -q '100% tests passed' "$tmp/good.ctest.log" ||
	{ cat "$tmp/good.ctest.log"; fail "not the 6 tests of exercise 3"; }
"$b/tools/labkit" check --spec "$src/labs.yaml" --results "$b/lab2/3/results.yaml" \
	--step 3.3 --format junit -o "$tmp/3.3.xml" >"$tmp/check.log" 2>&1 ||
	{ cat "$tmp/check.log"; fail "labkit check --format junit on a good step"; }
[ -s "$tmp/check.log" ] && { cat "$tmp/check.log"; fail "-o: the verdict also went to stdout"; }
grep -q '<testsuite name="lab2.3.3" .*tests="2" failures="0"' "$tmp/3.3.xml" ||
	{ cat "$tmp/3.3.xml"; fail "no passing testsuite lab2.3.3 in the JUnit"; }
if command -v xmllint >/dev/null; then
	xmllint --noout "$tmp/3.3.xml" || fail "the JUnit is not well-formed XML"
fi
echo "module-dir: ok: a student's directory (Makefile, no Kbuild) passes exercise 3"

if grade bad; then
	cat "$tmp/bad.ctest.log"; fail "a module with another message passed exercise 3"
fi
for t in 3.1 3.2 3.4; do
	grep -q "lab2\.$t \.*   Passed" "$tmp/bad.ctest.log" ||
		{ cat "$tmp/bad.ctest.log"; fail "lab2.$t did not pass with bad/"; }
done
for t in 3.3 3.5; do
	grep -q "lab2\.$t \.*\*\*\*Failed" "$tmp/bad.ctest.log" ||
		{ cat "$tmp/bad.ctest.log"; fail "lab2.$t did not fail with bad/"; }
done
ctest --test-dir "$b" -R '^lab2\.3\.3$' --output-on-failure >"$tmp/bad.3.3.log" 2>&1
grep -q "pattern 'Hello world! I'ma a trivial module!' not found" "$tmp/bad.3.3.log" &&
grep -q '| .*Hello world! I am a trivial module!' "$tmp/bad.3.3.log" ||
	{ cat "$tmp/bad.3.3.log"; fail "3.3 does not name the pattern and the closest line"; }
"$b/tools/labkit" check --spec "$src/labs.yaml" --results "$b/lab2/3/results.yaml" \
	--step 3.3 --format junit -o "$tmp/3.3.xml" >/dev/null 2>&1
[ $? -eq 1 ] || fail "labkit check --format junit did not fail a bad step"
grep -q 'failures="1"' "$tmp/3.3.xml" || { cat "$tmp/3.3.xml"; fail "no failure in the JUnit"; }
echo "module-dir: ok: a module with another message fails 3.3 and 3.5, and only those"

for d in "$tmp/empty" "$tmp/missing"; do
	if configure "$d" "$tmp/configure.log"; then
		fail "configure succeeded with LABKIT_MODULE_DIR=$d"
	fi
	grep -q "LABKIT_MODULE_DIR: '$d' \(has no Makefile or Kbuild\|is not a directory\)" \
		"$tmp/configure.log" || { cat "$tmp/configure.log"; fail "no error naming $d"; }
done
echo "module-dir: ok: a directory that is not a module fails the configure, named"
