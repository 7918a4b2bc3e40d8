#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The PHC through phc_ctl: settime, adjtime, adjfine, and a frequency
# offset that makes the clock drift at exactly that rate.
. "$(dirname "$0")/lib.sh"

rmmod tsnic
check "load with ideal oscillators" insmod "$TSNIC_MODULE" freq_random_ppb=0
ip link add phc0 type tsnic
ip link add phc1 type tsnic
idx0=$(ethtool -T phc0 | awk '/PTP Hardware Clock:/ { print $4 }')
idx1=$(ethtool -T phc1 | awk '/PTP Hardware Clock:/ { print $4 }')
check "ethtool -T names a PHC" test -c "/dev/ptp$idx0"
check "each device has its own PHC" test "$idx0" != "$idx1"
for cap in hardware-transmit hardware-receive hardware-raw-clock software-transmit software-receive; do
	check "ethtool -T: $cap" sh -c "ethtool -T phc0 | grep -q -- '$cap'"
done
check "ethtool -T: tx type on" sh -c "ethtool -T phc0 | grep -A3 'Hardware Transmit Timestamp Modes' | grep -qE '^[[:space:]]+on'"
check "ethtool -T: ptpv2-event filter" sh -c "ethtool -T phc0 | grep -q 'ptpv2-event'"

p0=/dev/ptp$idx0
p1=/dev/ptp$idx1
# offset PHC - CLOCK_REALTIME in ns, via PTP_SYS_OFFSET
off() { phc_ctl "$1" cmp | sed -nE 's/.*CLOCK_REALTIME is (-?[0-9]+)ns.*/\1/p'; }
get() { phc_ctl "$1" get | sed -nE 's/.*clock time is ([0-9]+)\.([0-9]+).*/\1/p'; }

check "settime" phc_ctl "$p0" set 1000
t=$(get "$p0")
check_ge "time after set 1000 is >= 1000" "$t" 1000
check "time after set 1000 is < 1010" test "$t" -lt 1010
check "adjtime +100 s" phc_ctl "$p0" adj 100
t=$(get "$p0")
check_ge "time after adj 100 is >= 1100" "$t" 1100

# 40 ppm through adjfine: the clock gains 40 us per second on real time.
# phc_ctl cmp prints CLOCK_REALTIME - PHC, so a fast clock's value falls.
check "adjfine +40 ppm" phc_ctl "$p0" freq 40000
a0=$(off "$p0"); t0=$(date +%s%N); b0=$(off "$p1")
sleep 3
a1=$(off "$p0"); t1=$(date +%s%N); b1=$(off "$p1")
gain=$((a0 - a1)); db=$((b1 - b0))
want=$(((t1 - t0) * 40 / 1000000))
echo "# over $(((t1 - t0) / 1000000)) ms: +40 ppm clock gained ${gain} ns (expected ~${want}), ideal clock ${db} ns"
check "the ideal clock does not drift (|${db}| < 20 us)" test "${db#-}" -lt 20000
# the elapsed time is bracketed by process start-up, hence 20 %
check "the +40 ppm clock gains 40 ppm (${gain} vs ${want} ns)" \
	sh -c "[ $((gain * 10)) -gt $((want * 8)) ] && [ $((gain * 10)) -lt $((want * 12)) ]"
check "adjfine beyond max_adj refused" sh -c "! phc_ctl $p0 freq 200000000 2>/dev/null | grep -q 'adjusted'"
finish
