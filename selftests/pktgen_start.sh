#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# pktgen_start.sh [THREAD...]: start pktgen in the current network
# namespace and wait until every device of threads kpktgend_THREAD
# (default 0) has finished its run.
#
# "start" is synchronous only if pktgen's thread takes the run flag within
# the 125 ms the writer gives it: the writer then waits for the devices it
# finds running.  A guest under TCG does not always run the thread that
# soon; the writer then finds none running and returns before the run has
# begun.  So each device's own "Result: OK" (written when its run ends) is
# polled for, at most 100 s; exit 1 if one has not finished by then.
[ $# -gt 0 ] || set -- 0
pg=/proc/net/pktgen
devs=
for t in "$@"; do
	devs="$devs $(awk '/^(Running|Stopped):/ { for (i = 2; i <= NF; i++) print $i }' \
		"$pg/kpktgend_$t")"
done
echo start >$pg/pgctrl || exit 1
i=0
for d in $devs; do
	until grep -q '^Result: OK' "$pg/$d" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 1000 ]; then
			echo "pktgen_start.sh: $d has not finished its run after 100 s" >&2
			exit 1
		fi
		sleep 0.1
	done
done
