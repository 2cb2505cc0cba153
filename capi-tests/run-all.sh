#!/usr/bin/env bash
# Runs each test program (under valgrind when VALGRIND=1) and sums their counts.
set -u
passed=0; failed=0; status=0
for prog in "$@"; do
    echo "== $prog"
    if [ "${VALGRIND:-0}" = 1 ]; then
        # valgrind runs code ~50x slower: a smaller stress count still covers the paths.
        out=$(ISLE_STRESS_COUNT=${ISLE_STRESS_COUNT:-2000} valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
              --show-leak-kinds=definite "$prog" 2>&1)
    else
        out=$("$prog" 2>&1)
    fi
    rc=$?
    echo "$out" | sed '$d'
    last=$(echo "$out" | tail -n 1)
    p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    if [ -z "$p" ]; then
        echo "   (no summary line: $last)"; failed=$((failed + 1)); status=1; continue
    fi
    echo "   $last"
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$rc" -ne 0 ]; then
        status=1
        # Every case passed, yet the program failed (e.g. valgrind found errors in the
        # parent process): count it, so that the summary says so.
        if [ "$f" -eq 0 ]; then echo "   (exit status $rc)"; failed=$((failed + 1)); fi
    fi
done
echo "capi-tests: $passed passed, $failed failed"
exit $status
