#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The soak (make soak, in the VM on the debug kernel; selftests/vm/soak.sh
# boots it): for MINUTES minutes, in rounds, everything at once on several
# wired pairs across namespaces, then a count of every frame.
#
# In each round, concurrently:
#   - traffic: UDP floods both ways (u0-u1, four queues), a ping flood
#     (m0-m1), pktgen bursts (k0-k1), ptp4l with hardware timestamps and a
#     slow ping (p0-p1);
#   - every fault kind at once, on different senders, rotating in fixed
#     slots of $slot_secs s (the timestamp kinds over the two ptp4l ports,
#     the frame kinds and the cable pull over the other five senders;
#     gnss-fix on p0, the receiver's port, all the time): each kind fires
#     in every round however few steps a starved guest gets through, which
#     is a case of its own;
#   - ethtool -G/-L/-C on the devices carrying the UDP floods and pktgen;
#   - m1 moved between two namespaces and back, under the ping flood;
#   - a churn pair (c0-c1) created, flooded, counted and deleted again
#     (one end first, then the other);
#   - unprivileged readers (nobody, in every namespace) of every view:
#     /proc/net/tsnic/*, the tsnic CLI's dumps, ethtool -S/-g/-l/-c/-T.
# At the end of a round everything stops and, once the counters are still,
# every frame each device sent is accounted for (below); then the kernel
# log is checked, the devices deleted and the module removed and loaded
# again.  After the last round: two kmemleak scans must find nothing.
#
# The identity, per sender S wired to P (no GSO on this traffic: a
# completion is one frame; checked):
#   S frames = S flushed + S completions + frames left on S's rings (0)
#   S completions = S sink + S peer_drops + S fault_cable_drop_fired
#                 + P rx packets + P crc_errors + P drops_length
#                 + P rx_dropped (sysfs: drops_full + drops_down +
#                   drops_nomem + what __dev_forward_skb() refused)
# summed over the queues (ethtool -S lists every queue, active or not).
#
#   soak.sh -m MODULE -b BINDIR [-M MINUTES] [-o OUTDIR]
#
# Output: KTAP-style lines (one case per identity, log and leak check),
# and OUTDIR/soak-summary.md.  Exit status 0 when every case passed.

here=$(cd "$(dirname "$0")" && pwd)
module=
bindir=
minutes=30
out=/run/out
while getopts "m:b:M:o:" opt; do
	case $opt in
	m) module=$OPTARG ;;
	b) bindir=$OPTARG ;;
	M) minutes=$OPTARG ;;
	o) out=$OPTARG ;;
	*) exit 2 ;;
	esac
done
export TSNIC_SELFTESTS=$here
export PATH=$bindir:$here/../tools/tsnic:$PATH

. "$here/lib.sh"
. "$here/klog.sh"

kml=/sys/kernel/debug/kmemleak
tmp=$(mktemp -d)
stop=$tmp/stop
summary=$out/soak-summary.md
kinds="ts-drop ts-delay ts-reorder cable-drop cable-corrupt cable-delay stall gnss-fix"
# each kind's trigger: every Nth event it applies to, counted from when it
# is set; few, for a guest that sends a frame a second on some pairs
declare -A every=([ts-drop]=8 [ts-delay]=3 [ts-reorder]=3 [cable-drop]=10
	[cable-corrupt]=10 [cable-delay]=4 [stall]=25 [gnss-fix]=3)
# the rotations (fault_loop): kinds over senders, one step a slot; "cable"
# is the cable pulled (used by name: rotate's namerefs)
# shellcheck disable=SC2034
ts_kinds=(ts-drop ts-delay ts-reorder)
# shellcheck disable=SC2034
ts_senders=(sa:p0 sb:p1)
# shellcheck disable=SC2034
frame_kinds=(cable-drop cable-corrupt cable-delay stall cable)
# shellcheck disable=SC2034
frame_senders=(sa:u0 sb:u1 sa:k0 sb:k1 sa:m0)
slot_secs=10
# the senders, NS:DEV (m1 moves: its replies are counted, its faults not set)
senders="sa:p0 sb:p1 sa:u0 sb:u1 sa:k0 sb:k1 sa:m0"
# the pairs counted at the end of a round: NS_A DEV_A NS_B DEV_B
pairs=("sa p0 sb p1" "sa u0 sb u1" "sa k0 sb k1" "sa m0 MOVING m1")

total=$((minutes * 60))
rounds=$(((minutes + 14) / 15))
[ "$rounds" -lt 2 ] && rounds=2
round_secs=$((total / rounds))

churns=0
moves=0
ethtool_ok=0
ethtool_err=0
reads=0
pktgen_bursts=0

cleanup_all() {
	touch "$stop"
	_cleanup
	rm -rf "$tmp"
}
trap cleanup_all EXIT

result() {	# result OK DESCRIPTION: a case (from any loop: counted in a file)
	# numbered from the file: the churn loop's cases are a subshell's
	KTAP_TESTNO=$(($(wc -l <"$tmp/results") + 1))
	if [ "$1" = 0 ]; then
		ok "$2"
	else
		fail "$2"
	fi
	echo "$1" >>"$tmp/results"
}

# snap NS DEV: the device's counters, the queues summed ("tx_frames",
# "rx_packets", "fault_stall_fired", ...) and sysfs rx_dropped, one
# "NAME VALUE" a line
snap() {
	ip netns exec "$1" sh -c "ethtool -S '$2' && echo sysfs_rx_dropped: \
		\$(cat /sys/class/net/$2/statistics/rx_dropped)" 2>/dev/null | awk '
		{ k = $1; sub(/:$/, "", k); v = $2 }
		k ~ /^tx_queue_[0-9]+_/ { sub(/^tx_queue_[0-9]+_/, "tx_", k) }
		k ~ /^rx_queue_[0-9]+_/ { sub(/^rx_queue_[0-9]+_/, "rx_", k) }
		{ t[k] += v }
		END { for (k in t) print k, t[k] }'
}

# where DEV: the namespace DEV is in (of sa sb sc)
where() {
	local n
	for n in sa sb sc; do
		ip -n "$n" link show "$1" >/dev/null 2>&1 && { echo "$n"; return; }
	done
}

# identity TAG NS_S S NS_P P: the identity for the frames S sent to P;
# the counts go to the summary
identity() {
	local tag=$1 ns=$2 s=$3 np=$4 p=$5 k
	local -A S=() P=()
	local s1 s2 p1 p2 i
	# S not sending while P is read (twice, the same): one consistent
	# view of the cable, though some timer of the stack may still send
	for ((i = 0; i < 20; i++)); do
		s1=$(snap "$ns" "$s")
		p1=$(snap "$np" "$p")
		s2=$(snap "$ns" "$s")
		p2=$(snap "$np" "$p")
		[ "$s1" = "$s2" ] && [ "$p1" = "$p2" ] && break
		sleep 1
	done
	while read -r k v; do S[$k]=$v; done <<<"$s2"
	while read -r k v; do P[$k]=$v; done <<<"$p2"
	if [ -z "${S[tx_frames]:-}" ] || [ -z "${P[rx_packets]:-}" ]; then
		result 1 "$tag $s->$p: counters unreadable"
		return
	fi
	local fr=${S[tx_frames]} fl=${S[tx_flushed]} co=${S[tx_completions]}
	local pk=${S[tx_packets]} sk=${S[tx_sink]} pd=${S[tx_peer_drops]}
	local cd=${S[fault_cable_drop_fired]} rx=${P[rx_packets]}
	local crc=${P[rx_crc_errors]} len=${P[rx_drops_length]}
	local rd=${P[sysfs_rx_dropped]} full=${P[rx_drops_full]}
	local down=${P[rx_drops_down]} nomem=${P[rx_drops_nomem]}
	local core=$((rd - full - down - nomem))
	local acc=$((sk + pd + cd + rx + crc + len + rd))
	local why=
	[ "$fr" -eq $((co + fl)) ] || why="$why frames $fr != completions $co + flushed $fl;"
	[ "$co" -eq "$pk" ] || why="$why completions $co != packets $pk (GSO?);"
	[ "$co" -eq "$acc" ] || why="$why completions $co != sink $sk + peer_drops $pd +\
 cable_drop $cd + $p rx $rx + crc $crc + length $len + rx_dropped $rd\
 (full $full down $down nomem $nomem core $core) = $acc;"
	result "$([ -z "$why" ] && echo 0 || echo 1)" \
		"$tag $s->$p: $fr sent = $rx received + $((fr - rx)) counted drops"
	[ -n "$why" ] && { echo "# $why"; echo "$tag $s->$p:$why" >>"$tmp/violations"; }
	local f=
	for k in $kinds; do f="$f ${S[fault_${k//-/_}_fired]:-0}"; done
	echo "$tag|$s|$p|$fr $rx $fl $sk $pd $cd $crc $len $full $down $nomem $core" \
		"${S[tx_timeout_resets]:-0} ${S[fault_cable_pulls]:-0}$f" >>"$tmp/idents"
}

# tsnic_devs NS: the tsnic devices in NS
tsnic_devs() {
	ip -n "$1" -o link show type tsnic 2>/dev/null |
		awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'
}

# counters_of [NS:DEV...]: a digest of the frame counters of these devices
# (default: every tsnic device), to tell when they are still
counters_of() {
	local l=("$@") n d
	if [ ${#l[@]} -eq 0 ]; then
		for n in sa sb sc; do
			for d in $(tsnic_devs "$n"); do l+=("$n:$d"); done
		done
	fi
	for d in "${l[@]}"; do
		ip netns exec "${d%%:*}" ethtool -S "${d#*:}" 2>/dev/null |
			grep -E '_(frames|completions|flushed|packets|sink|peer_drops|crc_errors|drops_[a-z]+):'
	done | md5sum
}

# ---- the activities, each a loop until $stop exists -----------------------

udp_loop() {	# udp_loop NS DST
	while [ ! -e "$stop" ]; do
		ip netns exec "$1" python3 "$here/udp_flood.py" "$2" 4 200 >/dev/null 2>&1
	done
}

ping_loop() {	# ping_loop NS DST [PING_OPTIONS...]
	local ns=$1 dst=$2
	shift 2
	while [ ! -e "$stop" ]; do
		ip netns exec "$ns" timeout 30 ping -q -W 1 "$@" "$dst" >/dev/null 2>&1
		[ -e "$stop" ] || sleep 0.2
	done
}

pg=/proc/net/pktgen
pktgen_loop() {
	local mac n=0
	mac=$(ip netns exec sb cat /sys/class/net/k1/address)
	while [ ! -e "$stop" ]; do
		ip netns exec sa timeout 300 sh -c "
			sh $TSNIC_SELFTESTS/pktgen_clear.sh
			echo 'add_device k0' >$pg/kpktgend_0
			for c in 'count 200' 'pkt_size 60' 'delay 20000' \
				'dst_mac $mac' 'dst 192.168.142.2'; do
				echo \"\$c\" >$pg/k0
			done
			sh $TSNIC_SELFTESTS/pktgen_start.sh
			sh $TSNIC_SELFTESTS/pktgen_clear.sh" >/dev/null 2>&1 && n=$((n + 1))
	done
	echo "$n" >"$tmp/pktgen.count"
}

ethtool_loop() {
	local i=0 okc=0 errc=0 c
	local steps=(
		"sa ethtool -G u0 tx 128 rx 128"
		"sb ethtool -L u1 tx 2 rx 2"
		"sa ethtool -C u0 tx-usecs 50 tx-frames 8"
		"sa ethtool -G k0 tx 64"
		"sa ethtool -L u0 tx 1 rx 3"
		"sb ethtool -C u1 adaptive-tx on"
		"sa ethtool -G u0 tx 1024 rx 512"
		"sb ethtool -G u1 tx 64 rx 64"
		"sa ethtool -L u0 tx 4 rx 4"
		"sb ethtool -L u1 tx 4 rx 4"
		"sb ethtool -C u1 adaptive-tx off tx-usecs 10 tx-frames 32"
		"sa ethtool -C u0 tx-usecs 0 tx-frames 1"
		"sa ethtool -G k0 tx 256"
		"sb ethtool -G u1 tx 256 rx 256"
	)
	while [ ! -e "$stop" ]; do
		c=${steps[i % ${#steps[@]}]}
		# shellcheck disable=SC2086
		if ip netns exec $c >/dev/null 2>>"$tmp/ethtool.err"; then
			okc=$((okc + 1))
		else
			errc=$((errc + 1))
			echo "  (was: $c)" >>"$tmp/ethtool.err"
		fi
		i=$((i + 1))
		sleep 1
	done
	echo "$okc $errc" >"$tmp/ethtool.count"
}

# m1 from sb to sc and back, re-addressed and up each time
move_loop() {
	local n=0 from=sb to=sc
	while [ ! -e "$stop" ]; do
		sleep 2
		ip -n "$from" link set m1 netns "$to" &&
			ip -n "$to" addr add 192.168.143.2/24 dev m1 &&
			ip -n "$to" link set m1 up && n=$((n + 1))
		if [ "$from" = sb ]; then from=sc to=sb; else from=sb to=sc; fi
	done
	echo "$n" >"$tmp/move.count"
}

# fault_args KIND on|off: the tsnic fault set arguments arming or clearing it
fault_args() {
	case $1:$2 in
	cable:on) echo cable pulled ;;
	cable:off) echo cable plugged ;;
	*:off) echo "$1-every 0" ;;
	ts-delay:on) echo "$1-every ${every[$1]} ts-delay 2ms" ;;
	cable-delay:on) echo "$1-every ${every[$1]} cable-delay 300us cable-jitter 200us" ;;
	*) echo "$1-every ${every[$1]}" ;;
	esac
}

# rotate STEP KINDS SENDERS [last]: sender i (of the array SENDERS) clears
# the kind step STEP - 1 armed on it and arms kind i + STEP (of the array
# KINDS, modulo its length), in one tsnic call; with "last", only clears
rotate() {
	local step=$1 i s old new args
	local -n rk=$2 rs=$3
	local n=${#rk[@]}
	for ((i = 0; i < ${#rs[@]}; i++)); do
		s=${rs[i]}
		args=
		if [ "$step" -gt 0 ]; then
			old=${rk[(i + step - 1) % n]}
			args=$(fault_args "$old" off)
		fi
		if [ "${4:-}" != last ]; then
			new=${rk[(i + step) % n]}
			args="$args $(fault_args "$new" on)"
		fi
		# shellcheck disable=SC2086
		tsnic -n "${s%%:*}" fault set "${s#*:}" $args >/dev/null 2>&1
	done
}

# every kind at once on different senders, a fixed slot each step; the
# gnss-fix fault on p0 throughout (its receiver's port); after $stop the
# last step is cleared, and run_round clears everything once more
fault_loop() {
	local step=0
	# shellcheck disable=SC2046 # the arguments, split
	[ "$gnss" = on ] &&
		tsnic -n sa fault set p0 $(fault_args gnss-fix on) >/dev/null 2>&1
	while [ ! -e "$stop" ]; do
		rotate "$step" ts_kinds ts_senders
		rotate "$step" frame_kinds frame_senders
		sleep "$slot_secs"
		step=$((step + 1))
	done
	rotate "$step" ts_kinds ts_senders last
	rotate "$step" frame_kinds frame_senders last
	echo "$step" >"$tmp/fault.count"
}

# every view, as nobody, in every namespace
reader_loop() {
	local n=0 ns
	while [ ! -e "$stop" ]; do
		for ns in sa sb sc; do
			# shellcheck disable=SC2016
			ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups \
				sh -c '
				for f in $(find /proc/net/tsnic -type f); do
					[ -e "$0" ] && exit
					cat "$f"
				done
				tsnic dev show; tsnic -j dev show; tsnic queue show
				tsnic fault show; tsnic pin show
				for d in $(ls /sys/class/net); do
					[ -e "$0" ] && exit
					[ -e /proc/net/tsnic/$d ] || continue
					tsnic -s stats show $d; tsnic -j -s stats show $d
					ethtool -S $d; ethtool -g $d; ethtool -l $d
					ethtool -c $d; ethtool -T $d
				done' "$stop" >/dev/null 2>&1
		done
		n=$((n + 1))
	done
	echo "$n" >"$tmp/read.count"
}

# churn: c0 (sa) - c1 (sc) made, flooded, counted, deleted, again
churn_loop() {
	local n=0 first
	while [ ! -e "$stop" ]; do
		wired_pair -n sa c0 sc c1 192.168.144 numtxqueues 2 numrxqueues 2 ||
			{ echo "# churn: wired_pair failed"; break; }
		ip netns exec sa ethtool -K c0 gso off tso off >/dev/null 2>&1
		ip netns exec sc ethtool -K c1 gso off tso off >/dev/null 2>&1
		ip netns exec sa python3 "$here/udp_flood.py" 192.168.144.2 3 300 >/dev/null 2>&1
		ip netns exec sc python3 "$here/udp_flood.py" 192.168.144.1 1 100 >/dev/null 2>&1
		wait_still 60 sa:c0 sc:c1
		identity "churn $n" sa c0 sc c1
		identity "churn $n" sc c1 sa c0
		# one end first: the other one becomes unwired, then goes too
		if [ $((n % 2)) = 0 ]; then first="sa c0"; else first="sc c1"; fi
		# shellcheck disable=SC2086
		ip -n ${first% *} link del ${first#* }
		ip -n sa link del c0 2>/dev/null
		ip -n sc link del c1 2>/dev/null
		n=$((n + 1))
	done
	echo "$n" >"$tmp/churn.count"
}

# wait_still SECONDS [NS:DEV...]: until two snapshots of the counters a
# second apart agree
wait_still() {
	local t=$1 a b i
	shift
	a=$(counters_of "$@")
	for ((i = 0; i < t; i++)); do
		sleep 1
		b=$(counters_of "$@")
		[ "$a" = "$b" ] && return 0
		a=$b
	done
	echo "# counters still moving after $1 s"
	return 1
}

# A lost TX timestamp faults a ptp4l port: it is reset at once and the
# master is back within a second of announces, so that the timestamp
# faults of the next slots find stamps to act on (with the default 16 s
# fault reset and 6 s announce timeout, the ports were never out of
# fault long enough for ts-delay and ts-reorder to fire)
ptp_cfg=$tmp/ptp4l.cfg
cat >"$ptp_cfg" <<CFG
[global]
logSyncInterval -2
logMinDelayReqInterval -2
logAnnounceInterval -2
fault_reset_interval ASAP
summary_interval 4
tx_timestamp_timeout 1000
CFG

# ---- a round ------------------------------------------------------------

# netns_quiet NS: a namespace whose devices have no IPv6 (no router or
# neighbour solicitations, no MLD reports of their own: nothing sent by a
# timer between the two ends' counter reads), also after a move into it
netns_quiet() {
	netns "$1" && ip netns exec "$1" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
}

setup_round() {
	netns_quiet sa && netns_quiet sb && netns_quiet sc &&
	wired_pair -n sa p0 sb p1 192.168.140 &&
	wired_pair -n sa u0 sb u1 192.168.141 numtxqueues 4 numrxqueues 4 &&
	wired_pair -n sa k0 sb k1 192.168.142 &&
	wired_pair -n sa m0 sb m1 192.168.143 || return 1
	local d
	for d in sa:p0 sb:p1 sa:u0 sb:u1 sa:k0 sb:k1 sa:m0 sb:m1; do
		ip netns exec "${d%%:*}" ethtool -K "${d#*:}" gso off tso off >/dev/null 2>&1
	done
	# the GNSS receiver, for gnss-fix (kernels without CONFIG_GNSS: off)
	tsnic -n sa dev set p0 gnss on >/dev/null 2>&1 && gnss=on || gnss=off
	return 0
}

run_round() {
	local r=$1 pids=() p
	rm -f "$stop" "$tmp"/*.count
	ip netns exec sa timeout $((round_secs + 120)) ptp4l -i p0 -m -f "$ptp_cfg" \
		--uds_address="$tmp/ptp-m.uds" >"$tmp/ptp4l-master.log" 2>&1 &
	pids+=($!)
	ip netns exec sb timeout $((round_secs + 120)) ptp4l -i p1 -s -m -f "$ptp_cfg" \
		--uds_address="$tmp/ptp-s.uds" >"$tmp/ptp4l-slave.log" 2>&1 &
	pids+=($!)
	udp_loop sa 192.168.141.2 & pids+=($!)
	udp_loop sb 192.168.141.1 & pids+=($!)
	ping_loop sa 192.168.143.2 -f -c 2000 & pids+=($!)
	ping_loop sa 192.168.140.2 -i 0.2 -c 50 & pids+=($!)
	pktgen_loop & pids+=($!)
	ethtool_loop & pids+=($!)
	move_loop & pids+=($!)
	fault_loop & pids+=($!)
	reader_loop & pids+=($!)
	churn_loop & pids+=($!)

	sleep "$round_secs"
	echo "# round $r: $(date -u +%T), stopping"
	touch "$stop"
	# the loops end their current step; ptp4l and the pings are killed
	for p in "${pids[@]:0:2}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	ip netns exec sa sh -c "echo stop >$pg/pgctrl" 2>/dev/null

	# faults off, m1 home, the cable plugged: then the counters settle
	local off=(cable plugged stalled-queues 0) k
	for k in $kinds; do off+=("$k-every" 0); done
	for p in $senders; do
		tsnic -n "${p%%:*}" fault set "${p#*:}" "${off[@]}" >/dev/null 2>&1
	done
	ptp_faults=$((${ptp_faults:-0} + $(grep -c 'FAULT' "$tmp/ptp4l-slave.log" "$tmp/ptp4l-master.log" |
		awk -F: '{ s += $2 } END { print s + 0 }')))
	ptp_slave=$((${ptp_slave:-0} + $(grep -c 'to SLAVE' "$tmp/ptp4l-slave.log")))
	echo "# round $r: $(date -u +%T), stopped; waiting for still counters"
	wait_still 120

	churns=$((churns + $(cat "$tmp/churn.count" 2>/dev/null || echo 0)))
	moves=$((moves + $(cat "$tmp/move.count" 2>/dev/null || echo 0)))
	reads=$((reads + $(cat "$tmp/read.count" 2>/dev/null || echo 0)))
	pktgen_bursts=$((pktgen_bursts + $(cat "$tmp/pktgen.count" 2>/dev/null || echo 0)))
	read -r a b <"$tmp/ethtool.count" 2>/dev/null || { a=0; b=0; }
	ethtool_ok=$((ethtool_ok + a))
	ethtool_err=$((ethtool_err + b))

	fault_steps=$((${fault_steps:-0} + $(cat "$tmp/fault.count" 2>/dev/null || echo 0)))

	local pr na a nb b
	for pr in "${pairs[@]}"; do
		read -r na a nb b <<<"$pr"
		[ "$nb" = MOVING ] && nb=$(where "$b")
		identity "round $r" "$na" "$a" "$nb" "$b"
		identity "round $r" "$nb" "$b" "$na" "$a"
	done
	faults_fired "$r"
}

# faults_fired ROUND: every kind (gnss-fix with the receiver on) and the
# cable pull happened in this round, summed over its senders
faults_fired() {
	local r=$1 k n c=15 missing=
	local -A col=([pulls]=14)
	for k in $kinds; do col[$k]=$c; c=$((c + 1)); done
	for k in $kinds pulls; do
		n=$(awk -F'|' -v t="round $r" -v c="${col[$k]}" '$1 == t {
			split($4, v, " "); s += v[c] } END { print s + 0 }' "$tmp/idents")
		echo "$r $k $n" >>"$tmp/fired"
		[ "$k" = gnss-fix ] && [ "$gnss" = off ] && continue
		[ "$n" -gt 0 ] || missing="$missing $k"
	done
	result "$([ -z "$missing" ] && echo 0 || echo 1)" \
		"round $r: every fault kind fired${missing:+ (not:$missing)}"
}

teardown_round() {
	local r=$1 n d
	for n in sa sb sc; do
		for d in $(tsnic_devs "$n"); do
			ip -n "$n" link del "$d" 2>/dev/null
		done
	done
	_cleanup
	_netns=()
	rmmod tsnic
	result $? "round $r: rmmod"
	dmesg >"$out/soak-dmesg-round$r.txt"
	if klog=$(klog_problems); then
		result 1 "round $r: kernel log"
		printf '%s\n' "$klog"
		logbad=$((${logbad:-0} + 1))
	else
		result 0 "round $r: kernel log clean"
	fi
	dmesg -C
}

# ---- main -----------------------------------------------------------------

modprobe -q ptp 2>/dev/null
modprobe -q pps_core 2>/dev/null
modprobe -q gnss 2>/dev/null
modprobe -q pktgen || echo "# no pktgen: its traffic is left out"
if [ -w "$kml" ]; then
	echo scan >"$kml"
	echo clear >"$kml"
fi
dmesg -C
: >"$tmp/results"
: >"$tmp/idents"
: >"$tmp/fired"
start=$(date +%s)
echo "# soak: $minutes minutes, $rounds rounds of $round_secs s, kernel $(uname -r)"
for ((r = 1; r <= rounds; r++)); do
	rmmod tsnic 2>/dev/null
	if ! insmod "$module"; then
		result 1 "round $r: insmod"
		break
	fi
	if ! setup_round; then
		result 1 "round $r: setup"
		teardown_round "$r"
		continue
	fi
	echo "# round $r: $(date -u +%T), GNSS receiver $gnss"
	run_round "$r"
	teardown_round "$r"
done
secs=$(($(date +%s) - start))

leak=skipped
if [ -w "$kml" ]; then
	echo scan >"$kml"
	sleep 10
	echo scan >"$kml"
	cat "$kml" >"$out/soak-kmemleak.txt"
	if [ -s "$out/soak-kmemleak.txt" ]; then
		leak="$(grep -c '^unreferenced object' "$out/soak-kmemleak.txt") unreferenced objects"
		result 1 "kmemleak: $leak"
		head -n 100 "$out/soak-kmemleak.txt" | sed 's/^/# /'
	else
		leak="clean (two scans after the last rmmod)"
		result 0 "kmemleak: no unreferenced object"
	fi
fi

pass=$(grep -c '^0$' "$tmp/results")
failn=$(grep -c -v '^0$' "$tmp/results")
# the sums over every identity line: sent, received, the drops, the faults
# ("sums COLUMN..." of the numbers after the tag)
read -r -a tot < <(awk -F'|' '{ n = split($4, v, " ")
	for (i = 1; i <= n; i++) t[i] += v[i]; m = n }
	END { for (i = 1; i <= m; i++) printf "%d ", t[i]; print "" }' "$tmp/idents")
cols=(sent received flushed sink peer_drops cable_drop crc_errors drops_length
	drops_full drops_down drops_nomem core_rx_dropped tx_timeout_resets cable_pulls)
declare -A sum=()
i=0
for c in "${cols[@]}" $kinds; do
	sum[$c]=${tot[i]:-0}
	i=$((i + 1))
done
{
	echo "# tsnic soak: $(uname -r)"
	echo
	echo "- duration: $secs s ($minutes minutes asked), $rounds rounds of $round_secs s" \
		"of activity, each followed by the count, the log check, the deletes and rmmod"
	echo "- result: $pass passed, $failn failed (each identity, rmmod, log check, kmemleak a case)"
	echo "- frames sent (all devices, all rounds): ${sum[sent]}, received by the peer:" \
		"${sum[received]}, counted drops: $((sum[sent] - sum[received]))"
	echo "- identities checked: $(wc -l <"$tmp/idents") (sender and round or churn pair)," \
		"violated: $(grep -c . "$tmp/violations" 2>/dev/null || echo 0)"
	echo "- kernel log (KASAN, lockdep, UBSAN, WARN, BUG, ...): $([ "${logbad:-0}" = 0 ] &&
		echo clean || echo "reports in ${logbad} rounds")"
	echo "- kmemleak: $leak"
	echo "- activity: $churns churn pairs made, flooded, counted and deleted; $moves netns moves;" \
		"$ethtool_ok ethtool -G/-L/-C changes ($ethtool_err refused);" \
		"$pktgen_bursts pktgen bursts; $reads reader passes (nobody, 3 namespaces);" \
		"ptp4l: the slave reached SLAVE $ptp_slave times, $ptp_faults FAULT lines"
	echo "- GNSS receiver (for gnss-fix): $gnss"
	echo
	echo "Faults fired (the round's senders; $fault_steps rotation steps of" \
		"$slot_secs s in all; gnss-fix needs the GNSS receiver):"
	echo
	printf '| kind |'
	for ((r = 1; r <= rounds; r++)); do printf ' round %d |' "$r"; done
	printf ' all |\n| --- |'
	for ((r = 0; r <= rounds; r++)); do printf ' --- |'; done
	echo
	for k in $kinds pulls; do
		printf '| %s |' "$([ "$k" = pulls ] && echo "cable pulls" || echo "$k")"
		for ((r = 1; r <= rounds; r++)); do
			printf ' %s |' "$(awk -v r="$r" -v k="$k" '$1 == r && $2 == k { print $3 }' \
				"$tmp/fired")"
		done
		printf ' %s |\n' "$(awk -v k="$k" '$2 == k { s += $3 } END { print s + 0 }' \
			"$tmp/fired")"
	done
	echo
	echo "TX timeout resets (after stalls): ${sum[tx_timeout_resets]}"
	echo
	echo "Drops by kind (all senders, all rounds):"
	echo
	echo "| counter | frames |"
	echo "| --- | --- |"
	for k in "${cols[@]:2:10}"; do echo "| $k | ${sum[$k]} |"; done
	echo
	echo "Per sender (sent = received + the drops; churn pairs summed):"
	echo
	echo "| round | sender->peer | sent | received | flushed | sink | peer_drops |" \
		"cable_drop | crc | length | full | down | nomem | core |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	awk -F'|' '{ tag = $1; sub(/^churn [0-9]+/, "churn", tag)
		k = tag "|" $2 "->" $3; if (!(k in seen)) { seen[k] = 1; order[++n] = k }
		m = split($4, v, " "); for (i = 1; i <= 12; i++) t[k, i] += v[i] }
		END { for (j = 1; j <= n; j++) { k = order[j]; split(k, kk, "|")
			printf "| %s | %s |", kk[1], kk[2]
			for (i = 1; i <= 12; i++) printf " %d |", t[k, i]; printf "\n" } }' \
		"$tmp/idents"
} >"$summary"
[ -s "$tmp/violations" ] && cp "$tmp/violations" "$out/soak-violations.txt"
[ -s "$tmp/ethtool.err" ] && cp "$tmp/ethtool.err" "$out/soak-ethtool-refused.txt"
echo "# Totals: pass:$pass fail:$failn xfail:0 xpass:0 skip:0 error:0"
[ "$failn" -eq 0 ]
