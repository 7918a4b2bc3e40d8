#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send frames out of a tsnic device and print their hardware TX stamps.

tsn.py settai PTP [OFFSET_S]
    Set PHC /dev/PTP to CLOCK_TAI (plus OFFSET_S seconds, a decimal), as
    a servo keeping the PHC on TAI would.

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

tsn.py txtime DEV PRIO SIZE LEAD_MS GAP_NS COUNT [sw]
    Sends COUNT frames at once, the Nth with the launch time CLOCK_TAI
    now + LEAD_MS + N * GAP_NS, asking for the qdisc's drop reports
    (SOF_TXTIME_REPORT_ERRORS).  Prints "LAUNCH STAMP" per frame, STAMP
    "x" for a frame the qdisc dropped.  With sw, software TX stamps (a
    device without hardware stamps, e.g. veth), moved from CLOCK_REALTIME
    to CLOCK_TAI.

tsn.py span DEV PRIO SIZE COUNT
    Sends COUNT frames at once, past the qdisc (PACKET_QDISC_BYPASS),
    only the first and the last asking for a hardware stamp (a per-frame
    SCM_TIMESTAMPING); prints "FIRST LAST".

tsn.py classes DEV SIZE COUNT PRIO...
    Sends COUNT frames at once at each priority PRIO, one socket each,
    all before collecting a stamp; prints "PRIO STAMP" per frame.

tsn.py xstats DEV [CLASS...]
    Prints "window_drops N tx_overruns M" of DEV's root taprio qdisc,
    full offload, then of each class CLASS (1: 100:1, TX queue 0): the
    offload statistics the kernel (6.4 and later) asks the driver for,
    read through rtnetlink (iproute2 6.1 does not print them).

tsn.py hold DEV PRIO SIZE COUNT PTP
    Once DEV's PHC /dev/PTP has passed its next whole second (the
    start of a taprio schedule of 1 s cycles installed before), sends
    COUNT frames at once at PRIO (on TX queue PRIO), asking for hardware
    stamps, reads how many frames the queue's ring holds, deletes DEV,
    then waits until the socket has no byte of them left: prints "queued
    BYTES", "in_ring N", "freed BYTES_LEFT" (0: every frame freed) and
    "stamps N".

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
import errno
import fcntl
import os
import select
import socket
import struct
import sys
import time

SO_TIMESTAMPING = 37
SO_SNDBUFFORCE = 32
SO_RCVBUFFORCE = 33
SO_TXTIME = 61
SCM_TXTIME = SO_TXTIME
CLOCK_TAI = 11
TX_HARDWARE = 1 << 0
TX_SOFTWARE = 1 << 1
SOFTWARE = 1 << 4
RAW_HARDWARE = 1 << 6
OPT_TSONLY = 1 << 11
SIOCSHWTSTAMP = 0x89B0
HWTSTAMP_TX_ON = 1
SOF_TXTIME_REPORT_ERRORS = 1 << 1
SOL_PACKET, PACKET_TX_TIMESTAMP, PACKET_QDISC_BYPASS = 263, 16, 20
SO_EE_ORIGIN_TXTIME = 6
ETH_P_EXP = 0x88B5
BCAST = b"\xff" * 6


def fd_to_clockid(fd):
    return ((~fd) << 3) | 3


def settai(ptp, offset_s=0.0):
    fd = os.open(ptp, os.O_RDWR)
    try:
        now = time.clock_gettime_ns(CLOCK_TAI) + round(offset_s * 10**9)
        time.clock_settime_ns(fd_to_clockid(fd), now)
    finally:
        os.close(fd)


def hwtstamp_on(sock, dev):
    cfg = ctypes.create_string_buffer(struct.pack("iii", 0, HWTSTAMP_TX_ON, 0))
    ifr = struct.pack("16sP", dev.encode(), ctypes.addressof(cfg))
    ifr += b"\0" * (40 - len(ifr))
    fcntl.ioctl(sock.fileno(), SIOCSHWTSTAMP, ifr)


def open_socket(dev, prio, txtime, sw=False):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(ETH_P_EXP))
    s.bind((dev, ETH_P_EXP))
    # room on the error queue for a second's worth of stamps
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)
    if sw:
        flags = TX_SOFTWARE | SOFTWARE | OPT_TSONLY
    else:
        hwtstamp_on(s, dev)
        flags = TX_HARDWARE | RAW_HARDWARE | OPT_TSONLY
    s.setsockopt(socket.SOL_SOCKET, socket.SO_PRIORITY, prio)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING, flags)
    if txtime:
        s.setsockopt(socket.SOL_SOCKET, SO_TXTIME,
                     struct.pack("iI", CLOCK_TAI, SOF_TXTIME_REPORT_ERRORS))
    return s


def stamps(s, n, timeout_s=20, sw=False):
    """The next n stamps of s's error queue, in order; ("x" or "i",
    LAUNCH) for a frame the qdisc dropped (a report of
    SO_EE_ORIGIN_TXTIME, which comes when it drops it: not in the frames'
    order)."""
    # the index of the stamp in struct scm_timestamping
    off = 0 if sw else 32
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
        drop = stamp = None
        for level, typ, data in anc:
            if level == SOL_PACKET and typ == PACKET_TX_TIMESTAMP and \
                    data[4] == SO_EE_ORIGIN_TXTIME:
                # ee_info, ee_data: the dropped frame's launch time;
                # "i": refused at enqueue (EINVAL: no valid launch time,
                # or one already past), "x": found late at dequeue
                err, = struct.unpack_from("I", data, 0)
                lo, hi = struct.unpack_from("II", data, 8)
                drop = ("i" if err == errno.EINVAL else "x", hi << 32 | lo)
            if level == socket.SOL_SOCKET and typ == SO_TIMESTAMPING:
                sec, nsec = struct.unpack_from("qq", data, off)
                stamp = sec * 10**9 + nsec
        # a drop report carries the frame's launch time as its software
        # stamp: not a departure
        if drop or stamp is not None:
            out.append(drop or stamp)
    return out


def txtime(dev, prio, size, lead_ms, gap, count, sw):
    s = open_socket(dev, prio, True, sw)
    payload = b"\x5a" * (size - 14)
    addr = (dev, ETH_P_EXP, 0, 0, BCAST)
    base = time.clock_gettime_ns(CLOCK_TAI) + lead_ms * 10**6
    # software stamps are CLOCK_REALTIME: the kernel's TAI offset moves
    # them to the launch times' clock
    tai = time.clock_gettime_ns(CLOCK_TAI) - time.clock_gettime_ns(
        time.CLOCK_REALTIME) if sw else 0
    launches = [base + i * gap for i in range(count)]
    for t in launches:
        s.sendmsg([payload], [(socket.SOL_SOCKET, SCM_TXTIME,
                               struct.pack("Q", t))], 0, addr)
    got = stamps(s, count, 20 + count * gap // 10**9, sw)
    dropped = {e[1]: e[0] for e in got if isinstance(e, tuple)}
    sent = iter(e for e in got if not isinstance(e, tuple))
    for t in launches:
        if t in dropped:
            print(t, dropped[t])
            continue
        st = next(sent, None)
        print(t, "-" if st is None else st + tai)


class IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class MsgHdr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint32),
                ("iov", ctypes.POINTER(IoVec)), ("iovlen", ctypes.c_size_t),
                ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t),
                ("flags", ctypes.c_int)]


class MMsgHdr(ctypes.Structure):
    _fields_ = [("hdr", MsgHdr), ("len", ctypes.c_uint)]


def sendmmsg(s, payload, dev, count):
    """COUNT broadcast frames of payload, 64 a system call: a queue
    filled faster than a Python loop under TCG would."""
    libc = ctypes.CDLL(None, use_errno=True)
    buf = ctypes.create_string_buffer(payload, len(payload))
    # struct sockaddr_ll
    sll = ctypes.create_string_buffer(struct.pack(
        "HHiHBB8s", socket.AF_PACKET, socket.htons(ETH_P_EXP),
        socket.if_nametoindex(dev), 0, 0, 6, BCAST))
    iov = IoVec(ctypes.addressof(buf), len(payload))
    batch = (MMsgHdr * 64)()
    for m in batch:
        m.hdr = MsgHdr(ctypes.addressof(sll), 20, ctypes.pointer(iov), 1,
                       None, 0, 0)
    while count:
        n = libc.sendmmsg(s.fileno(), batch, min(count, 64), 0)
        if n < 0:
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e))
        count -= n


def span(dev, prio, size, count):
    """COUNT frames at once, only the first and the last asking for a
    hardware stamp (per frame, SCM_TIMESTAMPING): no stamp slots held by
    the frames between."""
    s = open_socket(dev, prio, False)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING, RAW_HARDWARE | OPT_TSONLY)
    # straight to the ring, as the qdisc would hand them over at once if
    # a loaded host left it the time: the engine sees the whole backlog
    s.setsockopt(SOL_PACKET, PACKET_QDISC_BYPASS, 1)
    s.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 16 << 20)
    payload = b"\x5a" * (size - 14)
    addr = (dev, ETH_P_EXP, 0, 0, BCAST)
    stamp = [(socket.SOL_SOCKET, SO_TIMESTAMPING, struct.pack("I", TX_HARDWARE))]
    s.sendmsg([payload], stamp, 0, addr)
    if count > 2:
        sendmmsg(s, payload, dev, count - 2)
    if count > 1:
        s.sendmsg([payload], stamp, 0, addr)
    got = stamps(s, 2, 20 + count * size * 8 // 10**6)
    print(*(got + ["-"] * (2 - len(got))))


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


NLM_F_REQUEST, NLM_F_ACK, NLM_F_ECHO, NLM_F_REPLACE, NLM_F_CREATE = 1, 4, 8, 0x100, 0x400
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


RTM_DELLINK, RTM_GETQDISC, RTM_GETTCLASS = 17, 38, 42
TCA_STATS2, TCA_STATS_APP = 7, 4
T_STATS_WINDOW_DROPS, T_STATS_TX_OVERRUNS = 2, 3


def attrs(buf, off=0):
    """{type: payload} of the attributes in buf from off."""
    out = {}
    while off + 4 <= len(buf):
        alen, atyp = struct.unpack_from("HH", buf, off)
        if alen < 4:
            break
        out[atyp & 0x3FFF] = buf[off + 4:off + alen]
        off += (alen + 3) & ~3
    return out


def xstats_of(s, dev, typ, handle, parent):
    tcm = struct.pack("BxxxiIII", socket.AF_UNSPEC, socket.if_nametoindex(dev),
                      handle, parent, 0)
    # a GET's answer is a notification to the tc group, echoed to the
    # requester only when it asks (NLM_F_ECHO)
    s.send(struct.pack("IHHII", 16 + len(tcm), typ, NLM_F_REQUEST | NLM_F_ECHO, 1, 0) + tcm)
    reply = s.recv(65536)
    _, rtyp, _, _, _ = struct.unpack_from("IHHII", reply)
    if rtyp == NLMSG_ERROR:
        sys.exit("get: %s" % os.strerror(-struct.unpack_from("i", reply, 16)[0]))
    app = attrs(attrs(attrs(reply, 16 + 20).get(TCA_STATS2, b"")).get(
        TCA_STATS_APP, b""))
    val = [struct.unpack("Q", app[a])[0] if a in app else "-"
           for a in (T_STATS_WINDOW_DROPS, T_STATS_TX_OVERRUNS)]
    print("window_drops %s tx_overruns %s" % tuple(val))


def xstats(dev, classes):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.settimeout(30)	# no answer is a failed case, not a hung test
    xstats_of(s, dev, RTM_GETQDISC, 0, 0xFFFFFFFF)
    for c in classes:
        xstats_of(s, dev, RTM_GETTCLASS, 0x100 << 16 | c, 0)


SIOCOUTQ = 0x5411


def outq(s):
    return struct.unpack("i", fcntl.ioctl(s.fileno(), SIOCOUTQ, b"\0" * 4))[0]


def dellink(dev):
    """Delete DEV (RTM_DELLINK), from here: no process to start while
    the frames wait."""
    ifi = struct.pack("BxHiII", socket.AF_UNSPEC, 0,
                      socket.if_nametoindex(dev), 0, 0)
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.send(struct.pack("IHHII", 16 + len(ifi), RTM_DELLINK,
                       NLM_F_REQUEST | NLM_F_ACK, 1, 0) + ifi)
    err = struct.unpack_from("i", s.recv(65536), 16)[0]
    if err:
        sys.exit("dellink: %s" % os.strerror(-err))


def hold(dev, prio, size, count, ptp):
    # a schedule runs from the first whole cycle after its install (the
    # queues run free until then): wait for the PHC's next second
    fd = os.open(ptp, os.O_RDONLY)
    clk = fd_to_clockid(fd)
    second = time.clock_gettime_ns(clk) // 10**9
    while time.clock_gettime_ns(clk) // 10**9 <= second:
        time.sleep(0.01)
    os.close(fd)
    s = open_socket(dev, prio, False)
    payload = b"\x5a" * (size - 14)
    addr = (dev, ETH_P_EXP, 0, 0, BCAST)
    for _ in range(count):
        s.sendto(payload, addr)
    ring = {}
    with open("/proc/net/tsnic/%s/tx-%d/ring" % (dev, prio)) as f:
        for line in f:
            k, _, v = line.partition(" ")
            if k in ("ring_size", "free"):
                ring[k] = int(v)
    print("queued", outq(s))
    print("in_ring", ring["ring_size"] - 1 - ring["free"])
    sys.stdout.flush()
    dellink(dev)
    deadline = time.monotonic() + 10
    while outq(s) and time.monotonic() < deadline:
        time.sleep(0.05)
    print("freed", outq(s))
    print("stamps", len(stamps(s, count, 0.5)))


def main():
    cmd = sys.argv[1]
    if cmd == "taprio":
        taprio(sys.argv[2], [int(x) for x in sys.argv[3].split(",")],
               sys.argv[4:])
        return
    if cmd == "settai":
        settai(sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 0)
        return
    if cmd == "xstats":
        xstats(sys.argv[2], [int(x) for x in sys.argv[3:]])
        return
    if cmd == "hold":
        hold(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
             int(sys.argv[5]), sys.argv[6])
        return
    if cmd == "span":
        span(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
        return
    if cmd == "txtime":
        txtime(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
               int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]),
               sys.argv[8:] == ["sw"])
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
        st = got[i] if i < len(got) else "-"
        print(launch, st[0] if isinstance(st, tuple) else st)


if __name__ == "__main__":
    main()
