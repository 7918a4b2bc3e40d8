#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The PHC's pins: capabilities and pin functions through the kernel's
# testptp; a periodic output wired back into an external timestamp input
# of the same clock (period, phase, wire delay, falling edges, duty cycle);
# a clock running 40 ppm fast measured by another clock; PPS; requests
# out of range refused; wires that go with their devices; delete and
# rmmod with outputs running.  The edges are computed, not timed: with no
# timestamp jitter the stamps are exact, so the spacing and phase are
# asserted to the nanosecond, never wall-clock timing.
. "$(dirname "$0")/lib.sh"
plan 46

command -v tsnic >/dev/null || skip_rest "tsnic CLI not built"
command -v testptp >/dev/null || skip_rest "testptp not built (make selftests)"

pins() { python3 "$TSNIC_SELFTESTS/pins.py" "$@"; }
phc_of() { echo "/dev/ptp$(ethtool -T "$1" | awk '/PTP Hardware Clock:/ { print $4 }')"; }
# ns FILE: the SEC.NSEC stamps of FILE's event lines (pins.py extts's, or
# testptp -e's) in ns, one a line: bash's 64-bit integers, not awk's doubles
ns() {
	local w
	grep -oE '[0-9]+\.[0-9]{9}' "$1" | while read -r w; do
		echo $((${w%.*} * 1000000000 + 10#${w#*.}))
	done
}
# spacing FILE PERIOD: every interval is PERIOD (+-2 ns), and there are some
spacing() {
	local t last='' bad=0 n=0
	for t in $(ns "$1"); do
		if [ -n "$last" ] && { [ $((t - last - $2)) -lt -2 ] || [ $((t - last - $2)) -gt 2 ]; }; then
			echo "interval $((t - last))"
			bad=1
		fi
		last=$t n=$((n + 1))
	done
	[ $bad = 0 ] && [ $n -ge 2 ]
}
# phase FILE PERIOD PHASE: every stamp is PHASE mod PERIOD (+-2 ns)
phase() {
	local t bad=0 n=0
	for t in $(ns "$1"); do
		if [ $((t % $2 - $3)) -lt -2 ] || [ $((t % $2 - $3)) -gt 2 ]; then
			echo "phase $((t % $2))"
			bad=1
		fi
		n=$((n + 1))
	done
	[ $bad = 0 ] && [ $n -ge 1 ]
}
tmp=$(mktemp -d)
trap '_cleanup; rm -rf "$tmp"' EXIT

rmmod tsnic
check "load with ideal oscillators and no timestamp jitter" \
	insmod "$TSNIC_MODULE" freq_random_ppb=0 wander_ppb=0 jitter_ns=0
ip link add pa type tsnic
ip link add pb type tsnic
pa=$(phc_of pa)
pb=$(phc_of pb)

# ---- capabilities and pin functions (testptp) ----
testptp -d "$pa" -c >"$tmp/caps"
check "testptp -c: 2 external timestamp channels" grep -q '^ *2 external time stamp channels' "$tmp/caps"
check "testptp -c: 2 periodic outputs" grep -q '^ *2 programmable periodic signals' "$tmp/caps"
check "testptp -c: PPS" grep -q '^ *1 pulse per second' "$tmp/caps"
check "testptp -c: 4 pins" grep -q '^ *4 programmable pins' "$tmp/caps"
check "testptp -l: SDP0 .. SDP3, no function" sh -c \
	"[ \$(testptp -d $pa -l | grep -cE 'name SDP[0-3] index [0-3] func 0 chan 0') -eq 4 ]"
check "testptp -L 0,2: SDP0 periodic output 0" testptp -d "$pa" -i 0 -L 0,2
check "testptp -L 1,1: SDP1 external timestamps 0" testptp -d "$pa" -i 0 -L 1,1
check "testptp -l shows both" sh -c "testptp -d $pa -l | grep -q 'name SDP0 index 0 func 2 chan 0' &&
	testptp -d $pa -l | grep -q 'name SDP1 index 1 func 1 chan 0'"

# ---- loopback: SDP0 -> SDP1 of the same clock ----
check "tsnic pin connect pa SDP0 pa SDP1" tsnic pin connect pa SDP0 pa SDP1
check "pin show: the wire" sh -c "tsnic pin show pa | grep -qx 'pa SDP0: perout 0, drives pa SDP1 delay 0ns' &&
	tsnic pin show pa | grep -qx 'pa SDP1: extts 0, driven by pa SDP0 delay 0ns'"
check "testptp -p 100 ms (from the second after next)" testptp -d "$pa" -i 0 -p 100000000
check "pin show -j: SDP0 active" sh -c "tsnic -j pin show pa | grep -q '\"name\":\"SDP0\",\"func\":\"perout\",\"chan\":0,\"active\":true'"
timeout 60 testptp -d "$pa" -i 0 -e 10 >"$tmp/loop" 2>&1
sed 's/^/# /' "$tmp/loop" | head -3
check "testptp -e 10: ten events" test "$(grep -c '^event index 0 at' "$tmp/loop")" -eq 10
check "the events are 100 ms apart, to the ns" spacing "$tmp/loop" 100000000
check "on the output's grid (phase 0)" phase "$tmp/loop" 100000000 0

check "reconnect with a delay of 5 us" sh -c \
	"tsnic pin disconnect pa SDP0 pa SDP1 && tsnic pin connect pa SDP0 pa SDP1 delay 5us"
pins extts "$pa" 0 4 rising >"$tmp/delay"
check_eq "4 rising edges" ok "$(tail -n 1 "$tmp/delay")"
check "the wire's delay shows in the stamps (phase 5000 ns)" phase "$tmp/delay" 100000000 5000
pins extts "$pa" 0 6 both >"$tmp/both"
check "both edges: rising and falling every 50 ms" spacing "$tmp/both" 50000000
check_eq "duty cycle 20 ms" ok "$(pins perout "$pa" 0 100000000 width=20000000 start=+1)"
pins extts "$pa" 0 3 falling >"$tmp/fall"
check "falling edges 20 ms after the rising ones" phase "$tmp/fall" 100000000 20005000

# ---- one clock measured by another: +40 ppm ----
check "pb: SDP1 external timestamps 0" test "$(pins setfunc "$pb" 1 1 0)" = ok
check "wire pa SDP0 -> pb SDP1 (fan-out)" tsnic pin connect pa SDP0 pb SDP1
check "pa's oscillator 40 ppm fast" tsnic dev set pa freq-offset 40ppm
check_eq "perout 100 ms on pa" ok "$(pins perout "$pa" 0 100000000 start=+1)"
pins extts "$pb" 0 11 rising >"$tmp/ppm"
# the mean interval's shortfall in parts per 10^9 (ppb)
mapfile -t ts < <(ns "$tmp/ppm")
n=${#ts[@]}
ppb=$(( n > 1 ? (100000000 * (n - 1) - (ts[n - 1] - ts[0])) * 10 / (n - 1) : 0 ))
echo "# pa's 100 ms on pb's clock: $ppb ppb short"
check "pb measures pa's period 40 ppm short ($ppb ppb)" test "$ppb" -ge 39900 -a "$ppb" -le 40100
check "pin show: SDP0 drives two pins" sh -c \
	"tsnic pin show pa | grep -qx 'pa SDP0: perout 0 active, drives pa SDP1 delay 5us, pb SDP1 delay 0ns'"

# ---- PPS at the clock's seconds ----
ppsdev=$(grep -lx "ptp${pa#/dev/ptp}" /sys/class/pps/pps*/name | head -n 1)
ppsdev=${ppsdev%/name}
check_eq "PTP_ENABLE_PPS2" ok "$(pins pps "$pa" 1)"
# polled, not read after a fixed wait: a starved guest only delays them
seq0=$(sed -n 's/.*#//p' "$ppsdev/assert")
pps_seq_ge() {
	[ "$(sed -n 's/.*#//p' "$ppsdev/assert")" -ge "$1" ] 2>/dev/null
}
wait_for 30 pps_seq_ge $((${seq0:-0} + 2)) >/dev/null
seq1=$(sed -n 's/.*#//p' "$ppsdev/assert")
pins pps "$pa" 0 >/dev/null
check "PPS events at the seconds (${seq0:-?} -> ${seq1:-?})" test "${seq1:-0}" -ge $((${seq0:-0} + 2))

# ---- refused ----
check_eq "a pin beyond SDP3" EINVAL "$(pins setfunc "$pa" 4 1 0)"
check_eq "a channel beyond 1" EINVAL "$(pins setfunc "$pa" 2 1 2)"
check_eq "PHYSYNC" EOPNOTSUPP "$(pins setfunc "$pa" 2 3 0)"
check_eq "duty cycle = period" ERANGE "$(pins perout "$pa" 0 100000000 width=100000000)"
check_eq "period below 1 ms" ERANGE "$(pins perout "$pa" 0 999999)"
check_eq "a periodic output on no pin" EINVAL "$(pins perout "$pa" 1 100000000)"
check_eq "a one-shot pulse in the past" ERANGE "$(pins perout "$pa" 0 100000000 start=1.0 oneshot)"
check "no such wire to disconnect" sh -c "tsnic pin disconnect pb SDP0 pa SDP2 2>&1 | grep -q 'no such wire'"
check "an input driven already" sh -c "tsnic pin connect pb SDP0 pa SDP1 2>&1 | grep -q 'driven by a wire already'"
check "a pin driving itself" sh -c "tsnic pin connect pa SDP2 pa SDP2 2>&1 | grep -q 'cannot drive itself'"
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
check "unprivileged connect refused, show allowed" sh -c \
	"! $nobody tsnic pin connect pa SDP2 pa SDP3 2>/dev/null && $nobody tsnic pin show pa >/dev/null"

# ---- wires follow the devices ----
netns pns
ip link set pb netns pns
check "pb left: its wire is gone" sh -c \
	"tsnic pin show pa | grep -qx 'pa SDP0: perout 0 active, drives pa SDP1 delay 5us'"
pbi=$(ip -n pns -o link show pb | cut -d: -f1)
# by pb's index, which the CLI cannot name from here: the kernel's ynl CLI
python3 "$TSNIC_SELFTESTS/../.build/ksrc/tools/net/ynl/cli.py" \
	--spec "$TSNIC_SELFTESTS/../Documentation/netlink/specs/tsnic.yaml" \
	--schema "$TSNIC_SELFTESTS/../.build/ksrc/Documentation/netlink/genetlink.yaml" --do pin-connect \
	--json "{\"ifname\": \"pa\", \"index\": 0, \"peer-ifindex\": $pbi, \"peer-index\": 1}" \
	>"$tmp/xns" 2>&1
sed 's/^/# /' "$tmp/xns" | tail -n 2
check "connect to a device of another namespace refused" grep -q "no such device" "$tmp/xns"
ip link add pc type tsnic
tsnic pin connect pc SDP0 pa SDP2
check "delete with a periodic output running and wires" ip link del pa
check "the wire from pc went with pa" sh -c "tsnic pin show pc | grep -qx 'pc SDP0: none'"
pc=$(phc_of pc)
pins setfunc "$pc" 0 2 0 >/dev/null
pins perout "$pc" 0 1000000 start=+0 >/dev/null
tsnic pin connect pc SDP0 pc SDP1
check "rmmod with a periodic output running and wires" rmmod tsnic
insmod "$TSNIC_MODULE"
finish
