#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad input is refused with a clear error and changes nothing: module
# parameters out of range at load (the message in the kernel log),
# `ip link add` attributes tsnic does not support (the extack text),
# hwtstamp ioctls with garbage flags, tx_type or rx_filter, ethtool values
# out of range; configuration needs CAP_NET_ADMIN, reading does not.
. "$(dirname "$0")/lib.sh"
plan 89

mod=${TSNIC_MODULE:?}

# ---- module parameters ------------------------------------------------------

rmmod tsnic 2>/dev/null

# param_ok NAME=VALUE: the module loads with it (and unloads again)
param_ok() {
	check "insmod $1 accepted" sh -c "insmod '$mod' '$1' && rmmod tsnic"
}

# param_bad NAME=VALUE MESSAGE: insmod fails and the kernel log says MESSAGE
param_bad() {
	local log
	dmesg -C
	if insmod "$mod" "$1" 2>/dev/null; then
		rmmod tsnic
		fail "insmod $1 refused"
		return
	fi
	log=$(dmesg)
	if echo "$log" | grep -qF -- "$2"; then
		ok "insmod $1 refused: '$2'"
	else
		fail "insmod $1 refused: '$2'"
		echo "$log" | tail -n 5 | sed 's/^/# dmesg: /'
	fi
}

ring_msg="tx_ring and rx_ring must be powers of two in 64-4096"
for p in tx_ring rx_ring; do
	param_ok "$p=64"
	param_ok "$p=4096"
	param_bad "$p=32" "$ring_msg"
	param_bad "$p=8192" "$ring_msg"
	param_bad "$p=100" "$ring_msg"
	param_bad "$p=0" "$ring_msg"
done
range_msg="delay_ns, tx_usecs or tx_frames out of range"
param_ok "delay_ns=1000000000"
param_bad "delay_ns=1000000001" "$range_msg"
param_ok "tx_usecs=10000"
param_bad "tx_usecs=10001" "$range_msg"
param_ok "tx_frames=4096"
param_bad "tx_frames=4097" "$range_msg"
ts_msg="ts_slots must be 1-64 and ts_timeout_ms 1-60000"
param_ok "ts_slots=1"
param_ok "ts_slots=64"
param_bad "ts_slots=0" "$ts_msg"
param_bad "ts_slots=65" "$ts_msg"
param_ok "ts_timeout_ms=1"
param_ok "ts_timeout_ms=60000"
param_bad "ts_timeout_ms=0" "$ts_msg"
param_bad "ts_timeout_ms=60001" "$ts_msg"
osc_msg="freq_random_ppb, wander_ppb or jitter_ns out of range"
param_ok "freq_random_ppb=1000000"
param_bad "freq_random_ppb=1000001" "$osc_msg"
param_ok "wander_ppb=100000"
param_bad "wander_ppb=100001" "$osc_msg"
param_ok "jitter_ns=1000000"
param_bad "jitter_ns=1000001" "$osc_msg"
# rate: TSNIC_RATE_BPS_MAX (800 Gbit/s), as netlink's dev-set allows
param_ok "rate=800000000000"
param_bad "rate=800000000001" "rate must be at most 800000000000 bit/s"
param_bad "rate=18446744073709551615" "rate must be at most 800000000000 bit/s"
# Values that do not parse are refused by the kernel's parameter parser.
param_bad "rate=fast" "invalid for parameter \`rate'"
param_bad "rate=-1" "invalid for parameter \`rate'"
param_bad "tx_ring=4294967360" "invalid for parameter \`tx_ring'"
param_bad "delay_ns=-5" "invalid for parameter \`delay_ns'"

check "the module loads with its defaults" insmod "$mod"

# ---- ip link add / set: the extack text ------------------------------------

# refused_with TEXT COMMAND...: COMMAND fails and prints TEXT
refused_with() {
	local text=$1 out
	shift
	if out=$("$@" 2>&1); then
		echo "# accepted: $*"
		return 1
	fi
	echo "$out" | grep -qF -- "$text" || { echo "# got: $out"; return 1; }
}

netns bia
netns bib
modprobe dummy 2>/dev/null
check "a dummy device (non-tsnic)" ip -n bia link add dummy0 type dummy
ip -n bia link add bi0 numtxqueues 4 numrxqueues 4 type tsnic
# bi9's ifindex exists in bib only (namespaces number devices apart)
ip -n bib link add bi9 index 4242 type tsnic
check "17 TX queues refused" refused_with "tsnic supports at most 16 TX queues" \
	ip -n bia link add bix numtxqueues 17 type tsnic
check "17 RX queues refused" refused_with "tsnic supports at most 16 RX queues" \
	ip -n bia link add bix numrxqueues 17 type tsnic
check "1000 TX queues refused" refused_with "tsnic supports at most 16 TX queues" \
	ip -n bia link add bix numtxqueues 1000 numrxqueues 1 type tsnic
check "16 queues accepted" ip -n bia link add bi16 numtxqueues 16 numrxqueues 16 type tsnic
check "a non-tsnic link device refused" refused_with "link device is not a tsnic device" \
	ip -n bia link add bix link dummy0 type tsnic
check "loopback as link device refused" refused_with "link device is not a tsnic device" \
	ip -n bia link add bix link lo type tsnic
# tsnic looks the link device up in the namespace of the request
check "a link device from another namespace refused" refused_with "link device not found" \
	ip -n bia link add bix link if4242 type tsnic
check "wired peer" ip -n bia link add bi1 link bi0 type tsnic
check "a wired device cannot take a second cable" \
	refused_with "link device is already wired to another tsnic" \
	ip -n bia link add bix link bi0 type tsnic
check "multicast MAC address refused" refused_with "invalid MAC address" \
	ip -n bia link add bix address 01:00:5e:00:00:01 type tsnic
check "all-zero MAC address refused" refused_with "invalid MAC address" \
	ip -n bia link add bix address 00:00:00:00:00:00 type tsnic
check "no refused device was created" sh -c "! ip -n bia link show bix 2>/dev/null"
check "MTU above 9000 refused" refused_with "mtu greater than device maximum" \
	ip -n bia link set bi0 mtu 9001
check "MTU below 68 refused" refused_with "mtu less than device minimum" \
	ip -n bia link set bi0 mtu 67
check_eq "MTU unchanged" 1500 "$(ip netns exec bia cat /sys/class/net/bi0/mtu)"
check "MTU 9000 accepted" ip -n bia link set bi0 mtu 9000

# ---- ethtool -G / -L / -C: refused, nothing changed --------------------------

et() { ip netns exec bia ethtool "$@"; }
rings() { et -g bi0 | awk '/^Current/ { c = 1 } c && /^(RX|TX):/ { printf "%s%s ", $1, $2 }'; }
r0=$(rings)
check "ring below 64 refused" refused_with "rings need at least 64 entries" et -G bi0 tx 32
check "RX ring below 64 refused" refused_with "rings need at least 64 entries" et -G bi0 rx 16
check "ring not a power of two refused" refused_with "ring sizes must be powers of two" \
	et -G bi0 tx 1000
check "ring above 4096 refused" refused_with "exceeds maximum" et -G bi0 tx 8192
check_eq "rings unchanged after refusals" "$r0" "$(rings)"
check "ring 4096 accepted" et -G bi0 tx 4096 rx 4096
check "ring 64 accepted" et -G bi0 tx 64 rx 64

ch() { et -l bi0 | awk '/^Current/ { c = 1 } c && /^(RX|TX|Combined):/ { printf "%s%s ", $1, $2 }'; }
c0=$(ch)
check "more TX channels than queues refused" refused_with "exceeds maximum" et -L bi0 tx 5
check "more RX channels than queues refused" refused_with "exceeds maximum" et -L bi0 rx 5
check "combined channels refused" sh -c "! ip netns exec bia ethtool -L bi0 combined 2 2>/dev/null"
check "zero TX channels refused" sh -c "! ip netns exec bia ethtool -L bi0 tx 0 2>/dev/null"
check_eq "channels unchanged after refusals" "$c0" "$(ch)"

co() { et -c bi0 | awk '$1 == "tx-usecs:" || $1 == "tx-frames:" { printf "%s%s ", $1, $2 }'; }
k0=$(co)
check "tx-usecs above 10000 refused" refused_with "tx-usecs is at most 10000" \
	et -C bi0 tx-usecs 10001
check "tx-frames above 4096 refused" refused_with "tx-frames is at most 4096" \
	et -C bi0 tx-frames 4097
check "unsupported coalescing parameter refused" sh -c \
	"! ip netns exec bia ethtool -C bi0 rx-usecs 5 2>/dev/null"
check_eq "coalescing unchanged after refusals" "$k0" "$(co)"
check "tx-usecs 10000 tx-frames 4096 accepted" et -C bi0 tx-usecs 10000 tx-frames 4096

# ---- SIOCSHWTSTAMP with garbage ----------------------------------------------

hwts=$(mktemp --suffix=.py)
cat >"$hwts" <<'EOF'
# hwts DEV get | hwts DEV set FLAGS TX_TYPE RX_FILTER
# prints "OK flags tx_type rx_filter" (what the kernel wrote back) or the errno
import ctypes, errno, fcntl, socket, struct, sys
SIOCSHWTSTAMP, SIOCGHWTSTAMP = 0x89b0, 0x89b1
dev, op = sys.argv[1], sys.argv[2]
vals = [int(v, 0) for v in sys.argv[3:6]] if op == "set" else [0, 0, 0]
cfg = ctypes.create_string_buffer(struct.pack("iii", *vals), 12)
ifr = bytearray(struct.pack("16sP", dev.encode(), ctypes.addressof(cfg)).ljust(40, b"\0"))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    fcntl.ioctl(s, SIOCSHWTSTAMP if op == "set" else SIOCGHWTSTAMP, ifr)
except OSError as e:
    print(errno.errorcode[e.errno])
    sys.exit(0)
print("OK %d %d %d" % struct.unpack("iii", cfg.raw[:12]))
EOF
chmod 644 "$hwts"
hw() { ip netns exec bia python3 "$hwts" bi0 "$@"; }
check_eq "hwtstamp on, PTP v2 L4 Sync filter -> PTP v2 event" "OK 0 1 12" "$(hw set 0 1 10)"
check_eq "unknown flag bit refused" EINVAL "$(hw set 0x2 1 12)"
check_eq "all flag bits refused" EINVAL "$(hw set -1 1 12)"
check_eq "tx_type 4, one past ONESTEP_P2P, refused" ERANGE "$(hw set 0 4 12)"
check_eq "negative tx_type refused" ERANGE "$(hw set 0 -1 12)"
check_eq "tx_type past the enum refused" ERANGE "$(hw set 0 0x7fffffff 12)"
check_eq "negative rx_filter refused" ERANGE "$(hw set 0 1 -1)"
check_eq "rx_filter past the enum refused" ERANGE "$(hw set 0 1 0x10000)"
check_eq "configuration unchanged after refusals" "OK 0 1 12" "$(hw get)"

# ---- configuration needs CAP_NET_ADMIN, reading does not ----------------------

nobody() { ip netns exec bia setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
check_eq "unprivileged SIOCSHWTSTAMP refused" EPERM "$(nobody python3 "$hwts" bi0 set 0 0 0)"
check_eq "unprivileged SIOCGHWTSTAMP allowed" "OK 0 1 12" "$(nobody python3 "$hwts" bi0 get)"
check "unprivileged ethtool -G refused" sh -c \
	"! ip netns exec bia setpriv --reuid=65534 --regid=65534 --clear-groups ethtool -G bi0 tx 128 2>/dev/null"
check "unprivileged ethtool -g allowed" nobody ethtool -g bi0
check "unprivileged ethtool -S allowed" nobody ethtool -S bi0
rm -f "$hwts"

check "delete everything" sh -c "ip -n bia link del bi0 && ip -n bia link del bi16 && ip -n bib link del bi9"
finish
