// SPDX-License-Identifier: GPL-2.0
/*
 * The counters: one table per kind (device, TX queue, RX queue), each
 * entry the counter's name in ethtool -S and /proc, its TSNIC_A_STATS_*
 * attribute and where it lives.  ethtool.c, /proc (through ethtool) and
 * netlink.c show what these tables list, in their order; a new counter is
 * a line here (and its field, its attribute and its line in
 * Documentation/tsnic.rst, which scripts/readme-check.sh compares with
 * these tables).
 *
 * Each reader returns one snapshot per source: the counters that share a
 * u64_stats_sync are read in one retry loop, those under a lock in one
 * critical section.  Readers may sleep on nothing: process or BH context.
 *
 * Layering: stats.c reads the data structures of tx.c, engine.c, rx.c and
 * tstamp.c and calls no other file; ethtool.c and netlink.c call it.
 */

#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>

#include "tsnic.h"

#define TSNIC_STAT(_name, _attr, _src, _type, _field) {			\
	.name	= _name,						\
	.attr	= TSNIC_A_STATS_##_attr,				\
	.src	= TSNIC_STAT_SRC_##_src,				\
	.offset	= offsetof(_type, _field),				\
}

/* Each field is a u64_stats_t in the syncp sources, a u64 in the others. */
#define TSU(n, a, f)	TSNIC_STAT(n, a, TSU, struct tsnic_tsu, f)
#define DEV(n, a, f)	TSNIC_STAT(n, a, DEV, struct tsnic_priv, f)
#define XMIT(n, a, f)	TSNIC_STAT(n, a, XMIT, struct tsnic_xmit_stats, f)
#define CLEAN(n, a, f)	TSNIC_STAT(n, a, CLEAN, struct tsnic_clean_stats, f)
#define ENGINE(n, a, f)	TSNIC_STAT(n, a, ENGINE, struct tsnic_engine, f)
#define RX(n, a, f)	TSNIC_STAT(n, a, RX, struct tsnic_rx_stats, f)
#define RXDROP(n, a, f)	TSNIC_STAT(n, a, RX_DROPS, struct tsnic_rx_drops, f)
#define TLATE(n, a, f)	TSNIC_STAT(n, a, TIMER_LATE, struct tsnic_late_hist, f)
#define NLATE(n, a, f)	TSNIC_STAT(n, a, NAPI_LATE, struct tsnic_late_hist, f)

/* Device-wide: the timestamp unit and the TX watchdog. */
static const struct tsnic_stat tsnic_dev_stat_list[] = {
	TSU("tx_hwtstamp_requested", TS_REQUESTED, requested),
	TSU("tx_hwtstamp_skipped", TS_SKIPPED, skipped),
	TSU("tx_hwtstamp_delivered", TS_DELIVERED, delivered),
	TSU("tx_hwtstamp_timeouts", TS_TIMEOUTS, timeouts),
	TSU("tx_hwtstamp_stale", TS_STALE, stale),
	TSU("tx_hwtstamp_flushed", TS_FLUSHED, flushed),
	TSU("tx_hwtstamp_pending", TS_PENDING, pending),
	TSU("tx_hwtstamp_onestep", TS_ONESTEP, onestep),
	TSU("tx_hwtstamp_onestep_err", TS_ONESTEP_ERR, onestep_err),
	DEV("tx_timeout_resets", TX_TIMEOUT_RESETS, resets),
};

/* Per TX queue: xmit, then completion (TX NAPI), then the engine. */
static const struct tsnic_stat tsnic_txq_stat_list[] = {
	XMIT("frames", TX_FRAMES, frames),
	XMIT("bytes_queued", TX_BYTES_QUEUED, bytes),
	XMIT("descs", TX_DESCS, descs),
	XMIT("doorbells", TX_DOORBELLS, doorbells),
	XMIT("stops", TX_STOPS, stops),
	XMIT("busy", TX_BUSY, busy),
	XMIT("hwtstamp_requested", TX_HWTSTAMP_REQUESTED, ts_requested),
	XMIT("launch", TX_LAUNCH, launch),
	CLEAN("completions", TX_COMPLETIONS, frames),
	CLEAN("packets", TX_PACKETS, packets),
	CLEAN("bytes", TX_BYTES, bytes),
	CLEAN("napi_polls", TX_NAPI_POLLS, polls),
	CLEAN("wakes", TX_WAKES, wakes),
	CLEAN("sink", TX_SINK, sink),
	CLEAN("peer_drops", TX_PEER_DROPS, peer_drops),
	CLEAN("flushed", TX_FLUSHED, flushed),
	ENGINE("engine_frames", TX_ENGINE_FRAMES, frames),
	ENGINE("irqs", TX_IRQS, irqs),
	ENGINE("launch_late", TX_LAUNCH_LATE, launch_late),
	ENGINE("launch_far", TX_LAUNCH_FAR, launch_far),
	ENGINE("cbs_waits", TX_CBS_WAITS, cbs_waits),
	ENGINE("window_drops", TX_WINDOW_DROPS, window_drops),
	ENGINE("lazy_latches", TX_LAZY_LATCHES, lazy_latches),
	TLATE("timer_late_1ms", TX_TIMER_LATE_1MS, over_1ms),
	TLATE("timer_late_max_ns", TX_TIMER_LATE_MAX_NS, max_ns),
	NLATE("napi_late_1ms", TX_NAPI_LATE_1MS, over_1ms),
	NLATE("napi_late_max_ns", TX_NAPI_LATE_MAX_NS, max_ns),
};

/* Per RX queue: RX NAPI, then the drops before NAPI saw the frame. */
static const struct tsnic_stat tsnic_rxq_stat_list[] = {
	RX("packets", RX_PACKETS, packets),
	RX("bytes", RX_BYTES, bytes),
	RX("napi_polls", RX_NAPI_POLLS, polls),
	RX("hwtstamps", RX_HWTSTAMPS, hwtstamps),
	RX("crc_errors", RX_CRC_ERRORS, crc_errors),
	RX("drops_nomem", RX_DROPS_NOMEM, nomem),
	RXDROP("drops_full", RX_DROPS_FULL, full),
	RXDROP("drops_down", RX_DROPS_DOWN, down),
	RXDROP("drops_length", RX_DROPS_LENGTH, length),
};

static_assert(ARRAY_SIZE(tsnic_dev_stat_list) <= TSNIC_STATS_TABLE_MAX);
static_assert(ARRAY_SIZE(tsnic_txq_stat_list) <= TSNIC_STATS_TABLE_MAX);
static_assert(ARRAY_SIZE(tsnic_rxq_stat_list) <= TSNIC_STATS_TABLE_MAX);

const struct tsnic_stat_table tsnic_dev_stats = {
	.stats	= tsnic_dev_stat_list,
	.n	= ARRAY_SIZE(tsnic_dev_stat_list),
};

const struct tsnic_stat_table tsnic_txq_stats = {
	.stats	= tsnic_txq_stat_list,
	.n	= ARRAY_SIZE(tsnic_txq_stat_list),
};

const struct tsnic_stat_table tsnic_rxq_stats = {
	.stats	= tsnic_rxq_stat_list,
	.n	= ARRAY_SIZE(tsnic_rxq_stat_list),
};

/*
 * The counters of @t that live in @src, whose struct is at @base: one
 * snapshot of u64_stats_t counters written under @syncp.
 */
static void tsnic_stats_fetch(const struct tsnic_stat_table *t,
			      enum tsnic_stat_src src, const void *base,
			      const struct u64_stats_sync *syncp, u64 *v)
{
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(syncp);
		for (i = 0; i < t->n; i++)
			if (t->stats[i].src == src)
				v[i] = u64_stats_read(base + t->stats[i].offset);
	} while (u64_stats_fetch_retry(syncp, start));
}

/*
 * The counters of @t that live in @src, plain u64 at @base: under the
 * lock that protects them (held by the caller), or written with
 * WRITE_ONCE().
 */
static void tsnic_stats_copy(const struct tsnic_stat_table *t,
			     enum tsnic_stat_src src, const void *base, u64 *v)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->stats[i].src == src)
			v[i] = READ_ONCE(*(const u64 *)(base + t->stats[i].offset));
}

/**
 * tsnic_dev_stats_read() - read the device-wide counters
 * @priv: the device
 * @v: tsnic_dev_stats.n values, filled in the table's order
 *
 * Context: process or BH context; takes the timestamp unit's lock.
 */
void tsnic_dev_stats_read(struct tsnic_priv *priv, u64 *v)
{
	const struct tsnic_stat_table *t = &tsnic_dev_stats;

	spin_lock_bh(&priv->tsu.lock);
	tsnic_stats_copy(t, TSNIC_STAT_SRC_TSU, &priv->tsu, v);
	spin_unlock_bh(&priv->tsu.lock);
	tsnic_stats_copy(t, TSNIC_STAT_SRC_DEV, priv, v);
}

/**
 * tsnic_txq_stats_read() - read the counters of one TX queue
 * @ring: the queue (any queue of the device, in use or not)
 * @v: tsnic_txq_stats.n values, filled in the table's order
 *
 * Context: process or BH context; takes the engine's lock.
 */
void tsnic_txq_stats_read(struct tsnic_tx_ring *ring, u64 *v)
{
	const struct tsnic_stat_table *t = &tsnic_txq_stats;

	tsnic_stats_fetch(t, TSNIC_STAT_SRC_XMIT, &ring->xstats,
			  &ring->xstats.syncp, v);
	tsnic_stats_fetch(t, TSNIC_STAT_SRC_CLEAN, &ring->cstats,
			  &ring->cstats.syncp, v);
	spin_lock_bh(&ring->eng.lock);
	tsnic_stats_copy(t, TSNIC_STAT_SRC_ENGINE, &ring->eng, v);
	spin_unlock_bh(&ring->eng.lock);
	tsnic_stats_fetch(t, TSNIC_STAT_SRC_TIMER_LATE, &ring->eng.timer_late,
			  &ring->eng.timer_late.syncp, v);
	tsnic_stats_fetch(t, TSNIC_STAT_SRC_NAPI_LATE, &ring->eng.napi_late,
			  &ring->eng.napi_late.syncp, v);
}

/**
 * tsnic_rxq_stats_read() - read the counters of one RX queue
 * @rx: the queue (any queue of the device, in use or not)
 * @v: tsnic_rxq_stats.n values, filled in the table's order
 *
 * Context: any context but hard IRQ (see struct tsnic_rx_drops); takes
 * no lock.
 */
void tsnic_rxq_stats_read(struct tsnic_rx_ring *rx, u64 *v)
{
	const struct tsnic_stat_table *t = &tsnic_rxq_stats;

	tsnic_stats_fetch(t, TSNIC_STAT_SRC_RX, &rx->stats, &rx->stats.syncp,
			  v);
	tsnic_stats_fetch(t, TSNIC_STAT_SRC_RX_DROPS, &rx->drops,
			  &rx->drops.syncp, v);
}
