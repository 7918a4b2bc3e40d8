#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What each change to the transmit path bought: `make bench`'s 60-byte,
# one-thread pktgen cases and the 60-byte UDP sender, once per commit,
# each in a boot of its own (a commit's driver and CLI, this tree's bench
# scripts: BENCH_REV), then one Markdown table of the ratios against veth
# and dummy measured in each boot.
#
#   ablation.sh LABEL=REV [LABEL=REV...]
#
#   KVERS        the kernel (default: the generic 6.12, as make bench)
#   BENCH_OUT    where ablation.md goes (default bench/results)
#   TSNIC_BUILD  the build directory (default .build)
# Other BENCH_* knobs pass through to run.sh (BENCH_ROUNDS, BENCH_PG_S...).

set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/.." && pwd)
build=${TSNIC_BUILD:-$tree/.build}
outdir=${BENCH_OUT:-$tree/bench/results}
[ $# -gt 0 ] || { echo "usage: ablation.sh LABEL=REV..." >&2; exit 2; }

if [ -n "${KVERS:-}" ]; then
	k=$("$tree/scripts/kvers.sh" "$KVERS")	# a release, or 6.12
else
	# shellcheck disable=SC2207
	ks=($("$tree/scripts/kvers.sh" | tr " " "\n" | grep -v -- -rt-))
	k=${ks[-1]}
fi
mkdir -p "$outdir" "$build/ablation"
outdir=$(cd "$outdir" && pwd)

runs=()
for lr in "$@"; do
	label=${lr%%=*}
	rev=${lr#*=}
	git -C "$tree" rev-parse --verify -q "$rev^{commit}" >/dev/null ||
		{ echo "ablation: no commit $rev" >&2; exit 2; }
	echo "=== ablation: $label ($rev)"
	dest=$build/ablation/$label
	rm -rf "$dest"
	BENCH_REV=$rev BENCH_SECTIONS=1 BENCH_PG_SIZES=60 BENCH_PG_THREADS=1 \
		BENCH_UDP_PAYLOADS=18 BENCH_OUT="$dest/report" "$here/run.sh" "$k"
	cp -r "$build/bench-raw/$k/data" "$dest/data"
	cp "$build/bench-raw/$k/host.txt" "$dest/"
	runs+=("$label=$(git -C "$tree" rev-parse --short "$rev")=$dest/data")
done
python3 "$here/ablation.py" "$k" "${runs[@]}" >"$outdir/ablation.md"
echo "ablation: $outdir/ablation.md"
