#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# pktgen_clear.sh [THREAD...]: remove every device from pktgen's threads
# kpktgend_THREAD (default 0) of the current network namespace, and wait
# until they are gone.  pktgen removes them asynchronously and gives its
# thread only 125 ms to do it, which a guest under TCG does not always get:
# an add_device of a device still listed then fails ("interface already
# used") and the run that follows sends nothing.  Polls, at most 10 s;
# exits 1 if a device is still listed then.
[ $# -gt 0 ] || set -- 0
for t in "$@"; do
	echo rem_device_all >"/proc/net/pktgen/kpktgend_$t" || exit 1
done
i=0
while [ $i -lt 100 ]; do
	busy=0
	for t in "$@"; do
		awk '/^(Running|Stopped):/ && NF > 1 { b = 1 } END { exit b }' \
			"/proc/net/pktgen/kpktgend_$t" || busy=1
	done
	[ $busy = 0 ] && exit 0
	sleep 0.1
	i=$((i + 1))
done
echo "pktgen_clear.sh: kpktgend_$* still lists a device after 10 s" >&2
exit 1
