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
 *   taprio: refused, not offloaded yet.
 *
 * Only mqprio and taprio pass the netlink extack (6.4 and later); an ETF
 * or CBS refusal is explained in the kernel log, tc prints the core's
 * generic message.
 *
 * Locking: tc calls ndo_setup_tc under RTNL, which serialises every
 * change here.  What the fast paths read is set as its declaration says:
 * the engine's offloads under its lock, tsnic_tx_ring.launch with
 * WRITE_ONCE.
 */

#include <linux/rtnetlink.h>
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

static int tsnic_tc_taprio(struct net_device *dev,
			   struct tc_taprio_qopt_offload *offload)
{
	struct netlink_ext_ack *extack;

	/* removal and statistics of a schedule never installed: no-ops */
	if (tsnic_taprio_replace(offload, &extack))
		tsnic_tc_err(dev, extack, "taprio offload not supported yet");
	return -EOPNOTSUPP;
}

/**
 * tsnic_setup_tc() - ndo_setup_tc
 * @dev: the tsnic device
 * @type: the offload
 * @type_data: its request
 *
 * TC_QUERY_CAPS is answered with no capability beyond the defaults: in
 * particular mqprio leaves its queue ranges to us, which checks them the
 * same way on every kernel.
 *
 * Context: RTNL held.
 * Return: 0, or a negative errno (-EOPNOTSUPP for what is not offloaded).
 */
int tsnic_setup_tc(struct net_device *dev, enum tc_setup_type type,
		   void *type_data)
{
	ASSERT_RTNL();
	switch (type) {
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
			netdev_err(dev, "TX channels cannot change while TX queue %u has an ETF or CBS offload\n",
				   q);
			return -EBUSY;
		}
	}
	return 0;
}
