// SPDX-License-Identifier: GPL-2.0
/*
 * ndo_setup_tc: the TSN offloads tc hands to the device.
 *
 *   mqprio (hw 1; mode dcb or channel, no shaper): traffic classes mapped
 *	to ranges of TX queues (netdev_set_num_tc(), netdev_set_tc_queue()),
 *	from which the stack picks a frame's queue by its priority.  The
 *	ranges must lie inside the TX queues in use and must not overlap;
 *	while a mapping is in place, changing the TX channels (ethtool -L) is
 *	refused.  Deleting the qdisc removes the mapping.
 *   etf offload: per queue, the engine honours launch times (engine.c).
 *   cbs offload: per queue, the engine's credit-based shaper.
 *   taprio (flags 0x2, full offload): the engine runs the gate control
 *	list on the PHC (engine.c); the schedule is shared by the queues,
 *	each gated by its traffic class.  A new schedule replaces the one
 *	running at once.  Refused: cycle-time-extension, entries other than
 *	SetGateStates, more than TSNIC_TAPRIO_MAX_ENTRIES entries, a cycle
 *	over TSNIC_TAPRIO_MAX_CYCLE_NS, CBS on any queue.
 *
 * Only mqprio and taprio pass the netlink extack (6.4 and later); an ETF
 * or CBS refusal is explained in the kernel log, tc prints the core's
 * generic message.
 *
 * Locking: tc calls ndo_setup_tc under RTNL, which serialises every
 * change here.  What the fast paths read is set as its declaration says:
 * the engine's offloads under its lock, tsnic_tx_ring.launch with
 * WRITE_ONCE.  The gate schedule (priv->gcl) is freed only after every
 * engine has dropped it under its lock.
 */

#include <linux/math64.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/pkt_cls.h>
#include <net/pkt_sched.h>

#include "tsnic.h"

/* A refusal: into the extack when tc gave one, else into the log. */
static void tsnic_tc_err(struct net_device *dev, struct netlink_ext_ack *extack,
			 const char *msg)
{
	if (extack)
		tsnic_extack_set(extack, msg);
	else
		netdev_err(dev, "%s\n", msg);
}

static bool tsnic_tc_ranges_overlap(u16 o1, u16 c1, u16 o2, u16 c2)
{
	return o1 < o2 + c2 && o2 < o1 + c1;
}

static int tsnic_tc_mqprio(struct net_device *dev,
			   struct tc_mqprio_qopt_offload *mqprio)
{
	struct netlink_ext_ack *extack = tsnic_mqprio_extack(mqprio);
	struct tc_mqprio_qopt *qopt = &mqprio->qopt;
	unsigned int txq = dev->real_num_tx_queues;
	unsigned int tc, j;

	/* the qdisc goes away, or is replaced by one without offload */
	if (!qopt->num_tc) {
		netdev_reset_tc(dev);
		return 0;
	}
	if (mqprio->flags & (TC_MQPRIO_F_SHAPER | TC_MQPRIO_F_MIN_RATE |
			     TC_MQPRIO_F_MAX_RATE) &&
	    mqprio->shaper != TC_MQPRIO_SHAPER_DCB) {
		tsnic_tc_err(dev, extack, "mqprio rate limits are not offloaded (use cbs per queue)");
		return -EOPNOTSUPP;
	}
	if (tsnic_mqprio_preemptible(mqprio)) {
		tsnic_tc_err(dev, extack, "frame preemption is not supported");
		return -EOPNOTSUPP;
	}
	for (tc = 0; tc < qopt->num_tc; tc++) {
		u16 off = qopt->offset[tc], cnt = qopt->count[tc];

		if (!cnt) {
			tsnic_tc_err(dev, extack, "every traffic class needs at least one queue");
			return -EINVAL;
		}
		if (off + cnt > txq) {
			tsnic_tc_err(dev, extack, "queue range beyond the TX queues in use");
			return -EINVAL;
		}
		for (j = 0; j < tc; j++) {
			if (tsnic_tc_ranges_overlap(off, cnt, qopt->offset[j],
						    qopt->count[j])) {
				tsnic_tc_err(dev, extack, "queue ranges of traffic classes overlap");
				return -EINVAL;
			}
		}
	}

	if (netdev_set_num_tc(dev, qopt->num_tc))
		return -EINVAL;
	for (tc = 0; tc < qopt->num_tc; tc++)
		netdev_set_tc_queue(dev, tc, qopt->count[tc], qopt->offset[tc]);
	/* the core sets the priority map itself from qopt */
	qopt->hw = TC_MQPRIO_HW_OFFLOAD_TCS;
	return 0;
}

/* The queue a per-queue offload names, or NULL (refused, logged). */
static struct tsnic_tx_ring *tsnic_tc_queue(struct net_device *dev, s32 queue)
{
	struct tsnic_priv *priv = netdev_priv(dev);

	if (queue < 0 || queue >= dev->real_num_tx_queues) {
		netdev_err(dev, "offload on TX queue %d: not a queue in use\n",
			   queue);
		return NULL;
	}
	return &priv->tx[queue];
}

static int tsnic_tc_etf(struct net_device *dev, struct tc_etf_qopt_offload *qopt)
{
	struct tsnic_tx_ring *ring = tsnic_tc_queue(dev, qopt->queue);

	if (!ring)
		return -EINVAL;
	if (!qopt->enable) {
		/* xmit stops marking frames before the engine stops waiting */
		WRITE_ONCE(ring->launch, false);
		tsnic_engine_set_launch(ring, false);
		return 0;
	}
	if (tsnic_engine_tsn(ring) & TSNIC_TSN_CBS) {
		netdev_err(dev, "TX queue %d: ETF and CBS offloads cannot be combined on one queue\n",
			   qopt->queue);
		return -EBUSY;
	}
	/* the engine latches launch times before xmit hands it any */
	tsnic_engine_set_launch(ring, true);
	WRITE_ONCE(ring->launch, true);
	return 0;
}

static int tsnic_tc_cbs(struct net_device *dev, struct tc_cbs_qopt_offload *qopt)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	struct tsnic_tx_ring *ring = tsnic_tc_queue(dev, qopt->queue);
	u64 rate = priv->cfg.rate_bps;		/* RTNL: ours to read */

	if (!ring)
		return -EINVAL;
	if (!qopt->enable) {
		tsnic_engine_set_cbs(ring, false, 0, 0, 0, 0);
		return 0;
	}
	if (tsnic_engine_tsn(ring) & TSNIC_TSN_ETF) {
		netdev_err(dev, "TX queue %d: ETF and CBS offloads cannot be combined on one queue\n",
			   qopt->queue);
		return -EBUSY;
	}
	if (tsnic_engine_tsn(ring) & TSNIC_TSN_GATES) {
		netdev_err(dev, "TX queue %d: CBS cannot be combined with taprio's gates\n",
			   qopt->queue);
		return -EBUSY;
	}
	if (!rate) {
		netdev_err(dev, "CBS offload needs a line rate (tsnic dev set %s rate ...)\n",
			   dev->name);
		return -EINVAL;
	}
	if (qopt->idleslope <= 0 || qopt->sendslope >= 0) {
		netdev_err(dev, "CBS offload: idleslope must be > 0 and sendslope < 0 (kbit/s), got %d and %d\n",
			   qopt->idleslope, qopt->sendslope);
		return -EINVAL;
	}
	if ((u64)qopt->idleslope * 1000 > rate) {
		netdev_err(dev, "CBS offload: idleslope %d kbit/s above the line rate %llu bit/s\n",
			   qopt->idleslope, rate);
		return -EINVAL;
	}
	if (qopt->hicredit < 0 || qopt->locredit > 0) {
		netdev_err(dev, "CBS offload: hicredit must be >= 0 and locredit <= 0, got %d and %d\n",
			   qopt->hicredit, qopt->locredit);
		return -EINVAL;
	}
	tsnic_engine_set_cbs(ring, true, qopt->idleslope, qopt->sendslope,
			     qopt->hicredit, qopt->locredit);
	return 0;
}

/*
 * The windows of traffic class @tc in @g from taprio's entries: runs of
 * entries with the class's gate open, clipped to the cycle (after the
 * last entry, if the intervals end before the cycle does, every gate is
 * closed); a window open at the end of the cycle and one open at its
 * start are the same window.
 */
static void tsnic_gcl_windows(struct tsnic_gcl *g,
			      const struct tc_taprio_qopt_offload *o,
			      unsigned int tc)
{
	struct tsnic_gate_win *w = &g->win[tc * g->stride];
	unsigned int i, n = 0;
	u64 t = 0, end;

	for (i = 0; i < o->num_entries && t < g->cycle; i++, t = end) {
		end = min(t + o->entries[i].interval, g->cycle);
		if (!(o->entries[i].gate_mask & BIT(tc)))
			continue;
		if (n && w[n - 1].close == t) {
			w[n - 1].close = end;
		} else {
			w[n].open = t;
			w[n].close = end;
			n++;
		}
	}
	if (n == 1 && !w[0].open && w[0].close == g->cycle) {
		g->always |= BIT(tc);
		n = 0;
	} else if (n > 1 && !w[0].open && w[n - 1].close == g->cycle) {
		w[n - 1].close += w[0].close;
		n--;
		memmove(w, w + 1, n * sizeof(*w));
	}
	g->nwin[tc] = n;
}

/* The first cycle at or after the PHC's now, as taprio's core sets it. */
static u64 tsnic_gcl_first(struct tsnic_priv *priv, u64 base, u64 cycle)
{
	u64 now = tsnic_phc_time_at(&priv->card->phc, tsnic_now());

	if (base > now)
		return base;
	return base + (div64_u64(now - base, cycle) + 1) * cycle;
}

/* The schedule @g, or none, on every queue; the previous one freed. */
static void tsnic_gcl_install(struct net_device *dev, struct tsnic_gcl *g)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	struct tsnic_gcl *old = priv->gcl;
	unsigned int q;
	int tc;

	for (q = 0; q < dev->num_tx_queues; q++) {
		tc = g ? netdev_txq_to_tc(dev, q) : -1;
		/* a queue outside every class runs free */
		tsnic_engine_set_gates(&priv->tx[q], tc < 0 ? NULL : g,
				       tc < 0 ? 0 : tc);
	}
	/* no engine holds it any more */
	priv->gcl = g;
	kfree(old);
}

static int tsnic_tc_taprio_replace(struct net_device *dev,
				   struct tc_taprio_qopt_offload *o,
				   struct netlink_ext_ack *extack)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	unsigned int num_tc = netdev_get_num_tc(dev);
	struct tsnic_gcl *g;
	unsigned int i, tc;

	if (!num_tc) {
		tsnic_tc_err(dev, extack, "taprio offload needs traffic classes (num_tc)");
		return -EINVAL;
	}
	if (o->cycle_time_extension) {
		tsnic_tc_err(dev, extack, "taprio offload: cycle-time-extension is not supported");
		return -EOPNOTSUPP;
	}
	if (!o->num_entries || o->num_entries > TSNIC_TAPRIO_MAX_ENTRIES) {
		tsnic_tc_err(dev, extack, "taprio offload: 1 to 64 schedule entries");
		return -EINVAL;
	}
	if (!o->cycle_time || o->cycle_time > TSNIC_TAPRIO_MAX_CYCLE_NS) {
		tsnic_tc_err(dev, extack, "taprio offload: the cycle time must be 1 s or less");
		return -EINVAL;
	}
	if (ktime_to_ns(o->base_time) < 0) {
		tsnic_tc_err(dev, extack, "taprio offload: negative base time");
		return -EINVAL;
	}
	for (i = 0; i < o->num_entries; i++) {
		if (o->entries[i].command != TC_TAPRIO_CMD_SET_GATES) {
			tsnic_tc_err(dev, extack, "taprio offload: only SetGateStates entries (S) are supported");
			return -EOPNOTSUPP;
		}
	}
	for (i = 0; i < dev->num_tx_queues; i++) {
		if (tsnic_engine_tsn(&priv->tx[i]) & TSNIC_TSN_CBS) {
			tsnic_tc_err(dev, extack, "taprio offload: a TX queue has a CBS offload, which gates do not combine with");
			return -EBUSY;
		}
	}

	g = kzalloc(struct_size(g, win, num_tc * o->num_entries), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	g->cycle = o->cycle_time;
	g->stride = o->num_entries;
	for (tc = 0; tc < num_tc; tc++) {
		/* the SDU is what follows the Ethernet header */
		if (o->max_sdu[tc])
			g->max_len[tc] = o->max_sdu[tc] + dev->hard_header_len;
		tsnic_gcl_windows(g, o, tc);
	}
	g->start = tsnic_gcl_first(priv, ktime_to_ns(o->base_time), g->cycle);
	tsnic_gcl_install(dev, g);
	return 0;
}

static int tsnic_tc_taprio(struct net_device *dev,
			   struct tc_taprio_qopt_offload *offload)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	struct netlink_ext_ack *extack;
	u64 drops = 0;
	unsigned int q;
	int queue;

	switch (tsnic_taprio_op(offload, &extack, &queue)) {
	case TSNIC_TAPRIO_REPLACE:
		return tsnic_tc_taprio_replace(dev, offload, extack);
	case TSNIC_TAPRIO_DESTROY:
		tsnic_gcl_install(dev, NULL);
		return 0;
	case TSNIC_TAPRIO_STATS:
		if (queue >= (int)dev->num_tx_queues)
			return -EINVAL;
		for (q = 0; q < dev->num_tx_queues; q++) {
			if (queue < 0 || (int)q == queue)
				drops += tsnic_engine_window_drops(&priv->tx[q]);
		}
		/* the guard band keeps every frame inside its window */
		tsnic_taprio_stats_set(offload, drops, 0);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* TC_QUERY_CAPS: taprio may pass a max-SDU per class. */
static int tsnic_tc_caps(struct tc_query_caps_base *base)
{
	struct tc_taprio_caps *caps;

	if (base->type != TC_SETUP_QDISC_TAPRIO)
		return -EOPNOTSUPP;
	caps = base->caps;
	caps->supports_queue_max_sdu = true;
	return 0;
}

/**
 * tsnic_setup_tc() - ndo_setup_tc
 * @dev: the tsnic device
 * @type: the offload
 * @type_data: its request
 *
 * TC_QUERY_CAPS is answered for taprio (max-SDU per class) and with no
 * capability beyond the defaults for the rest: in particular mqprio
 * leaves its queue ranges to us, which checks them the same way on every
 * kernel.
 *
 * Context: RTNL held.
 * Return: 0, or a negative errno (-EOPNOTSUPP for what is not offloaded).
 */
int tsnic_setup_tc(struct net_device *dev, enum tc_setup_type type,
		   void *type_data)
{
	ASSERT_RTNL();
	switch (type) {
	case TC_QUERY_CAPS:
		return tsnic_tc_caps(type_data);
	case TC_SETUP_QDISC_MQPRIO:
		return tsnic_tc_mqprio(dev, type_data);
	case TC_SETUP_QDISC_ETF:
		return tsnic_tc_etf(dev, type_data);
	case TC_SETUP_QDISC_CBS:
		return tsnic_tc_cbs(dev, type_data);
	case TC_SETUP_QDISC_TAPRIO:
		return tsnic_tc_taprio(dev, type_data);
	default:
		return -EOPNOTSUPP;
	}
}

/**
 * tsnic_tc_channels_check() - may the TX queues in use change?
 * @dev: the tsnic device
 * @txq: the TX queues asked for
 *
 * Not while an mqprio mapping or a per-queue offload refers to queues:
 * the offloads would silently apply to other queues than tc says.
 *
 * Context: RTNL held.
 * Return: 0, or -EBUSY (logged).
 */
int tsnic_tc_channels_check(struct net_device *dev, unsigned int txq)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	unsigned int q;

	ASSERT_RTNL();
	if (txq == dev->real_num_tx_queues)
		return 0;
	if (netdev_get_num_tc(dev)) {
		netdev_err(dev, "TX channels cannot change while mqprio maps traffic classes to queues: delete the qdisc first\n");
		return -EBUSY;
	}
	for (q = 0; q < dev->num_tx_queues; q++) {
		if (tsnic_engine_tsn(&priv->tx[q])) {
			netdev_err(dev, "TX channels cannot change while TX queue %u has an ETF, CBS or taprio offload\n",
				   q);
			return -EBUSY;
		}
	}
	return 0;
}
