#!/bin/sh
# class.sh SRC OUT SECRET PORT — writes a class of Lab 2 §3
# submissions (modules/trivial, as students hand it in) into OUT, one
# directory each, named after what it does:
#
#   good-1 .. good-6   the module as it should be (one of them with a
#                      Makefile instead of a Kbuild)
#   wrong-line         prints another line on load
#   no-compile         a syntax error
#   wrong-ko           its Kbuild builds another module
#   panic-on-load      panics in its init
#   oops-on-load       dereferences NULL in its init
#   hang-on-unload     never returns from its exit
#   print-loop         prints in a loop, never returns from its init
#   escape             its Makefile reads SECRET (outside its directory,
#                      and another submission) and writes to /tmp
#   network            its Makefile connects to 127.0.0.1:PORT
#   marker-echo        the module as it should be, which also prints lines
#                      shaped like labkit's step markers (with and without
#                      the sequence numbers of steps 3.3 and 3.5)
set -eu
src=$1 out=$2 secret=$3 port=$4
triv=$src/modules/trivial
rm -rf "$out"
mkdir -p "$out"

student() { cp -r "$triv" "$out/$1"; }
for i in 1 2 3 4 5 6; do student "good-$i"; done
mv "$out/good-6/Kbuild" "$out/good-6/Makefile"

student wrong-line
sed -i 's/Hello world!/Hello, world!/' "$out/wrong-line/trivial.c"

student no-compile
sed -i 's/return 0;/return 0/' "$out/no-compile/trivial.c"

student wrong-ko
echo 'obj-m := other.o' > "$out/wrong-ko/Kbuild"
mv "$out/wrong-ko/trivial.c" "$out/wrong-ko/other.c"

# A body for the init or exit function, in place of the one given.
body() {
	awk -v fn="$2" -v body="$3" '
		$0 ~ "^static .* " fn "\\(void\\)$" { print; getline; print "{"; print body; skip = 1; next }
		skip && /^}/ { skip = 0 }
		!skip { print }' "$out/$1/trivial.c" > "$out/$1/t" && mv "$out/$1/t" "$out/$1/trivial.c"
}
student panic-on-load
body panic-on-load trivial_init '	panic("trivial: the student panics");'
student oops-on-load
body oops-on-load trivial_init '	*(volatile int *)0 = 1;
	return 0;'
student hang-on-unload
body hang-on-unload trivial_exit '	for (;;)
		cpu_relax();'
student print-loop
body print-loop trivial_init '	for (;;)
		pr_err("trivial: again and again and again\\n");
	return 0;'

student marker-echo
sed -i -e 's/^\tpr_info("Hello/\tpr_info("@@LK-E-3-1-@@\\n");\n\tpr_info("@@LK-B-3-@@ @@LK-E-9-1-@@\\n");\n&/' \
	-e 's/^\tpr_info("Oh no/\tpr_info("@@LK-E-5-1-@@\\n");\n&/' \
	"$out/marker-echo/trivial.c"
grep -q '@@LK-E-5-1-@@' "$out/marker-echo/trivial.c"

student escape
cat >> "$out/escape/Kbuild" <<MK
\$(obj)/trivial.o: \$(obj)/stolen.h
\$(obj)/stolen.h:
	echo owned > /tmp/labkit-grade-escaped
	cat $secret $out/good-1/trivial.c > \$@
MK

student network
cat >> "$out/network/Kbuild" <<MK
\$(obj)/trivial.o: \$(obj)/fetched.h
\$(obj)/fetched.h:
	python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), timeout=5)" > \$@
MK
