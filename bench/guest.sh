#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark itself, run as root inside the VM (bench/run.sh boots it):
# every measurement of one kernel in one boot, tsnic side by side with
# dummy and veth, raw data written under OUTDIR for bench/report.py.
#
#   guest.sh -m TSNIC_KO -b BINDIR [-o OUTDIR] [-q] [-s SECTIONS]
#
#   -b  where udpsend and tsdelay (bench/*.c, built on the host) are
#   -q  quick: one short round of everything (a smoke test of the scripts)
#   -s  sections to run, a subset of "12345678" (default all)
#
# Sections: 1 TX packet rate (pktgen; UDP socket sender), 2 BQL latency
# under load, 3 timestamp delivery, 4 PTP sync quality, 5 scale (many
# devices: create, up, idle, delete; memory), 6 time sources (ts2phc from
# the GNSS receiver and from another PHC's output), 7 sync through a
# boundary clock, and one-step against two-step Sync, 8 TSN offloads (launch
# time error, ETF offload against software ETF on veth; taprio departures
# against the gate windows; CBS rate against idleslope).

set -u
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/.." && pwd)
module=
bindir=
out=/run/out/data
quick=0
sections=12345678
while getopts "m:b:o:qs:" opt; do
	case $opt in
	m) module=$OPTARG ;;
	b) bindir=$OPTARG ;;
	o) out=$OPTARG ;;
	q) quick=1 ;;
	s) sections=$OPTARG ;;
	*) exit 2 ;;
	esac
done
[ -n "$module" ] && [ -n "$bindir" ] || { echo "usage: guest.sh -m KO -b BINDIR" >&2; exit 2; }
export PATH=$bindir:$tree/tools/tsnic:$PATH

if [ $quick = 1 ]; then
	ROUNDS=1 PG_S=0.5 UDP_S=0.5 BQL_S=6 BQL_WARM=2 TS_N=50 TS_BURSTS=3
	PTP_S=20 PTP_WIN=8 TS2PHC_S=20 TS2PHC_WIN=8 SYNC_S=30 SYNC_WIN=10
	SCALE_N=20 SCALE_ROUNDS=1 SCALE_IDLE_S=2 SCALE_TRACE_S=1 SCALE_GRAPH_N=10
	TSN_N=20 TSN_HW_N=20 TSN_CYCLES=2 TSN_CBS_MS=200 TSN_IDLESLOPES="200 800"
else
	ROUNDS=${BENCH_ROUNDS:-3}	# interleaved rounds of every TX rate case
	PG_S=${BENCH_PG_S:-2}		# seconds per pktgen case
	UDP_S=${BENCH_UDP_S:-2}		# seconds per UDP sender case
	BQL_S=${BENCH_BQL_S:-15}	# seconds of bulk flow per BQL run
	BQL_WARM=3			# seconds of bulk flow before the probe starts
	TS_N=${BENCH_TS_N:-600}	# timestamped datagrams, one at a time
	TS_BURSTS=${BENCH_TS_BURSTS:-15}	# bursts per slot count
	PTP_S=${BENCH_PTP_S:-40}	# seconds per ptp4l run
	PTP_WIN=${BENCH_PTP_WIN:-20}	# the statistics window: the last PTP_WIN s
	TS2PHC_S=${BENCH_TS2PHC_S:-60}	# seconds per ts2phc run
	TS2PHC_WIN=${BENCH_TS2PHC_WIN:-30}	# its statistics window
	SYNC_S=${BENCH_SYNC_S:-90}	# seconds per section 7 run
	SYNC_WIN=${BENCH_SYNC_WIN:-40}	# its statistics window: the last SYNC_WIN s
	SCALE_N=${BENCH_SCALE_N:-500}	# pairs made at once
	SCALE_ROUNDS=${BENCH_SCALE_ROUNDS:-2}	# rounds of none, veth, tsnic
	SCALE_IDLE_S=${BENCH_SCALE_IDLE_S:-10}	# seconds of idle CPU measured
	SCALE_TRACE_S=${BENCH_SCALE_TRACE_S:-5}	# seconds of timer events counted
	SCALE_GRAPH_N=${BENCH_SCALE_GRAPH_N:-100}	# pairs traced (BENCH_PERF=1)
fi
TS_BURST_LEN=32
PG_SIZES=${BENCH_PG_SIZES:-60 1500}	# pktgen frame sizes
PG_THREADS=${BENCH_PG_THREADS:-1 2}	# pktgen threads (TX queues)
UDP_PAYLOADS=${BENCH_UDP_PAYLOADS:-18 1458}	# UDP payloads: 60 B and 1500 B frames
BQL_FLOWS=${BENCH_BQL_FLOWS:-4}	# parallel TCP flows of the bulk load

mkdir -p "$out"
cd "$out" || exit 1
log() { echo "[$(awk '{printf "%7.1f", $1}' /proc/uptime)] $*"; }
nsx() { local n=$1; shift; ip netns exec "$n" "$@"; }

netns_list=()
mkns() { ip netns add "$1" && netns_list+=("$1") && ip -n "$1" link set lo up &&
	nsx "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; }
delns() {
	local n
	for n in "$@"; do
		ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
	return 0
}
bgpids=()
cleanup() {
	local p
	for p in "${bgpids[@]}"; do kill "$p" 2>/dev/null; done
	delns "${netns_list[@]}"
}
trap cleanup EXIT

noipv6() { sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"; }
carrier_up() {	# DEV [NETNS]
	local i pre=()
	[ -n "${2:-}" ] && pre=(ip netns exec "$2")
	for ((i = 0; i < 100; i++)); do
		[ "$("${pre[@]}" cat "/sys/class/net/$1/carrier" 2>/dev/null)" = 1 ] && return 0
		sleep 0.1
	done
	echo "bench: no carrier on $1" >&2
	return 1
}
stat_of() { local v; read -r v <"/sys/class/net/$1/statistics/$2"; echo "$v"; }
counter() {	# DEV NAME [NETNS]
	local pre=()
	[ -n "${3:-}" ] && pre=(ip netns exec "$3")
	"${pre[@]}" ethtool -S "$1" | awk -v k="$2:" '$1 == k { print $2 }'
}
reload() {	# module parameters...
	rmmod tsnic 2>/dev/null
	insmod "$module" "$@" || { echo "bench: insmod $module $* failed" >&2; exit 1; }
	echo "insmod tsnic.ko $*" >>commands.txt
}

# Hold the kernel's netstamp static key on for the whole run, as
# selftests/run_tests.sh does: its 0 <-> 1 transitions live-patch the RX
# path, and under multi-threaded TCG another vCPU has been seen trapping on
# the patch's int3.  Every case here runs with the key on.
python3 -c '
import signal, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 35, 1)	# SO_TIMESTAMPNS
signal.pause()' &
bgpids+=($!)

for m in ptp pps_core gnss pktgen dummy veth sch_fq_codel; do modprobe -q $m; done

{
	echo "kernel=$(uname -r)"
	echo "kernel_build=$(uname -v)"
	echo "cmdline=$(cat /proc/cmdline)"
	echo "nproc=$(nproc)"
	echo "mem_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)"
	echo "cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
	echo "clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
	echo "clocksources=$(cat /sys/devices/system/clocksource/clocksource0/available_clocksource)"
	echo "clock_read_ns=$(clockcost 20000 | cut -d' ' -f2)"
	echo "quick=$quick"
	for v in ROUNDS PG_S UDP_S BQL_S BQL_WARM BQL_FLOWS TS_N TS_BURSTS TS_BURST_LEN PTP_S PTP_WIN \
		SCALE_N SCALE_ROUNDS SCALE_IDLE_S SCALE_TRACE_S SCALE_GRAPH_N TS2PHC_S TS2PHC_WIN SYNC_S SYNC_WIN; do
		echo "${v,,}=${!v}"
	done
	echo "ptp4l=$(ptp4l -v 2>&1)"
	echo "ts2phc=$(ts2phc -v 2>&1)"
	echo "iperf3=$(iperf3 -v 2>&1 | head -n 1)"
	echo "start_uptime=$(cut -d' ' -f1 /proc/uptime)"
} >meta.txt
: >commands.txt

# ---------------------------------------------------------------------------
# 1. TX packet rate
# ---------------------------------------------------------------------------
pg=/proc/net/pktgen
pgset() { echo "$2" >"$pg/$1" || echo "bench: pktgen: '$2' > $1 failed" >&2; }

# perf under control: perf_open OUT starts it with events disabled,
# perf_enable / perf_disable switch them, perf_close ends the recording.
perf_pid=
perf_open() {
	rm -f /tmp/perf-ctl /tmp/perf-ack
	mkfifo /tmp/perf-ctl /tmp/perf-ack || return 1
	perf record -q --no-buildid -e cpu-clock -F 999 -a -D -1 \
		--control fifo:/tmp/perf-ctl,/tmp/perf-ack -o "$1" -- sleep 3600 \
		>/dev/null 2>&1 &
	perf_pid=$!
	# each open waits for perf to open its end: perf is up after these
	exec {perf_ctl}>/tmp/perf-ctl {perf_ack}</tmp/perf-ack
}
perf_cmd() {
	local ack
	echo "$1" >&"$perf_ctl"
	read -r -t 300 ack <&"$perf_ack" || echo "bench: perf did not ack '$1'" >&2
}
perf_enable() { perf_cmd enable; }
perf_disable() { perf_cmd disable; }
perf_close() {
	exec {perf_ctl}>&- {perf_ack}<&-
	kill -INT "$perf_pid" 2>/dev/null
	wait "$perf_pid"
	rm -f /tmp/perf-ctl /tmp/perf-ack
}

# pktgen_case DEV SIZE THREADS: run for PG_S seconds, print the summed pps
# and the packets pktgen handed to ndo_start_xmit.  pkt_size is the frame
# without its FCS; clone_skb 0 (a fresh skb per frame: veth refuses clones).
pktgen_case() {
	local dev=$1 size=$2 nt=$3 t f
	sh "$tree/selftests/pktgen_clear.sh" 0 1
	for ((t = 0; t < nt; t++)); do
		f=$dev@$t
		pgset "kpktgend_$t" "add_device $f"
		pgset "$f" "count 0"
		pgset "$f" "pkt_size $size"
		pgset "$f" "delay 0"
		pgset "$f" "clone_skb 0"
		pgset "$f" "queue_map_min $t"
		pgset "$f" "queue_map_max $t"
		pgset "$f" "dst_mac 02:00:00:00:00:02"
		pgset "$f" "dst 192.168.79.2"
	done
	# PG_ON and PG_OFF, when set, bracket the traffic (the profiler)
	${PG_ON:+$PG_ON}
	echo start >"$pg/pgctrl" &
	local starter=$!
	sleep "$PG_S"
	${PG_OFF:+$PG_OFF}
	echo stop >"$pg/pgctrl"
	wait "$starter"
	# "Result: OK: 2000121(c1999870+d251) usec, 412345 (60byte,0frags)"
	# "  206160pps 98Mb/sec (98956800bps) errors: 0"  (bash only: every
	# exec reads its binary over 9p, which costs here)
	local line pps=0 pk=0 us=0
	for ((t = 0; t < nt; t++)); do
		while read -r line; do
			if [[ $line =~ ^Result:\ OK:\ ([0-9]+)\(.*usec,\ ([0-9]+)\  ]]; then
				((BASH_REMATCH[1] > us)) && us=${BASH_REMATCH[1]}
				pk=$((pk + BASH_REMATCH[2]))
			elif [[ $line =~ ^([0-9]+)pps ]]; then
				pps=$((pps + BASH_REMATCH[1]))
			fi
		done <"$pg/$dev@$t"
	done
	echo "$pps $pk $us"
	sh "$tree/selftests/pktgen_clear.sh" 0 1
}

section1_pktgen() {
	log "1: pktgen setup"
	reload
	ip link add pts numtxqueues 2 numrxqueues 2 type tsnic
	ip link add ptz numtxqueues 2 numrxqueues 2 type tsnic
	ethtool -C ptz adaptive-tx off tx-usecs 0 2>/dev/null || ethtool -C ptz tx-usecs 0
	# the fixed moderation of before adaptive-tx (a kernel without
	# adaptive-tx support has nothing to turn off, and is the same)
	ip link add pst numtxqueues 2 numrxqueues 2 type tsnic
	ethtool -C pst adaptive-tx off 2>/dev/null
	ip link add ptw0 numtxqueues 2 numrxqueues 2 type tsnic
	ip link add ptw1 link ptw0 numtxqueues 2 numrxqueues 2 type tsnic
	ip link add pdm numtxqueues 2 type dummy
	ip link add pve0 numtxqueues 2 numrxqueues 2 type veth peer name pve1 \
		numtxqueues 2 numrxqueues 2
	for d in pts ptz pst ptw0 ptw1 pdm pve0 pve1; do
		noipv6 $d
		ip link set $d up
	done
	for d in pts ptz pst ptw0 pdm pve0; do carrier_up $d || return 1; done
	cat >>commands.txt <<-EOF
	ip link add pts numtxqueues 2 numrxqueues 2 type tsnic          # tsnic alone (sink)
	ip link add ptz numtxqueues 2 numrxqueues 2 type tsnic; ethtool -C ptz adaptive-tx off tx-usecs 0   # sink, no moderation
	ip link add pst numtxqueues 2 numrxqueues 2 type tsnic; ethtool -C pst adaptive-tx off   # sink, fixed 10 us / 32 moderation
	ip link add ptw0 numtxqueues 2 numrxqueues 2 type tsnic         # tsnic wired pair
	ip link add ptw1 link ptw0 numtxqueues 2 numrxqueues 2 type tsnic
	ip link add pdm numtxqueues 2 type dummy
	ip link add pve0 numtxqueues 2 numrxqueues 2 type veth peer name pve1 numtxqueues 2 numrxqueues 2
	pktgen per thread t: add_device DEV@t; count 0; pkt_size SIZE; delay 0; clone_skb 0;
	    queue_map_min t; queue_map_max t; dst_mac 02:00:00:00:00:02; dst 192.168.79.2
	    echo start > pgctrl; sleep $PG_S; echo stop > pgctrl
	EOF
	# one warm-up pass, not recorded
	pktgen_case pts 60 1 >/dev/null
	echo "round case dev size threads pps packets usec tx_dropped peer_rx peer_dropped" >pktgen.txt
	local r c
	local cases=()
	for size in $PG_SIZES; do
		for nt in $PG_THREADS; do
			for c in tsnic:pts:- tsnic-wired:ptw0:ptw1 dummy:pdm:- veth:pve0:pve1 tsnic-usecs0:ptz:- \
				tsnic-static:pst:-; do
				cases+=("$c:$size:$nt")
			done
		done
	done
	for ((r = 1; r <= ROUNDS; r++)); do
		log "1: pktgen round $r/$ROUNDS"
		for c in "${cases[@]}"; do
			IFS=: read -r name dev peer size nt <<<"$c"
			local d0 p0 pd0 res
			d0=$(stat_of "$dev" tx_dropped)
			p0=0; pd0=0
			if [ "$peer" != - ]; then
				p0=$(stat_of "$peer" rx_packets); pd0=$(stat_of "$peer" rx_dropped)
			fi
			res=$(pktgen_case "$dev" "$size" "$nt")
			local d1 p1=0 pd1=0
			d1=$(stat_of "$dev" tx_dropped)
			if [ "$peer" != - ]; then
				p1=$(stat_of "$peer" rx_packets); pd1=$(stat_of "$peer" rx_dropped)
			fi
			echo "$r $name-$size-$nt $name $size $nt $res $((d1 - d0)) $((p1 - p0)) $((pd1 - pd0))" >>pktgen.txt
		done
	done
	ethtool -S pts >ethtool-pts.txt
	ethtool -S ptw0 >ethtool-ptw0.txt
	ethtool -S ptw1 >ethtool-ptw1.txt

	# A CPU profile of each device's 60 B, 1-thread case, when perf works in
	# this guest: software cpu-clock samples on all CPUs, recorded here and
	# reported on the host (bench/report.py) against this kernel's kallsyms.
	# perf starts with its events disabled and is switched on and off over
	# its control FIFO around the traffic itself: its start-up (it walks
	# every process and module) takes tens of seconds under TCG.  Off
	# unless BENCH_PERF=1.
	if [ "${BENCH_PERF:-0}" = 1 ] &&
	   perf record -q --no-buildid -e cpu-clock -a -o /tmp/perf-probe.data -- true >/dev/null 2>&1; then
		cat /proc/kallsyms >kallsyms.txt
		for c in ptw0 pve0 pts pdm; do
			perf_open "/tmp/perf-$c.data" || break
			PG_ON=perf_enable PG_OFF=perf_disable pktgen_case $c 60 1 >"perf-$c-pps.txt"
			perf_close
			cp "/tmp/perf-$c.data" "perf-$c.data"
			rm -f "/tmp/perf-$c.data"
		done
		echo "perf record --no-buildid -e cpu-clock -F 999 -a -D -1 --control fifo:CTL,ACK (enabled for the $PG_S s of one 60 B, 1-thread pktgen case)" >>commands.txt
	fi
	ip link del pts; ip link del ptz; ip link del pst; ip link del ptw0; ip link del pdm; ip link del pve0
}

section1_udp() {
	log "1: UDP sender setup"
	mkns ua; mkns ub
	ip link add uts0 netns ua type tsnic
	ip -n ua link add uts1 link uts0 type tsnic
	ip -n ua link set uts1 netns ub
	ip link add uve0 netns ua type veth peer name uve1 netns ub
	ip -n ua addr add 10.71.1.1/24 dev uts0
	ip -n ub addr add 10.71.1.2/24 dev uts1
	ip -n ua addr add 10.71.2.1/24 dev uve0
	ip -n ub addr add 10.71.2.2/24 dev uve1
	for d in uts0 uve0; do ip -n ua link set $d up; done
	for d in uts1 uve1; do ip -n ub link set $d up; done
	carrier_up uts0 ua && carrier_up uve0 ua || return 1
	# a sink that never reads: datagrams die at the full receive buffer
	nsx ub python3 -c '
import signal, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
s.bind(("0.0.0.0", 9000))
signal.pause()' &
	bgpids+=($!)
	sleep 1
	nsx ua ping -c 1 -W 5 10.71.1.2 >/dev/null && nsx ua ping -c 1 -W 5 10.71.2.2 >/dev/null ||
		echo "bench: UDP setup: no ping" >&2
	cat >>commands.txt <<-EOF
	UDP: tsnic pair uts0 (ns ua) -- uts1 (ns ub); veth pair uve0 (ns ua) -- uve1 (ns ub);
	    ip netns exec ua udpsend DST 9000 PAYLOAD $UDP_S   (payload 18 B: 60 B frame, 1458 B: 1500 B frame)
	    receiver in ub: a bound UDP socket that never reads (64 KiB buffer)
	EOF
	echo "round case dev size pps sent refused secs peer_rx" >udp.txt
	local r c
	for ((r = 1; r <= ROUNDS; r++)); do
		log "1: UDP round $r/$ROUNDS"
		for c in tsnic:10.71.1.2:uts1 veth:10.71.2.2:uve1; do
			IFS=: read -r name ip peer <<<"$c"
			for pay in $UDP_PAYLOADS; do
				local size=$((pay + 42)) p0 p1 res
				p0=$(nsx ub cat "/sys/class/net/$peer/statistics/rx_packets")
				res=$(nsx ua udpsend "$ip" 9000 "$pay" "$UDP_S")
				p1=$(nsx ub cat "/sys/class/net/$peer/statistics/rx_packets")
				set -- $res
				echo "$r $name-$size $name $size ${4:-0} ${1:-0} ${2:-0} ${3:-0} $((p1 - p0))" >>udp.txt
			done
		done
	done
	delns ua ub
}

# ---------------------------------------------------------------------------
# 2. BQL latency under load
# ---------------------------------------------------------------------------
# VARIANT: default (BQL as it is), forced (limit_min = the ring's bytes),
# ring4096 (4096 TX descriptors, BQL as it is); fwd and fwd-forced: the
# bulk TCP comes from a third namespace (qs, over a veth) and qa forwards
# it, as a router does, out of a 4096-descriptor qa0 with TSO and GSO off
# (MTU frames on the ring): no sender's TCP small queues bound the queue.
bql_run() {	# RATE VARIANT
	local rate=$1 variant=$2 d=bql/$1-$2
	local src=qa fwd=0
	case $variant in fwd*) fwd=1 src=qs ;; esac
	mkdir -p "$d"
	mkns qa; mkns qb
	ip link add qa0 netns qa type tsnic
	ip -n qa link add qb0 link qa0 type tsnic
	ip -n qa link set qb0 netns qb
	ip -n qa addr add 10.72.0.1/24 dev qa0
	ip -n qb addr add 10.72.0.2/24 dev qb0
	tsnic -n qa dev set qa0 rate "$rate"
	tsnic -n qb dev set qb0 rate "$rate"
	local ring
	case $variant in
	ring4096 | fwd*) nsx qa ethtool -G qa0 tx 4096 ;;
	esac
	if [ $fwd = 1 ]; then
		mkns qs
		ip link add vs0 netns qs type veth peer name vs1 netns qa
		ip -n qs addr add 10.70.0.1/24 dev vs0
		ip -n qa addr add 10.70.0.2/24 dev vs1
		ip -n qs link set vs0 up
		ip -n qa link set vs1 up
		ip -n qs route add default via 10.70.0.2
		nsx qa sysctl -qw net.ipv4.ip_forward=1
		nsx qa ethtool -K vs1 gro off
		nsx qa ethtool -K qa0 tso off gso off
	fi
	nsx qa tc qdisc replace dev qa0 root fq_codel
	ip -n qa link set qa0 up
	ip -n qb link set qb0 up
	# the way back to the source, once qb0 is up
	[ $fwd = 1 ] && ip -n qb route add 10.70.0.0/24 via 10.72.0.1
	carrier_up qa0 qa || return 1
	ring=$(nsx qa ethtool -g qa0 | awk '/^Current/ { c = 1 } c && /^TX:/ { print $2; exit }')
	local bq=/sys/class/net/qa0/queues/tx-0/byte_queue_limits
	case $variant in
	*forced) nsx qa sh -c "echo $((ring * 1514)) >$bq/limit_min" ;;
	esac
	{
		echo "rate=$rate variant=$variant tx_ring=$ring forwarded=$fwd"
		echo "limit_min=$(nsx qa cat $bq/limit_min) limit_max=$(nsx qa cat $bq/limit_max)"
		echo "flows=$BQL_FLOWS bulk_s=$BQL_S warm_s=$BQL_WARM"
	} >"$d/config.txt"
	nsx qb iperf3 -s -1 >"$d/iperf3-server.txt" 2>&1 &
	local srv=$!
	sleep 1
	nsx $src ping -c 1 -W 5 10.72.0.2 >/dev/null
	local e0
	e0=$(nsx qa ethtool -S qa0 | awk '$1 == "tx_queue_0_frames:" || $1 == "tx_queue_0_packets:" { printf "%s ", $2 }')
	nsx qa python3 "$here/bqlsample.py" qa0 "$BQL_S" 20 >"$d/inflight.txt" &
	local smp=$!
	nsx $src iperf3 -c 10.72.0.2 -t "$BQL_S" -P "$BQL_FLOWS" -J >"$d/iperf3.json" 2>&1 &
	local cli=$!
	sleep "$BQL_WARM"
	nsx qa ping -D -i 0.05 -w $((BQL_S - BQL_WARM - 1)) 10.72.0.2 >"$d/ping.txt" 2>&1
	wait $cli $smp
	kill $srv 2>/dev/null; wait $srv 2>/dev/null
	nsx qa tc -s qdisc show dev qa0 >"$d/qdisc.txt"
	nsx qa ethtool -S qa0 >"$d/ethtool.txt"
	# frames and packets (GSO segments) sent while the bulk load ran
	echo "$e0$(nsx qa ethtool -S qa0 | awk '$1 == "tx_queue_0_frames:" || $1 == "tx_queue_0_packets:" { printf "%s ", $2 }')" >"$d/segs.txt"
	delns qa qb qs
}

section2() {
	reload
	cat >>commands.txt <<-EOF
	BQL: tsnic pair qa0 (ns qa) -- qb0 (ns qb), one TX queue each
	    tsnic -n qa dev set qa0 rate RATE; tsnic -n qb dev set qb0 rate RATE
	    tc -n qa qdisc replace dev qa0 root fq_codel
	    forced:   echo \$((tx_ring * 1514)) > /sys/class/net/qa0/queues/tx-0/byte_queue_limits/limit_min
	    ring4096: ethtool -G qa0 tx 4096
	    fwd, fwd-forced (100mbit): iperf3 client in ns qs -- veth vs0/vs1 -- qa forwarding
	        (ip_forward=1, ethtool -K vs1 gro off, ethtool -K qa0 tso off gso off, ethtool -G qa0 tx 4096)
	    ip netns exec qb iperf3 -s -1; ip netns exec qa iperf3 -c 10.72.0.2 -t $BQL_S -P $BQL_FLOWS -J
	    after ${BQL_WARM} s: ip netns exec qa ping -D -i 0.05 -w $((BQL_S - BQL_WARM - 1)) 10.72.0.2
	    ip netns exec qa bench/bqlsample.py qa0 $BQL_S 20   (inflight and limit every 20 ms)
	EOF
	local rate v vs
	for rate in 100mbit 1gbit; do
		vs="default forced ring4096"
		[ $rate = 100mbit ] && vs="$vs fwd fwd-forced"
		for v in $vs; do
			log "2: BQL $rate $v"
			bql_run $rate $v
		done
	done
}

# ---------------------------------------------------------------------------
# 3. Timestamp delivery
# ---------------------------------------------------------------------------
section3() {
	log "3: timestamp delivery"
	reload
	mkdir -p ts
	mkns ta; mkns tb
	ip link add ta0 netns ta type tsnic
	ip -n ta link add tb0 link ta0 type tsnic
	ip -n ta link set tb0 netns tb
	ip -n ta addr add 10.73.0.1/24 dev ta0
	ip -n tb addr add 10.73.0.2/24 dev tb0
	ip -n ta link set ta0 up
	ip -n tb link set tb0 up
	carrier_up ta0 ta || return 1
	nsx tb python3 -c '
import signal, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 9100))
signal.pause()' &
	bgpids+=($!)
	sleep 1
	nsx ta ping -c 1 -W 5 10.73.0.2 >/dev/null
	cat >>commands.txt <<-EOF
	timestamps: tsnic pair ta0 (ns ta) -- tb0 (ns tb), default settings (rate unlimited)
	    ip netns exec ta tsdelay lat ta0 10.73.0.2 9100 $TS_N 1000 200
	then both at rate 1gbit: tsnic -n ta dev set ta0 rate 1gbit; tsnic -n tb dev set tb0 rate 1gbit
	    ip netns exec ta tsdelay lat ta0 10.73.0.2 9100 $TS_N 1000 200
	    for N in 1 4 16: tsnic -n ta dev set ta0 ts-slots N;
	        ip netns exec ta tsdelay burst ta0 10.73.0.2 9100 $TS_BURSTS $TS_BURST_LEN 50 200
	        (tx_hwtstamp_skipped and tx_hwtstamp_requested from ethtool -S, before and after)
	EOF
	nsx ta tsdelay lat ta0 10.73.0.2 9100 "$TS_N" 1000 200 >ts/lat-default.txt
	tsnic -n ta dev set ta0 rate 1gbit
	tsnic -n tb dev set tb0 rate 1gbit
	nsx ta tsdelay lat ta0 10.73.0.2 9100 "$TS_N" 1000 200 >ts/lat.txt
	nsx ta ethtool -S ta0 >ts/ethtool-lat.txt
	echo "slots requested hw_delivered skipped driver_requested" >ts/burst.txt
	local n
	for n in 1 4 16; do
		tsnic -n ta dev set ta0 ts-slots $n
		local s0 q0 s1 q1 res
		s0=$(counter ta0 tx_hwtstamp_skipped ta); q0=$(counter ta0 tx_hwtstamp_requested ta)
		res=$(nsx ta tsdelay burst ta0 10.73.0.2 9100 "$TS_BURSTS" "$TS_BURST_LEN" 50 200)
		s1=$(counter ta0 tx_hwtstamp_skipped ta); q1=$(counter ta0 tx_hwtstamp_requested ta)
		set -- $res
		echo "$n ${2:-0} ${4:-0} $((s1 - s0)) $((q1 - q0))" >>ts/burst.txt
	done
	delns ta tb
}

# ---------------------------------------------------------------------------
# 4. PTP sync quality
# ---------------------------------------------------------------------------
ptp_run() {	# NAME KIND(tsnic|veth) MODE(-H|-S) JITTER_NS
	local name=$1 kind=$2 mode=$3 jit=$4 d=ptp/$1
	mkdir -p "$d"
	mkns pma; mkns psl
	if [ "$kind" = tsnic ]; then
		ip link add pt0 netns pma type tsnic
		ip -n pma link add pt1 link pt0 type tsnic
		ip -n pma link set pt1 netns psl
		tsnic -n pma dev set pt0 freq-offset 0 ts-jitter "${jit}ns"
		tsnic -n psl dev set pt1 freq-offset 40ppm ts-jitter "${jit}ns"
	else
		ip link add pt0 netns pma type veth peer name pt1 netns psl
	fi
	ip -n pma addr add 10.74.0.1/24 dev pt0
	ip -n psl addr add 10.74.0.2/24 dev pt1
	ip -n pma link set pt0 up
	ip -n psl link set pt1 up
	carrier_up pt0 pma || return 1
	local extra=()
	[ "$mode" = -S ] && extra=(--pi_proportional_const=0.1 --pi_integral_const=0.05)
	echo "kind=$kind mode=$mode jitter_ns=$jit run_s=$PTP_S win_s=$PTP_WIN extra=${extra[*]}" >"$d/config.txt"
	nsx pma timeout "$PTP_S" ptp4l -i pt0 "$mode" -m -f /tmp/bench-ptp4l.cfg \
		--uds_address=/run/bench-ptp4l-m "${extra[@]}" >"$d/master.log" 2>&1 &
	local master=$!
	nsx psl timeout "$PTP_S" ptp4l -i pt1 "$mode" -s -m -f /tmp/bench-ptp4l.cfg \
		--uds_address=/run/bench-ptp4l-s "${extra[@]}" >"$d/slave.log" 2>&1
	wait $master
	if [ "$kind" = tsnic ]; then
		nsx pma ethtool -S pt0 | grep hwtstamp >"$d/ethtool-master.txt"
		nsx psl ethtool -S pt1 | grep hwtstamp >"$d/ethtool-slave.txt"
	fi
	delns pma psl
}

section4() {
	reload freq_random_ppb=0
	cat >/tmp/bench-ptp4l.cfg <<-EOF
	[global]
	logSyncInterval -2
	logMinDelayReqInterval -2
	summary_interval -2
	EOF
	cat >>commands.txt <<-EOF
	PTP: pair pt0 (ns pma, master) -- pt1 (ns psl, slave); tsnic: freq_random_ppb=0,
	    tsnic -n pma dev set pt0 freq-offset 0 ts-jitter Jns; tsnic -n psl dev set pt1 freq-offset 40ppm ts-jitter Jns
	    ip netns exec pma timeout $PTP_S ptp4l -i pt0 MODE -m -f ptp4l.cfg --uds_address=/run/bench-ptp4l-m
	    ip netns exec psl timeout $PTP_S ptp4l -i pt1 MODE -s -m -f ptp4l.cfg --uds_address=/run/bench-ptp4l-s
	    MODE -S adds --pi_proportional_const=0.1 --pi_integral_const=0.05
	    ptp4l.cfg: [global] logSyncInterval -2, logMinDelayReqInterval -2, summary_interval -2
	EOF
	local j
	for j in 0 20 100; do
		log "4: ptp4l -H, jitter $j ns"
		ptp_run "hw-j$j" tsnic -H $j
	done
	log "4: ptp4l -S on tsnic"
	ptp_run sw-tsnic tsnic -S 0
	log "4: ptp4l -S on veth"
	ptp_run sw-veth veth -S 0
}

# ---------------------------------------------------------------------------
# 5. Scale
# ---------------------------------------------------------------------------
# SCALE_N pairs at once, in namespace sc with IPv6 off (no frame of their
# own): tsnic wired pairs (sa$i, and sb$i wired to it) and veth pairs
# (va$i, vb$i), each made, brought up and deleted with one `ip -batch`
# (the ip process costs alike), then left idle.  Each round measures
# "none" (no device: the baseline of the idle figures), veth and tsnic,
# the order of the last two alternating.  Files under scale/:
#   time.txt    ROUND KIND STEP SECONDS LINES (create, up: all pairs;
#               delete: the first half, a request per device or veth
#               pair; delete-group: the second half, one request)
#   mem.txt     ROUND KIND STEP and /proc/meminfo fields (kB), slab caches
#               dropped first: before, created, up, deleted
#   idle.txt    ROUND KIND SECONDS and the "cpu" line of /proc/stat before
#               and after SCALE_IDLE_S seconds of idle
#   events.txt  ROUND KIND SECONDS HRTIMER TIMER WORK TSNIC WATCHDOG
#               OVERRUN: timer and workqueue callbacks run in
#               SCALE_TRACE_S seconds, those of tsnic's functions, those of
#               the stack's TX watchdog, events the trace buffer lost
#   sizes.txt   struct sizes of the module, of the stack's device and
#               queues and of the qdiscs (pahole over the BTF)
#   ring.txt    ethtool -g and -l of a new tsnic device
#   qdisc-KIND.txt  the default qdisc, and the qdisc of a device up
# With BENCH_PERF=1, a last untimed pass per kind profiles its create and
# its delete by group (perf-scale-KIND-STEP.data).
T=/sys/kernel/tracing
scale_events=(timer/hrtimer_expire_entry timer/timer_expire_entry workqueue/workqueue_execute_start)

scale_mem() {	# ROUND KIND STEP
	local line f v out="$1 $2 $3"
	sync
	echo 2 >/proc/sys/vm/drop_caches
	while read -r f v _; do
		case $f in
		MemFree: | Slab: | SReclaimable: | SUnreclaim: | VmallocUsed: | Percpu: | \
			KernelStack: | PageTables: | Cached: | Buffers: | AnonPages:) out+=" ${f%:}=$v" ;;
		esac
	done </proc/meminfo
	echo "$out" >>scale/mem.txt
}

scale_time() {	# ROUND KIND STEP BATCHFILE
	local t0 t1 n
	n=$(wc -l <"$4")
	t0=$EPOCHREALTIME
	ip -n sc -batch "$4" || echo "bench: ip -batch $3 ($2) failed" >&2
	t1=$EPOCHREALTIME
	echo "$1 $2 $3 $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') $n" >>scale/time.txt
}

scale_idle() {	# ROUND KIND
	local c0 c1 t0 t1 n
	read -r c0 </proc/stat
	t0=$EPOCHREALTIME
	sleep "$SCALE_IDLE_S"
	read -r c1 </proc/stat
	t1=$EPOCHREALTIME
	echo "$1 $2 $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') ${c0#cpu } ${c1#cpu }" >>scale/idle.txt

	[ -w $T/trace ] || return 0
	: >$T/trace
	t0=$EPOCHREALTIME
	echo 1 >$T/tracing_on
	sleep "$SCALE_TRACE_S"
	echo 0 >$T/tracing_on
	t1=$EPOCHREALTIME
	n=$(cat $T/per_cpu/cpu*/stats | awk '/^overrun:/ { s += $2 } END { print s + 0 }')
	awk -v r="$1" -v k="$2" -v s="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" -v o="$n" '
		/^#/ { next }
		/hrtimer_expire_entry:/ { h++ }
		/ timer_expire_entry:/ { t++ }
		/workqueue_execute_start:/ { w++ }
		/function[= ]+tsnic_/ { ts++ }
		/function[= ]+dev_watchdog/ { wd++ }
		END { printf "%s %s %s %d %d %d %d %d %d\n", r, k, s, h, t, w, ts, wd, o }' \
		$T/trace >>scale/events.txt
	: >$T/trace
}

scale_kind() {	# ROUND KIND(none|veth|tsnic)
	local r=$1 k=$2 i last
	if [ "$k" = none ]; then
		log "5: round $r, no devices: idle"
		scale_idle "$r" none
		return
	fi
	log "5: round $r, $k: $SCALE_N pairs"
	# the first half of the pairs is deleted a request at a time, the
	# second half by one request for all of them (their link group)
	: >/tmp/scale-add; : >/tmp/scale-up; : >/tmp/scale-del
	echo "link del group 7" >/tmp/scale-delgroup
	for ((i = 0; i < SCALE_N; i++)); do
		if [ "$k" = tsnic ]; then
			echo "link add sa$i type tsnic" >>/tmp/scale-add
			echo "link add sb$i link sa$i type tsnic" >>/tmp/scale-add
			echo "link set sa$i group 7 up" >>/tmp/scale-up
			echo "link set sb$i group 7 up" >>/tmp/scale-up
			# a tsnic device goes alone: its peer loses carrier
			((i < SCALE_N / 2)) && echo "link del sa$i" >>/tmp/scale-del &&
				echo "link del sb$i" >>/tmp/scale-del
			last=sb$i
		else
			echo "link add va$i type veth peer name vb$i" >>/tmp/scale-add
			echo "link set va$i group 7 up" >>/tmp/scale-up
			echo "link set vb$i group 7 up" >>/tmp/scale-up
			# a veth pair goes whole
			((i < SCALE_N / 2)) && echo "link del va$i" >>/tmp/scale-del
			last=vb$i
		fi
	done
	scale_mem "$r" "$k" before
	scale_time "$r" "$k" create /tmp/scale-add
	scale_mem "$r" "$k" created
	scale_time "$r" "$k" up /tmp/scale-up
	carrier_up "$last" sc
	if [ "$k" = tsnic ] && [ ! -s scale/ring.txt ]; then
		{ nsx sc ethtool -g sa0; nsx sc ethtool -l sa0; } >scale/ring.txt 2>&1
	fi
	if [ ! -s "scale/qdisc-$k.txt" ]; then
		{ sysctl net.core.default_qdisc; nsx sc tc qdisc show dev "${last%%[0-9]*}0"
		} >"scale/qdisc-$k.txt" 2>&1
	fi
	sleep 1
	scale_mem "$r" "$k" up
	scale_idle "$r" "$k"
	scale_time "$r" "$k" delete /tmp/scale-del
	scale_time "$r" "$k" delete-group /tmp/scale-delgroup
	sleep 1
	scale_mem "$r" "$k" deleted
}

# scale_untimed KIND N STEPFN: an untimed pass of N pairs of KIND, made
# (step create) and deleted by their link group (step delete-group), each
# step's ip -batch run by STEPFN KIND STEP FILE (scale_perf_step,
# scale_graph_step)
scale_untimed() {
	local k=$1 n=$2 fn=$3 i step f
	: >/tmp/scale-add; : >/tmp/scale-up
	for ((i = 0; i < n; i++)); do
		if [ "$k" = tsnic ]; then
			echo "link add sa$i type tsnic" >>/tmp/scale-add
			echo "link add sb$i link sa$i type tsnic" >>/tmp/scale-add
			echo "link set sa$i group 7" >>/tmp/scale-up
			echo "link set sb$i group 7" >>/tmp/scale-up
		else
			echo "link add va$i type veth peer name vb$i" >>/tmp/scale-add
			echo "link set va$i group 7" >>/tmp/scale-up
			echo "link set vb$i group 7" >>/tmp/scale-up
		fi
	done
	echo "link del group 7" >/tmp/scale-delgroup
	for step in create delete-group; do
		f=/tmp/scale-add
		[ $step = delete-group ] && f=/tmp/scale-delgroup &&
			ip -n sc -batch /tmp/scale-up >/dev/null 2>&1
		"$fn" "$k" "$step" "$f" || break
	done
	ip -n sc link del group 7 2>/dev/null
}

# scale_perf_step KIND STEP FILE: perf records the batch FILE
scale_perf_step() {
	perf_open "/tmp/perf-scale-$1-$2.data" || return 1
	perf_enable
	ip -n sc -batch "$3" >/dev/null 2>&1
	perf_disable
	perf_close
	cp "/tmp/perf-scale-$1-$2.data" "perf-scale-$1-$2.data"
	rm -f "/tmp/perf-scale-$1-$2.data"
}

# scale_profile KIND: SCALE_N pairs made and deleted by group, perf
# recording each of the two steps
scale_profile() {
	log "5: $1: profiled create and delete"
	scale_untimed "$1" "$SCALE_N" scale_perf_step
}

# The functions scale_graph times (function_graph restricted to them): the
# requests, the stack's registration steps and their sysfs, uevent and
# device node (devtmpfs) parts, the PHC's and the platform device's, the
# waits for RCU, and tsnic's own.  One missing from a kernel is left out.
scale_funcs=(rtnl_newlink rtnl_dellink register_netdevice unregister_netdevice_many_notify
	netdev_register_kobject netdev_unregister_kobject device_add device_del
	devtmpfs_create_node devtmpfs_delete_node sysfs_create_groups kobject_uevent_env
	ptp_clock_register ptp_clock_unregister posix_clock_register posix_clock_unregister
	pps_register_source pps_unregister_source debugfs_create_dir debugfs_remove
	platform_device_add platform_device_del ptp_clock_release
	synchronize_rcu synchronize_net rcu_barrier
	tsnic_dev_init tsnic_dev_uninit tsnic_dev_free tsnic_proc_add tsnic_proc_del
	tsnic_phc_init tsnic_phc_fini)

# scale_graph_step KIND STEP FILE: the batch FILE traced: the calls of
# scale_funcs timed (graph-KIND-STEP.txt: the trace with each line's pid,
# so that a request that slept and woke on the other CPU is followed;
# overrun-KIND-STEP.txt: events the buffer lost)
scale_graph_step() {
	: >$T/trace
	echo 1 >$T/tracing_on
	ip -n sc -batch "$3" >/dev/null 2>&1
	echo 0 >$T/tracing_on
	cat $T/per_cpu/cpu*/stats | awk '/^overrun:/ { s += $2 } END { print s + 0 }' \
		>"scale/overrun-$1-$2.txt"
	cp $T/trace "scale/graph-$1-$2.txt"
	: >$T/trace
}

# scale_graph KIND: SCALE_GRAPH_N pairs made and deleted by group, each
# step traced
scale_graph() {
	log "5: $1: create and delete traced"
	scale_untimed "$1" "$SCALE_GRAPH_N" scale_graph_step
}

section5() {
	reload
	mkdir -p scale
	[ -e $T/trace ] || mount -t tracefs nodev $T 2>/dev/null
	[ -w $T/buffer_size_kb ] && echo 8192 >$T/buffer_size_kb
	# The events go on once and off once: switching one live-patches
	# kernel text, which multi-threaded TCG has been seen to trip over
	# (see the netstamp key above); no comm recording (it would patch the
	# scheduler's tracepoints too); tracing_on brackets each measurement.
	local e
	if [ -w $T/tracing_on ]; then
		echo 0 >$T/tracing_on
		echo 0 >$T/options/record-cmd
		for e in "${scale_events[@]}"; do echo 1 >"$T/events/$e/enable"; done
	fi
	local b
	pahole -F btf --btf_base /sys/kernel/btf/vmlinux -s /sys/kernel/btf/tsnic 2>/dev/null |
		awk '$1 ~ /^tsnic_/' >scale/sizes.txt
	pahole -F btf -s /sys/kernel/btf/vmlinux 2>/dev/null |
		awk '$1 ~ /^(net_device|netdev_queue|netdev_rx_queue|ptp_clock|platform_device|Qdisc|fq_codel_flow|fq_codel_sched_data)$/' \
		>>scale/sizes.txt
	for b in /sys/kernel/btf/sch_*; do
		[ -e "$b" ] || continue
		pahole -F btf --btf_base /sys/kernel/btf/vmlinux -s "$b" 2>/dev/null |
			awk '$1 ~ /^(fq_codel_sched_data|fq_codel_flow|pfifo_fast_priv)$/'
	done >>scale/sizes.txt
	mkns sc
	cat >>commands.txt <<-EOF
	Scale: namespace sc (IPv6 off), $SCALE_N pairs per kind, each step one ip -n sc -batch FILE:
	    tsnic: link add saI type tsnic; link add sbI link saI type tsnic / link set saI group 7 up;
	           link set sbI group 7 up / link del saI; link del sbI (first half) / link del group 7
	    veth:  link add vaI type veth peer name vbI / link set vaI group 7 up; link set vbI group 7 up
	           / link del vaI (first half) / link del group 7
	    memory: sync; echo 2 >/proc/sys/vm/drop_caches; /proc/meminfo
	    idle: /proc/stat over $SCALE_IDLE_S s, then tracefs timer/hrtimer_expire_entry, timer/timer_expire_entry,
	          workqueue/workqueue_execute_start over $SCALE_TRACE_S s
	EOF
	local r
	for ((r = 1; r <= SCALE_ROUNDS; r++)); do
		scale_kind "$r" none
		if ((r % 2)); then
			scale_kind "$r" veth
			scale_kind "$r" tsnic
		else
			scale_kind "$r" tsnic
			scale_kind "$r" veth
		fi
	done
	if [ "${BENCH_PERF:-0}" = 1 ] &&
	   perf record -q --no-buildid -e cpu-clock -a -o /tmp/perf-probe.data -- true >/dev/null 2>&1; then
		[ -s kallsyms.txt ] || cat /proc/kallsyms >kallsyms.txt
		scale_profile veth
		scale_profile tsnic
		echo "perf record --no-buildid -e cpu-clock -F 999 -a -D -1 --control fifo:CTL,ACK (enabled for one ip -batch of $SCALE_N pairs' create, and for ip link del group)" >>commands.txt
	fi
	# Where a pair's time goes, timed: with BENCH_PERF=1, as the profiles.
	# The tracer goes on once and off once (text patching, as above), the
	# timer events off meanwhile.
	if [ "${BENCH_PERF:-0}" = 1 ] && [ -w $T/current_tracer ] &&
	   grep -qw function_graph $T/available_tracers; then
		for e in "${scale_events[@]}"; do echo 0 >"$T/events/$e/enable"; done
		for f in "${scale_funcs[@]}"; do
			echo "$f" >>$T/set_ftrace_filter 2>/dev/null
		done
		cat $T/set_ftrace_filter >scale/graph-funcs.txt
		echo 1 >$T/options/funcgraph-proc
		echo 1 >$T/options/funcgraph-tail
		echo function_graph >$T/current_tracer
		scale_graph veth
		scale_graph tsnic
		echo nop >$T/current_tracer
		echo 0 >$T/options/funcgraph-proc
		echo 0 >$T/options/funcgraph-tail
		: >$T/set_ftrace_filter
		for e in "${scale_events[@]}"; do echo 1 >"$T/events/$e/enable"; done
		cat >>commands.txt <<-EOF
		Scale, traced: $SCALE_GRAPH_N pairs per kind made and deleted by group (as above), with the function_graph
		    tracer (funcgraph-proc, funcgraph-tail) restricted to: ${scale_funcs[*]}
		EOF
	fi
	if [ -w $T/tracing_on ]; then
		for e in "${scale_events[@]}"; do echo 0 >"$T/events/$e/enable"; done
		echo 1 >$T/options/record-cmd
		: >$T/trace
		echo 1 >$T/tracing_on
	fi
	delns sc
}

# ---------------------------------------------------------------------------
# 6. Time sources
# ---------------------------------------------------------------------------
# ts2phc disciplines a PHC running 40 ppm fast, with 20 ns of timestamp
# jitter, for TS2PHC_S seconds: from the device's GNSS receiver (NMEA on
# /dev/gnssN, 1PPS into SDP0 with 50 ns of pulse jitter; the PHC's offset
# from true TAI read at the end), and from another PHC's periodic output
# wired into SDP0 (5 ns).  Files under ts2phc/NAME/: log.txt (ts2phc -m),
# config.txt, and for gnss end.txt (tsnic -j dev show at the end).
# ts2phc (3.1) logs its offsets at debug level: -l 7.
ts2phc_run() {	# NAME
	local name=$1 d=ts2phc/$1 cfg
	mkdir -p "$d"
	cfg=$d/ts2phc.cfg
	ip link add tp0 type tsnic
	ip link add tp1 type tsnic
	tsnic dev set tp1 freq-offset 40ppm ts-jitter 20ns
	if [ "$name" = gnss ]; then
		tsnic dev set tp1 gnss on gnss-jitter 50ns
		local idx
		idx=$(tsnic -j dev show tp1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["gnss"]["index"])')
		# Debian 12's leap-seconds.list expired in June 2026: the same
		# table with a later expiry (ts2phc refuses times past it)
		{
			echo "#@	$(($(date +%s) + 10 * 365 * 86400 + 2208988800))"
			echo "3692217600	37"
		} >/tmp/bench-leap
		printf '[global]\nts2phc.nmea_serialport /dev/gnss%s\nleapfile /tmp/bench-leap\n[tp1]\nts2phc.pin_index 0\n' \
			"$idx" >"$cfg"
		timeout "$TS2PHC_S" stdbuf -oL ts2phc -f "$cfg" -s nmea -m -l 7 >"$d/log.txt" 2>&1
		tsnic -j dev show tp1 >"$d/end.txt"
	else
		local src
		src=/dev/ptp$(ethtool -T tp0 | awk '/PTP Hardware Clock:/ { print $4 }')
		tsnic pin connect tp0 SDP1 tp1 SDP0 delay 5ns
		printf '[global]\n[%s]\nts2phc.pin_index 1\n[tp1]\nts2phc.pin_index 0\n' "$src" >"$cfg"
		timeout "$TS2PHC_S" stdbuf -oL ts2phc -f "$cfg" -s "$src" -c tp1 -m -l 7 >"$d/log.txt" 2>&1
	fi
	printf "run_s=%s\nwin_s=%s\n" "$TS2PHC_S" "$TS2PHC_WIN" >"$d/config.txt"
	ip link del tp0
	ip link del tp1
}

section6() {
	reload freq_random_ppb=0
	cat >>commands.txt <<-EOF
	Time sources: tp0, tp1 unwired; freq_random_ppb=0; tsnic dev set tp1 freq-offset 40ppm ts-jitter 20ns
	    gnss: tsnic dev set tp1 gnss on gnss-jitter 50ns; timeout $TS2PHC_S ts2phc -f CFG -s nmea -m -l 7
	          CFG: ts2phc.nmea_serialport /dev/gnssN, leapfile (expiry moved on), [tp1] ts2phc.pin_index 0
	    phc:  tsnic pin connect tp0 SDP1 tp1 SDP0 delay 5ns; timeout $TS2PHC_S ts2phc -f CFG -s /dev/ptpA -c tp1 -m -l 7
	          CFG: [/dev/ptpA] ts2phc.pin_index 1, [tp1] ts2phc.pin_index 0
	EOF
	log "6: ts2phc -s nmea"
	ts2phc_run gnss
	log "6: ts2phc -s PHC over a wire"
	ts2phc_run phc
}

# ---------------------------------------------------------------------------
# 7. Sync through a boundary clock; one-step against two-step Sync
# ---------------------------------------------------------------------------
# Every clock runs 40 ppm off (module loaded with freq_random_ppb=0, then
# freq-offset +40ppm or -40ppm, alternating along the path, so that each
# hop's servo corrects 80 ppm) with 20 ns of timestamp jitter.  ptp4l sends
# 4 Syncs and 4 Delay_Reqs a second and logs every sample (summary_interval
# -2); its clock check is off (sanity_freq_limit 0): it compares the PHC's
# progress between two Syncs' RX stamps with CLOCK_MONOTONIC's between their
# processing, and a guest starved by a loaded host takes the scheduling
# delay for a clock running 200 ppm off and resets the servo.  Measured, besides ptp4l's logs: bench/phcdiff.py reads the slave's
# PHC against the grandmaster's (or master's) every 0.5 s, from the start
# of the run, as "T OFFSET BRACKET" (CLOCK_MONOTONIC s, ns, ns).
#   bc:       gm0 (ns sgm, grandmaster) -- p0 | p1, two ports of one card
#             (ns sbc, ptp4l -i p0 -i p1, boundary_clock_jbod 0) -- sl0
#             (ns ssl, slave); ptp4l -2.  Files under sync/bc/: gm.log,
#             bc.log, sl.log (ptp4l -m), phc.txt (sl0's PHC - gm0's),
#             config.txt.
#   twostep, onestep: a wired pair sm0 (ns ssm, master) -- ss0 (ns sss,
#             slave), UDPv4; the master with twoStepFlag 1 or 0 (one-step:
#             the engine writes originTimestamp into the Sync as it leaves).
#             Files under sync/NAME/: master.log, slave.log, phc.txt,
#             config.txt, ethtool-master.txt (its hwtstamp counters).
sync_phc() {	# NETNS DEV: DEV's PHC index
	nsx "$1" ethtool -T "$2" | awk '/PTP Hardware Clock:/ { print $4 }'
}
sync_bc() {
	local d=sync/bc pids
	mkdir -p "$d"
	mkns sgm; mkns sbc; mkns ssl
	ip link add p0 netns sbc type tsnic
	tsnic -n sbc dev add p1 card-of p0
	ip -n sbc link add gm0 link p0 type tsnic
	ip -n sbc link add sl0 link p1 type tsnic
	ip -n sbc link set gm0 netns sgm
	ip -n sbc link set sl0 netns ssl
	tsnic -n sgm dev set gm0 freq-offset 40ppm ts-jitter 20ns
	tsnic -n sbc dev set p0 freq-offset -40ppm ts-jitter 20ns
	tsnic -n ssl dev set sl0 freq-offset 40ppm ts-jitter 20ns
	ip -n sgm link set gm0 up
	ip -n sbc link set p0 up
	ip -n sbc link set p1 up
	ip -n ssl link set sl0 up
	carrier_up gm0 sgm || return 1
	carrier_up sl0 ssl || return 1
	local gm sl
	gm=$(sync_phc sgm gm0)
	sl=$(sync_phc ssl sl0)
	printf "run_s=%s\nwin_s=%s\ngm_phc=%s\nbc_phc=%s\nsl_phc=%s\n" "$SYNC_S" "$SYNC_WIN" \
		"$gm" "$(sync_phc sbc p0)" "$sl" >"$d/config.txt"
	nsx sgm timeout "$SYNC_S" stdbuf -oL ptp4l -2 -H -m -f /tmp/bench-sync.cfg -i gm0 \
		--priority1=100 --uds_address=/run/bench-sync-gm >"$d/gm.log" 2>&1 &
	pids=($!)
	nsx sbc timeout "$SYNC_S" stdbuf -oL ptp4l -2 -H -m -f /tmp/bench-sync.cfg -i p0 -i p1 \
		--boundary_clock_jbod=0 --uds_address=/run/bench-sync-bc >"$d/bc.log" 2>&1 &
	pids+=($!)
	nsx ssl timeout "$SYNC_S" stdbuf -oL ptp4l -2 -H -m -s -f /tmp/bench-sync.cfg -i sl0 \
		--uds_address=/run/bench-sync-sl >"$d/sl.log" 2>&1 &
	pids+=($!)
	python3 "$here/phcdiff.py" "/dev/ptp$gm" "/dev/ptp$sl" 0.5 "$SYNC_S" >"$d/phc.txt"
	wait "${pids[@]}"
	delns sgm sbc ssl
}
sync_pair() {	# NAME TWOSTEPFLAG
	local d=sync/$1 pids
	mkdir -p "$d"
	mkns ssm; mkns sss
	ip link add sm0 netns ssm type tsnic
	ip -n ssm link add ss0 link sm0 type tsnic
	ip -n ssm link set ss0 netns sss
	tsnic -n ssm dev set sm0 freq-offset -40ppm ts-jitter 20ns
	tsnic -n sss dev set ss0 freq-offset 40ppm ts-jitter 20ns
	ip -n ssm addr add 10.77.0.1/24 dev sm0
	ip -n sss addr add 10.77.0.2/24 dev ss0
	ip -n ssm link set sm0 up
	ip -n sss link set ss0 up
	carrier_up sm0 ssm || return 1
	local ma sl
	ma=$(sync_phc ssm sm0)
	sl=$(sync_phc sss ss0)
	printf "run_s=%s\nwin_s=%s\ntwostepflag=%s\n" "$SYNC_S" "$SYNC_WIN" "$2" >"$d/config.txt"
	nsx ssm timeout "$SYNC_S" stdbuf -oL ptp4l -H -m -f /tmp/bench-sync.cfg -i sm0 \
		--twoStepFlag="$2" --uds_address=/run/bench-sync-m >"$d/master.log" 2>&1 &
	pids=($!)
	nsx sss timeout "$SYNC_S" stdbuf -oL ptp4l -H -m -s -f /tmp/bench-sync.cfg -i ss0 \
		--uds_address=/run/bench-sync-s >"$d/slave.log" 2>&1 &
	pids+=($!)
	python3 "$here/phcdiff.py" "/dev/ptp$ma" "/dev/ptp$sl" 0.5 "$SYNC_S" >"$d/phc.txt"
	wait "${pids[@]}"
	nsx ssm ethtool -S sm0 | grep hwtstamp >"$d/ethtool-master.txt"
	delns ssm sss
}

section7() {
	reload freq_random_ppb=0
	cat >/tmp/bench-sync.cfg <<-EOF
	[global]
	logSyncInterval -2
	logMinDelayReqInterval -2
	logAnnounceInterval -1
	summary_interval -2
	tx_timestamp_timeout 100
	sanity_freq_limit 0
	EOF
	cat >>commands.txt <<-EOF
	Sync: freq_random_ppb=0; every clock freq-offset +-40ppm ts-jitter 20ns; runs of $SYNC_S s
	    ptp4l.cfg: [global] logSyncInterval -2, logMinDelayReqInterval -2, logAnnounceInterval -1,
	               summary_interval -2, tx_timestamp_timeout 100, sanity_freq_limit 0
	    bc: ip link add p0 type tsnic; tsnic dev add p1 card-of p0;
	        gm0 wired to p0 (ns sgm, +40ppm), sl0 wired to p1 (ns ssl, +40ppm), p0/p1 (ns sbc, -40ppm)
	        ip netns exec sgm ptp4l -2 -H -m -f ptp4l.cfg -i gm0 --priority1=100
	        ip netns exec sbc ptp4l -2 -H -m -f ptp4l.cfg -i p0 -i p1 --boundary_clock_jbod=0
	        ip netns exec ssl ptp4l -2 -H -m -s -f ptp4l.cfg -i sl0
	    twostep/onestep: sm0 (ns ssm, -40ppm) -- ss0 (ns sss, +40ppm), UDPv4
	        ip netns exec ssm ptp4l -H -m -f ptp4l.cfg -i sm0 --twoStepFlag=1|0
	        ip netns exec sss ptp4l -H -m -s -f ptp4l.cfg -i ss0
	    all: phcdiff.py /dev/ptpMASTER /dev/ptpSLAVE 0.5 $SYNC_S (root namespace)
	EOF
	log "7: boundary clock chain"
	sync_bc
	log "7: two-step Sync"
	sync_pair twostep 1
	log "7: one-step Sync"
	sync_pair onestep 0
}

# ---------------------------------------------------------------------------
# 8. TSN offloads
# ---------------------------------------------------------------------------
# (-q sets its own, shorter)
: "${TSN_N:=${BENCH_TSN_N:-200}}"	# frames per software ETF run, one every TSN_GAP_NS
TSN_GAP_NS=4000000
# frames through ETF offload: all of them at once in the ring, each
# asking for a stamp (64 slots), their launch times within the engine's
# 1 s horizon
: "${TSN_HW_N:=60}"
: "${TSN_CYCLES:=${BENCH_TSN_CYCLES:-10}}"	# taprio cycles of departures per class
: "${TSN_CBS_MS:=${BENCH_TSN_CBS_MS:-1000}}"	# ms of saturation per idleslope
: "${TSN_IDLESLOPES:=${BENCH_TSN_IDLESLOPES:-100 200 400 600 800}}"	# kbit/s, on 1 Mbit/s
tsn() { python3 "$tree/selftests/tsn.py" "$@"; }

# tsn_dev: tsn0, four TX queues, mqprio hw 1 with three traffic classes
# (priority N on queue N, 2 and 3 on class 2), its PHC on TAI
tsn_dev() {
	ip link add tsn0 numtxqueues 4 numrxqueues 4 type tsnic
	noipv6 tsn0
	tsnic dev set tsn0 rate "$1"
	ip link set tsn0 up
	tsn settai "/dev/ptp$(ethtool -T tsn0 | awk '/PTP Hardware Clock:/ { print $4 }')"
	# the engine completes frames when they depart: BQL must let a
	# backlog through to the ring
	local q
	for q in /sys/class/net/tsn0/queues/tx-*/byte_queue_limits/limit_min; do
		echo 2000000 >"$q"
	done
}

section8_etf() {
	local d=tsn/etf delta
	mkdir -p $d
	tsn_dev 100mbit
	tc qdisc replace dev tsn0 parent root handle 100 mqprio num_tc 3 \
		map 0 1 2 2 0 0 0 0 0 0 0 0 0 0 0 0 queues 1@0 1@1 2@2 hw 1
	# a completion on queue 1 applies BQL's new minimum limit
	tsn burst tsn0 1 114 1 >/dev/null
	# delta 1 s: etf hands every frame to the engine when it is queued.
	# With a delta of milliseconds its own timer decides when the frames
	# reach the device, and on a host loaded with other TCG guests it
	# fires late often enough that etf drops them before the offload
	# ever sees them (that is the software ETF's figure, measured below).
	tc qdisc replace dev tsn0 parent 100:2 etf clockid CLOCK_TAI delta 1000000000 offload
	log "8: $TSN_HW_N launch times through ETF offload on tsnic"
	tsn txtime tsn0 1 114 700 "$TSN_GAP_NS" "$TSN_HW_N" >$d/tsnic.txt
	ethtool -S tsn0 | grep -E 'tx_queue_1_launch' >$d/tsnic-counters.txt
	ip link del tsn0
	ip link add veth0 type veth peer name veth1
	noipv6 veth0
	noipv6 veth1
	ip link set veth1 up
	ip link set veth0 up
	for delta in 400000 2000000 10000000; do
		# etf cannot change its delta: a new qdisc each time
		tc qdisc del dev veth0 root 2>/dev/null
		tc qdisc add dev veth0 root etf clockid CLOCK_TAI delta $delta
		log "8: $TSN_N launch times through software ETF on veth, delta $delta ns"
		tsn txtime veth0 0 114 2000 "$TSN_GAP_NS" "$TSN_N" sw >$d/veth-$delta.txt
		tc -s qdisc show dev veth0 root >$d/veth-$delta-qdisc.txt
	done
	ip link del veth0
	printf "hw_n=%s\nhw_lead_ms=700\nn=%s\ngap_ns=%s\nsize=114\nrate=100mbit\noffload_delta_ns=1000000000\nsw_deltas=400000 2000000 10000000\nlead_ms=2000\n" \
		"$TSN_HW_N" "$TSN_N" "$TSN_GAP_NS" >$d/config.txt
}

section8_taprio() {
	local d=tsn/taprio
	mkdir -p $d
	tsn_dev 10mbit
	tc qdisc replace dev tsn0 parent root handle 100 taprio num_tc 3 \
		map 0 1 2 2 0 0 0 0 0 0 0 0 0 0 0 0 queues 1@0 1@1 1@2 base-time 0 \
		sched-entry S 01 300000 sched-entry S 02 300000 sched-entry S 04 400000 flags 0x2
	tc qdisc show dev tsn0 root >$d/qdisc.txt
	log "8: taprio: $((2 * TSN_CYCLES)) frames on each of 3 classes at once"
	tsn classes tsn0 114 $((2 * TSN_CYCLES)) 0 1 2 >$d/stamps.txt
	ethtool -S tsn0 | grep -E 'tx_queue_[0-2]_(window|engine)' >$d/counters.txt
	ip link del tsn0
	# class: gates open from-to (ns into the 1 ms cycle); wire time of a frame
	printf "cycle_ns=1000000\nwindows=0:0-300000 1:300000-600000 2:600000-1000000\nwire_ns=110400\nrate=10mbit\nsize=114\n" >$d/config.txt
}

section8_cbs() {
	local d=tsn/cbs idle n
	mkdir -p $d
	# 1 Mbit/s: the sender must keep the queue backlogged, and a guest
	# the host deschedules for milliseconds would not at 10 Mbit/s (a
	# frame ready late is an idle queue to the shaper: credit lost)
	tsn_dev 1mbit
	tc qdisc replace dev tsn0 parent root handle 100 mqprio num_tc 3 \
		map 0 1 2 2 0 0 0 0 0 0 0 0 0 0 0 0 queues 1@0 1@1 2@2 hw 1
	tsn burst tsn0 1 114 1 >/dev/null
	for idle in $TSN_IDLESLOPES; do
		# credits for frames of 1538 bytes on the wire (802.1Q annex L)
		tc qdisc replace dev tsn0 parent 100:2 cbs idleslope "$idle" \
			sendslope $((idle - 1000)) hicredit $((1538 * idle / 1000)) \
			locredit $((1538 * (idle - 1000) / 1000)) offload 1
		# frames of 1514 bytes: (1514 + 24) * 8 = 12304 bits on the wire
		n=$((idle * TSN_CBS_MS / 12304 + 1))
		# stamps on the first and the last frame only: the frames
		# between hold no stamp slot
		log "8: cbs idleslope $idle kbit/s: $n frames at once"
		echo "$n $(tsn span tsn0 1 1514 "$n")" >$d/idle-$idle.txt
		counter tsn0 tx_queue_1_cbs_waits >$d/idle-$idle-waits.txt
	done
	ip link del tsn0
	printf "rate_kbit=1000\nsize=1514\nwire_bits=12304\nsaturation_ms=%s\nidleslopes=%s\n" \
		"$TSN_CBS_MS" "$TSN_IDLESLOPES" >$d/config.txt
}

section8() {
	# rings holding a whole CBS run: the engine sees the backlog at once
	reload freq_random_ppb=0 ts_slots=64 ts_timeout_ms=5000 tx_ring=1024
	modprobe -q sch_etf
	modprobe -q sch_taprio
	modprobe -q sch_cbs
	modprobe -q sch_mqprio
	cat >>commands.txt <<-EOF
	TSN: tsn0 (4 TX queues), its PHC set to CLOCK_TAI; selftests/tsn.py sends and collects the stamps
	    etf:    rate 100mbit; mqprio 3 classes hw 1; etf clockid CLOCK_TAI delta 1000000000 offload on queue 1;
	            tsn.py txtime tsn0 1 114 700 $TSN_GAP_NS $TSN_HW_N (launch times 4 ms apart, from 700 ms on)
	            veth0: etf clockid CLOCK_TAI delta 400000 / 2000000 / 10000000 (root); tsn.py txtime veth0 0 114 2000 $TSN_GAP_NS $TSN_N sw
	    taprio: rate 10mbit; taprio 3 classes queues 1@0 1@1 1@2 base-time 0 S 01 300000, S 02 300000, S 04 400000 flags 0x2;
	            tsn.py classes tsn0 114 $((2 * TSN_CYCLES)) 0 1 2
	    cbs:    rate 1mbit; mqprio hw 1; cbs idleslope I sendslope I-1000 hicredit 1538*I/1000 locredit 1538*(I-1000)/1000 offload 1
	            on queue 1, I in $TSN_IDLESLOPES; tsn.py span tsn0 1 1514 N (N: $TSN_CBS_MS ms at I; past the qdisc; stamps on the first and the last)
	EOF
	section8_etf
	section8_taprio
	section8_cbs
}

case $sections in *1*) section1_pktgen; section1_udp ;; esac
case $sections in *2*) section2 ;; esac
case $sections in *3*) section3 ;; esac
case $sections in *4*) section4 ;; esac
case $sections in *5*) section5 ;; esac
case $sections in *6*) section6 ;; esac
case $sections in *7*) section7 ;; esac
case $sections in *8*) section8 ;; esac
rmmod tsnic 2>/dev/null
echo "end_uptime=$(cut -d' ' -f1 /proc/uptime)" >>meta.txt
dmesg | grep -E 'WARNING|BUG|Oops|tsnic' | tail -n 50 >dmesg.txt
log "done"
