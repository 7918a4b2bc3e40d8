#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fault injection: each fault fires, is counted (ethtool -S, /proc, the
# netlink family) and is recovered from.  TX timestamps dropped (the slots
# time out, the sender sees fewer stamps), delayed and reordered; frames
# dropped and corrupted on the cable (the receiver counts CRC errors);
# extra cable delay; the cable pulled and plugged (carrier on both ends,
# events); a stalled engine (the stack's TX watchdog, a reset of that queue
# only, traffic again; a frame released from a stall stamped when it
# leaves); a seed replays a random run.  Behaviour and counts only; the one
# time asserted is a lower bound (the length of a stall the test makes).
. "$(dirname "$0")/lib.sh"
plan 78

tmp=$(mktemp -d)
trap '_cleanup; rm -rf "$tmp"' EXIT

netns fa
netns fb
# static neighbours: no ARP frame mixes with the ones counted below
check "the pair comes up" wired_pair -6 -n fa fa0 fb fb1 192.168.93

A=(ip netns exec fa)
B=(ip netns exec fb)
# bql_floor BYTES: fa0's queues' BQL floor, applied at their next completion
# (frames held in stalled engines must not stop a queue)
bql_floor() {
	"${A[@]}" sh -c "for q in /sys/class/net/fa0/queues/tx-*; do
		echo $1 >\$q/byte_queue_limits/limit_min; done"
}

# fval KEY: a value of `tsnic -j fault show fa0`
fval() {
	tsnic -n fa -j fault show fa0 |
		jq -e ".[0][\"$1\"] | floor"
}

# Replies are counted where they arrive, fa0's received frames (the static
# neighbours and no IPv6 leave nothing else): ping stops listening two
# RTTs after its last request, which a starved guest can exceed.
# pings N: N echo requests from fa0, 50 ms apart; prints fa0's count before
pings() {
	"${A[@]}" cat /sys/class/net/fa0/statistics/rx_packets
	"${A[@]}" ping -n -q -c "$1" -i 0.05 -W 1 192.168.93.2 >/dev/null 2>&1
}
# replies_since COUNT: frames fa0 received since pings printed COUNT
replies_since() {
	echo $(($("${A[@]}" cat /sys/class/net/fa0/statistics/rx_packets) - $1))
}
# replies N WANT DESCRIPTION: N pings, WANT of them answered
replies() {
	local r0
	r0=$(pings "$1")
	check_eq_soon "$3" "$2" 5 replies_since "$r0"
}

# the netlink events of both ends, for the whole test
tsnic -n fa -j monitor >"$tmp/mon-a" 2>&1 &
tsnic -n fb -j monitor >"$tmp/mon-b" 2>&1 &
# listening once a change of its own device shows in its output (a change
# made before it subscribed is not seen: made again until one is)
monitor_ready() {
	tsnic -n "$1" dev set "$2" ts-timeout 1s &&
		grep -q "\"ifname\":\"$2\"" "$3"
}
check "fa's monitor is listening" wait_for 30 monitor_ready fa fa0 "$tmp/mon-a"
check "fb's monitor is listening" wait_for 30 monitor_ready fb fb1 "$tmp/mon-b"

# ---- configuration ---------------------------------------------------------

check "fault show: every fault off" sh -c \
	"tsnic -n fa fault show fa0 | grep -q 'ts-drop .*every 0 .*ppm 0 .*fired 0'"
check_eq "fault counters in ethtool -S start at 0" 0 \
	"$("${A[@]}" ethtool -S fa0 | awk '/fault_/ { s += $2 } END { print s + 0 }')"
check "an out-of-range probability is refused with a reason" sh -c \
	"! tsnic -n fa fault set fa0 ts-drop-ppm 2000000 2>$tmp/err &&
	 grep -q 'ts-drop-ppm 2000000: .*(valid range 0 to 1000000)' $tmp/err"
check "a queue the device does not have cannot stall" sh -c \
	"! tsnic -n fa fault set fa0 stalled-queues 2 2>$tmp/err && grep -q 'no such TX queue' $tmp/err"
check "a refused request applies nothing" sh -c \
	"! tsnic -n fa fault set fa0 ts-drop-every 5 cable-delay 2s 2>/dev/null"
check_eq "ts-drop-every still 0" 0 "$(fval ts_drop_every)"
check "unprivileged users cannot set faults" sh -c \
	"! ${A[*]} setpriv --reuid=65534 --clear-groups --inh-caps=-all tsnic fault set fa0 seed 1 2>/dev/null"
check "fault set: every key accepted" tsnic -n fa fault set fa0 seed 7 \
	ts-drop-every 0 ts-delay-ppm 0 ts-reorder-every 0 cable-drop-ppm 0 \
	cable-corrupt-every 0 cable-delay-every 0 stall-ppm 0 ts-delay 1ms \
	cable-delay 0 cable-jitter 0 cable plugged stalled-queues 0
check_eq "seed reported back" 7 "$(fval seed)"

# ---- TX timestamps -----------------------------------------------------------

cat >"$tmp/stamps.py" <<'PY'
# stamps.py DEV DST COUNT [held]: send COUNT datagrams asking for hardware
# TX timestamps (OPT_ID numbers them 0..COUNT-1), in one burst; print how
# many stamps came back within 5 s of the last one, and in which order.
# With "held", every TX queue's engine is stalled until all COUNT frames
# wait in one, then released: they leave at one instant (no line rate),
# and are cleaned and stamped together, however slowly the sends went.
import os, select, socket, struct, subprocess, sys, time
dev, dst, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
held = len(sys.argv) > 4 and sys.argv[4] == "held"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
# TX_HARDWARE | RAW_HARDWARE | OPT_ID | OPT_TSONLY
s.setsockopt(socket.SOL_SOCKET, 37, (1 << 0) | (1 << 6) | (1 << 7) | (1 << 11))
def stat(name):
    out = subprocess.run(["ethtool", "-S", dev], capture_output=True, text=True).stdout
    for line in out.splitlines():
        k, _, v = line.strip().partition(": ")
        if k == name:
            return int(v)
    sys.exit("no counter " + name)
def stall(on):
    n = len([q for q in os.listdir("/sys/class/net/%s/queues" % dev) if q.startswith("tx-")])
    mask = (1 << n) - 1 if on else 0
    subprocess.run(["tsnic", "fault", "set", dev, "stalled-queues", str(mask)], check=True)
if held:
    pending0 = stat("tx_hwtstamp_pending")
    stall(True)
try:
    for i in range(count):
        s.sendto(b"\x5a" * 200, (dst, 9))
    deadline = time.monotonic() + 60
    while held and stat("tx_hwtstamp_pending") < pending0 + count:
        if time.monotonic() > deadline:
            sys.exit("the frames never all waited in the stalled engines")
        time.sleep(0.1)
finally:
    if held:
        stall(False)
keys = []
deadline = time.monotonic() + 5
while len(keys) < count and time.monotonic() < deadline:
    select.select([s], [], [], 0.2)
    try:
        _, anc, _, _ = s.recvmsg(64, 512, socket.MSG_ERRQUEUE | socket.MSG_DONTWAIT)
    except BlockingIOError:
        continue
    hw = key = None
    for level, typ, data in anc:
        if level == socket.SOL_SOCKET and typ == 37:
            hw = struct.unpack("6q", data[:48])[4:6]
        elif level == socket.SOL_IP and typ == 11:
            key = struct.unpack("IBBBBII", data[:16])[6]
    if hw and hw != (0, 0) and key is not None:
        keys.append(key)
        deadline = time.monotonic() + 5
print("stamps %d order %s" % (len(keys), ",".join(map(str, keys))))
PY
"${A[@]}" hwstamp_ctl -i fa0 -t 1 -r 0 >/dev/null
tsnic -n fa dev set fa0 ts-slots 32

stamps() {
	"${A[@]}" python3 "$tmp/stamps.py" fa0 192.168.93.2 "$@"
}

bql_floor 1000000
to0=$(counter fa0 tx_hwtstamp_timeouts fa)
check "timestamps dropped: every 2nd" tsnic -n fa fault set fa0 ts-drop-every 2
out=$(stamps 10)
echo "# $out"
check_eq "the sender got 5 of 10 hardware stamps" "stamps 5" "$(echo "$out" | cut -d' ' -f1-2)"
check_eq "fault_ts_drop_fired counts 5" 5 "$(counter fa0 fault_ts_drop_fired fa)"
check "the 5 slots time out and are reclaimed" wait_for 10 sh -c \
	"[ \$(ip netns exec fa ethtool -S fa0 | awk '\$1 == \"tx_hwtstamp_timeouts:\" { print \$2 }') -eq $((to0 + 5)) ]"
check_eq "no slot left pending" 0 "$(counter fa0 tx_hwtstamp_pending fa)"
check "a ts-timeout event was sent" wait_for 5 grep -q '"event":"ts-timeout"' "$tmp/mon-a"
tsnic -n fa fault set fa0 ts-drop-every 0
check_eq "drop off: every stamp comes back" "stamps 10" "$(stamps 10 | cut -d' ' -f1-2)"

check "timestamps delayed by 50 ms: every one" tsnic -n fa fault set fa0 ts-delay-every 1 ts-delay 50ms
out=$(stamps 10)
echo "# $out"
check_eq "every delayed stamp arrives" "stamps 10" "$(echo "$out" | cut -d' ' -f1-2)"
check_eq "fault_ts_delay_fired counts 10" 10 "$(counter fa0 fault_ts_delay_fired fa)"
check_eq "none timed out" $((to0 + 5)) "$(counter fa0 tx_hwtstamp_timeouts fa)"
tsnic -n fa fault set fa0 ts-delay-every 0

# a reordered stamp waits for the next one only 100 ms: the 9 frames are
# held in a stall and leave together, so each next one is there in time
# (their slots outlive the stall)
tsnic -n fa dev set fa0 ts-timeout 60s
check "timestamps reordered: every 3rd" tsnic -n fa fault set fa0 ts-reorder-every 3
out=$(stamps 9 held)
echo "# $out"
check_eq "every reordered stamp arrives" "stamps 9" "$(echo "$out" | cut -d' ' -f1-2)"
check "they came out of order" sh -c \
	"echo '$out' | awk '{ n = split(\$4, k, \",\"); for (i = 2; i <= n; i++) if (k[i] + 0 < k[i - 1] + 0) f = 1; exit !f }'"
check_eq "fault_ts_reorder_fired counts 3" 3 "$(counter fa0 fault_ts_reorder_fired fa)"
tsnic -n fa fault set fa0 ts-reorder-every 0
tsnic -n fa dev set fa0 ts-timeout 1s
"${A[@]}" hwstamp_ctl -i fa0 -t 0 -r 0 >/dev/null
# BQL keeps the floor's limit until told: a ceiling of 0 for one
# completion brings it down, so that the stalls below stop the queue (and
# the TX watchdog sees them); a down/up would make frames of its own
bql_floor 0
"${A[@]}" sh -c '
	q=/sys/class/net/fa0/queues/tx-0/byte_queue_limits
	max=$(cat $q/limit_max)
	echo 0 >$q/limit_max
	ping -n -q -c 1 -W 5 192.168.93.2 >/dev/null
	echo "$max" >$q/limit_max'

# ---- the cable ---------------------------------------------------------------

replies 10 10 "a clean cable: 10 replies of 10"

check "frames dropped on the cable: every 2nd" tsnic -n fa fault set fa0 cable-drop-every 2
replies 10 5 "5 requests of 10 answered"
check_eq_soon "fault_cable_drop_fired counts 5" 5 5 counter fa0 fault_cable_drop_fired fa
check_eq "the same count in /proc/net/tsnic/fa0/stats" 5 \
	"$("${A[@]}" awk '$1 == "fault_cable_drop_fired" { print $2 }' /proc/net/tsnic/fa0/stats)"
check_eq "and through netlink" 5 "$(fval cable_drop_fired)"
tsnic -n fa fault set fa0 cable-drop-every 0

crc0=$("${B[@]}" cat /sys/class/net/fb1/statistics/rx_crc_errors)
err0=$("${B[@]}" cat /sys/class/net/fb1/statistics/rx_errors)
check "frames corrupted on the cable: every 2nd" tsnic -n fa fault set fa0 cable-corrupt-every 2
replies 10 5 "5 requests of 10 answered"
check_eq_soon "fault_cable_corrupt_fired counts 5" 5 5 counter fa0 fault_cable_corrupt_fired fa
# the last request is a corrupted one: ping does not wait for it to arrive
check_eq_soon "the receiver counts 5 CRC errors (rtnl)" $((crc0 + 5)) 5 \
	"${B[@]}" cat /sys/class/net/fb1/statistics/rx_crc_errors
check_eq "as receive errors" $((err0 + 5)) \
	"$("${B[@]}" cat /sys/class/net/fb1/statistics/rx_errors)"
check_eq "and in its queue's counters" 5 "$(counter fb1 rx_queue_0_crc_errors fb)"
tsnic -n fa fault set fa0 cable-corrupt-every 0
replies 10 10 "corruption off: 10 replies of 10"

check "extra cable delay with jitter on every frame" \
	tsnic -n fa fault set fa0 cable-delay-every 1 cable-delay 2ms cable-jitter 1ms
replies 5 5 "delayed frames arrive: 5 replies of 5"
check_eq_soon "fault_cable_delay_fired counts 5" 5 5 counter fa0 fault_cable_delay_fired fa
tsnic -n fa fault set fa0 cable-delay-every 0

# a random run replays with its seed: the sequence numbers of the first 20
# replies (ping -w sends until 20 are answered, and waits for them)
pattern() {
	tsnic -n fa fault set fa0 seed 42 cable-drop-ppm 500000
	"${A[@]}" ping -n -c 20 -w 60 -i 0.05 192.168.93.2 2>/dev/null |
		sed -n 's/.*icmp_seq=\([0-9]*\).*/\1/p' | sort -n | tr '\n' ' '
}
p1=$(pattern)
p2=$(pattern)
tsnic -n fa fault set fa0 cable-drop-ppm 0
echo "# replies with seed 42, 50%: $p1"
check "seed 42 at 50%: 20 replies, some requests lost on the way" \
	sh -c "set -- $p1; [ \$# -eq 20 ] && [ \${20} -gt 20 ]"
check_eq "the same seed replays the same losses" "$p1" "$p2"

check "the cable pulled at fa0" tsnic -n fa fault set fa0 cable pulled
check "carrier goes down at fa0" wait_for 5 carrier_is fa0 0 fa
check "and at the other end" wait_for 5 carrier_is fb1 0 fb
replies 3 0 "no reply through a pulled cable"
check "fa0's cable event" wait_for 5 grep -q \
	'"event":"cable","ifindex":[0-9]*,"ifname":"fa0","carrier":false,"pulled":true' "$tmp/mon-a"
check "fb1's cable event, in its namespace" wait_for 5 grep -q \
	'"event":"cable","ifindex":[0-9]*,"ifname":"fb1","carrier":false,"pulled":true' "$tmp/mon-b"
check "plugged again" tsnic -n fa fault set fa0 cable plugged
check "carrier comes back at fa0" wait_for 5 operstate_is fa0 up fa
check "and at fb1" wait_for 5 operstate_is fb1 up fb
check "fb1's plug event" wait_for 5 grep -q '"ifname":"fb1","carrier":true,"pulled":false' "$tmp/mon-b"
check "traffic resumes" wait_for 10 sh -c "[ \"\$(ip netns exec fa ping -c 1 -W 1 192.168.93.2 >/dev/null && echo ok)\" = ok ]"
check_eq "fault_cable_pulls counts 1" 1 "$(counter fa0 fault_cable_pulls fa)"

# ---- the engine ----------------------------------------------------------------

cat >"$tmp/burst.py" <<'PY'
# burst.py DST: enough datagrams to fill the queue's BQL limit
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 22)
for i in range(300):
    try:
        s.sendto(b"\x33" * 1000, (sys.argv[1], 9))
    except OSError:
        pass
PY

# stall_and_recover WHAT: queue 0 stalls (by WHAT) under a burst that
# fills it; the watchdog resets it.  Then the fault is disarmed and traffic
# flows again.
stall_and_recover() {
	local r0 f0
	r0=$(counter fa0 tx_timeout_resets fa)
	f0=$(counter fa0 tx_queue_0_flushed fa)
	"${A[@]}" python3 "$tmp/burst.py" 192.168.93.2
	check "$1: the TX watchdog resets the queue" wait_for 60 sh -c \
		"[ \$(ip netns exec fa ethtool -S fa0 | awk '\$1 == \"tx_timeout_resets:\" { print \$2 }') -gt $r0 ]"
	check "$1: frames it had not sent were dropped and counted" \
		sh -c "[ $(counter fa0 tx_queue_0_flushed fa) -gt $f0 ]"
	tsnic -n fa fault set fa0 stall-every 0 stalled-queues 0
	check "$1: traffic resumes" wait_for 10 sh -c "[ \"\$(ip netns exec fa ping -c 1 -W 1 192.168.93.2 >/dev/null && echo ok)\" = ok ]"
	check_eq "$1: no queue stalled any more" 0 "$(fval stalled_queues)"
	check "$1: the queue balances (frames = completions + flushed)" \
		wait_for 10 queue_balanced fa0 0 fa
}

check "stalled-queues 1 stalls queue 0" tsnic -n fa fault set fa0 stalled-queues 1
check_eq "reported stalled" 1 "$(fval stalled_queues)"
stall_and_recover "user stall"
check "a tx-reset event for queue 0" wait_for 5 grep -q '"event":"tx-reset","ifindex":[0-9]*,"ifname":"fa0","queue":0' "$tmp/mon-a"
check "the stack's watchdog fired" sh -c "dmesg | grep -q 'fa0.*transmit queue 0 timed out'"

check "the engine stalls on every 20th frame" tsnic -n fa fault set fa0 stall-every 20
stall_and_recover "triggered stall"
check_ge "fault_stall_fired counts it" "$(counter fa0 fault_stall_fired fa)" 1

check "a stall the user clears needs no reset" tsnic -n fa fault set fa0 stalled-queues 1
r0=$(counter fa0 tx_timeout_resets fa)
tsnic -n fa fault set fa0 stalled-queues 0
replies 5 5 "traffic flows: 5 replies of 5"
check_eq "no reset happened" "$r0" "$(counter fa0 tx_timeout_resets fa)"

# A frame that waits in a stalled engine leaves when the stall is cleared,
# not when it was rung: B, rung in a stall of 0.5 s, is stamped by the
# hardware at least 0.45 s later, relative to A before the stall, than the
# software stamped it at xmit (hw gap - sw gap; the same clock's drift
# cancels).  A's stamp wait and the tsnic calls take time in both gaps.
cat >"$tmp/stallstamp.py" <<'PY'
# stallstamp.py DEV DST: datagram A, its hardware stamp; stall queue 0,
# datagram B, 0.5 s, clear the stall, B's stamp.  Prints
# "hw HW_B-HW_A sw SW_B-SW_A" in ns (sw: the software stamps at xmit).
import select, socket, struct, subprocess, sys, time
dev, dst = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
# TX_HARDWARE | TX_SOFTWARE | SOFTWARE | RAW_HARDWARE | OPT_TSONLY |
# OPT_TX_SWHW (the software stamp too, while the hardware one is pending)
s.setsockopt(socket.SOL_SOCKET, 37,
             (1 << 0) | (1 << 1) | (1 << 4) | (1 << 6) | (1 << 11) | (1 << 14))
def ns(t):
    return t[0] * 1000000000 + t[1]
def send_and_stamp(before_wait=None):
    s.sendto(b"\x5b" * 200, (dst, 9))
    if before_wait:
        before_wait()
    sw = hw = None
    deadline = time.monotonic() + 5
    while (sw is None or hw is None) and time.monotonic() < deadline:
        select.select([s], [], [], 0.2)
        try:
            _, anc, _, _ = s.recvmsg(64, 512, socket.MSG_ERRQUEUE | socket.MSG_DONTWAIT)
        except BlockingIOError:
            continue
        for level, typ, data in anc:
            if level == socket.SOL_SOCKET and typ == 37:
                t = struct.unpack("6q", data[:48])
                if t[0:2] != (0, 0):
                    sw = ns(t[0:2])
                if t[4:6] != (0, 0):
                    hw = ns(t[4:6])
    if sw is None or hw is None:
        sys.exit("no stamps (sw %s, hw %s)" % (sw, hw))
    return sw, hw
def fault(stalled):
    subprocess.run(["tsnic", "fault", "set", dev, "stalled-queues", stalled], check=True)
sw_a, hw_a = send_and_stamp()
fault("1")
def wait_and_release():
    time.sleep(0.5)
    fault("0")
sw_b, hw_b = send_and_stamp(wait_and_release)
print("hw %d sw %d" % (hw_b - hw_a, sw_b - sw_a))
PY
"${A[@]}" hwstamp_ctl -i fa0 -t 1 -r 0 >/dev/null
# B's slot must outlive the stall and a slow tsnic call
tsnic -n fa dev set fa0 ts-timeout 10s
out=$("${A[@]}" python3 "$tmp/stallstamp.py" fa0 192.168.93.2)
echo "# stamp gaps in ns: $out"
check "a frame released from a stall is stamped when it leaves (hw - sw gap >= 0.45 s)" \
	sh -c "echo '$out' | awk '\$1 == \"hw\" && \$3 == \"sw\" && \$2 - \$4 >= 450000000 { ok = 1 } END { exit !ok }'"
tsnic -n fa dev set fa0 ts-timeout 1s
"${A[@]}" hwstamp_ctl -i fa0 -t 0 -r 0 >/dev/null

check "fb1's queue balances too" queue_balanced fb1 0 fb
kill %1 %2 2>/dev/null
wait 2>/dev/null
finish
