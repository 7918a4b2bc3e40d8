// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's transmit path: ndo_start_xmit fills descriptors and rings the
 * doorbell; the TX NAPI poll cleans what the engine wrote back, reports BQL
 * completions, delivers deferred hardware timestamps, hands frames to the
 * cable and wakes the queue.
 */

#include <linux/error-injection.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "tsnic.h"

/* A new generation of @ring: TX NAPI, or control with NAPI disabled. */
static void tsnic_tx_gen_bump(struct tsnic_tx_ring *ring)
{
	u32 gen = ring->gen + 1;

	WRITE_ONCE(ring->gen, gen ?: 1);
}

static void tsnic_xstats_inc(struct tsnic_tx_ring *ring, u64_stats_t *c)
{
	u64_stats_update_begin(&ring->xstats.syncp);
	u64_stats_inc(c);
	u64_stats_update_end(&ring->xstats.syncp);
}

/**
 * tsnic_start_xmit() - put one skb on its TX queue's ring
 * @skb: the frame; ours from here on, whatever the result
 * @dev: the tsnic device
 *
 * Maps the skb to descriptors, takes a timestamp slot if it asks for one,
 * rings the engine's doorbell and stops the queue when the ring is nearly
 * full.
 *
 * Context: ndo_start_xmit: BH disabled, the queue's __netif_tx_lock held.
 * Return: NETDEV_TX_OK (a frame that cannot be placed is dropped and
 * counted).
 */
netdev_tx_t tsnic_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	u16 qid = skb_get_queue_mapping(skb);
	struct tsnic_tx_ring *ring = &priv->tx[qid];
	struct netdev_queue *txq = netdev_get_tx_queue(dev, qid);
	struct skb_shared_info *shinfo;
	u32 mask = ring->count - 1;
	u32 first = ring->next_to_use;
	int onestep = TSNIC_ONESTEP_NONE;
	u16 ptp_off = 0;
	u32 nr_frags;
	struct tsnic_tx_desc *desc;
	struct tsnic_tx_buf *buf;
	u32 i = first, f, bytecount;
	u16 segs = 1, hdr_len = 0, flags = TSNIC_TXD_SOP;
	u32 cookie = 0;
	int slot = -1;

	/* first: it may reallocate the head (and skb_shared_info) */
	if (unlikely(tsnic_ts_onestep_on(READ_ONCE(priv->tsu.tx_type)))) {
		onestep = tsnic_ts_onestep_prepare(priv, skb, &ptp_off);
		if (unlikely(onestep < 0)) {
			/* frames queued under xmit_more must not wait */
			tsnic_engine_doorbell(ring, ring->next_to_use);
			dev_kfree_skb_any(skb);
			return NETDEV_TX_OK;
		}
	}
	shinfo = skb_shinfo(skb);
	nr_frags = shinfo->nr_frags;

	/*
	 * The stop below keeps TSNIC_DESC_NEEDED descriptors free for the
	 * next skb, so this cannot happen.  If it does, drop the skb (and
	 * count it): stopping here, without the barrier and re-check of
	 * netif_txq_maybe_stop(), could miss the wake and stall the queue.
	 */
	if (WARN_ON_ONCE(tsnic_desc_unused(ring) < nr_frags + 1)) {
		/* frames queued under xmit_more must not wait for a doorbell */
		tsnic_engine_doorbell(ring, ring->next_to_use);
		tsnic_xstats_inc(ring, &ring->xstats.busy);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}

	if (skb_is_gso(skb)) {
		/* TCP only: tsnic offers no UDP segmentation */
		hdr_len = skb_tcp_all_headers(skb);
		segs = shinfo->gso_segs;
		flags |= TSNIC_TXD_TSO;
		bytecount = skb->len + (segs - 1) * hdr_len;
	} else {
		bytecount = max_t(u32, skb->len, ETH_ZLEN);
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		flags |= TSNIC_TXD_CSUM;
	/*
	 * ETF offload: skb->tstamp is the launch time, CLOCK_TAI, which the
	 * engine reads against the PHC (kept on TAI by its servo), as igc
	 * does.  Frames without one go as soon as they can.
	 */
	if (unlikely(READ_ONCE(ring->launch)) && skb->tstamp)
		flags |= TSNIC_TXD_LAUNCH;

	/*
	 * A hardware timestamp takes a slot of the timestamp unit; mark the
	 * skb in progress before skb_tx_timestamp() so the software stamp is
	 * not also taken unless the socket asked for both.
	 */
	if (unlikely(shinfo->tx_flags & SKBTX_HW_TSTAMP) && !onestep) {
		slot = tsnic_tsu_request(priv, skb, &cookie);
		if (slot >= 0)
			flags |= TSNIC_TXD_TSTAMP;
	}

	buf = &ring->buf[first];
	buf->skb = skb;
	buf->skb_len = skb->len;
	buf->bytecount = bytecount;
	buf->gso_segs = segs;
	buf->ts_slot = slot;
	buf->ts_cookie = cookie;

	desc = &ring->desc[i];
	desc->len = skb_headlen(skb);
	desc->flags = flags;
	desc->mss = shinfo->gso_size;
	desc->hdr_len = hdr_len;
	desc->segs = segs;
	desc->launch = ktime_to_ns(skb->tstamp);
	desc->onestep = onestep;
	desc->ptp_off = ptp_off;
	desc->status = 0;

	for (f = 0; f < nr_frags; f++) {
		i = (i + 1) & mask;
		desc = &ring->desc[i];
		desc->len = skb_frag_size(&shinfo->frags[f]);
		desc->flags = 0;
		desc->status = 0;
	}
	desc->flags |= TSNIC_TXD_EOP;
	buf->eop = i;
	/* the frame is complete: let the cleaner see it */
	smp_store_release(&buf->next_to_watch, desc);

	u64_stats_update_begin(&ring->xstats.syncp);
	u64_stats_inc(&ring->xstats.frames);
	u64_stats_add(&ring->xstats.bytes, bytecount);
	u64_stats_add(&ring->xstats.descs, nr_frags + 1);
	if (slot >= 0)
		u64_stats_inc(&ring->xstats.ts_requested);
	if (flags & TSNIC_TXD_LAUNCH)
		u64_stats_inc(&ring->xstats.launch);
	u64_stats_update_end(&ring->xstats.syncp);

	/* software TX timestamp: the last moment before the hardware owns it */
	skb_tx_timestamp(skb);

	/* publish next_to_use before the stop check reads the free count */
	WRITE_ONCE(ring->next_to_use, (i + 1) & mask);

	/*
	 * 0: stopped; -1: stopped, then restarted at once because a
	 * completion freed descriptors meanwhile (no wake follows, so it is
	 * not counted and stops pair with wakes; only a completion that
	 * woke the queue in that very window counts a wake of its own);
	 * 1: not stopped.
	 */
	if (!netif_txq_maybe_stop(txq, tsnic_desc_unused(ring),
				  TSNIC_DESC_NEEDED, TSNIC_DESC_NEEDED))
		tsnic_xstats_inc(ring, &ring->xstats.stops);

	/*
	 * Ring the doorbell once per batch: BQL tells whether the stack has
	 * more for us right now (and forces it when the queue stopped).
	 */
	if (__netdev_tx_sent_queue(txq, bytecount, netdev_xmit_more())) {
		tsnic_xstats_inc(ring, &ring->xstats.doorbells);
		tsnic_engine_doorbell(ring, ring->next_to_use);
	}
	return NETDEV_TX_OK;
}

/* Complete one frame the engine wrote back.  TX NAPI (or flush) context. */
static void tsnic_tx_complete(struct tsnic_tx_ring *ring,
			      struct tsnic_tx_buf *buf,
			      const struct tsnic_tx_desc *eop, u32 status)
{
	struct tsnic_priv *priv = ring->priv;
	struct sk_buff *skb = buf->skb;

	/* dropped by the engine (taprio): no timestamp, nothing to deliver */
	if (unlikely(status & TSNIC_TXD_DROP)) {
		if (buf->ts_slot >= 0)
			tsnic_tsu_cancel(priv, buf->ts_slot, buf->ts_cookie);
		buf->ts_slot = -1;
		buf->skb = NULL;
		dev_kfree_skb_any(skb);
		return;
	}
	/*
	 * A frame the engine sent without a timestamp leaves its slot
	 * pending: the timestamp unit reclaims it after its timeout, as
	 * hardware that lost a timestamp would make the driver do.
	 */
	if (buf->ts_slot >= 0 && (status & TSNIC_TXD_TS_VALID))
		tsnic_tsu_complete(priv, buf->ts_slot, buf->ts_cookie,
				   eop->tstamp);
	buf->ts_slot = -1;
	buf->skb = NULL;
	tsnic_wire_deliver(ring, skb, eop->depart);
}

/**
 * tsnic_tx_poll() - TX NAPI: clean the frames the engine has written back
 * @napi: the TX queue's NAPI context
 * @budget: the NAPI budget (0 from netpoll)
 *
 * Completes sent frames (BQL, counters, timestamps), hands them to the
 * cable, and wakes the queue once there is room again.
 *
 * Context: softirq, single instance per queue.
 * Return: the work done, as napi_complete_done() expects.
 */
int tsnic_tx_poll(struct napi_struct *napi, int budget)
{
	struct tsnic_tx_ring *ring = container_of(napi, struct tsnic_tx_ring, napi);
	struct netdev_queue *txq = netdev_get_tx_queue(ring->dev, ring->qid);
	u32 ntc = ring->next_to_clean;
	u32 mask = ring->count - 1;
	u32 frames = 0, pkts = 0, bytes = 0;
	u32 reported;
	int work = 0;
	u64 irqs = 0;

	/*
	 * The engine's events come this way; then what it has reported.
	 * netpoll (budget 0) may call with IRQs off, even from inside a
	 * section holding the engine lock: it only reads the mark.
	 */
	if (likely(budget))
		reported = tsnic_engine_poll(ring, &irqs);
	else
		reported = READ_ONCE(ring->eng.reported);

	/*
	 * Clean at most @budget frames (a budget of 0 comes from netpoll: TX
	 * cleaning is still allowed, one ring's worth at most), and none the
	 * engine has not reported: moderation decides when they are seen.
	 * The peer the cable batch goes to lives until the flush below.
	 */
	rcu_read_lock();
	while (ntc != reported && work < (budget ? budget : (int)ring->count)) {
		struct tsnic_tx_buf *buf = &ring->buf[ntc];
		struct tsnic_tx_desc *eop;
		u32 status;

		/* pairs with the release in xmit: the frame is whole */
		eop = smp_load_acquire(&buf->next_to_watch);
		if (!eop)
			break;
		/* pairs with the engine's write-back: fields before DD */
		status = smp_load_acquire(&eop->status);
		if (!(status & TSNIC_TXD_DD))
			break;
		buf->next_to_watch = NULL;

		frames++;
		pkts += buf->gso_segs;
		bytes += buf->bytecount;
		ntc = (buf->eop + 1) & mask;
		tsnic_tx_complete(ring, buf, eop, status);
		work++;
	}
	tsnic_wire_flush(ring);
	rcu_read_unlock();

	u64_stats_update_begin(&ring->cstats.syncp);
	u64_stats_inc(&ring->cstats.polls);
	u64_stats_add(&ring->cstats.frames, frames);
	u64_stats_add(&ring->cstats.packets, pkts);
	u64_stats_add(&ring->cstats.bytes, bytes);
	u64_stats_update_end(&ring->cstats.syncp);

	if (frames) {
		/* freed slots: readers of the ring must see a new generation */
		tsnic_tx_gen_bump(ring);
		/* before next_to_clean, pairs with smp_rmb() in the ring dump */
		smp_wmb();
	}
	WRITE_ONCE(ring->next_to_clean, ntc);
	/* BQL completion with the barrier that pairs with the xmit stop */
	if (!netif_txq_completed_wake(txq, frames, bytes,
				      tsnic_desc_unused(ring),
				      TSNIC_DESC_NEEDED)) {
		u64_stats_update_begin(&ring->cstats.syncp);
		u64_stats_inc(&ring->cstats.wakes);
		u64_stats_update_end(&ring->cstats.syncp);
	}

	/* adaptive moderation: a sample per poll, as DIM expects */
	if (budget && READ_ONCE(ring->priv->cfg.adaptive_tx)) {
		struct dim_sample sample;

		dim_update_sample((u16)irqs, u64_stats_read(&ring->cstats.packets),
				  u64_stats_read(&ring->cstats.bytes), &sample);
		net_dim(&ring->dim, sample);
	}

	if (budget && work >= budget)
		return budget;

	/*
	 * Re-enable the "interrupt".  An interrupt raised while this poll ran
	 * scheduled it again (napi_complete_done() sees that); frames the
	 * engine reported past the mark read above get their own.
	 */
	napi_complete_done(napi, work);
	return min(work, budget);
}

/*
 * Adaptive moderation's profiles, the delays DIM steps between (its
 * profile_ix): the TX interrupt rates ice's adaptive ITR uses, from
 * 500,000 to 3,906 interrupts a second, each with DIM's TX frame count.
 */
static const struct tsnic_moder {
	u32 usecs;
	u32 frames;
} tsnic_dim_tx_profiles[] = {
	{ 2, 128 }, { 8, 128 }, { 40, 128 }, { 128, 128 }, { 256, 128 },
};

static void tsnic_tx_dim_apply(struct tsnic_tx_ring *ring)
{
	u32 ix = min_t(u32, ring->dim.profile_ix,
		       ARRAY_SIZE(tsnic_dim_tx_profiles) - 1);

	WRITE_ONCE(ring->eng.dim_usecs, tsnic_dim_tx_profiles[ix].usecs);
	WRITE_ONCE(ring->eng.dim_frames, tsnic_dim_tx_profiles[ix].frames);
}

/* DIM chose a profile: the engine uses it from its next run on. */
static void tsnic_tx_dim_work(struct work_struct *work)
{
	struct dim *dim = container_of(work, struct dim, work);

	tsnic_tx_dim_apply(container_of(dim, struct tsnic_tx_ring, dim));
	/* DIM samples again from the next poll on */
	dim->state = DIM_START_MEASURE;
}

/**
 * tsnic_tx_dim_init() - set up a TX queue's adaptive moderation
 * @ring: the TX ring, for the life of the device
 *
 * DIM starts from its default profile (8 us); moderation counts from the
 * first unreported frame, as the engine does (DIM's "EQE" mode).
 *
 * Context: ndo_init.
 */
void tsnic_tx_dim_init(struct tsnic_tx_ring *ring)
{
	INIT_WORK(&ring->dim.work, tsnic_tx_dim_work);
	ring->dim.mode = DIM_CQ_PERIOD_MODE_START_FROM_EQE;
	ring->dim.profile_ix = NET_DIM_DEF_PROFILE_EQE;
	tsnic_tx_dim_apply(ring);
}

/* The arrays changed: a new epoch, and a new generation.  ring_lock. */
static void tsnic_tx_epoch_bump(struct tsnic_tx_ring *ring)
{
	lockdep_assert_held(&ring->priv->ring_lock);
	ring->epoch++;
	tsnic_tx_gen_bump(ring);
}

/**
 * tsnic_tx_ring_alloc() - allocate a TX ring's descriptors and buffers
 * @ring: the ring, without arrays
 * @count: descriptors, a power of two
 *
 * fail_function may make it fail (ALLOW_ERROR_INJECTION): open, ethtool
 * -G and -L then fail as without memory (selftests/tsnic_failinj.sh).
 *
 * Context: control, RTNL held, the ring down (NAPI disabled, engine
 * stopped); takes ring_lock.
 * Return: 0, or -ENOMEM.
 */
int tsnic_tx_ring_alloc(struct tsnic_tx_ring *ring, u32 count)
{
	struct tsnic_tx_desc *desc;
	struct tsnic_tx_buf *buf;

	desc = kvcalloc(count, sizeof(*desc), GFP_KERNEL);
	buf = kvcalloc(count, sizeof(*buf), GFP_KERNEL);
	if (!desc || !buf) {
		kvfree(desc);
		kvfree(buf);
		return -ENOMEM;
	}
	mutex_lock(&ring->priv->ring_lock);
	ring->desc = desc;
	ring->buf = buf;
	WRITE_ONCE(ring->count, count);
	WRITE_ONCE(ring->next_to_use, 0);
	WRITE_ONCE(ring->next_to_clean, 0);
	tsnic_tx_epoch_bump(ring);
	mutex_unlock(&ring->priv->ring_lock);
	return 0;
}
ALLOW_ERROR_INJECTION(tsnic_tx_ring_alloc, ERRNO);

/**
 * tsnic_tx_ring_rewind() - make a flushed ring empty, as allocated
 * @ring: the ring, flushed
 *
 * For an engine started again, which restarts at descriptor 0.
 *
 * Context: control, RTNL held; engine stopped, NAPI disabled, no xmit;
 * takes ring_lock.
 */
void tsnic_tx_ring_rewind(struct tsnic_tx_ring *ring)
{
	mutex_lock(&ring->priv->ring_lock);
	memset(ring->desc, 0, ring->count * sizeof(*ring->desc));
	memset(ring->buf, 0, ring->count * sizeof(*ring->buf));
	WRITE_ONCE(ring->next_to_use, 0);
	WRITE_ONCE(ring->next_to_clean, 0);
	tsnic_tx_epoch_bump(ring);
	mutex_unlock(&ring->priv->ring_lock);
}

/**
 * tsnic_tx_ring_free() - free a TX ring's arrays
 * @ring: the ring, flushed (or never allocated)
 *
 * Context: control, RTNL held; takes ring_lock.
 */
void tsnic_tx_ring_free(struct tsnic_tx_ring *ring)
{
	struct tsnic_tx_desc *desc;
	struct tsnic_tx_buf *buf;

	mutex_lock(&ring->priv->ring_lock);
	desc = ring->desc;
	buf = ring->buf;
	ring->desc = NULL;
	ring->buf = NULL;
	tsnic_tx_epoch_bump(ring);
	mutex_unlock(&ring->priv->ring_lock);
	kvfree(desc);
	kvfree(buf);
}

/**
 * tsnic_tx_snapshot() - read a TX ring's indices for a dump
 * @ring: the ring, its arrays allocated
 * @s: the snapshot, filled
 *
 * Reads cleaner, engine and producer in the order they follow one another,
 * so that the snapshot keeps ntc <= head <= tail <= ntu.
 *
 * Context: process context with the device's ring_lock held: the ring can
 * be neither freed nor rewound while we look.  Takes the engine's lock.
 */
void tsnic_tx_snapshot(struct tsnic_tx_ring *ring, struct tsnic_tx_snap *s)
{
	lockdep_assert_held(&ring->priv->ring_lock);
	s->count = ring->count;
	s->ntc = READ_ONCE(ring->next_to_clean);
	spin_lock_bh(&ring->eng.lock);
	s->head = ring->eng.head;
	s->tail = ring->eng.tail;
	spin_unlock_bh(&ring->eng.lock);
	s->ntu = READ_ONCE(ring->next_to_use);
}

/**
 * tsnic_tx_desc_info() - one descriptor of a snapshot, as dumps show it
 * @ring: the ring of @s
 * @s: a snapshot from tsnic_tx_snapshot()
 * @off: the descriptor's distance from @s's next_to_clean, before its
 *	next_to_use
 * @d: filled
 *
 * Lockless: the engine and NAPI go on while we read, so the result may be
 * newer than the snapshot, never outside the array.
 *
 * Context: as tsnic_tx_snapshot(): ring_lock held.
 */
void tsnic_tx_desc_info(const struct tsnic_tx_ring *ring,
			const struct tsnic_tx_snap *s, u32 off,
			struct tsnic_tx_desc_info *d)
{
	u32 idx = (s->ntc + off) & (s->count - 1);
	const struct tsnic_tx_desc *desc = &ring->desc[idx];
	u32 inflight = tsnic_tx_snap_dist(s, s->ntu);

	lockdep_assert_held(&ring->priv->ring_lock);
	d->index = idx;
	d->flags = READ_ONCE(desc->flags);
	d->len = READ_ONCE(desc->len);
	d->skb_len = d->flags & TSNIC_TXD_SOP ?
		     READ_ONCE(ring->buf[idx].skb_len) : 0;
	/* pairs with the engine's write-back: the fields before DD */
	d->status = smp_load_acquire(&desc->status);
	d->depart = d->status & TSNIC_TXD_DD ? READ_ONCE(desc->depart) : 0;
	d->tstamp = d->status & TSNIC_TXD_TS_VALID ?
		    READ_ONCE(desc->tstamp) : 0;
	/* only a frame's last descriptor is written back: the rest by head */
	if ((d->status & TSNIC_TXD_DD) ||
	    off < min(tsnic_tx_snap_dist(s, s->head), inflight))
		d->state = TSNIC_DESC_STATE_DONE;
	else if (off < min(tsnic_tx_snap_dist(s, s->tail), inflight))
		d->state = TSNIC_DESC_STATE_HW;
	else
		d->state = TSNIC_DESC_STATE_QUEUED;
}

/**
 * tsnic_tx_ring_flush() - empty a stopped TX ring
 * @ring: the ring; its engine stopped, its NAPI disabled
 *
 * Frames the engine already sent are completed as usual (they are on the
 * wire); the others are dropped and counted (flushed), their timestamp
 * slots cancelled, and BQL is reset.
 *
 * Context: control, RTNL held.
 */
void tsnic_tx_ring_flush(struct tsnic_tx_ring *ring)
{
	struct netdev_queue *txq = netdev_get_tx_queue(ring->dev, ring->qid);
	u32 mask = ring->count - 1;
	u32 ntc = ring->next_to_clean;
	u32 ntu = ring->next_to_use;
	u64 sent = 0, sent_pkts = 0, sent_bytes = 0, flushed = 0;

	local_bh_disable();
	rcu_read_lock();
	while (ntc != ntu) {
		struct tsnic_tx_buf *buf = &ring->buf[ntc];
		struct tsnic_tx_desc *eop = buf->next_to_watch;
		u32 status;

		/* xmit is stopped: every frame before next_to_use is whole */
		if (WARN_ON_ONCE(!eop || !buf->skb))
			break;
		/* pairs with the engine's write-back */
		status = smp_load_acquire(&eop->status);
		buf->next_to_watch = NULL;
		ntc = (buf->eop + 1) & mask;
		if (status & TSNIC_TXD_DD) {
			sent++;
			sent_pkts += buf->gso_segs;
			sent_bytes += buf->bytecount;
			tsnic_tx_complete(ring, buf, eop, status);
			continue;
		}
		if (buf->ts_slot >= 0) {
			tsnic_tsu_cancel(ring->priv, buf->ts_slot,
					 buf->ts_cookie);
			buf->ts_slot = -1;
		}
		dev_kfree_skb_any(buf->skb);
		buf->skb = NULL;
		flushed++;
	}
	tsnic_wire_flush(ring);
	rcu_read_unlock();
	/*
	 * Still with BH off: on 32-bit a softirq reader interrupting the
	 * update on this CPU would spin on it for ever.
	 */
	u64_stats_update_begin(&ring->cstats.syncp);
	u64_stats_add(&ring->cstats.frames, sent);
	u64_stats_add(&ring->cstats.packets, sent_pkts);
	u64_stats_add(&ring->cstats.bytes, sent_bytes);
	u64_stats_add(&ring->cstats.flushed, flushed);
	u64_stats_update_end(&ring->cstats.syncp);
	local_bh_enable();

	ring->next_to_clean = ntc;
	netdev_tx_reset_queue(txq);
}
