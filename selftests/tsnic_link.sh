#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Link kind basics: create, bring up, list, delete; the module unloads.
. "$(dirname "$0")/lib.sh"
plan 15

check "ip link add tsnic0 type tsnic" ip link add tsnic0 type tsnic
check "tsnic0 is of kind tsnic" is_tsnic tsnic0
check "ip link set tsnic0 up" ip link set tsnic0 up
check "tsnic0 operstate goes up" wait_for 5 operstate_is tsnic0 up
check "tsnic0 is listed by ip -br link" sh -c "ip -br link | grep -q '^tsnic0 '"
check "ethtool -i reports the driver" sh -c "ethtool -i tsnic0 | grep -qx 'driver: tsnic'"
check "a second device, named by the kernel" ip link add type tsnic
n=$(ip -d -o link show type tsnic | wc -l)
check_eq "two tsnic devices listed" 2 "$n"
check "ip link set tsnic0 down" ip link set tsnic0 down
check "tsnic0 operstate goes down" wait_for 5 operstate_is tsnic0 down
check "ip link del tsnic0" ip link del tsnic0
check "tsnic0 is gone" sh -c "! ip link show tsnic0 2>/dev/null"
check "rmmod with a device present" rmmod tsnic
check "every tsnic device went with the module" sh -c "! ip -o link show type tsnic 2>/dev/null | grep -q ."
check "insmod again" insmod "$TSNIC_MODULE"
finish
