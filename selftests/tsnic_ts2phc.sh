#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Real clients of the time sources: ts2phc with a PHC as its source (the
# source's periodic output wired into the sink's input pin) locks a clock
# running 40 ppm fast to it, loses the pulses when the wire is pulled and
# locks again when it is back; phc2sys takes the cross-timestamp
# (PTP_SYS_OFFSET_PRECISE: its reported delay is 0 even with a slow clock
# read).  Lock is read from the clients' own logs, polled.
. "$(dirname "$0")/lib.sh"
plan 10

command -v tsnic >/dev/null || skip_rest "tsnic CLI not built"
command -v ts2phc >/dev/null || skip_rest "ts2phc (linuxptp) not installed"

phc_of() { echo "/dev/ptp$(ethtool -T "$1" | awk '/PTP Hardware Clock:/ { print $4 }')"; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid"; _cleanup; rm -rf "$tmp"' EXIT

rmmod tsnic
insmod "$TSNIC_MODULE" freq_random_ppb=0 wander_ppb=0 jitter_ns=0
ip link add src type tsnic
ip link add dst type tsnic
check "dst runs 40 ppm fast" tsnic dev set dst freq-offset 40ppm
check "wire src SDP1 -> dst SDP0, 5 ns" tsnic pin connect src SDP1 dst SDP0 delay 5ns

# offsets: the clients' offset lines so far; the last five within 100 ns
offsets() { grep -cE ' offset +-?[0-9]+ s[0-9] ' "$tmp/log"; }
offsets_ge() { [ "$(offsets)" -ge "$1" ]; }
locked() {
	grep -E ' offset +-?[0-9]+ s2 ' "$tmp/log" | tail -n 5 |
		awk '{ for (i = 1; i < NF; i++) if ($i == "offset") o = $(i + 1);
		       if (o > 100 || o < -100) bad = 1; n++ }
		     END { exit !(n == 5 && !bad) }'
}

src=$(phc_of src)
cat >"$tmp/ts2phc.cfg" <<EOF
[global]
logging_level 7
[$src]
ts2phc.pin_index 1
[dst]
ts2phc.pin_index 0
ts2phc.channel 0
EOF
stdbuf -oL ts2phc -f "$tmp/ts2phc.cfg" -s "$src" -c dst -m >"$tmp/log" 2>&1 &
pid=$!
wait_for 60 locked
check "ts2phc -s $src locked dst to src's output (5 offsets < 100 ns)" locked
echo "# $(grep -m1 -E ' s2 ' "$tmp/log")"

# the wire pulled mid-run: no pulse reaches dst; plugged again: ts2phc goes on
check "wire pulled" tsnic pin disconnect src SDP1 dst SDP0
n0=$(offsets)
l0=$(wc -l <"$tmp/log")
# ts2phc's sink poll waits 2 s for an edge, then says so
no_edge() { sed -n "$((l0 + 1)),\$p" "$tmp/log" | grep -q 'poll returns zero'; }
wait_for 15 no_edge
check "ts2phc saw no edge for 2 s" no_edge
n1=$(offsets)
check "no offsets without the wire" test "$n1" -le $((n0 + 1))
check "wire plugged again" tsnic pin connect src SDP1 dst SDP0 delay 5ns
wait_for 20 offsets_ge $((n1 + 5))
check "ts2phc locked again after the wire came back" locked
kill "$pid"
wait "$pid" 2>/dev/null
pid=

# phc2sys on a clock whose reads take 20 us: the cross-timestamp has no
# read delay, so phc2sys (which prefers PTP_SYS_OFFSET_PRECISE) reports 0
tsnic dev set src phc-read-delay 20us
stdbuf -oL phc2sys -s CLOCK_REALTIME -c src -O 0 -m -l 7 >"$tmp/log" 2>&1 &
pid=$!
measured() { [ "$(grep -c ' delay ' "$tmp/log")" -ge 5 ]; }
wait_for 20 measured
kill "$pid"
wait "$pid" 2>/dev/null
pid=
grep -v 'config item' "$tmp/log" | tail -n 4 | sed 's/^/# /'
check "phc2sys measured 5 times" measured
check_eq "phc2sys: every measurement's delay is 0 (PRECISE)" 0 \
	"$(grep ' delay ' "$tmp/log" | grep -cv ' delay \+0$')"

finish
