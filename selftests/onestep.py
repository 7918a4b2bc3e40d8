#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers of tsnic_onestep.sh: hardware timestamping configuration and
one-step Sync frames.

  onestep.py hwts DEV [TX_TYPE RX_FILTER]
      SIOCGHWTSTAMP, or SIOCSHWTSTAMP with the values given (numbers of
      enum hwtstamp_tx_types and hwtstamp_rx_filters); prints the
      configuration the driver answered, "TX RX", or "error ERRNAME" (and
      exits 1) when it refused.
  onestep.py send DEV PHC DST4 DST6
      sends PTPv2 messages with a zero originTimestamp from DEV: a Sync
      over UDP/IPv4 to DST4, over UDP/IPv6 to DST6, over Ethernet, and a
      Delay_Req over UDP/IPv4; prints the PHC's time (ns) before and after.
  onestep.py recv DEV N [READY_FILE]
      captures N PTPv2 event messages on DEV (after touching READY_FILE)
      and prints one line each: "TRANSPORT MSGTYPE ORIGIN_NS CSUM", where
      CSUM is ok, bad or none (UDP/IPv4 without a checksum, or Ethernet).
  onestep.py pdelay-resp DEV N READY_FILE
      answers N Pdelay_Req over UDP (IPv4 or IPv6) on DEV as a one-step
      peer delay responder does: a Pdelay_Resp, twoStepFlag clear, whose
      correctionField is the request's as received; prints one line per
      request: "CORRECTION T2", the correctionField received (signed)
      and the request's RX hardware stamp (ns).
  onestep.py pdelay-req DEV DST CORRECTION
      sends a Pdelay_Req to DST (IPv4 or IPv6) from DEV with the given
      correctionField and waits for the Pdelay_Resp; prints "T1 T4
      CORRECTION": the request's TX and the response's RX hardware stamps
      (ns) and the response's correctionField (signed).
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
SIOCGHWTSTAMP = 0x89B1
ETH_P_ALL = 0x0003
ETH_P_1588 = 0x88F7
PTP_L2_DST = bytes.fromhex("011b19000000")
PTP_EVENT_PORT = 319


def hwts(dev, tx=None, rx=None):
    cfg = ctypes.create_string_buffer(struct.pack("iii", 0, tx or 0, rx or 0))
    ifr = struct.pack("16sP", dev.encode(), ctypes.addressof(cfg))
    ifr += bytes(40 - len(ifr))
    cmd = SIOCGHWTSTAMP if tx is None else SIOCSHWTSTAMP
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            fcntl.ioctl(s, cmd, ifr)
        except OSError as e:
            print("error", errno.errorcode.get(e.errno, e.errno))
            return 1
    _, t, r = struct.unpack("iii", cfg.raw[:12])
    print(t, r)
    return 0


def ptp_msg(msgtype, seq):
    """A PTPv2 event message of 44 bytes, twoStepFlag clear, origin 0."""
    return struct.pack("!BBHBBHq4s8sHHBb10s", msgtype, 2, 44, 0, 0, 0, 0,
                       bytes(4), bytes.fromhex("0200000000000001"), 1, seq,
                       0, -2, bytes(10))


def phc_ns(fd):
    return time.clock_gettime_ns((~fd << 3) | 3)


def send(dev, phc, dst4, dst6):
    fd = os.open(phc, os.O_RDONLY)
    before = phc_ns(fd)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
        s.sendto(ptp_msg(0, 1), (dst4, PTP_EVENT_PORT))
        s.sendto(ptp_msg(1, 2), (dst4, PTP_EVENT_PORT))
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
        s.sendto(ptp_msg(0, 3), (dst6, PTP_EVENT_PORT))
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((dev, 0))
        mac = s.getsockname()[4]
        s.send(PTP_L2_DST + mac + struct.pack("!H", ETH_P_1588) +
               ptp_msg(0, 4))
    # each departure is at most a wire time after its sendto() returned
    after = phc_ns(fd)
    os.close(fd)
    print(before, after)
    return 0


def csum16(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def classify(frame):
    """(transport, PTP message, UDP checksum verdict) or None."""
    ethertype = struct.unpack("!H", frame[12:14])[0]
    if ethertype == ETH_P_1588:
        return "l2", frame[14:], "none"
    if ethertype == 0x0800:
        ihl = (frame[14] & 0xF) * 4
        ip = frame[14:14 + ihl]
        if ip[9] != socket.IPPROTO_UDP:
            return None
        udp = frame[14 + ihl:]
        ulen = struct.unpack("!H", udp[4:6])[0]
        udp = udp[:ulen]
        if struct.unpack("!H", udp[2:4])[0] != PTP_EVENT_PORT:
            return None
        if udp[6:8] == b"\0\0":
            return "udp4", udp[8:], "none"
        pseudo = ip[12:20] + struct.pack("!BBH", 0, socket.IPPROTO_UDP, ulen)
        return "udp4", udp[8:], "ok" if csum16(pseudo + udp) == 0xFFFF else "bad"
    if ethertype == 0x86DD:
        ip = frame[14:54]
        if ip[6] != socket.IPPROTO_UDP:
            return None
        udp = frame[54:]
        ulen = struct.unpack("!H", udp[4:6])[0]
        udp = udp[:ulen]
        if struct.unpack("!H", udp[2:4])[0] != PTP_EVENT_PORT:
            return None
        pseudo = ip[8:40] + struct.pack("!IxxxB", ulen, socket.IPPROTO_UDP)
        return "udp6", udp[8:], "ok" if csum16(pseudo + udp) == 0xFFFF else "bad"
    return None


def recv(dev, n, ready=None):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.bind((dev, 0))
    if ready:
        open(ready, "w").close()
    got = 0
    # a bound for a failure only: a loaded TCG guest takes its time
    deadline = time.monotonic() + 300
    while got < n and time.monotonic() < deadline:
        if not select.select([s], [], [], 1)[0]:
            continue
        c = classify(s.recv(2048))
        if not c or len(c[1]) < 44 or c[1][1] & 0xF != 2:
            continue
        transport, msg, verdict = c
        hi, lo, ns = struct.unpack("!HII", msg[34:44])
        print(transport, msg[0] & 0xF,
              ((hi << 32) | lo) * 1000000000 + ns, verdict, flush=True)
        got += 1
    return 0 if got == n else 1


SO_TIMESTAMPING = 37
MSG_ERRQUEUE = 0x2000
SOF_TX_HW, SOF_RX_HW, SOF_RAW_HW = 1 << 0, 1 << 2, 1 << 6


def pdelay_msg(msgtype, seq, correction):
    """A Pdelay_Req or Pdelay_Resp of 54 bytes, twoStepFlag clear."""
    return struct.pack("!BBHBBHq4s8sHHBb10s10s", msgtype, 2, 54, 0, 0, 0,
                       correction, bytes(4),
                       bytes.fromhex("0200000000000002"), 1, seq, 5, 0x7F,
                       bytes(10), bytes(10))


def hw_stamp(ancdata):
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPING:
            sec, ns = struct.unpack("qq", data[32:48])
            return sec * 1000000000 + ns
    return None


def ptp_socket(dev, family, flags):
    s = socket.socket(family, socket.SOCK_DGRAM)
    if family == socket.AF_INET6:
        # beside the IPv4 socket on the same port
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING, flags)
    s.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", PTP_EVENT_PORT))
    return s


def pdelay_resp(dev, n, ready):
    socks = [ptp_socket(dev, f, SOF_RX_HW | SOF_RAW_HW)
             for f in (socket.AF_INET, socket.AF_INET6)]
    open(ready, "w").close()
    deadline = time.monotonic() + 300
    while n > 0 and time.monotonic() < deadline:
        for s in select.select(socks, [], [], 1)[0]:
            msg, anc, _, src = s.recvmsg(256, 256)
            if len(msg) < 54 or msg[0] & 0xF != 2:
                continue
            corr = struct.unpack("!q", msg[8:16])[0]
            print(corr, hw_stamp(anc), flush=True)
            seq = struct.unpack("!H", msg[30:32])[0]
            s.sendto(pdelay_msg(3, seq, corr), src[:2])
            n -= 1
    return 0 if n == 0 else 1


def pdelay_req(dev, dst, correction):
    family = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = ptp_socket(dev, family, SOF_TX_HW | SOF_RX_HW | SOF_RAW_HW)
    s.sendto(pdelay_msg(2, 7, int(correction)), (dst, PTP_EVENT_PORT))
    t1 = t4 = corr = None
    # a bound for a failure only: the response comes in well under 1 s
    deadline = time.monotonic() + 60
    while (t1 is None or t4 is None) and time.monotonic() < deadline:
        r, _, x = select.select([s], [], [s], 1)
        if t1 is None:
            try:
                _, anc, _, _ = s.recvmsg(256, 256, MSG_ERRQUEUE |
                                         socket.MSG_DONTWAIT)
                t1 = hw_stamp(anc)
            except BlockingIOError:
                pass
        if r:
            # readable may mean only the error queue's stamp
            try:
                msg, anc, _, _ = s.recvmsg(256, 256, socket.MSG_DONTWAIT)
            except BlockingIOError:
                continue
            if len(msg) >= 54 and msg[0] & 0xF == 3:
                t4 = hw_stamp(anc)
                corr = struct.unpack("!q", msg[8:16])[0]
    print(t1, t4, corr)
    return 0 if t1 is not None and t4 is not None else 1


def main(argv):
    if len(argv) >= 3 and argv[1] == "hwts":
        if len(argv) == 5:
            return hwts(argv[2], int(argv[3]), int(argv[4]))
        return hwts(argv[2])
    if len(argv) == 6 and argv[1] == "send":
        return send(*argv[2:])
    if len(argv) == 5 and argv[1] == "pdelay-resp":
        return pdelay_resp(argv[2], int(argv[3]), argv[4])
    if len(argv) == 5 and argv[1] == "pdelay-req":
        return pdelay_req(*argv[2:])
    if len(argv) in (4, 5) and argv[1] == "recv":
        return recv(argv[2], int(argv[3]), argv[4] if len(argv) == 5 else None)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
