#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run: build for one kernel, boot it and show tsnic at work.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/../.." && pwd)
kver=${1:-$("$tree/scripts/kvers.sh" | tr " " "\n" | grep -v -- -rt- | tail -n 1)}
make -s -C "$tree" tools >/dev/null
ko=$("$tree/scripts/build-module.sh" "$kver")
exec "$here/vm.sh" -k "$kver" -t 170 -o "$tree/.build/out/run" -- \
	bash selftests/demo.sh "/run/tsnic/${ko#"$tree"/}"
