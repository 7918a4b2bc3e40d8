#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own ynl CLI (tools/net/ynl/cli.py from linux-source-6.12)
# drives the tsnic family from our YNL spec, validated against the kernel's
# genetlink schema: its dev-get (do and dump), queue-get dump, dev-set and
# ring-dump agree with the tsnic CLI's JSON, and what the spec bounds the
# kernel refuses.  (That the uapi header and the kernel's policies are the
# spec's is the static check scripts/regen.sh --check.)
. "$(dirname "$0")/lib.sh"
plan 24

command -v tsnic >/dev/null || skip_rest "tsnic CLI not built"

top=$TSNIC_SELFTESTS/..
ynl_cli=$top/.build/ksrc/tools/net/ynl/cli.py
schema=$top/.build/ksrc/Documentation/netlink/genetlink.yaml
spec=$top/Documentation/netlink/specs/tsnic.yaml
check "the kernel's ynl CLI and genetlink schema are extracted" \
	test -r "$ynl_cli" -a -r "$schema"
tmp=$(mktemp -d)
trap '_cleanup; rm -rf "$tmp"' EXIT

ip link add yn0 numtxqueues 2 numrxqueues 2 type tsnic
ip link add yn1 link yn0 type tsnic
no_ipv6 yn0
no_ipv6 yn1
ip link set yn0 up
ip link set yn1 up
ip addr add 192.168.77.1/24 dev yn0
wait_for 5 operstate_is yn0 up
# some traffic for the counters (yn1 has no address: nothing answers); a
# static neighbour, so that no ARP retry moves them while they are compared
ip neigh replace 192.168.77.2 dev yn0 nud permanent lladdr 02:00:00:00:77:02
ping -q -c 3 -i 0.2 -W 1 -I yn0 192.168.77.2 >/dev/null 2>&1

# The CLI itself once, checking the spec against the genetlink schema;
# every other request goes through the same library (the code behind
# cli.py) in one python that stays up: python and the spec's YAML load
# slowly under TCG.  ynl_serve.py also compares ynl's JSON with tsnic's.
coproc YNL { exec python3 "$TSNIC_SELFTESTS/ynl_serve.py" "${ynl_cli%/*}" "$spec" 2>&1; }
ynl() {		# ynl do|dump OP OUT JSON | ynl compare A B [NAME]
	local r
	[ -n "${YNL[1]:-}" ] || { echo "# ynl_serve.py is gone"; return 1; }
	echo "$*" >&"${YNL[1]}"
	read -r r <&"${YNL[0]}" || r="error: ynl_serve.py is gone"
	[ "$r" = ok ] || { echo "# $r"; return 1; }
}
compare() { ynl compare "$@"; }

check "ynl --dump dev-get (the CLI; the spec valid against genetlink)" sh -c \
	"python3 '$ynl_cli' --spec '$spec' --schema '$schema' --output-json --dump dev-get >'$tmp/ynl-dump.json'"
tsnic -j dev show >"$tmp/ts-dump.json"
check "ynl --dump dev-get = tsnic -j dev show" compare "$tmp/ynl-dump.json" "$tmp/ts-dump.json"
check_eq "the dump has both devices" 2 \
	"$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/ynl-dump.json")"

check "ynl --do dev-get" ynl do dev-get "$tmp/ynl-do.json" '{"ifname": "yn1"}'
tsnic -j dev show yn1 >"$tmp/ts-do.json"
check "ynl --do dev-get = tsnic -j dev show DEV" compare "$tmp/ynl-do.json" "$tmp/ts-do.json"

check "ynl --dump queue-get" ynl dump queue-get "$tmp/ynl-q.json" '{"ifname": "yn0"}'
tsnic -j queue show yn0 >"$tmp/ts-q.json"
check "ynl --dump queue-get = tsnic -j queue show DEV" compare "$tmp/ynl-q.json" "$tmp/ts-q.json"
# the lateness histograms: every bucket, none ahead of /proc's (read after)
check "ynl --dump queue-get: the lateness buckets, as in /proc" python3 - "$tmp/ynl-q.json" <<'EOF'
import json, sys
q = [o for o in json.load(open(sys.argv[1])) if o["type"] == "tx" and o["id"] == 0][0]
rows = open("/proc/net/tsnic/yn0/tx-0/lateness").read().split("\n")[1:-1]
for col, name in ((1, "late-timer"), (2, "late-napi")):
    proc = [int(r.split()[col]) for r in rows]
    assert len(q[name]) == len(proc) == 16, (q[name], proc)
    assert all(a <= b for a, b in zip(q[name], proc)), (name, q[name], proc)
EOF

# dev-set through ynl, read back through tsnic; a refused one fails
check "ynl --do dev-set" ynl do dev-set "$tmp/set.json" \
	'{"ifname": "yn0", "delay-ns": 5000, "tx-usecs": 20, "osc": {"freq-ppb": -40000, "jitter-ns": 20}}'
check "tsnic sees ynl's settings" sh -c \
	"tsnic dev show yn0 | grep -q 'delay 5us tx-usecs 20' &&
	 tsnic dev show yn0 | grep -q 'freq-offset -40ppm .* ts-jitter 20ns'"
refused() {
	! ynl do dev-set "$tmp/set.json" '{"ifname": "yn0", "ts-slots": 65}' >"$tmp/err" 2>&1 &&
		grep -qi 'range' "$tmp/err"
}
check "ynl --do dev-set out of range is refused" refused
# the spec bounds stalled-queues by the queues a device may have
refused_stalled() {
	! ynl do dev-set "$tmp/set.json" \
		'{"ifname": "yn0", "fault": {"stalled-queues": 65536}}' >"$tmp/err" 2>&1 &&
		grep -qi 'range' "$tmp/err"
}
check "ynl --do dev-set stalled-queues past the queues is refused" refused_stalled
# counters in a set request: the kernel says they are read only
refused_ro() {	# refused_ro FAULT-JSON
	! ynl do dev-set "$tmp/set.json" "{\"ifname\": \"yn0\", \"fault\": $1}" \
		>"$tmp/err" 2>&1 && grep -q 'read only' "$tmp/err"
}
check "ynl --do dev-set of a trigger's fired is refused: read only" \
	refused_ro '{"trigger": [{"kind": "ts-drop", "fired": 1}]}'
check "ynl --do dev-set cable-pulls is refused: read only" \
	refused_ro '{"cable-pulls": 1}'
# fault triggers, one nest per kind, read back through tsnic
check "ynl --do dev-set fault triggers" ynl do dev-set "$tmp/set.json" \
	'{"ifname": "yn1", "fault": {"trigger": [{"kind": "cable-drop", "every": 7}, {"kind": "stall", "ppm": 3}]}}'
check "tsnic sees ynl's fault triggers" sh -c \
	"tsnic fault show yn1 | grep -q 'cable-drop *every 7 ' &&
	 tsnic fault show yn1 | grep -q 'stall *every 0 *ppm 3 '"
check "ynl --do dev-set fault triggers off" ynl do dev-set "$tmp/set.json" \
	'{"ifname": "yn1", "fault": {"trigger": [{"kind": "cable-drop", "every": 0}, {"kind": "stall", "ppm": 0}]}}'

# ring-dump: a few frames kept in flight at 1 bit/s, on one TX queue (BQL's
# floor, applied by a first completion, keeps the queue running)
check "ethtool -L yn0 tx 1" ethtool -L yn0 tx 1 rx 2
echo 1000000 >/sys/class/net/yn0/queues/tx-0/byte_queue_limits/limit_min
ip neigh replace 192.168.77.9 lladdr 02:00:00:00:77:09 dev yn0
wait_for 5 operstate_is yn0 up
ping -q -c 1 -W 1 -I yn0 192.168.77.9 >/dev/null 2>&1
check "a first frame completes at the unlimited rate" wait_for 10 sh -c \
	"tsnic queue show yn0 tx 0 | grep -q 'ntu 1 ntc 1 '"
check "ynl --do dev-set rate-bps 1" ynl do dev-set "$tmp/set.json" '{"ifname": "yn0", "rate-bps": 1}'
ping -q -c 3 -i 0.2 -W 1 -I yn0 192.168.77.9 >/dev/null 2>&1
q=$(tsnic -j queue show yn0 tx | python3 -c '
import json, sys
for q in json.load(sys.stdin):
    n = (q["next_to_use"] - q["next_to_clean"]) % q["ring_size"]
    if n:
        print(q["id"], n)')
read -r qid nflight <<<"$q"
check_eq "three frames in flight on one queue" 3 "${nflight:-0}"
check "ynl --dump ring-dump" ynl dump ring-dump "$tmp/ynl-ring.json" \
	"{\"ifname\": \"yn0\", \"id\": ${qid:-0}}"
tsnic -j ring show yn0 queue "${qid:-0}" >"$tmp/ts-ring.json"
check "ynl ring-dump = tsnic -j ring show" python3 - "$tmp/ynl-ring.json" "$tmp/ts-ring.json" <<'EOF'
import json, sys
ynl = json.load(open(sys.argv[1]))
ts = json.load(open(sys.argv[2]))[0]
ynl_d = [{k.replace("-", "_"): (sorted(v) if isinstance(v, list) else v)
          for k, v in m["desc"].items()} for m in ynl]
ts_d = [{k: (sorted(v) if isinstance(v, list) else int(v) if isinstance(v, bool) else v)
         for k, v in d.items()} for d in ts["descs"]]
assert len(ynl_d) == 3, ynl_d
assert all(m["ifindex"] == ts["ifindex"] and m["type"] == "tx" and m["id"] == ts["id"] for m in ynl)
assert ynl_d == ts_d, (ynl_d, ts_d)
EOF
finish
