#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Ports of one card share its PTP clock: a device made "card-of" another
# (tsnic dev add NAME card-of DEV) reports the same PHC and card in
# ethtool -T, sysfs, ip -d link (the parent device), rtnetlink's link
# info, netlink and /proc; card-of an unknown ifindex is refused with
# ENODEV and a reason; the clock's settings act on both; both ports stamp
# TX and RX on that clock; the card lives as long as any port does,
# whichever order they go in and whatever namespace they are in; rmmod
# with ptp4l running on the shared clock.
. "$(dirname "$0")/lib.sh"
plan 27

phc_of() { ethtool -T "$1" | awk '/PTP Hardware Clock:/ { print $4 }'; }
# ptp_of DEV: the clock(s) sysfs lists under DEV's parent
ptp_of() { ls "/sys/class/net/$1/device/ptp/"; }
# info DEV [NETNS]: "ptpN card K ports N freq-offset F" from DEV's dev-get
info() {
	tsnic ${2:+-n "$2"} dev show "$1" | awk '
		$1 == "phc" { p = $2; for (i = 3; i < NF; i++) if ($i == "freq-offset") f = $(i + 1) }
		$1 == "card" { c = $2; n = $4 }
		END { print p, "card", c, "ports", n, "freq-offset", f }'
}
proc_card() {
	awk -v d="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "card") c = i }
		       $1 == d { print $c }' /proc/net/tsnic/devices
}

check "a device with a card of its own" ip link add c0 type tsnic
ip link add x1 type tsnic
check "a second port of its card, cabled to another device" \
	tsnic dev add c1 card-of c0 link x1
idx=$(phc_of c0)
k0=$(proc_card c0)
check_eq "ethtool -T, sysfs, /proc: one PHC, one card" \
	"$idx ptp$idx ptp$idx $k0" "$(phc_of c1) $(ptp_of c0) $(ptp_of c1) $(proc_card c1)"
check_eq "netlink: one card, two ports, one PHC" \
	"ptp$idx card $k0 ports 2" "$(info c1 | cut -d' ' -f1-5)"
check "the card's platform device is every port's parent: tsnic.$k0.auto" \
	test "$(readlink -f /sys/class/net/c1/device)" = "/sys/devices/platform/tsnic.$k0.auto"
check "ip -d link: the card is c1's parent device" \
	grep -q "parentbus platform parentdev tsnic.$k0.auto" <(ip -d link show c1)
# rtnetlink: c1's IFLA_INFO_DATA; card-of an ifindex no device has, and
# the card attribute, which is only reported (the CLI refuses both first)
rtnl=$(python3 "$TSNIC_SELFTESTS/cards.py" rtnl c1)
echo "$rtnl" | sed 's/^/# /'
check_eq "rtnetlink: c1's link info: kind, card, ports" "tsnic $k0 2" \
	"$(echo "$rtnl" | sed -n 's/^info //p')"
check_eq "rtnetlink: card-of an unknown ifindex: ENODEV, said why" \
	"ENODEV card-of: no such device" "$(echo "$rtnl" | sed -n 's/^card-of //p')"
check_eq "rtnetlink: the card attribute in a request: refused, said why" \
	"EINVAL card: reported, not set (card-of)" "$(echo "$rtnl" | sed -n 's/^card //p')"
check "a third port, made card-of the second, joins the same card" \
	tsnic dev add c2 card-of c1
check_eq "three ports of the card" "ptp$idx card $k0 ports 3" \
	"$(info c2 | cut -d' ' -f1-5)"
check "the device made alone has a card and a PHC of their own" \
	test "$(proc_card x1) $(phc_of x1)" != "$k0 $idx"
check "card-of a device that is no tsnic is refused, said why" \
	grep -q 'not a tsnic device' <(tsnic dev add c3 card-of lo 2>&1)

# the clock's settings are the card's, whichever port they go through
tsnic dev set c1 freq-offset 25ppm
check_eq "oscillator set through c1, read through c0 and c2" "25ppm 25ppm" \
	"$(info c0 | cut -d' ' -f7) $(info c2 | cut -d' ' -f7)"

# Both ports stamp on the card's clock: set it far from x1's (near real
# time) through c0's /dev/ptpN; c0's TX stamp (unwired: its frames go to
# the sink) and c1's RX stamp of a frame from x1 are both on it.
for d in c0 c1 x1; do ip link set "$d" up; done
wait_for 5 carrier_is c1 1
phc_ctl "/dev/ptp$idx" set 1000000 >/dev/null
read -r tx rx <<<"$(python3 "$TSNIC_SELFTESTS/cards.py" stamps c0 c1 x1)"
echo "# card set to 1000000 s: c0 TX stamp ${tx:-none} ns, c1 RX stamp ${rx:-none} ns"
on_card() { [ "$1" -ge 1000000000000000 ] 2>/dev/null && [ "$1" -lt 1000600000000000 ]; }
check "c0's TX stamp is on the card's clock" on_card "${tx:-x}"
check "c1's RX stamp is on the card's clock" on_card "${rx:-x}"

# Lifetime: a later port goes first, then the one that made the card;
# the port moved to another namespace keeps the card to the end.
netns cb
check "a port moves to another namespace" ip link set c2 netns cb
check_eq "it keeps the card's PHC and parent there" "$idx ptp$idx" \
	"$(ip netns exec cb ethtool -T c2 | awk '/PTP Hardware Clock:/ { print $4 }') $(ip netns exec cb ls /sys/class/net/c2/device/ptp/)"
check "the card's second port deleted" ip link del c1
check_eq "the first keeps the PHC, two ports left" "ptp$idx ports 2" \
	"$(info c0 | cut -d' ' -f1,4,5)"
check "the port that made the card deleted" ip link del c0
check "the port in the other namespace keeps the clock" test -c "/dev/ptp$idx"
ip netns del cb
check "the namespace's end takes the last port, and the clock" \
	wait_for 10 test ! -e "/dev/ptp$idx"

# rmmod with ptp4l on two ports of one card (cabled to each other): one
# clock, so ptp4l takes them as a boundary clock without
# boundary_clock_jbod
ip link add e0 type tsnic
tsnic dev add e1 card-of e0 link e0
eidx=$(phc_of e0)
ip link set e0 up
ip link set e1 up
log=$(mktemp)
trap '_cleanup; rm -f "$log"' EXIT
timeout 120 stdbuf -oL ptp4l -i e0 -i e1 -m -H --boundary_clock_jbod=0 \
	--uds_address="$log.uds" >"$log" 2>&1 &
pid=$!
check "ptp4l runs on both ports of the card (one PHC)" \
	wait_for 60 grep -q 'port 2.*INITIALIZING to LISTENING' "$log"
check "rmmod with ptp4l running on the shared clock" rmmod tsnic
check "the clock went with the module" test ! -e "/dev/ptp$eidx"
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
check "the module loads again" insmod "$TSNIC_MODULE"
finish
