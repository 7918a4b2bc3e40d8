// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool: driver info, timestamping capabilities, rings, channels,
 * coalescing, link settings and the counters.
 */

#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "tsnic.h"

static void tsnic_get_drvinfo(struct net_device *dev,
			      struct ethtool_drvinfo *info)
{
	strscpy(info->driver, TSNIC_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, TSNIC_VERSION, sizeof(info->version));
	strscpy(info->bus_info, "virtual", sizeof(info->bus_info));
}

static int tsnic_get_ts_info(struct net_device *dev, struct tsnic_ts_info *info)
{
	struct tsnic_priv *priv = netdev_priv(dev);

	/* skb_tx_timestamp() in xmit; software RX as compat.h says */
	info->so_timestamping = SOF_TIMESTAMPING_TX_SOFTWARE |
				TSNIC_SOF_SW_RX |
				SOF_TIMESTAMPING_TX_HARDWARE |
				SOF_TIMESTAMPING_RX_HARDWARE |
				SOF_TIMESTAMPING_RAW_HARDWARE;
	info->phc_index = tsnic_phc_index(priv->card);
	tsnic_ts_caps(priv, &info->tx_types, &info->rx_filters);
	return 0;
}

#ifdef TSNIC_HAVE_TS_STATS
static void tsnic_get_ts_stats(struct net_device *dev,
			       struct ethtool_ts_stats *ts)
{
	struct tsnic_tsu *tsu = &((struct tsnic_priv *)netdev_priv(dev))->tsu;

	spin_lock_bh(&tsu->lock);
	ts->pkts = tsu->delivered;
	ts->lost = tsu->timeouts;
	ts->err = tsu->skipped + tsu->stale;
	spin_unlock_bh(&tsu->lock);
}
#endif

static void tsnic_get_ringparam(struct net_device *dev,
				struct ethtool_ringparam *ring,
				struct kernel_ethtool_ringparam *kring,
				struct netlink_ext_ack *extack)
{
	struct tsnic_priv *priv = netdev_priv(dev);

	ring->tx_max_pending = TSNIC_RING_MAX;
	ring->rx_max_pending = TSNIC_RING_MAX;
	ring->tx_pending = priv->cfg.tx_ring;
	ring->rx_pending = priv->cfg.rx_ring;
}

static int tsnic_set_ringparam(struct net_device *dev,
			       struct ethtool_ringparam *ring,
			       struct kernel_ethtool_ringparam *kring,
			       struct netlink_ext_ack *extack)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	struct tsnic_cfg cfg = priv->cfg;

	if (ring->tx_pending < TSNIC_RING_MIN || ring->rx_pending < TSNIC_RING_MIN) {
		NL_SET_ERR_MSG_MOD(extack, "rings need at least "
				   __stringify(TSNIC_RING_MIN) " entries");
		return -EINVAL;
	}
	if (!is_power_of_2(ring->tx_pending) || !is_power_of_2(ring->rx_pending)) {
		NL_SET_ERR_MSG_MOD(extack, "ring sizes must be powers of two");
		return -EINVAL;
	}
	if (ring->tx_pending == cfg.tx_ring && ring->rx_pending == cfg.rx_ring)
		return 0;
	cfg.tx_ring = ring->tx_pending;
	cfg.rx_ring = ring->rx_pending;
	return tsnic_reconfigure(priv, &cfg, dev->real_num_tx_queues,
				 dev->real_num_rx_queues);
}

static void tsnic_get_channels(struct net_device *dev,
			       struct ethtool_channels *ch)
{
	ch->max_tx = dev->num_tx_queues;
	ch->max_rx = dev->num_rx_queues;
	ch->tx_count = dev->real_num_tx_queues;
	ch->rx_count = dev->real_num_rx_queues;
}

static int tsnic_set_channels(struct net_device *dev,
			      struct ethtool_channels *ch)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	struct tsnic_cfg cfg = priv->cfg;
	int err;

	if (!ch->tx_count || !ch->rx_count || ch->combined_count ||
	    ch->other_count)
		return -EINVAL;
	if (ch->tx_count == dev->real_num_tx_queues &&
	    ch->rx_count == dev->real_num_rx_queues)
		return 0;
	err = tsnic_tc_channels_check(dev, ch->tx_count);
	if (err)
		return err;
	return tsnic_reconfigure(priv, &cfg, ch->tx_count, ch->rx_count);
}

static int tsnic_get_coalesce(struct net_device *dev,
			      struct ethtool_coalesce *ec,
			      struct kernel_ethtool_coalesce *kec,
			      struct netlink_ext_ack *extack)
{
	struct tsnic_priv *priv = netdev_priv(dev);

	ec->tx_coalesce_usecs = priv->cfg.tx_usecs;
	ec->tx_max_coalesced_frames = priv->cfg.tx_frames;
	ec->use_adaptive_tx_coalesce = priv->cfg.adaptive_tx;
	return 0;
}

static int tsnic_set_coalesce(struct net_device *dev,
			      struct ethtool_coalesce *ec,
			      struct kernel_ethtool_coalesce *kec,
			      struct netlink_ext_ack *extack)
{
	struct tsnic_priv *priv = netdev_priv(dev);

	if (ec->tx_coalesce_usecs > TSNIC_TX_USECS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "tx-usecs is at most " __stringify(TSNIC_TX_USECS_MAX));
		return -ERANGE;
	}
	if (ec->tx_max_coalesced_frames > TSNIC_TX_FRAMES_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "tx-frames is at most "
				   __stringify(TSNIC_TX_FRAMES_MAX));
		return -ERANGE;
	}
	/* with adaptive-tx on, these wait until it is turned off */
	WRITE_ONCE(priv->cfg.tx_usecs, ec->tx_coalesce_usecs);
	WRITE_ONCE(priv->cfg.tx_frames, ec->tx_max_coalesced_frames);
	WRITE_ONCE(priv->cfg.adaptive_tx, !!ec->use_adaptive_tx_coalesce);
	return 0;
}

static int tsnic_get_link_ksettings(struct net_device *dev,
				    struct ethtool_link_ksettings *ks)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	u64 rate = READ_ONCE(priv->cfg.rate_bps);

	ethtool_link_ksettings_zero_link_mode(ks, supported);
	ethtool_link_ksettings_zero_link_mode(ks, advertising);
	ks->base.speed = rate ? DIV_ROUND_UP_ULL(rate, 1000000) : SPEED_UNKNOWN;
	ks->base.duplex = DUPLEX_FULL;
	ks->base.port = PORT_OTHER;
	ks->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

/* ---- counters (the tables are in stats.c) ------------------------------ */

/* Fault injection, in enum tsnic_fault order, then the cable pulls. */
static const char * const tsnic_fstats[] = {
	"fault_ts_drop_fired",
	"fault_ts_delay_fired",
	"fault_ts_reorder_fired",
	"fault_cable_drop_fired",
	"fault_cable_corrupt_fired",
	"fault_cable_delay_fired",
	"fault_stall_fired",
	"fault_gnss_fix_fired",
	"fault_cable_pulls",
};

static int tsnic_get_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return tsnic_dev_stats.n + ARRAY_SIZE(tsnic_fstats) +
	       dev->num_tx_queues * tsnic_txq_stats.n +
	       dev->num_rx_queues * tsnic_rxq_stats.n;
}

static void tsnic_get_strings(struct net_device *dev, u32 sset, u8 *p)
{
	unsigned int q, i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < tsnic_dev_stats.n; i++)
		ethtool_puts(&p, tsnic_dev_stats.stats[i].name);
	for (i = 0; i < ARRAY_SIZE(tsnic_fstats); i++)
		ethtool_puts(&p, tsnic_fstats[i]);
	for (q = 0; q < dev->num_tx_queues; q++)
		for (i = 0; i < tsnic_txq_stats.n; i++)
			ethtool_sprintf(&p, "tx_queue_%u_%s", q,
					tsnic_txq_stats.stats[i].name);
	for (q = 0; q < dev->num_rx_queues; q++)
		for (i = 0; i < tsnic_rxq_stats.n; i++)
			ethtool_sprintf(&p, "rx_queue_%u_%s", q,
					tsnic_rxq_stats.stats[i].name);
}

static void tsnic_get_ethtool_stats(struct net_device *dev,
				    struct ethtool_stats *stats, u64 *data)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	unsigned int q;

	tsnic_dev_stats_read(priv, data);
	data += tsnic_dev_stats.n;

	BUILD_BUG_ON(ARRAY_SIZE(tsnic_fstats) != TSNIC_FAULT_NUM + 1);
	tsnic_fault_counters(&priv->faults, data);
	data += TSNIC_FAULT_NUM;
	*data++ = READ_ONCE(priv->faults.cable_pulls);

	for (q = 0; q < dev->num_tx_queues; q++) {
		tsnic_txq_stats_read(&priv->tx[q], data);
		data += tsnic_txq_stats.n;
	}
	for (q = 0; q < dev->num_rx_queues; q++) {
		tsnic_rxq_stats_read(&priv->rx[q], data);
		data += tsnic_rxq_stats.n;
	}
}

const struct ethtool_ops tsnic_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_TX_USECS |
				     ETHTOOL_COALESCE_TX_MAX_FRAMES |
				     ETHTOOL_COALESCE_USE_ADAPTIVE_TX,
	.get_drvinfo		= tsnic_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_ts_info		= tsnic_get_ts_info,
#ifdef TSNIC_HAVE_TS_STATS
	.get_ts_stats		= tsnic_get_ts_stats,
#endif
	.get_ringparam		= tsnic_get_ringparam,
	.set_ringparam		= tsnic_set_ringparam,
	.get_channels		= tsnic_get_channels,
	.set_channels		= tsnic_set_channels,
	.get_coalesce		= tsnic_get_coalesce,
	.set_coalesce		= tsnic_set_coalesce,
	.get_link_ksettings	= tsnic_get_link_ksettings,
	.get_sset_count		= tsnic_get_sset_count,
	.get_strings		= tsnic_get_strings,
	.get_ethtool_stats	= tsnic_get_ethtool_stats,
};
