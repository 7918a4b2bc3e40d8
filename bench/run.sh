#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: build the module (as make check does) and the benchmark's
# programs, boot ONE VM per kernel and run bench/guest.sh in it, then write
# the Markdown report and its PNG plots on the host (bench/report.py,
# gnuplot).
#
#   run.sh [-q] [KVER...]
#
#   KVER       kernels to measure (default: the installed 6.12 kernel)
#   -q         quick smoke run: one short round of every case
#   BENCH_OUT  where report.md and the PNGs go (default bench/results)
#   TSNIC_BUILD  the build directory (default .build)
#   BENCH_SECTIONS  a subset of the sections "12345678" (default all)
#   BENCH_REV=REV   measure commit REV's driver and CLI, not the working tree's
#   BENCH_PERF=1    also profile one pktgen case per device with perf (slow)
#
# Raw data stays in $TSNIC_BUILD/bench-raw/KVER/data.

set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/.." && pwd)
vm=$tree/selftests/vm

quick=
if [ "${1:-}" = "-q" ]; then
	quick=-q
	shift
fi
# shellcheck disable=SC2207
kvers=($([ $# -eq 0 ] || "$tree/scripts/kvers.sh" "$@"))	# 6.12 = newest 6.12
if [ $# -eq 0 ]; then
	# shellcheck disable=SC2207
	kvers=($("$tree/scripts/kvers.sh" | tr " " "\n" | grep -v -- -rt-))
	kvers=("${kvers[-1]}")	# the generic 6.12 kernel
fi
[ -n "${kvers[0]:-}" ] || { echo "bench: no kernels (make deps)" >&2; exit 1; }
command -v gnuplot >/dev/null || { echo "bench: gnuplot missing (make deps)" >&2; exit 1; }

build=${TSNIC_BUILD:-$tree/.build}
outdir=${BENCH_OUT:-$tree/bench/results}
mkdir -p "$build" "$outdir"
outdir=$(cd "$outdir" && pwd)

# BENCH_REV=<commit>: measure that commit's driver and CLI (a git archive
# of it, built the same way) instead of the working tree's.
src=$tree
if [ -n "${BENCH_REV:-}" ]; then
	src=$build/bench/src
	rm -rf "$src"
	mkdir -p "$src"
	git -C "$tree" archive "$BENCH_REV" | tar -x -C "$src"
fi
make -s -C "$src" tools
make -s -C "$here" O="$build/bench/bin"

# the BENCH_* knobs of guest.sh travel into the VM
benv=(BENCH_PERF="${BENCH_PERF:-0}")
for v in $(compgen -e | grep '^BENCH_'); do
	benv+=("$v=${!v}")
done

# the module's build script (a BENCH_REV older than its move to scripts/
# has it in selftests/vm/)
buildmod=$src/scripts/build-module.sh
[ -e "$buildmod" ] || buildmod=$src/selftests/vm/build.sh

multi=
[ ${#kvers[@]} -gt 1 ] && multi=1
rc=0
for k in "${kvers[@]}"; do
	echo "=== bench $k"
	if [ -n "${BENCH_REV:-}" ]; then
		ko=$(TSNIC_VERSION=$(git -C "$tree" rev-parse --short "$BENCH_REV") \
			"$buildmod" "$k")
	else
		ko=$("$buildmod" "$k")
	fi
	raw=$build/bench-raw/$k
	rm -rf "$raw"
	mkdir -p "$raw/bin"
	# the module and programs travel on the VM's writable share
	cp "$ko" "$build/bench/bin/udpsend" "$build/bench/bin/tsdelay" \
		"$build/bench/bin/clockcost" "$src/tools/tsnic/tsnic" "$raw/bin/"
	{
		echo "host_start=$(date -u +%FT%TZ)"
		echo "host_load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
		echo "host_nproc=$(nproc)"
		echo "host_cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
		echo "host_other_qemu_start=$(pgrep -c qemu-system || true)"
		echo "make_cmd=make bench${quick:+ BENCH_QUICK=1} KVERS=$k"
		if [ -n "${BENCH_REV:-}" ]; then
			echo "tree=$(git -C "$tree" rev-parse --short "$BENCH_REV") (BENCH_REV=$BENCH_REV)"
			echo "driver_changes=0"
		else
			echo "tree=$(git -C "$tree" describe --always --dirty --tags 2>/dev/null || echo unknown)"
			echo "driver_changes=$(git -C "$tree" status --short -- driver uapi 2>/dev/null | wc -l)"
		fi
	} >"$raw/host.txt"
	t0=$(date +%s)
	boot() {
		"$vm/vm.sh" -k "$k" -t "${BENCH_TIMEOUT:-2700}" -o "$raw" -- \
			env "${benv[@]}" bash bench/guest.sh -m /run/out/bin/tsnic.ko \
			-b /run/out/bin -o /run/out/data -s "${BENCH_SECTIONS:-12345678}" $quick && return 0
		local r=$?
		# an overloaded host can fail TCG's early timer check ("IO-APIC +
		# timer doesn't work"): a guest that never ran the command boots again
		if [ $r -ne 0 ] && [ ! -e "$raw/output.log" ]; then
			echo "bench: the guest did not start; booting once more" >&2
			"$vm/vm.sh" -k "$k" -t "${BENCH_TIMEOUT:-2700}" -o "$raw" -- \
				env "${benv[@]}" bash bench/guest.sh -m /run/out/bin/tsnic.ko \
				-b /run/out/bin -o /run/out/data -s "${BENCH_SECTIONS:-12345678}" $quick && return 0
			r=$?
		fi
		return $r
	}
	boot &
	vmpid=$!
	# record the exact qemu command line, and how many other VMs share the host
	maxq=0
	for ((i = 0; i < 60; i++)); do
		sleep 1
		line=$(pgrep -a qemu-system | grep -F "path=$raw," | head -n 1 || true)
		[ -n "$line" ] && { echo "${line#* }" >"$raw/qemu-cmdline.txt"; break; }
	done
	while kill -0 $vmpid 2>/dev/null; do
		n=$(pgrep -c qemu-system || true)
		[ "$n" -gt "$maxq" ] && maxq=$n
		sleep 5
	done
	vrc=0
	wait $vmpid || vrc=$?
	{
		echo "host_end=$(date -u +%FT%TZ)"
		echo "host_load_end=$(cut -d' ' -f1-3 /proc/loadavg)"
		echo "host_max_qemu_during=$maxq"
		echo "wall_s=$(($(date +%s) - t0))"
		echo "vm_rc=$vrc"
	} >>"$raw/host.txt"
	if [ $vrc -ne 0 ]; then
		echo "bench: the VM run on $k failed (rc $vrc)" >&2
		rc=1
		[ -d "$raw/data" ] || continue
	fi
	python3 "$here/report.py" "$raw" "$outdir" ${multi:+--prefix "$k-"} || rc=1
done
exit $rc
