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
  cards.py rtnl DEV
      through rtnetlink: DEV's IFLA_INFO_DATA, printed "info KIND CARD
      PORTS"; then two RTM_NEWLINKs of kind tsnic that must fail, each
      printed "NAME ERRNO EXTACK-MESSAGE": card-of an ifindex no device
      has, and the card attribute, which the kernel only reports.
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


RTM_NEWLINK = 16
RTM_GETLINK = 18
NLMSG_ERROR = 2
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_EXCL = 0x200
NLM_F_CREATE = 0x400
NLM_F_CAPPED = 0x100
NLA_F_NESTED = 0x8000
NETLINK_EXT_ACK = 11
NLMSGERR_ATTR_MSG = 1
IFLA_IFNAME = 3
IFLA_LINKINFO = 18
IFLA_INFO_KIND = 1
IFLA_INFO_DATA = 2
# enum tsnic_link_attrs (uapi/linux/tsnic.h)
TSNIC_A_LINK_CARD_OF = 1
TSNIC_A_LINK_CARD = 2
TSNIC_A_LINK_CARD_PORTS = 3


def nla(typ, payload):
    a = struct.pack("HH", 4 + len(payload), typ) + payload
    return a + bytes(-len(a) % 4)


def nla_parse(buf):
    attrs = {}
    off = 0
    while off + 4 <= len(buf):
        alen, atyp = struct.unpack_from("HH", buf, off)
        if alen < 4:
            break
        attrs[atyp & ~NLA_F_NESTED] = buf[off + 4:off + alen]
        off += (alen + 3) & ~3
    return attrs


def rtnl_talk(typ, flags, body):
    """One request; returns (errno, extack message, reply)."""
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                       socket.NETLINK_ROUTE) as s:
        s.setsockopt(270, NETLINK_EXT_ACK, 1)     # SOL_NETLINK
        s.send(struct.pack("IHHII", 16 + len(body), typ,
                           NLM_F_REQUEST | flags, 1, 0) + body)
        reply = s.recv(65536)
    _, rtyp, rflags, _, _ = struct.unpack_from("IHHII", reply)
    if rtyp != NLMSG_ERROR:
        return 0, "", reply
    err = -struct.unpack_from("i", reply, 16)[0]
    # the request is echoed unless capped, then the extack TLVs
    off = 16 + 4 + (16 if rflags & NLM_F_CAPPED else
                    struct.unpack_from("I", reply, 20)[0])
    msg = nla_parse(reply[off:]).get(NLMSGERR_ATTR_MSG, b"")
    return err, msg.rstrip(b"\0").decode(), reply


def rtnl(dev):
    ifi = struct.pack("BxHiII", socket.AF_UNSPEC, 0,
                      socket.if_nametoindex(dev), 0, 0)
    err, msg, reply = rtnl_talk(RTM_GETLINK, 0, ifi)
    if err:
        print("info", errno.errorcode.get(err, err), msg)
    else:
        li = nla_parse(nla_parse(reply[32:]).get(IFLA_LINKINFO, b""))
        data = nla_parse(li.get(IFLA_INFO_DATA, b""))
        u32 = [str(struct.unpack("I", data[a])[0]) if a in data else "-"
               for a in (TSNIC_A_LINK_CARD, TSNIC_A_LINK_CARD_PORTS)]
        print("info", li.get(IFLA_INFO_KIND, b"-").rstrip(b"\0").decode(),
              *u32)
    # an ifindex no device has: the largest there is, and far beyond
    free = max(i for i, _ in socket.if_nameindex()) + 100000
    for name, attr, val in (("card-of", TSNIC_A_LINK_CARD_OF, free),
                            ("card", TSNIC_A_LINK_CARD, 0)):
        info = nla(IFLA_INFO_KIND, b"tsnic\0") + \
            nla(IFLA_INFO_DATA | NLA_F_NESTED,
                nla(attr, struct.pack("I", val)))
        body = struct.pack("BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0) + \
            nla(IFLA_IFNAME, b"tsnicbad0\0") + \
            nla(IFLA_LINKINFO | NLA_F_NESTED, info)
        err, msg, _ = rtnl_talk(RTM_NEWLINK,
                                NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, body)
        print(name, errno.errorcode.get(err, err), msg)
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == "stamps":
        return stamps(*argv[2:])
    if len(argv) == 4 and argv[1] == "offset":
        return offset(*argv[2:])
    if len(argv) == 3 and argv[1] == "rtnl":
        return rtnl(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
