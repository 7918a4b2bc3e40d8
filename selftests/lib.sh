# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for tsnic's shell selftests, which print KTAP through the
# kernel's kselftest/ktap_helpers.sh (from linux-source, extracted by
# scripts/ksrc.sh into .build/ksrc, which the VM sees with the tree).  A
# test sources this file, states its number of cases with `plan N` before
# the first one, calls `check DESCRIPTION COMMAND...` (or ok/fail/skip, the
# check_* variants) for each case, and ends with `finish`, which prints
# the kselftest "# Totals:" line run_tests.sh reads and exits non-zero when
# a case failed or the cases run were not the plan's.  `skip_rest REASON`
# skips the cases left (a kernel without the feature) and finishes.
# Namespaces and devices created through the helpers are removed on exit,
# whatever happened.

set -u

_netns=()
_planned=

_ktap=${TSNIC_SELFTESTS:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}/../.build/ksrc
_ktap=$_ktap/tools/testing/selftests/kselftest/ktap_helpers.sh
if [ ! -r "$_ktap" ]; then
	echo "KTAP version 1"
	echo "1..1"
	echo "not ok 1 ${0##*/}: no $_ktap (scripts/ksrc.sh extracts it)"
	echo "# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0"
	exit 1
fi
# shellcheck source=/dev/null
. "$_ktap"
ktap_print_header

# plan N: the test has N cases (before the first)
plan() {
	if [ "$KTAP_TESTNO" -ne 1 ]; then
		ktap_exit_fail_msg "plan $1 after $((KTAP_TESTNO - 1)) cases"
	fi
	_planned=1
	ktap_set_plan "$1"
}

# Each case's result line is followed by a diagnostic line with the wall
# time since the previous result (or the start), so a run's log shows
# where a test spends its time: "# 1.234 s".
_case_t=$EPOCHREALTIME
_case_time() {
	local now=$EPOCHREALTIME us
	us=$(( (${now/./} - ${_case_t/./}) ))
	_case_t=$now
	printf '# %d.%03d s\n' $((us / 1000000)) $((us / 1000 % 1000))
}

# A case's description goes through ktap_helpers' unquoted echo: no file
# name globbing there, and no "#", which would start a directive.
ok() {
	local -
	set -f
	ktap_test_pass "${*//#/}"
	_case_time
}

fail() {
	local -
	set -f
	ktap_test_fail "${*//#/}"
	_case_time
}

skip() {
	local -
	set -f
	ktap_test_skip "${*//#/}"
	_case_time
}

# skip_cases N REASON: N cases skipped (a branch that cannot run here
# skips as many cases as it would have run: the plan stays the same)
skip_cases() {
	local i

	for ((i = 0; i < $1; i++)); do
		skip "$2"
	done
}

# skip_rest REASON: the planned cases not run yet are skipped; finish
skip_rest() {
	skip_cases $((KSFT_NUM_TESTS - KTAP_TESTNO + 1)) "$*"
	finish
}

# check DESCRIPTION COMMAND...: one case, passed when COMMAND succeeds.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		fail "$desc"
		echo "$out" | tail -n 20 | sed 's/^/# /'
	fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1"
		echo "# expected '$2', got '$3'"
	fi
}

# check_ge DESCRIPTION ACTUAL MIN
check_ge() {
	if [ "$2" -ge "$3" ] 2>/dev/null; then
		ok "$1 ($2 >= $3)"
	else
		fail "$1"
		echo "# expected >= $3, got '$2'"
	fi
}

# check_eq_soon DESCRIPTION EXPECTED SECONDS COMMAND...: as check_eq on
# COMMAND's output, polled until it equals EXPECTED or SECONDS pass (a
# count the kernel is still moving toward, when the test cannot tell the
# moment it is final).  A count that overshoots is reported as it is.
check_eq_soon() {
	local desc=$1 want=$2 t=$3 got i
	shift 3
	for ((i = 0; i < t * 10; i++)); do
		got=$("$@" 2>/dev/null)
		[ "$got" = "$want" ] && break
		sleep 0.1
	done
	check_eq "$desc" "$want" "$got"
}

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds (state the kernel
# updates asynchronously, like operstate through linkwatch).
wait_for() {
	local t=$1 i
	shift
	for ((i = 0; i < t * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	"$@"
}

# operstate_is DEV STATE [NETNS]
operstate_is() {
	local pre=()
	[ -n "${3:-}" ] && pre=(ip netns exec "$3")
	[ "$("${pre[@]}" cat "/sys/class/net/$1/operstate")" = "$2" ]
}

# carrier_is DEV 0|1 [NETNS]: the device's carrier (operstate would say
# "lowerlayerdown" rather than "down" on 6.1, as the peer is its iflink)
carrier_is() {
	local pre=()
	[ -n "${3:-}" ] && pre=(ip netns exec "$3")
	[ "$("${pre[@]}" cat "/sys/class/net/$1/carrier")" = "$2" ]
}

# netns NAME: create a namespace, removed at exit.
netns() {
	ip netns add "$1" && _netns+=("$1") && ip -n "$1" link set lo up
}

# wired_pair [-6] [-n] NS_A DEV_A NS_B DEV_B [NET [LINK_OPTION...
#            [-- PEER_LINK_OPTION...]]]
# DEV_A in NS_A wired to DEV_B in NS_B, both up, carrier awaited.  The
# namespaces must exist (netns).  NET (e.g. 192.168.78; "-" for none)
# addresses them NET.1/24 and NET.2/24.  The LINK_OPTIONs (e.g. numtxqueues
# 4) create both devices, or DEV_A only when PEER_LINK_OPTIONs follow "--"
# for DEV_B.
#   -6  IPv6 off on both (no_ipv6): only the test's own frames on the cable
#   -n  permanent neighbour entries for NET: no ARP frame comes between a
#       test's counter reads
wired_pair() {
	local v6=1 neigh='' peer='' na a nb b net o
	local oa=() ob=()
	while :; do
		case ${1:-} in
		-6) v6='' ;;
		-n) neigh=1 ;;
		*) break ;;
		esac
		shift
	done
	na=$1 a=$2 nb=$3 b=$4 net=${5:--}
	shift $(($# < 5 ? $# : 5))
	for o in "$@"; do
		if [ "$o" = -- ] && [ -z "$peer" ]; then
			peer=1
		elif [ -n "$peer" ]; then
			ob+=("$o")
		else
			oa+=("$o")
		fi
	done
	[ -n "$peer" ] || ob=("${oa[@]}")

	ip link add "$a" netns "$na" "${oa[@]}" type tsnic &&
	ip -n "$na" link add "$b" "${ob[@]}" link "$a" type tsnic &&
	ip -n "$na" link set "$b" netns "$nb" || return 1
	if [ -z "$v6" ]; then
		no_ipv6 "$a" "$na" && no_ipv6 "$b" "$nb" || return 1
	fi
	if [ "$net" != - ]; then
		ip -n "$na" addr add "$net.1/24" dev "$a" &&
		ip -n "$nb" addr add "$net.2/24" dev "$b" || return 1
		if [ -n "$neigh" ]; then
			ip -n "$na" neigh replace "$net.2" dev "$a" nud permanent \
				lladdr "$(ip netns exec "$nb" cat "/sys/class/net/$b/address")" &&
			ip -n "$nb" neigh replace "$net.1" dev "$b" nud permanent \
				lladdr "$(ip netns exec "$na" cat "/sys/class/net/$a/address")" ||
				return 1
		fi
	fi
	ip -n "$na" link set "$a" up &&
	ip -n "$nb" link set "$b" up &&
	wait_for 5 operstate_is "$a" up "$na"
}

_cleanup() {
	local n
	for n in "${_netns[@]}"; do
		ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
	return 0
}
trap _cleanup EXIT

# is_tsnic DEV [NETNS]: DEV is a tsnic device
is_tsnic() {
	local nsarg=()
	[ -n "${2:-}" ] && nsarg=(-n "$2")
	ip "${nsarg[@]}" -d link show "$1" 2>/dev/null | grep -qw 'tsnic'
}

# counter DEV NAME [NETNS]: one `ethtool -S` counter
counter() {
	local pre=()
	[ -n "${3:-}" ] && pre=(ip netns exec "$3")
	"${pre[@]}" ethtool -S "$1" | awk -v k="$2:" '$1 == k { print $2 }'
}

# queue_balanced DEV Q [NETNS]: frames queued on TX queue Q = completions +
# flushed, read from one `ethtool -S` snapshot.
queue_balanced() {
	local pre=()
	[ -n "${3:-}" ] && pre=(ip netns exec "$3")
	"${pre[@]}" ethtool -S "$1" | awk -v q="tx_queue_$2_" '
		$1 == q "frames:" { f = $2 }
		$1 == q "completions:" { c = $2 }
		$1 == q "flushed:" { fl = $2 }
		END { if (f != c + fl) { print "frames " f " completions " c " flushed " fl; exit 1 } }'
}

# no_ipv6 DEV [NETNS]: keep the stack's own IPv6 chatter off DEV
no_ipv6() {
	local pre=()
	[ -n "${2:-}" ] && pre=(ip netns exec "$2")
	"${pre[@]}" sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
}

# finish: the totals; exits 0 when every planned case ran and none failed
finish() {
	local ran=$((KTAP_TESTNO - 1))

	if [ -z "$_planned" ]; then
		# no plan up front: none at all, as KTAP allows (a plan after
		# the results is TAP's, and KTAP parsers do not take it)
		ktap_print_msg "no plan: $ran cases"
		KSFT_NUM_TESTS=$ran
	elif [ "$ran" -ne "$KSFT_NUM_TESTS" ]; then
		ktap_print_msg "planned $KSFT_NUM_TESTS cases, ran $ran"
	fi
	ktap_finished
}
