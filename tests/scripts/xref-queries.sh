#!/bin/bash
# xref-queries.sh LABKIT DATA [--update] — what `labkit xref def|refs|
# show|file|doc` print, byte for byte: an index of the snippets in
# DATA/xref (laid out like a kernel tree, as test_xref.c lays them out),
# a set of queries over it (text and --json, --in, --kind, --limit,
# names with no answer, a tree whose sources went away, bad operands),
# and each query's stdout, stderr and exit status, one after the other,
# compared with DATA/xref/queries.golden.  The temp dir's name is
# written as TMP.  --update writes the golden file instead (review the
# diff: it is what users and lab steps see).
set -eu
labkit=$1
data=$2/xref
update=${3:-}
golden=$data/queries.golden
fail() { echo "xref-queries: FAIL: $*" >&2; exit 1; }

tmp=$(mktemp -d /tmp/labkit-xref-queries.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

put() { mkdir -p "$tmp/tree/$(dirname "$2")"; cp "$data/$1" "$tmp/tree/$2"; }
put kernel.h include/linux/kernel.h
put syscalls.c fs/syscalls.c
put entry.S arch/x86/entry/entry.S
put tricky.c lib/tricky.c
put crlf.c tools/crlf.c
put path-lookup.rst Documentation/filesystems/path-lookup.rst
put path-lookup.txt Documentation/filesystems/path-lookup.txt
put vfs.rst Documentation/filesystems/vfs.rst
put kernel.h.defs Kconfig
"$labkit" xref index "$tmp/tree" -o "$tmp/index" -j 2 2>"$tmp/index.err" ||
	fail "the index was not built: $(cat "$tmp/index.err")"

# q ARG... -> `labkit xref ARG...` over the index: the command line, its
# stdout, its stderr and its exit status into the transcript
q() {
	local rc=0
	LABKIT_XREF_INDEX=$tmp/index "$labkit" xref "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	{
		{ printf '$ labkit xref'; printf ' %q' "$@"; printf '\n'; } | sed "s|$tmp|TMP|g"
		sed "s|$tmp|TMP|g" "$tmp/out"
		printf '[stderr]\n'
		sed "s|$tmp|TMP|g" "$tmp/err"
		printf '[exit %d]\n\n' "$rc"
	} >>"$tmp/got"
}

: >"$tmp/got"
# def
q def dget
q def foo_enable
q def dget kern_path open
q def --json dget foo_enable
q def -J --kind syscall open
q def --kind struct --in include/ dentry
q def --in fs/ kern_path
q def --kind struct open
q def --limit 1 foo_enable
q def -n 1 --json open dget
q def user_path
q def dge
q def --json kern
q def no_such_name_at_all
q def --json no_such_name_at_all
q def dget no_such_name_at_all kern_path
q def --kind bogus dget
q def
# refs
q refs do_sys_open
q refs --json inode
q refs --in include/ dentry
q refs --limit 2 dentry
q refs -J -n 3 dentry
q refs file_operations
q refs static
q refs --json no_such_name_at_all
q refs --in fs/ kern_path
# show
q show dget
q show 'struct dentry'
q show struct dentry
q show 'struct  dentry'
q show --json hostfs_file_fops
q show --json dget
q show foo_enable
q show file_operations
q show dget_dlock
q show --json file_operations
q show split
q show open
q show --in fs/ dget
q show 'union dentry'
q show --json no_such_name_at_all
q show dge
q show dget dentry
# file
q file path-lookup
q file --json .c
q file --limit 1 path
q file -J -n 2 .
q file no_such_file
q file --json no_such_file
# doc
q doc path walking
q doc --limit 1 path walking
q doc --json path walking
q doc VFS
q doc --json -n 1 lookup
q doc no_such_words_at_all
q doc --json no_such_words_at_all
# no index, a tree whose sources went away
q def --index "$tmp/nonexistent" dget
rm "$tmp/tree/include/linux/kernel.h"
q refs inode
q refs --json inode
q show dget
q def dget

if [ "$update" = --update ]; then
	cp "$tmp/got" "$golden"
	echo "xref-queries: wrote $golden"
	exit 0
fi
[ -f "$golden" ] || fail "no $golden (run with --update to write it)"
if ! cmp -s "$golden" "$tmp/got"; then
	diff -u "$golden" "$tmp/got" | head -100 >&2
	fail "the queries' output differs from $golden"
fi
echo "xref-queries: ok: $(grep -c '^\$ labkit xref' "$golden") queries print what $golden holds"
