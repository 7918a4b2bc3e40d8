#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /proc/net/tsnic: per-namespace device list, counters equal to ethtool -S
# and ip -s link, ring state (also while pktgen keeps frames in flight), and
# readers racing deletes, netns moves, down/up, resizes and module unload.
. "$(dirname "$0")/lib.sh"
plan 61

P=/proc/net/tsnic

# nsrun NETNS CMD...: CMD in namespace NETNS ("" for this one)
nsrun() {
	local ns=$1
	shift
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

# key FILE KEY [NETNS]: the value of a "key value" line
key() {
	nsrun "${3:-}" awk -v k="$2" '$1 == k { print $2; exit }' "$1"
}

# devcol DEV COLUMN [NETNS]: one column of DEV's line in the devices file
devcol() {
	nsrun "${3:-}" awk -v d="$1" -v c="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 == d { print $col[c]; exit }' "$P/devices"
}

listed() {	# listed DEV [NETNS]
	nsrun "${2:-}" awk -v d="$1" 'NR > 1 && $1 == d { f = 1 } END { exit !f }' \
		"$P/devices"
}

export P
export -f nsrun listed

# desc_lines FILE [NETNS]: descriptor lines of a TX ring file
desc_lines() {
	nsrun "${2:-}" awk 'f { n++ } $1 == "index" { f = 1 } END { print n + 0 }' "$1"
}

check "/proc/net/tsnic/devices exists" test -r "$P/devices"
check_eq "devices is mode 0444" 444 "$(stat -c %a "$P/devices")"
check_eq "no device: only the header" 1 "$(wc -l <"$P/devices")"

netns tsa
netns tsb
ip link add pa type tsnic
ip link add pb link pa type tsnic
no_ipv6 pa
no_ipv6 pb
check "pa listed" listed pa
check "pb listed" listed pb
check_eq "pa's ifindex" "$(cat /sys/class/net/pa/ifindex)" "$(devcol pa ifindex)"
check_eq "pb's peer is pa" "$(cat /sys/class/net/pa/ifindex)" "$(devcol pb peer_ifindex)"
check_eq "pa's PHC index" "$(ethtool -T pa | awk '/PTP Hardware Clock:/ { print $4 }')" \
	"$(devcol pa phc)"
check_eq "carrier 0 while down" 0 "$(devcol pa carrier)"
for f in $P/pa/stats $P/pa/tx-0/ring $P/pa/rx-0/ring; do
	check_eq "$(basename "$(dirname "$f")")/$(basename "$f") is mode 0444" 444 \
		"$(stat -c %a "$f")"
done
check_eq "a down ring: up 0" 0 "$(key $P/pa/tx-0/ring up)"

ip link set pa up
ip link set pb up
wait_for 5 operstate_is pa up
check_eq "carrier 1 once both are up" 1 "$(devcol pa carrier)"
check_eq "tx-0 ring size 256" 256 "$(key $P/pa/tx-0/ring ring_size)"
check_eq "rx-0 ring size 256" 256 "$(key $P/pa/rx-0/ring ring_size)"
check "tx-0 header shows the indices" sh -c \
	"grep -q '^next_to_use [0-9]' $P/pa/tx-0/ring && grep -q '^next_to_clean [0-9]' $P/pa/tx-0/ring && grep -q '^engine_head [0-9]' $P/pa/tx-0/ring"
check_eq "an idle ring: 255 free" 255 "$(key $P/pa/tx-0/ring free)"

# some traffic, then the counters of an idle device
ip addr add 192.168.78.1/24 dev pa
ip link set pb netns tsb
ip -n tsb link set pb up
ip -n tsb addr add 192.168.78.2/24 dev pb
check "ping across the cable" ping -c 5 -i 0.2 -W 5 192.168.78.2
sleep 0.5

ethtool_pairs() {	# ethtool_pairs DEV [NETNS]: "name value" lines
	nsrun "${2:-}" ethtool -S "$1" | awk 'NR > 1 { sub(/:$/, "", $1); print $1, $2 }'
}
# stats_match DEV [NETNS]: equal to ethtool -S (retried: ARP may refresh)
stats_match() {
	local e p
	e=$(ethtool_pairs "$1" "${2:-}")
	p=$(nsrun "${2:-}" head -n -6 "$P/$1/stats")
	[ "$e" = "$p" ] || { diff <(echo "$e") <(echo "$p"); return 1; }
}
check "stats: every ethtool -S name and value" wait_for 5 stats_match pa
check "stats in the peer's namespace too" wait_for 5 stats_match pb tsb
iplink_totals() {	# the six totals of ip -s link, in the proc order
	ip -s link show dev "$1" | awk '
		/RX:/ { getline; rb = $1; rp = $2; rd = $4 }
		/TX:/ { getline; tb = $1; tp = $2; td = $4 }
		END { printf "tx_packets %s\ntx_bytes %s\nrx_packets %s\nrx_bytes %s\ntx_dropped %s\nrx_dropped %s\n", tp, tb, rp, rb, td, rd }'
}
totals_match() {
	[ "$(iplink_totals pa)" = "$(tail -n 6 $P/pa/stats)" ]
}
check "stats totals = ip -s link" wait_for 5 totals_match
check_ge "tx_packets counted" "$(key $P/pa/stats tx_packets)" 5
# the two files are read one after the other: retried, as an ARP refresh
# may come between the reads
devices_match() {
	[ "$(key $P/pa/stats tx_packets)" = "$(devcol pa tx_packets)" ] || {
		echo "# stats $(key $P/pa/stats tx_packets), devices $(devcol pa tx_packets)"
		return 1
	}
}
check "devices: tx_packets = stats' tx_packets" wait_for 5 devices_match

# namespaces
check "pb moved: gone from here" bash -c "! listed pb && ! test -e $P/pb"
check "pb listed in tsb" listed pb tsb
check "tsb has pb's directory" ip netns exec tsb test -r $P/pb/tx-0/ring
check "tsb does not see pa" sh -c "! ip netns exec tsb test -e $P/pa"
check_eq "pb's peer index is pa's, across namespaces" \
	"$(cat /sys/class/net/pa/ifindex)" "$(devcol pb peer_ifindex tsb)"
check "pb moved on to tsa" ip -n tsb link set pb netns tsa
check "pb now in tsa" bash -c "listed pb tsa && ! listed pb tsb && ! ip netns exec tsb test -e $P/pb"
check "tsa sees pb's stats" ip netns exec tsa test -r $P/pb/stats

# renames (6.1 renames only devices that are down)
ip link set pa down
check "rename pa to pa.renamed" ip link set pa name pa.renamed
check "entries follow the rename" bash -c \
	"listed pa.renamed && ! listed pa && test -r $P/pa.renamed/tx-0/ring && ! test -e $P/pa"
ip link set pa.renamed name pa
ip link set pa up
check "and back" bash -c "listed pa && test -r $P/pa/stats && ! test -e $P/pa.renamed"
ip link add devices type tsnic 2>/dev/null
check "a device named 'devices' does not clash" sh -c \
	"test -f $P/devices && ip link del devices"

# queues
ip link add pq numtxqueues 4 numrxqueues 2 type tsnic
check "one tx-N per TX queue" test -r $P/pq/tx-3/ring
check "one rx-N per RX queue" sh -c "test -r $P/pq/rx-1/ring && ! test -e $P/pq/rx-2"
check "per-queue names match ethtool -S" wait_for 5 stats_match pq
check "ring size follows ethtool -G" sh -c \
	"ip link set pq up && ethtool -G pq tx 1024 && grep -qx 'ring_size 1024' $P/pq/tx-2/ring"

# an open file outlives its device: reading it fails cleanly
exec 3<"$P/pq/stats"
ip link del pq
check "reading a deleted device's file fails" sh -c "! cat <&3"
exec 3<&-
ip link del pa

# frames in flight: a finite line rate, pktgen filling the ring
rmmod tsnic
check "reload with rate=10000000" insmod "$TSNIC_MODULE" rate=10000000
if modprobe pktgen; then
	pg=/proc/net/pktgen
	ip link add pg0 type tsnic
	no_ipv6 pg0
	ip link set pg0 up
	wait_for 5 operstate_is pg0 up
	sh "$TSNIC_SELFTESTS/pktgen_clear.sh"
	echo "add_device pg0" >$pg/kpktgend_0
	for c in "count 1000000" "pkt_size 60" "delay 0" \
		"dst_mac 02:00:00:00:00:02" "dst 192.168.79.2"; do
		echo "$c" >$pg/pg0
	done
	echo start >$pg/pgctrl &
	pgpid=$!
	sleep 1
	r=$P/pg0/tx-0/ring
	# the descriptor lines run from next_to_clean to next_to_use
	ntc_to_ntu='
		$1 == "next_to_clean" { ntc = $2 } $1 == "ring_size" { n = $2 }
		f { if ($1 != (ntc + i) % n) { print "line " i ": " $0; exit 1 } i++ }
		$1 == "index" { f = 1 }'
	cat $r >/tmp/ring1
	sleep 0.5
	cat $r >/tmp/ring2
	# shown: the header and the first descriptors of each snapshot
	head -n 18 /tmp/ring1 | sed 's/^/# ring at t: /'
	grep -E '^next_to_(use|clean) ' /tmp/ring2 | sed 's/^/# ring at t+0.5 s: /'
	check "every line has a known state" awk '
		f && $2 !~ /^(queued|hw|done)$/ { print; bad = 1 }
		$1 == "index" { f = 1 } END { exit bad }' /tmp/ring1
	check "lines are ntc..ntu" awk "$ntc_to_ntu" /tmp/ring1
	# moves: polled, as an index that wrapped the ring can read the same
	n1=$(key /tmp/ring1 next_to_use)
	c1=$(key /tmp/ring1 next_to_clean)
	check "next_to_use moves (from $n1)" wait_for 5 sh -c \
		"[ \$(awk '\$1 == \"next_to_use\" { print \$2 }' $r) != $n1 ]"
	check "next_to_clean moves (from $c1)" wait_for 5 sh -c \
		"[ \$(awk '\$1 == \"next_to_clean\" { print \$2 }' $r) != $c1 ]"
	# every descriptor from ntc to ntu, however many read() calls it takes
	whole() {
		awk '$1 == "next_to_use" { ntu = $2 } $1 == "next_to_clean" { ntc = $2 }
			$1 == "ring_size" { n = $2 } f { l++ } $1 == "index" { f = 1 }
			END { want = (ntu - ntc + n) % n; print n, want, l + 0
			      exit !(n == 4096 && l == want) }' "$1"
	}
	check "resize to 4096 under load" ethtool -G pg0 tx 4096
	sleep 1
	check "a 4096-entry ring reads whole" whole $r
	check "read in small pieces too" sh -c "dd if=$r bs=100 2>/dev/null >/tmp/ring3 && awk '\$1 == \"ring_size\" { exit \$2 != 4096 }' /tmp/ring3"
	# Frozen: the engine stalled, then pktgen stopped.  Nothing moves, so
	# the ring and BQL agree exactly: what pktgen queued is in flight.
	# (Under load a clean between the two reads makes them differ.)  The
	# stall stays well under the 5 s TX watchdog.
	check "stall queue 0 under load" tsnic fault set pg0 stalled-queues 1
	sleep 1
	echo stop >$pg/pgctrl
	wait $pgpid
	cat $r >/tmp/ring4
	head -n 14 /tmp/ring4 | sed 's/^/# stalled: /'
	check_ge "stalled: descriptors in flight" "$(desc_lines /tmp/ring4)" 1
	check "stalled: every descriptor is the engine's" awk '
		f && $2 != "hw" { print; bad = 1 }
		$1 == "index" { f = 1 } END { exit bad }' /tmp/ring4
	check "stalled: lines are ntc..ntu" awk "$ntc_to_ntu" /tmp/ring4
	check "stalled: first descriptor has SOP" awk '
		f { exit ($4 !~ /^SE/) } $1 == "index" { f = 1 }' /tmp/ring4
	check_eq "stalled: BQL inflight = bytes of the descriptors" \
		"$(awk 'f { s += $3 } $1 == "index" { f = 1 } END { print s + 0 }' /tmp/ring4)" \
		"$(key /tmp/ring4 bql_inflight)"
	check "released: the ring drains and BQL is back to 0" wait_for 10 sh -c "
		tsnic fault set pg0 stalled-queues 0 && cat $r >/tmp/ring5 &&
		[ \$(awk '\$1 == \"bql_inflight\" { print \$2 }' /tmp/ring5) = 0 ] &&
		[ \$(awk '\$1 == \"next_to_use\" { print \$2 }' /tmp/ring5) = \$(awk '\$1 == \"next_to_clean\" { print \$2 }' /tmp/ring5) ]"
	sh "$TSNIC_SELFTESTS/pktgen_clear.sh"
	ip link del pg0
	rm -f /tmp/ring[1-5]
else
	skip_cases 14 "pktgen not available"
fi

# readers racing every way an entry or a ring can go away
run=$(mktemp)
reader() {	# reader SECONDS: until then, or until $run is gone
	local end=$((SECONDS + $1))
	while [ -e "$run" ] && [ $SECONDS -lt $end ]; do
		cat $P/devices $P/*/stats $P/*/tx-*/ring $P/*/rx-*/ring \
			>/dev/null 2>&1
	done
}
ip link add s0 numtxqueues 2 type tsnic
ip link add s1 link s0 netns tsb type tsnic
ip link add s2 type tsnic
no_ipv6 s0
ip netns exec tsb sysctl -qw net.ipv6.conf.s1.disable_ipv6=1
ip link set s0 up
ip link set s2 up
ip -n tsb link set s1 up
ip addr add 192.168.80.1/24 dev s0
ip -n tsb addr add 192.168.80.2/24 dev s1
# a flood, restarted when a down makes ping give up
while [ -e "$run" ]; do
	timeout 10 ping -f -q -s 1400 -w 5 192.168.80.2 >/dev/null 2>&1
	sleep 0.1
done &
inns() {	# inns NETNS SECONDS: a reader in NETNS
	ip netns exec "$1" bash -c "$(declare -f reader); P=$P run=$run; reader $2"
}
reader 120 &
reader 120 &
inns tsa 120 &
inns tsb 120 &
for cycles in 1 2 3; do
	ip link set s0 down
	ip link set s0 name s0x; ip link set s0x name s0
	ip link set s0 up
	ethtool -G s0 tx 512 rx 512; ethtool -G s0 tx 256 rx 256
	ethtool -L s0 tx 1 2>/dev/null; ethtool -L s0 tx 2 2>/dev/null
	ip link set s2 netns tsa; ip -n tsa link set s2 netns 1
	ip link set s2 up
	ip link add s3 type tsnic; ip link set s3 up; ip link del s3
done
check_eq "down/up, resize, rename, move, delete cycles under readers" 3 "$cycles"
check "s0 still works" wait_for 10 ping -c 1 -W 2 192.168.80.2

# and the module goes while they read
reader 30 &
inns tsb 30 &
sleep 2
check "rmmod while reading" rmmod tsnic
check "/proc/net/tsnic is gone" sh -c "! test -e $P"
check "and gone from the namespaces" sh -c "! ip netns exec tsb test -e $P"
rm -f "$run"
wait
finish
