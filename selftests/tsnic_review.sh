#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Regression tests for the defects of issue 15 (items 4 to 13), one section
# each: the genl family loads the module; a qdisc backlog drains after
# ethtool -G/-L; the RX arrival timer loses no wakeup; descriptor views are
# for CAP_NET_ADMIN only and no read path takes RTNL; a /proc ring read
# resumed after a reset ends; frames outlive their deleted sender; a frame
# stops pair with wakes; VLAN
# features; timestamping flags; each PHC is named after its device and has
# it as parent.  (The cookie width is asserted at build time in
# driver/tstamp.c, the parameter ranges tested in tsnic_badinput, the queue
# dump interrupted by ethtool -L in tsnic_netlink, a frame RX cannot
# unclone in tsnic_unclone.)
. "$(dirname "$0")/lib.sh"
plan 53

mod=${TSNIC_MODULE:?}
kv=$(uname -r)
tmp=$(mktemp -d)
chmod 755 "$tmp"	# the unprivileged readers below look into it
trap '_cleanup; rm -rf "$tmp"' EXIT

# "${NOBODY[@]}" CMD...: CMD as uid/gid 65534, without capabilities
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# frames DEV COUNT LEN [BYPASS]: COUNT broadcast frames of LEN bytes
# (local experimental ethertype) through a packet socket on DEV, through
# the qdisc unless BYPASS is 1
cat >"$tmp/frames.py" <<'EOF'
import socket, sys
dev, n, ln = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
bypass = len(sys.argv) > 4 and sys.argv[4] == "1"
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0x88b5))
s.setsockopt(socket.SOL_SOCKET, 32, 1 << 26)	# SO_SNDBUFFORCE
if bypass:
    s.setsockopt(263, 20, 1)			# PACKET_QDISC_BYPASS
f = b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x01" + b"\x88\xb5"
f += b"\x00" * (ln - len(f))
for i in range(n):
    s.send(f)
EOF
frames() { python3 "$tmp/frames.py" "$@"; }

# backlog DEV: packets in DEV's root qdisc
backlog() {
	tc -s qdisc show dev "$1" | awk '$1 == "backlog" { sub(/p$/, "", $3); print $3; exit }'
}

# ---- item 4: a request to the genl family loads the module -----------------
#
# The VM loads tsnic with insmod from the build tree; for modprobe to find
# it, /lib/modules/KVER is overlaid with a tree holding just tsnic.ko and
# the depmod output for it.  The kernel runs /sbin/modprobe in the root of
# PID 1, which is the test's root (the VM's init switches root).
autoload() {
	local t=$tmp/mods rc=0
	mkdir -p "$t/lib/modules/$kv/extra"
	cp "$mod" "$t/lib/modules/$kv/extra/tsnic.ko"
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		[ -e "/lib/modules/$kv/$f" ] && cp "/lib/modules/$kv/$f" "$t/lib/modules/$kv/"
	done
	depmod -b "$t" "$kv" || return 1
	grep -q 'net_pf_16_proto_16_family_tsnic\|net-pf-16-proto-16-family-tsnic' \
		"$t/lib/modules/$kv/modules.alias" ||
		echo "# modules.alias has no alias for the family"
	mount --bind "$t/lib/modules/$kv" "/lib/modules/$kv" || return 1
	rmmod tsnic 2>/dev/null
	# a genl resolve of "tsnic" (CTRL_CMD_GETFAMILY by name)
	tsnic dev show >/dev/null 2>&1
	lsmod | grep -q '^tsnic ' || rc=1
	umount "/lib/modules/$kv"
	return $rc
}
check "a request to genl family tsnic loads the module" autoload
lsmod | grep -q '^tsnic ' || insmod "$mod"
check "the module is loaded" sh -c "lsmod | grep -q '^tsnic '"

# ---- item 5: ethtool -G / -L on a backlogged device ---------------------------
#
# 100 kbit/s, a pfifo holding a backlog: after a reconfiguration the queue
# must be woken (which reschedules the qdisc), not merely started; the
# backlog then drains with no further send.
drain_after() {	# drain_after DEV ETHTOOL-ARGS...
	local dev=$1 b
	shift
	tsnic dev set "$dev" rate 100kbit || return 1
	tc qdisc replace dev "$dev" root pfifo limit 1000 || return 1
	frames "$dev" 200 100 || return 1
	b=$(backlog "$dev")
	echo "# $dev: backlog $b packets before ethtool $*"
	[ "${b:-0}" -gt 20 ] || { echo "# no backlog to speak of"; return 1; }
	ethtool "$@" || return 1
	# 200 frames of 100 bytes take 2 s at 100 kbit/s: 60 s is generous
	wait_for 60 sh -c "[ \"\$(tc -s qdisc show dev $dev | awk '\$1 == \"backlog\" { print \$3; exit }')\" = 0p ]" ||
		{ echo "# backlog stuck at $(backlog "$dev")"; return 1; }
}
ip link add rv5a type tsnic
no_ipv6 rv5a
ip link set rv5a up
check "the backlog drains after ethtool -G (no further send)" \
	drain_after rv5a -G rv5a tx 128
ip link add rv5b numtxqueues 2 numrxqueues 2 type tsnic
no_ipv6 rv5b
ip link set rv5b up
check "the backlog drains after ethtool -L (no further send)" \
	drain_after rv5b -L rv5b tx 1
ip link del rv5a
ip link del rv5b

# ---- item 6: the RX arrival timer never loses a wakeup ----------------------
#
# Four TX queues fed by pktgen threads on both CPUs, one RX queue at the
# far end, a cable of 200 us, interrupts at once (tx-usecs 0) so that the
# arrival timer is armed and fires all the time; bursts separated by idle
# gaps.  A lost wakeup leaves the frames of a burst in the FIFO until the
# next arrival, which in the gap never comes: every burst must arrive
# whole, however long it takes.  (A race: this makes it likely, not sure.)
if modprobe pktgen 2>/dev/null; then
	pg=/proc/net/pktgen
	netns rv6a
	netns rv6b
	wired_pair -6 rv6a r6a rv6b r6b - numtxqueues 4 numrxqueues 1 -- \
		numtxqueues 1 numrxqueues 1
	ip netns exec rv6a ethtool -C r6a adaptive-tx off tx-usecs 0 tx-frames 0
	# room for a whole burst: a full FIFO drops, which is not the point
	ip netns exec rv6b ethtool -G r6b rx 4096
	wait_for 5 operstate_is r6a up rv6a
	tsnic -n rv6a dev set r6a delay 200us
	mac=$(ip netns exec rv6b cat /sys/class/net/r6b/address)
	ip netns exec rv6a sh -c "
		sh $TSNIC_SELFTESTS/pktgen_clear.sh 0 1 || exit 1
		for t in 0 1; do
			echo 'add_device r6a@'\$t >$pg/kpktgend_\$t
		done
		for t in 0 1; do
			d=$pg/r6a@\$t
			for c in 'count 300' 'pkt_size 60' 'delay 0' 'dst_mac $mac' \
				'dst 10.66.0.2' 'queue_map_min '\$((2 * t)) \
				'queue_map_max '\$((2 * t + 1)); do
				echo \"\$c\" >\$d
			done
		done"
	rx6() { ip netns exec rv6b cat /sys/class/net/r6b/statistics/rx_packets; }
	bursts=12
	lost=0
	for ((i = 1; i <= bursts; i++)); do
		want=$((i * 600))
		ip netns exec rv6a sh -c "echo start >$pg/pgctrl" || break
		# the frames are on the cable once pktgen returns and the sender
		# completed them; then they must all arrive, with no more sent
		if ! wait_for 20 sh -c "[ \$(ip netns exec rv6b cat /sys/class/net/r6b/statistics/rx_packets) -ge $want ]" >/dev/null; then
			lost=$((lost + 1))
			echo "# burst $i: $(($(rx6) - (want - 600))) of 600 arrived in 20 s"
			break
		fi
		sleep 0.3
	done
	check_eq "$bursts bursts from two CPUs over a 200 us cable: every frame arrived" \
		"0 $((bursts * 600))" "$lost $(rx6)"
	check_eq "no RX drops" 0 \
		"$(ip netns exec rv6b cat /sys/class/net/r6b/statistics/rx_dropped)"
	ip netns exec rv6a sh "$TSNIC_SELFTESTS/pktgen_clear.sh" 0 1
	ip -n rv6a link del r6a
else
	skip_cases 2 "RX timer stress: no pktgen"
fi

# ---- item 7: descriptor views for CAP_NET_ADMIN, reads without RTNL ---------

P=/proc/net/tsnic
netns rv7
ip link add r7a netns rv7 numtxqueues 2 type tsnic
ip -n rv7 link add r7b link r7a type tsnic
ip -n rv7 link set r7a up
ip -n rv7 link set r7b up
in7() { ip netns exec rv7 "$@"; }
denied() {	# denied CMD...: fails, saying "not permitted"
	local out
	out=$("$@" 2>&1) && { echo "# allowed: $out" | head -n 3; return 1; }
	echo "$out" | grep -qi "not permitted" || { echo "# $out"; return 1; }
}
check "unprivileged: /proc tx ring file refused (EPERM)" \
	denied in7 "${NOBODY[@]}" cat $P/r7a/tx-0/ring
check "unprivileged: netlink ring dump refused (EPERM)" \
	denied in7 "${NOBODY[@]}" tsnic ring show r7a queue 0 -d
check "unprivileged: tsnic dev show works" in7 "${NOBODY[@]}" tsnic dev show r7a
check "unprivileged: tsnic queue show works (indices)" sh -c \
	"ip netns exec rv7 setpriv --reuid=65534 --regid=65534 --clear-groups tsnic queue show r7a tx 0 | grep -q 'ntu [0-9]'"
check "unprivileged: tsnic stats show works" in7 "${NOBODY[@]}" tsnic stats show r7a
check "unprivileged: /proc devices, stats and rx ring readable" \
	in7 "${NOBODY[@]}" cat $P/devices $P/r7a/stats $P/r7a/rx-0/ring
check "root: /proc tx ring readable" in7 cat $P/r7a/tx-0/ring
check "root: netlink ring dump works" in7 tsnic ring show r7a queue 0 -d
# a user namespace that does not own the device's network namespace: root
# there has CAP_NET_ADMIN over nothing of rv7
check "user namespace: /proc tx ring refused" sh -c \
	"ip netns exec rv7 unshare -U -r true &&
	 ! ip netns exec rv7 unshare -U -r cat $P/r7a/tx-0/ring 2>/dev/null"
check "user namespace: ring dump refused" sh -c \
	"ip netns exec rv7 unshare -U -r true &&
	 ! ip netns exec rv7 unshare -U -r tsnic ring show r7a queue 0 2>/dev/null"
check "user namespace: dev show works" in7 unshare -U -r tsnic dev show r7a
# the admin of a container (a user namespace owning its network namespace)
# configures, and dumps the rings of, the devices it has there
check "user namespace owning the netns: dev set and ring dump work" \
	unshare -U -r -n sh -c \
	"ip link add u7 type tsnic && ip link set u7 up &&
	 tsnic dev set u7 rate 1gbit && tsnic dev show u7 | grep -q 'rate 1Gbit' &&
	 tsnic ring show u7 queue 0 >/dev/null"

# The read paths take no RTNL: kprobes on the mutex entry points, filtered
# on the address of rtnl_mutex, count the times the readers (followed into
# their children) take or try it; a control that takes RTNL checks that the
# probes see it.  (rtnl_lock() itself is inlined in rtnetlink.c: a function
# trace of it misses most callers.)
T=/sys/kernel/tracing
[ -e $T/kprobe_events ] || mount -t tracefs nodev $T 2>/dev/null
rtnl_probes() {
	local addr f n=0
	addr=$(awk '$3 == "rtnl_mutex" { print $1; exit }' /proc/kallsyms)
	[ -n "$addr" ] && [ "$addr" != 0000000000000000 ] || return 1
	for f in mutex_lock mutex_lock_nested mutex_lock_killable \
		mutex_lock_killable_nested mutex_lock_interruptible \
		mutex_lock_interruptible_nested mutex_trylock; do
		echo "p:tsnic_rtnl/$f $f lock=%di:u64" >>$T/kprobe_events 2>/dev/null &&
			n=$((n + 1))
	done
	[ $n -gt 0 ] && echo "lock == 0x$addr" >$T/events/tsnic_rtnl/filter
}
# rtnl_calls CMD...: the times CMD (and its children) take or try RTNL.
# The probes stay armed from the first call to the end, and tracing_on
# brackets the command; no set_event_pid, whose scheduler probes (and each
# kprobe arming) patch kernel text, which multi-threaded TCG has once
# executed stale (an "int3" Oops in try_to_wake_up).  Instead the trace's
# lines are counted but for kernel threads' (a kworker running linkwatch
# takes RTNL too): nothing else in user space runs meanwhile.
rtnl_calls() {
	echo 0 >$T/tracing_on
	: >$T/trace
	if [ "$(cat $T/events/tsnic_rtnl/enable)" != 1 ]; then
		echo 1 >$T/events/tsnic_rtnl/enable
	fi
	echo 1 >$T/tracing_on
	"$@" >/dev/null 2>&1
	echo 0 >$T/tracing_on
	# "  tsnic-1234  [001] ..... 12.345678: mutex_lock: (...) lock=0x..."
	local line n=0
	while read -r line; do
		case $line in
		'#'* | kworker/* | ksoftirqd/* | rcu* | migration/* | kthreadd* | khungtaskd*) ;;
		*) n=$((n + 1)) ;;
		esac
	done <$T/trace
	echo "$n"
}
readers() {	# every reader, each of which must succeed
	tsnic -n rv7 dev show &&
		tsnic -n rv7 -j dev show &&
		tsnic -n rv7 dev show r7a &&
		tsnic -n rv7 queue show r7a &&
		tsnic -n rv7 queue show r7a tx 0 &&
		tsnic -n rv7 ring show r7a queue 0 -d &&
		tsnic -n rv7 stats show r7a &&
		nsenter --net=/run/netns/rv7 sh -c \
			"cat $P/devices $P/*/stats $P/*/tx-*/ring $P/*/rx-*/ring" &&
		touch "$tmp/readers.ok"
}
check "kprobes on the mutex entry points, for rtnl_mutex" rtnl_probes
control=$(rtnl_calls in7 ethtool -i r7a)
check "the probes see RTNL taken by ethtool -i ($control times)" test "${control:-0}" -ge 1
check_eq "no RTNL taken by tsnic dev/queue/ring show and the /proc files" \
	0 "$(rtnl_calls readers)"
check "... and each of those readers succeeded" test -e "$tmp/readers.ok"
echo 0 >$T/events/tsnic_rtnl/enable 2>/dev/null
grep -o '^p:tsnic_rtnl/[a-z_]*' $T/kprobe_events 2>/dev/null | sed 's/^p:/-:/' |
	while read -r e; do echo "$e" >>$T/kprobe_events; done

# ip link add + del while an unprivileged tight read loop runs on each CPU:
# measured and reported; asserted only against a generous bound.  Four
# pairs each way: a pair costs 1-3 s under TCG, and a reader holding
# RTNL hostage would stall every pair, not one in ten.
addel() {	# addel N: N add+del pairs; prints the slowest pair in ms
	local i s e max=0
	for ((i = 0; i < $1; i++)); do
		s=$(date +%s%N)
		ip link add rv7x type tsnic && ip link del rv7x || return 1
		e=$((($(date +%s%N) - s) / 1000000))
		[ $e -gt $max ] && max=$e
	done
	echo $max
}
idle=$(addel 4)
stop=$tmp/stop7
: >"$stop"
for c in 0 1; do
	ip netns exec rv7 setpriv --reuid=65534 --regid=65534 --clear-groups \
		sh -c "while [ -e $stop ]; do
			cat $P/devices $P/*/stats $P/*/rx-*/ring >/dev/null 2>&1
			tsnic dev show >/dev/null 2>&1; tsnic queue show >/dev/null 2>&1
		done" &
done
sleep 1
busy=$(addel 4)
rm -f "$stop"
wait
echo "# ip link add+del, slowest of 4: idle ${idle} ms, under unprivileged readers ${busy} ms"
check "ip link add/del under an unprivileged read loop: each pair < 10 s" \
	test "${busy:-99999}" -lt 10000

# ---- item 8: a /proc ring read resumed after a reset ------------------------
#
# The ring's frames wait on a stalled engine; a first read() takes the
# header and a few descriptor lines, then the ring is rewound (down/up: a
# new array of the same size, likely at the same address) and the rest is
# read: it must end there, not go on listing the zeroed new array.
cat >"$tmp/split.py" <<'EOF'
import os, subprocess, sys
path, cmd = sys.argv[1], sys.argv[2]
fd = os.open(path, os.O_RDONLY)
first = os.read(fd, 600).decode()
subprocess.run(cmd, shell=True, check=True)
rest = b""
while True:
    b = os.read(fd, 65536)
    if not b:
        break
    rest += b
rest = rest.decode()
# seq_file keeps the end of the line the first read() cut: it comes first
started = first.count("\n") + (0 if first.endswith("\n") else 1)
lines = (first + rest).splitlines()[started:]
print("# %d lines in the first read(), %d more after the change" %
      (started, len(lines)))
for l in lines[:3]:
    print("# after: " + l)
sys.exit(1 if lines else 0)
EOF
resumed_ends() {	# resumed_ends DEV CMD
	local dev=$1 cmd=$2
	ip link set "$dev" up &&
	tsnic fault set "$dev" stalled-queues 1 &&
	frames "$dev" 60 60 1 &&
	wait_for 10 sh -c "[ \$(awk '\$1 == \"next_to_use\" { print \$2 }' $P/$dev/tx-0/ring) -ge 60 ]" &&
	python3 "$tmp/split.py" "$P/$dev/tx-0/ring" "$cmd"
}
ip link add rv8 type tsnic
no_ipv6 rv8
# BQL would stop the queue and bring the watchdog: raise its floor
echo 1000000 >/sys/class/net/rv8/queues/tx-0/byte_queue_limits/limit_min
check "a /proc ring read resumed after down/up ends there" \
	resumed_ends rv8 "ip link set rv8 down; ip link set rv8 up"
tsnic fault set rv8 stalled-queues 0 2>/dev/null
check "a /proc ring read resumed after a same-size resize ends there" \
	resumed_ends rv8 "ethtool -G rv8 tx 512; ethtool -G rv8 tx 256"
tsnic fault set rv8 stalled-queues 0 2>/dev/null
ip link del rv8

# ---- item 9: frames in the peer's FIFO outlive their sender ----------------
#
# A 3 s cable: the sender completes its frames (they are in the peer's
# FIFO) and is deleted before they arrive.  They must arrive, counted
# right (bytes include the Ethernet header), with nothing in the kernel
# log (KASAN on the debug kernel).  The same with the peer going down
# while they wait: drops_down.
netns rv9a
netns rv9b
wired_pair -6 rv9a r9a rv9b r9b
tsnic -n rv9a dev set r9a delay 1s
tsnic -n rv9a fault set r9a cable-delay-every 1 cable-delay 1s cable-jitter 0
rx9() { ip netns exec rv9b cat "/sys/class/net/r9b/statistics/$1"; }
check "50 frames sent" ip netns exec rv9a python3 "$tmp/frames.py" r9a 50 100 1
check_eq_soon "the sender completed them" 50 10 counter r9a tx_queue_0_completions rv9a
check "the sender deleted while they are on the cable" ip -n rv9a link del r9a
check_eq_soon "all 50 arrive after their sender is gone" 50 30 rx9 rx_packets
check_eq "their bytes, Ethernet header included" 5000 "$(rx9 rx_bytes)"
ip -n rv9b link add r9c link r9b type tsnic
no_ipv6 r9c rv9b
ip -n rv9b link set r9c up
tsnic -n rv9b dev set r9c delay 1s
tsnic -n rv9b fault set r9c cable-delay-every 1 cable-delay 1s cable-jitter 0
check "20 more frames sent the other way" ip netns exec rv9b python3 "$tmp/frames.py" r9c 20 100 1
check_eq_soon "the sender completed them" 20 10 counter r9c tx_queue_0_completions rv9b
ip -n rv9b link del r9c
check "the receiver goes down with them in its FIFO" ip -n rv9b link set r9b down
# those the 2 s cable let through before the down were received
down=$(counter r9b rx_queue_0_drops_down rv9b)
check_eq "each was received or counted as a down drop" 70 $(($(rx9 rx_packets) + down))
check_ge "frames were in the FIFO when it went down" "$down" 1
ip -n rv9b link del r9b

# ---- item 10: in tsnic_unclone.sh (it needs fail_function: CI runs it on
# the debug kernel) ---------------------------------------------------------

# ---- item 13: stops pair with wakes, VLAN features, timestamping, PHCs ------
if modprobe pktgen 2>/dev/null; then
	ip link add r13 type tsnic
	no_ipv6 r13
	ethtool -G r13 tx 64
	# the ring, not BQL, must stop the queue
	echo 1000000 >/sys/class/net/r13/queues/tx-0/byte_queue_limits/limit_min
	# a line rate, so that the ring fills (unlimited, the sink empties it)
	tsnic dev set r13 rate 10mbit
	ip link set r13 up
	wait_for 5 operstate_is r13 up
	pg=/proc/net/pktgen
	sh "$TSNIC_SELFTESTS/pktgen_clear.sh"
	echo "add_device r13" >$pg/kpktgend_0
	for c in "count 20000" "pkt_size 60" "delay 0" "dst_mac 02:00:00:00:00:02" \
		"dst 10.13.0.2"; do
		echo "$c" >$pg/r13
	done
	sh "$TSNIC_SELFTESTS/pktgen_start.sh"
	sh "$TSNIC_SELFTESTS/pktgen_clear.sh"
	check_eq_soon "pktgen's 20000 frames completed" 20000 60 counter r13 tx_queue_0_completions
	stops=$(counter r13 tx_queue_0_stops)
	wakes=$(counter r13 tx_queue_0_wakes)
	echo "# $stops stops, $wakes wakes"
	check_ge "the queue stopped (64 descriptors)" "$stops" 1
	# A stop undone at once (a completion freed room in between) is not
	# a stop; counted as one, it has no wake and stops exceed wakes.
	# The completion may wake the queue in that very window too: such a
	# wake has no stop, so wakes may exceed stops by a few.
	check "no stop without its wake" test "$stops" -le "$wakes"
	check "no more than a few wakes without a stop" \
		test "$wakes" -le $((stops + 2 + stops / 100))
	ip link del r13
else
	skip_cases 4 "stops and wakes: no pktgen"
fi

ip link add r13v type tsnic
modprobe 8021q 2>/dev/null
if ip link add link r13v name r13v.5 type vlan id 5 2>/dev/null; then
	check_eq "a VLAN on tsnic keeps the TX offloads" on \
		"$(ethtool -k r13v.5 | awk '$1 == "tx-checksum-ip-generic:" { print $2 }')"
	ip link del r13v.5
else
	skip "no VLAN support"
fi
tsflags=$(ethtool -T r13v)
for f in software-transmit software-receive software-system-clock \
	hardware-transmit hardware-receive hardware-raw-clock; do
	check "ethtool -T: $f" grep -q -- "$f" <<<"$tsflags"
done

ip link add r13p type tsnic
phc() { ethtool -T "$1" | awk '/PTP Hardware Clock:/ { print $4 }'; }
pv=$(phc r13v)
pp=$(phc r13p)
check "/sys/class/net/DEV/device/ptp/ptpN is the device's clock" \
	test -d "/sys/class/net/r13v/device/ptp/ptp$pv"
nv=$(cat "/sys/class/ptp/ptp$pv/clock_name")
np=$(cat "/sys/class/ptp/ptp$pp/clock_name")
echo "# clock names: $nv, $np"
check "each clock's name names its device" sh -c \
	"case '$nv' in r13v:*) ;; *) exit 1 ;; esac && case '$np' in r13p:*) ;; *) exit 1 ;; esac"
check "no two clocks share a name" test "$nv" != "$np"
# a long name is cut, the instance kept
ip link add r13-a-long-name type tsnic
nl=$(cat "/sys/class/ptp/ptp$(phc r13-a-long-name)/clock_name")
check "a 15-character device name, and the instance ($nl)" sh -c \
	"case '$nl' in r13-a-long-name:*) ;; *) exit 1 ;; esac"
# the parent survives a move to another namespace and back
netns rv13
check "moved to another namespace: the clock is still under its device" sh -c \
	"ip link set r13p netns rv13 && ip netns exec rv13 test -d /sys/class/net/r13p/device/ptp/ptp$pp"
card=$(readlink -f /sys/class/net/r13v/device)
check "the parent is a platform device of its own ($card)" sh -c \
	"case '$card' in /sys/devices/platform/tsnic.*) ;; *) exit 1 ;; esac"
ip -n rv13 link del r13p
ip link del r13v
ip link del r13-a-long-name
check "the parent is gone with its device" test ! -e "$card"

finish
