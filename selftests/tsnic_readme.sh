#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# README.md's "On a real machine" block, run as it stands: every line
# between the readme-run markers is one case, passed when the command
# exits 0.  The module is already loaded (run_tests.sh), `tsnic` is on
# PATH and we are root, so `sudo` runs the command as it is.  A line ending
# in `&` runs in the background (and is stopped at the end if still
# running); a line whose comment says Ctrl-C runs for a few seconds and
# passes if it is still running then (or ended with status 0).
. "$(dirname "$0")/lib.sh"

readme=$TSNIC_SELFTESTS/../README.md
mapfile -t lines < <(awk '/<!-- readme-run: end -->/ { f = 0 }
	f && !/^```/ { print }
	/<!-- readme-run: begin -->/ { f = 1 }' "$readme")
# each line's command and comment; a case for each command, and one for
# the block
cmds=()
notes=()
for line in "${lines[@]}"; do
	cmd=$line
	note=
	# a comment starts at "  #" (two spaces: "#" inside a command stays)
	if [[ $line == *"  #"* ]]; then
		cmd=${line%%  #*}
		note=${line#*  #}
	fi
	cmd=$(sed 's/[[:space:]]*$//' <<<"$cmd")
	[ -n "$cmd" ] || continue
	cmds+=("$cmd")
	notes+=("$note")
done
plan $((1 + ${#cmds[@]}))
check "README has a readme-run block" test "${#lines[@]}" -gt 10

bg=()
_readme_cleanup() {
	local p
	for p in "${bg[@]}"; do
		kill "$p" 2>/dev/null
	done
	for d in tsnic0 tsnic1 tsnic2; do
		ip link del "$d" 2>/dev/null
	done
	ip netns del ns1 2>/dev/null
}
trap '_readme_cleanup; _cleanup' EXIT

prelude='sudo() { "$@"; }'
for i in "${!cmds[@]}"; do
	cmd=${cmds[i]}
	note=${notes[i]}
	out=$(mktemp)
	t0=$EPOCHREALTIME
	if [[ $cmd == *"&" ]]; then
		bash -c "$prelude; ${cmd%&}" >"$out" 2>&1 &
		bg+=($!)
		ok "README: $cmd"
		continue
	fi
	if [[ $note == *Ctrl-C* ]]; then
		timeout 3 bash -c "$prelude; $cmd" >"$out" 2>&1
		rc=$?
		[ $rc = 124 ] && rc=0
	else
		bash -c "$prelude; $cmd" >"$out" 2>&1
		rc=$?
	fi
	echo "# $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
	if [ $rc = 0 ]; then
		ok "README: $cmd"
	else
		fail "README: $cmd (exit $rc)"
		tail -n 15 "$out" | sed 's/^/# /'
	fi
	rm -f "$out"
done
finish
