#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# pktgen_clear.sh [THREAD...]: remove every device from pktgen's threads
# kpktgend_THREAD (default 0) of the current network namespace, and wait
# until they are gone.
#
# rem_device_all only sets a flag for pktgen's thread and sleeps 125 ms;
# the thread, idle, looks at its flags every 100 ms, later under TCG.  So a
# device may still be listed after the write (an add_device of it then
# fails: "interface already used"), and a flag set on an empty list may be
# acted on after the next add_device, removing the device just added
# (pktgen's "trying to remove a running interface" if it already runs).
# Hence: the flag only for a thread that lists devices, then a poll until
# none is listed (the thread clears the flag right after removing them),
# at most 10 s; exit 1 if a device is still listed then.
[ $# -gt 0 ] || set -- 0
listed() {	# listed THREAD: kpktgend_THREAD lists a device
	! awk '/^(Running|Stopped):/ && NF > 1 { b = 1 } END { exit b }' \
		"/proc/net/pktgen/kpktgend_$1"
}
for t in "$@"; do
	if listed "$t"; then
		echo rem_device_all >"/proc/net/pktgen/kpktgend_$t" || exit 1
	fi
done
i=0
while [ $i -lt 100 ]; do
	busy=0
	for t in "$@"; do
		listed "$t" && busy=1
	done
	[ $busy = 0 ] && exit 0
	sleep 0.1
	i=$((i + 1))
done
echo "pktgen_clear.sh: kpktgend_$* still lists a device after 10 s" >&2
exit 1
