#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demonstration `make run` shows inside the VM: two wired tsnic devices
# in two namespaces, ping, their timestamping capabilities, ptp4l locking
# one PHC to the other, /proc/net/tsnic and the tsnic CLI during traffic,
# then teardown and unload.
set -eu
module=$1
export PATH=/run/tsnic/tools/tsnic:$PATH

step() {
	echo
	echo "### $*"
}
show() {
	echo "\$ $*"
	"$@"
}

echo "tsnic demo on $(uname -r)"
modprobe ptp
modprobe -q gnss 2>/dev/null	# where tsnic.ko needs it
step "Load the module, create a wired pair, put each end in its own namespace"
show insmod "$module" freq_random_ppb=0 jitter_ns=20
show ip netns add ns0
show ip netns add ns1
show ip link add tsnic0 netns ns0 type tsnic
show ip -n ns0 link add tsnic1 link tsnic0 type tsnic
show ip -n ns0 link set tsnic1 netns ns1
ip -n ns0 addr add 192.168.100.1/24 dev tsnic0
ip -n ns1 addr add 192.168.100.2/24 dev tsnic1
ip -n ns0 link set tsnic0 up
ip -n ns1 link set tsnic1 up
sleep 1
show ip -n ns0 -d link show tsnic0

step "Ping across the virtual cable"
show ip netns exec ns0 ping -c 3 -i 0.2 192.168.100.2

step "Timestamping capabilities and the PTP hardware clock"
show ip netns exec ns0 ethtool -T tsnic0

step "ptp4l: tsnic1's clock, 40 ppm fast, locks to tsnic0's (hardware timestamps, 25 s)"
show tsnic -n ns1 dev set tsnic1 freq-offset 40ppm
cfg=$(mktemp)
printf '[global]\nlogSyncInterval -2\nlogMinDelayReqInterval -2\nsummary_interval 2\n' >"$cfg"
ip netns exec ns0 timeout 25 ptp4l -i tsnic0 -H -m -f "$cfg" \
	--uds_address=/run/demo-master >/tmp/demo-master.log 2>&1 &
ip netns exec ns1 timeout 25 ptp4l -i tsnic1 -H -s -m -f "$cfg" \
	--uds_address=/run/demo-slave 2>&1 |
	grep -E 'to SLAVE|rms|selected|FAULT' || true
wait

step "Traffic on a slow line, seen in /proc and through the CLI"
show tsnic -n ns0 dev set tsnic0 rate 10mbit
ip netns exec ns0 python3 /run/tsnic/selftests/udp_flood.py 192.168.100.2 3 1400 >/dev/null &
sleep 1
show ip netns exec ns0 cat /proc/net/tsnic/devices
show ip netns exec ns0 sh -c 'head -n 12 /proc/net/tsnic/tsnic0/tx-0/ring'
show tsnic -n ns0 queue show tsnic0
show tsnic -n ns0 dev show tsnic0
wait
show ip netns exec ns0 ethtool -S tsnic0

step "Teardown: delete, unload"
show ip netns del ns1
show ip -n ns0 -d link show tsnic0
show ip netns del ns0
show rmmod tsnic
rm -f "$cfg"
echo
echo "demo: done"
