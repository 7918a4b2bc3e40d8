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

tsn.py taprio DEV MAX_SDU,... GATES:INTERVAL_NS...
    Replaces DEV's root qdisc with taprio handle 100:, full offload,
    through rtnetlink (iproute2 6.1 cannot set max-SDU): one traffic
    class per MAX_SDU (0: none), priority N in class N (the others in
    class 0), class N on TX queue N, base time 0, one entry per
    GATES:INTERVAL_NS (gate mask in hex).  Fails with the kernel's
    extack message.

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


NLM_F_REQUEST, NLM_F_ACK, NLM_F_REPLACE, NLM_F_CREATE = 1, 4, 0x100, 0x400
NLMSG_ERROR, RTM_NEWQDISC, NETLINK_EXT_ACK, NLMSGERR_ATTR_MSG = 2, 36, 11, 1
NLA_F_NESTED = 0x8000
TCA_KIND, TCA_OPTIONS = 1, 2
# TCA_TAPRIO_ATTR_*, TCA_TAPRIO_SCHED_ENTRY*, TCA_TAPRIO_TC_ENTRY_*
T_PRIOMAP, T_ENTRY_LIST, T_BASE_TIME, T_FLAGS, T_TC_ENTRY = 1, 2, 3, 10, 12
T_SCHED_ENTRY, E_CMD, E_GATES, E_INTERVAL = 1, 2, 3, 4
TC_INDEX, TC_MAX_SDU = 1, 2
FULL_OFFLOAD = 2


def nla(typ, data):
    attr = struct.pack("HH", 4 + len(data), typ) + data
    return attr + b"\0" * (-len(attr) % 4)


def nest(typ, *attrs):
    return nla(typ | NLA_F_NESTED, b"".join(attrs))


def taprio(dev, sdus, entries):
    num_tc = len(sdus)
    prio_tc = bytes(i if i < num_tc else 0 for i in range(16))
    qopt = struct.pack("B16sB16H16H", num_tc, prio_tc, 0,
                       *([1] * num_tc + [0] * (16 - num_tc)),
                       *(list(range(num_tc)) + [0] * (16 - num_tc)))
    sched = []
    for e in entries:
        gates, interval = e.split(":")
        sched.append(nest(T_SCHED_ENTRY,
                          nla(E_CMD, struct.pack("B", 0)),
                          nla(E_GATES, struct.pack("I", int(gates, 16))),
                          nla(E_INTERVAL, struct.pack("I", int(interval)))))
    tcs = [nest(T_TC_ENTRY, nla(TC_INDEX, struct.pack("I", tc)),
                nla(TC_MAX_SDU, struct.pack("I", sdu)))
           for tc, sdu in enumerate(sdus)]
    opts = nest(TCA_OPTIONS, nla(T_PRIOMAP, qopt),
                nest(T_ENTRY_LIST, *sched),
                nla(T_BASE_TIME, struct.pack("q", 0)),
                nla(T_FLAGS, struct.pack("I", FULL_OFFLOAD)), *tcs)
    tcm = struct.pack("BxxxiIII", socket.AF_UNSPEC, socket.if_nametoindex(dev),
                      0x100 << 16, 0xFFFFFFFF, 0)
    body = tcm + nla(TCA_KIND, b"taprio\0") + opts
    flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE
    msg = struct.pack("IHHII", 16 + len(body), RTM_NEWQDISC, flags, 1, 0) + body
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.setsockopt(270, NETLINK_EXT_ACK, 1)     # SOL_NETLINK
    s.send(msg)
    reply = s.recv(65536)
    _, typ, rflags, _, _ = struct.unpack_from("IHHII", reply)
    if typ != NLMSG_ERROR:
        sys.exit("unexpected reply %d" % typ)
    err = struct.unpack_from("i", reply, 16)[0]
    if err:
        # the request is echoed unless capped (0x100), then the TLVs
        off = 16 + 4 + (16 if rflags & 0x100 else
                        struct.unpack_from("I", reply, 20)[0])
        text = ""
        while off + 4 <= len(reply):
            alen, atyp = struct.unpack_from("HH", reply, off)
            if alen < 4:
                break
            if atyp == NLMSGERR_ATTR_MSG:
                text = reply[off + 4:off + alen].rstrip(b"\0").decode()
            off += (alen + 3) & ~3
        sys.exit("taprio: %s: %s" % (os.strerror(-err), text))


def main():
    cmd = sys.argv[1]
    if cmd == "taprio":
        taprio(sys.argv[2], [int(x) for x in sys.argv[3].split(",")],
               sys.argv[4:])
        return
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
