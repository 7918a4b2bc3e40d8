#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Ports of one card share its PTP clock: a device made "card-of" another
# (tsnic dev add NAME card-of DEV) reports the same PHC in ethtool -T,
# sysfs, netlink and /proc; the clock's settings act on both; both ports
# stamp TX and RX on that clock; the card lives as long as any port does,
# whichever order they go in and whatever namespace they are in; rmmod
# with ptp4l running on the shared clock.
. "$(dirname "$0")/lib.sh"
plan 30

phc_of() { ethtool -T "$1" | awk '/PTP Hardware Clock:/ { print $4 }'; }
# ptp_of DEV: the clock(s) sysfs lists under DEV's parent
ptp_of() { ls "/sys/class/net/$1/device/ptp/"; }
# dev_field FIELD DEV...: FIELD of each DEV's dev-get, space separated
dev_field() {
	tsnic -j dev show | python3 -c '
import json, sys
d = {x["ifname"]: x for x in json.load(sys.stdin)}
keys = sys.argv[1].split(".")
out = []
for dev in sys.argv[2:]:
    v = d[dev]
    for k in keys:
        v = v[k]
    out.append(str(v))
print(" ".join(out))' "$@"
}
proc_card() {
	awk -v d="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "card") c = i }
		       $1 == d { print $c }' /proc/net/tsnic/devices
}

check "a device with a card of its own" ip link add c0 type tsnic
check "a second port of its card" tsnic dev add c1 card-of c0
idx=$(phc_of c0)
check_eq "ethtool -T: both ports name one PHC" "$idx $idx" "$idx $(phc_of c1)"
check_eq "sysfs: both ports' parent lists ptp$idx" "ptp$idx ptp$idx" \
	"$(ptp_of c0) $(ptp_of c1)"
read -r k0 k1 <<<"$(dev_field card c0 c1)"
check_eq "netlink: one card, two ports, one PHC" "$k0 $k0 2 2 $idx $idx" \
	"$k0 $k1 $(dev_field card_ports c0 c1) $(dev_field phc_index c0 c1)"
check_eq "/proc: one card" "$k0 $k0" "$(proc_card c0) $(proc_card c1)"
check "the card's platform device is tsnic.$k0.auto" \
	test "$(readlink -f /sys/class/net/c1/device)" = "/sys/devices/platform/tsnic.$k0.auto"
check "a third port, made card-of the second: the same card" tsnic dev add c2 card-of c1
check_eq "three ports of the card" "$k0 3 $idx" \
	"$(dev_field card c2) $(dev_field card_ports c2) $(dev_field phc_index c2)"
ip link add solo type tsnic
check "a device made alone has a card and a PHC of its own" \
	test "$(dev_field card solo) $(phc_of solo)" != "$k0 $idx"

# the clock's settings are the card's, whichever port they go through
check "oscillator set through c1" tsnic dev set c1 freq-offset 25ppm
check_eq "and read through c0 and c2" "25000 25000" "$(dev_field osc.freq_ppb c0 c2)"

# refusals, with the kernel's reason
check "card-of a device that does not exist is refused" sh -c \
	"! tsnic dev add c3 card-of nosuch 2>/dev/null"
check "card-of a device that is no tsnic is refused, said why" sh -c \
	"tsnic dev add c3 card-of lo 2>&1 | grep -q 'not a tsnic device'"

# Both ports stamp on the card's clock: set it far from the others'
# (which run near real time) through c0's /dev/ptpN, then c0's TX stamp
# and c1's RX stamp are both on it.
ip link add x0 link c0 type tsnic
ip link add x1 link c1 type tsnic
for d in c0 c1 x0 x1; do ip link set "$d" up; done
wait_for 5 carrier_is c1 1
check "the card's clock set to 1000000 s" phc_ctl "/dev/ptp$idx" set 1000000
read -r tx rx <<<"$(python3 "$TSNIC_SELFTESTS/cards.py" stamps c0 c1 x1)"
echo "# c0 TX stamp ${tx:-none} ns, c1 RX stamp ${rx:-none} ns"
on_card() { [ "$1" -ge 1000000000000000 ] 2>/dev/null && [ "$1" -lt 1000600000000000 ]; }
check "c0's TX stamp is on the card's clock" on_card "${tx:-x}"
check "c1's RX stamp is on the card's clock" on_card "${rx:-x}"

# Lifetime: the port that made the card goes first, the others keep it.
check "the card's first port deleted" ip link del c0
check_eq "c1 and c2 keep the PHC, the card counts two ports" "$idx $idx 2" \
	"$(phc_of c1) $(phc_of c2) $(dev_field card_ports c1)"
check "the clock still reads" phc_ctl "/dev/ptp$idx" get
netns cb
check "a port moves to another namespace" ip link set c2 netns cb
check_eq "it keeps the card's PHC and parent there" "$idx ptp$idx" \
	"$(ip netns exec cb ethtool -T c2 | awk '/PTP Hardware Clock:/ { print $4 }') $(ip netns exec cb ls /sys/class/net/c2/device/ptp/)"
ip link del c1
check "the port left in the other namespace keeps the clock" test -c "/dev/ptp$idx"
ip netns del cb
check "the namespace's end takes the last port, and the clock" \
	wait_for 10 test ! -e "/dev/ptp$idx"

# the other order: the second port goes first
ip link add d0 type tsnic
tsnic dev add d1 card-of d0
didx=$(phc_of d0)
ip link del d1
check_eq "the card's second port deleted: the first keeps the PHC, one port" \
	"$didx 1" "$(phc_of d0) $(dev_field card_ports d0)"
ip link del d0
check "the last port deleted: the clock goes" wait_for 10 test ! -e "/dev/ptp$didx"

# rmmod with ptp4l on two ports of one card: one clock, so ptp4l takes
# them as a boundary clock without boundary_clock_jbod
ip link add e0 type tsnic
tsnic dev add e1 card-of e0
eidx=$(phc_of e0)
ip link add f0 link e0 type tsnic
ip link add f1 link e1 type tsnic
for d in e0 e1 f0 f1; do ip link set "$d" up; done
wait_for 5 carrier_is e1 1
log=$(mktemp)
trap '_cleanup; rm -f "$log"' EXIT
timeout 120 stdbuf -oL ptp4l -i e0 -i e1 -m -H --boundary_clock_jbod=0 \
	--logSyncInterval=-2 --uds_address="$log.uds" >"$log" 2>&1 &
pid=$!
check "ptp4l runs on both ports of the card (one PHC)" \
	wait_for 60 grep -q 'port 2.*to MASTER\|port 2.*to LISTENING' "$log"
check "rmmod with ptp4l running on the shared clock" rmmod tsnic
check "the clock went with the module" test ! -e "/dev/ptp$eidx"
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
grep -m3 -iE 'error|fault' "$log" | sed 's/^/# /'
check "the module loads again" insmod "$TSNIC_MODULE"
finish
