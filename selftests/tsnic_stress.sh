#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Stress: traffic on all queues of a 4-queue wired pair across two
# namespaces (pktgen, UDP, TCP, hardware-timestamped UDP) while loops resize
# the rings, change channels and coalescing, toggle hardware timestamping,
# take the link down and up, change the MTU, move the peer between
# namespaces, delete and re-create it, and read /proc and the netlink
# dumps.  Bounded: everything stops after TSNIC_STRESS_SECS (default 30).
# For the first half the link stays up (pktgen, which stops on carrier loss,
# and the timestamped flow get through under reconfiguration); the loops
# that take the link away (down/up, peer moves and re-creation) join for
# the second half.
# The traffic runs at nice 19 and paced, so that under TCG the loops still
# get the CPU.
# Then: every queue's frames = completions + flushed, the module holds no
# reference, it unloads with devices and traffic present, and no skb is
# left allocated (skbuff caches in /proc/slabinfo, within a tolerance).
. "$(dirname "$0")/lib.sh"
plan 39

secs=${TSNIC_STRESS_SECS:-30}
tmp=$(mktemp -d)
[ -n "${TSNIC_STRESS_KEEP:-}" ] && tmp=$TSNIC_STRESS_KEEP
A=10.77.0.1
B=10.77.0.2

# skbs: active skbuff_head_cache + skbuff_fclone_cache objects.  Shrinking
# the caches first returns per-CPU and (KASAN) quarantined objects.
skbs() {
	local c
	for c in skbuff_head_cache skbuff_fclone_cache; do
		[ -w "/sys/kernel/slab/$c/shrink" ] && echo 1 >"/sys/kernel/slab/$c/shrink"
	done
	awk '$1 == "skbuff_head_cache" || $1 == "skbuff_fclone_cache" { n += $2 }
		END { print n + 0 }' /proc/slabinfo
}

modprobe pktgen || { fail "modprobe pktgen"; finish; }
sync
skb0=$(skbs)

netns sa
netns sb
netns sc
ip -n sa link add s0 numtxqueues 4 numrxqueues 4 type tsnic
ip -n sa link add s1 numtxqueues 4 numrxqueues 4 link s0 netns sb type tsnic

setup_s0() {
	ip netns exec sa sysctl -qw net.ipv6.conf.s0.disable_ipv6=1
	ip -n sa addr add $A/24 dev s0
	ip -n sa link set s0 up
}

# setup_s1 NETNS: address and up, wherever s1 is now
setup_s1() {
	ip -n "$1" addr replace $B/24 dev s1 &&
		ip -n "$1" link set s1 up
}
setup_s0
setup_s1 sb
wait_for 5 operstate_is s0 up sa
check "ping across the pair" ip netns exec sa ping -c 2 -i 0.2 -W 5 $B
check_eq "4 TX queues" 4 "$(ip netns exec sa sh -c 'ls -d /sys/class/net/s0/queues/tx-*' | wc -l)"

# ---- traffic ------------------------------------------------------------

cat >"$tmp/tcp.py" <<'EOF'
# tcp.py server PORT SECS | client ADDR PORT SECS: bulk TCP, reconnecting
# when the path breaks; prints bytes moved and connections made.
import socket, sys, time
mode = sys.argv[1]
if mode == "server":
    port, end = int(sys.argv[2]), time.monotonic() + float(sys.argv[3]) + 10
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", port))
    ls.listen(8)
    ls.settimeout(1)
    total = conns = 0
    while time.monotonic() < end:
        try:
            c, _ = ls.accept()
        except OSError:
            continue
        conns += 1
        c.settimeout(2)
        while time.monotonic() < end:
            try:
                d = c.recv(65536)
            except OSError:
                break
            if not d:
                break
            total += len(d)
        c.close()
    print(total, conns)
else:
    addr, port = sys.argv[2], int(sys.argv[3])
    end = time.monotonic() + float(sys.argv[4])
    buf = b"t" * 65536
    total = conns = 0
    while time.monotonic() < end:
        try:
            c = socket.create_connection((addr, port), timeout=2)
        except OSError:
            time.sleep(0.2)
            continue
        conns += 1
        try:
            while time.monotonic() < end:
                total += c.send(buf)
                time.sleep(0.05)
        except OSError:
            pass
        c.close()
    print(total, conns)
EOF

cat >"$tmp/tsflood.py" <<'EOF'
# tsflood.py ADDR PORT SECS: UDP datagrams asking for hardware TX stamps,
# ~200/s, for SECS, and on (30 s more at most) until a stamp came back: the
# hwtstamp loop turns stamping off and on, and a slow kernel may start this
# late in the run.  Prints datagrams sent and stamps read back from the
# error queue.
import socket, sys, time
SO_TIMESTAMPING = 37
flags = (1 << 0) | (1 << 6) | (1 << 11)  # TX_HARDWARE, RAW_HARDWARE, OPT_TSONLY
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING, flags)
s.setblocking(False)
addr, port, end = sys.argv[1], int(sys.argv[2]), time.monotonic() + float(sys.argv[3])
sent = stamps = 0
while time.monotonic() < end or (not stamps and time.monotonic() < end + 30):
    try:
        s.sendto(b"p" * 100, (addr, port))
        sent += 1
    except OSError:
        pass
    while True:
        try:
            s.recvmsg(1, 512, socket.MSG_ERRQUEUE)
            stamps += 1
        except OSError:
            break
    time.sleep(0.005)
print(sent, stamps)
EOF

pg=/proc/net/pktgen
pgset() { ip netns exec sa sh -c "echo '$2' >$pg/$1"; }
# pktgen: first 4000 frames spread over the 4 queues, so that each has
# carried traffic whatever the flow hashes of the sockets below; then 2000
# frames/s on queues 0-1 until the end (the channel loop keeps 2 or more:
# pktgen warns when queue_map_max is past the device's queues).
ip netns exec sa sh -c "
	sh $TSNIC_SELFTESTS/pktgen_clear.sh
	echo 'add_device s0' >$pg/kpktgend_0
	for c in 'count 4000' 'pkt_size 60' 'delay 0' 'queue_map_min 0' \
		'queue_map_max 3' 'flag QUEUE_MAP_RND' 'dst_mac 02:00:00:00:00:02' 'dst $B'; do
		echo \"\$c\" >$pg/s0
	done
	echo start >$pg/pgctrl
	for c in 'count 0' 'delay 500000' 'queue_map_max 1'; do
		echo \"\$c\" >$pg/s0
	done"
for q in 0 1 2 3; do
	check_ge "pktgen burst: queue $q carried frames" "$(counter s0 "tx_queue_${q}_frames" sa)" 1
done

t0=$EPOCHSECONDS
end=$((t0 + secs))

# pktgen stops by itself when s0 loses its link (down, peer gone): restart
# it until the end, adding up what each run sent.  Runs inside sa.
pktgen_loop() {
	local total=0 runs=0 n
	while [ $EPOCHSECONDS -lt "$end" ]; do
		echo start >$pg/pgctrl 2>/dev/null
		n=$(awk '{ for (i = 1; i < NF; i++) if ($i == "pkts-sofar:") print $(i + 1) }' $pg/s0)
		total=$((total + ${n:-0}))
		runs=$((runs + 1))
		sleep 0.3
	done
	echo "$total $runs" >"$tmp/pktgen"
}
export tmp end pg
export -f pktgen_loop
ip netns exec sa bash -c pktgen_loop &
pgloop=$!

# udp_loop PORT: udp_flood.py in 1 s bursts, 1 s apart (it floods as fast
# as the stack takes datagrams, and gives up when the route goes away with
# the link), adding up the datagrams sent.
udp_loop() {
	local total=0 n
	while [ $EPOCHSECONDS -lt "$end" ]; do
		n=$(nice -n 19 ip netns exec sa python3 "$TSNIC_SELFTESTS/udp_flood.py" \
			$B 1 600 "$1" 2>/dev/null)
		n=${n%% *}
		total=$((total + ${n:-0}))
		sleep 1
	done
	echo "$total" >"$tmp/udp$1"
}

ip netns exec sb nice -n 19 python3 "$tmp/tcp.py" server 5001 "$secs" >"$tmp/tcp-server" &
tcpserver=$!
ip netns exec sa nice -n 19 python3 "$tmp/tcp.py" client $B 5001 "$secs" >"$tmp/tcp-client" &
traffic=($!)
udp_loop 7001 &
traffic+=($!)
ip netns exec sa nice -n 19 python3 "$tmp/tsflood.py" $B 319 "$secs" >"$tmp/ts" &
traffic+=($!)

# ---- reconfiguration loops ---------------------------------------------

# run_loop NAME FUNC START: from time START on, call FUNC ITERATION until
# the end; record the number of iterations and of failed ones in $tmp/NAME.
# The loops on s0 run inside sa (one `ip netns exec` per loop, not per
# operation).
run_loop() {
	local name=$1 fn=$2 n=0 e=0
	while [ $EPOCHSECONDS -lt "$3" ]; do
		sleep 0.5
	done
	while [ $EPOCHSECONDS -lt "$end" ]; do
		echo "$EPOCHREALTIME $n" >>"$tmp/$name.log"
		"$fn" $n >>"$tmp/$name.log" 2>&1 || e=$((e + 1))
		n=$((n + 1))
	done
	echo "$n $e" >"$tmp/$name"
}

op_rings() {
	local sizes=(64 128 1024 256 512)
	ethtool -G s0 tx "${sizes[$(($1 % 5))]}" rx "${sizes[$((($1 + 2) % 5))]}"
	sleep 0.2
}
op_channels() {
	local txc=(2 3 4 2 3) rxc=(4 1 2 3 4)
	ethtool -L s0 tx "${txc[$(($1 % 5))]}" rx "${rxc[$(($1 % 5))]}"
	sleep 0.2
}
op_coalesce() {
	local usecs=(0 5 50 10 10) frames=(1 8 64 32 32) adaptive=(off off off off on)
	ethtool -C s0 adaptive-tx "${adaptive[$(($1 % 5))]}" \
		tx-usecs "${usecs[$(($1 % 5))]}" tx-frames "${frames[$(($1 % 5))]}"
	sleep 0.2
}
# on most of the time, so the timestamped flow gets its stamps
op_hwtstamp() {
	if [ $(($1 % 2)) = 0 ]; then
		hwstamp_ctl -i s0 -t 1 -r 12 && sleep 2
	else
		hwstamp_ctl -i s0 -t 0 -r 0 && sleep 0.5
	fi
}
op_updown() {
	ip link set s0 down && sleep 0.3 && ip link set s0 up && sleep 2
}
op_mtu() {
	local mtus=(9000 1280 4000 1500)
	ip link set s0 mtu "${mtus[$(($1 % 4))]}"
	sleep 0.5
}
# The peer: to sc and back, then deleted and re-created from sa.
op_peer() {
	ip -n sb link set s1 netns sc &&
		setup_s1 sc && sleep 0.5 &&
		ip -n sc link set s1 netns sb &&
		setup_s1 sb && sleep 1 &&
		ip -n sb link del s1 &&
		ip -n sa link add s1 numtxqueues 4 numrxqueues 4 link s0 netns sb type tsnic &&
		setup_s1 sb && sleep 2
}
# Readers: every /proc file and the netlink dumps, in both namespaces.
op_read() {
	local ns rc=0
	for ns in sa sb; do
		ip netns exec "$ns" sh -c 'find /proc/net/tsnic -type f | xargs -r cat' >/dev/null 2>&1
		tsnic -j -n "$ns" dev show >/dev/null || rc=1
		tsnic -j -n "$ns" queue show >/dev/null || rc=1
	done
	return $rc
}

export tmp end A B
export -f run_loop op_rings op_channels op_coalesce op_hwtstamp op_updown op_mtu
loops="rings channels coalesce hwtstamp updown mtu peer read"
pids=()
half=$((t0 + secs / 2))
for l in $loops; do
	case $l in
	peer) run_loop "$l" "op_$l" $half & ;;
	read) run_loop "$l" "op_$l" $t0 & ;;
	updown) ip netns exec sa bash -c "run_loop $l op_$l $half" & ;;
	*) ip netns exec sa bash -c "run_loop $l op_$l $t0" & ;;
	esac
	pids+=($!)
done
wait "${pids[@]}"
echo "# loops done at t+$((EPOCHSECONDS - t0)) s"
# the hwtstamp loop may have ended with stamping off: traffic still running
# (the timestamped flow) gets it on again
ip netns exec sa hwstamp_ctl -i s0 -t 1 -r 12 >/dev/null
wait "${traffic[@]}"
pgset pgctrl stop 2>/dev/null
wait $pgloop
ip netns exec sa cat $pg/s0 >"$tmp/pktgen.txt"
wait $tcpserver

# ---- results --------------------------------------------------------------

for l in $loops; do
	read -r n e <"$tmp/$l"
	echo "# loop $l: $n iterations, $e failed"
	check_ge "loop $l ran" "$n" 1
	if [ "$e" -ne 0 ]; then
		fail "loop $l: every operation succeeded"
		grep -v '^$' "$tmp/$l.log" | sort | uniq -c | sort -rn | head -n 5 | sed 's/^/# /'
	else
		ok "loop $l: every operation succeeded"
	fi
done
read -r pkts runs <"$tmp/pktgen"
read -r tcpb tcpc <"$tmp/tcp-client"
read -r tcprb tcprc <"$tmp/tcp-server"
read -r tss tsr <"$tmp/ts"
udp=$(cat "$tmp/udp7001")
echo "# pktgen: $pkts frames in $runs runs; UDP: $udp datagrams;" \
	"TCP: $tcpb bytes sent, $tcprb received, $tcpc connections;" \
	"timestamped UDP: $tss sent, $tsr stamps read"
check_ge "pktgen sent frames" "$pkts" 1
check_ge "UDP floods sent datagrams" "$udp" 1
check_ge "TCP moved data" "$tcprb" 1
check_ge "hardware TX timestamps delivered" "$tsr" 1
ip netns exec sa ethtool -S s0 | grep -E '^ +tx_hwtstamp_' | tr -s ' ' | tr '\n' ' ' |
	sed 's/^/# s0 timestamp unit:/; s/$/\n/'

# Back to 4 channels so every queue's counters show, then check them.
ip netns exec sa ethtool -L s0 tx 4 rx 4
frames_total=0
for q in 0 1 2 3; do
	check "s0 queue $q: frames = completions + flushed" wait_for 10 queue_balanced s0 $q sa
	f=$(counter s0 "tx_queue_${q}_frames" sa)
	echo "# s0 queue $q: $f frames, $(counter s0 "tx_queue_${q}_completions" sa) completed," \
		"$(counter s0 "tx_queue_${q}_flushed" sa) flushed"
	frames_total=$((frames_total + ${f:-0}))
done
for q in 0 1 2 3; do
	check "s1 queue $q: frames = completions + flushed" wait_for 10 queue_balanced s1 $q sb
done
echo "# s0 sent $frames_total frames in ${secs} s"
check_eq "the module holds no reference" 0 "$(cat /sys/module/tsnic/refcnt)"

# ---- unload with devices and traffic present -------------------------------

for p in 7001 7002; do
	ip netns exec sa python3 "$TSNIC_SELFTESTS/udp_flood.py" $B 4 600 $p >/dev/null 2>&1 &
done
(pgset pgctrl start 2>/dev/null) &
sleep 1.5
check "rmmod with devices and traffic present" rmmod tsnic
wait
check "no tsnic device is left" sh -c \
	"! ip -n sa -o link show type tsnic | grep -q . && ! ip -n sb -o link show type tsnic | grep -q ."
check "module is gone" sh -c "! lsmod | grep -q '^tsnic '"

# No skb left: the traffic's sockets are closed, the devices gone.
sleep 1
skb1=$(skbs)
echo "# skbuff objects: $skb0 before, $skb1 after"
check "no skb leaked (within 256)" test "$skb1" -le $((skb0 + 256))
[ -n "${TSNIC_STRESS_KEEP:-}" ] || rm -rf "$tmp"
finish
