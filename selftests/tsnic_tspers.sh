#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Timestamping personalities: each one's effect on what ethtool -T claims
# and on SIOCSHWTSTAMP/SIOCGHWTSTAMP (refusals with ERANGE, the filter
# applied and answered back), and how a change re-applies the
# configuration in effect.  Short: it runs on every kernel, since the
# hwtstamp configuration API differs (SIOCSHWTSTAMP through
# ndo_eth_ioctl on 6.1, ndo_hwtstamp_set on 6.12).  What the personalities
# do to RX stamping and to ptp4l is in tsnic_onestep.sh; chronyd's
# rxfilter handling on them is here.
. "$(dirname "$0")/lib.sh"
plan 32
command -v hwtstamp >/dev/null || skip_rest "hwtstamp not built (make selftests)"

rmmod tsnic
check "load" insmod "$TSNIC_MODULE"
netns osa
check "a device" sh -c 'ip link add os0 netns osa type tsnic && ip -n osa link set os0 up'

# hw [TX RX]: os0's hwtstamp configuration, or set it: "TX RX" answered
hw() { ip netns exec osa hwtstamp os0 "$@"; }
pers() { tsnic -n osa dev set os0 ts-personality "$1"; }
pers_is() { tsnic -n osa dev show os0 | awk '$1 == "ts-personality" { print $2 }'; }
# tsinfo: what ethtool -T says of os0, one mode a line
tsinfo() { ip netns exec osa ethtool -T os0 | awk 'NF == 1 { print $1 }'; }
claims() { tsinfo | grep -qx "$1"; }
full_claims() { claims onestep-sync && claims onestep-p2p && claims all; }
l4_claims() {
	claims ptpv2-l4-event && ! claims all && ! claims ptpv2-event &&
		! claims onestep-sync && ! claims onestep-p2p
}

# ---- personalities --------------------------------------------------------

check_eq "default personality is full" full "$(pers_is)"
check "full: ethtool -T claims onestep-sync, onestep-p2p and all" full_claims
check_eq "full: a PTPv2 L4 request is widened to PTPv2 events" "1 12" "$(hw 1 6)"

check "set ts-personality ptp-v2-l4" pers ptp-v2-l4
check_eq "changed while configured: re-applied (L4 events)" "1 6" "$(hw)"
check "ptp-v2-l4: ethtool -T claims ptpv2-l4-event, not all, ptpv2-event, onestep-*" \
	l4_claims
check_eq "ptp-v2-l4: ALL refused" "error ERANGE" "$(hw 1 1)"
check_eq "ptp-v2-l4: PTPv2 of any transport refused" "error ERANGE" "$(hw 1 12)"
check_eq "ptp-v2-l4: PTPv2 L2 refused" "error ERANGE" "$(hw 1 9)"
check_eq "ptp-v2-l4: one-step Sync refused" "error ERANGE" "$(hw 2 6)"
check_eq "ptp-v2-l4: an L4 Sync request is widened to L4 events" "1 6" "$(hw 1 7)"
check_eq "SIOCGHWTSTAMP answers the filter applied" "1 6" "$(hw)"

check "set ts-personality ptp-v2-l2" pers ptp-v2-l2
check_eq "re-applied: the L4 filter is turned off" "1 0" "$(hw)"
check_eq "ptp-v2-l2: PTPv2 L4 refused" "error ERANGE" "$(hw 1 6)"
check_eq "ptp-v2-l2: an L2 Sync request is widened to L2 events" "1 9" "$(hw 1 10)"

check "set ts-personality ptp-v2-any" pers ptp-v2-any
check_eq "re-applied: the L2 request widened to any transport" "1 12" "$(hw)"
check_eq "ptp-v2-any: ALL refused" "error ERANGE" "$(hw 1 1)"
check_eq "ptp-v2-any: an L4 request is widened to PTPv2 events" "1 12" "$(hw 1 6)"
check_eq "/proc/net/tsnic/devices shows it" ptp-v2-any \
	"$(ip netns exec osa awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "ts_personality") c = i }
				  $1 == "os0" { print $c }' /proc/net/tsnic/devices)"
check "an unknown personality is a usage error (exit 2)" \
	sh -c 'tsnic -n osa dev set os0 ts-personality bogus 2>/dev/null; [ $? -eq 2 ]'
check "back to full" pers full

# ---- chrony -------------------------------------------------------------
# chronyd's "hwtimestamp IFACE rxfilter F" asks SIOCSHWTSTAMP for F: "all"
# is ALL; "ptp" is PTPv2 L4 events or PTPv2 events, whichever ethtool -T
# claims; without rxfilter, NTP_ALL or ALL where claimed, else none (TX
# stamps only).  A refused request, with no such configuration in effect,
# is fatal for an interface named in the directive.  Read from chronyd's
# log, with no server and the clock left alone (-x).
# chrony [RXFILTER]: chronyd's line on os0's hardware stamps
chrony() {
	local conf=$tmp/chrony.conf log=$tmp/chrony.log pid
	printf 'hwtimestamp os0%s\ncmdport 0\nbindcmdaddress /\npidfile %s\n' \
		"${1:+ rxfilter $1}" "$tmp/chronyd.pid" >"$conf"
	# emptied here, not by the background job's redirection: the loop
	# below must not read the last run's words
	: >"$log"
	ip netns exec osa timeout 30 chronyd -d -x -u root -f "$conf" >>"$log" 2>&1 &
	pid=$!
	# until it enabled the stamps (and runs on) or gave up (and exited):
	# no process per look, they cost seconds on a loaded TCG guest
	while kill -0 "$pid" 2>/dev/null && [[ $(<"$log") != *"HW timestamping"* ]]; do
		sleep 0.2
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	sed 's/^/# /' "$log" >&2
	sed -n 's/^[^ ]* //; /HW timestamping/p' "$log" | head -n 1
}
if command -v chronyd >/dev/null; then
	tmp=$(mktemp -d)
	trap '_cleanup; rm -rf "$tmp"' EXIT
	check_eq "chrony, full, rxfilter all: hardware stamps on" \
		"Enabled HW timestamping on os0" "$(chrony all)"
	check_eq "chrony, full, rxfilter all: ALL applied" "1 1" "$(hw)"
	pers ptp-v2-l4
	check_eq "chrony, ptp-v2-l4, rxfilter all: ALL refused, chronyd gives up" \
		"Fatal error : Could not enable HW timestamping on os0" "$(chrony all)"
	hw 0 6 >/dev/null
	check_eq "chrony, ptp-v2-l4, no rxfilter: ALL not claimed, so TX stamps only" \
		"Enabled HW timestamping (TX only) on os0" "$(chrony)"
	check_eq "chrony, ptp-v2-l4, no rxfilter: TX on, filter none applied" "1 0" "$(hw)"
	check_eq "chrony, ptp-v2-l4, rxfilter ptp: hardware stamps on" \
		"Enabled HW timestamping on os0" "$(chrony ptp)"
	check_eq "chrony, ptp-v2-l4, rxfilter ptp: PTPv2 L4 events asked and applied" \
		"1 6" "$(hw)"
	pers full
else
	skip_cases 7 "chronyd not installed (make deps installs chrony)"
fi

finish
