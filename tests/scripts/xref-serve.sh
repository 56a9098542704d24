#!/bin/bash
# xref-serve.sh LABKIT DATA server|browser — `labkit xref serve` end to
# end: an index of the snippets in DATA/xref (laid out like a kernel tree,
# with a secret file beside it and a symbolic link out of it), served on a
# free port in a process group of its own, which SIGTERM must stop
# cleanly at the end; on any other exit or an interrupt the group is
# stopped (SIGTERM, then SIGKILL).  Each mode starts its own server.
#
# server (ctest xref.serve; no browser): path traversal in every
# spelling, a 20 KB URL, big headers, a POST and a malformed request get
# a 4xx and never the secret or /etc/passwd; a source page is served, an
# unknown identifier is 404, a bad one 400.
# browser (ctest xref.serve.browser): headless chromium loads /ident/dget,
# follows its definition to the source, from there the link on `struct
# dentry` to /ident/dentry, and from there to the struct's definition,
# whose line must read `struct dentry {`.  Exits 77 (skipped) without
# chromium, before starting anything.
set -eu  # no pipefail: `grep | head -1` may end in SIGPIPE by design
labkit=$1
data=$2/xref
mode=${3:-}
case $mode in
server | browser) ;;
*) echo "usage: xref-serve.sh LABKIT DATA server|browser" >&2; exit 2 ;;
esac
fail() { echo "xref-serve: FAIL: $*" >&2; exit 1; }

chromium=
if [ "$mode" = browser ]; then
	chromium=$(command -v chromium || command -v chromium-browser || true)
	if [ -z "$chromium" ]; then
		echo "xref-serve: skipped: no chromium in PATH to follow the links with" \
			"(tools/install-deps installs it); xref.serve checks the server without one" >&2
		exit 77
	fi
fi

tmp=$(mktemp -d /tmp/labkit-xref-serve.XXXXXX)
pgid=
cpgid=
# SIGTERM to process group $1, SIGKILL to what is left of it after 2 s
stop_group() {
	kill -TERM -- "-$1" 2>/dev/null || return 0
	for _ in $(seq 20); do
		kill -0 -- "-$1" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL -- "-$1" 2>/dev/null || true
}
cleanup() {
	[ -z "$cpgid" ] || kill -KILL -- "-$cpgid" 2>/dev/null || true
	[ -z "$pgid" ] || stop_group "$pgid"
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# the tree, its index, and things that must never be served
put() { mkdir -p "$tmp/tree/$(dirname "$2")"; cp "$data/$1" "$tmp/tree/$2"; }
put kernel.h include/linux/kernel.h
put syscalls.c fs/syscalls.c
put path-lookup.rst Documentation/filesystems/path-lookup.rst
echo 'SECRET-CANARY-4711' > "$tmp/secret"
ln -s ../../secret "$tmp/tree/fs/secret.c"
ln -s / "$tmp/tree/root"
"$labkit" xref index "$tmp/tree" -o "$tmp/index" 2>/dev/null

# the server, in a process group of its own (setsid execs in place: a
# background job of a script is no group leader)
setsid "$labkit" xref serve --index "$tmp/index" --port 0 >"$tmp/url" 2>"$tmp/serve.err" &
pgid=$!
for _ in $(seq 100); do
	grep -q '^labkit xref serve: http://127.0.0.1:[0-9]*/$' "$tmp/url" && break
	kill -0 "$pgid" 2>/dev/null || fail "server exited: $(cat "$tmp/serve.err")"
	sleep 0.1
done
url=$(sed -n 's/^labkit xref serve: //p' "$tmp/url")
[ -n "$url" ] || fail "no URL printed on stdout"
port=${url##*:}
port=${port%/}

# raw REQUEST -> the response, over bash's /dev/tcp
raw() {
	trap '' PIPE # (run in $(...)) the server may close before all is sent
	exec 3<>"/dev/tcp/127.0.0.1/$port"
	printf '%b' "$1" >&3 2>/dev/null || true
	timeout 10 cat <&3 || true
	exec 3<&-
}
status() { raw "GET $1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" | head -1 | cut -d' ' -f2; }
expect_4xx() {
	local got
	# a server closing on unread bytes resets the connection, which can
	# lose its answer on the way: an empty reply is tried again
	for _ in 1 2 3; do
		got=$(raw "$1")
		[ -z "$got" ] || break
	done
	case $(head -1 <<<"$got" | cut -d' ' -f2) in
	4??) ;;
	*) fail "$2: wanted a 4xx, got: $(head -1 <<<"$got")" ;;
	esac
	if grep -q -e SECRET-CANARY -e 'root:x:0:0' <<<"$got"; then
		fail "$2: leaked a file outside the tree"
	fi
}
get_4xx() { expect_4xx "GET $1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" "GET $1"; }

# what the server answers, over raw HTTP
server_checks() {
	local got
	[ "$(status /source/fs/syscalls.c)" = 200 ] || fail "/source/fs/syscalls.c is not served"
	get_4xx /source/../../etc/passwd
	get_4xx /source/../../../../../../../../etc/passwd
	get_4xx /source/%2e%2e/%2e%2e/etc/passwd
	get_4xx /source/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd
	get_4xx /source/..%2f..%2f..%2fetc%2fpasswd
	get_4xx /source/%252e%252e/%252e%252e/etc/passwd
	get_4xx /source/%25252e%25252e/etc/passwd
	get_4xx /source/..%5c..%5cetc%5cpasswd
	get_4xx /source//etc/passwd
	get_4xx /source/fs/secret.c
	get_4xx /source/root/etc/passwd
	get_4xx /source/fs/syscalls.c%00.html
	get_4xx /source/./fs/syscalls.c
	get_4xx "/source/$(head -c 20000 /dev/zero | tr '\0' a)"
	expect_4xx "GET /source/fs/syscalls.c HTTP/1.1\r\nHost: x\r\nX-Big: $(head -c 9000 /dev/zero | tr '\0' b)\r\nConnection: close\r\n\r\n" "9 KB header"
	expect_4xx "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" POST
	expect_4xx "DELETE /source/fs/syscalls.c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" DELETE
	expect_4xx "GET ../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" "relative target"
	expect_4xx "GET / HTTP/1.1\r\nBad header line\r\nConnection: close\r\n\r\n" "malformed header"
	expect_4xx "GET / HTTP/1.1\r\nConnection: close\r\n\r\n" "HTTP/1.1 without Host"
	# a request line libmicrohttpd cannot parse: it closes without a word
	got=$(raw "GARBAGE\r\n\r\n")
	case $got in "" | "HTTP/1.1 4"*) ;; *) fail "garbage got: $(head -1 <<<"$got")" ;; esac
	[ "$(raw "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" | head -1 | cut -d' ' -f2)" = 405 ] ||
		fail "POST is not answered 405"
	[ "$(status /ident/no_such_name_at_all)" = 404 ] || fail "an unknown identifier is not 404"
	[ "$(status '/ident/%3Cscript%3E')" = 400 ] || fail "a non-identifier is not 400"
	kill -0 "$pgid" 2>/dev/null || fail "the server died on the bad requests"
	echo "xref-serve: ok: $url, traversal and bad requests refused"
}

# URL's DOM as headless chromium has it -> $tmp/dom; each chromium in a
# process group of its own, run from this shell (not a $(...)), so that
# cleanup knows its group
dump() {
	setsid "$chromium" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--user-data-dir="$tmp/chromium" --dump-dom "$1" >"$tmp/dom" 2>>"$tmp/chromium.log" &
	cpgid=$!
	wait "$cpgid" || fail "chromium could not load $1: $(tail -3 "$tmp/chromium.log")"
	kill -KILL -- "-$cpgid" 2>/dev/null || true
	cpgid=
}
# the text of line N of a dumped source page, tags stripped
line_text() {
	grep -o "<span id=\"L$2\">.*</span>" <<<"$1" | sed -e 's/<[^>]*>//g' \
		-e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e "s/&#39;/'/g" -e 's/&amp;/\&/g'
}
# the first href of a <li> whose text matches PATTERN
def_href() { grep -o '<li><a href="/source/[^"]*">[^<]*</a> '"$2" <<<"$1" | head -1 | sed 's/.*href="\([^"]*\)".*/\1/'; }

# dget -> its source line -> struct dentry -> its definition, in a browser
browser_checks() {
	local page href n
	dump "${url}ident/dget"
	page=$(cat "$tmp/dom")
	grep -q '<h1>dget</h1>' <<<"$page" || fail "/ident/dget has no title"
	href=$(def_href "$page" function)
	[[ $href == /source/include/linux/kernel.h#L* ]] || fail "dget's definition link is '$href'"
	dump "${url}${href#/}"
	page=$(cat "$tmp/dom")
	n=${href##*#L}
	line_text "$page" "$n" | grep -q 'dget(struct dentry \*dentry)' ||
		fail "line $n of the dget source is '$(line_text "$page" "$n")'"
	grep -o "<span id=\"L$n\">.*</span>" <<<"$page" | grep -q '<a class="i" href="/ident/dentry">dentry</a>' ||
		fail "'dentry' on dget's line is not linked to /ident/dentry"
	dump "${url}ident/dentry"
	page=$(cat "$tmp/dom")
	href=$(def_href "$page" struct)
	[[ $href == /source/*#L* ]] || fail "no struct definition link on /ident/dentry"
	dump "${url}${href#/}"
	page=$(cat "$tmp/dom")
	n=${href##*#L}
	line_text "$page" "$n" | grep -q 'struct dentry {' ||
		fail "the struct dentry link lands on line $n: '$(line_text "$page" "$n")'"
	echo "xref-serve: ok: $url in chromium, ident/dget -> $href reads 'struct dentry {'"
}

"${mode}_checks"

# SIGTERM stops it cleanly
kill -TERM "$pgid"
for _ in $(seq 50); do kill -0 "$pgid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pgid" 2>/dev/null; then fail "the server ignored SIGTERM"; fi
wait "$pgid" || fail "the server exited $? on SIGTERM"
pgid=
grep -q 'stopped by SIGTERM' "$tmp/serve.err" || fail "no word of stopping: $(cat "$tmp/serve.err")"
