#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A wired pair in two namespaces: ARP, ping, TCP and UDP, with SG/TSO/checksum
# offload on and off; counters agree on both ends.
. "$(dirname "$0")/lib.sh"
plan 38

netns tsa
netns tsb
check "create tsnica" ip link add tsnica netns tsa type tsnic
check "create tsnicb wired to tsnica" \
	ip -n tsa link add tsnicb link tsnica type tsnic
check "tsnicb shows its peer" sh -c "ip -n tsa -o link show tsnicb | grep -q 'tsnicb@tsnica'"
check "move tsnicb to another namespace" ip -n tsa link set tsnicb netns tsb
check "carrier is off while the peer is down" \
	sh -c "ip -n tsa link set tsnica up && ! ip netns exec tsa cat /sys/class/net/tsnica/carrier 2>/dev/null | grep -q 1"
ip -n tsb link set tsnicb up
check "carrier up on tsnica once both ends are up" wait_for 5 operstate_is tsnica up tsa
check "carrier up on tsnicb" wait_for 5 operstate_is tsnicb up tsb
ip -n tsa addr add 192.168.77.1/24 dev tsnica
ip -n tsb addr add 192.168.77.2/24 dev tsnicb
ip -n tsa addr add fd77::1/64 dev tsnica nodad
ip -n tsb addr add fd77::2/64 dev tsnicb nodad

check "ping across the cable" ip netns exec tsa ping -c 3 -i 0.2 -W 5 192.168.77.2
check "ping6 across the cable" ip netns exec tsa ping -6 -c 2 -i 0.2 -W 5 fd77::2
check "ARP resolved the peer's MAC" sh -c "ip -n tsa neigh show 192.168.77.2 | grep -q \
	$(ip netns exec tsb cat /sys/class/net/tsnicb/address)"

data=$(mktemp)
head -c 4000000 /dev/urandom >"$data"
want=$(sha256sum <"$data" | cut -d' ' -f1)

# tcp_transfer ADDR [6]: send $data from tsa to tsb over TCP, print its sha256
# (5 minutes at most: the lossy case on the debug kernel is slow)
tcp_transfer() {
	local out
	out=$(mktemp)
	ip netns exec tsb timeout 300 socat -u TCP${2:-}-LISTEN:5001,reuseaddr OPEN:"$out",creat,trunc &
	local l=$!
	sleep 0.5
	ip netns exec tsa timeout 300 socat -u OPEN:"$data" TCP:"$1":5001,retry=20
	wait $l
	sha256sum <"$out" | cut -d' ' -f1
	rm -f "$out"
}

# udp_count: send 200 datagrams tsa -> tsb, print how many arrived intact
# and how many corrupted.  UDP may lose a datagram in a starved host's
# stack (the driver's own accounting is checked exactly below); it must
# never deliver a damaged one.
udp_count() {
	rm -f /tmp/udp_ready /tmp/udp_count
	ip netns exec tsb timeout 60 python3 - <<'EOF' &
import socket, hashlib
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# a receiver slowed by a busy host must not lose datagrams to its own buffer
SO_RCVBUFFORCE = 33  # not exported by Python's socket module
s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
s.bind(("192.168.77.2", 5002))
open("/tmp/udp_ready", "w").close()
# the sender may take long to start on a busy host; then 5 s of silence ends it
s.settimeout(60)
n = bad = 0
try:
    while True:
        d = s.recv(65535)
        s.settimeout(5)
        if d[32:] and hashlib.sha256(d[32:]).digest() == d[:32]:
            n += 1
        else:
            bad += 1
except socket.timeout:
    pass
open("/tmp/udp_count", "w").write("%d %d" % (n, bad))
EOF
	local r=$!
	wait_for 30 test -e /tmp/udp_ready
	ip netns exec tsa python3 - <<'EOF'
import socket, hashlib, os, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(200):
    p = os.urandom(100 + (i * 97) % 8000)
    s.sendto(hashlib.sha256(p).digest() + p, ("192.168.77.2", 5002))
    if i % 20 == 0:
        time.sleep(0.01)
EOF
	wait $r
	cat /tmp/udp_count
}

check_eq "TCP bulk transfer, offloads on: data intact" "$want" "$(tcp_transfer 192.168.77.2)"
check_eq "TCP over IPv6, offloads on: data intact" "$want" "$(tcp_transfer '[fd77::2]' 6)"
read -r n bad < <(udp_count)
check_ge "UDP datagrams (up to 8 KB, fragmented) arrive intact" "$n" 190
check_eq "no UDP datagram arrives damaged" 0 "$bad"
# Loss on the cable, TSO off: every TCP frame on the wire is a clone of a
# segment the sender keeps for retransmission, its data in page frags.
# The receiver's GRO coalesces those frags while SACK and retransmission
# walk the sender's queue: the receiver must not touch the sender's copy.
ip netns exec tsa ethtool -K tsnica tso off gso off
tsnic -n tsa fault set tsnica seed 7 cable-drop-ppm 20000
check_eq "TCP without TSO through a lossy cable (2 %): data intact" "$want" \
	"$(tcp_transfer 192.168.77.2)"
cable_drops=$(counter tsnica fault_cable_drop_fired tsa)
check_ge "the cable dropped frames" "$cable_drops" 1
tsnic -n tsa fault set tsnica cable-drop-ppm 0
ip netns exec tsa ethtool -K tsnica tso on gso on
tso=$(counter tsnica tx_queue_0_descs tsa)
frames=$(counter tsnica tx_queue_0_frames tsa)
pk=$(counter tsnica tx_queue_0_packets tsa)
check_ge "TSO: more packets on the wire than frames queued" "$pk" "$((frames + 1))"
check_ge "SG: more descriptors than frames" "$tso" "$((frames + 1))"

check "offloads off (tx csum, sg, tso, gso)" \
	ip netns exec tsa ethtool -K tsnica tx off sg off tso off gso off
check "ethtool -k shows tso off" sh -c "ip netns exec tsa ethtool -k tsnica | grep -q 'tcp-segmentation-offload: off'"
check_eq "TCP bulk transfer, offloads off: data intact" "$want" "$(tcp_transfer 192.168.77.2)"
read -r n bad < <(udp_count)
check_ge "UDP, offloads off: datagrams arrive intact" "$n" 190
check_eq "UDP, offloads off: none damaged" 0 "$bad"
check "rx checksum offload off on the receiver" ip netns exec tsb ethtool -K tsnicb rx off
check_eq "TCP, receiver verifying checksums itself" "$want" "$(tcp_transfer 192.168.77.2)"
check "offloads back on" ip netns exec tsa ethtool -K tsnica tx on sg on tso on gso on

# Every frame queued was completed; what one end sent, the other received.
check "tsnica: frames queued = completed + flushed" wait_for 5 queue_balanced tsnica 0 tsa
wire_balanced() {
	local txp rxp rxd
	txp=$(ip netns exec tsa cat /sys/class/net/tsnica/statistics/tx_packets)
	rxp=$(ip netns exec tsb cat /sys/class/net/tsnicb/statistics/rx_packets)
	rxd=$(ip netns exec tsb cat /sys/class/net/tsnicb/statistics/rx_dropped)
	[ "$txp" -eq $((rxp + rxd + cable_drops)) ] ||
		{ echo "tx $txp rx $rxp dropped $rxd lost on the cable $cable_drops"; return 1; }
}
check "tx_packets(tsnica) = rx_packets + rx_dropped(tsnicb) + cable drops" wait_for 5 wire_balanced

# Completion lateness: the histograms of tsnica's queue 0 count what ran
lat=/proc/net/tsnic/tsnica/tx-0/lateness
late_sum() {	# late_sum COLUMN [FROM]: timer (2) or napi (3), buckets FROM..
	ip netns exec tsa awk -v c="$1" -v f="${2:-0}" \
		'NR > 1 + f { s += $c } END { print s + 0 }' "$lat"
}
unpriv_late() {
	local out

	out=$(ip netns exec tsa setpriv --reuid=65534 --clear-groups \
		--inh-caps=-all cat "$lat") || return 1
	[ "$(echo "$out" | head -n 1)" = "late_us timer napi" ] &&
		[ "$(echo "$out" | wc -l)" -eq 17 ] &&
		echo "$out" | tail -n 1 | grep -q '^>=16384 '
}
check "lateness: 16 buckets, readable unprivileged" unpriv_late
timer=$(late_sum 2)
napi=$(late_sum 3)
echo "# lateness of tsnica's queue 0: timer $timer events, napi $napi polls"
check_ge "lateness: the engine timer's events were counted" "$timer" 1
check_ge "lateness: the polls it scheduled too, one at most each" \
	"$(counter tsnica tx_queue_0_napi_polls tsa)" "$napi"
late_agree() {	# ethtool's summaries = the buckets from 1.024 ms
	[ "$(counter tsnica tx_queue_0_timer_late_1ms tsa)" = "$(late_sum 2 11)" ] &&
		[ "$(counter tsnica tx_queue_0_napi_late_1ms tsa)" = "$(late_sum 3 11)" ]
}
check "lateness: ethtool -S late_1ms = the buckets from 1.024 ms" wait_for 5 late_agree
# no moderation delay and no line rate: the engine never arms its timer,
# every interrupt comes from xmit and its poll is measured
ip netns exec tsa ethtool -C tsnica adaptive-tx off tx-usecs 0
wait_for 5 queue_balanced tsnica 0 tsa
timer=$(late_sum 2)
napi=$(late_sum 3)
ip netns exec tsa ping -c 3 -i 0.2 -W 5 192.168.77.2 >/dev/null
check_eq "lateness: tx-usecs 0: no timer event" "$timer" "$(late_sum 2)"
check_ge "lateness: tx-usecs 0: polls scheduled from xmit were" "$(late_sum 3)" $((napi + 1))
ip netns exec tsa ethtool -C tsnica adaptive-tx on tx-usecs 10
check_eq "no sink frames on a wired device" 0 "$(counter tsnica tx_queue_0_sink tsa)"

check "deleting one end unplugs the other" ip -n tsb link del tsnicb
check "the survivor becomes unwired (iflink = own index)" sh -c \
	"ip -n tsa -o link show tsnica | grep -q 'tsnica:'"
# no one answers any more: ARP requests go to the sink
ip netns exec tsa ping -c 2 -i 0.2 -W 1 192.168.77.2 >/dev/null 2>&1
check_ge "sink counted" "$(counter tsnica tx_queue_0_sink tsa)" 1
rm -f "$data"
finish
