# bench/lib.sh — what every bench script measures with, sourced after it
# has set `src`: median (of numbers on stdin, one a line) and now (the
# wall clock in seconds, fractional).
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
now() { date +%s.%N; }
