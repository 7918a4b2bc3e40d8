// SPDX-License-Identifier: GPL-2.0
/*
 * Per-queue statistics for the netdev netlink family (qstats-get), on
 * kernels that have netdev_stat_ops.  Active queues report their own
 * counters; queues beyond the active channel count report through the base
 * statistics, so base + queues add up to ndo_get_stats64.
 */

#include "tsnic.h"

#ifdef TSNIC_HAVE_STAT_OPS

static void tsnic_qstat_tx(struct tsnic_tx_ring *ring,
			   struct netdev_queue_stats_tx *tx)
{
	u64 packets, bytes, drops, wakes, stops;
	unsigned int start;

	/* read into locals: a retried snapshot must not be added twice */
	do {
		start = u64_stats_fetch_begin(&ring->cstats.syncp);
		packets = u64_stats_read(&ring->cstats.packets);
		bytes = u64_stats_read(&ring->cstats.bytes);
		drops = u64_stats_read(&ring->cstats.flushed) +
			u64_stats_read(&ring->cstats.peer_drops);
		wakes = u64_stats_read(&ring->cstats.wakes);
	} while (u64_stats_fetch_retry(&ring->cstats.syncp, start));
	do {
		start = u64_stats_fetch_begin(&ring->xstats.syncp);
		stops = u64_stats_read(&ring->xstats.stops);
	} while (u64_stats_fetch_retry(&ring->xstats.syncp, start));
	tx->packets += packets;
	tx->bytes += bytes;
	tx->hw_drops += drops;
	tx->wake += wakes;
	tx->stop += stops;
}

static void tsnic_qstat_rx(struct tsnic_rx_ring *rx,
			   struct netdev_queue_stats_rx *stats)
{
	struct tsnic_rx_drop_counts d;
	u64 packets, bytes, crc;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&rx->stats.syncp);
		packets = u64_stats_read(&rx->stats.packets);
		bytes = u64_stats_read(&rx->stats.bytes);
		crc = u64_stats_read(&rx->stats.crc_errors);
	} while (u64_stats_fetch_retry(&rx->stats.syncp, start));
	stats->packets += packets;
	stats->bytes += bytes;
	tsnic_rx_drops_read(rx, &d);
	/*
	 * Every frame the queue took and did not deliver, errors included:
	 * those RX NAPI dropped for a bad FCS too.
	 */
	stats->hw_drops += d.full + d.down + d.length + crc;
	stats->hw_drop_overruns += d.full;
}

static void tsnic_zero_tx(struct netdev_queue_stats_tx *tx)
{
	tx->packets = 0;
	tx->bytes = 0;
	tx->hw_drops = 0;
	tx->stop = 0;
	tx->wake = 0;
}

static void tsnic_zero_rx(struct netdev_queue_stats_rx *rx)
{
	rx->packets = 0;
	rx->bytes = 0;
	rx->hw_drops = 0;
	rx->hw_drop_overruns = 0;
}

static void tsnic_get_queue_stats_tx(struct net_device *dev, int idx,
				     struct netdev_queue_stats_tx *tx)
{
	struct tsnic_priv *priv = netdev_priv(dev);

	tsnic_zero_tx(tx);
	tsnic_qstat_tx(&priv->tx[idx], tx);
}

static void tsnic_get_queue_stats_rx(struct net_device *dev, int idx,
				     struct netdev_queue_stats_rx *rx)
{
	struct tsnic_priv *priv = netdev_priv(dev);

	tsnic_zero_rx(rx);
	tsnic_qstat_rx(&priv->rx[idx], rx);
}

static void tsnic_get_base_stats(struct net_device *dev,
				 struct netdev_queue_stats_rx *rx,
				 struct netdev_queue_stats_tx *tx)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	unsigned int q;

	tsnic_zero_tx(tx);
	tsnic_zero_rx(rx);
	for (q = dev->real_num_tx_queues; q < dev->num_tx_queues; q++)
		tsnic_qstat_tx(&priv->tx[q], tx);
	for (q = dev->real_num_rx_queues; q < dev->num_rx_queues; q++)
		tsnic_qstat_rx(&priv->rx[q], rx);
}

static const struct netdev_stat_ops tsnic_stat_ops = {
	.get_queue_stats_tx	= tsnic_get_queue_stats_tx,
	.get_queue_stats_rx	= tsnic_get_queue_stats_rx,
	.get_base_stats		= tsnic_get_base_stats,
};

/**
 * tsnic_set_stat_ops() - give a device the per-queue statistics ops
 * @dev: the tsnic device, being set up
 *
 * Context: rtnl_link_ops setup.
 */
void tsnic_set_stat_ops(struct net_device *dev)
{
	dev->stat_ops = &tsnic_stat_ops;
}

#endif /* TSNIC_HAVE_STAT_OPS */
