#!/usr/bin/env bash
# Runs each test program (under valgrind when VALGRIND=1) and sums their counts.
# --selftest PROG first runs the harness's self-test: PROG's cases leak on purpose,
# and each leak the current mode can see must fail its case.
set -u
passed=0; failed=0; status=0

# Runs one program the way the current mode wants; its output goes to stdout.
run_prog() {
    if [ "${VALGRIND:-0}" = 1 ]; then
        # valgrind runs code ~50x slower: a smaller stress count still covers the paths.
        ISLE_STRESS_COUNT=${ISLE_STRESS_COUNT:-2000} valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite --show-leak-kinds=definite "$@" 2>&1
    else
        "$@" 2>&1
    fi
}

# expect_case PROG CASE ok|FAIL WHAT: one self-test check.
expect_case() {
    local prog=$1 case=$2 want=$3 what=$4 out
    out=$(run_prog "$prog" "$case")
    if echo "$out" | grep -Eq "^$want +$case\$"; then
        echo "ok   harness: $what"; passed=$((passed + 1))
    else
        echo "FAIL harness: $what"; echo "$out" | sed 's/^/   | /'; failed=$((failed + 1)); status=1
    fi
}

if [ "${1:-}" = --selftest ]; then
    self=$2; shift 2
    echo "== $self (harness self-test)"
    expect_case "$self" clean_case ok "a case that frees what it made passes"
    expect_case "$self" leaks_an_object FAIL "an object left alive in the main interpreter fails its case"
    expect_case "$self" leaks_in_a_subinterpreter FAIL "an object left in an ended sub-interpreter fails its case"
    expect_case "$self" leaks_a_queue FAIL "a queue handle never released fails its case"
    case "$self" in
        *asan*) expect_case "$self" leaks_a_malloc FAIL "LeakSanitizer reports a leaked malloc block" ;;
        *) if [ "${VALGRIND:-0}" = 1 ]; then
               expect_case "$self" leaks_a_malloc FAIL "valgrind reports a leaked malloc block"
           fi ;;
    esac
fi

for prog in "$@"; do
    echo "== $prog"
    out=$(run_prog "$prog")
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
