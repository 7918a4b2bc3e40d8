#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: build (once) a 6.12 kernel from linux-source-6.12 with
# KASAN, kmemleak, lockdep, DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS and UBSAN
# (tinyconfig + selftests/vm/debug.config), build tsnic against it and run
# the whole suite in the VM on it.  Any KASAN, lockdep, UBSAN or
# debug-objects report fails a test (run_tests.sh reads the kernel log after
# each one); a kmemleak leak after the suite, scanned explicitly, fails the
# run.
#
#   debug-kernel.sh [-b] [-t TESTS]
#     -b        only build (or find) the kernel; print its cache directory
#               (check.sh -D does this, then tests on it)
#     -t TESTS  run these tests only (names separated by spaces or commas),
#               as `make check T=`; .ci/run runs a selection (see there)
#
# The kernel is cached outside the tree, in
# ${TSNIC_DEBUG_CACHE:-/var/cache/tsnic-debug-kernel}/KEY, where KEY hashes
# the linux-source package version, the config fragment and the compiler:
# clones share it and it is rebuilt only when one of those changes.  The
# directory keeps the built source tree (out-of-tree modules build against
# it), bzImage, and the installed modules (pktgen) under modroot/.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/../.." && pwd)
frag=$here/debug.config

build_only=0
only=
while getopts "bt:" opt; do
	case $opt in
	b) build_only=1 ;;
	t) only=$OPTARG ;;
	*) exit 2 ;;
	esac
done

tarball=$(ls /usr/src/linux-source-6.12*.tar.* 2>/dev/null | sort -V | tail -n 1)
[ -n "$tarball" ] || { echo "debug-kernel: linux-source-6.12 is not installed (make deps)" >&2; exit 1; }
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null ||
	stat -c '%s %Y' "$tarball")
key=$({
	echo "$srcver $(basename "$tarball")"
	cat "$frag"
	gcc --version | head -n 1
} | sha256sum | cut -c1-16)
croot=${TSNIC_DEBUG_CACHE:-/var/cache/tsnic-debug-kernel}
cache=$croot/$key
src=$cache/linux

build_kernel() {
	local t0 t1 missing
	rm -rf "$cache"
	mkdir -p "$src"
	t0=$(date +%s)
	echo "debug-kernel: extracting $(basename "$tarball") into $cache"
	tar -xf "$tarball" -C "$src" --strip-components=1
	cp "$frag" "$cache/debug.config"
	(
		cd "$src"
		make -s tinyconfig >/dev/null
		scripts/kconfig/merge_config.sh -m .config "$frag" >/dev/null
		make -s olddefconfig >/dev/null
	)
	# Every option the fragment sets must have survived olddefconfig (an
	# unmet dependency drops it silently).
	missing=$(grep -E '^(CONFIG_[A-Z0-9_]+=.*|# CONFIG_[A-Z0-9_]+ is not set)$' "$frag" |
		while read -r l; do
			case $l in
			"# "*) o=${l#\# }; o=${o%% *}
			       grep -qE "^$o=" "$src/.config" && echo "$l" ;;
			*) grep -qxF "$l" "$src/.config" || echo "$l" ;;
			esac
		done)
	if [ -n "$missing" ]; then
		echo "debug-kernel: options of debug.config not in the resulting .config:" >&2
		echo "$missing" >&2
		return 1
	fi
	# one job more than CPUs: the build keeps every CPU busy through its
	# waits for the disk (make check starts no VM while it runs)
	jobs=$(($(nproc) + 1))
	echo "debug-kernel: building (make -j$jobs, log in $cache/build.log)"
	if ! make -C "$src" -j"$jobs" bzImage modules >"$cache/build.log" 2>&1; then
		tail -n 40 "$cache/build.log" >&2
		return 1
	fi
	make -C "$src" -s INSTALL_MOD_PATH="$cache/modroot" modules_install \
		>>"$cache/build.log" 2>&1
	cp "$src/arch/x86/boot/bzImage" "$cache/bzImage"
	make -C "$src" -s kernelrelease >"$cache/kernelrelease"
	t1=$(date +%s)
	echo "$((t1 - t0))" >"$cache/build-seconds"
	echo "debug-kernel: built $(cat "$cache/kernelrelease") in $((t1 - t0)) s" \
		"($(nproc) CPUs, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
	touch "$cache/.done"
}

mkdir -p "$croot"
exec 9>"$croot/.lock"
flock 9
if [ ! -e "$cache/.done" ]; then
	build_kernel || { echo "debug-kernel: kernel build FAILED" >&2; exit 1; }
else
	echo "debug-kernel: cached kernel $cache (built in" \
		"$(cat "$cache/build-seconds") s)" >&2
fi
flock -u 9
kver=$(cat "$cache/kernelrelease")

if [ $build_only = 1 ]; then
	echo "$cache"
	exit 0
fi

# The suite: check.sh on the debug kernel alone (the guest runner there is
# debug-suite.sh: kmemleak cleared at boot, scanned after the last test).
exec "$here/check.sh" -S -D "${only:-all}"
