#!/usr/bin/env bash
# Instructions per operation of bench/micro, counted by callgrind: unlike timings on a
# shared machine, the same binary gives the same count every time.
#   bench/instructions.sh [path/to/micro]      (OPS="fastcall interp" for some only)
set -euo pipefail
micro=${1:-$(dirname "$0")/build/isle/micro}
count() {  # instructions of one run of `micro OP N`
    ISLE_NO_MEMCHECK=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$micro" "$1" "$2" 2>&1 \
        | sed -n 's/.*Collected : \([0-9]*\)/\1/p'
}
ops=${OPS:-long tuple dict str add parse build strattr heapattr heapmeth fastcall iter interp interpsys}
for op in $ops; do
    n=100000
    # An interpreter's creation is thousands of instructions (CPython's, tens of millions:
    # N_INTERP=20 is enough there).
    case $op in interp*) n=${N_INTERP:-200} ;; esac
    base=$(count "$op" 0)
    full=$(count "$op" "$n")
    printf '%-6s %6.1f instructions/op\n' "$op" "$(echo "($full - $base) / $n" | bc -l)"
done
