#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Helper of tsnic_cards.sh: hardware stamps of two ports of one card.

  cards.py stamps TXDEV RXDEV SENDER
      turns hardware timestamping on for TXDEV and RXDEV (tx on, rx all),
      sends a PTPv2 Sync over Ethernet out of TXDEV and one out of SENDER
      (wired to RXDEV); prints "TX_NS RX_NS": TXDEV's hardware TX stamp of
      the first and RXDEV's hardware RX stamp of the second, in ns, or
      exits 1 naming what did not come.
  cards.py offset PHC_A PHC_B
      prints "OFFSET BRACKET": PHC_B minus PHC_A at one instant, in ns.
      From cross-timestamps (PTP_SYS_OFFSET_PRECISE: the clock and the
      raw monotonic time at one instant) of A, B, then A again: A at B's
      instant is interpolated between its two, exact for clocks whose
      rates do not change in between however long the reads take, and
      BRACKET is 0.  A clock without cross-timestamps: B read between two
      reads of A, 16 times, B minus the midpoint of the A reads with the
      tightest bracket, and that bracket's width.
"""

import ctypes
import fcntl
import os
import select
import socket
import struct
import sys
import time

SIOCSHWTSTAMP = 0x89B0
SO_TIMESTAMPING = 37
SCM_TIMESTAMPING = 37
SOF_TX_HW = 1 << 0
SOF_RX_HW = 1 << 2
SOF_RAW_HW = 1 << 6
HWTSTAMP_TX_ON = 1
HWTSTAMP_FILTER_ALL = 1
ETH_P_1588 = 0x88F7
PTP_L2_DST = bytes.fromhex("011b19000000")
MSG_ERRQUEUE = 0x2000
# _IOWR('=', 8, struct ptp_sys_offset_precise): three ptp_clock_time
# (device, sys_realtime, sys_monoraw: s64 sec, u32 nsec, u32 reserved)
# and four u32 reserved
PTP_SYS_OFFSET_PRECISE = 0xC0403D08


def hwts_on(dev):
    cfg = ctypes.create_string_buffer(
        struct.pack("iii", 0, HWTSTAMP_TX_ON, HWTSTAMP_FILTER_ALL))
    ifr = struct.pack("16sP", dev.encode(), ctypes.addressof(cfg))
    ifr += bytes(40 - len(ifr))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s, SIOCSHWTSTAMP, ifr)


def sock(dev, flags):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_1588))
    s.bind((dev, ETH_P_1588))
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING, flags)
    return s


def sync(s, seq):
    mac = s.getsockname()[4]
    msg = struct.pack("!BBHBBHq4s8sHHBb10s", 0, 2, 44, 0, 0, 0, 0, bytes(4),
                      bytes.fromhex("0200000000000001"), 1, seq, 0, -2,
                      bytes(10))
    s.send(PTP_L2_DST + mac + struct.pack("!H", ETH_P_1588) + msg)


def hw_stamp(s, flags):
    """The raw hardware stamp of the next message on @s (or its error
    queue), in ns; None if none comes."""
    # a bound for a failure only: a loaded TCG guest takes its time
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        # a pending error queue makes the socket readable too
        if not select.select([s], [], [], 1)[0]:
            continue
        try:
            _, anc, _, _ = s.recvmsg(2048, 512, flags | socket.MSG_DONTWAIT)
        except BlockingIOError:
            continue
        for level, typ, data in anc:
            if level == socket.SOL_SOCKET and typ == SCM_TIMESTAMPING:
                sec, nsec = struct.unpack("qq", data[32:48])
                if sec or nsec:
                    return sec * 1000000000 + nsec
    return None


def stamps(txdev, rxdev, sender):
    hwts_on(txdev)
    hwts_on(rxdev)
    tx = sock(txdev, SOF_TX_HW | SOF_RAW_HW)
    rx = sock(rxdev, SOF_RX_HW | SOF_RAW_HW)
    out = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    out.bind((sender, 0))
    sync(tx, 1)
    t = hw_stamp(tx, MSG_ERRQUEUE)
    sync(out, 2)
    r = hw_stamp(rx, 0)
    if t is None or r is None:
        print("no", "TX" if t is None else "RX", "stamp")
        return 1
    print(t, r)
    return 0


def phc_ns(fd):
    return time.clock_gettime_ns((~fd << 3) | 3)


def cross(fd):
    """(device ns, raw monotonic ns) at one instant"""
    buf = bytearray(64)
    fcntl.ioctl(fd, PTP_SYS_OFFSET_PRECISE, buf)
    dev_s, dev_ns, _, _, _, _, raw_s, raw_ns = struct.unpack_from("=qIIqIIqI", buf)
    return dev_s * 10**9 + dev_ns, raw_s * 10**9 + raw_ns


def offset(phc_a, phc_b):
    a = os.open(phc_a, os.O_RDONLY)
    b = os.open(phc_b, os.O_RDONLY)
    try:
        a1, r1 = cross(a)
        tb, rb = cross(b)
        a2, r2 = cross(a)
    except OSError:
        pass
    else:
        if r2 > r1:
            print(tb - (a1 + (a2 - a1) * (rb - r1) // (r2 - r1)), 0)
            return 0
    best = None
    for _ in range(16):
        a1 = phc_ns(a)
        tb = phc_ns(b)
        a2 = phc_ns(a)
        if best is None or a2 - a1 < best[1]:
            best = (tb - (a1 + a2) // 2, a2 - a1)
    print(*best)
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == "stamps":
        return stamps(*argv[2:])
    if len(argv) == 4 and argv[1] == "offset":
        return offset(*argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
