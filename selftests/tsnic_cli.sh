#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The tsnic CLI against the kernel: `dev show` agrees with ethtool and
# ip -s link, `dev set` changes are seen everywhere, errors carry the
# kernel's message, -n NETNS works.
. "$(dirname "$0")/lib.sh"

command -v tsnic >/dev/null || { echo "# tsnic CLI not built"; exit 4; }

netns cla
netns clb
ip -n cla link add tsnica type tsnic
ip -n cla link add tsnicb link tsnica type tsnic
ip -n cla link set tsnicb netns clb
no_ipv6 tsnica cla
no_ipv6 tsnicb clb
ip -n cla link set tsnica up
ip -n clb link set tsnicb up
ip -n cla addr add 192.168.78.1/24 dev tsnica
ip -n clb addr add 192.168.78.2/24 dev tsnicb
wait_for 5 operstate_is tsnica up cla
check "ping across the cable" ip netns exec cla ping -c 5 -i 0.2 -W 5 192.168.78.2

# snap NETNS ARGS...: run `tsnic [-n NETNS] -j ARGS`, check it is a JSON array
# whose numbers are numbers, and flatten its first object into shell
# variables: J_ifname, J_osc_freq_ppb, J_stats_tx_packets...; J_count is the
# array's length.  One python per snapshot: python starts slowly under TCG.
snap() {
	local nsarg=() out
	[ -n "$1" ] && nsarg=(-n "$1")
	shift
	unset "${!J_@}"
	out=$(tsnic "${nsarg[@]}" -j "$@" | python3 -c '
import json, shlex, sys
d = json.load(sys.stdin)
assert isinstance(d, list)
def flat(p, o):
    for k, v in o.items():
        if isinstance(v, dict):
            flat(p + k + "_", v)
            continue
        assert isinstance(v, (int, bool)) or k in ("ifname", "type", "hwtstamp_tx_type", "hwtstamp_rx_filter"), k
        print("J_%s%s=%s" % (p, k, shlex.quote(str(v))))
print("J_count=%d" % len(d))
print("J_types=%s" % shlex.quote(" ".join(str(o.get("type")) for o in d)))
if d:
    flat("", d[0])
') || return 1
	eval "$out"
}

check "-j -p dev show is valid JSON" sh -c "tsnic -n cla -j -p dev show | python3 -m json.tool >/dev/null"
snap cla dev show
check_eq "-j dev show: an array, numbers as numbers" 0 "$?"
check_eq "one tsnic device in cla" 1 "${J_count:-}"
snap "" dev show
check_eq "no tsnic device in the initial namespace" 0 "$J_count"

# counters: ip -s link, ethtool -S, -T, -g see the same numbers
ipstat() {	# ipstat NETNS DEV: "rx_packets rx_bytes tx_packets tx_bytes"
	ip -n "$1" -j -s link show "$2" | python3 -c "
import json, sys
s = json.load(sys.stdin)[0]['stats64']
print(s['rx']['packets'], s['rx']['bytes'], s['tx']['packets'], s['tx']['bytes'])"
}
ips=$(ipstat cla tsnica)
snap cla dev show tsnica
check_eq "ifname" tsnica "${J_ifname:-}"
check_eq "ifindex matches sysfs" "$(ip netns exec cla cat /sys/class/net/tsnica/ifindex)" "${J_ifindex:-}"
check_eq "peer ifindex is tsnicb's" "$(ip netns exec clb cat /sys/class/net/tsnicb/ifindex)" \
	"${J_peer_ifindex:-}"
check "the peer in another namespace comes with its netns id" test -n "${J_peer_netnsid:-}"
check_eq "rx/tx packets and bytes = ip -s link" "$ips" \
	"${J_stats_rx_packets:-} ${J_stats_rx_bytes:-} ${J_stats_tx_packets:-} ${J_stats_tx_bytes:-}"
check_eq "tx_frames = ethtool -S tx_queue_0_frames" "$(counter tsnica tx_queue_0_frames cla)" \
	"${J_stats_tx_frames:-}"
check_eq "ts_requested = ethtool -S tx_hwtstamp_requested" \
	"$(counter tsnica tx_hwtstamp_requested cla)" "${J_stats_ts_requested:-}"
check_eq "phc_index = ethtool -T" \
	"$(ip netns exec cla ethtool -T tsnica | awk '/PTP Hardware Clock:/ { print $4 }')" \
	"${J_phc_index:-}"
ring=$(ip netns exec cla ethtool -g tsnica | awk '/^TX:/ { v = $2 } END { print v }')
check_eq "tx_ring = ethtool -g" "$ring" "${J_tx_ring:-}"

snap cla queue show tsnica 0
check_eq "queue ring_size = ethtool -g" "$ring" "${J_ring_size:-}"
check_eq "queue 0 completions = ethtool -S" "$(counter tsnica tx_queue_0_completions cla)" \
	"${J_stats_tx_completions:-}"
snap clb queue show tsnicb rx 0
check_eq "rx queue 0 packets = ethtool -S" "$(counter tsnicb rx_queue_0_packets clb)" \
	"${J_stats_rx_packets:-}"
snap cla queue show tsnica
check_eq "queue show DEV lists its TX and RX queues" "tx rx" "${J_types:-}"

# dev set
check "dev set rate 1gbit delay 5us tx-usecs 20 tx-frames 16" \
	tsnic -n cla dev set tsnica rate 1gbit delay 5us tx-usecs 20 tx-frames 16
snap cla dev show tsnica
check_eq "rate_bps delay_ns tx_usecs tx_frames" "1000000000 5000 20 16" \
	"${J_rate_bps:-} ${J_delay_ns:-} ${J_tx_usecs:-} ${J_tx_frames:-}"
check "ethtool speed follows the rate" \
	sh -c "ip netns exec cla ethtool tsnica | grep -q 'Speed: 1000Mb/s'"
check "ethtool -c sees tx-usecs 20 tx-frames 16" \
	sh -c "ip netns exec cla ethtool -c tsnica | grep -q '^tx-usecs: *20' &&
	       ip netns exec cla ethtool -c tsnica | grep -q '^tx-frames: *16'"
check "text output prints units" \
	sh -c "tsnic -n cla dev show tsnica | grep -q 'rate 1Gbit delay 5us'"
check "dev set rate 100mbit" tsnic -n cla dev set tsnica rate 100mbit
check "ethtool speed 100Mb/s" sh -c "ip netns exec cla ethtool tsnica | grep -q 'Speed: 100Mb/s'"
check "dev set rate 0 (unlimited)" tsnic -n cla dev set tsnica rate 0
check "text output: rate unlimited" sh -c "tsnic -n cla dev show tsnica | grep -q 'rate unlimited'"
check "dev set freq-offset 40ppm wander 10ppb ts-jitter 20ns" \
	tsnic -n cla dev set tsnica freq-offset 40ppm wander 10ppb ts-jitter 20ns
snap cla dev show tsnica
check_eq "oscillator" "40000 10 20" "${J_osc_freq_ppb:-} ${J_osc_wander_ppb:-} ${J_osc_jitter_ns:-}"
check "dev set freq-offset -1500ppb ts-slots 8 ts-timeout 5ms" \
	tsnic -n cla dev set tsnica freq-offset -1500ppb ts-slots 8 ts-timeout 5ms
snap cla dev show tsnica
check_eq "freq_ppb negative, the rest kept" "-1500 10 20" \
	"${J_osc_freq_ppb:-} ${J_osc_wander_ppb:-} ${J_osc_jitter_ns:-}"
check_eq "ts_slots ts_timeout_ms" "8 5" "${J_ts_slots:-} ${J_ts_timeout_ms:-}"
check "text output: freq-offset and ts-timeout" \
	sh -c "tsnic -n cla dev show tsnica | grep -q 'freq-offset -1500ppb wander 10ppb ts-jitter 20ns' &&
	       tsnic -n cla dev show tsnica | grep -q 'ts-slots 8 ts-timeout 5ms'"
check "traffic still flows" ip netns exec cla ping -c 2 -i 0.2 -W 5 192.168.78.2

# errors: exit 1 with the kernel's message; usage errors exit 2
# fails_with RC PATTERN CMD...: CMD exits RC and its stderr matches PATTERN
fails_with() {
	local rc=$1 pat=$2 out got
	shift 2
	out=$("$@" 2>&1 >/dev/null)
	got=$?
	if [ "$got" -ne "$rc" ] || ! grep -qiE -- "$pat" <<<"$out"; then
		echo "exit $got: $out"
		return 1
	fi
}
check "rate above 800 Gbit/s refused by the kernel" \
	fails_with 1 'out of range.*rate_bps' tsnic -n cla dev set tsnica rate 900gbit
check "ts-slots 0 refused" fails_with 1 'out of range.*ts_slots' tsnic -n cla dev set tsnica ts-slots 0
check "ts-slots 65 refused" fails_with 1 'out of range' tsnic -n cla dev set tsnica ts-slots 65
check "freq-offset 2000ppm refused" fails_with 1 'out of range.*freq_ppb' tsnic -n cla dev set tsnica freq-offset 2000ppm
check "delay 2s refused" fails_with 1 'out of range.*delay_ns' tsnic -n cla dev set tsnica delay 2s
tsnic -n cla dev set tsnica rate 2gbit ts-slots 99 2>/dev/null
snap cla dev show tsnica
check_eq "a refused set changes nothing" "0 8" "${J_rate_bps:-} ${J_ts_slots:-}"
check "unknown device" fails_with 1 'no such device' tsnic -n cla dev show nosuchdev
check "a device of another kind" fails_with 1 'not a tsnic device' tsnic -n cla dev show lo
check "unknown key is a usage error" fails_with 2 'unknown key' tsnic -n cla dev set tsnica speed 1
check "bad rate is a usage error" fails_with 2 'invalid rate' tsnic -n cla dev set tsnica rate fast
check "unknown object is a usage error" fails_with 2 'unknown object' tsnic frobnicate
check "unknown namespace" fails_with 1 'namespace' tsnic -n nosuchns dev show
check "help" sh -c "tsnic help | grep -q Usage"

# monitor: a change shows up as one JSON object per line (the monitor may
# take a moment to subscribe: change until it reports)
mon=$(mktemp)
tsnic -n cla -j monitor >"$mon" 2>&1 &
monpid=$!
check "monitor reports the change" wait_for 10 sh -c \
	"tsnic -n cla dev set tsnica delay 7us && grep -q '\"ifname\":\"tsnica\",.*\"delay_ns\":7000' $mon"
kill "$monpid"
wait "$monpid" 2>/dev/null
rm -f "$mon"
check "the peer is seen from its namespace" \
	sh -c "tsnic -n clb dev show | grep -q '^[0-9]*: tsnicb: peer ifindex'"
finish
