#!/bin/sh
# no-hidden-skips.sh SRC BUILD CTEST CMAKE — labkit's own tests cannot
# hide: a test that does not run says so (exit 77, ctest's Skipped, with
# the reason in its output), and none passes or disappears instead.
#
# - No cmocka skip() in tests/test_*.c: the program would exit 0 and
#   ctest show Passed.  A unit test program checks what it needs in
#   main() and exits 77 (EXIT_SKIP) naming what is missing.
# - Every unit.* test, and every test whose command runs a tests/scripts/
#   script that can exit 77 (an `exit 77` outside a comment), has
#   SKIP_RETURN_CODE 77 in BUILD's ctest.
# - The tests a file under tests/ registers by a literal name are all
#   registered, or none of them (the file was not read): one left out is
#   an if() around its add_test.  A test that does not apply is
#   registered to run not-applicable.sh with the reason.
# - Every tests/scripts/*.sh is named by a CMake file under tests/.
# Prints each problem and exits 1; 0 when there is none.
set -u
[ $# -eq 4 ] || { echo "usage: no-hidden-skips.sh SRC BUILD CTEST CMAKE" >&2; exit 2; }
src=$1
build=$2
ctest=$3
cmake=$4
tmp=$(mktemp -d /tmp/labkit-no-hidden-skips.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
problems=0
problem() { echo "no-hidden-skips: $*"; problems=$((problems + 1)); }

# cmocka's skip() outside comments
for f in "$src"/tests/test_*.c; do
	grep -n '\<skip[[:space:]]*(' "$f" | grep -v '^[0-9]*:[[:space:]]*\(/\*\|\*\|//\)' >"$tmp/skips"
	while IFS= read -r hit; do
		problem "tests/${f##*/}:${hit%%:*}: cmocka's skip() exits 0 (ctest: Passed);" \
			"check what the test needs in main() and return EXIT_SKIP (77) saying what is missing"
	done <"$tmp/skips"
done

"$ctest" --test-dir "$build" --show-only=json-v1 >"$tmp/tests.json" 2>"$tmp/ctest.err" ||
	{ cat "$tmp/ctest.err"; echo "no-hidden-skips: error: ctest --show-only=json-v1 failed in $build"; exit 1; }

# what ctest has: "name" lines, and "name: problem" lines for the
# properties (cmake -P reads JSON; sh does not)
cat >"$tmp/props.cmake" <<'EOF'
file(READ "${JSON}" json)
string(JSON tests GET "${json}" tests)
string(JSON n LENGTH "${tests}")
if(n EQUAL 0)
  return()
endif()
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
  string(JSON test GET "${tests}" ${i})   # each test alone: parsing is per call
  string(JSON name GET "${test}" name)
  file(APPEND "${NAMES}" "${name}\n")
  set(skip_code "")
  string(JSON np ERROR_VARIABLE err LENGTH "${test}" properties)
  if(NOT err AND np GREATER 0)
    math(EXPR plast "${np} - 1")
    foreach(j RANGE ${plast})
      string(JSON pname GET "${test}" properties ${j} name)
      if(pname STREQUAL "SKIP_RETURN_CODE")
        string(JSON skip_code GET "${test}" properties ${j} value)
      endif()
    endforeach()
  endif()
  set(why "")
  if(name MATCHES "^unit\\.")
    set(why "a unit test program")
  endif()
  string(JSON nc ERROR_VARIABLE err LENGTH "${test}" command)
  if(NOT err AND nc GREATER 0)
    math(EXPR clast "${nc} - 1")
    foreach(j RANGE ${clast})
      string(JSON arg GET "${test}" command ${j})
      if(arg MATCHES "/tests/scripts/[^/]+\\.sh$" AND EXISTS "${arg}")
        file(STRINGS "${arg}" exits REGEX "^[^#]*exit +77")
        if(exits)
          get_filename_component(script "${arg}" NAME)
          set(why "${script} can exit with 77")
        endif()
      endif()
    endforeach()
  endif()
  if(why AND NOT skip_code STREQUAL "77")
    file(APPEND "${PROBLEMS}" "${name}: ${why}, but no SKIP_RETURN_CODE 77: its skips read as failures\n")
  endif()
endforeach()
EOF
: >"$tmp/names"
: >"$tmp/props"
"$cmake" -DJSON="$tmp/tests.json" -DNAMES="$tmp/names" -DPROBLEMS="$tmp/props" \
	-P "$tmp/props.cmake" || { echo "no-hidden-skips: error: cannot read ctest's JSON"; exit 1; }
[ -s "$tmp/names" ] || problem "$build has no tests at all"
while IFS= read -r p; do problem "$p"; done <"$tmp/props"

# each file's literal add_test(NAME x ...) names: all registered or none
find "$src/tests" \( -name CMakeLists.txt -o -name '*.cmake' \) >"$tmp/files"
while IFS= read -r f; do
	sed -n -E 's/.*add_test\(NAME ([^ )$]+)([ )].*)?$/\1/p' "$f" | sort -u >"$tmp/declared"
	[ -s "$tmp/declared" ] || continue
	grep -Fxf "$tmp/declared" "$tmp/names" | sort -u >"$tmp/registered"
	[ -s "$tmp/registered" ] || continue # the file was not read here
	comm -23 "$tmp/declared" "$tmp/registered" >"$tmp/missing"
	while IFS= read -r t; do
		problem "${f#"$src"/}: '$t' is not registered where the file's other tests are" \
			"(an if() around its add_test?): register it to run not-applicable.sh with the reason"
	done <"$tmp/missing"
done <"$tmp/files"

# no script left out of every test
for s in "$src"/tests/scripts/*.sh; do
	name=${s##*/}
	xargs grep -l -F "scripts/$name" <"$tmp/files" >/dev/null 2>&1 ||
		problem "tests/scripts/$name is named by no CMake file under tests/: it never runs"
done

if [ "$problems" -gt 0 ]; then
	echo "no-hidden-skips: $problems problem(s)"
	exit 1
fi
echo "no-hidden-skips: ok: $(wc -l <"$tmp/names") tests, no skip() in tests/test_*.c, every skip through ctest's skip code"
