#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Serve ynl requests to a shell test, one python for all of them.

The kernel's ynl library (tools/net/ynl/lib, the code behind its cli.py)
loads the spec once; python and the spec's YAML are slow to load under
TCG, so a test keeps one of these running as a coprocess and writes one
request per line on its stdin:

    do OP OUT JSON      ynl.do(OP, JSON)   -> OUT: the reply as JSON
    dump OP OUT JSON    ynl.dump(OP, JSON) -> OUT: the replies as a JSON list
    compare A B [NAME]  the objects of A (ynl) and B (tsnic -j) agree

and reads "ok" or "error: ..." back for each, one line.

    ynl_serve.py YNL_DIR SPEC
"""
import json
import sys

sys.path.insert(0, sys.argv[1])
from lib import YnlFamily, NlError  # noqa: E402


class Encoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, bytes):
            return bytes.hex(o)
        if isinstance(o, set):
            return sorted(o)
        return json.JSONEncoder.default(self, o)


# tsnic -j names enums and flags where ynl sends numbers, and bools
NAMES = {"hwtstamp_tx_type": {"off": 0, "on": 1},
         "hwtstamp_rx_filter": {"none": 0, "all": 1, "ptpv2-event": 12}}


# readings of a running clock, different at each request: compared for
# their presence, not their value
LIVE = {"phc_offset_ns"}


def unlive(o):
    if isinstance(o, dict):
        return {k: ("live" if k in LIVE else unlive(v)) for k, v in o.items()}
    if isinstance(o, list):
        return [unlive(v) for v in o]
    return o


def norm(o):
    if isinstance(o, dict):
        o = dict(o)
        # the queues' lateness histograms: the tsnic CLI leaves them to
        # /proc/net/tsnic/DEV/tx-N/lateness
        o.pop("late-timer", None)
        o.pop("late-napi", None)
        # tsnic -j spreads the fault triggers into KIND_every, _ppm, _fired
        for t in o.pop("trigger", []):
            kind = t.pop("kind")
            o.update({"%s-%s" % (kind, k): v for k, v in t.items()})
        return {k.replace("-", "_"): norm(v) for k, v in o.items()}
    return o


def tsnorm(o):
    r = {}
    for k, v in o.items():
        if isinstance(v, dict):
            v = tsnorm(v)
        elif isinstance(v, bool):
            v = int(v)
        elif k in NAMES:
            v = NAMES[k][v]
        r[k] = v
    return r


def key(o):
    return (o.get("ifindex"), o.get("type", ""), o.get("id", 0))


def compare(a, b, name=None):
    ynl = json.load(open(a))
    ts = json.load(open(b))
    ynl = sorted((norm(o) for o in (ynl if isinstance(ynl, list) else [ynl])), key=key)
    ts = sorted((tsnorm(o) for o in ts), key=key)
    if name:
        ynl = [o for o in ynl if o.get("ifname", name) == name]
        ts = [o for o in ts if o.get("ifname", name) == name]
    ynl, ts = unlive(ynl), unlive(ts)
    if not ynl or ynl != ts:
        raise ValueError("ynl %s != tsnic %s" % (ynl, ts))


def main():
    ynl = YnlFamily(sys.argv[2], "")  # the CLI run checks the schema
    for line in sys.stdin:
        words = line.split(None, 3)
        try:
            if words[0] in ("do", "dump"):
                op, out, attrs = words[1], words[2], json.loads(words[3])
                reply = ynl.do(op, attrs, []) if words[0] == "do" else ynl.dump(op, attrs)
                with open(out, "w") as f:
                    json.dump(reply, f, cls=Encoder)
            elif words[0] == "compare":
                compare(*line.split()[1:])
            else:
                raise ValueError("unknown request " + words[0])
            print("ok", flush=True)
        except (NlError, ValueError, KeyError, OSError, IndexError) as e:
            print("error: " + str(e).replace("\n", " "), flush=True)


main()
