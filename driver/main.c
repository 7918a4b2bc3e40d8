// SPDX-License-Identifier: GPL-2.0
/*
 * tsnic: a virtual NIC with a simulated transmit engine.
 *
 * The device: link kind "tsnic", the cable between two devices, bring-up
 * and teardown of the rings, and the module's defaults.
 */

#include <linux/module.h>
#include <linux/etherdevice.h>
#include <linux/random.h>
#include <net/rtnetlink.h>

#include "tsnic.h"

/* Defaults for new devices; the netlink family changes them per device. */
static unsigned long rate;
module_param(rate, ulong, 0444);
MODULE_PARM_DESC(rate, "Line rate in bit/s of new devices (at most 800 Gbit/s, default 0: unlimited)");

static uint delay_ns;
module_param(delay_ns, uint, 0444);
MODULE_PARM_DESC(delay_ns, "Cable propagation delay in ns (at most 1 s, default 0)");

static uint tx_ring = TSNIC_RING_DEFAULT;
module_param(tx_ring, uint, 0444);
MODULE_PARM_DESC(tx_ring, "TX descriptors per queue (power of two, " __stringify(TSNIC_RING_MIN)
		 "-" __stringify(TSNIC_RING_MAX) ", default "
		 __stringify(TSNIC_RING_DEFAULT) ")");

static uint rx_ring = TSNIC_RING_DEFAULT;
module_param(rx_ring, uint, 0444);
MODULE_PARM_DESC(rx_ring, "RX ring size per queue in frames (power of two, "
		 __stringify(TSNIC_RING_MIN) "-" __stringify(TSNIC_RING_MAX) ", default "
		 __stringify(TSNIC_RING_DEFAULT) ")");

static uint tx_usecs = TSNIC_TX_USECS_DEFAULT;
module_param(tx_usecs, uint, 0444);
MODULE_PARM_DESC(tx_usecs, "TX interrupt moderation delay in us (0-" __stringify(TSNIC_TX_USECS_MAX)
		 ", default " __stringify(TSNIC_TX_USECS_DEFAULT) ")");

static uint tx_frames = TSNIC_TX_FRAMES_DEFAULT;
module_param(tx_frames, uint, 0444);
MODULE_PARM_DESC(tx_frames,
		 "TX interrupt after this many frames (0: off, max "
		 __stringify(TSNIC_TX_FRAMES_MAX) ", default "
		 __stringify(TSNIC_TX_FRAMES_DEFAULT) ")");

static uint ts_slots = TSNIC_TS_SLOTS_DEFAULT;
module_param(ts_slots, uint, 0444);
MODULE_PARM_DESC(ts_slots, "Hardware TX timestamp slots (1-"
		 __stringify(TSNIC_TS_SLOTS_MAX) ", default "
		 __stringify(TSNIC_TS_SLOTS_DEFAULT) ")");

static uint ts_timeout_ms = TSNIC_TS_TIMEOUT_DEFAULT_MS;
module_param(ts_timeout_ms, uint, 0444);
MODULE_PARM_DESC(ts_timeout_ms, "TX timestamp slot timeout in ms (1-"
		 __stringify(TSNIC_TS_TIMEOUT_MS_MAX) ", default "
		 __stringify(TSNIC_TS_TIMEOUT_DEFAULT_MS) ")");

static uint freq_random_ppb = TSNIC_FREQ_RANDOM_PPB_DEFAULT;
module_param(freq_random_ppb, uint, 0444);
MODULE_PARM_DESC(freq_random_ppb,
		 "Each new PHC gets a random frequency error within +-this (ppb, max "
		 __stringify(TSNIC_FREQ_PPB_MAX) ", default "
		 __stringify(TSNIC_FREQ_RANDOM_PPB_DEFAULT) ")");

static uint wander_ppb;
module_param(wander_ppb, uint, 0444);
MODULE_PARM_DESC(wander_ppb,
		 "PHC random-walk step per second in ppb (max " __stringify(TSNIC_WANDER_PPB_MAX)
		 ", default 0: off)");

static uint jitter_ns;
module_param(jitter_ns, uint, 0444);
MODULE_PARM_DESC(jitter_ns, "Hardware timestamp jitter, +-ns (max " __stringify(TSNIC_JITTER_NS_MAX)
		 ", default 0: off)");

static bool tsnic_is_ring_size(u32 n)
{
	return n >= TSNIC_RING_MIN && n <= TSNIC_RING_MAX && is_power_of_2(n);
}

/*
 * The parameters are the defaults of new devices: the same limits as the
 * netlink family's policies and ethtool's checks (uapi/linux/tsnic.h).
 */
static int tsnic_check_params(void)
{
	if (!tsnic_is_ring_size(tx_ring) || !tsnic_is_ring_size(rx_ring)) {
		pr_err("tx_ring and rx_ring must be powers of two in %d-%d\n",
		       TSNIC_RING_MIN, TSNIC_RING_MAX);
		return -EINVAL;
	}
	if (rate > TSNIC_RATE_BPS_MAX) {
		pr_err("rate must be at most %llu bit/s\n", (u64)TSNIC_RATE_BPS_MAX);
		return -EINVAL;
	}
	if (delay_ns > TSNIC_DELAY_NS_MAX || tx_usecs > TSNIC_TX_USECS_MAX ||
	    tx_frames > TSNIC_TX_FRAMES_MAX) {
		pr_err("delay_ns, tx_usecs or tx_frames out of range\n");
		return -EINVAL;
	}
	if (!ts_slots || ts_slots > TSNIC_TS_SLOTS_MAX || !ts_timeout_ms ||
	    ts_timeout_ms > TSNIC_TS_TIMEOUT_MS_MAX) {
		pr_err("ts_slots must be 1-%d and ts_timeout_ms 1-%d\n",
		       TSNIC_TS_SLOTS_MAX, TSNIC_TS_TIMEOUT_MS_MAX);
		return -EINVAL;
	}
	if (freq_random_ppb > TSNIC_FREQ_PPB_MAX ||
	    wander_ppb > TSNIC_WANDER_PPB_MAX || jitter_ns > TSNIC_JITTER_NS_MAX) {
		pr_err("freq_random_ppb, wander_ppb or jitter_ns out of range\n");
		return -EINVAL;
	}
	return 0;
}

static struct rtnl_link_ops tsnic_link_ops;

bool tsnic_is_tsnic(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &tsnic_link_ops;
}

/* ---- carrier and cable (RTNL) ------------------------------------------ */

static void tsnic_set_carrier(struct net_device *dev, bool on)
{
	if (on)
		netif_carrier_on(dev);
	else
		netif_carrier_off(dev);
}

/* Is @priv's cable pulled, at this end or the other?  RTNL. */
bool tsnic_cable_pulled(struct tsnic_priv *priv)
{
	struct tsnic_priv *peer = rtnl_dereference(priv->peer);

	return priv->faults.cable_pulled || (peer && peer->faults.cable_pulled);
}

/*
 * Carrier is up on both ends of a cable while both are up and the cable
 * is not pulled; an unwired device is connected to its sink, so it has
 * carrier whenever it is up and its cable is in.
 */
void tsnic_carrier_update(struct tsnic_priv *priv)
{
	struct tsnic_priv *peer = rtnl_dereference(priv->peer);
	bool on;

	ASSERT_RTNL();
	/* up, not merely running: a device whose restart failed has no rings */
	on = priv->up && !tsnic_cable_pulled(priv);
	if (!peer) {
		tsnic_set_carrier(priv->dev, on);
		return;
	}
	on = on && peer->up;
	tsnic_set_carrier(priv->dev, on);
	tsnic_set_carrier(peer->dev, on);
}

/* Fault: pull or plug the cable at @priv's end.  RTNL. */
void tsnic_cable_set_pulled(struct tsnic_priv *priv, bool pulled)
{
	struct tsnic_priv *peer = rtnl_dereference(priv->peer);

	ASSERT_RTNL();
	if (priv->faults.cable_pulled == pulled)
		return;
	WRITE_ONCE(priv->faults.cable_pulled, pulled);
	if (pulled)
		WRITE_ONCE(priv->faults.cable_pulls,
			   priv->faults.cable_pulls + 1);
	tsnic_carrier_update(priv);
	tsnic_nl_notify_cable(priv);
	if (peer)
		tsnic_nl_notify_cable(peer);
}

static void tsnic_cable_plug(struct tsnic_priv *a, struct tsnic_priv *b)
{
	ASSERT_RTNL();
	rcu_assign_pointer(a->peer, b);
	rcu_assign_pointer(b->peer, a);
	tsnic_carrier_update(a);
}

/* Unplug @priv's cable.  Readers that still see the peer finish under RCU. */
static void tsnic_cable_unplug(struct tsnic_priv *priv)
{
	struct tsnic_priv *peer = rtnl_dereference(priv->peer);

	if (!peer)
		return;
	RCU_INIT_POINTER(priv->peer, NULL);
	RCU_INIT_POINTER(peer->peer, NULL);
	tsnic_carrier_update(peer);
	tsnic_carrier_update(priv);
}

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
	for (q = 0; q < dev->num_tx_queues; q++)
		napi_disable(&priv->tx[q].napi);
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

/*
 * Apply ring sizes or queue counts: quiesce, reset the rings (and BQL),
 * restart.  Frames the engine had not sent are dropped and counted.  If
 * the new rings cannot be had, the old sizes and queue counts come back
 * and the error is returned; a device that cannot restart at all stays
 * without carrier (so without a TX watchdog) until the next
 * reconfiguration or down/up restarts it.
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
 * Free the queue arrays of a device that is not (or no longer) open.  The
 * NAPI contexts live in them: take those off the device's list and let
 * RCU readers of the list finish first.  A context never added is skipped.
 */
static void tsnic_queues_free(struct tsnic_priv *priv)
{
	struct net_device *dev = priv->dev;
	unsigned int q;

	for (q = 0; priv->tx && q < dev->num_tx_queues; q++)
		__netif_napi_del(&priv->tx[q].napi);
	for (q = 0; priv->rx && q < dev->num_rx_queues; q++)
		__netif_napi_del(&priv->rx[q].napi);
	synchronize_net();
	kfree(priv->tx);
	kfree(priv->rx);
	priv->tx = NULL;
	priv->rx = NULL;
}

/* After the net_device and the clock left sysfs, or a failed ndo_init. */
static void tsnic_card_free(struct tsnic_priv *priv)
{
	if (!priv->card)
		return;
	platform_device_unregister(priv->card);
	priv->card = NULL;
}

static int tsnic_dev_init(struct net_device *dev)
{
	static atomic64_t instances = ATOMIC64_INIT(0);
	struct tsnic_priv *priv = netdev_priv(dev);
	unsigned int q;
	int err;

	priv->dev = dev;
	priv->instance = atomic64_inc_return(&instances);
	mutex_init(&priv->ring_lock);
	INIT_WORK(&priv->reset_work, tsnic_reset_work);
	tsnic_fault_init(priv);
	priv->cfg = (struct tsnic_cfg) {
		.rate_bps = rate,
		.delay_ns = delay_ns,
		.tx_usecs = tx_usecs,
		.tx_frames = tx_frames,
		.tx_ring = tx_ring,
		.rx_ring = rx_ring,
	};

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
		netif_napi_add_tx(dev, &ring->napi, tsnic_tx_poll);
	}
	for (q = 0; q < dev->num_rx_queues; q++) {
		struct tsnic_rx_ring *rx = &priv->rx[q];

		rx->priv = priv;
		rx->qid = q;
		tsnic_rx_init(rx);
		netif_napi_add(dev, &rx->napi, tsnic_rx_poll);
	}

	priv->card = platform_device_register_simple(TSNIC_DRV_NAME,
						     PLATFORM_DEVID_AUTO,
						     NULL, 0);
	if (IS_ERR(priv->card)) {
		err = PTR_ERR(priv->card);
		priv->card = NULL;
		goto err_free;
	}
	SET_NETDEV_DEV(dev, &priv->card->dev);

	tsnic_tsu_init(priv, ts_slots, ts_timeout_ms);
	err = tsnic_phc_init(priv, &priv->card->dev, freq_random_ppb ?
			     (s32)(get_random_u32() % (2 * freq_random_ppb + 1)) -
			     (s32)freq_random_ppb : 0,
			     wander_ppb, jitter_ns);
	if (err) {
		netdev_err(dev, "cannot register the PTP clock: %d\n", err);
		goto err_free;
	}
	return 0;

err_free:
	tsnic_queues_free(priv);
	tsnic_card_free(priv);
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
	tsnic_phc_fini(priv);
}

/*
 * After the last reference (or a failed registration): the NAPI contexts
 * live in the queue arrays, so take them off the device's list, let RCU
 * readers of that list finish, then free.
 */
static void tsnic_dev_free(struct net_device *dev)
{
	struct tsnic_priv *priv = netdev_priv(dev);

	/* without RTNL here (or never scheduled, on a failed register) */
	cancel_work_sync(&priv->reset_work);
	tsnic_queues_free(priv);
	/* the net_device and the clock are out of sysfs: their parent goes */
	tsnic_card_free(priv);
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

static int tsnic_newlink(struct net *src_net, struct net_device *dev,
			 struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	struct tsnic_priv *peer = NULL;
	int err;

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

static struct rtnl_link_ops tsnic_link_ops __read_mostly = {
	.kind		= TSNIC_DRV_NAME,
	.priv_size	= sizeof(struct tsnic_priv),
	.setup		= tsnic_setup,
	.validate	= tsnic_validate,
	.newlink	= tsnic_newlink,
	.get_link_net	= tsnic_get_link_net,
};

static int __init tsnic_init(void)
{
	int err;

	err = tsnic_check_params();
	if (err)
		return err;
	/* /proc first: every device gets its entries */
	err = tsnic_proc_init();
	if (err)
		return err;
	err = rtnl_link_register(&tsnic_link_ops);
	if (err)
		goto err_proc;
	err = tsnic_nl_init();
	if (err)
		goto err_link;
	return 0;

err_link:
	rtnl_link_unregister(&tsnic_link_ops);
err_proc:
	tsnic_proc_exit();
	return err;
}

static void __exit tsnic_exit(void)
{
	/*
	 * Devices first, in every namespace: their timeout and reset works,
	 * cancelled as they go, may still send events to the family.
	 * Requests that come meanwhile find no device: a device found under
	 * RCU is unlisted and waited for before it is freed, one held by a
	 * ring dump is waited for too; dumps pin the module.
	 */
	rtnl_link_unregister(&tsnic_link_ops);
	tsnic_nl_exit();
	/* their /proc entries went with them: now the directories */
	tsnic_proc_exit();
}

module_init(tsnic_init);
module_exit(tsnic_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The tsnic developers");
MODULE_DESCRIPTION(TSNIC_DRV_DESC);
MODULE_VERSION(TSNIC_VERSION);
MODULE_ALIAS_RTNL_LINK(TSNIC_DRV_NAME);
MODULE_ALIAS_GENL_FAMILY(TSNIC_FAMILY_NAME);
