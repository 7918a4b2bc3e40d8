#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Issue 15, item 10: a frame the RX path cannot unclone is dropped and
# counted (drops_nomem, rx_dropped, netlink, /proc), not passed up out of
# order around GRO.  The failure is injected with fail_function on
# tsnic_rx_unclone (ALLOW_ERROR_INJECTION), so the test needs a kernel with
# CONFIG_FAIL_FUNCTION: the debug kernel has it, Debian's kernels do not.
#
# Every frame reaches the peer's RX shared: a packet socket on the sender
# (a tap, as tcpdump is) holds a clone of each frame the stack transmits
# and does not read it until the peer has handled them all.
. "$(dirname "$0")/lib.sh"
plan 10

kv=$(uname -r)
P=/proc/net/tsnic
F=/sys/kernel/debug/fail_function
tmp=$(mktemp -d)
trap '_cleanup; rm -rf "$tmp"' EXIT

[ -d $F ] || {
	skip_rest "unclone failure: kernel $kv has no fail_function (CONFIG_FAIL_FUNCTION)"
}

# shared.py DEV PEER N: N frames through DEV's qdisc while a tap on DEV
# holds their clones, until PEER has received or dropped N more frames
cat >"$tmp/shared.py" <<'PY'
import socket, sys, time
dev, peer, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def handled():
    s = 0
    for c in ("rx_packets", "rx_dropped"):
        with open("/sys/class/net/%s/statistics/%s" % (peer, c)) as f:
            s += int(f.read())
    return s
tap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
tap.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
tap.bind((dev, 0))
tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
tx.bind((dev, 0x88b5))
frame = b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x01" + b"\x88\xb5" + bytes(46)
base = handled()
for i in range(n):
    tx.send(frame)
deadline = time.monotonic() + 60
while handled() < base + n and time.monotonic() < deadline:
    time.sleep(0.05)
sys.exit(0 if handled() >= base + n else 1)
PY
shared() { python3 "$tmp/shared.py" r10a r10b "$1"; }

ip link add r10a type tsnic
ip link add r10b link r10a type tsnic
no_ipv6 r10a
no_ipv6 r10b
ip link set r10a up
ip link set r10b up
wait_for 5 operstate_is r10a up

if echo tsnic_rx_unclone >$F/inject 2>/dev/null; then
	ok "fail_function takes tsnic_rx_unclone"
	printf '%#x\n' -12 >$F/tsnic_rx_unclone/retval
	echo 100 >$F/probability
	echo 0 >$F/interval
	echo -1 >$F/times
	echo 0 >$F/space
	echo 0 >$F/verbose
	check "20 shared frames sent while unclone fails, all handled" shared 20
	check_eq "all 20 dropped as drops_nomem" 20 "$(counter r10b rx_queue_0_drops_nomem)"
	check_eq "none passed up" 0 "$(cat /sys/class/net/r10b/statistics/rx_packets)"
	check_eq "counted in rx_dropped" 20 "$(cat /sys/class/net/r10b/statistics/rx_dropped)"
	check "netlink shows it" sh -c "tsnic -j stats show r10b | grep -q '\"rx_drops_nomem\":20'"
	check "/proc shows it" grep -qx 'drops_nomem 20' $P/r10b/rx-0/ring
	echo >$F/inject
	check "20 more shared frames sent, unclone working, all handled" shared 20
	check_eq "those 20 received" 20 "$(cat /sys/class/net/r10b/statistics/rx_packets)"
	check_eq "drops_nomem unchanged" 20 "$(counter r10b rx_queue_0_drops_nomem)"
else
	fail "fail_function takes tsnic_rx_unclone"
fi
ip link del r10a

finish
