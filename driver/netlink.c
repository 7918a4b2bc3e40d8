// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "tsnic": the device's simulated hardware
 * (line rate, cable, interrupt moderation, oscillator, timestamp unit),
 * its counters and the state of its queues.  See uapi/linux/tsnic.h.
 *
 * Locking.  DEV_SET changes settings under RTNL.  The read handlers
 * (DEV_GET, QUEUE_GET, RING_DUMP) never take RTNL, so that no reader, and
 * no unprivileged one in particular, can hold up rtnetlink: they find
 * the device under RCU and read settings written under RTNL with
 * READ_ONCE() and counters with their own locks or u64_stats, a snapshot
 * that may be a moment old.  RING_DUMP reads descriptors, whose arrays
 * come and go with the rings: it holds a reference on the device and its
 * ring_lock (tsnic.h) while it does.  The family has parallel_ops: no
 * handler needs genl_mutex either.
 *
 * The policies, the ops table and the family itself are generated from
 * Documentation/netlink/specs/tsnic.yaml into netlink-gen.c (make regen);
 * the handlers they name are here.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "netlink-gen.h"
#include "tsnic.h"

/* ---- counters (the tables are in stats.c) ------------------------------- */

/* Add the counters @v of table @t to @st, indexed by TSNIC_A_STATS_*. */
static void tsnic_nl_stats_add(u64 *st, const struct tsnic_stat_table *t,
			       const u64 *v)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		st[t->stats[i].attr] += v[i];
}

static void tsnic_nl_txq_stats(struct tsnic_tx_ring *ring, u64 *st)
{
	u64 v[TSNIC_STATS_TABLE_MAX];

	tsnic_txq_stats_read(ring, v);
	tsnic_nl_stats_add(st, &tsnic_txq_stats, v);
}

static void tsnic_nl_rxq_stats(struct tsnic_rx_ring *rx, u64 *st)
{
	u64 v[TSNIC_STATS_TABLE_MAX];

	tsnic_rxq_stats_read(rx, v);
	tsnic_nl_stats_add(st, &tsnic_rxq_stats, v);
}

/*
 * Put the counters of the @n tables @t, whose values are in @st, in a
 * TSNIC_A_STATS_* nest.
 */
static int tsnic_nl_put_stats(struct sk_buff *skb, int type, const u64 *st,
			      const struct tsnic_stat_table *const *t,
			      unsigned int n)
{
	struct nlattr *nest;
	unsigned int i, j;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		for (j = 0; j < t[i]->n; j++) {
			unsigned int a = t[i]->stats[j].attr;

			if (nla_put_u64_64bit(skb, a, st[a], TSNIC_A_STATS_PAD))
				goto err_cancel;
		}
	}
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* ---- devices ------------------------------------------------------------ */

/*
 * The tsnic device a request names, in the requester's namespace: by
 * ifindex, else by name.  Under rcu_read_lock(): the device stays valid
 * until rcu_read_unlock(), or as long as RTNL is held too.
 */
static struct tsnic_priv *tsnic_nl_dev_find(struct net *net,
					    struct nlattr **tb,
					    unsigned int a_ifindex,
					    unsigned int a_ifname,
					    struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct nlattr *attr;

	if (tb[a_ifindex]) {
		attr = tb[a_ifindex];
		dev = dev_get_by_index_rcu(net, nla_get_u32(attr));
	} else if (tb[a_ifname]) {
		char name[IFNAMSIZ];

		attr = tb[a_ifname];
		nla_strscpy(name, attr, sizeof(name));
		dev = dev_get_by_name_rcu(net, name);
	} else {
		NL_SET_ERR_MSG(extack, "device ifindex or name required");
		NL_SET_ERR_ATTR_MISS(extack, NULL, a_ifindex);
		return ERR_PTR(-EINVAL);
	}
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (!tsnic_is_tsnic(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "not a tsnic device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

/* The other end of the cable.  RCU or RTNL: takes rcu_read_lock() itself. */
static int tsnic_nl_put_peer(struct sk_buff *skb, struct tsnic_priv *priv)
{
	struct net *net = dev_net(priv->dev);
	struct tsnic_priv *peer;
	struct net *peer_net;
	int err = 0;

	rcu_read_lock();
	/* unplugging waits for RCU readers before the peer can be freed */
	peer = rcu_dereference(priv->peer);
	if (!peer)
		goto out;
	if (nla_put_u32(skb, TSNIC_A_DEV_PEER_IFINDEX,
			READ_ONCE(peer->dev->ifindex))) {
		err = -EMSGSIZE;
		goto out;
	}
	peer_net = dev_net(peer->dev);
	/* an id for a namespace being dismantled is not made (see there) */
	if (!net_eq(net, peer_net))
		err = nla_put_s32(skb, TSNIC_A_DEV_PEER_NETNSID,
				  peernet2id_alloc(net, peer_net, GFP_ATOMIC));
out:
	rcu_read_unlock();
	return err;
}

static int tsnic_nl_put_osc(struct sk_buff *skb, struct tsnic_phc *phc)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, TSNIC_A_DEV_OSC);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_s32(skb, TSNIC_A_OSC_FREQ_PPB, tsnic_phc_freq_ppb(phc)) ||
	    nla_put_u32(skb, TSNIC_A_OSC_WANDER_PPB,
			READ_ONCE(phc->wander_ppb_per_s)) ||
	    nla_put_u32(skb, TSNIC_A_OSC_JITTER_NS, READ_ONCE(phc->jitter_ns)) ||
	    nla_put_u32(skb, TSNIC_A_OSC_READ_DELAY_NS,
			READ_ONCE(phc->read_delay_ns)) ||
	    nla_put_u32(skb, TSNIC_A_OSC_READ_LATCH_NS,
			READ_ONCE(phc->read_latch_ns))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int tsnic_nl_put_gnss(struct sk_buff *skb, struct tsnic_priv *priv)
{
	struct tsnic_gnss_info gi;
	struct nlattr *nest;

	tsnic_gnss_get(priv->card, &gi);
	nest = nla_nest_start(skb, TSNIC_A_DEV_GNSS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, TSNIC_A_GNSS_ENABLED, gi.cfg.on) ||
	    nla_put_u32(skb, TSNIC_A_GNSS_PIN, gi.cfg.pin) ||
	    nla_put_s32(skb, TSNIC_A_GNSS_OFFSET_NS, gi.cfg.offset_ns) ||
	    nla_put_u32(skb, TSNIC_A_GNSS_JITTER_NS, gi.cfg.jitter_ns) ||
	    nla_put_s32(skb, TSNIC_A_GNSS_INDEX, gi.index) ||
	    nla_put_u8(skb, TSNIC_A_GNSS_FIX, gi.fix) ||
	    nla_put_u64_64bit(skb, TSNIC_A_GNSS_PULSES, gi.pulses,
			      TSNIC_A_GNSS_PAD) ||
	    nla_put_u64_64bit(skb, TSNIC_A_GNSS_LOST, gi.lost,
			      TSNIC_A_GNSS_PAD) ||
	    nla_put_u64_64bit(skb, TSNIC_A_GNSS_REPORTS, gi.reports,
			      TSNIC_A_GNSS_PAD) ||
	    nla_put_s64(skb, TSNIC_A_GNSS_PHC_OFFSET_NS,
			tsnic_gnss_phc_offset(priv->card), TSNIC_A_GNSS_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The device's counters: its own, and the sums over all its queues. */
static int tsnic_nl_dev_stats(struct sk_buff *skb, struct tsnic_priv *priv)
{
	static const struct tsnic_stat_table *const tables[] = {
		&tsnic_dev_stats, &tsnic_txq_stats, &tsnic_rxq_stats,
	};
	struct net_device *dev = priv->dev;
	u64 st[__TSNIC_A_STATS_MAX] = {};
	u64 v[TSNIC_STATS_TABLE_MAX];
	unsigned int q;

	for (q = 0; q < dev->num_tx_queues; q++)
		tsnic_nl_txq_stats(&priv->tx[q], st);
	for (q = 0; q < dev->num_rx_queues; q++)
		tsnic_nl_rxq_stats(&priv->rx[q], st);
	tsnic_dev_stats_read(priv, v);
	tsnic_nl_stats_add(st, &tsnic_dev_stats, v);
	return tsnic_nl_put_stats(skb, TSNIC_A_DEV_STATS, st, tables,
				  ARRAY_SIZE(tables));
}

/* ---- fault injection: state and events ---------------------------------- */

/*
 * TX queues whose engine is stalled, as a bit mask.  No lock: the engines
 * live as long as the device; a snapshot.
 */
static u32 tsnic_nl_stalled_queues(struct tsnic_priv *priv)
{
	unsigned int q, n = READ_ONCE(priv->dev->real_num_tx_queues);
	u32 mask = 0;

	if (!READ_ONCE(priv->up))
		return 0;
	for (q = 0; q < n; q++)
		if (tsnic_engine_stalled(&priv->tx[q]))
			mask |= BIT(q);
	return mask;
}

/* The fault settings and counters.  No lock needed: see tsnic_faults. */
static int tsnic_nl_put_fault(struct sk_buff *skb, struct tsnic_priv *priv)
{
	struct tsnic_faults *f = &priv->faults;
	struct tsnic_fault_snap fs;
	struct nlattr *nest;
	int k;

	tsnic_fault_snapshot(f, &fs);
	nest = nla_nest_start(skb, TSNIC_A_DEV_FAULT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, TSNIC_A_FAULT_SEED, fs.seed,
			      TSNIC_A_FAULT_PAD))
		goto err_cancel;
	for (k = 0; k < TSNIC_FAULT_NUM; k++) {
		struct nlattr *trig = nla_nest_start(skb, TSNIC_A_FAULT_TRIGGER);

		if (!trig ||
		    nla_put_u32(skb, TSNIC_A_FAULT_TRIGGER_KIND, k) ||
		    nla_put_u32(skb, TSNIC_A_FAULT_TRIGGER_EVERY, fs.every[k]) ||
		    nla_put_u32(skb, TSNIC_A_FAULT_TRIGGER_PPM, fs.ppm[k]) ||
		    nla_put_u64_64bit(skb, TSNIC_A_FAULT_TRIGGER_FIRED,
				      fs.fired[k], TSNIC_A_FAULT_TRIGGER_PAD))
			goto err_cancel;
		nla_nest_end(skb, trig);
	}
	if (nla_put_u32(skb, TSNIC_A_FAULT_TS_DELAY_NS,
			READ_ONCE(f->ts_delay_ns)) ||
	    nla_put_u32(skb, TSNIC_A_FAULT_CABLE_DELAY_NS,
			READ_ONCE(f->cable_delay_ns)) ||
	    nla_put_u32(skb, TSNIC_A_FAULT_CABLE_JITTER_NS,
			READ_ONCE(f->cable_jitter_ns)) ||
	    nla_put_u8(skb, TSNIC_A_FAULT_CABLE_PULLED,
		       READ_ONCE(f->cable_pulled)) ||
	    nla_put_u64_64bit(skb, TSNIC_A_FAULT_CABLE_PULLS,
			      READ_ONCE(f->cable_pulls), TSNIC_A_FAULT_PAD) ||
	    nla_put_u32(skb, TSNIC_A_FAULT_STALLED_QUEUES,
			tsnic_nl_stalled_queues(priv)))
		goto err_cancel;
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * Parse trigger @a of a checked TSNIC_A_DEV_FAULT into @tt; returns its
 * fault kind, or a negative error.
 */
static int tsnic_nl_fault_trigger(const struct nlattr *a, struct nlattr **tt,
				  struct netlink_ext_ack *extack)
{
	int err;

	err = nla_parse_nested(tt, TSNIC_A_FAULT_TRIGGER_MAX, a,
			       tsnic_fault_trigger_nl_policy, extack);
	if (err)
		return err;
	if (!tt[TSNIC_A_FAULT_TRIGGER_KIND]) {
		NL_SET_ERR_MSG(extack, "fault trigger without its kind");
		NL_SET_ERR_ATTR_MISS(extack, a, TSNIC_A_FAULT_TRIGGER_KIND);
		return -EINVAL;
	}
	return nla_get_u32(tt[TSNIC_A_FAULT_TRIGGER_KIND]);
}

/*
 * Check what TSNIC_A_DEV_FAULT (@fault, parsed into @ft) asks of @priv
 * beyond its policy.  RTNL; nothing is applied yet.
 */
static int tsnic_nl_fault_check(struct tsnic_priv *priv,
				const struct nlattr *fault, struct nlattr **ft,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tt[TSNIC_A_FAULT_TRIGGER_MAX + 1];
	struct nlattr *a = ft[TSNIC_A_FAULT_STALLED_QUEUES];
	unsigned long seen = 0;
	const struct nlattr *t;
	int kind, rem;
	u32 mask;

	if (!fault)
		return 0;
	/*
	 * The counters share their nests with the settings, so the generated
	 * policies know them: refuse them here.
	 */
	if (ft[TSNIC_A_FAULT_CABLE_PULLS]) {
		NL_SET_ERR_MSG_ATTR(extack, ft[TSNIC_A_FAULT_CABLE_PULLS],
				    "fault counters are read only");
		return -EINVAL;
	}
	nla_for_each_nested(t, fault, rem) {
		if (nla_type(t) != TSNIC_A_FAULT_TRIGGER)
			continue;
		kind = tsnic_nl_fault_trigger(t, tt, extack);
		if (kind < 0)
			return kind;
		if (tt[TSNIC_A_FAULT_TRIGGER_FIRED]) {
			NL_SET_ERR_MSG_ATTR(extack, tt[TSNIC_A_FAULT_TRIGGER_FIRED],
					    "fault counters are read only");
			return -EINVAL;
		}
		if (__test_and_set_bit(kind, &seen)) {
			NL_SET_ERR_MSG_ATTR(extack, t, "fault kind given twice");
			return -EINVAL;
		}
	}

	/* the spec's policy bounds the mask by every queue a device may have */
	BUILD_BUG_ON(TSNIC_STALLED_QUEUES_MAX !=
		     GENMASK(TSNIC_MAX_QUEUES - 1, 0));
	if (!a)
		return 0;
	mask = nla_get_u32(a);
	if (mask >> priv->dev->real_num_tx_queues) {
		NL_SET_ERR_MSG_ATTR(extack, a, "no such TX queue");
		return -EINVAL;
	}
	if (mask && !priv->up) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "the device is down: no engine to stall");
		return -ENETDOWN;
	}
	return 0;
}

static void tsnic_nl_notify_cable(struct tsnic_priv *priv);

/* Apply a checked TSNIC_A_DEV_FAULT (@fault, parsed into @ft).  RTNL. */
static void tsnic_nl_fault_apply(struct tsnic_priv *priv,
				 const struct nlattr *fault, struct nlattr **ft)
{
	struct nlattr *tt[TSNIC_A_FAULT_TRIGGER_MAX + 1];
	struct tsnic_faults *f = &priv->faults;
	const struct nlattr *t;
	unsigned int q;
	int kind, rem;

	if (!fault)
		return;
	nla_for_each_nested(t, fault, rem) {
		u32 every = 0, ppm = 0;

		if (nla_type(t) != TSNIC_A_FAULT_TRIGGER)
			continue;
		kind = tsnic_nl_fault_trigger(t, tt, NULL);
		if (kind < 0)	/* checked: cannot happen */
			continue;
		if (tt[TSNIC_A_FAULT_TRIGGER_EVERY])
			every = nla_get_u32(tt[TSNIC_A_FAULT_TRIGGER_EVERY]);
		if (tt[TSNIC_A_FAULT_TRIGGER_PPM])
			ppm = nla_get_u32(tt[TSNIC_A_FAULT_TRIGGER_PPM]);
		tsnic_fault_set(f, kind,
				tt[TSNIC_A_FAULT_TRIGGER_EVERY] ? &every : NULL,
				tt[TSNIC_A_FAULT_TRIGGER_PPM] ? &ppm : NULL);
	}
	if (ft[TSNIC_A_FAULT_TS_DELAY_NS])
		WRITE_ONCE(f->ts_delay_ns,
			   nla_get_u32(ft[TSNIC_A_FAULT_TS_DELAY_NS]));
	if (ft[TSNIC_A_FAULT_CABLE_DELAY_NS])
		WRITE_ONCE(f->cable_delay_ns,
			   nla_get_u32(ft[TSNIC_A_FAULT_CABLE_DELAY_NS]));
	if (ft[TSNIC_A_FAULT_CABLE_JITTER_NS])
		WRITE_ONCE(f->cable_jitter_ns,
			   nla_get_u32(ft[TSNIC_A_FAULT_CABLE_JITTER_NS]));
	/* the seed last: it restarts the phases of what was just set */
	if (ft[TSNIC_A_FAULT_SEED])
		tsnic_fault_reseed(f, nla_get_u64(ft[TSNIC_A_FAULT_SEED]));
	if (ft[TSNIC_A_FAULT_STALLED_QUEUES] && priv->up) {
		u32 mask = nla_get_u32(ft[TSNIC_A_FAULT_STALLED_QUEUES]);

		for (q = 0; q < priv->dev->real_num_tx_queues; q++)
			tsnic_engine_set_stalled(&priv->tx[q], mask & BIT(q));
	}
	if (ft[TSNIC_A_FAULT_CABLE_PULLED] &&
	    tsnic_cable_set_pulled(priv,
				   nla_get_u8(ft[TSNIC_A_FAULT_CABLE_PULLED])))
		tsnic_nl_notify_cable(priv);
}

/* A new event message about @priv for the "events" group, or NULL. */
static struct sk_buff *tsnic_nl_event_new(struct net *net,
					  struct tsnic_priv *priv, u8 cmd,
					  bool name, void **hdr, gfp_t gfp)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&tsnic_nl_family, net, TSNIC_NLGRP_EVENTS))
		return NULL;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, gfp);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &tsnic_nl_family, 0, cmd);
	if (!*hdr ||
	    nla_put_u32(msg, TSNIC_A_EVENT_IFINDEX, priv->dev->ifindex) ||
	    (name && nla_put_string(msg, TSNIC_A_EVENT_IFNAME,
				    priv->dev->name))) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void tsnic_nl_event_send(struct net *net, struct sk_buff *msg,
				void *hdr, gfp_t gfp)
{
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&tsnic_nl_family, net, msg, 0,
				TSNIC_NLGRP_EVENTS, gfp);
}

/* One end of a cable that was pulled or plugged.  RTNL. */
static void tsnic_nl_notify_cable_end(struct tsnic_priv *priv)
{
	struct net *net = dev_net(priv->dev);
	struct sk_buff *msg;
	void *hdr;

	ASSERT_RTNL();
	msg = tsnic_nl_event_new(net, priv, TSNIC_CMD_CABLE_NTF, true, &hdr,
				 GFP_KERNEL);
	if (!msg)
		return;
	if (nla_put_u8(msg, TSNIC_A_EVENT_CARRIER,
		       netif_carrier_ok(priv->dev)) ||
	    nla_put_u8(msg, TSNIC_A_EVENT_PULLED, tsnic_cable_pulled(priv))) {
		nlmsg_free(msg);
		return;
	}
	tsnic_nl_event_send(net, msg, hdr, GFP_KERNEL);
}

/* The cable of @priv was pulled or plugged: tell both ends.  RTNL. */
static void tsnic_nl_notify_cable(struct tsnic_priv *priv)
{
	struct tsnic_priv *peer = rtnl_dereference(priv->peer);

	tsnic_nl_notify_cable_end(priv);
	if (peer)
		tsnic_nl_notify_cable_end(peer);
}

/**
 * tsnic_nl_notify_ts_timeout() - event: TX timestamp slots timed out
 * @priv: the device
 * @count: slots reclaimed
 *
 * The device cannot go meanwhile (its teardown waits for the timeout
 * work), but it may change namespace or name, so the name is left out and
 * the namespace is read under RCU, which keeps it alive while we send.
 *
 * Context: process context without RTNL (the timeout work).
 */
void tsnic_nl_notify_ts_timeout(struct tsnic_priv *priv, u64 count)
{
	struct sk_buff *msg;
	struct net *net;
	void *hdr;

	rcu_read_lock();
	net = dev_net(priv->dev);
	msg = tsnic_nl_event_new(net, priv, TSNIC_CMD_TS_TIMEOUT_NTF, false,
				 &hdr, GFP_ATOMIC);
	if (msg) {
		if (nla_put_u64_64bit(msg, TSNIC_A_EVENT_COUNT, count,
				      TSNIC_A_EVENT_PAD))
			nlmsg_free(msg);
		else
			tsnic_nl_event_send(net, msg, hdr, GFP_ATOMIC);
	}
	rcu_read_unlock();
}

/**
 * tsnic_nl_notify_tx_reset() - event: the TX watchdog reset a queue
 * @priv: the device
 * @qid: the queue
 * @flushed: frames dropped by the reset
 *
 * Context: RTNL held.
 */
void tsnic_nl_notify_tx_reset(struct tsnic_priv *priv, u32 qid, u64 flushed)
{
	struct net *net = dev_net(priv->dev);
	struct sk_buff *msg;
	void *hdr;

	ASSERT_RTNL();
	msg = tsnic_nl_event_new(net, priv, TSNIC_CMD_TX_RESET_NTF, true,
				 &hdr, GFP_KERNEL);
	if (!msg)
		return;
	if (nla_put_u32(msg, TSNIC_A_EVENT_QUEUE, qid) ||
	    nla_put_u64_64bit(msg, TSNIC_A_EVENT_COUNT, flushed,
			      TSNIC_A_EVENT_PAD)) {
		nlmsg_free(msg);
		return;
	}
	tsnic_nl_event_send(net, msg, hdr, GFP_KERNEL);
}

/*
 * The dumps' consistency number (cb->seq): it changes when a device comes
 * or goes (dev_base_seq) and when a tsnic device's queue counts or ring
 * sizes change or a wire is made or removed, so that a dump spanning such a change is marked
 * NLM_F_DUMP_INTR.  Both only grow: their sum changes when either does.
 */
static atomic_t tsnic_nl_layout_seq = ATOMIC_INIT(0);

static unsigned int tsnic_nl_dump_seq(struct net *net)
{
	return READ_ONCE(net->dev_base_seq) +
	       (unsigned int)atomic_read(&tsnic_nl_layout_seq);
}

/**
 * tsnic_nl_layout_changed() - a device's queue counts or ring sizes change,
 * or its wires
 *
 * Dumps that span the change are marked NLM_F_DUMP_INTR.
 *
 * Context: RTNL held.
 */
void tsnic_nl_layout_changed(void)
{
	atomic_inc(&tsnic_nl_layout_seq);
}

/*
 * One device's attributes as a message of @cmd.  Under RCU (or RTNL): it
 * does not sleep.  Without RTNL the settings are each read once
 * (READ_ONCE), and the name as /proc/net/dev reads it: a rename at that
 * very moment may show a mix of both names, never an unterminated one.
 */
static int tsnic_nl_dev_fill(struct sk_buff *skb, struct tsnic_priv *priv,
			     u8 cmd, u32 portid, u32 seq, int flags,
			     struct netlink_callback *cb)
{
	struct net_device *dev = priv->dev;
	struct tsnic_cfg *cfg = &priv->cfg;
	int phc_index = tsnic_phc_index(priv->card);
	char name[IFNAMSIZ];
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &tsnic_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	strscpy(name, dev->name, sizeof(name));
	if (nla_put_u32(skb, TSNIC_A_DEV_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, TSNIC_A_DEV_IFNAME, name) ||
	    tsnic_nl_put_peer(skb, priv) ||
	    nla_put_u32(skb, TSNIC_A_DEV_TX_QUEUES,
			READ_ONCE(dev->real_num_tx_queues)) ||
	    nla_put_u32(skb, TSNIC_A_DEV_TX_QUEUES_MAX, dev->num_tx_queues) ||
	    nla_put_u32(skb, TSNIC_A_DEV_RX_QUEUES,
			READ_ONCE(dev->real_num_rx_queues)) ||
	    nla_put_u32(skb, TSNIC_A_DEV_RX_QUEUES_MAX, dev->num_rx_queues) ||
	    nla_put_u32(skb, TSNIC_A_DEV_TX_RING, READ_ONCE(cfg->tx_ring)) ||
	    nla_put_u32(skb, TSNIC_A_DEV_RX_RING, READ_ONCE(cfg->rx_ring)) ||
	    nla_put_u64_64bit(skb, TSNIC_A_DEV_RATE_BPS,
			      READ_ONCE(cfg->rate_bps), TSNIC_A_DEV_PAD) ||
	    nla_put_u32(skb, TSNIC_A_DEV_DELAY_NS, READ_ONCE(cfg->delay_ns)) ||
	    nla_put_u32(skb, TSNIC_A_DEV_TX_USECS, READ_ONCE(cfg->tx_usecs)) ||
	    nla_put_u32(skb, TSNIC_A_DEV_TX_FRAMES,
			READ_ONCE(cfg->tx_frames)) ||
	    tsnic_nl_put_osc(skb, &priv->card->phc) ||
	    (phc_index >= 0 &&
	     nla_put_u32(skb, TSNIC_A_DEV_PHC_INDEX, phc_index)) ||
	    nla_put_u32(skb, TSNIC_A_DEV_TS_SLOTS, READ_ONCE(priv->tsu.nslots)) ||
	    nla_put_u32(skb, TSNIC_A_DEV_TS_TIMEOUT_MS,
			READ_ONCE(priv->tsu.timeout_ms)) ||
	    nla_put_u32(skb, TSNIC_A_DEV_HWTSTAMP_TX_TYPE,
			READ_ONCE(priv->tsu.tx_type)) ||
	    nla_put_u32(skb, TSNIC_A_DEV_HWTSTAMP_RX_FILTER,
			READ_ONCE(priv->tsu.rx_filter)) ||
	    tsnic_nl_dev_stats(skb, priv) ||
	    tsnic_nl_put_fault(skb, priv) ||
	    tsnic_nl_put_gnss(skb, priv) ||
	    nla_put_u32(skb, TSNIC_A_DEV_TS_PERSONALITY,
			READ_ONCE(priv->tsu.personality)) ||
	    nla_put_u32(skb, TSNIC_A_DEV_CARD, priv->card->pdev->id) ||
	    nla_put_u32(skb, TSNIC_A_DEV_CARD_PORTS,
			READ_ONCE(priv->card->ports))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int tsnic_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tsnic_priv *priv;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	priv = tsnic_nl_dev_find(genl_info_net(info), info->attrs,
				 TSNIC_A_DEV_IFINDEX, TSNIC_A_DEV_IFNAME,
				 info->extack);
	if (IS_ERR(priv))
		err = PTR_ERR(priv);
	else
		err = tsnic_nl_dev_fill(msg, priv, TSNIC_CMD_DEV_GET,
					info->snd_portid, info->snd_seq, 0,
					NULL);
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * cb->args[0]: tsnic devices of the namespace already dumped.  Under
 * RCU; a device that comes or goes between two skbs changes cb->seq.
 */
int tsnic_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	long idx = 0;
	int err = 0;

	rcu_read_lock();
	cb->seq = tsnic_nl_dump_seq(net);
	for_each_netdev_rcu(net, dev) {
		if (!tsnic_is_tsnic(dev))
			continue;
		if (idx++ < cb->args[0])
			continue;
		err = tsnic_nl_dev_fill(skb, netdev_priv(dev), TSNIC_CMD_DEV_GET,
					NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			break;
		cb->args[0] = idx;
	}
	rcu_read_unlock();

	/* a full skb goes out now; the dump resumes at the device it missed */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* Tell the "events" group about a device's new settings.  RTNL. */
static void tsnic_nl_dev_notify(struct tsnic_priv *priv)
{
	struct net *net = dev_net(priv->dev);
	struct sk_buff *msg;

	if (!genl_has_listeners(&tsnic_nl_family, net, TSNIC_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (tsnic_nl_dev_fill(msg, priv, TSNIC_CMD_DEV_CHANGE_NTF, 0, 0, 0,
			      NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&tsnic_nl_family, net, msg, 0,
				TSNIC_NLGRP_EVENTS, GFP_KERNEL);
}

static void tsnic_nl_set_ts_slots(struct tsnic_tsu *tsu, u32 nslots)
{
	/*
	 * Under the lock, tsnic_tsu_request() sees either count.  A slot
	 * beyond a reduced count that is still pending is not lost: its
	 * completion, cancel, flush and timeout all address it directly.
	 */
	spin_lock_bh(&tsu->lock);
	tsu->nslots = nslots;
	spin_unlock_bh(&tsu->lock);
}

/*
 * The range of TSNIC_A_OSC_FREQ_PPB, which the generated policy lacks: the
 * 6.12 generator renders a signed full range with the unsigned macro (see
 * the spec).  Reported with the error, as a policy failure would be.
 * Not const: 6.1's nla_policy points to it without const.
 */
static struct netlink_range_validation_signed tsnic_nl_freq_range = {
	.min = TSNIC_FREQ_PPB_MIN,
	.max = TSNIC_FREQ_PPB_MAX,
};

static const struct nla_policy tsnic_nl_freq_policy =
	NLA_POLICY_FULL_RANGE_SIGNED(NLA_S32, &tsnic_nl_freq_range);

/* What the generated TSNIC_A_DEV_OSC policy cannot check. */
static int tsnic_nl_osc_check(struct nlattr **osc,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *a = osc[TSNIC_A_OSC_FREQ_PPB];
	s32 freq;

	if (!a)
		return 0;
	freq = nla_get_s32(a);
	if (freq < tsnic_nl_freq_range.min || freq > tsnic_nl_freq_range.max) {
		NL_SET_ERR_MSG_ATTR_POL(extack, a, &tsnic_nl_freq_policy,
					"integer out of range");
		return -ERANGE;
	}
	return 0;
}

/*
 * The clock read's delay and latch @priv will have after the request's
 * @osc: a delay alone puts the latch in its middle; a latch must be within
 * the delay.  RTNL held.
 */
static int tsnic_nl_read_check(struct tsnic_priv *priv, struct nlattr **osc,
			       u32 *delay, u32 *latch,
			       struct netlink_ext_ack *extack)
{
	*delay = priv->card->phc.read_delay_ns;
	*latch = priv->card->phc.read_latch_ns;
	if (osc[TSNIC_A_OSC_READ_DELAY_NS]) {
		*delay = nla_get_u32(osc[TSNIC_A_OSC_READ_DELAY_NS]);
		*latch = *delay / 2;
	}
	if (osc[TSNIC_A_OSC_READ_LATCH_NS])
		*latch = nla_get_u32(osc[TSNIC_A_OSC_READ_LATCH_NS]);
	if (*latch > *delay) {
		NL_SET_ERR_MSG_ATTR(extack, osc[TSNIC_A_OSC_READ_LATCH_NS],
				    "the latch is beyond the read's delay");
		return -ERANGE;
	}
	return 0;
}

/*
 * dev-set and ring-dump need CAP_NET_ADMIN in the user namespace owning
 * the requester's network namespace, as GENL_UNS_ADMIN_PERM (and ethtool's
 * set requests) have it: an admin of a container may configure the devices
 * of the container's namespace.  The spec's genetlink schema (6.12) can only
 * say admin-perm, the initial namespace, so the handlers check this
 * themselves, before they look at any attribute.  @skb: the request.
 */
static bool tsnic_nl_admin(const struct sk_buff *skb)
{
	return netlink_ns_capable(skb, sock_net(skb->sk)->user_ns,
				  CAP_NET_ADMIN);
}

/*
 * The receiver's settings after the request's @gnss, in @cfg; what the
 * generated policy cannot check.  RTNL held.
 */
static int tsnic_nl_gnss_check(struct tsnic_priv *priv, struct nlattr **gnss,
			       struct tsnic_gnss_cfg *cfg,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *a = gnss[TSNIC_A_GNSS_OFFSET_NS];
	struct tsnic_gnss_info gi;

	tsnic_gnss_get(priv->card, &gi);
	*cfg = gi.cfg;
	if (a) {
		cfg->offset_ns = nla_get_s32(a);
		if (abs(cfg->offset_ns) > TSNIC_GNSS_OFFSET_NS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "the GNSS offset is beyond +-50 ms");
			return -ERANGE;
		}
	}
	if (gnss[TSNIC_A_GNSS_ENABLED])
		cfg->on = nla_get_u8(gnss[TSNIC_A_GNSS_ENABLED]);
	if (gnss[TSNIC_A_GNSS_PIN])
		cfg->pin = nla_get_u32(gnss[TSNIC_A_GNSS_PIN]);
	if (gnss[TSNIC_A_GNSS_JITTER_NS])
		cfg->jitter_ns = nla_get_u32(gnss[TSNIC_A_GNSS_JITTER_NS]);
	return 0;
}

int tsnic_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *gnss[TSNIC_A_GNSS_MAX + 1] = {};
	struct tsnic_gnss_cfg gnss_cfg;
	struct nlattr *fault[TSNIC_A_FAULT_MAX + 1] = {};
	struct nlattr *osc[TSNIC_A_OSC_MAX + 1] = {};
	struct nlattr **tb = info->attrs;
	u32 read_delay, read_latch;
	struct tsnic_priv *priv;
	struct tsnic_phc *phc;
	int err;

	if (!tsnic_nl_admin(skb))
		return -EPERM;

	/* every value is checked here; below, only the receiver can fail */
	if (tb[TSNIC_A_DEV_OSC]) {
		err = nla_parse_nested(osc, TSNIC_A_OSC_MAX, tb[TSNIC_A_DEV_OSC],
				       tsnic_osc_nl_policy, info->extack);
		if (err)
			return err;
		err = tsnic_nl_osc_check(osc, info->extack);
		if (err)
			return err;
	}
	if (tb[TSNIC_A_DEV_FAULT]) {
		err = nla_parse_nested(fault, TSNIC_A_FAULT_MAX,
				       tb[TSNIC_A_DEV_FAULT],
				       tsnic_fault_nl_policy, info->extack);
		if (err)
			return err;
	}
	if (tb[TSNIC_A_DEV_GNSS]) {
		err = nla_parse_nested(gnss, TSNIC_A_GNSS_MAX,
				       tb[TSNIC_A_DEV_GNSS],
				       tsnic_gnss_nl_policy, info->extack);
		if (err)
			return err;
	}

	rtnl_lock();
	/* found under RCU, kept by RTNL: it cannot be unregistered meanwhile */
	rcu_read_lock();
	priv = tsnic_nl_dev_find(genl_info_net(info), tb, TSNIC_A_DEV_IFINDEX,
				 TSNIC_A_DEV_IFNAME, info->extack);
	rcu_read_unlock();
	if (IS_ERR(priv)) {
		rtnl_unlock();
		return PTR_ERR(priv);
	}
	err = tsnic_nl_fault_check(priv, tb[TSNIC_A_DEV_FAULT], fault,
				   info->extack);
	if (!err)
		err = tsnic_nl_read_check(priv, osc, &read_delay, &read_latch,
					  info->extack);
	if (!err)
		err = tsnic_nl_gnss_check(priv, gnss, &gnss_cfg, info->extack);
	/* the one change that can fail (registering /dev/gnssN): first */
	if (!err && tb[TSNIC_A_DEV_GNSS])
		err = tsnic_gnss_set(priv, &gnss_cfg, info->extack);
	if (err) {
		rtnl_unlock();
		return err;
	}
	phc = &priv->card->phc;

	if (tb[TSNIC_A_DEV_RATE_BPS])
		WRITE_ONCE(priv->cfg.rate_bps,
			   nla_get_u64(tb[TSNIC_A_DEV_RATE_BPS]));
	if (tb[TSNIC_A_DEV_DELAY_NS])
		WRITE_ONCE(priv->cfg.delay_ns,
			   nla_get_u32(tb[TSNIC_A_DEV_DELAY_NS]));
	if (tb[TSNIC_A_DEV_TX_USECS])
		WRITE_ONCE(priv->cfg.tx_usecs,
			   nla_get_u32(tb[TSNIC_A_DEV_TX_USECS]));
	if (tb[TSNIC_A_DEV_TX_FRAMES])
		WRITE_ONCE(priv->cfg.tx_frames,
			   nla_get_u32(tb[TSNIC_A_DEV_TX_FRAMES]));
	if (osc[TSNIC_A_OSC_FREQ_PPB] || osc[TSNIC_A_OSC_WANDER_PPB] ||
	    osc[TSNIC_A_OSC_JITTER_NS]) {
		s32 freq = tsnic_phc_freq_ppb(phc);
		u32 wander = phc->wander_ppb_per_s;
		u32 jitter = phc->jitter_ns;

		if (osc[TSNIC_A_OSC_FREQ_PPB])
			freq = nla_get_s32(osc[TSNIC_A_OSC_FREQ_PPB]);
		if (osc[TSNIC_A_OSC_WANDER_PPB])
			wander = nla_get_u32(osc[TSNIC_A_OSC_WANDER_PPB]);
		if (osc[TSNIC_A_OSC_JITTER_NS])
			jitter = nla_get_u32(osc[TSNIC_A_OSC_JITTER_NS]);
		tsnic_phc_set_osc(phc, freq, wander, jitter);
	}
	tsnic_phc_set_read(phc, read_delay, read_latch);
	if (tb[TSNIC_A_DEV_TS_SLOTS])
		tsnic_nl_set_ts_slots(&priv->tsu,
				      nla_get_u32(tb[TSNIC_A_DEV_TS_SLOTS]));
	if (tb[TSNIC_A_DEV_TS_TIMEOUT_MS])
		WRITE_ONCE(priv->tsu.timeout_ms,
			   nla_get_u32(tb[TSNIC_A_DEV_TS_TIMEOUT_MS]));
	tsnic_nl_fault_apply(priv, tb[TSNIC_A_DEV_FAULT], fault);
	if (tb[TSNIC_A_DEV_TS_PERSONALITY])
		tsnic_ts_set_personality(priv,
					 nla_get_u32(tb[TSNIC_A_DEV_TS_PERSONALITY]));

	tsnic_nl_dev_notify(priv);
	rtnl_unlock();
	return 0;
}

/* ---- queues ------------------------------------------------------------- */

/* A lateness histogram: its buckets as @attr, repeated, bucket 0 first. */
static int tsnic_nl_put_late(struct sk_buff *skb, int attr,
			     struct tsnic_late_hist *h)
{
	u64 buckets[TSNIC_LATE_BUCKETS];
	unsigned int b;

	tsnic_late_read(h, buckets);
	for (b = 0; b < TSNIC_LATE_BUCKETS; b++)
		if (nla_put_u64_64bit(skb, attr, buckets[b], TSNIC_A_QUEUE_PAD))
			return -EMSGSIZE;
	return 0;
}

static int tsnic_nl_txq_fill(struct sk_buff *skb, struct tsnic_priv *priv,
			     unsigned int qid)
{
	struct netdev_queue *txq = netdev_get_tx_queue(priv->dev, qid);
	static const struct tsnic_stat_table *const txq_stats = &tsnic_txq_stats;
	struct tsnic_tx_ring *ring = &priv->tx[qid];
	u64 st[__TSNIC_A_STATS_MAX] = {};

	if (nla_put_u32(skb, TSNIC_A_QUEUE_RING_SIZE,
			READ_ONCE(priv->cfg.tx_ring)))
		return -EMSGSIZE;
	/* indices only: no descriptor is read, so no ring_lock */
	if (READ_ONCE(priv->up)) {
		if (nla_put_u32(skb, TSNIC_A_QUEUE_NEXT_TO_USE,
				READ_ONCE(ring->next_to_use)) ||
		    nla_put_u32(skb, TSNIC_A_QUEUE_NEXT_TO_CLEAN,
				READ_ONCE(ring->next_to_clean)) ||
		    nla_put_u32(skb, TSNIC_A_QUEUE_DESC_FREE,
				tsnic_desc_unused(ring)) ||
		    nla_put_u8(skb, TSNIC_A_QUEUE_STOPPED,
			       netif_tx_queue_stopped(txq)))
			return -EMSGSIZE;
#ifdef CONFIG_BQL
		if (nla_put_u32(skb, TSNIC_A_QUEUE_BQL_LIMIT,
				READ_ONCE(txq->dql.limit)) ||
		    nla_put_u32(skb, TSNIC_A_QUEUE_BQL_INFLIGHT,
				READ_ONCE(txq->dql.num_queued) -
				READ_ONCE(txq->dql.num_completed)))
			return -EMSGSIZE;
#endif
	}
	tsnic_nl_txq_stats(ring, st);
	if (tsnic_nl_put_stats(skb, TSNIC_A_QUEUE_STATS, st, &txq_stats, 1) ||
	    tsnic_nl_put_late(skb, TSNIC_A_QUEUE_LATE_TIMER, &ring->eng.timer_late) ||
	    tsnic_nl_put_late(skb, TSNIC_A_QUEUE_LATE_NAPI, &ring->eng.napi_late))
		return -EMSGSIZE;
	return 0;
}

static int tsnic_nl_rxq_fill(struct sk_buff *skb, struct tsnic_priv *priv,
			     unsigned int qid)
{
	static const struct tsnic_stat_table *const rxq_stats = &tsnic_rxq_stats;
	struct tsnic_rx_ring *rx = &priv->rx[qid];
	u64 st[__TSNIC_A_STATS_MAX] = {};

	if (nla_put_u32(skb, TSNIC_A_QUEUE_RING_SIZE,
			READ_ONCE(priv->cfg.rx_ring)))
		return -EMSGSIZE;
	if (READ_ONCE(priv->up) &&
	    nla_put_u32(skb, TSNIC_A_QUEUE_FIFO_LEN,
			skb_queue_len_lockless(&rx->fifo)))
		return -EMSGSIZE;
	tsnic_nl_rxq_stats(rx, st);
	return tsnic_nl_put_stats(skb, TSNIC_A_QUEUE_STATS, st, &rxq_stats, 1);
}

/*
 * One queue as a TSNIC_CMD_QUEUE_GET message.  Under RCU: the queue
 * arrays live as long as the device; @qid < num_[tr]x_queues.
 */
static int tsnic_nl_queue_fill(struct sk_buff *skb, struct tsnic_priv *priv,
			       u32 type, u32 qid, u32 portid, u32 seq,
			       int flags, struct netlink_callback *cb)
{
	void *hdr;
	int err;

	hdr = genlmsg_put(skb, portid, seq, &tsnic_nl_family, flags,
			  TSNIC_CMD_QUEUE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	if (nla_put_u32(skb, TSNIC_A_QUEUE_IFINDEX, priv->dev->ifindex) ||
	    nla_put_u32(skb, TSNIC_A_QUEUE_TYPE, type) ||
	    nla_put_u32(skb, TSNIC_A_QUEUE_ID, qid)) {
		err = -EMSGSIZE;
		goto err_cancel;
	}
	if (type == TSNIC_QUEUE_TYPE_TX)
		err = tsnic_nl_txq_fill(skb, priv, qid);
	else
		err = tsnic_nl_rxq_fill(skb, priv, qid);
	if (err)
		goto err_cancel;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return err;
}

/* Queues of @type in use (never more than the device has).  No lock. */
static unsigned int tsnic_nl_queues(struct tsnic_priv *priv, u32 type)
{
	return type == TSNIC_QUEUE_TYPE_TX ?
	       READ_ONCE(priv->dev->real_num_tx_queues) :
	       READ_ONCE(priv->dev->real_num_rx_queues);
}

int tsnic_nl_queue_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct tsnic_priv *priv;
	struct sk_buff *msg;
	u32 type, qid;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, TSNIC_A_QUEUE_TYPE) ||
	    GENL_REQ_ATTR_CHECK(info, TSNIC_A_QUEUE_ID))
		return -EINVAL;
	type = nla_get_u32(tb[TSNIC_A_QUEUE_TYPE]);
	qid = nla_get_u32(tb[TSNIC_A_QUEUE_ID]);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	priv = tsnic_nl_dev_find(genl_info_net(info), tb, TSNIC_A_QUEUE_IFINDEX,
				 TSNIC_A_QUEUE_IFNAME, info->extack);
	if (IS_ERR(priv)) {
		err = PTR_ERR(priv);
	} else if (qid >= tsnic_nl_queues(priv, type)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[TSNIC_A_QUEUE_ID],
				    "no such queue");
		err = -EINVAL;
	} else {
		err = tsnic_nl_queue_fill(msg, priv, type, qid,
					  info->snd_portid, info->snd_seq, 0,
					  NULL);
	}
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Dump the queues of @priv from position cb->args[1]: its TX queues, then
 * its RX queues.
 */
static int tsnic_nl_queue_dump_dev(struct sk_buff *skb,
				   struct netlink_callback *cb,
				   struct tsnic_priv *priv)
{
	unsigned int ntx = tsnic_nl_queues(priv, TSNIC_QUEUE_TYPE_TX);
	unsigned int nrx = tsnic_nl_queues(priv, TSNIC_QUEUE_TYPE_RX);
	unsigned int pos;
	int err;

	for (pos = cb->args[1]; pos < ntx + nrx; pos++) {
		bool tx = pos < ntx;

		err = tsnic_nl_queue_fill(skb, priv,
					  tx ? TSNIC_QUEUE_TYPE_TX :
					       TSNIC_QUEUE_TYPE_RX,
					  tx ? pos : pos - ntx,
					  NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			return err;
		cb->args[1] = pos + 1;
	}
	cb->args[1] = 0;
	return 0;
}

/*
 * cb->args[0]: tsnic devices of the namespace done; cb->args[1]: queues of
 * the current one done.  A device in the request limits the dump to it.
 * Under RCU.  The positions are only meaningful while no device comes or
 * goes and no queue count changes: cb->seq changes when they do, and the
 * dump is marked NLM_F_DUMP_INTR (ask again).
 */
int tsnic_nl_queue_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **tb = tsnic_genl_dump_attrs(cb);
	struct net *net = sock_net(skb->sk);
	struct tsnic_priv *priv;
	struct net_device *dev;
	long idx = 0;
	int err = 0;

	rcu_read_lock();
	cb->seq = tsnic_nl_dump_seq(net);
	if (tb[TSNIC_A_QUEUE_IFINDEX] || tb[TSNIC_A_QUEUE_IFNAME]) {
		priv = tsnic_nl_dev_find(net, tb, TSNIC_A_QUEUE_IFINDEX,
					 TSNIC_A_QUEUE_IFNAME, cb->extack);
		if (IS_ERR(priv))
			err = PTR_ERR(priv);
		else if (!cb->args[0])
			err = tsnic_nl_queue_dump_dev(skb, cb, priv);
		if (!err)
			cb->args[0] = 1;
		goto out;
	}
	for_each_netdev_rcu(net, dev) {
		if (!tsnic_is_tsnic(dev))
			continue;
		if (idx++ < cb->args[0])
			continue;
		err = tsnic_nl_queue_dump_dev(skb, cb, netdev_priv(dev));
		if (err)
			break;
		cb->args[0] = idx;
	}
out:
	rcu_read_unlock();

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* ---- ring dump ----------------------------------------------------------- */

/*
 * TSNIC_CMD_RING_DUMP: one message per descriptor in flight on a TX queue,
 * a walk over [next_to_clean, next_to_use) as they were when the dump
 * began.  It shows what other users' frames look like on the wire, so it
 * needs CAP_NET_ADMIN in the namespace (GENL_UNS_ADMIN_PERM).  Each skb of
 * the dump holds a reference on the device and its ring_lock while it
 * reads descriptors, which keeps the descriptor arrays from being freed
 * or rewound (device down, ring resize, watchdog reset) under it; the
 * engine and TX NAPI go on.  No RTNL.
 *
 * The lock is dropped between the skbs of a dump, so the walk's position
 * is kept in cb->ctx, and the ring's generation (tsnic_tx_ring.gen) tells
 * whether the rest of the walk still covers the descriptors the dump
 * started with.  The walk's generation is the dump's cb->seq; when the
 * ring's moves on (cleaned, reset, resized, freed) or the device is gone,
 * the walk stops and cb->seq changes, so the next message, or the final
 * NLMSG_DONE, carries NLM_F_DUMP_INTR instead of entries that would
 * describe other frames or another array.
 *
 * The walk's state lives in cb->ctx (struct tsnic_nl_rd_ctx).  The
 * device is named by its ifindex and its instance number: an ifindex is
 * reused once the device is deleted, the instance never is.
 */
struct tsnic_nl_rd_ctx {
	u64 instance;		/* tsnic_priv.instance; 0 until checked */
	u32 ifindex;
	u32 queue;
	u32 done;		/* entries done */
	u32 total;		/* entries in the walk */
	u32 first;		/* the walk's first descriptor index */
	u32 gen;		/* the ring's generation at the start */
};

static_assert(sizeof(struct tsnic_nl_rd_ctx) <=
	      sizeof_field(struct netlink_callback, ctx));

static struct tsnic_nl_rd_ctx *tsnic_nl_rd_ctx(struct netlink_callback *cb)
{
	return (struct tsnic_nl_rd_ctx *)cb->ctx;
}

static int tsnic_nl_desc_fill(struct sk_buff *skb, struct netlink_callback *cb,
			      struct tsnic_priv *priv, u32 qid,
			      const struct tsnic_tx_desc_info *d)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &tsnic_nl_family, NLM_F_MULTI, TSNIC_CMD_RING_DUMP);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);

	if (nla_put_u32(skb, TSNIC_A_QUEUE_IFINDEX, priv->dev->ifindex) ||
	    nla_put_u32(skb, TSNIC_A_QUEUE_TYPE, TSNIC_QUEUE_TYPE_TX) ||
	    nla_put_u32(skb, TSNIC_A_QUEUE_ID, qid))
		goto err_cancel;
	nest = nla_nest_start(skb, TSNIC_A_QUEUE_DESC);
	if (!nest)
		goto err_cancel;
	if (nla_put_u32(skb, TSNIC_A_DESC_INDEX, d->index) ||
	    nla_put_u32(skb, TSNIC_A_DESC_STATE, d->state) ||
	    nla_put_u32(skb, TSNIC_A_DESC_LEN, d->len) ||
	    nla_put_u32(skb, TSNIC_A_DESC_FLAGS, d->flags) ||
	    ((d->flags & TSNIC_TXD_SOP) &&
	     nla_put_u32(skb, TSNIC_A_DESC_SKB_LEN, d->skb_len)) ||
	    nla_put_u8(skb, TSNIC_A_DESC_TS_REQUESTED,
		       !!(d->flags & TSNIC_TXD_TSTAMP)) ||
	    nla_put_u8(skb, TSNIC_A_DESC_TS_DONE,
		       !!(d->status & TSNIC_TXD_TS_VALID)) ||
	    ((d->status & TSNIC_TXD_DD) &&
	     nla_put_u64_64bit(skb, TSNIC_A_DESC_DEPART_NS, d->depart,
			       TSNIC_A_DESC_PAD)) ||
	    ((d->status & TSNIC_TXD_TS_VALID) &&
	     nla_put_u64_64bit(skb, TSNIC_A_DESC_TSTAMP_NS, d->tstamp,
			       TSNIC_A_DESC_PAD)))
		goto err_cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * The first call: check the request and name the walk's device and
 * queue in cb->ctx.  Returns the device, held (@tracker), or an error.
 */
static struct tsnic_priv *tsnic_nl_ring_dump_begin(struct netlink_callback *cb,
						   struct net *net,
						   netdevice_tracker *tracker)
{
	struct tsnic_nl_rd_ctx *ctx = tsnic_nl_rd_ctx(cb);
	struct nlattr **tb = tsnic_genl_dump_attrs(cb);
	struct tsnic_priv *priv;
	u32 qid;

	if (tb[TSNIC_A_QUEUE_TYPE] &&
	    nla_get_u32(tb[TSNIC_A_QUEUE_TYPE]) != TSNIC_QUEUE_TYPE_TX) {
		NL_SET_ERR_MSG_ATTR(cb->extack, tb[TSNIC_A_QUEUE_TYPE],
				    "only TX queues have a descriptor ring");
		return ERR_PTR(-EOPNOTSUPP);
	}
	if (!tb[TSNIC_A_QUEUE_ID]) {
		NL_SET_ERR_MSG(cb->extack, "queue id required");
		NL_SET_ERR_ATTR_MISS(cb->extack, NULL, TSNIC_A_QUEUE_ID);
		return ERR_PTR(-EINVAL);
	}
	qid = nla_get_u32(tb[TSNIC_A_QUEUE_ID]);

	rcu_read_lock();
	priv = tsnic_nl_dev_find(net, tb, TSNIC_A_QUEUE_IFINDEX,
				 TSNIC_A_QUEUE_IFNAME, cb->extack);
	if (IS_ERR(priv))
		goto out;
	if (qid >= READ_ONCE(priv->dev->real_num_tx_queues)) {
		NL_SET_ERR_MSG_ATTR(cb->extack, tb[TSNIC_A_QUEUE_ID],
				    "no such queue");
		priv = ERR_PTR(-EINVAL);
		goto out;
	}
	netdev_hold(priv->dev, tracker, GFP_ATOMIC);
	ctx->instance = priv->instance;
	ctx->ifindex = priv->dev->ifindex;
	ctx->queue = qid;
out:
	rcu_read_unlock();
	return priv;
}

/*
 * The device of the walk, if it is still there, held (@tracker); or NULL.
 * An ifindex that now names another device does not count.
 */
static struct tsnic_priv *tsnic_nl_ring_dump_dev(struct net *net,
						 struct netlink_callback *cb,
						 netdevice_tracker *tracker)
{
	struct tsnic_nl_rd_ctx *ctx = tsnic_nl_rd_ctx(cb);
	struct tsnic_priv *priv = NULL;
	struct net_device *dev;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ctx->ifindex);
	if (dev && tsnic_is_tsnic(dev) &&
	    ((struct tsnic_priv *)netdev_priv(dev))->instance == ctx->instance) {
		priv = netdev_priv(dev);
		netdev_hold(dev, tracker, GFP_ATOMIC);
	}
	rcu_read_unlock();
	return priv;
}

/* Stop the walk: the next message or NLMSG_DONE gets NLM_F_DUMP_INTR. */
static void tsnic_nl_ring_dump_intr(struct netlink_callback *cb, u32 gen)
{
	struct tsnic_nl_rd_ctx *ctx = tsnic_nl_rd_ctx(cb);

	if (gen == ctx->gen)
		gen++;
	cb->seq = gen ?: 1;
	ctx->done = ctx->total;
}

/* Start the walk over what @ring has in flight now.  ring_lock held. */
static void tsnic_nl_ring_dump_start(struct netlink_callback *cb,
				     struct tsnic_tx_ring *ring)
{
	struct tsnic_nl_rd_ctx *ctx = tsnic_nl_rd_ctx(cb);
	struct tsnic_tx_snap s;
	u32 gen;

	gen = READ_ONCE(ring->gen);
	/* the generation before the indices: a clean after it is seen */
	smp_rmb();
	ctx->done = 0;
	ctx->total = 0;
	ctx->first = 0;
	ctx->gen = gen;
	/* a down device has no arrays, so nothing in flight */
	if (ring->desc) {
		tsnic_tx_snapshot(ring, &s);
		ctx->total = tsnic_tx_snap_dist(&s, s.ntu);
		ctx->first = s.ntc;
	}
	/*
	 * prev_seq too: a ring that changes before the first message is
	 * sent marks that message (prev_seq 0 would let it through).
	 */
	cb->seq = gen;
	cb->prev_seq = gen;
}

/* Walk on from ctx->done, as far as @skb takes it.  ring_lock held. */
static int tsnic_nl_ring_dump_walk(struct sk_buff *skb,
				   struct netlink_callback *cb,
				   struct tsnic_tx_ring *ring)
{
	struct tsnic_nl_rd_ctx *ctx = tsnic_nl_rd_ctx(cb);
	u32 walk_gen = ctx->gen, gen;
	struct tsnic_tx_desc_info d;
	struct tsnic_tx_snap s;
	int err;

	/*
	 * The same generation and arrays still there: the same arrays, not
	 * cleaned, not rewound (the generation alone could have wrapped).
	 */
	gen = READ_ONCE(ring->gen);
	if (gen != walk_gen || !ring->desc) {
		tsnic_nl_ring_dump_intr(cb, gen);
		return 0;
	}

	/* fresh engine indices over the walk's bounds */
	tsnic_tx_snapshot(ring, &s);
	s.ntc = ctx->first;
	s.ntu = (s.ntc + ctx->total) & (s.count - 1);
	while (ctx->done < ctx->total) {
		tsnic_tx_desc_info(ring, &s, ctx->done, &d);
		/* the descriptor before the generation: pairs with TX NAPI */
		smp_rmb();
		gen = READ_ONCE(ring->gen);
		if (gen != walk_gen) {
			tsnic_nl_ring_dump_intr(cb, gen);
			break;
		}
		err = tsnic_nl_desc_fill(skb, cb, ring->priv, ring->qid, &d);
		if (err)
			return err;
		ctx->done++;
	}
	return 0;
}

int tsnic_nl_ring_dump_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tsnic_nl_rd_ctx *ctx = tsnic_nl_rd_ctx(cb);
	struct net *net = sock_net(skb->sk);
	netdevice_tracker tracker;
	struct tsnic_tx_ring *ring;
	struct tsnic_priv *priv;
	bool first = false;
	int err = 0;

	/* the descriptor flags go out as they are: same bits as the uapi's */
	BUILD_BUG_ON((TSNIC_TXD_SOP ^ TSNIC_DESC_F_SOP) |
		     (TSNIC_TXD_EOP ^ TSNIC_DESC_F_EOP) |
		     (TSNIC_TXD_TSTAMP ^ TSNIC_DESC_F_TSTAMP) |
		     (TSNIC_TXD_CSUM ^ TSNIC_DESC_F_CSUM) |
		     (TSNIC_TXD_TSO ^ TSNIC_DESC_F_TSO) |
		     (TSNIC_TXD_LAUNCH ^ TSNIC_DESC_F_LAUNCH));

	if (!ctx->instance) {
		if (!tsnic_nl_admin(cb->skb))
			return -EPERM;
		priv = tsnic_nl_ring_dump_begin(cb, net, &tracker);
		if (IS_ERR(priv))
			return PTR_ERR(priv);
		first = true;
	} else {
		/* a walk that is over (or empty) is whole, whatever happens */
		if (ctx->done >= ctx->total)
			return skb->len;
		priv = tsnic_nl_ring_dump_dev(net, cb, &tracker);
		if (!priv) {
			tsnic_nl_ring_dump_intr(cb, ctx->gen);
			return skb->len;
		}
	}

	/* the device is held: its queue arrays stay; ring_lock: the rings */
	ring = &priv->tx[ctx->queue];
	mutex_lock(&priv->ring_lock);
	if (first)
		tsnic_nl_ring_dump_start(cb, ring);
	if (ctx->done < ctx->total)
		err = tsnic_nl_ring_dump_walk(skb, cb, ring);
	mutex_unlock(&priv->ring_lock);
	netdev_put(priv->dev, &tracker);

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* ---- pins and wires ------------------------------------------------------ */

/* A wire's other end: @end's @pin, @delay_ns away.  Under RCU. */
static int tsnic_nl_put_wire(struct sk_buff *skb, int type,
			     struct tsnic_priv *end, u8 pin, u32 delay_ns)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, TSNIC_A_WIRE_IFINDEX, READ_ONCE(end->dev->ifindex)) ||
	    nla_put_u32(skb, TSNIC_A_WIRE_PIN, pin) ||
	    nla_put_u32(skb, TSNIC_A_WIRE_DELAY_NS, delay_ns)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * Pin @pin of @priv and its wires.  Under RCU: the wires are RCU lists
 * (written under RTNL), and a wire's ends are waited for before they are
 * freed.  The function and channel are the PTP core's, read without its
 * mutex: a snapshot.
 */
static int tsnic_nl_pin_fill(struct sk_buff *skb, struct tsnic_priv *priv,
			     u32 pin, u32 portid, u32 seq, int flags,
			     struct netlink_callback *cb)
{
	const struct ptp_pin_desc *d = &priv->card->pins.config[pin];
	struct tsnic_pin *p = &priv->card->pins.pin[pin];
	struct tsnic_wire *w;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &tsnic_nl_family, flags,
			  TSNIC_CMD_PIN_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, TSNIC_A_PIN_IFINDEX, priv->dev->ifindex) ||
	    nla_put_u32(skb, TSNIC_A_PIN_INDEX, pin) ||
	    nla_put_string(skb, TSNIC_A_PIN_NAME, d->name) ||
	    nla_put_u32(skb, TSNIC_A_PIN_FUNC, READ_ONCE(d->func)) ||
	    nla_put_u32(skb, TSNIC_A_PIN_CHAN, READ_ONCE(d->chan)) ||
	    nla_put_u8(skb, TSNIC_A_PIN_ACTIVE, tsnic_pins_active(priv->card, pin)))
		goto err_cancel;
	list_for_each_entry_rcu(w, &p->wires, node)
		if (tsnic_nl_put_wire(skb, TSNIC_A_PIN_WIRE, w->to, w->to_pin,
				      w->delay_ns))
			goto err_cancel;
	w = rcu_dereference(p->in);
	if (w && tsnic_nl_put_wire(skb, TSNIC_A_PIN_DRIVEN_BY, w->from,
				   w->from_pin, w->delay_ns))
		goto err_cancel;
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int tsnic_nl_pin_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct tsnic_priv *priv;
	struct sk_buff *msg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, TSNIC_A_PIN_INDEX))
		return -EINVAL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	priv = tsnic_nl_dev_find(genl_info_net(info), info->attrs,
				 TSNIC_A_PIN_IFINDEX, TSNIC_A_PIN_IFNAME,
				 info->extack);
	if (IS_ERR(priv))
		err = PTR_ERR(priv);
	else
		err = tsnic_nl_pin_fill(msg, priv,
					nla_get_u32(info->attrs[TSNIC_A_PIN_INDEX]),
					info->snd_portid, info->snd_seq, 0,
					NULL);
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* The pins of @priv from cb->args[1] on.  Under RCU. */
static int tsnic_nl_pin_dump_dev(struct sk_buff *skb,
				 struct netlink_callback *cb,
				 struct tsnic_priv *priv)
{
	int err;

	for (; cb->args[1] < TSNIC_PINS; cb->args[1]++) {
		err = tsnic_nl_pin_fill(skb, priv, cb->args[1],
					NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			return err;
	}
	cb->args[1] = 0;
	return 0;
}

/*
 * cb->args[0]: tsnic devices done; cb->args[1]: pins of the current one
 * done.  A device in the request limits the dump to it.  Under RCU; a
 * device that comes or goes, or a wire made or removed, between two skbs
 * changes cb->seq (NLM_F_DUMP_INTR).
 */
int tsnic_nl_pin_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **tb = tsnic_genl_dump_attrs(cb);
	struct net *net = sock_net(skb->sk);
	struct tsnic_priv *priv;
	struct net_device *dev;
	long idx = 0;
	int err = 0;

	rcu_read_lock();
	cb->seq = tsnic_nl_dump_seq(net);
	if (tb[TSNIC_A_PIN_IFINDEX] || tb[TSNIC_A_PIN_IFNAME]) {
		priv = tsnic_nl_dev_find(net, tb, TSNIC_A_PIN_IFINDEX,
					 TSNIC_A_PIN_IFNAME, cb->extack);
		if (IS_ERR(priv))
			err = PTR_ERR(priv);
		else if (!cb->args[0])
			err = tsnic_nl_pin_dump_dev(skb, cb, priv);
		if (!err)
			cb->args[0] = 1;
		goto out;
	}
	for_each_netdev_rcu(net, dev) {
		if (!tsnic_is_tsnic(dev))
			continue;
		if (idx++ < cb->args[0])
			continue;
		err = tsnic_nl_pin_dump_dev(skb, cb, netdev_priv(dev));
		if (err)
			break;
		cb->args[0] = idx;
	}
out:
	rcu_read_unlock();

	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/*
 * The two ends a pin-connect or pin-disconnect names, in the requester's
 * namespace; @to is NULL if the request names no peer.  RTNL held.
 */
static int tsnic_nl_wire_ends(struct genl_info *info, struct tsnic_priv **from,
			      struct tsnic_priv **to)
{
	struct nlattr **tb = info->attrs;
	struct net *net = genl_info_net(info);
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, TSNIC_A_PIN_INDEX))
		return -EINVAL;
	if (!tb[TSNIC_A_PIN_PEER_IFINDEX] != !tb[TSNIC_A_PIN_PEER_INDEX]) {
		NL_SET_ERR_MSG(info->extack,
			       "the other end needs both a device and a pin");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL,
				     tb[TSNIC_A_PIN_PEER_INDEX] ?
				     TSNIC_A_PIN_PEER_IFINDEX :
				     TSNIC_A_PIN_PEER_INDEX);
		return -EINVAL;
	}
	*to = NULL;
	/* found under RCU, kept by RTNL: neither can be unregistered meanwhile */
	rcu_read_lock();
	*from = tsnic_nl_dev_find(net, tb, TSNIC_A_PIN_IFINDEX,
				  TSNIC_A_PIN_IFNAME, info->extack);
	if (IS_ERR(*from))
		err = PTR_ERR(*from);
	else if (tb[TSNIC_A_PIN_PEER_IFINDEX])
		/* by index only: the name slot repeats it, never used */
		*to = tsnic_nl_dev_find(net, tb, TSNIC_A_PIN_PEER_IFINDEX,
					TSNIC_A_PIN_PEER_IFINDEX, info->extack);
	if (!err && IS_ERR(*to))
		err = PTR_ERR(*to);
	rcu_read_unlock();
	return err;
}

int tsnic_nl_pin_connect_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct tsnic_priv *from, *to;
	u32 delay = 0;
	int err;

	if (!tsnic_nl_admin(skb))
		return -EPERM;
	if (GENL_REQ_ATTR_CHECK(info, TSNIC_A_PIN_PEER_IFINDEX) ||
	    GENL_REQ_ATTR_CHECK(info, TSNIC_A_PIN_PEER_INDEX))
		return -EINVAL;
	if (tb[TSNIC_A_PIN_DELAY_NS])
		delay = nla_get_u32(tb[TSNIC_A_PIN_DELAY_NS]);

	rtnl_lock();
	err = tsnic_nl_wire_ends(info, &from, &to);
	if (!err)
		err = tsnic_pins_connect(from,
					 nla_get_u32(tb[TSNIC_A_PIN_INDEX]), to,
					 nla_get_u32(tb[TSNIC_A_PIN_PEER_INDEX]),
					 delay, info->extack);
	if (!err)
		tsnic_nl_layout_changed();
	rtnl_unlock();
	return err;
}

int tsnic_nl_pin_disconnect_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct tsnic_priv *from, *to;
	int err;

	if (!tsnic_nl_admin(skb))
		return -EPERM;

	rtnl_lock();
	err = tsnic_nl_wire_ends(info, &from, &to);
	if (!err)
		err = tsnic_pins_disconnect(from,
					    nla_get_u32(tb[TSNIC_A_PIN_INDEX]),
					    to, to ? nla_get_u32(tb[TSNIC_A_PIN_PEER_INDEX]) : 0,
					    info->extack);
	if (!err)
		tsnic_nl_layout_changed();
	rtnl_unlock();
	return err;
}

/* ---- the family ---------------------------------------------------------- */

int __init tsnic_nl_init(void)
{
	/* the spec states both: they must agree */
	static_assert(TSNIC_QUEUE_ID_MAX + 1 == TSNIC_MAX_QUEUES);
	/* the spec's pin functions are the PTP core's */
	static_assert((int)TSNIC_PIN_FUNC_NONE == (int)PTP_PF_NONE);
	static_assert((int)TSNIC_PIN_FUNC_EXTTS == (int)PTP_PF_EXTTS);
	static_assert((int)TSNIC_PIN_FUNC_PEROUT == (int)PTP_PF_PEROUT);
	static_assert((int)TSNIC_PIN_FUNC_PHYSYNC == (int)PTP_PF_PHYSYNC);
	return tsnic_genl_register_family(&tsnic_nl_family);
}

void tsnic_nl_exit(void)
{
	tsnic_genl_unregister_family(&tsnic_nl_family);
}
