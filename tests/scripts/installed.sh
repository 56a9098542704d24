#!/bin/sh
# installed.sh BIN OUT — labkit installed, not forked: `cmake --install`
# of the build tree BIN into a temporary prefix, `labkit new` from there
# into a temporary directory outside labkit's trees, and that lab's
# workflow (`cmake --workflow --preset lab`) against the installed
# labkit only, in a clean environment: its exercise passes, its ctest
# lists only the lab's own tests, and nothing in its build tree names
# labkit's source or build tree.  The workflow runs under strace, and
# every program it executed is listed in OUT/exec.txt for
# runtime-commands.sh.
set -u
bin=$(cd "$1" && pwd)
out=$2
src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$bin/CMakeCache.txt")
tmp=$(mktemp -d /tmp/labkit-installed.XXXXXX)
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
fail() { echo "installed: FAIL: $*"; exit 1; }
command -v strace >/dev/null || {
	echo "installed: skipped: no strace to list the programs the lab runs (tools/install-deps --dev installs it)"
	exit 77
}

cmake --install "$bin" --prefix "$tmp/prefix" --component labkit >/dev/null ||
	fail "cmake --install failed"
"$tmp/prefix/bin/labkit" new --id mylab "$tmp/mylab" || fail "labkit new failed"
echo "installed: ok: labkit installed in $tmp/prefix, a lab written by labkit new"

mkdir -p "$out" "$tmp/home"
cd "$tmp/mylab" || fail "no lab"
env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME="$tmp/home" \
	LANG=C.UTF-8 CMAKE_PREFIX_PATH="$tmp/prefix" \
	strace -f -qq --seccomp-bpf -e trace=execve -e signal=none \
		-o "$tmp/exec.trace" cmake --workflow --preset lab \
	> "$tmp/workflow.log" 2>&1
rc=$?
[ $rc -eq 0 ] || { tail -n 60 "$tmp/workflow.log"; fail "the lab's workflow failed ($rc)"; }
grep -E 'tests passed|report' "$tmp/workflow.log" | sed 's/^/installed:   /'
[ -f build/mylab/junit.xml ] && [ -f build/mylab/report.html ] &&
	[ -f build/mylab-report.tar.gz ] || fail "no junit.xml, report or bundle"
grep -q 'failures="0"' build/mylab/junit.xml || fail "a test of the lab failed"
echo "installed: ok: the starter lab's workflow passed: junit.xml, report.html, mylab-report.tar.gz"

tests=$(ctest --test-dir build -N | sed -n 's/^ *Test *#[0-9]*: //p')
[ -n "$tests" ] || fail "ctest lists no test"
other=$(echo "$tests" | grep -v '^mylab\.')
[ -z "$other" ] || fail "tests that are not the lab's: $other"
echo "installed: ok: ctest -N lists $(echo "$tests" | wc -l) tests, all mylab.*"

leaks=$(grep -rlF -e "$src" -e "$bin" build 2>/dev/null | grep -v '/Testing/')
[ -z "$leaks" ] || fail "the lab's build tree names labkit's trees: $leaks"
echo "installed: ok: no path into $src or $bin in the lab's build tree"

[ -s build/compile_commands.json ] &&
	grep -Eq "\"file\" *: *\"$tmp/mylab/modules/hello/hello.c\"" build/compile_commands.json ||
	fail "compile_commands.json has no entry for modules/hello/hello.c"
if command -v clangd >/dev/null; then
	clangd --check="$tmp/mylab/modules/hello/hello.c" \
		--compile-commands-dir=build > "$tmp/clangd.log" 2>&1 ||
		{ grep -E '^E\[' "$tmp/clangd.log" | head; fail "clangd finds errors in hello.c"; }
	echo "installed: ok: clangd resolves the kernel headers in hello.c (.clangd, compile_commands.json)"
fi

# Every program the workflow executed, outside the temporary trees.
sed -n 's/^[0-9]* *execve("\([^"]*\)".* = 0$/\1/p' "$tmp/exec.trace" |
	grep -v "^$tmp/" | sort -u > "$out/exec.txt"
echo "installed: ok: the workflow executed $(wc -l < "$out/exec.txt") programs (OUT/exec.txt)"
