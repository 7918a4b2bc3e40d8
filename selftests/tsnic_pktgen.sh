#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# pktgen drives ndo_start_xmit directly at unlimited rate: every frame is
# completed, into the sink (unwired) or into the peer (wired); and the
# engine's interrupt moderation, by its counts.
. "$(dirname "$0")/lib.sh"
plan 26

modprobe pktgen || { fail "modprobe pktgen"; finish; }
pg=/proc/net/pktgen
pgset() { echo "$2" >"$pg/$1"; }

# pktgen_run DEV COUNT: COUNT frames from DEV; returns once they are sent
pktgen_run() {
	sh "$TSNIC_SELFTESTS/pktgen_clear.sh"
	pgset kpktgend_0 "add_device $1"
	pgset "$1" "count $2"
	pgset "$1" "pkt_size 60"
	pgset "$1" "delay 0"
	pgset "$1" "dst_mac 02:00:00:00:00:02"
	pgset "$1" "dst 192.168.79.2"
	local rc=0
	sh "$TSNIC_SELFTESTS/pktgen_start.sh" || rc=1
	sh "$TSNIC_SELFTESTS/pktgen_clear.sh"
	return $rc
}

ip link add pg0 type tsnic
no_ipv6 pg0
ip link set pg0 up
wait_for 5 operstate_is pg0 up
check "pktgen 20000 frames into an unwired device" pktgen_run pg0 20000
# pktgen returns once the last frame is on the ring: completions follow
check_eq_soon "all 20000 completed" 20000 10 counter pg0 tx_queue_0_completions
check_eq "all 20000 queued" 20000 "$(counter pg0 tx_queue_0_frames)"
check_eq "all 20000 went to the sink" 20000 "$(counter pg0 tx_queue_0_sink)"

ip link add pg1 link pg0 type tsnic
no_ipv6 pg1
ip link set pg1 up
wait_for 5 operstate_is pg1 up
s0=$(counter pg0 tx_queue_0_completions)
check "pktgen 20000 frames over the cable" pktgen_run pg0 20000
completed() { echo $(($(counter pg0 tx_queue_0_completions) - s0)); }
check_eq_soon "all completed" 20000 10 completed
# peer_seen_n N: pg1 received or dropped at least N frames in all (the
# peer's RX NAPI may still be delivering the last of them)
peer_seen_n() {
	[ $(($(cat /sys/class/net/pg1/statistics/rx_packets) +
	     $(cat /sys/class/net/pg1/statistics/rx_dropped))) -ge "$1" ]
}
check "the peer received or counted every frame" wait_for 10 peer_seen_n 20000

# ---- interrupt moderation ----------------------------------------------
#
# pktgen rings the doorbell once per frame (no xmit_more), on an unwired
# device at unlimited rate: each frame is written back at its doorbell.
# Counts, not times: how many interrupts (irqs) the engine raised for N
# frames, each setting's bound holding however slow the guest is.
ip link add pm0 type tsnic
no_ipv6 pm0
ip link set pm0 up
wait_for 5 operstate_is pm0 up
irqs0=0 done0=0
mark() { irqs0=$(counter pm0 tx_queue_0_irqs); done0=$(counter pm0 tx_queue_0_completions); }
irqs() { echo $(($(counter pm0 tx_queue_0_irqs) - irqs0)); }
done_() { echo $(($(counter pm0 tx_queue_0_completions) - done0)); }
ring_key() { awk -v k="$1" '$1 == k { print $2 }' /proc/net/tsnic/pm0/tx-0/ring; }

# no moderation: an interrupt per engine run, that is per frame
ethtool -C pm0 adaptive-tx off tx-usecs 0 tx-frames 0
mark
pktgen_run pm0 2000
check_eq_soon "tx-usecs 0: all 2000 completed" 2000 10 done_
check_eq "tx-usecs 0: an interrupt per frame" 2000 "$(irqs)"

# the frame count: an interrupt at every 8th frame, none later than that;
# a batch the 10 ms delay ends early (a guest stalled that long between
# two frames) only adds one, so most batches are whole
ethtool -C pm0 tx-usecs 10000 tx-frames 8
mark
pktgen_run pm0 2000
check_eq_soon "tx-frames 8: all 2000 completed" 2000 10 done_
n=$(irqs)
check_ge "tx-frames 8: no batch over 8 frames" "$n" 250
check "tx-frames 8: batches of 8 (got $n interrupts for 250 batches)" [ "$n" -le 312 ]

# the delay alone: the last batch is reported by the moderation timer only
# (nothing rings after pktgen stops), and far fewer interrupts than frames
ethtool -C pm0 tx-usecs 5000 tx-frames 0
mark
pktgen_run pm0 2000
check_eq_soon "tx-usecs 5000: all 2000 completed, the last by the timer" 2000 10 done_
n=$(irqs)
check "tx-usecs 5000: frames coalesced ($n interrupts for 2000 frames)" \
	sh -c "[ '$n' -ge 1 ] && [ '$n' -le 1000 ]"

# ---- the doorbell's latch without a clock read -------------------------
#
# A doorbell that finds a batch open latches its frame at the engine's last
# run (nobody can time it): every doorbell but a batch's first, and a batch
# ends with its interrupt, so lazy_latches = doorbells - irqs exactly.
# Whatever could time the frames makes every doorbell read the clock: a
# line rate, a peer whose RX filter stamps frames.
# latched DEV: "doorbells irqs lazy_latches" of DEV's queue 0
latched() {
	echo "$(counter "$1" tx_queue_0_doorbells) $(counter "$1" tx_queue_0_irqs)" \
	     "$(counter "$1" tx_queue_0_lazy_latches)"
}
# lazy_run DEV: pktgen 2000 frames; "doorbells irqs lazy_latches" deltas
lazy_run() {
	local a b c d e f
	read -r a b c <<<"$(latched "$1")"
	pktgen_run "$1" 2000
	wait_for 10 completed_all "$1" "$(($(counter "$1" tx_queue_0_frames)))"
	read -r d e f <<<"$(latched "$1")"
	echo "$((d - a)) $((e - b)) $((f - c))"
}
completed_all() { [ "$(counter "$1" tx_queue_0_completions)" -ge "$2" ]; }
read -r db ir lz <<<"$(lazy_run pm0)"
check_eq "tx-usecs 5000: 2000 doorbells" 2000 "$db"
check_eq "tx-usecs 5000: all but a batch's first doorbell latched without a clock read ($ir batches)" \
	"$((db - ir))" "$lz"
tsnic dev set pm0 rate 10gbit
read -r db ir lz <<<"$(lazy_run pm0)"
check_eq "at a line rate: every doorbell reads the clock" 0 "$lz"
tsnic dev set pm0 rate 0

ethtool -C pg0 adaptive-tx off tx-usecs 5000 tx-frames 0
read -r db ir lz <<<"$(lazy_run pg0)"
check_eq "wired, the peer stamps nothing: doorbells latched as unwired" "$((db - ir))" "$lz"
hwstamp_ctl -i pg1 -r 1 >/dev/null
read -r db ir lz <<<"$(lazy_run pg0)"
check_eq "wired, the peer's RX filter all: every doorbell reads the clock" 0 "$lz"
hwstamp_ctl -i pg1 -r 0 >/dev/null
check "the peer received or counted every frame" wait_for 10 peer_seen_n 24000

# ---- the cable keeps the order ------------------------------------------
#
# A TX poll hands its frames to the peer's RX FIFO as one batch.  With a
# 1 s cable, the batches of many polls (an interrupt every 8 frames) wait
# in pg1's FIFO together: each must go behind the frames already there,
# so that pg1 receives pktgen's sequence numbers one after the other.
ethtool -C pg0 tx-usecs 10000 tx-frames 8
tsnic dev set pg0 delay 1s
seqready=$(mktemp -u)
python3 "$TSNIC_SELFTESTS/pktgen_seq.py" pg1 200 60 "$seqready" >"$seqready.out" 2>&1 &
seqpid=$!
wait_for 30 test -e "$seqready"
irqs0=$(counter pg0 tx_queue_0_irqs)
pktgen_run pg0 200
n=$(($(counter pg0 tx_queue_0_irqs) - irqs0))
check_ge "a 1 s cable: 200 frames in batches of at most 8 ($n interrupts)" "$n" 25
wait "$seqpid"
check_eq "pg1 received the 200 in the order they were sent" "200 in order" \
	"$(cat "$seqready.out")"
rm -f "$seqready" "$seqready.out"
tsnic dev set pg0 delay 0

# adaptive (DIM): the queue runs with one of its five profiles, and the
# device's own settings again once it is off
ethtool -C pm0 adaptive-tx on
check "adaptive-tx on: ethtool -c says so" sh -c "ethtool -c pm0 | grep -Eq '^Adaptive RX: .*TX: *on'"
mark
pktgen_run pm0 20000
check_eq_soon "adaptive-tx: all 20000 completed" 20000 10 done_
prof="$(ring_key adaptive_tx) $(ring_key tx_usecs) $(ring_key tx_frames)"
case $prof in
"1 2 128" | "1 8 128" | "1 40 128" | "1 128 128" | "1 256 128") ok "adaptive-tx: a DIM profile ($prof)" ;;
*) fail "adaptive-tx: a DIM profile"; echo "# adaptive_tx tx_usecs tx_frames: $prof" ;;
esac
ethtool -C pm0 adaptive-tx off
check_eq "adaptive-tx off: the device's tx-usecs 5000 tx-frames 0" "0 5000 0" \
	"$(ring_key adaptive_tx) $(ring_key tx_usecs) $(ring_key tx_frames)"
finish
