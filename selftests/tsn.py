#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send frames out of a tsnic device and print their hardware TX stamps.

tsn.py settai PTP [OFFSET_S]
    Set PHC /dev/PTP to CLOCK_TAI (plus OFFSET_S seconds), as a servo
    keeping the PHC on TAI would.

tsn.py send DEV PRIO SIZE LEAD_MS[:ALIGN_NS] OFFSET_NS...
    Sends one frame of SIZE bytes (Ethernet header included) per
    OFFSET_NS from an AF_PACKET socket at priority PRIO, its SO_TXTIME
    launch time CLOCK_TAI now + LEAD_MS + OFFSET_NS (with ALIGN_NS, now +
    LEAD_MS rounded up to a multiple of it).  Prints "LAUNCH STAMP" per
    frame, in sending order, in ns ("-": no stamp came).

tsn.py burst DEV PRIO SIZE COUNT [STAMPS]
    Sends COUNT frames at once, without launch times; prints "0 STAMP".
    Waits for STAMPS stamps (default COUNT): 0 for frames meant to be
    dropped.

tsn.py classes DEV SIZE COUNT PRIO...
    Sends COUNT frames at once at each priority PRIO, one socket each,
    all before collecting a stamp; prints "PRIO STAMP" per frame.

The hardware stamps come back on the socket's error queue in sending
order (one queue, in-order completion), so no OPT_ID key is needed.
"""
import ctypes
import fcntl
import os
import select
import socket
import struct
import sys
import time

SO_TIMESTAMPING = 37
SO_TXTIME = 61
SCM_TXTIME = SO_TXTIME
CLOCK_TAI = 11
TX_HARDWARE = 1 << 0
RAW_HARDWARE = 1 << 6
OPT_TSONLY = 1 << 11
SIOCSHWTSTAMP = 0x89B0
HWTSTAMP_TX_ON = 1
ETH_P_EXP = 0x88B5
BCAST = b"\xff" * 6


def fd_to_clockid(fd):
    return ((~fd) << 3) | 3


def settai(ptp, offset_s=0):
    fd = os.open(ptp, os.O_RDWR)
    try:
        now = time.clock_gettime_ns(CLOCK_TAI) + offset_s * 10**9
        time.clock_settime_ns(fd_to_clockid(fd), now)
    finally:
        os.close(fd)


def hwtstamp_on(sock, dev):
    cfg = ctypes.create_string_buffer(struct.pack("iii", 0, HWTSTAMP_TX_ON, 0))
    ifr = struct.pack("16sP", dev.encode(), ctypes.addressof(cfg))
    ifr += b"\0" * (40 - len(ifr))
    fcntl.ioctl(sock.fileno(), SIOCSHWTSTAMP, ifr)


def open_socket(dev, prio, txtime):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(ETH_P_EXP))
    s.bind((dev, ETH_P_EXP))
    hwtstamp_on(s, dev)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_PRIORITY, prio)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING,
                 TX_HARDWARE | RAW_HARDWARE | OPT_TSONLY)
    if txtime:
        s.setsockopt(socket.SOL_SOCKET, SO_TXTIME,
                     struct.pack("iI", CLOCK_TAI, 0))
    return s


def stamps(s, n, timeout_s=20):
    """The next n hardware stamps of s's error queue, in order."""
    out = []
    deadline = time.monotonic() + timeout_s
    while len(out) < n:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            break
        try:
            _, anc, _, _ = s.recvmsg(0, 1024, socket.MSG_ERRQUEUE)
        except BlockingIOError:
            continue
        for level, typ, data in anc:
            if level == socket.SOL_SOCKET and typ == SO_TIMESTAMPING:
                sec, nsec = struct.unpack_from("qq", data, 32)
                out.append(sec * 10**9 + nsec)
    return out


def send(dev, prio, size, offsets, lead):
    s = open_socket(dev, prio, bool(offsets))
    payload = b"\x5a" * (size - 14)
    addr = (dev, ETH_P_EXP, 0, 0, BCAST)
    launches = []
    lead_ms, _, align = lead.partition(":")
    base = time.clock_gettime_ns(CLOCK_TAI) + int(lead_ms) * 10**6
    if align:
        base = -(-base // int(align)) * int(align)
    for off in offsets:
        t = base + off
        launches.append(t)
        s.sendmsg([payload], [(socket.SOL_SOCKET, SCM_TXTIME,
                               struct.pack("Q", t))], 0, addr)
    return launches, stamps(s, len(offsets))


def burst(dev, prio, size, count, want=None):
    s = open_socket(dev, prio, False)
    payload = b"\x5a" * (size - 14)
    addr = (dev, ETH_P_EXP, 0, 0, BCAST)
    for _ in range(count):
        s.sendto(payload, addr)
    return [0] * count, stamps(s, count if want is None else want)


def classes(dev, size, count, prios):
    payload = b"\x5a" * (size - 14)
    addr = (dev, ETH_P_EXP, 0, 0, BCAST)
    socks = [open_socket(dev, p, False) for p in prios]
    for s in socks:
        for _ in range(count):
            s.sendto(payload, addr)
    for p, s in zip(prios, socks):
        got = stamps(s, count)
        for i in range(count):
            print(p, got[i] if i < len(got) else "-")


def main():
    cmd = sys.argv[1]
    if cmd == "settai":
        settai(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 0)
        return
    if cmd == "classes":
        classes(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
                [int(x) for x in sys.argv[5:]])
        return
    dev, prio, size = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    if cmd == "send":
        launches, got = send(dev, prio, size,
                             [int(x) for x in sys.argv[6:]], sys.argv[5])
    else:
        launches, got = burst(dev, prio, size, int(sys.argv[5]),
                              int(sys.argv[6]) if len(sys.argv) > 6
                              else None)
    for i, launch in enumerate(launches):
        print(launch, got[i] if i < len(got) else "-")


if __name__ == "__main__":
    main()
