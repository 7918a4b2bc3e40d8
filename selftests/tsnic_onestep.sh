#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One-step Sync, and what timestamping personalities do (their hwtstamp
# configuration is tsnic_tspers.sh's): which frames the ptp-v2-l4 and
# ptp-v2-l2 personalities give an RX stamp; a one-step Sync's bytes as
# the peer receives them (originTimestamp the sender's PHC at
# departure, UDP checksums right over IPv4 and IPv6, with and without
# checksum offload) and as a tap on the sender saw them (untouched); then
# ptp4l: a one-step master (twoStepFlag 0) locks its slave, and ptp4l on
# the ptp-v2-l4 and ptp-v2-l2 personalities logs its fallback from the
# most general filter and locks.
. "$(dirname "$0")/lib.sh"
plan 39
command -v hwtstamp >/dev/null || skip_rest "hwtstamp not built (make selftests)"

RUN_MAX=${TSNIC_ONESTEP_SECONDS:-90}
OS=$TSNIC_SELFTESTS/onestep.py

rmmod tsnic
check "load with ideal oscillators, no timestamp jitter" \
	insmod "$TSNIC_MODULE" freq_random_ppb=0 jitter_ns=0
netns osa
netns osb
check "wired pair" wired_pair -n osa os0 osb os1 192.168.93
ip -n osa addr add fd00:93::1/64 dev os0 nodad
ip -n osb addr add fd00:93::2/64 dev os1 nodad
ip -n osa neigh replace fd00:93::2 dev os0 nud permanent \
	lladdr "$(ip netns exec osb cat /sys/class/net/os1/address)"
ip -n osb neigh replace fd00:93::1 dev os1 nud permanent \
	lladdr "$(ip netns exec osa cat /sys/class/net/os0/address)"

tmp=$(mktemp -d)
trap '_cleanup; rm -rf "$tmp"' EXIT

# hw [TX RX]: os0's hwtstamp configuration, or set it: "TX RX" answered
hw() { ip netns exec osa hwtstamp os0 "$@"; }
# rx_stamped: RX hardware stamps os1 has given, over its queues
rx_stamped() {
	ip netns exec osb ethtool -S os1 |
		awk '$1 ~ /^rx_queue_[0-9]+_hwtstamps:$/ { n += $2 } END { print n + 0 }'
}
phc_of() { ip netns exec "$1" ethtool -T "$2" | awk '/PTP Hardware Clock:/ { print $4 }'; }

# ---- one-step Sync bytes --------------------------------------------------

check_eq "one-step Sync configured on os0" "2 12" "$(hw 2 12)"
# the peer's capture, and a tap on the sender: 2 batches of 4 frames each
ip netns exec osb python3 "$OS" recv os1 8 "$tmp/rx.ready" >"$tmp/rx" 2>&1 &
rxpid=$!
ip netns exec osa python3 "$OS" recv os0 8 "$tmp/tap.ready" >"$tmp/tap" 2>&1 &
tappid=$!
wait_for 60 test -e "$tmp/rx.ready" -a -e "$tmp/tap.ready"
send() {
	ip netns exec osa python3 "$OS" send os0 "/dev/ptp$(phc_of osa os0)" \
		192.168.93.2 fd00:93::2
}
# rx_lines_ge N: the peer has captured N frames: RX NAPI has stamped them
rx_lines_ge() { [ "$(wc -l <"$tmp/rx")" -ge "$1" ]; }
# stamps_ge N: os1's RX stamp count has reached N
stamps_ge() { [ "$(rx_stamped)" -ge "$1" ]; }
# The first batch with checksum offload (completed after the write), the
# second without (the checksum the stack wrote is updated).  The peer
# stamps the first on ptp-v2-l4 (its 3 UDP frames), the second on
# ptp-v2-l2 (its Ethernet frame).
tsnic -n osb dev set os1 ts-personality ptp-v2-l4
ip netns exec osb hwtstamp os1 1 6 >/dev/null
s0=$(rx_stamped)
read -r b1 a1 < <(send)
wait_for 120 rx_lines_ge 4 >/dev/null
wait_for 30 stamps_ge $((s0 + 3)) >/dev/null
s1=$(rx_stamped)
tsnic -n osb dev set os1 ts-personality ptp-v2-l2
ip netns exec osb hwtstamp os1 1 10 >/dev/null
ip netns exec osa ethtool -K os0 tx off >/dev/null
read -r b2 a2 < <(send)
ip netns exec osa ethtool -K os0 tx on >/dev/null
wait "$rxpid"
check "the peer received the 8 frames" test $? -eq 0
wait "$tappid"
check "the tap on the sender saw them" test $? -eq 0
sed 's/^/# peer: /' "$tmp/rx"
wait_for 30 stamps_ge $((s1 + 1)) >/dev/null
check_eq "peer on ptp-v2-l4 stamps only the UDP frames (3 of 4)" 3 $((s1 - s0))
check_eq "peer on ptp-v2-l2 stamps only the Ethernet frame (1 of 4)" 1 \
	$(($(rx_stamped) - s1))
tsnic -n osb dev set os1 ts-personality full

# in_batch FILE LINE_FROM LINE_TO BEFORE AFTER: the Syncs among those lines
# carry an originTimestamp in [BEFORE, AFTER]
in_batch() {
	sed -n "$2,$3p" "$1" | awk -v lo="$4" -v hi="$5" '
		$2 == 0 { n++; if ($3 < lo || $3 > hi) bad++ }
		END { exit !(n == 3 && !bad) }'
}
check "offload on: each Sync's originTimestamp is os0's PHC at its departure" \
	in_batch "$tmp/rx" 1 4 "$b1" "$a1"
check "offload off: each Sync's originTimestamp is os0's PHC at its departure" \
	in_batch "$tmp/rx" 5 8 "$b2" "$a2"
check_eq "the Delay_Req is left alone (originTimestamp 0)" "0 0" \
	"$(awk '$2 == 1 { print $3 }' "$tmp/rx" | tr '\n' ' ' | sed 's/ $//')"
check_eq "UDP checksums verify (IPv4 and IPv6, offload on and off)" 6 \
	"$(awk '$1 ~ /^udp/ && $4 == "ok"' "$tmp/rx" | wc -l)"
check_eq "the tap's copy is untouched (every originTimestamp 0)" 8 \
	"$(awk '$3 == 0' "$tmp/tap" | wc -l)"
check_eq "ts_onestep counts the 6 Syncs" 6 "$(counter os0 tx_hwtstamp_onestep osa)"
check_eq "none failed" 0 "$(counter os0 tx_hwtstamp_onestep_err osa)"

echo "# one-step bytes done at ${SECONDS}s"

# ---- one-step P2P bytes ----------------------------------------------------
# os0 answers Pdelay_Req one-step (ONESTEP_P2P): the request's ingress time
# t2 leaves its correctionField on receipt, the response copies it, and the
# departure t3 is added as it leaves, so os1 reads t3 - t2 there.  Both
# clocks ideal, so ((t4 - t1) - (t3 - t2)) / 2 is the cable's 5 us exactly.
check_eq "one-step P2P configured on os0" "3 12" "$(hw 3 12)"
ip netns exec osb hwtstamp os1 1 12 >/dev/null
tsnic -n osa dev set os0 delay 5us
tsnic -n osb dev set os1 delay 5us
n0=$(counter os0 tx_hwtstamp_onestep osa)
ip netns exec osa python3 "$OS" pdelay-resp os0 2 "$tmp/resp.ready" >"$tmp/resp" 2>&1 &
resppid=$!
ip netns exec osa python3 "$OS" recv os0 4 "$tmp/cap0.ready" >"$tmp/cap0" 2>&1 &
cap0=$!
ip netns exec osb python3 "$OS" recv os1 4 "$tmp/cap1.ready" >"$tmp/cap1" 2>&1 &
cap1=$!
check "responder and captures listening" \
	wait_for 60 test -e "$tmp/resp.ready" -a -e "$tmp/cap0.ready" -a -e "$tmp/cap1.ready" ||
	sed 's/^/# responder: /' "$tmp/resp"
c0=$((1000 << 16))
read -r t1_4 t4_4 c_4 < <(ip netns exec osb python3 "$OS" pdelay-req os1 192.168.93.1 $c0)
read -r t1_6 t4_6 c_6 < <(ip netns exec osb python3 "$OS" pdelay-req os1 fd00:93::1 $c0)
wait "$resppid"
check "os0 answered both Pdelay_Req (IPv4, IPv6)" test $? -eq 0
wait "$cap0" "$cap1"
sed 's/^/# responder: /' "$tmp/resp"
echo "# requester: $t1_4 $t4_4 $c_4 / $t1_6 $t4_6 $c_6"
# rx_corr LINE: the correctionField os0 received is c0 - (t2 << 16)
rx_corr() {
	local c t2
	read -r c t2 < <(sed -n "$1p" "$tmp/resp")
	[ -n "$t2" ] && [ "$t2" != None ] && [ "$c" -eq $((c0 - (t2 << 16))) ]
}
check "on receipt, the Pdelay_Req's ingress time left its correctionField (IPv4)" rx_corr 1
check "... and over IPv6" rx_corr 2
# pdelay T1 T4 C: the path delay the requester computes, in ns
pdelay() {
	[ -n "$3" ] && [ "$3" != None ] || return 0
	echo $(((($2 - $1) - (($3 - c0) >> 16)) / 2))
}
check_eq "IPv4: turnaround in the response's correctionField, path delay 5 us" \
	5000 "$(pdelay "$t1_4" "$t4_4" "${c_4:-0}")"
check_eq "IPv6: the same" 5000 "$(pdelay "$t1_6" "$t4_6" "${c_6:-0}")"
check_eq "UDP checksums verify: requests as os0 received them, responses as os1 did" \
	"2 2" "$(awk '$2 == 2 && $4 == "ok"' "$tmp/cap0" | wc -l) $(awk '$2 == 3 && $4 == "ok"' "$tmp/cap1" | wc -l)"
check_eq "ts_onestep counts the 2 Pdelay_Resp" 2 \
	$(($(counter os0 tx_hwtstamp_onestep osa) - n0))
tsnic -n osa dev set os0 delay 0
tsnic -n osb dev set os1 delay 0
ip netns exec osb hwtstamp os1 0 0 >/dev/null
echo "# one-step P2P bytes done at ${SECONDS}s"

# ---- ptp4l -----------------------------------------------------------------

netns l4a
netns l4b
netns l2a
netns l2b
wired_pair l4a pl0 l4b pl1 192.168.94
wired_pair l2a pm0 l2b pm1 -
tsnic -n l4a dev set pl0 ts-personality ptp-v2-l4
tsnic -n l4b dev set pl1 ts-personality ptp-v2-l4
tsnic -n l2a dev set pm0 ts-personality ptp-v2-l2
tsnic -n l2b dev set pm1 ts-personality ptp-v2-l2
# the peer delay mechanism, two-step and one-step, over 5 us cables
netns p2a
netns p2b
netns p1a
netns p1b
wired_pair p2a pp0 p2b pp1 192.168.95
wired_pair p1a pq0 p1b pq1 192.168.96
for d in p2a:pp0 p2b:pp1 p1a:pq0 p1b:pq1; do
	tsnic -n "${d%:*}" dev set "${d#*:}" delay 5us
done

cat >"$tmp/ptp4l.cfg" <<CFG
[global]
logSyncInterval -2
logMinDelayReqInterval -2
tx_timestamp_timeout 100
CFG
{ cat "$tmp/ptp4l.cfg"; echo "twoStepFlag 0"; } >"$tmp/onestep.cfg"
{ cat "$tmp/ptp4l.cfg"; echo "delay_mechanism P2P"; echo "logMinPdelayReqInterval -2"; } \
	>"$tmp/p2p.cfg"
{ cat "$tmp/p2p.cfg"; echo "time_stamping p2p1step"; echo "twoStepFlag 0"; } \
	>"$tmp/p2p1.cfg"

# ptp TAG NS DEV CFG OPTION...: ptp4l in the background, log in $tmp/TAG.log
pids=()
ptp() {
	local tag=$1 ns=$2 dev=$3 cfg=$4
	shift 4
	ip netns exec "$ns" timeout "$RUN_MAX" stdbuf -oL ptp4l -i "$dev" -m -f "$cfg" \
		--uds_address="$tmp/$tag.uds" "$@" >"$tmp/$tag.log" 2>&1 &
	pids+=($!)
}
ptp os-master osa os0 "$tmp/onestep.cfg" -H
ptp os-slave osb os1 "$tmp/ptp4l.cfg" -H -s
ptp l4-master l4a pl0 "$tmp/ptp4l.cfg" -H
ptp l4-slave l4b pl1 "$tmp/ptp4l.cfg" -H -s
ptp l2-master l2a pm0 "$tmp/ptp4l.cfg" -H -2
ptp l2-slave l2b pm1 "$tmp/ptp4l.cfg" -H -2 -s
ptp p2-master p2a pp0 "$tmp/p2p.cfg" -H
ptp p2-slave p2b pp1 "$tmp/p2p.cfg" -H -s
# (no -H: on the command line it would override time_stamping p2p1step)
ptp p1-master p1a pq0 "$tmp/p2p1.cfg"
ptp p1-slave p1b pq1 "$tmp/p2p1.cfg" -s
locked() { grep -q 'UNCALIBRATED to SLAVE' "$tmp/$1-slave.log"; }
# pd_seen TAG: the slave has reported a path delay since it locked (with
# a sync interval under 1 s, in its once-a-second "rms ... delay D" lines)
pd_seen() {
	sed -n '/UNCALIBRATED to SLAVE/,$p' "$tmp/$1-slave.log" | grep -q ' delay  *[0-9]'
}
for ((i = 0; i < RUN_MAX; i++)); do
	locked os && locked l4 && locked l2 && pd_seen p2 && pd_seen p1 && break
	sleep 1
done
echo "# ptp4l: locked or gave up at ${SECONDS}s"
onestep_n=$(counter os0 tx_hwtstamp_onestep osa)
l4_cfg=$(ip netns exec l4b hwtstamp pl1)
p1_tx="$(ip netns exec p1a hwtstamp pq0 | cut -d' ' -f1) $(ip netns exec p1b hwtstamp pq1 | cut -d' ' -f1)"
p1_n="$(counter pq0 tx_hwtstamp_onestep p1a) $(counter pq1 tx_hwtstamp_onestep p1b)"
kill "${pids[@]}" 2>/dev/null
wait 2>/dev/null

check "one-step: the slave locked to a twoStepFlag 0 master" locked os ||
	tail -n 8 "$tmp/os-slave.log" "$tmp/os-master.log" | sed 's/^/# /'
check "one-step: the master's Syncs went out one-step" test "$onestep_n" -gt 6
# no_port_fault LOG...: no TX timestamp timed out and no port went FAULTY
# (lines that did are the check's output).  A servo's
# SYNCHRONIZATION_FAULT, a guest starved under TCG, is only shown.
no_port_fault() { ! grep -hE 'timed out|FAULT_DETECTED' "$@"; }
check "one-step: no TX timestamp timed out, no port faulted" \
	no_port_fault "$tmp/os-master.log" "$tmp/os-slave.log"
grep -h -m3 SYNCHRONIZATION_FAULT "$tmp/os-slave.log" | sed 's/^/# /'
check "ptp-v2-l4: ptp4l fell back from the most general filter" \
	grep -q 'driver rejected most general HWTSTAMP filter' "$tmp/l4-slave.log"
check "ptp-v2-l4: and locked" locked l4 ||
	tail -n 8 "$tmp/l4-slave.log" | sed 's/^/# /'
check_eq "ptp-v2-l4: the slave's filter is PTPv2 L4 events" "1 6" "$l4_cfg"
check "ptp-v2-l2: ptp4l -2 fell back from the most general filter" \
	grep -q 'driver rejected most general HWTSTAMP filter' "$tmp/l2-slave.log"
check "ptp-v2-l2: and locked" locked l2 ||
	tail -n 8 "$tmp/l2-slave.log" | sed 's/^/# /'
# last_pd TAG: the last path delay the slave reported, in ns
last_pd() {
	awk '{ for (i = 1; i < NF; i++) if ($i == "delay" && $(i + 1) ~ /^[0-9]+$/) v = $(i + 1) }
	     END { print v + 0 }' "$tmp/$1-slave.log"
}
# near_5us NS: within 100 ns of the cables' 5 us (the servo's frequency
# correction scales the requester's side of the exchange)
near_5us() { [ "$1" -ge 4900 ] && [ "$1" -le 5100 ]; }
for t in "p2:two-step" "p1:one-step"; do
	tag=${t%%:*}
	check "P2P, ${t#*:}: the slave locked" locked "$tag" ||
		tail -n 8 "$tmp/$tag-slave.log" | sed 's/^/# /'
	pd=$(last_pd "$tag")
	check "P2P, ${t#*:}: the path delay is the cable's 5 us ($pd ns)" near_5us "$pd" ||
		tail -n 4 "$tmp/$tag-slave.log" "$tmp/$tag-master.log" | sed 's/^/# /' 
	check "P2P, ${t#*:}: no TX timestamp timed out, no port faulted" \
		no_port_fault "$tmp/$tag-master.log" "$tmp/$tag-slave.log"
done
check_eq "P2P, one-step: both ptp4l configured ONESTEP_P2P" "3 3" "$p1_tx"
check "P2P, one-step: both answered Pdelay_Req one-step ($p1_n)" \
	awk -v s="$p1_n" 'BEGIN { split(s, n, " "); exit !(n[1] > 0 && n[2] > 0) }'

finish
