#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The PHC through phc_ctl: settime, adjtime, adjfine, and a frequency
# offset that makes the clock drift at exactly that rate; the oscillator's
# configured frequency error makes two unsynced clocks drift apart.  Idle
# devices run no timer or work item, with the wander on or off.
. "$(dirname "$0")/lib.sh"
plan 38

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
get() { phc_ctl "$1" get | sed -nE 's/.*clock time is ([0-9]+)\.([0-9]+).*/\1/p'; }

check "settime" phc_ctl "$p0" set 1000
t=$(get "$p0")
check_ge "time after set 1000 is >= 1000" "$t" 1000
check "time after set 1000 is < 1010" test "$t" -lt 1010
check "adjtime +100 s" phc_ctl "$p0" adj 100
t=$(get "$p0")
check_ge "time after adj 100 is >= 1100" "$t" 1100

# rate DEV...: each PHC's frequency against the raw monotonic clock (the
# oscillator model's reference), in ppb, over 3 s
rate() { python3 "$TSNIC_SELFTESTS/phc_rate.py" 3 "$@"; }
# within 1 ppm: the readings are bracketed to microseconds
near() { [ "$1" -ge $(($2 - 1000)) ] && [ "$1" -le $(($2 + 1000)) ]; }

# 40 ppm through adjfine: the clock runs 40 ppm fast, the other stays ideal
check "adjfine +40 ppm" phc_ctl "$p0" freq 40000
read -r _ f0 _ f1 < <(rate "$p0" "$p1" | tr '\n' ' ')
echo "# adjfine +40 ppm clock: ${f0} ppb, ideal clock: ${f1} ppb"
check "the ideal clock does not drift (${f1} ppb)" near "${f1:-x}" 0
check "the +40 ppm clock runs 40 ppm fast (${f0} ppb)" near "${f0:-x}" 40000
check "adjfine beyond max_adj refused" sh -c "! phc_ctl $p0 freq 200000000 2>/dev/null | grep -q 'adjusted'"

# The oscillators' own frequency errors (no servo involved): two unsynced
# devices drift apart at the configured difference, +30 - (-20) = 50 ppm.
check "adjfine back to 0" phc_ctl "$p0" freq 0
check "oscillator error +30 ppm on phc0" tsnic dev set phc0 freq-offset 30ppm
check "oscillator error -20 ppm on phc1" tsnic dev set phc1 freq-offset -20ppm
read -r _ f0 _ f1 < <(rate "$p0" "$p1" | tr '\n' ' ')
echo "# oscillators: phc0 ${f0} ppb, phc1 ${f1} ppb"
check "phc0 runs 30 ppm fast (${f0} ppb)" near "${f0:-x}" 30000
check "phc1 runs 20 ppm slow (${f1} ppb)" near "${f1:-x}" -20000
check "unsynced clocks drift apart at 50 ppm ($((f0 - f1)) ppb)" near "$((f0 - f1))" 50000

# Clock reads.  A read takes phc-read-delay, the clock latched
# phc-read-latch into it: the latch moves the midpoint estimate readers
# make (PTP_SYS_OFFSET_EXTENDED here) by as much.  The cross-timestamp
# (PTP_SYS_OFFSET_PRECISE) has no such error.
pins() { python3 "$TSNIC_SELFTESTS/pins.py" "$@"; }
tsnic dev set phc0 freq-offset 0
check "testptp -c: cross timestamping" sh -c "testptp -d $p0 -c | grep -q '^ *1 cross timestamping'"
check "testptp -X: PTP_SYS_OFFSET_PRECISE" sh -c "testptp -d $p0 -X | grep -q 'crosstimestamping request okay'"
check "phc-read-delay 100us, latched at once" tsnic dev set phc0 phc-read-delay 100us phc-read-latch 0
read -r _ w0 _ o0 < <(pins sysoff "$p0" 9)
check_ge "a read takes 100 us (${w0:-?} ns)" "${w0:-0}" 100000
tsnic dev set phc0 phc-read-latch 100us
read -r _ _ _ o1 < <(pins sysoff "$p0" 9)
d=$((${o1:-0} - ${o0:-0}))
echo "# PHC - bracket midpoint: latch 0: ${o0:-?} ns, latch 100us: ${o1:-?} ns"
check "the latch moves the midpoint estimate by 100 us ($d ns)" test "$d" -ge 80000 -a "$d" -le 120000
check "a latch beyond the read's delay refused" sh -c \
	"tsnic dev set phc0 phc-read-delay 50us phc-read-latch 60us 2>&1 | grep -q 'beyond the read'"
check "phc-read-delay alone: latched in the middle" sh -c \
	"tsnic dev set phc0 phc-read-delay 40us && tsnic dev show phc0 | grep -q 'phc-read-delay 40us phc-read-latch 20us'"
tsnic dev set phc0 phc-read-delay 0

# Idle: no timer or work item of tsnic's runs on a device that is up with
# nothing to do (Documentation/tsnic.rst, "Idle devices").  The timer and
# workqueue trace events over IDLE_S seconds, with two wired pairs and two
# unwired devices up, IPv6 off and static neighbours (no frame of their
# own), must name no tsnic function.  A control sends frames and must see
# the engine's moderation timer: a tracer that sees nothing fails there.
T=/sys/kernel/tracing
[ -e $T/trace ] || mount -t tracefs nodev $T 2>/dev/null
IDLE_S=2
events=(timer/hrtimer_expire_entry timer/timer_expire_entry workqueue/workqueue_execute_start)
# Enabling or disabling an event live-patches kernel text, and under
# multi-threaded TCG another vCPU has been seen trapping on the patch's
# int3 (as with the netstamp key, see run_tests.sh): the events are
# switched on once and off once, without the comm recording (which would
# patch the scheduler's tracepoints too), and tracing_on, which patches
# nothing, brackets each measurement.
# events_on / events_off: the timer and workqueue events on, or off
events_on() {
	local e
	echo 0 >$T/tracing_on
	echo 0 >$T/options/record-cmd
	for e in "${events[@]}"; do echo 1 >"$T/events/$e/enable"; done
}
events_off() {
	local e
	for e in "${events[@]}"; do echo 0 >"$T/events/$e/enable"; done
	echo 1 >$T/options/record-cmd
	: >$T/trace
	echo 1 >$T/tracing_on
}
# tsnic_callbacks SECONDS [COMMAND...]: tsnic's timer and work callbacks
# run in SECONDS (while COMMAND runs, if given)
tsnic_callbacks() {
	local s=$1
	shift
	: >$T/trace
	echo 1 >$T/tracing_on
	[ $# -gt 0 ] && "$@" >/dev/null 2>&1
	sleep "$s"
	echo 0 >$T/tracing_on
	grep -v '^#' $T/trace | grep -c 'function[= ]*tsnic_'
	grep -v '^#' $T/trace | grep 'function[= ]*tsnic_' | head -n 5 | sed 's/^/# /' >&2
}
if ! check "tracefs has the timer and workqueue events" \
	test -w "$T/events/timer/hrtimer_expire_entry/enable" -a \
	-w "$T/events/workqueue/workqueue_execute_start/enable"; then
	skip_rest "no tracefs"
fi
netns pia
netns pib
ip link add pi0 netns pia type tsnic
ip link add pi1 netns pia type tsnic
for ns in pia pib; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; done
ip -n pia link set pi0 up
ip -n pia link set pi1 up
if wired_pair -6 -n pia pa0 pib pb0 192.168.81 &&
	wired_pair -6 -n pia pa1 pib pb1 192.168.82; then
	ok "two wired pairs and two unwired devices up"
else
	fail "two wired pairs and two unwired devices up"
fi
events_on
sleep 0.5
n=$(tsnic_callbacks $IDLE_S)
check_eq "idle up devices: no tsnic timer or work ran in ${IDLE_S} s" 0 "$n"

for d in pa0 pa1 pi0 pi1; do tsnic -n pia dev set $d wander 1000ppb; done
for d in pb0 pb1; do tsnic -n pib dev set $d wander 1000ppb; done
n=$(tsnic_callbacks $IDLE_S)
check_eq "wander on: still no tsnic timer or work in ${IDLE_S} s" 0 "$n"
# the steps missed are taken when the clock is next read
ia=$(ip netns exec pia ethtool -T pa0 | awk '/PTP Hardware Clock:/ { print $4 }')
read -r _ fa < <(ip netns exec pia python3 "$TSNIC_SELFTESTS/phc_rate.py" 1 "/dev/ptp$ia" | tr '\n' ' ')
echo "# wandering clock after ${IDLE_S} s idle: ${fa:-?} ppb (1 ppm steps)"
check "a wandering clock reads after idling, within 20 steps' range" \
	test "${fa:-x}" -ge -20000 -a "${fa:-x}" -le 20000

n=$(tsnic_callbacks 1 ip netns exec pia ping -c 3 -i 0.2 -W 2 192.168.81.2)
check_ge "control: frames sent fire tsnic's timers (the tracer sees them)" "$n" 1
events_off
finish
