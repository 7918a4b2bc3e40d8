#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The tsnic CLI against the kernel: `dev show` agrees with ethtool and
# ip -s link, `dev set` changes are seen everywhere, errors carry the
# kernel's message and valid range in the words the user typed, -n NETNS
# works; and its command line, ip(8)'s: help, -V, options as letters or
# (abbreviated) words, every argument checked before the module is asked.
. "$(dirname "$0")/lib.sh"
plan 94

command -v tsnic >/dev/null || skip_rest "tsnic CLI not built"

# cli RC OUT ERR ARGS...: `tsnic ARGS` exits RC, its stdout matches the
# extended regex OUT and its stderr ERR; an empty OUT or ERR: nothing there.
clierr=$(mktemp)
cli() {
	local rc=$1 pout=$2 perr=$3 out err got
	shift 3
	out=$(tsnic "$@" 2>"$clierr")
	got=$?
	err=$(<"$clierr")
	if [ "$got" -ne "$rc" ] ||
	   { [ -z "$pout" ] && [ -n "$out" ]; } ||
	   { [ -n "$pout" ] && ! grep -qE -- "$pout" <<<"$out"; } ||
	   { [ -z "$perr" ] && [ -n "$err" ]; } ||
	   { [ -n "$perr" ] && ! grep -qE -- "$perr" <<<"$err"; }; then
		printf 'tsnic %s: exit %s\nstdout: %s\nstderr: %s\n' "$*" "$got" \
			"$(head -n 3 <<<"$out")" "$err"
		return 1
	fi
}

# The command line without the module: help and version need none, and a
# mistake is reported as such (exit 2), not as a missing netlink family.
check "rmmod tsnic, for the command line without the module" rmmod tsnic
check "--help: usage on stdout, exit 0" cli 0 '^Usage: tsnic \[ OPTIONS \] OBJECT' '' --help
check "-h: usage on stdout, exit 0" cli 0 '^Usage: tsnic \[ OPTIONS \] OBJECT' '' -h
check "help: usage on stdout, exit 0" cli 0 '^Usage: tsnic \[ OPTIONS \] OBJECT' '' help
check "dev help: the dev commands" cli 0 '^Usage: tsnic dev show \[DEV\]' '' dev help
check "fault set help: the fault commands" cli 0 '^Usage: tsnic fault show' '' fault help
version=$(modinfo -F version "$TSNIC_MODULE")
check "-V: the version, the module's" cli 0 "^tsnic utility, version $version," '' -V
check "-Version" cli 0 "^tsnic utility, version $version," '' -Version
check "--version" cli 0 "^tsnic utility, version $version," '' --version
check "unknown option, as ip says it" \
	cli 2 '' '^Option "-x" is unknown, try "tsnic -help"\.$' -x dev show
check "long options and their prefixes are options" \
	cli 2 '' '^Error: unknown key "ts-slot"' -json -pretty -stats -details -js -pr -st -det \
	--json --stats -netns nosuchns -netn nosuchns dev set tsnic0 ts-slot 8
check "no module: a typo in a key is the typo" \
	cli 2 '' '^Error: unknown key "ts-slot", try "tsnic dev help"\.$' dev set tsnic0 ts-slot 8
check "no module: a bad value is the value" \
	cli 2 '' '^Error: invalid ts-slots "eight" \(a whole number\)\.$' dev set tsnic0 ts-slots eight
check "no module: a key without its value" \
	cli 2 '' '^Error: ts-timeout needs a value' dev set tsnic0 ts-jitter 5ns ts-timeout
check "no module: a fault key's typo" \
	cli 2 '' 'unknown key "ts-drop-evry"' fault set tsnic0 ts-drop-evry 10
check "no module: an unknown object" \
	cli 2 '' '^Object "frobnicate" is unknown, try "tsnic help"\.$' frobnicate
check "no module: an unknown command" \
	cli 2 '' '^Command "shw" is unknown, try "tsnic dev help"\.$' dev shw
check "no module: an option after the object says where it goes" \
	cli 2 '' '^Option "-j" must come before the object, try "tsnic -n cla -j dev show tsnica"\.$' \
	-n cla dev show tsnica -j
check "no module: -n NETNS after the object too" \
	cli 2 '' '^Option "-netns" must come before the object, try "tsnic -netns cla ring show tsnica queue 0"\.$' \
	ring show tsnica queue 0 -netns cla
# (were the family to load the module on demand, and tsnic be installed,
# the device would be missing instead)
check "no module: a good command fails with exit 1" \
	cli 1 '' 'is the tsnic module loaded|no such device' dev show tsnic0
rmmod tsnic 2>/dev/null
check "insmod tsnic again" insmod "$TSNIC_MODULE"

netns cla
netns clb
# Permanent neighbours: no ARP refresh may add a frame between two reads of
# the counters below.
check "wired pair, IPv6 off, permanent neighbours" \
	wired_pair -6 -n cla tsnica clb tsnicb 192.168.78
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
        assert isinstance(v, (int, bool)) or k in (
            "ifname", "type", "hwtstamp_tx_type", "hwtstamp_rx_filter",
            "ts_personality"), k
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
# every frame sent has completed (interrupt moderation may hold the last)
wait_for 5 queue_balanced tsnica 0 cla
wait_for 5 queue_balanced tsnicb 0 clb
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
# the kernel's message and range, for the word and in the unit typed
check "rate above 800 Gbit/s refused by the kernel, with its range" \
	cli 1 '' '^Error: rate 900gbit: integer out of range \(valid range 0 to 800Gbit\)$' \
	-n cla dev set tsnica rate 900gbit
check "ts-slots 0 refused: range 1 to 64" \
	cli 1 '' '^Error: ts-slots 0: integer out of range \(valid range 1 to 64\)$' \
	-n cla dev set tsnica ts-slots 0
check "ts-slots 65 refused" cli 1 '' '^Error: ts-slots 65: .*\(valid range 1 to 64\)$' \
	-n cla dev set tsnica ts-slots 65
check "freq-offset 2000ppm refused (a nested attribute, signed)" \
	cli 1 '' '^Error: freq-offset 2000ppm: .*\(valid range -1000ppm to 1000ppm\)$' \
	-n cla dev set tsnica freq-offset 2000ppm
check "delay 2s refused" cli 1 '' '^Error: delay 2s: .*\(valid range 0ns to 1s\)$' \
	-n cla dev set tsnica delay 2s
check "ts-timeout 0 refused, the range in time" \
	cli 1 '' '^Error: ts-timeout 0: .*\(valid range 1ms to 60s\)$' -n cla dev set tsnica ts-timeout 0
check "fault ts-drop-ppm above a million refused" \
	cli 1 '' '^Error: ts-drop-ppm 2000000: .*\(valid range 0 to 1000000\)$' \
	-n cla fault set tsnica ts-drop-ppm 2000000
# (the kernel reports no policy for a mask it refuses: nla_validate_mask()
# sets the message without it; tsnic_cli_ack tests the printing of a mask)
check "stalled-queues beyond 16 queues refused, for the word typed" \
	cli 1 '' '^Error: stalled-queues 0x10000: [a-z]' \
	-n cla fault set tsnica stalled-queues 0x10000
tsnic -n cla dev set tsnica rate 2gbit ts-slots 99 2>/dev/null
snap cla dev show tsnica
check_eq "a refused set changes nothing" "0 8" "${J_rate_bps:-} ${J_ts_slots:-}"
check "unknown device" cli 1 '' '^Error: device nosuchdev: no such device$' -n cla dev show nosuchdev
check "a device of another kind" fails_with 1 'not a tsnic device' tsnic -n cla dev show lo
check "unknown key is a usage error" fails_with 2 'unknown key "speed"' tsnic -n cla dev set tsnica speed 1
check "bad rate is a usage error" fails_with 2 'invalid rate "fast"' tsnic -n cla dev set tsnica rate fast
check "unknown namespace" fails_with 1 'namespace' tsnic -n nosuchns dev show
# the long options do what the letters do
check "-netns -json -pretty" sh -c \
	"tsnic -netns cla -json -pretty dev show tsnica | grep -q '^        \"ifname\": \"tsnica\",\$'"
check "--netns --json, and prefixes -netn -js -pr" sh -c \
	"tsnic --netns cla --json dev show tsnica | grep -q '^\[{\"ifindex\":[0-9]*,\"ifname\":\"tsnica\",' &&
	 tsnic -netn cla -js -pr dev show tsnica | grep -q '^        \"ifname\": \"tsnica\",\$'"

# ring show: frames that stay in flight on a device whose line rate is
# 1 bit/s.  BQL's floor is raised above what they add up to, and applied by
# a first completion, so the queue never stops (a stopped queue would bring
# the TX watchdog).
ip -n cla link add tsnicr type tsnic
no_ipv6 tsnicr cla
ip netns exec cla ethtool -G tsnicr tx 512
ip -n cla link set tsnicr up
ip netns exec cla sh -c 'echo 1000000 >/sys/class/net/tsnicr/queues/tx-0/byte_queue_limits/limit_min'
ip -n cla addr add 192.168.79.1/24 dev tsnicr
ip -n cla neigh add 192.168.79.2 lladdr 02:00:00:00:79:02 dev tsnicr
ip netns exec cla ping -q -c 1 -W 1 192.168.79.2 >/dev/null 2>&1
check "a first frame completes at the unlimited rate" wait_for 10 sh -c \
	"tsnic -n cla queue show tsnicr 0 | grep -q 'ntu 1 ntc 1 '"
check "dev set rate 1 (bit/s)" tsnic -n cla dev set tsnicr rate 1
ip netns exec cla ping -q -c 5 -i 0.2 -W 1 192.168.79.2 >/dev/null 2>&1
out=$(tsnic -n cla ring show tsnicr queue 0)
check_eq "ring show: exit 0" 0 "$?"
check "ring show: the queue's indices" grep -q '^tsnicr tx 0: ring 512 ntu 6 ntc 1 free 506 running' <<<"$out"
check_eq "ring show: five descriptors on the engine" 5 "$(grep -cE '^ +[1-5] hw +98 SE--- -  +98 -$' <<<"$out")"
check "ring show -d, and -details: the timestamp column" sh -c \
	"tsnic -n cla ring show tsnicr queue 0 -d | grep -q '^index state.*depart tstamp$' &&
	 tsnic -n cla -details ring show tsnicr queue 0 | grep -q '^index state.*depart tstamp$'"
ringjson() {
	tsnic -n cla -j ring show tsnicr queue 0 | python3 -c '
import json, sys
q = json.load(sys.stdin)
assert isinstance(q, list) and len(q) == 1, q
q = q[0]
d = q["descs"]
assert q["dump_interrupted"] is False
assert q["type"] == "tx" and q["id"] == 0 and q["ring_size"] == 512, q
inflight = (q["next_to_use"] - q["next_to_clean"]) % q["ring_size"]
assert len(d) == inflight == 5, (len(d), inflight)
for i, e in enumerate(d):
    assert e["index"] == (q["next_to_clean"] + i) % q["ring_size"], e
    assert e["state"] == "hw" and e["flags"] == ["sop", "eop"], e
    assert e["len"] == 98 and e["skb_len"] == 98, e
    assert e["ts_requested"] is False and e["ts_done"] is False, e
    assert "depart_ns" not in e, e
'
}
check "ring show -j: JSON, one entry per descriptor in flight" ringjson
check "ring show: a queue the device lacks" \
	fails_with 1 'no such queue' tsnic -n cla ring show tsnicr queue 3
check "ring show: unknown device" fails_with 1 'no such device' tsnic -n cla ring show nosuchdev queue 0
check "ring show: another kind of device" fails_with 1 'not a tsnic device' tsnic -n cla ring show lo queue 0
check "ring show without a queue is a usage error" fails_with 2 'queue' tsnic -n cla ring show tsnicr
check "ring show: bad queue number is a usage error" fails_with 2 'invalid queue' \
	tsnic -n cla ring show tsnicr queue x

# stats show: the device's counters, -s each queue's
statsjson() {	# statsjson ARGS...: "tx_packets rx_packets queues tx_completions(sum)"
	tsnic -n cla -j stats show "$@" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert isinstance(d, list) and len(d) == 1
d = d[0]
s = d["stats"]
for v in s.values():
    assert isinstance(v, int)
qs = d.get("queues", [])
print(s["tx_packets"], s["rx_packets"], ",".join("%s%d" % (q["type"], q["id"]) for q in qs) or "-",
      sum(q["stats"].get("tx_completions", 0) for q in qs) if qs else s["tx_completions"])
'
}
ips=$(ipstat cla tsnica)
read -r st_tx st_rx st_q st_c < <(statsjson tsnica)
check_eq "stats show -j: tx/rx packets = ip -s link" \
	"$(awk '{ print $3, $1 }' <<<"$ips")" "${st_tx:-} ${st_rx:-}"
check_eq "stats show -j: no queues without -s" "-" "${st_q:-}"
read -r _ _ st_q2 st_c2 < <(statsjson tsnica -s)
check_eq "stats show -s: each queue" "tx0,rx0" "${st_q2:-}"
check_eq "stats show -s: queue completions sum to the device's" "${st_c:-x}" "${st_c2:-y}"
check "stats show: text like ip -s" sh -c \
	"tsnic -n cla stats show tsnica | grep -q '^ *TX: *frames' &&
	 tsnic -n cla stats show tsnica | grep -q '^ *RX: *packets' &&
	 tsnic -n cla -s stats show tsnica | grep -q '^  tx 0:' &&
	 tsnic -netns cla -statistics stats show tsnica | grep -q '^  tx 0:' &&
	 tsnic -n cla stats show tsnica -s | grep -q '^  tx 0:'"
check "stats show: unknown device" fails_with 1 'no such device' tsnic -n cla stats show nosuchdev
check "stats show without a device is a usage error" fails_with 2 'no device given' tsnic -n cla stats show
check "help names ring and stats" sh -c "tsnic help | grep -q 'ring show' && tsnic help | grep -q 'stats show'"

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
rm -f "$clierr"
finish
