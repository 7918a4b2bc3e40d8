#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ptp4l under faults, asserted from its own output.  With the slave's TX
# timestamps dropped 1 in 50, ptp4l times out polling for one, its port
# goes FAULTY, and it recovers by itself to SLAVE.  With the cable pulled
# for a few seconds the slave loses sync (link down, port leaves SLAVE)
# and regains it once the cable is plugged back.  Every wait is bounded;
# nothing depends on how long a step takes.
. "$(dirname "$0")/lib.sh"
plan 17

tmp=$(mktemp -d)
trap '_cleanup; rm -rf "$tmp"' EXIT
SLOG=$tmp/slave.log
MLOG=$tmp/master.log

rmmod tsnic
check "load with ideal oscillators" insmod "$TSNIC_MODULE" freq_random_ppb=0
netns pma
netns psl
# addressed: ptp4l's default transport is UDP over IPv4
check "the pair comes up" wired_pair pma pt0 psl pt1 192.168.97
tsnic -n psl dev set pt1 freq-offset 20ppm

# A short fault reset interval (2 s) lets a faulted port come back soon;
# a TX timestamp that is merely late under a loaded emulator should not
# count as lost, one that was dropped still is: ptp4l waits for one as
# long as the device keeps its slot (ts_timeout_ms, 1000 ms).
cat >"$tmp/ptp4l.cfg" <<CFG
[global]
logSyncInterval -2
logMinDelayReqInterval -2
fault_reset_interval 1
tx_timestamp_timeout 1000
CFG

ip netns exec pma timeout 600 stdbuf -oL ptp4l -i pt0 -H -m -f "$tmp/ptp4l.cfg" \
	--uds_address="$tmp/uds-master" >"$MLOG" 2>&1 &
mpid=$!
ip netns exec psl timeout 600 stdbuf -oL ptp4l -i pt1 -H -s -m -f "$tmp/ptp4l.cfg" \
	--uds_address="$tmp/uds-slave" >"$SLOG" 2>&1 &
spid=$!

# after N PATTERN: PATTERN in the slave's log after its line N
after() {
	tail -n "+$(($1 + 1))" "$SLOG" | grep -qE "$2"
}

lines() {
	wc -l <"$SLOG"
}

# in_slave: the slave port's last state change put it in SLAVE (linuxptp
# 3.1 says "port 1:", later versions "port 1 (pt1):")
in_slave() {
	grep -E 'port 1( \(pt1\))?: [A-Z_]+ to [A-Z_]+ on' "$SLOG" | tail -n 1 |
		grep -q ' to SLAVE on'
}

check "the slave locks (UNCALIBRATED to SLAVE)" wait_for 120 after 0 'UNCALIBRATED to SLAVE'
if ! after 0 'UNCALIBRATED to SLAVE'; then
	tail -n 20 "$SLOG" | sed 's/^/# slave: /'
	tail -n 5 "$MLOG" | sed 's/^/# master: /'
fi

# ---- TX timestamps dropped 1 in 50 ----------------------------------------
n0=$(lines)
check "drop 1 in 50 of the slave's TX timestamps" \
	tsnic -n psl fault set pt1 ts-drop-every 50
check "ptp4l times out polling for a TX timestamp" \
	wait_for 120 after "$n0" 'timed out while polling for tx timestamp'
check "its port goes FAULTY" wait_for 30 after "$n0" 'to FAULTY on FAULT_DETECTED'
nf=$(tail -n "+$((n0 + 1))" "$SLOG" | grep -n 'to FAULTY on' | head -n 1 | cut -d: -f1)
nf=$((n0 + ${nf:-0}))
check "and recovers by itself to SLAVE, the fault still on" \
	wait_for 120 after "$nf" 'UNCALIBRATED to SLAVE'
check_ge "the driver counted the dropped timestamps" \
	"$(counter pt1 fault_ts_drop_fired psl)" 1
check_ge "and reclaimed their slots as timeouts" \
	"$(counter pt1 tx_hwtstamp_timeouts psl)" 1
tsnic -n psl fault set pt1 ts-drop-every 0
grep -m 6 -E 'timed out|FAULTY|to SLAVE' "$SLOG" | sed 's/^/# slave: /'

# ---- the cable pulled for a few seconds -------------------------------------
check "back in SLAVE before the cable is pulled" wait_for 120 in_slave
n1=$(lines)
check "the cable pulled at the master's end" tsnic -n pma fault set pt0 cable pulled
check "the slave sees its link go down" wait_for 30 after "$n1" 'link down'
check "and loses sync: its port leaves SLAVE" \
	wait_for 30 after "$n1" 'SLAVE to [A-Z_]+ on'
sleep 3
n2=$(lines)
check "the cable plugged back" tsnic -n pma fault set pt0 cable plugged
check "the slave sees its link come up" wait_for 30 after "$n2" 'link up'
check "and regains sync (UNCALIBRATED to SLAVE)" \
	wait_for 120 after "$n2" 'UNCALIBRATED to SLAVE'
check_eq "one cable pull counted" 1 "$(counter pt0 fault_cable_pulls pma)"
tail -n +"$((n1 + 1))" "$SLOG" | grep -m 8 -E 'link|to [A-Z]+ on' | sed 's/^/# slave: /'

kill "$mpid" "$spid" 2>/dev/null
wait 2>/dev/null
finish
