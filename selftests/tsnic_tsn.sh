#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TSN offloads through tc: mqprio hw 1 (traffic classes on queue ranges),
# ETF offload (the engine honours SO_TXTIME launch times: the hardware TX
# stamp is the launch time plus one wire time; late frames go at once and
# are counted; launch times beyond the horizon are clamped), CBS offload
# (the engine shapes a saturated queue to idleslope), taprio full offload
# (every departure inside its class's gate window, guard band included;
# frames too long for every window dropped and counted, in ethtool -S and
# in taprio's offload statistics; ETF under taprio; a PHC step: the
# windows follow the PHC; a device deleted while its gates hold frames).
# Every time asserted is a model time the engine computed (PHC stamps of
# departures), never a wall-clock measurement.
. "$(dirname "$0")/lib.sh"
plan 63

tsn() { python3 "$TSNIC_SELFTESTS/tsn.py" "$@"; }

# refused MESSAGE COMMAND...: COMMAND fails, and says MESSAGE through the
# extack (tc prints it) or, where the kernel's request has no extack, in
# the kernel log
refused() {
	local msg=$1 out
	shift
	dmesg -C
	if out=$("$@" 2>&1); then
		echo "accepted: $out"
		return 1
	fi
	echo "$out" | grep -qF -- "$msg" || dmesg | grep -qF -- "$msg" || {
		echo "refused without '$msg': $out"
		return 1
	}
}

rmmod tsnic
check "load: ideal oscillator, 64 stamp slots, 5 s slot timeout" \
	insmod "$TSNIC_MODULE" freq_random_ppb=0 ts_slots=64 ts_timeout_ms=5000
ip link add tsn0 numtxqueues 4 numrxqueues 4 type tsnic
no_ipv6 tsn0
tsnic dev set tsn0 rate 100mbit
ip link set tsn0 up
ptp=/dev/ptp$(ethtool -T tsn0 | awk '/PTP Hardware Clock:/ { print $4 }')

# ---- mqprio -----------------------------------------------------------------
map=(0 1 2 0 0 0 0 0 0 0 0 0 0 0 0 0)
mqprio() {
	tc qdisc replace dev tsn0 parent root handle 100 mqprio num_tc 3 \
		map "${map[@]}" queues "$@" hw 1
}
check "mqprio: overlapping queue ranges refused" \
	refused "queue ranges of traffic classes overlap" mqprio 1@0 2@1 1@2
check "mqprio: a range beyond the TX queues refused" \
	refused "queue range beyond the TX queues in use" mqprio 1@0 1@1 2@3
check "mqprio: rate limits refused" refused "rate limits are not offloaded" \
	tc qdisc replace dev tsn0 parent root handle 100 mqprio num_tc 3 \
	map "${map[@]}" queues 1@0 1@1 2@2 hw 1 mode channel shaper bw_rlimit \
	max_rate 1Mbit 1Mbit 1Mbit
check "mqprio 1@0 1@1 2@2 hw 1 accepted" mqprio 1@0 1@1 2@2
check_eq "the mapping applied: TX queue 3 in traffic class 2" 2 \
	"$(cat /sys/class/net/tsn0/queues/tx-3/traffic_class)"
check "ethtool -L refused while mqprio maps queues" \
	refused "delete the qdisc first" ethtool -L tsn0 tx 2

# ---- ETF --------------------------------------------------------------------
# Launch times are CLOCK_TAI, read against the PHC: put the PHC on TAI.
# Frames of 114 bytes at 100 Mbit/s: (114 + 24) * 8 bits, 11040 ns.
wire=11040
# The engine holds frames until their launch time, so their completions
# come late: BQL must let the ETF qdisc hand over a delta's worth of them,
# or it holds them back until their launch time has passed and drops them.
# BQL applies a new minimum limit from the queue's next completion.
echo 100000 >/sys/class/net/tsn0/queues/tx-1/byte_queue_limits/limit_min
tsn burst tsn0 1 114 1 >/dev/null
check "etf offload accepted on queue 1" \
	tc qdisc replace dev tsn0 parent 100:2 etf clockid CLOCK_TAI \
	delta 200000000 offload
check "/proc: queue 1 honours launch times" grep -qx 'etf 1' /proc/net/tsnic/tsn0/tx-1/ring
check "PHC set to CLOCK_TAI" tsn settai "$ptp"

# six frames 1 ms apart, then a seventh at the sixth's launch time (late)
out=$(tsn send tsn0 1 114 400 0 1000000 2000000 3000000 4000000 5000000 5000000)
echo "$out" | sed 's/^/# launch stamp: /'
check_eq "every frame stamped" 7 "$(echo "$out" | awk '$2 != "-"' | wc -l)"
# stamp - launch of each frame, and the last frame's stamp - the one
# before (64-bit integers: awk's doubles would round them)
deltas() {
	local launch stamp prev=0
	while read -r launch stamp; do
		[[ $stamp != [0-9]* ]] && { echo -; continue; }
		echo "$((stamp - launch)) $((stamp - prev))"
		prev=$stamp
	done <<<"$1"
}
d=$(deltas "$out")
check "on-time frames: stamp = launch + one wire time" \
	test "$(echo "$d" | head -n 6 | awk -v w=$wire '$1 >= w && $1 <= w + 1' | wc -l)" = 6
check_eq "a frame launched with the previous one leaves one wire time after it" \
	"$wire" "$(echo "$d" | sed -n '7s/.* //p')"
check_eq "ethtool -S: 7 frames with a launch time" 7 "$(counter tsn0 tx_queue_1_launch)"
check_eq "ethtool -S: 1 late" 1 "$(counter tsn0 tx_queue_1_launch_late)"
check "/proc: launch_late 1" grep -qx 'launch_late 1' /proc/net/tsnic/tsn0/tx-1/ring

# PHC 10 s ahead of TAI: the launch times are past, the frames go at once
tsn settai "$ptp" 10
out=$(tsn send tsn0 1 114 400 0 1000000)
echo "$out" | sed 's/^/# launch stamp: /'
check_eq "late frames are sent, stamped 9.8 s after their launch times" 2 \
	"$(deltas "$out" | awk '$1 != "-" && $1 > 9000000000' | wc -l)"
check_eq "ethtool -S: 3 late" 3 "$(counter tsn0 tx_queue_1_launch_late)"

# PHC 10 s behind TAI: beyond the 1 s horizon, clamped to it
tsn settai "$ptp" -10
out=$(tsn send tsn0 1 114 400 0)
echo "$out" | sed 's/^/# launch stamp: /'
check_eq "a launch time beyond the horizon: sent at the horizon, 9.2 s before it" 1 \
	"$(deltas "$out" | awk '$1 != "-" && $1 < -8000000000' | wc -l)"
check_eq "ethtool -S: 1 clamped to the horizon" 1 "$(counter tsn0 tx_queue_1_launch_far)"
tsn settai "$ptp"
check "a queue without etf has no launch times" \
	grep -qx 'etf 0' /proc/net/tsnic/tsn0/tx-0/ring

# ---- CBS --------------------------------------------------------------------
cbs="cbs idleslope 200 sendslope -99800 hicredit 30 locredit -1500 offload 1"
# shellcheck disable=SC2086
check "cbs refused on the ETF queue" \
	refused "cannot be combined on one queue" tc qdisc replace dev tsn0 parent 100:2 $cbs
check "etf deleted" tc qdisc del dev tsn0 parent 100:2
check "/proc: queue 1 etf 0" grep -qx 'etf 0' /proc/net/tsnic/tsn0/tx-1/ring
# shellcheck disable=SC2086
check "cbs: sendslope >= 0 refused" refused "sendslope < 0" \
	tc qdisc replace dev tsn0 parent 100:2 cbs idleslope 200 sendslope 0 \
	hicredit 30 locredit -1500 offload 1
# shellcheck disable=SC2086
check "cbs offload accepted on queue 1" tc qdisc replace dev tsn0 parent 100:2 $cbs
check "/proc: queue 1 cbs 1" grep -qx 'cbs 1' /proc/net/tsnic/tsn0/tx-1/ring

# 25 frames of 1000 bytes at once: each (1000 + 24) * 8 = 8192 bits, so
# one every 8192 / 200 kbit/s = 40.96 ms; 24 gaps from first to last.
out=$(tsn burst tsn0 1 1000 25)
check_eq "every frame stamped" 25 "$(echo "$out" | awk '$2 != "-"' | wc -l)"
span=$(echo "$out" | awk 'NR == 1 { f = $2 } END { print $2 - f }')
want=$((24 * 8192 * 1000000 / 200))
echo "# CBS: first to last departure ${span} ns, idleslope gives ${want} ns"
check "CBS: departures at idleslope, within 1 % ($span ns)" \
	test "$(( (span - want) * 100 ))" -le "$want" -a "$(( (want - span) * 100 ))" -le "$want"
check_ge "ethtool -S: frames held for credit" "$(counter tsn0 tx_queue_1_cbs_waits)" 24
check "cbs deleted, mqprio deleted" sh -c \
	"tc qdisc del dev tsn0 parent 100:2 && tc qdisc del dev tsn0 root && grep -qx 'cbs 0' /proc/net/tsnic/tsn0/tx-1/ring"
check "ethtool -L allowed again" ethtool -L tsn0 tx 3

# ---- taprio -----------------------------------------------------------------
# At 10 Mbit/s a frame of 114 bytes is on the wire (114 + 24) * 800 =
# 110400 ns: two fit in a 300 us window, a third does not (guard band).
# One of 400 bytes (339200 ns) fits in no window of class 0.  Base time 0:
# the cycles start on the PHC's milliseconds.
wire=110400
tsnic dev set tsn0 rate 10mbit
taprio() {
	tc qdisc replace dev tsn0 parent root handle 100 taprio num_tc 3 \
		map "${map[@]}" queues 1@0 1@1 1@2 base-time 0 "$@" flags 0x2
}
sched=(sched-entry S 01 300000 sched-entry S 02 300000 sched-entry S 04 400000)
check "taprio: cycle-time-extension refused" \
	refused "cycle-time-extension is not supported" \
	taprio "${sched[@]}" cycle-time-extension 100000
check "taprio: a cycle over 1 s refused" \
	refused "the cycle time must be 1 s or less" \
	taprio sched-entry S 07 1000000 cycle-time 2000000000
check "taprio full offload accepted" taprio "${sched[@]}"
tc qdisc show dev tsn0 root | sed 's/^/# /'
check "tc qdisc show: taprio 100: with flags 0x2" sh -c \
	"tc qdisc show dev tsn0 root | tr '\n' ' ' | grep -q '^qdisc taprio 100: root .*flags 0x2'"
check "/proc: queue 2 gated as class 2" grep -qx 'gates 2' /proc/net/tsnic/tsn0/tx-2/ring

# gated OPEN CLOSE OUT: OUT's stamps (the frames' last bits) of one class,
# whose window is [OPEN, CLOSE] into each cycle: each frame starts at or
# after OPEN and ends by CLOSE
gated() {
	local open=$1 close=$2 s p bad=0
	while read -r _ s; do
		[[ $s != [0-9]* ]] && { echo "a frame without a stamp"; bad=1; continue; }
		p=$((s % 1000000))
		if ((p - wire < open || p > close)); then
			echo "stamp $s: on the wire from $((p - wire)) to $p ns into its cycle"
			bad=1
		fi
	done <<<"$3"
	return $bad
}
# five frames on each class at once: at most two per window
out=$(tsn classes tsn0 114 5 0 1 2)
echo "$out" | sed 's/^/# prio stamp: /'
for c in 0 1 2; do
	open=$((c * 300000))
	close=$((c == 2 ? 1000000 : open + 300000))
	check "class $c: 5 departures inside [$open, $close] ns of each cycle" \
		gated $open $close "$(echo "$out" | awk -v c=$c '$1 == c')"
done

# A step of the PHC (clock_settime) while the schedule runs: the windows
# are PHC times (base time + whole cycles), so they follow the step, its
# phase included.  Forward by 10.00025 s (a quarter of a cycle off), then
# back by 9.9999 s (still after the schedule's first cycle: before it the
# queues would run free): every departure still inside its class's window.
for step in 10.00025 0.00035; do
	check "PHC stepped to TAI + $step s under the schedule" tsn settai "$ptp" $step
	out=$(tsn classes tsn0 114 3 0 1 2)
	echo "$out" | sed 's/^/# prio stamp: /'
	for c in 0 1 2; do
		open=$((c * 300000))
		close=$((c == 2 ? 1000000 : open + 300000))
		check "after the step: class $c inside [$open, $close] ns of each cycle" \
			gated $open $close "$(echo "$out" | awk -v c=$c '$1 == c')"
	done
done
check "PHC back on TAI" tsn settai "$ptp"

out=$(tsn burst tsn0 0 400 1 0)
check_eq_soon "a frame too long for every window of class 0: window_drops 1" 1 10 \
	counter tsn0 tx_queue_0_window_drops
check "/proc: window_drops 1" grep -qx 'window_drops 1' /proc/net/tsnic/tsn0/tx-0/ring

# max-SDU 200 on class 2, set through rtnetlink (iproute2 6.1 cannot),
# the same schedule replacing the running one: a frame of 214 bytes (SDU
# 200) goes, one of 215 is dropped although it would fit in the window
check "taprio replaced, with max-SDU 200 on class 2" \
	tsn taprio tsn0 0,0,200 1:300000 2:300000 4:400000
out=$(tsn burst tsn0 2 214 1)
check "class 2: a frame of SDU 200 stamped" test "$(echo "$out" | cut -d' ' -f2)" != -
out=$(tsn burst tsn0 2 215 1 0)
check_eq_soon "class 2: a frame of SDU 201 dropped, window_drops 1" 1 10 \
	counter tsn0 tx_queue_2_window_drops

# taprio's offload statistics, which the kernel asks the driver for from
# 6.4 on: the device's (the root qdisc) and each queue's (its class).
# iproute2 6.1's tc -s does not print them: read through rtnetlink.
if printf '6.4\n%s\n' "$(uname -r)" | sort -VC; then
	out=$(tsn xstats tsn0 1 2 3 | paste -sd '|')
	check_eq "taprio offload stats: window_drops 2 on the root, 1 0 1 on the classes" \
		"window_drops 2 tx_overruns 0|window_drops 1 tx_overruns 0|window_drops 0 tx_overruns 0|window_drops 1 tx_overruns 0" \
		"$out"
else
	skip "taprio offload stats: the kernel has none before 6.4"
fi

# ETF under taprio: a frame departs at its launch time or, if it does not
# fit there, at the opening of the next window of class 0 where it does.
# Launch times from a cycle's start: at the opening (on time), 250 us in
# (would end after the gate closes: waits for the next opening), 100 us
# into that window (the wire is busy until 110.4 us), in the closed part
# (waits), and 150 us in (on time, ends 39.6 us before the gate closes)
echo 100000 >/sys/class/net/tsn0/queues/tx-0/byte_queue_limits/limit_min
check "etf offload under taprio, queue 0" \
	tc qdisc replace dev tsn0 parent 100:1 etf clockid CLOCK_TAI \
	delta 200000000 offload
out=$(tsn send tsn0 0 114 800:1000000 0 250000 1100000 2400000 3150000)
echo "$out" | sed 's/^/# launch stamp: /'
# the model: start = max(launch, end of the previous frame), moved to the
# next opening when the frame would not end by 300 us into the cycle
etf_gated() {
	local launch stamp t p prev=0 bad=0 waited=0
	while read -r launch stamp; do
		t=$((launch > prev ? launch : prev))
		p=$((t % 1000000))
		((p + wire > 300000)) && t=$((t - p + 1000000)) && waited=$((waited + 1))
		prev=$((t + wire))
		if [[ $stamp != [0-9]* ]] || ((stamp < prev || stamp > prev + 1)); then
			echo "launch $launch: stamp $stamp, model $prev"
			bad=1
		fi
	done <<<"$1"
	# the schedule above makes two of them wait for a window
	[ $waited = 2 ] || { echo "$waited frames waited for a window, not 2"; bad=1; }
	if ((bad)); then
		ethtool -S tsn0 | grep -E 'tx_queue_0_(launch|engine_frames|window)'
		tc -s qdisc show dev tsn0 parent 100:1
	fi
	return $bad
}
check "ETF under taprio: 5 stamps as the model says" etf_gated "$out"
check "taprio deleted: queue 2 free again" sh -c \
	"tc qdisc del dev tsn0 root && grep -qx 'gates -1' /proc/net/tsnic/tsn0/tx-2/ring"

# ---- a device deleted while its gates hold frames ---------------------------
# Class 1 is open 200 us a second: five frames queued on it once the
# schedule runs (from the PHC's next second: before it the queues run
# free) wait in the ring for the window; deleting the device frees them
# (the socket's send buffer back to empty), without a TX stamp for frames
# that never left.
# The debug kernel's kmemleak sees any skb or stamp slot left behind.
ip link add tsn1 numtxqueues 4 numrxqueues 4 type tsnic
no_ipv6 tsn1
tsnic dev set tsn1 rate 10mbit
ip link set tsn1 up
# BQL's new minimum limit applies from a completion on queue 1: one
# frame sent there under mqprio (without it, priority 1 is not queue 1)
echo 100000 >/sys/class/net/tsn1/queues/tx-1/byte_queue_limits/limit_min
tc qdisc replace dev tsn1 parent root handle 100 mqprio num_tc 3 \
	map "${map[@]}" queues 1@0 1@1 1@2 hw 1
tsn burst tsn1 1 114 1 >/dev/null
tc qdisc del dev tsn1 root
check "tsn1: taprio with class 1 open 200 us a second" \
	tc qdisc replace dev tsn1 parent root handle 100 taprio num_tc 3 \
	map "${map[@]}" queues 1@0 1@1 1@2 base-time 0 \
	sched-entry S 01 999800000 sched-entry S 02 200000 flags 0x2
ptp1=/dev/ptp$(ethtool -T tsn1 | awk '/PTP Hardware Clock:/ { print $4 }')
out=$(tsn hold tsn1 1 114 5 "$ptp1")
echo "$out" | sed 's/^/# /'
check "5 frames waiting in the ring for the window" sh -c "echo '$out' | grep -qx 'in_ring 5'"
check "tsn1 deleted" sh -c '! ip link show tsn1 2>/dev/null'
check "every frame freed: the socket's send buffer empty" \
	sh -c "echo '$out' | grep -qx 'freed 0'"
check "no TX stamp for frames that never left" sh -c "echo '$out' | grep -qx 'stamps 0'"

finish
