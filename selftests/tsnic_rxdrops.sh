#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The receiver's drop counters, each provoked an exact number of times on a
# one-queue wired pair: frames longer than the receiver's MTU (length), a
# burst larger than its RX FIFO while the cable holds every frame back
# (full), frames on the cable when the receiver goes down (down), and
# frames the cable corrupts, which RX NAPI drops for their FCS (crc).
# Each count must agree in ethtool -S, ip -s link (rtnl_link_stats64),
# /proc/net/tsnic, the netlink STATS_GET and, on kernels that have it, the
# netdev family's qstats-get.
. "$(dirname "$0")/lib.sh"
plan 23

modprobe pktgen || { fail "modprobe pktgen"; finish; }
pg=/proc/net/pktgen

netns ra
netns rb
# no address and no IPv6: only pktgen's frames cross the cable
check "the pair is up" wired_pair -6 ra r0 rb r1 - numtxqueues 1 numrxqueues 1
mac1=$(ip netns exec rb cat /sys/class/net/r1/address)
# frames held in r0's stalled engine must not stop its queue (BQL would,
# and pktgen would wait for it): a floor, applied at the next completion
ip netns exec ra sh -c \
	"echo 1000000 >/sys/class/net/r0/queues/tx-0/byte_queue_limits/limit_min"

# send COUNT SIZE: pktgen COUNT frames of SIZE bytes from r0 to r1
send() {
	ip netns exec ra timeout 120 sh -c "
		sh $TSNIC_SELFTESTS/pktgen_clear.sh
		echo 'add_device r0' >$pg/kpktgend_0
		for c in 'count $1' 'pkt_size $2' 'delay 0' 'dst_mac $mac1' 'dst 10.79.0.2'; do
			echo \"\$c\" >$pg/r0
		done
		sh $TSNIC_SELFTESTS/pktgen_start.sh; r=\$?
		sh $TSNIC_SELFTESTS/pktgen_clear.sh
		exit \$r"
}

# held_send COUNT SIZE: as send, the frames held in r0's stalled engine
# until all COUNT are there, then released: they leave at one instant (no
# line rate) and reach the cable together, however slowly pktgen went.
# pktgen's run ends once the driver freed its last frame: after the release.
r0_frames_ge() {
	[ "$(counter r0 tx_queue_0_frames ra)" -ge "$1" ]
}
held_send() {
	local f0 pid held rc

	f0=$(counter r0 tx_queue_0_frames ra)
	tsnic -n ra fault set r0 stalled-queues 1 || return 1
	send "$1" "$2" &
	pid=$!
	wait_for 60 r0_frames_ge $((f0 + $1)) >/dev/null
	held=$?
	tsnic -n ra fault set r0 stalled-queues 0
	wait $pid
	rc=$?
	[ $held -eq 0 ] && [ $rc -eq 0 ]
}
sent=0

# qstats-get through the kernel's own ynl CLI, where the kernel has it
ynl=$TSNIC_SELFTESTS/../.build/ksrc/tools/net/ynl/cli.py
spec=$TSNIC_SELFTESTS/../.build/ksrc/Documentation/netlink/specs/netdev.yaml
qstats=0
# the CLI and spec come with the build: missing, they fail; only a kernel
# without qstats-get (6.1) is a skip
if ! [ -r "$ynl" ] || ! [ -r "$spec" ]; then
	fail "the kernel's ynl CLI and netdev spec are extracted"
elif python3 "$ynl" --spec "$spec" --no-schema --dump qstats-get >/dev/null 2>&1; then
	qstats=1
	ok "qstats-get: kernel $(uname -r)'s netdev family has it"
else
	skip "qstats-get: kernel $(uname -r)'s netdev family has none"
fi
rb_ifindex=$(ip netns exec rb cat /sys/class/net/r1/ifindex)

# the drop counters of r1's queue 0 in every interface, as
# "NAME=VALUE ..." on one line, compared with want below
drops_ethtool() {
	local s
	s=$(ip netns exec rb ethtool -S r1)
	echo "ethtool full=$(awk '$1 == "rx_queue_0_drops_full:" { print $2 }' <<<"$s")" \
		"down=$(awk '$1 == "rx_queue_0_drops_down:" { print $2 }' <<<"$s")" \
		"length=$(awk '$1 == "rx_queue_0_drops_length:" { print $2 }' <<<"$s")" \
		"crc=$(awk '$1 == "rx_queue_0_crc_errors:" { print $2 }' <<<"$s")"
}
drops() {
	local p
	drops_ethtool
	p=$(ip netns exec rb cat /proc/net/tsnic/r1/rx-0/ring)
	echo "proc full=$(awk '$1 == "drops_full" { print $2 }' <<<"$p")" \
		"down=$(awk '$1 == "drops_down" { print $2 }' <<<"$p")" \
		"length=$(awk '$1 == "drops_length" { print $2 }' <<<"$p")"
	tsnic -n rb -j stats show r1 | jq -r '.[0].stats |
		"netlink full=\(.rx_drops_full) down=\(.rx_drops_down) length=\(.rx_drops_length) crc=\(.rx_crc_errors)"'
	ip -n rb -j -s -s link show r1 | jq -r '.[0].stats64.rx |
		"link fifo=\(.fifo_errors) dropped=\(.dropped) length=\(.length_errors) crc=\(.crc_errors) errors=\(.errors)"'
	[ $qstats = 1 ] || return 0
	# device scope: the queue scope lists nothing while r1 is down
	ip netns exec rb python3 "$ynl" --spec "$spec" --no-schema --output-json \
		--dump qstats-get --json "{\"ifindex\": $rb_ifindex}" |
		jq -r '.[0] | "qstats hw-drops=\(.["rx-hw-drops"]) overruns=\(.["rx-hw-drop-overruns"])"'
}

# want FULL DOWN LENGTH CRC: every interface shows these counts (/proc's
# RX ring file has no CRC count); ip -s link shows fifo_errors = FULL,
# dropped = FULL + DOWN, length_errors = LENGTH, crc_errors = CRC, errors =
# LENGTH + CRC; qstats-get (r1's one queue, device scope) rx-hw-drops = all
# four, rx-hw-drop-overruns = FULL
want() {
	local got exp
	got=$(drops)
	exp="ethtool full=$1 down=$2 length=$3 crc=$4
proc full=$1 down=$2 length=$3
netlink full=$1 down=$2 length=$3 crc=$4
link fifo=$1 dropped=$(($1 + $2)) length=$3 crc=$4 errors=$(($3 + $4))"
	[ $qstats = 1 ] && exp="$exp
qstats hw-drops=$(($1 + $2 + $3 + $4)) overruns=$1"
	[ "$got" = "$exp" ] || { echo "# got:"; sed 's/^/#   /' <<<"$got"; return 1; }
}

# settled FULL DOWN LENGTH CRC: want, once ethtool -S shows the counts
# (polled: the frames may still be on their way).  Every interface reads
# the same per-queue counters, so one comparison of them all is enough
# once they settled, and the poll costs no python3 start-up per round.
settled() {
	local i exp="ethtool full=$1 down=$2 length=$3 crc=$4"
	for ((i = 0; i < 50; i++)); do
		[ "$(drops_ethtool)" = "$exp" ] && break
		sleep 0.1
	done
	want "$@"
}

check "no drops at first" want 0 0 0 0

# ---- length: r1's MTU 1000, frames of 1400 bytes -------------------------
ip -n rb link set r1 mtu 1000
check "10 frames of 1400 bytes sent" send 10 1400
sent=$((sent + 10))
check "too long for r1: 10 length drops, counted as errors" settled 0 0 10 0
check_eq "none reached r1's stack" 0 "$(ip netns exec rb cat /sys/class/net/r1/statistics/rx_packets)"
ip -n rb link set r1 mtu 1500

# ---- full: the cable holds every frame 2 s, r1's FIFO has 64 places ------
ip netns exec rb ethtool -G r1 rx 64
check "r1 back up after the resize" wait_for 5 operstate_is r1 up rb
check "the cable is 1 s long" tsnic -n ra dev set r0 delay 1s
check "and delays every frame by 1 s more" \
	tsnic -n ra fault set r0 cable-delay-every 1 cable-delay 1s cable-jitter 0
check "a burst of 100 frames sent at one instant" held_send 100 60
sent=$((sent + 100))
check "the FIFO kept 64: 36 full drops" settled 36 0 10 0
check "the 64 arrive when the cable lets them" \
	wait_for 10 sh -c "[ \$(ip netns exec rb cat /sys/class/net/r1/statistics/rx_packets) -eq 64 ]"

# ---- down: 20 frames on the cable when r1 goes down -----------------------
# The 20 leave r0 together and are seen waiting in r1's FIFO before r1 goes
# down.  Those the cable let through before r1 was down were received
# (none, unless the guest stood still for the 2 s they spend on the cable:
# the longest a cable holds a frame); the others were dropped as down.  A
# round that lost them all to such a stall is made again, at most 3.
fifo_holds() {
	[ "$(ip netns exec rb awk '$1 == "queued" { print $2 }' \
		/proc/net/tsnic/r1/rx-0/ring)" = "$1" ]
}
down=0
rounds=0
rx=$(ip netns exec rb cat /sys/class/net/r1/statistics/rx_packets)
sendok=1
while [ $rounds -lt 3 ]; do
	rounds=$((rounds + 1))
	held_send 20 60 || sendok=0
	sent=$((sent + 20))
	seen=1
	wait_for 10 fifo_holds 20 >/dev/null || seen=0
	ip -n rb link set r1 down
	rx1=$(ip netns exec rb cat /sys/class/net/r1/statistics/rx_packets)
	echo "# round $rounds: $((rx1 - rx)) of the 20 received before r1 went down"
	down=$((down + 20 - (rx1 - rx)))
	rx=$rx1
	[ $down -ge 1 ] && break
	ip -n rb link set r1 up
	wait_for 5 operstate_is r1 up rb >/dev/null
done
check_eq "20 frames sent in each round ($rounds)" 1 "$sendok"
check_eq "and, in the last round, seen waiting in r1's FIFO" 1 "$seen"
check_ge "frames were on the cable when r1 went down" "$down" 1
check "the rest in its FIFO: $down down drops" settled 36 $down 10 0
tsnic -n ra fault set r0 cable-delay-every 0
tsnic -n ra dev set r0 delay 0

# The counters live as long as the device: up again, they are kept.
ip -n rb link set r1 up
check "r1 up again: the counts are kept" want 36 $down 10 0
check "r1 is up" wait_for 5 operstate_is r1 up rb

# ---- crc: the cable corrupts every frame; RX NAPI drops them -------------
rx=$(ip netns exec rb cat /sys/class/net/r1/statistics/rx_packets)
check "the cable corrupts every frame" tsnic -n ra fault set r0 cable-corrupt-every 1
check "15 frames sent" send 15 60
sent=$((sent + 15))
check "15 bad FCS, counted as errors and hardware drops" settled 36 $down 10 15
check_eq "none reached r1's stack" "$rx" "$(ip netns exec rb cat /sys/class/net/r1/statistics/rx_packets)"
tsnic -n ra fault set r0 cable-corrupt-every 0
check_eq_soon "every frame r0 sent completed" $sent 10 counter r0 tx_queue_0_completions ra
finish
