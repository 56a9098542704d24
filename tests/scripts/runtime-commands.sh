#!/bin/sh
# runtime-commands.sh PKGDIR SRC — every program labkit runs at run
# time comes with the .deb's Depends: each program the installed lab's
# workflow executed (PKGDIR/exec.txt, from installed.sh's strace), each one labkit's
# CMake scripts look for (find_program in cmake/*.cmake) and each one its
# library starts by name (`argv[] = { "name"`, a machine table's
# `.emulator = "name"` in tools/lib) belongs to a package in the closure
# of the Depends of PKGDIR's .deb (package-deb.sh's) over the installed
# packages, or to Debian's essential set; those looked for by name may
# come with its Recommends too (another architecture's emulator).
set -u
deb=$(ls "$1"/labkit_*.deb 2>/dev/null | head -n 1) exec_list=$1/exec.txt src=$2
fail() { echo "runtime-commands: FAIL: $*" >&2; exit 1; }
[ -f "$deb" ] || fail "no package $deb (package.deb makes it)"
[ -s "$exec_list" ] || fail "no list of executed programs $exec_list (install.new-lab makes it)"

essential=$(dpkg-query -W -f='${Package} ${Essential} ${Priority}\n' |
	awk '$2 == "yes" || $3 == "required" {print $1}')
# closure FIELD...: the packages the .deb's FIELDs bring, with theirs.
closure() {
	roots=$(for f in "$@"; do dpkg-deb -f "$deb" "$f"; done | tr ',' '\n' |
		sed 's/^ *//; s/[ (].*//')
	apt-cache depends --recurse --installed --no-recommends \
		--no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances \
		$roots $essential 2>/dev/null | sed -n 's/^\([a-z0-9][^ <>]*\)$/\1/p' |
		sed 's/:.*//' | sort -u
}
# What a lab's workflow runs comes with the Depends; what labkit may start
# for a guest of another architecture (the `guests` line) may come with
# the Recommends, which apt installs too.
allowed=$(closure Depends)
allowed_named=$(closure Depends Recommends)

# kbuild runs its own programs by relative path from the kernel's build
# directory (scripts/basic/fixdep): those of the headers packages.
absolute() {
	case $1 in
	/*) echo "$1" ;;
	*) ls -d /usr/src/linux-headers-*/"${1#./}" 2>/dev/null | head -n 1 ;;
	esac
}

owner() {
	real=$(readlink -f "$1")
	for f in "$1" "$real" "/usr$real" "${real#/usr}"; do
		p=$(dpkg-query -S "$f" 2>/dev/null | grep -v '^diversion' |
			head -n 1 | sed 's/:.*//; s/,.*//')
		[ -n "$p" ] && { echo "$p"; return; }
	done
}

# check WHAT PROGRAM ALLOWED FIELDS
check() {
	what=$1 prog=$(absolute "$2")
	[ -n "$prog" ] || fail "$what '$2' is nowhere to be found"
	pkg=$(owner "$prog")
	[ -n "$pkg" ] || fail "$what '$prog' belongs to no package"
	echo "$3" | grep -qx "$pkg" ||
		fail "$what '$prog' comes from '$pkg', which the $4 do not bring"
	echo "$prog $pkg"
}

n=0
while read -r prog; do
	check "executed" "$prog" "$allowed" Depends >/dev/null || exit 1
	n=$((n + 1))
done < "$exec_list"
echo "runtime-commands: ok: the $n programs the lab's workflow ran come with the Depends"

names=$( {
	sed -n 's/.*find_program([A-Z0-9_${}]* \(NAMES \)\{0,1\}\([a-z0-9._-][a-z0-9._ -]*\).*/\2/p' \
		"$src"/cmake/*.cmake | sed 's/ PATHS.*//' | tr ' ' '\n'
	grep -rhoE '(argv\[\] = \{ |\.emulator = )"[a-z0-9._-]+"' "$src/tools/lib" |
		sed 's/.*"\(.*\)"/\1/'
	} | grep -v '^$' | sort -u)
m=0
for name in $names; do
	path=
	for d in /usr/local/bin /usr/bin /bin /usr/sbin /sbin; do
		[ -x "$d/$name" ] && { path=$d/$name; break; }
	done
	[ -n "$path" ] || fail "labkit starts '$name', which is not installed"
	check "looked for" "$path" "$allowed_named" "Depends and Recommends" >/dev/null || exit 1
	m=$((m + 1))
done
echo "runtime-commands: ok: the $m programs labkit's scripts and library start by name come with the Depends or Recommends: $(echo $names)"
