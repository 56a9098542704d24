#!/bin/sh
# A stand-in for merge_config.sh -m -O DIR BASE FRAGMENT...: appends the
# fragments' lines to BASE after dropping the options they set.
shift; shift; out=$1; shift; base=$1; shift
for f in "$@"; do
	for name in $(sed -n 's/^\(CONFIG_[A-Z_]*\)=.*/\1/p; s/^# \(CONFIG_[A-Z_]*\) is not set/\1/p' "$f"); do
		grep -v "^$name=\|^# $name is not set" "$base" > "$base.tmp" || true
		mv "$base.tmp" "$base"
	done
	cat "$f" >> "$base"
done
