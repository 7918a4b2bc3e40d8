#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark's scripts, exercised by make check: `make bench
# BENCH_QUICK=1` on one kernel (one short round of every case, in one VM
# boot), then its report must hold every section, every plot it names must
# exist as a PNG, and the data behind each section must be there.  No rate
# or latency is asserted: the full run (make bench) is not part of CI.
#
#   bench-check.sh KVER
#
# Prints "ok ..."/"not ok ..." lines (check.sh counts each one).

set -u
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/.." && pwd)
kver=$1
build=${TSNIC_BUILD:-$tree/.build}
out=$build/bench-check
rm -rf "$out"
mkdir -p "$out"

if ! BENCH_OUT=$out TSNIC_BUILD=$build "$tree/bench/run.sh" -q "$kver" \
	>"$out/run.log" 2>&1; then
	tail -n 40 "$out/run.log" | sed 's/^/# /'
	echo "not ok bench: quick run on $kver"
	exit 1
fi
echo "ok bench: quick run on $kver"

rep=$out/report.md
rc=0
for s in "## Headlines" "## 1. TX packet rate" "## 2. BQL latency under load" \
	"## 3. Timestamp delivery" "## 4. PTP sync quality" \
	"## 7. Sync through a boundary clock; one-step against two-step Sync" \
	"## 8. TSN offloads"; do
	if grep -qxF "$s" "$rep" 2>/dev/null; then
		echo "ok bench: the report has \"${s#\#\# }\""
	else
		echo "not ok bench: the report has \"${s#\#\# }\""
		rc=1
	fi
done

# every image the report shows exists and is a PNG
imgs=$(grep -o '!\[[^]]*\]([^)]*\.png)' "$rep" 2>/dev/null | sed 's/.*(\(.*\))/\1/' | sort -u)
n=0
bad=
for i in $imgs; do
	n=$((n + 1))
	head -c 8 "$out/$i" 2>/dev/null | od -An -c | grep -q 'P   N   G' || bad="$bad $i"
done
if [ "$n" -ge 9 ] && [ -z "$bad" ]; then
	echo "ok bench: the $n plots the report shows are PNG files"
else
	echo "not ok bench: plots ($n shown, missing or not PNG:${bad:- none})"
	rc=1
fi

# the numbers each section is made of: a table row with a tsnic figure
for s in "tsnic/veth" "BQL" "slots" "jitter"; do
	if grep -q "$s" "$rep"; then
		echo "ok bench: the report states $s results"
	else
		echo "not ok bench: the report states $s results"
		rc=1
	fi
done
exit $rc
