#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: the selftests in VMs on every kernel of the matrix, the
# static checks on the host, a quick benchmark run, and (with -D) the
# debug kernel; then a per-kernel summary, a table of where the time went
# and the closing line "N passed, N failed, N skipped".
#
#   check.sh [-t TESTS] [-j JOBS] [-D DEBUG_TESTS] [-p PLAN] [-H N] [-S|-s] [KVER...]
#
#   KVER...   Debian kernels to test (make check passes the matrix)
#   -t TESTS  only these tests (names separated by spaces or commas, with
#             or without the tsnic_ prefix), on every kernel; no static
#             checks and no benchmark
#   -j JOBS   VMs running at once (default $TSNIC_JOBS, else 2)
#   -D TESTS  also the debug kernel (KASAN, kmemleak, lockdep, UBSAN;
#             built once and cached by debug-kernel.sh), with these tests
#             ("all": every test); its kmemleak scan counts as a case
#   -p PLAN   which tests each kernel runs, from the file PLAN (lines
#             "PATTERN TESTS...": the first pattern, a shell glob, that
#             matches the kernel release, or "debug" for the debug kernel,
#             gives its tests; "bench no" leaves the benchmark out);
#             selftests/ci-plan is CI's.  -t and -D override it.
#   -H N      a CPU hog beside the VMs: N busy loops on the host, on the
#             CPUs the VMs run on, from the first VM to the last (the
#             tests assert orders and counts, never timing: they must pass)
#   -S        no static checks and no benchmark
#   -s        only the module builds and the static checks, no VM
#             (scripts/static-checks.sh, which also runs on its own)
#
# How the time is spent.  The host cannot load modules and TCG is slow, so
# nearly all of it goes to tests in VMs.  Tests wait as much as they
# compute (clock servos locking, timers, polls), so several VMs share the
# two CPUs well.  Each kernel's tests go into a queue, longest first
# (selftests/durations lists the expected seconds); JOBS workers each boot
# a VM on the kernel with the most work left and take tests from its queue
# until it is empty, then boot the next.  Every test still runs alone in
# its VM on a freshly loaded module, with the kernel log checked after it
# (run_tests.sh).  The debug kernel is built while the others are tested;
# the static checks and the benchmark run beside the VMs.

set -u
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/../.." && pwd)
scripts=$tree/scripts

only=
jobs=${TSNIC_JOBS:-2}
debug=
plan=
static=1
vms=1
hog=0
while getopts "t:j:D:p:H:Ss" opt; do
	case $opt in
	t) only=$OPTARG; static= ;;
	j) jobs=$OPTARG ;;
	D) debug=$OPTARG ;;
	p) plan=$OPTARG ;;
	H) hog=$OPTARG ;;
	S) static= ;;
	s) vms= ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
kvers=("$@")

# plan_of NAME: the tests PLAN gives kernel release NAME (or "debug")
plan_of() {
	local pat tests
	while read -r pat tests; do
		case $pat in ''|'#'*) continue ;; esac
		# shellcheck disable=SC2254
		case $1 in $pat) echo "$tests"; return ;; esac
	done <"$plan"
}
if [ -n "$plan" ]; then
	[ -r "$plan" ] || { echo "check: no plan $plan" >&2; echo "0 passed, 1 failed"; exit 1; }
	[ -z "$debug" ] && debug=$(plan_of debug)
	[ "$(plan_of bench)" = no ] && nobench=1
fi
# -s: the module builds and static checks whatever else was asked
[ -z "$vms" ] && { only=; static=1; debug=; nobench=1; }
if [ ${#kvers[@]} -eq 0 ] && [ -z "$debug" ]; then
	echo "check: no kernels (install them with 'make deps')" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

build=${TSNIC_BUILD:-$tree/.build}
work=$build/check
rm -rf "$work"
mkdir -p "$work/static" "$work/vm" "$work/queue" "$work/log"
t_start=$(date +%s)

# ---- the time table -------------------------------------------------------

# stage NAME START END NOTE: a line of the table (written as things end)
stage() {
	echo "$1|$2|$3|${4:-}" >>"$work/stages"
}
now() { date +%s; }

# ---- host: user programs, then one module build per kernel ---------------

t0=$(now)
if ! make -s -C "$tree" tools selftests >"$work/log/user-build.log" 2>&1; then
	cat "$work/log/user-build.log"
	echo "check: building the tools and selftests failed"
	echo "0 passed, 1 failed"
	exit 1
fi
stage "build: tools and C selftests" "$t0" "$(now)"

# ---- the debug kernel: built (or found in the cache) in the background ---

if [ -n "$debug" ]; then
	(
		t0=$(now)
		if "$here/debug-kernel.sh" -b >"$work/log/debug-kernel.log" 2>&1; then
			tail -n 1 "$work/log/debug-kernel.log" >"$work/debug-cache"
		fi
		grep -q 'debug-kernel: built' "$work/log/debug-kernel.log" &&
			note="cold build" || note="cached"
		stage "debug kernel ($note)" "$t0" "$(now)"
	) &
	debug_pid=$!
fi

# ---- targets: what a worker may boot ----------------------------------------

# A target is a kernel with its module built and a queue of tests.
# $work/queue/T/{order,claims/}, $work/targets/T/{kver,ko,env,ready}.
all_tests() {
	local t
	for t in "$tree"/selftests/tsnic_*.sh "$tree"/selftests/tsnic_*.c; do
		[ -e "$t" ] || continue
		t=${t##*/}
		echo "${t%.*}"
	done
}

# select_tests SPEC: the tests SPEC names ("all", or names as -t takes)
select_tests() {
	local spec=$1 o t found
	if [ "$spec" = all ]; then
		all_tests
		return
	fi
	for o in ${spec//,/ }; do
		found=
		for t in $(all_tests); do
			if [ "$t" = "$o" ] || [ "$t" = "tsnic_$o" ]; then
				echo "$t"
				found=1
			fi
		done
		# an unknown name still goes in: the VM reports it as not ok
		[ -n "$found" ] || echo "$o"
	done
}

# weight TEST [FACTOR]: expected seconds (selftests/durations, else 60)
weight() {
	local w
	w=$(awk -v t="$1" '$1 == t { print $2; exit }' "$tree/selftests/durations" 2>/dev/null)
	echo $(( ${w:-60} * ${2:-1} ))
}

# make_queue TARGET FACTOR TESTS...: the queue, longest first
make_queue() {
	local tg=$1 f=$2 t
	shift 2
	mkdir -p "$work/queue/$tg/claims" "$work/targets/$tg"
	for t in "$@"; do
		echo "$(weight "$t" "$f") $t"
	done | sort -rn -k1,1 | awk '{ print $2 }' >"$work/queue/$tg/order"
	awk -v f="$f" 'NR == FNR { w[$1] = $2 * f; next } { s += ($1 in w) ? w[$1] : 60 * f }
		END { print s + 0 }' "$tree/selftests/durations" "$work/queue/$tg/order" \
		>"$work/targets/$tg/weight"
}

# The debug kernel runs a test about five times as long as a generic one
# (tsnic_link: 7 s and 40 s); with that weight its queue, the slowest per
# test, starts early instead of trailing alone at the end.
debug_factor=5
targets=()
spec=${only:-all}
for k in "${kvers[@]}"; do
	ks=$spec
	[ -z "$only" ] && [ -n "$plan" ] && ks=$(plan_of "$k")
	# shellcheck disable=SC2046
	make_queue "$k" 1 $([ -n "$vms" ] && select_tests "${ks:-all}")
	echo "$k" >"$work/targets/$k/kver"
	targets+=("$k")
done
if [ -n "$debug" ]; then
	# shellcheck disable=SC2046
	make_queue debug $debug_factor $(select_tests "${only:-$debug}")
	targets+=(debug)
fi

# A plan may leave a test off a kernel, never off CI: each test runs on at
# least one generic kernel, and the plan names no test that does not exist.
if [ -n "$plan" ] && [ -z "$only" ] && [ -n "$vms" ]; then
	{
		miss=
		for t in $(all_tests); do
			on=
			for k in "${kvers[@]}"; do
				case $k in *-rt-*) continue ;; esac
				grep -qx "$t" "$work/queue/$k/order" && on=1
			done
			[ -n "$on" ] || miss="$miss $t"
		done
		if [ -z "$miss" ]; then
			echo "ok plan: every test runs on a generic kernel"
		else
			echo "not ok plan: on no generic kernel:$miss"
		fi
		bad=
		for tg in "${targets[@]}"; do
			while read -r t; do
				[ -e "$tree/selftests/$t.sh" ] || [ -e "$tree/selftests/$t.c" ] ||
					bad="$bad $t"
			done <"$work/queue/$tg/order"
		done
		if [ -z "$bad" ]; then
			echo "ok plan: names only tests that exist"
		else
			echo "not ok plan: no such test:$bad"
		fi
	} >"$work/static/plan.out"
fi

# Module builds, one kernel after the other, in the background; a target
# is ready once its module is.
(
	for k in "${kvers[@]}"; do
		t0=$(now)
		ko=$(TSNIC_SPARSE= "$scripts/build-module.sh" "$k" 2>"$work/log/build-$k.log")
		if [ $? -eq 0 ]; then
			echo "ok $k: build W=1 warning-free" >"$work/static/build-$k.out"
			echo "$ko" >"$work/targets/$k/ko"
		else
			cat "$work/log/build-$k.log" >"$work/static/build-$k.out"
			echo "not ok $k: build, W=1 warning-free" >>"$work/static/build-$k.out"
		fi
		touch "$work/targets/$k/ready"
		stage "build: module W=1, $k" "$t0" "$(now)"
	done
	if [ -n "$debug" ]; then
		wait "$debug_pid" 2>/dev/null
		# shellcheck disable=SC2030
		while [ -z "$(cat "$work/debug-cache" 2>/dev/null)" ] &&
			kill -0 "$debug_pid" 2>/dev/null; do
			sleep 1
		done
		cache=$(cat "$work/debug-cache" 2>/dev/null)
		t0=$(now)
		if [ -n "$cache" ] && [ -e "$cache/.done" ]; then
			dk=$(cat "$cache/kernelrelease")
			echo "$dk" >"$work/targets/debug/kver"
			{
				echo "TSNIC_VM_KERNEL=$cache/bzImage"
				# Under TCG the debug kernel's ACPI interpreter runs
				# the PCI routing method (_PRT) past ACPICA's 30 s
				# loop limit, and the virtio devices get no IRQ
				# (AE_AML_LOOP_TIMEOUT, then no root): PCI IRQs
				# are routed without ACPI instead.
				echo "TSNIC_VM_APPEND=acpi=noirq"
				echo "TSNIC_VM_MODULES=$cache/modroot/lib/modules"
			} >"$work/targets/debug/env"
			if ko=$(KDIR_OVERRIDE=$cache/linux TSNIC_SPARSE= "$scripts/build-module.sh" "$dk" \
				2>"$work/log/build-debug.log"); then
				echo "$ko" >"$work/targets/debug/ko"
			else
				{
					cat "$work/log/build-debug.log"
					echo "not ok debug kernel: module build"
				} >"$work/static/build-debug.out"
			fi
		else
			{
				tail -n 40 "$work/log/debug-kernel.log"
				echo "not ok debug kernel: build"
			} >"$work/static/build-debug.out"
		fi
		touch "$work/targets/debug/ready"
		stage "build: module against the debug kernel" "$t0" "$(now)"
	fi
) &
builds_pid=$!

# ---- static checks (scripts/static-checks.sh) beside the VMs -------------

# Their results land in $work/static/*.out as "ok ..."/"not ok ..." lines,
# counted at the end with the builds'; they wait for each kernel's module
# build above for its modinfo check.
if [ -n "$static" ]; then
	{
		"$scripts/static-checks.sh" -w "$work" "${kvers[@]}" ||
			echo "not ok static checks (exit $?)" >"$work/static/static-checks.out"
	} &
	static_pid=$!
fi

# The benchmark's quick run is one more unit for the workers: a VM on the
# generic 6.12 kernel (the last generic one of the matrix).
bench_k=
if [ -n "$static" ] && [ -z "${nobench:-}" ]; then
	for k in "${kvers[@]}"; do
		case $k in *-rt-*) ;; *) bench_k=$k ;; esac
	done
fi

# ---- the CPU hog (-H) -------------------------------------------------------

hog_pids=()
stop_hog() {
	[ ${#hog_pids[@]} -gt 0 ] && kill "${hog_pids[@]}" 2>/dev/null
	hog_pids=()
}
trap stop_hog EXIT
if [ "$hog" -gt 0 ] 2>/dev/null; then
	echo "check: a CPU hog of $hog busy loops on CPUs 0-$(($(nproc) - 1))"
	for ((i = 0; i < hog; i++)); do
		taskset -c "0-$(($(nproc) - 1))" sh -c 'while :; do :; done' &
		hog_pids+=($!)
	done
fi

# ---- workers --------------------------------------------------------------

# remaining TARGET: expected seconds of the target's unclaimed tests
remaining() {
	local q=$work/queue/$1 f=1
	[ "$1" = debug ] && f=$debug_factor
	ls "$q/claims" >"$q/.claimed" 2>/dev/null
	awk -v f="$f" 'FILENAME == ARGV[1] { w[$1] = $2 * f; next }
		FILENAME == ARGV[2] { c[$1] = 1; next }
		!($1 in c) { s += ($1 in w) ? w[$1] : 60 * f }
		END { print s + 0 }' "$tree/selftests/durations" "$q/.claimed" "$q/order"
}

declare -A active=()	# target -> VMs running on it
declare -A vm_target=()	# worker pid -> target
nvm=0

start_vm() {	# start_vm TARGET
	local tg=$1 id kver ko rel dir runner timeout
	nvm=$((nvm + 1))
	id=$(printf 'vm%02d' "$nvm")
	dir=$work/vm/$id
	mkdir -p "$dir"
	kver=$(cat "$work/targets/$tg/kver")
	ko=$(cat "$work/targets/$tg/ko")
	rel=${ko#"$tree"/}
	runner=selftests/run_tests.sh
	timeout=5400
	echo "$tg" >"$dir/target"
	echo "=== $id: $kver ($tg), tests from its queue"
	(
		t0=$(now)
		# shellcheck disable=SC2046
		env $(cat "$work/targets/$tg/env" 2>/dev/null) \
			"$here/vm.sh" -q -k "$kver" -t "$timeout" -o "$dir" -Q "$work/queue/$tg" -- \
			bash "$([ "$tg" = debug ] && echo selftests/vm/debug-suite.sh || echo "$runner")" \
			-m "/run/tsnic/$rel" -b /run/tsnic/.build/user/bin \
			-s /run/out/summary -q /run/queue >"$dir/vm.log" 2>&1
		rc=$?
		echo $rc >"$dir/vm.rc"
		# a VM that fails before it runs a test (no boot, no root):
		# after two of those the target gets no more VMs
		[ $rc -ne 0 ] && [ ! -s "$dir/summary.times" ] &&
			echo "$id" >>"$work/targets/$tg/failed-boots"
		stage "vm: $id on $kver ($(awk '{ print $1 }' "$dir/summary.times" 2>/dev/null |
			sed 's/^tsnic_//' | tr '\n' ' ' | sed 's/ $//'))" "$t0" "$(now)"
	) &
	vm_target[$!]=$tg
	active[$tg]=$((${active[$tg]:-0} + 1))
}

start_bench() {
	echo "=== bench (quick) on $bench_k"
	(
		t0=$(now)
		out=$work/static/bench.out
		TSNIC_BUILD=$build/bench-check "$scripts/bench-check.sh" "$bench_k" >"$out" 2>&1
		rc=$?
		[ $rc -eq 0 ] || grep -q '^not ok ' "$out" ||
			echo "not ok bench: quick run (exit $rc)" >>"$out"
		stage "bench: quick run on $bench_k" "$t0" "$(now)"
	) &
	vm_target[$!]=bench
	active[bench]=1
}

# pick: the ready target with the most expected work per VM on it, or ""
pick() {
	local tg best= bestv=-1 r n v u
	for tg in "${targets[@]}"; do
		[ -e "$work/targets/$tg/ready" ] && [ -s "$work/targets/$tg/ko" ] || continue
		[ "$({ wc -l <"$work/targets/$tg/failed-boots"; } 2>/dev/null || echo 0)" -lt 2 ] ||
			continue
		r=$(remaining "$tg")
		n=${active[$tg]:-0}
		# no more VMs than tests left to claim (a booting VM has not
		# claimed its first one yet)
		u=$(($(wc -l <"$work/queue/$tg/order") - $(ls "$work/queue/$tg/claims" | wc -l)))
		[ "$n" -ge "$u" ] && continue
		# not worth a boot: a running VM will take what is left
		[ "$n" -gt 0 ] && [ "$r" -lt 90 ] && continue
		[ "$r" -gt 0 ] || continue
		v=$((r / (n + 1)))
		[ "$v" -gt "$bestv" ] && { best=$tg; bestv=$v; }
	done
	echo "$best"
}

bench_started=
while :; do
	# reap finished workers
	for pid in "${!vm_target[@]}"; do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" 2>/dev/null
			tg=${vm_target[$pid]}
			active[$tg]=$((${active[$tg]} - 1))
			unset "vm_target[$pid]"
		fi
	done
	running=${#vm_target[@]}
	# While the debug kernel is built, no VM: a VM beside the build starves
	# it (measured: a cold build that takes 11 minutes alone took over 35
	# with two VMs beside it, and its tests then ran last, three times as
	# long as on the other kernels).  The host-side checks run meanwhile.
	if [ -n "$debug" ] && [ ! -e "$work/targets/debug/ready" ] &&
		[ ! -e "$work/debug-cache" ] && kill -0 "$debug_pid" 2>/dev/null; then
		sleep 1
		continue
	fi
	if [ "$running" -lt "$jobs" ]; then
		tg=$(pick)
		if [ -n "$tg" ]; then
			start_vm "$tg"
			continue
		fi
		# the benchmark once the 6.12 tests are all taken
		if [ -n "$bench_k" ] && [ -z "$bench_started" ] &&
			[ -e "$work/targets/$bench_k/ready" ] &&
			[ "$(remaining "$bench_k")" -eq 0 ]; then
			bench_started=1
			start_bench
			continue
		fi
	fi
	# done: builds over, nothing running, nothing left to start
	if [ "$running" -eq 0 ] && ! kill -0 "$builds_pid" 2>/dev/null &&
		{ [ -z "$bench_k" ] || [ -n "$bench_started" ]; }; then
		[ -z "$(pick)" ] && break
	fi
	sleep 1
done
stop_hog
wait "$builds_pid" 2>/dev/null
[ -n "${static_pid:-}" ] && wait "$static_pid"

# ---- results --------------------------------------------------------------

tp=0
tf=0
ts=0
echo "=== static checks and builds"
for f in "$work"/static/*.out; do
	[ -e "$f" ] || continue
	cat "$f"
	tp=$((tp + $(grep -c '^ok ' "$f")))
	tf=$((tf + $(grep -c '^not ok ' "$f")))
done

ksrc=$("$scripts/ksrc.sh")
# Per target: the VMs' results; a test a VM claimed but never finished (the
# VM crashed, panicked on a WARN, or timed out) is a failure.
declare -A kp=() kf=() ks=()
for tg in "${targets[@]}"; do
	kp[$tg]=0; kf[$tg]=0; ks[$tg]=0
done
for dir in "$work"/vm/vm*; do
	[ -d "$dir" ] || continue
	tg=$(cat "$dir/target")
	id=${dir##*/}
	echo "=== $id: $(cat "$work/targets/$tg/kver") ($tg)"
	grep -v '^vm: ' "$dir/output.log" 2>/dev/null
	rc=$(cat "$dir/vm.rc" 2>/dev/null || echo 1)
	if [ -s "$dir/summary" ]; then
		read -r p f s <"$dir/summary"
	else
		p=0; f=0; s=0
	fi
	if [ "$rc" -ne 0 ]; then
		cat "$dir/vm.log"
		[ "$f" -eq 0 ] && f=1
		# the test it was running when it died
		[ -s "$dir/summary.current" ] &&
			echo "not ok $(cat "$dir/summary.current") # the VM ($id) ended during this test (exit $rc)"
	fi
	kp[$tg]=$((${kp[$tg]} + p))
	kf[$tg]=$((${kf[$tg]} + f))
	ks[$tg]=$((${ks[$tg]} + s))
	# the VM's output read back by the kernel's KTAP parser: one case
	if [ -s "$dir/output.log" ]; then
		python3 "$scripts/ktap-check.py" "$ksrc" "$id" "$dir/output.log" \
			>"$work/log/ktap-$id.log" 2>&1 ||
			grep -q '^not ok ' "$work/log/ktap-$id.log" ||
			echo "not ok ktap: $id (ktap-check.py failed)" >>"$work/log/ktap-$id.log"
		cat "$work/log/ktap-$id.log"
		tp=$((tp + $(grep -c '^ok ' "$work/log/ktap-$id.log")))
		tf=$((tf + $(grep -c '^not ok ' "$work/log/ktap-$id.log")))
	fi
done
# every queued test must have run somewhere
for tg in "${targets[@]}"; do
	while read -r t; do
		[ -d "$work/queue/$tg/claims/$t" ] && continue
		echo "not ok $t on $tg # never run"
		kf[$tg]=$((${kf[$tg]} + 1))
	done <"$work/queue/$tg/order"
	tp=$((tp + ${kp[$tg]})); tf=$((tf + ${kf[$tg]})); ts=$((ts + ${ks[$tg]}))
done

# ---- where the time went ---------------------------------------------------

t_end=$(now)
echo "=== time table (wall seconds from the start of make check; $jobs VMs at once)"
sort -t'|' -k2,2n "$work/stages" | awk -F'|' -v s="$t_start" '
	{ printf "  %5d %5d %5ds  %s\n", $2 - s, $3 - s, $3 - $2, $1 }'
printf '  %5d %5d %5ds  %s\n' 0 $((t_end - t_start)) $((t_end - t_start)) "make check, in all"
echo "=== per test: wall seconds (guest CPU seconds) on each kernel"
cat "$work"/vm/vm*/summary.times 2>/dev/null >"$work/times.all"
for dir in "$work"/vm/vm*; do
	[ -e "$dir/summary.times" ] || continue
	sed "s|^|$(cat "$dir/target") |" "$dir/summary.times"
done | awk -v tl="${targets[*]}" '
	{ k = $1; t = $2; wall[t, k] = $6; cpu[t, k] = $7; tests[t] = 1
	  sumw[k] += $6; sumc[k] += $7 }
	END {
		n = split(tl, ks, " ")
		printf "  %-22s", "test"
		for (i = 1; i <= n; i++) printf " %24s", ks[i]
		printf "\n"
		m = 0
		for (t in tests) names[++m] = t
		for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
			if (names[j] < names[i]) { x = names[i]; names[i] = names[j]; names[j] = x }
		for (i = 1; i <= m; i++) {
			printf "  %-22s", names[i]
			for (j = 1; j <= n; j++) {
				if ((names[i], ks[j]) in wall)
					printf " %24s", wall[names[i], ks[j]] " (" cpu[names[i], ks[j]] ")"
				else
					printf " %24s", "-"
			}
			printf "\n"
		}
		printf "  %-22s", "all tests"
		for (j = 1; j <= n; j++) printf " %24s", sumw[ks[j]] " (" sumc[ks[j]] ")"
		printf "\n"
	}'

echo "=== summary"
for tg in "${targets[@]}"; do
	echo "$(cat "$work/targets/$tg/kver" 2>/dev/null || echo "$tg"): ${kp[$tg]} passed, ${kf[$tg]} failed, ${ks[$tg]} skipped"
done
echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" -eq 0 ]
