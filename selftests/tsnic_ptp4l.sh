#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ptp4l with hardware timestamps syncs one tsnic's PHC to its peer's across
# namespaces, against a frequency offset and timestamp jitter; software
# timestamping works too.  Prints the RMS offset it measured.
. "$(dirname "$0")/lib.sh"

RUN_S=${TSNIC_PTP4L_SECONDS:-40}
# Hardware mode: the median of the second half's RMS summaries must stay
# under RMS_BOUND, and every one under RMS_WORST.  A guest starved for a
# while (TCG on a busy host) delays the servo's updates, and one summary
# window then shows a few hundred ns against the usual 15-25; software
# timestamping is at hundreds of microseconds.
RMS_BOUND=100	# ns
RMS_WORST=1000	# ns

rmmod tsnic
check "load with ideal oscillators and 20 ns timestamp jitter" \
	insmod "$TSNIC_MODULE" freq_random_ppb=0 jitter_ns=20
netns pma
netns psl
check "wired pair across namespaces" wired_pair pma pt0 psl pt1 192.168.91
# the slave's oscillator runs 40 ppm fast: ptp4l must discipline it
check "slave's oscillator set to +40 ppm" tsnic -n psl dev set pt1 freq-offset 40ppm
check_eq "and reported back" 40000 \
	"$(tsnic -n psl -j dev show pt1 | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["osc"]["freq_ppb"])')"

cfg=$(mktemp)
cat >"$cfg" <<CFG
[global]
logSyncInterval -2
logMinDelayReqInterval -2
summary_interval 2
CFG

# run_pair MODE [OPTION...]: ptp4l master in pma, slave in psl, for RUN_S
# seconds.  Each instance gets its own management socket (the namespaces
# share the filesystem, and a second bind of the default path fails).
run_pair() {
	local mode=$1
	shift
	ip netns exec pma timeout "$RUN_S" ptp4l -i pt0 "$mode" -m -f "$cfg" \
		--uds_address=/run/ptp4l-master "$@" >/tmp/ptp4l-master.log 2>&1 &
	ip netns exec psl timeout "$RUN_S" ptp4l -i pt1 "$mode" -s -m -f "$cfg" \
		--uds_address=/run/ptp4l-slave "$@" >/tmp/ptp4l-slave.log 2>&1
	wait
}

# analyse: the RMS offsets ptp4l's summaries report in the second half of
# the run (summary_interval 2: one "rms N max M" line per 4 s): "MEDIAN
# WORST MAX N", MAX the largest offset, N the number of summaries
analyse() {
	awk -v half="$((RUN_S / 2))" '
		/ptp4l\[/ { match($0, /\[[0-9.]+\]/); t = substr($0, RSTART + 1, RLENGTH - 2) + 0;
			    if (!t0) t0 = t }
		/ rms / && t - t0 >= half {
			for (i = 1; i <= NF; i++) {
				if ($i == "rms") r[n] = $(i + 1) + 0
				if ($i == "max" && $(i + 1) + 0 > max) max = $(i + 1) + 0
			}
			n++
		}
		END {
			if (!n) { print "nosamples"; exit }
			for (i = 0; i < n; i++)		# insertion sort: n is about 5
				for (j = i; j > 0 && r[j - 1] > r[j]; j--) { x = r[j]; r[j] = r[j - 1]; r[j - 1] = x }
			printf "%d %d %d %d\n", r[int((n - 1) / 2)], r[n - 1], max, n
		}' /tmp/ptp4l-slave.log
}

run_pair -H
res=$(analyse)
echo "# hardware: median rms, worst rms, max, summaries in the second half: $res"
grep -m3 -E 'timed out|FAULT' /tmp/ptp4l-slave.log /tmp/ptp4l-master.log | sed 's/^/# /'
tmo=$(cat /tmp/ptp4l-slave.log /tmp/ptp4l-master.log | grep -c 'timed out while polling')
echo "# tx timestamp timeouts (tx_timestamp_timeout 1 ms): $tmo"
check "hardware: slave locked (UNCALIBRATED to SLAVE)" sh -c "grep -q 'UNCALIBRATED to SLAVE' /tmp/ptp4l-slave.log"
read -r rms worst _ <<<"$res"
check "hardware: median RMS offset in the second half ${rms} ns < ${RMS_BOUND} ns" \
	sh -c "[ '$rms' -eq '$rms' ] 2>/dev/null && [ '$rms' -lt $RMS_BOUND ]"
check "hardware: worst RMS offset in the second half ${worst:-} ns < ${RMS_WORST} ns" \
	sh -c "[ '${worst:-x}' -eq '${worst:-x}' ] 2>/dev/null && [ '${worst:-x}' -lt $RMS_WORST ]"
check "hardware: no TX timestamp timed out" test "$tmo" -eq 0
check "hardware: no ptp4l port faulted" sh -c "! grep -q FAULT /tmp/ptp4l-slave.log /tmp/ptp4l-master.log"
tail -n 3 /tmp/ptp4l-slave.log | sed 's/^/# slave: /'

# With software timestamps ptp4l's default PI constants (ki 0.000574 at
# this sync rate) make the servo wait 0.016 / ki = 28 s before its first
# frequency estimate, too close to RUN_S to lock reliably; explicit
# constants shorten that wait to 0.32 s.
run_pair -S --pi_proportional_const=0.1 --pi_integral_const=0.05
res=$(analyse)
echo "# software: median rms, worst rms, max, summaries in the second half: $res"
check "software timestamping: slave locked" sh -c "grep -q 'UNCALIBRATED to SLAVE' /tmp/ptp4l-slave.log" ||
	grep -v 'delay timeout' /tmp/ptp4l-slave.log | tail -n 15 | sed 's/^/# slave: /'
# software stamps come from the stack's own scheduling: under a loaded
# emulator one may miss ptp4l's 1 ms poll, and ptp4l recovers; shown, not failed
grep -h -m3 -E 'timed out|FAULT' /tmp/ptp4l-slave.log /tmp/ptp4l-master.log | sed 's/^/# software: /'

rm -f "$cfg"
finish
