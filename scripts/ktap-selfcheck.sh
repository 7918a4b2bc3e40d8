#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The shell tests' KTAP machinery, on the host: selftests/lib.sh over the
# kernel's ktap_helpers.sh must fail a test that runs fewer or more cases
# than its plan, or one that fails a case; skip_rest must keep the plan;
# and scripts/ktap-check.py must accept what lib.sh prints and refuse a
# run whose results are misnumbered.  Prints one "ok"/"not ok" line per
# case.

set -u
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/.." && pwd)
ksrc=$("$here/ksrc.sh") || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0

# run NAME BODY: a test made of lib.sh and BODY; its output in $tmp/NAME
run() {
	printf '. %s/selftests/lib.sh\n%s\n' "$tree" "$2" >"$tmp/$1.sh"
	TSNIC_SELFTESTS=$tree/selftests bash "$tmp/$1.sh" >"$tmp/$1" 2>&1
}

# expect DESCRIPTION WANT_EXIT(0|1) NAME BODY [GREP]: the test exits as
# wanted and, with GREP, prints a line matching it
expect() {
	local got=0
	run "$3" "$4" || got=1
	if [ "$got" = "$2" ] && { [ -z "${5:-}" ] || grep -qE "$5" "$tmp/$3"; }; then
		echo "ok ktap: $1"
	else
		echo "not ok ktap: $1 (exit $got)"
		sed 's/^/# /' "$tmp/$3"
		rc=1
	fi
}

expect "lib.sh: a plan kept passes" 0 kept \
	'plan 2; ok one; check two true; finish' '^# Totals: pass:2 fail:0'
expect "lib.sh: fewer cases than planned fail" 1 fewer \
	'plan 3; ok one; ok two; finish' '^# planned 3 cases, ran 2'
expect "lib.sh: more cases than planned fail" 1 more \
	'plan 1; ok one; ok two; finish'
expect "lib.sh: a failed case fails" 1 failed \
	'plan 2; ok one; check_eq two a b; finish' '^not ok 2 two'
expect "lib.sh: a plan after a case is refused" 1 late \
	'ok one; plan 1; finish' '^Bail out!'
expect "lib.sh: skip_rest skips the cases left" 0 rest \
	'plan 4; ok one; skip_rest no feature' '^ok 4 no feature # SKIP'
expect "lib.sh: the version line, then the plan" 0 head \
	'plan 1; ok one; finish' '^1\.\.1$'
if [ "$(head -n 2 "$tmp/head" | tr '\n' ' ')" != "TAP version 13 1..1 " ]; then
	echo "not ok ktap: lib.sh prints the version line and the plan first"
	rc=1
fi

# run_tests.sh's shape around lib.sh's output, then read back
{
	echo "KTAP version 1"
	echo "1..2"
	sed 's/^/  /' "$tmp/kept"
	echo "ok 1 tsnic_kept"
	sed 's/^/  /' "$tmp/rest"
	echo "ok 2 tsnic_rest"
} >"$tmp/run.log"
out=$(python3 "$here/ktap-check.py" "$ksrc" sample "$tmp/run.log")
if [[ $out == "ok ktap: "* ]]; then
	echo "ok ktap: ktap-check.py accepts lib.sh's KTAP in a run"
else
	echo "not ok ktap: ktap-check.py accepts lib.sh's KTAP in a run"
	echo "$out" | sed 's/^/# /'
	rc=1
fi
sed 's/^ok 2 tsnic_rest/ok 3 tsnic_rest/' "$tmp/run.log" >"$tmp/bad.log"
if python3 "$here/ktap-check.py" "$ksrc" sample "$tmp/bad.log" >/dev/null; then
	echo "not ok ktap: ktap-check.py refuses a misnumbered run"
	rc=1
else
	echo "ok ktap: ktap-check.py refuses a misnumbered run"
fi
exit $rc
