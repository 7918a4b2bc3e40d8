// SPDX-License-Identifier: GPL-2.0
/*
 * The tsnic net_device: link kind "tsnic" (rtnl_link_ops), the netdev
 * ops, bring-up and teardown of the rings, reconfiguration, and the TX
 * watchdog's queue reset.
 *
 * Layering: main.c registers the link kind with the module's defaults;
 * ethtool.c calls tsnic_reconfigure().  From here calls go down to the
 * rings and the simulated hardware (tx.c, engine.c, rx.c, tstamp.c,
 * ptp.c, fault.c), to the cable (cable.c), and to netlink.c for events
 * only: netlink.c calls nothing in this file.
 */

#include <linux/etherdevice.h>
#include <linux/random.h>
#include <net/rtnetlink.h>

#include "tsnic.h"

/* The module's parameters: set once before the link kind is registered. */
static struct tsnic_defaults tsnic_defaults __read_mostly;

/* ---- bring-up and teardown (RTNL) -------------------------------------- */

static void tsnic_down(struct tsnic_priv *priv)
{
	struct net_device *dev = priv->dev;
	unsigned int q;

	ASSERT_RTNL();
	if (!priv->up)
		return;

	/*
	 * Completions first: a poll still running could wake a queue after
	 * netif_tx_disable().  Then no xmit runs and the doorbell is quiet;
	 * then the engine stops and the rings can go.
	 */
	for (q = 0; q < dev->num_tx_queues; q++) {
		napi_disable(&priv->tx[q].napi);
		/* NAPI is DIM's only sampler: no new work after this */
		cancel_work_sync(&priv->tx[q].dim.work);
	}
	netif_tx_disable(dev);
	for (q = 0; q < dev->num_tx_queues; q++) {
		struct tsnic_tx_ring *ring = &priv->tx[q];

		tsnic_engine_stop(ring);
		tsnic_tx_ring_flush(ring);
		tsnic_tx_ring_free(ring);
	}
	tsnic_tsu_flush(priv);
	for (q = 0; q < dev->num_rx_queues; q++)
		tsnic_rx_stop(&priv->rx[q]);
	/* the watchdog is off now: a reset it asked for has happened */
	bitmap_zero(priv->reset_queues, TSNIC_MAX_QUEUES);
	WRITE_ONCE(priv->up, false);
}

static int tsnic_up(struct tsnic_priv *priv)
{
	struct net_device *dev = priv->dev;
	unsigned int q;
	int err;

	ASSERT_RTNL();
	for (q = 0; q < dev->num_tx_queues; q++) {
		err = tsnic_tx_ring_alloc(&priv->tx[q], priv->cfg.tx_ring);
		if (err)
			goto err_free;
	}
	for (q = 0; q < dev->num_tx_queues; q++) {
		tsnic_engine_start(&priv->tx[q]);
		napi_enable(&priv->tx[q].napi);
	}
	for (q = 0; q < dev->num_rx_queues; q++)
		tsnic_rx_start(&priv->rx[q], priv->cfg.rx_ring);
	WRITE_ONCE(priv->up, true);
	/*
	 * Wake, not start: after a reconfiguration of a running device the
	 * qdisc may hold packets, and only a wake reschedules it.  The
	 * watchdog's queue reset wakes the same way.
	 */
	netif_tx_wake_all_queues(dev);
	return 0;

err_free:
	while (q--)
		tsnic_tx_ring_free(&priv->tx[q]);
	return err;
}

/**
 * tsnic_reconfigure() - apply ring sizes or queue counts
 * @priv: the device
 * @cfg: the settings, of which the ring sizes are applied
 * @txq: TX queues in use
 * @rxq: RX queues in use
 *
 * Quiesce, reset the rings (and BQL), restart.  Frames the engine had not
 * sent are dropped and counted.  If the new rings cannot be had, the old
 * sizes and queue counts come back and the error is returned; a device
 * that cannot restart at all stays without carrier (so without a TX
 * watchdog) until the next reconfiguration or down/up restarts it.
 *
 * Context: RTNL held.
 * Return: 0, or the error of the queue count change or the allocation.
 */
int tsnic_reconfigure(struct tsnic_priv *priv, const struct tsnic_cfg *cfg,
		      unsigned int txq, unsigned int rxq)
{
	struct net_device *dev = priv->dev;
	unsigned int old_txq = dev->real_num_tx_queues;
	unsigned int old_rxq = dev->real_num_rx_queues;
	struct tsnic_cfg old = priv->cfg;	/* RTNL: ours to read */
	int err;

	ASSERT_RTNL();
	/* dumps spanning this are marked interrupted */
	tsnic_nl_layout_changed();
	tsnic_down(priv);
	WRITE_ONCE(priv->cfg.tx_ring, cfg->tx_ring);
	WRITE_ONCE(priv->cfg.rx_ring, cfg->rx_ring);
	err = netif_set_real_num_tx_queues(dev, txq);
	if (!err)
		err = netif_set_real_num_rx_queues(dev, rxq);
	if (!err && netif_running(dev))
		err = tsnic_up(priv);
	if (err) {
		WRITE_ONCE(priv->cfg.tx_ring, old.tx_ring);
		WRITE_ONCE(priv->cfg.rx_ring, old.rx_ring);
		netif_set_real_num_tx_queues(dev, old_txq);
		netif_set_real_num_rx_queues(dev, old_rxq);
		if (netif_running(dev) && !priv->up && tsnic_up(priv))
			netdev_err(dev, "cannot restart after a failed reconfiguration\n");
	}
	tsnic_carrier_update(priv);
	return err;
}

static int tsnic_open(struct net_device *dev)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	int err;

	err = tsnic_up(priv);
	if (err)
		return err;
	tsnic_carrier_update(priv);
	return 0;
}

static int tsnic_stop(struct net_device *dev)
{
	struct tsnic_priv *priv = netdev_priv(dev);

	tsnic_down(priv);
	tsnic_carrier_update(priv);
	return 0;
}

/*
 * Reset one TX queue the watchdog found stuck, the others running on:
 * quiesce its NAPI and xmit, stop its engine, drop what the engine had
 * not sent (counted, BQL reset, their timestamp slots freed), rewind the
 * ring and restart.  A stalled engine is unstalled by its restart.  RTNL,
 * device up.
 */
static void tsnic_tx_queue_reset(struct tsnic_priv *priv, unsigned int q)
{
	struct net_device *dev = priv->dev;
	struct netdev_queue *txq = netdev_get_tx_queue(dev, q);
	struct tsnic_tx_ring *ring = &priv->tx[q];
	u64 before, after;

	ASSERT_RTNL();
	napi_disable(&ring->napi);
	/* once we held the queue's lock with it stopped, no xmit is inside */
	__netif_tx_lock_bh(txq);
	netif_tx_stop_queue(txq);
	__netif_tx_unlock_bh(txq);
	tsnic_engine_stop(ring);

	before = u64_stats_read(&ring->cstats.flushed);
	tsnic_tx_ring_flush(ring);
	after = u64_stats_read(&ring->cstats.flushed);
	tsnic_tx_ring_rewind(ring);

	tsnic_engine_start(ring);
	napi_enable(&ring->napi);
	netif_tx_wake_queue(txq);

	WRITE_ONCE(priv->resets, priv->resets + 1);
	netdev_info(dev, "TX queue %u reset: %llu frames dropped\n", q,
		    after - before);
	tsnic_nl_notify_tx_reset(priv, q, after - before);
}

static void tsnic_reset_work(struct work_struct *work)
{
	struct tsnic_priv *priv = container_of(work, struct tsnic_priv,
					       reset_work);
	unsigned int q;

	rtnl_lock();
	for (q = 0; q < TSNIC_MAX_QUEUES; q++) {
		if (!test_and_clear_bit(q, priv->reset_queues))
			continue;
		/* a down device or a queue gone meanwhile was reset already */
		if (priv->up && q < priv->dev->real_num_tx_queues)
			tsnic_tx_queue_reset(priv, q);
	}
	rtnl_unlock();
}

/*
 * The stack's TX watchdog: queue @txqueue made no progress for
 * watchdog_timeo.  Timer context: the reset sleeps, so it is deferred.
 */
static void tsnic_tx_timeout(struct net_device *dev, unsigned int txqueue)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	struct tsnic_tx_ring *ring = &priv->tx[txqueue];

	netdev_warn(dev, "TX queue %u timed out: ntu %u ntc %u, resetting it\n",
		    txqueue, READ_ONCE(ring->next_to_use),
		    READ_ONCE(ring->next_to_clean));
	set_bit(txqueue, priv->reset_queues);
	schedule_work(&priv->reset_work);
}

static void tsnic_get_stats64(struct net_device *dev,
			      struct rtnl_link_stats64 *s)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	unsigned int q, start;

	for (q = 0; q < dev->num_tx_queues; q++) {
		struct tsnic_tx_ring *ring = &priv->tx[q];
		u64 pkts, bytes, dropped, busy;

		do {
			start = u64_stats_fetch_begin(&ring->cstats.syncp);
			pkts = u64_stats_read(&ring->cstats.packets);
			bytes = u64_stats_read(&ring->cstats.bytes);
			dropped = u64_stats_read(&ring->cstats.flushed) +
				  u64_stats_read(&ring->cstats.peer_drops);
		} while (u64_stats_fetch_retry(&ring->cstats.syncp, start));
		do {
			start = u64_stats_fetch_begin(&ring->xstats.syncp);
			busy = u64_stats_read(&ring->xstats.busy);
		} while (u64_stats_fetch_retry(&ring->xstats.syncp, start));
		s->tx_packets += pkts;
		s->tx_bytes += bytes;
		s->tx_dropped += dropped + busy;
	}
	for (q = 0; q < dev->num_rx_queues; q++) {
		struct tsnic_rx_ring *rx = &priv->rx[q];
		struct tsnic_rx_drop_counts d;
		u64 pkts, bytes, crc, nomem;

		do {
			start = u64_stats_fetch_begin(&rx->stats.syncp);
			pkts = u64_stats_read(&rx->stats.packets);
			bytes = u64_stats_read(&rx->stats.bytes);
			crc = u64_stats_read(&rx->stats.crc_errors);
			nomem = u64_stats_read(&rx->stats.nomem);
		} while (u64_stats_fetch_retry(&rx->stats.syncp, start));
		s->rx_packets += pkts;
		s->rx_bytes += bytes;
		s->rx_crc_errors += crc;
		s->rx_errors += crc;
		tsnic_rx_drops_read(rx, &d);
		s->rx_fifo_errors += d.full;
		s->rx_length_errors += d.length;
		s->rx_dropped += d.full + d.down + nomem;
		s->rx_errors += d.length;
	}
}

static int tsnic_get_iflink(const struct net_device *dev)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	struct tsnic_priv *peer;
	int iflink;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	/* unwired: our own index, as for a device with no lower link */
	iflink = READ_ONCE((peer ? peer->dev : dev)->ifindex);
	rcu_read_unlock();
	return iflink;
}

/* ---- device life (RTNL) ------------------------------------------------ */

/*
 * Take the NAPI contexts, which live in the queue arrays, off the device's
 * list and the NAPI hash, of a device that is not (or no longer) open.
 * RCU readers may still see them until a grace period has passed.  A
 * context never added, or deleted already, is skipped.
 */
static void tsnic_napi_del_all(struct tsnic_priv *priv)
{
	struct net_device *dev = priv->dev;
	unsigned int q;

	for (q = 0; priv->tx && q < dev->num_tx_queues; q++)
		__netif_napi_del(&priv->tx[q].napi);
	for (q = 0; priv->rx && q < dev->num_rx_queues; q++)
		__netif_napi_del(&priv->rx[q].napi);
}

/*
 * Free the queue arrays: their NAPI contexts deleted, and a grace period
 * passed since, so that no RCU reader (of the NAPI list or hash, or a
 * peer that found this device through the cable) is left in them.
 */
static void tsnic_queues_free(struct tsnic_priv *priv)
{
	kfree(priv->tx);
	kfree(priv->rx);
	priv->tx = NULL;
	priv->rx = NULL;
}

/* ---- the card (struct tsnic_card) ------------------------------------- */

static void tsnic_card_release(struct kref *ref)
{
	struct tsnic_card *card = container_of(ref, struct tsnic_card, ref);

	/* its ports' net_devices and its clock are out of sysfs: it goes */
	platform_device_unregister(card->pdev);
	kfree(card);
}

/* Drop a port's reference: in its destructor, or a failed ndo_init. */
static void tsnic_card_put(struct tsnic_card *card)
{
	kref_put(&card->ref, tsnic_card_release);
}

/*
 * A card of its own for @priv, its clock registered: in ndo_init, RTNL.
 * The oscillator's error is drawn within the module's bound.
 */
static int tsnic_card_create(struct tsnic_priv *priv)
{
	const struct tsnic_defaults *def = &tsnic_defaults;
	struct tsnic_card *card;
	s32 freq = 0;
	int err;

	card = kzalloc(sizeof(*card), GFP_KERNEL);
	if (!card)
		return -ENOMEM;
	kref_init(&card->ref);
	card->instance = priv->instance;
	card->pdev = platform_device_register_simple(TSNIC_DRV_NAME,
						     PLATFORM_DEVID_AUTO,
						     NULL, 0);
	if (IS_ERR(card->pdev)) {
		err = PTR_ERR(card->pdev);
		kfree(card);
		return err;
	}
	tsnic_gnss_init(card);
	if (def->freq_random_ppb)
		freq = (s32)(get_random_u32() % (2 * def->freq_random_ppb + 1)) -
		       (s32)def->freq_random_ppb;
	err = tsnic_phc_init(card, priv->dev->name, freq, def->wander_ppb,
			     def->jitter_ns);
	if (err) {
		netdev_err(priv->dev, "cannot register the PTP clock: %d\n",
			   err);
		tsnic_card_put(card);
		return err;
	}
	WRITE_ONCE(card->ports, 1);
	priv->card = card;
	return 0;
}

/* @priv becomes a port of @card: in ndo_init, RTNL. */
static int tsnic_card_join(struct tsnic_priv *priv, struct tsnic_card *card)
{
	ASSERT_RTNL();
	/* checked in newlink; a card whose last port went has no clock */
	if (!card->ports || card->ports >= TSNIC_CARD_PORTS_MAX)
		return -EBUSY;
	kref_get(&card->ref);
	WRITE_ONCE(card->ports, card->ports + 1);
	priv->card = card;
	return 0;
}

/*
 * @priv stops being a port of its card, in ndo_uninit (RTNL): the last
 * port stops the card's receiver, pins and clock.  The card itself stays
 * until the destructor's tsnic_card_put().
 */
static void tsnic_card_leave(struct tsnic_priv *priv)
{
	struct tsnic_card *card = priv->card;

	ASSERT_RTNL();
	tsnic_gnss_port_gone(priv);
	WRITE_ONCE(card->ports, card->ports - 1);
	if (card->ports)
		return;
	/* the receiver drives a pin of the clock: it goes first */
	tsnic_gnss_fini(card);
	tsnic_phc_fini(card);
}

static int tsnic_dev_init(struct net_device *dev)
{
	static atomic64_t instances = ATOMIC64_INIT(0);
	const struct tsnic_defaults *def = &tsnic_defaults;
	struct tsnic_priv *priv = netdev_priv(dev);
	unsigned int q;
	int err;

	priv->dev = dev;
	priv->instance = atomic64_inc_return(&instances);
	mutex_init(&priv->ring_lock);
	INIT_WORK(&priv->reset_work, tsnic_reset_work);
	tsnic_fault_init(priv);
	priv->cfg = def->cfg;

	/*
	 * A failed ndo_init is followed by neither ndo_uninit nor the
	 * destructor: what is allocated here is freed here on error.
	 */
	priv->tx = kcalloc(dev->num_tx_queues, sizeof(*priv->tx), GFP_KERNEL);
	priv->rx = kcalloc(dev->num_rx_queues, sizeof(*priv->rx), GFP_KERNEL);
	if (!priv->tx || !priv->rx) {
		err = -ENOMEM;
		goto err_free;
	}

	for (q = 0; q < dev->num_tx_queues; q++) {
		struct tsnic_tx_ring *ring = &priv->tx[q];

		ring->priv = priv;
		ring->dev = dev;
		ring->qid = q;
		u64_stats_init(&ring->xstats.syncp);
		u64_stats_init(&ring->cstats.syncp);
		tsnic_engine_init(ring);
		tsnic_tx_dim_init(ring);
		__skb_queue_head_init(&ring->cable.frames);
		netif_napi_add_tx(dev, &ring->napi, tsnic_tx_poll);
	}
	for (q = 0; q < dev->num_rx_queues; q++) {
		struct tsnic_rx_ring *rx = &priv->rx[q];

		rx->priv = priv;
		rx->qid = q;
		tsnic_rx_init(rx);
		netif_napi_add(dev, &rx->napi, tsnic_rx_poll);
	}

	tsnic_tsu_init(priv, def->ts_slots, def->ts_timeout_ms);
	if (priv->join)
		err = tsnic_card_join(priv, priv->join);
	else
		err = tsnic_card_create(priv);
	priv->join = NULL;
	if (err)
		goto err_free;
	SET_NETDEV_DEV(dev, &priv->card->pdev->dev);
	return 0;

err_free:
	tsnic_napi_del_all(priv);
	synchronize_net();
	tsnic_queues_free(priv);
	mutex_destroy(&priv->ring_lock);
	return err;
}

static void tsnic_dev_uninit(struct net_device *dev)
{
	struct tsnic_priv *priv = netdev_priv(dev);

	/*
	 * Closed already: no ring, no NAPI, no engine runs.  A pending
	 * watchdog reset is cancelled in the destructor, not here: it takes
	 * RTNL, which we hold, and finds the device down if it runs first.
	 */
	tsnic_cable_unplug(priv);
	tsnic_tsu_fini(priv);
	tsnic_card_leave(priv);
	/*
	 * Here rather than in the destructor: unregistration waits for RCU
	 * readers once after ndo_uninit (its second synchronize_net()), for
	 * every device of the batch at once.  That grace period covers these
	 * NAPIs and the cable just unplugged, so the destructor needs none
	 * of its own, which would cost one per device.
	 */
	tsnic_napi_del_all(priv);
}

/*
 * After the last reference (or a failed registration): ndo_uninit took
 * the NAPI contexts off the device's lists.  An unregistered device had
 * a grace period since (see tsnic_dev_uninit()); a failed registration
 * calls ndo_uninit and then us at once, so wait for one here.
 */
static void tsnic_dev_free(struct net_device *dev)
{
	struct tsnic_priv *priv = netdev_priv(dev);

	/* without RTNL here (or never scheduled, on a failed register) */
	cancel_work_sync(&priv->reset_work);
	if (dev->reg_state != NETREG_UNREGISTERED)
		synchronize_net();
	tsnic_queues_free(priv);
	/* taprio's destroy freed it, unless the qdisc never said goodbye */
	kfree(priv->gcl);
	/* the net_device is out of sysfs: our hold on its parent goes */
	if (priv->card)
		tsnic_card_put(priv->card);
	mutex_destroy(&priv->ring_lock);
}

const struct net_device_ops tsnic_netdev_ops = {
	.ndo_init		= tsnic_dev_init,
	.ndo_uninit		= tsnic_dev_uninit,
	.ndo_open		= tsnic_open,
	.ndo_stop		= tsnic_stop,
	.ndo_start_xmit		= tsnic_start_xmit,
	.ndo_get_stats64	= tsnic_get_stats64,
	.ndo_tx_timeout		= tsnic_tx_timeout,
	.ndo_setup_tc		= tsnic_setup_tc,
	.ndo_get_iflink		= tsnic_get_iflink,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
#ifdef TSNIC_HAVE_NDO_HWTSTAMP
	.ndo_hwtstamp_get	= tsnic_ndo_hwtstamp_get,
	.ndo_hwtstamp_set	= tsnic_ndo_hwtstamp_set,
#else
	.ndo_eth_ioctl		= tsnic_eth_ioctl,
#endif
};

#define TSNIC_FEATURES	(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO | \
			 NETIF_F_TSO6 | NETIF_F_TSO_ECN | NETIF_F_RXCSUM)

static void tsnic_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &tsnic_netdev_ops;
	dev->ethtool_ops = &tsnic_ethtool_ops;
	tsnic_set_stat_ops(dev);
	dev->needs_free_netdev = true;
	dev->priv_destructor = tsnic_dev_free;
	/* frames go on to the peer's stack: the skb must be ours alone */
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_DISABLE_NETPOLL;
	dev->hw_features = TSNIC_FEATURES;
	dev->features = TSNIC_FEATURES | NETIF_F_HIGHDMA;
	/* the TX offloads pass to VLAN devices on top; RXCSUM is ours */
	dev->vlan_features = TSNIC_FEATURES & ~NETIF_F_RXCSUM;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = TSNIC_MAX_MTU;
	dev->watchdog_timeo = 5 * HZ;
	eth_hw_addr_random(dev);
}

static int tsnic_validate(struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "invalid MAC address length");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "invalid MAC address");
			return -EADDRNOTAVAIL;
		}
	}
	if (tb[IFLA_NUM_TX_QUEUES] &&
	    nla_get_u32(tb[IFLA_NUM_TX_QUEUES]) > TSNIC_MAX_QUEUES) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_NUM_TX_QUEUES],
				    "tsnic supports at most 16 TX queues");
		return -EINVAL;
	}
	if (tb[IFLA_NUM_RX_QUEUES] &&
	    nla_get_u32(tb[IFLA_NUM_RX_QUEUES]) > TSNIC_MAX_QUEUES) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_NUM_RX_QUEUES],
				    "tsnic supports at most 16 RX queues");
		return -EINVAL;
	}
	return 0;
}

/*
 * IFLA_INFO_DATA's card-of: the card of tsnic device @ifindex of @net, to
 * be joined by a new device.  RTNL.
 */
static struct tsnic_card *tsnic_card_of(struct net *net, struct nlattr *attr,
					struct netlink_ext_ack *extack)
{
	struct net_device *other;
	struct tsnic_card *card;

	other = __dev_get_by_index(net, nla_get_u32(attr));
	if (!other) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "card-of: no such device");
		return ERR_PTR(-ENODEV);
	}
	if (!tsnic_is_tsnic(other)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "card-of: not a tsnic device");
		return ERR_PTR(-EINVAL);
	}
	card = ((struct tsnic_priv *)netdev_priv(other))->card;
	BUILD_BUG_ON(TSNIC_CARD_PORTS_MAX != 16);
	if (card->ports >= TSNIC_CARD_PORTS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "card-of: the card has 16 ports, the most it can have");
		return ERR_PTR(-EBUSY);
	}
	return card;
}

static int tsnic_newlink(struct net *src_net, struct net_device *dev,
			 struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	struct tsnic_priv *peer = NULL;
	int err;

	if (data && data[TSNIC_A_LINK_CARD_OF]) {
		struct tsnic_card *card;

		card = tsnic_card_of(src_net, data[TSNIC_A_LINK_CARD_OF],
				     extack);
		if (IS_ERR(card))
			return PTR_ERR(card);
		/* ndo_init joins it: no reference to drop if we fail first */
		priv->join = card;
	}
	if (tb[IFLA_LINK]) {
		struct net_device *link;

		link = __dev_get_by_index(src_net, nla_get_u32(tb[IFLA_LINK]));
		if (!link) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK],
					    "link device not found");
			return -ENODEV;
		}
		if (!tsnic_is_tsnic(link)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK],
					    "link device is not a tsnic device");
			return -EINVAL;
		}
		peer = netdev_priv(link);
		if (rtnl_dereference(peer->peer)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK],
					    "link device is already wired to another tsnic");
			return -EBUSY;
		}
	}

	err = register_netdevice(dev);
	if (err)
		return err;
	netif_carrier_off(dev);
	if (peer)
		tsnic_cable_plug(priv, peer);
	return 0;
}

static struct net *tsnic_get_link_net(const struct net_device *dev)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	struct tsnic_priv *peer = rtnl_dereference(priv->peer);

	return peer ? dev_net(peer->dev) : dev_net(dev);
}

/*
 * IFLA_INFO_DATA: what the kernel reports of a device (RTM_NEWLINK,
 * RTM_DELLINK).  priv->card and its platform device are constant until
 * the port is freed; the port count is read as a snapshot.
 */
static size_t tsnic_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u32)) +	/* TSNIC_A_LINK_CARD */
	       nla_total_size(sizeof(u32));	/* TSNIC_A_LINK_CARD_PORTS */
}

static int tsnic_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct tsnic_priv *priv = netdev_priv(dev);

	if (nla_put_u32(skb, TSNIC_A_LINK_CARD, priv->card->pdev->id) ||
	    nla_put_u32(skb, TSNIC_A_LINK_CARD_PORTS,
			READ_ONCE(priv->card->ports)))
		return -EMSGSIZE;
	return 0;
}

static const struct nla_policy tsnic_link_policy[TSNIC_A_LINK_MAX + 1] = {
	[TSNIC_A_LINK_CARD_OF]	= { .type = NLA_U32 },
	[TSNIC_A_LINK_CARD]	= { .type = NLA_REJECT,
				    .reject_message = "card: reported, not set (card-of)" },
	[TSNIC_A_LINK_CARD_PORTS] = { .type = NLA_REJECT,
				      .reject_message = "card-ports: reported, not set" },
};

static struct rtnl_link_ops tsnic_link_ops __read_mostly = {
	.kind		= TSNIC_DRV_NAME,
	.priv_size	= sizeof(struct tsnic_priv),
	.maxtype	= TSNIC_A_LINK_MAX,
	.policy		= tsnic_link_policy,
	.setup		= tsnic_setup,
	.validate	= tsnic_validate,
	.newlink	= tsnic_newlink,
	.get_link_net	= tsnic_get_link_net,
	.get_size	= tsnic_get_size,
	.fill_info	= tsnic_fill_info,
};

/**
 * tsnic_device_register() - register the link kind "tsnic"
 * @def: what new devices start with; copied
 *
 * Context: module init, process context.
 * Return: 0, or the error of rtnl_link_register().
 */
int tsnic_device_register(const struct tsnic_defaults *def)
{
	tsnic_defaults = *def;
	return rtnl_link_register(&tsnic_link_ops);
}

/**
 * tsnic_device_unregister() - unregister the link kind and its devices
 *
 * Every tsnic device, in every namespace, is unregistered first.
 *
 * Context: module exit, process context; takes RTNL.
 */
void tsnic_device_unregister(void)
{
	rtnl_link_unregister(&tsnic_link_ops);
}
