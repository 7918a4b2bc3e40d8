#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demonstration `make run` shows inside the VM.
set -eu
module=$1
show() {
	echo
	echo "\$ $*"
	"$@"
}
echo "tsnic demo on $(uname -r)"
modprobe ptp 2>/dev/null || true
show insmod "$module"
show ip link add tsnic0 type tsnic
show ip link add tsnic1 type tsnic
show ip link set tsnic0 up
show ip -d link show type tsnic
show ethtool -i tsnic0
show ip link del tsnic0
show ip link del tsnic1
show rmmod tsnic
echo
echo "demo: done"
