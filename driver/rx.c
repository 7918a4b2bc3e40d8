// SPDX-License-Identifier: GPL-2.0
/*
 * The cable and the receive side.
 *
 * A frame the engine sent is handed, from the sender's TX NAPI, to the
 * peer's RX FIFO for the queue its flow hashes to, tagged with its arrival
 * time (departure + propagation delay).  What the wire carries is what a
 * NIC would put on it: TSO frames as separate segments and every checksum
 * left to the hardware filled in.  The peer's RX NAPI takes frames whose
 * arrival time has come, stamps them with its own PHC when its RX filter
 * matches, and passes them to GRO.  An unwired device's frames go to a
 * sink.  The FIFO is bounded by the RX ring size: what does not fit is
 * dropped and counted, never queued without limit.
 */

#include <linux/error-injection.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ptp_classify.h>

#include "tsnic.h"

static void tsnic_cstats_add(struct tsnic_tx_ring *ring, u64_stats_t *c, u64 n)
{
	u64_stats_update_begin(&ring->cstats.syncp);
	u64_stats_add(c, n);
	u64_stats_update_end(&ring->cstats.syncp);
}

/*
 * Schedule RX NAPI now or when @arrival comes.  Under rx->fifo.lock.
 *
 * Whether the timer is armed is known from timer_at, not from
 * hrtimer_active(): that is also true while the callback runs on another
 * CPU after its napi_schedule() was absorbed by a poll in progress, and a
 * kick that trusted it then would leave the frame waiting for the next
 * arrival.  The callback clears timer_at under the lock before it
 * schedules NAPI, so a kick after that re-arms.  The clock is read only
 * for an arrival later than rx->past.
 */
static void tsnic_rx_kick(struct tsnic_rx_ring *rx, u64 arrival)
{
	u64 now = rx->past;

	lockdep_assert_held(&rx->fifo.lock);
	if (tsnic_is_past(arrival, &now)) {
		napi_schedule(&rx->napi);
	} else if (arrival < rx->timer_at) {
		/* an earlier expiry than the one armed, if any */
		rx->timer_at = arrival;
		hrtimer_start(&rx->timer, ns_to_ktime(arrival - now),
			      HRTIMER_MODE_REL_SOFT);
	}
}

/* Count @n frames dropped on @ctr, one of @rx's drops.  Under fifo.lock. */
static void tsnic_rx_drop(struct tsnic_rx_ring *rx, u64_stats_t *ctr, u64 n)
{
	lockdep_assert_held(&rx->fifo.lock);
	u64_stats_update_begin(&rx->drops.syncp);
	u64_stats_add(ctr, n);
	u64_stats_update_end(&rx->drops.syncp);
}

/**
 * tsnic_rx_drops_read() - read an RX queue's drop counters
 * @rx: the RX queue
 * @c: filled, one snapshot
 *
 * Context: process or softirq context, any lock held; not hard IRQ (see
 * struct tsnic_rx_drops).
 */
void tsnic_rx_drops_read(struct tsnic_rx_ring *rx,
			 struct tsnic_rx_drop_counts *c)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&rx->drops.syncp);
		c->full = u64_stats_read(&rx->drops.full);
		c->down = u64_stats_read(&rx->drops.down);
		c->length = u64_stats_read(&rx->drops.length);
	} while (u64_stats_fetch_retry(&rx->drops.syncp, start));
}

/*
 * Put one frame sent on @ring on the cable towards @peer, departed at
 * @depart (a past instant), arriving at @arrival: into @ring's batch,
 * which tsnic_wire_flush() puts in the peer's RX FIFO.  Consumes @skb; one
 * that cannot be prepared counts in @ring's peer_drops.  Inside the RCU
 * read section of the TX poll or flush.
 */
static void tsnic_cable_one(struct tsnic_tx_ring *ring, struct tsnic_priv *peer,
			    struct sk_buff *skb, u64 depart, u64 arrival,
			    bool csum_ok)
{
	struct tsnic_cable_batch *b = &ring->cable;
	struct tsnic_priv *priv = ring->priv;
	struct net_device *pdev = peer->dev;
	unsigned int nrx = READ_ONCE(pdev->real_num_rx_queues);
	struct tsnic_rx_ring *rx;
	struct tsnic_rx_cb *cb;

	rx = &peer->rx[nrx > 1 ? reciprocal_scale(skb_get_hash(skb), nrx) : 0];

	/*
	 * __dev_forward_skb() below drops what the peer could not receive
	 * (too long, peer not up) and counts it in the peer's core
	 * rx_dropped; check the length first, so that it counts here, as a
	 * length error.  The frame is never GSO here: TSO was segmented.
	 */
	if (unlikely(skb->len > READ_ONCE(pdev->mtu) + pdev->hard_header_len +
			       VLAN_HLEN)) {
		spin_lock(&rx->fifo.lock);
		tsnic_rx_drop(rx, &rx->drops.length, 1);
		spin_unlock(&rx->fifo.lock);
		kfree_skb(skb);
		return;
	}

	/* The frame leaves this host's stack and enters the peer's. */
	skb_orphan(skb);
	if (unlikely(skb_orphan_frags_rx(skb, GFP_ATOMIC))) {
		tsnic_cstats_add(ring, &ring->cstats.peer_drops, 1);
		kfree_skb(skb);
		return;
	}
	/*
	 * The sender's timestamp clones share this frame's skb_shared_info:
	 * skb_tstamp_tx() writes the TX stamp there, and the receiver would
	 * write its RX stamp there.  The frame on the wire gets its own,
	 * with no timestamp request and no stamp on it.
	 */
	if (unlikely(skb_shinfo(skb)->tx_flags &
		     (SKBTX_ANY_TSTAMP | SKBTX_IN_PROGRESS))) {
		if (unlikely(skb_unclone(skb, GFP_ATOMIC))) {
			tsnic_cstats_add(ring, &ring->cstats.peer_drops, 1);
			kfree_skb(skb);
			return;
		}
		skb_shinfo(skb)->tx_flags &= ~(SKBTX_ANY_TSTAMP |
					       SKBTX_IN_PROGRESS);
		skb_hwtstamps(skb)->hwtstamp = 0;
	}
	/*
	 * Across the cable as veth does it: the frame is scrubbed (fully
	 * when it changes namespace) and becomes the peer's, skb->dev
	 * included, with its MAC header pulled (eth_type_trans()).  From
	 * here on nothing in the FIFO refers to the sender, which may be
	 * deleted while its frames wait there.  A frame refused here (the
	 * peer went down just now) was counted in the peer's rx_dropped.
	 */
	if (unlikely(__dev_forward_skb(pdev, skb)))
		return;
	/* a departure time for the sender's qdisc is no RX stamp */
	skb_clear_tstamp(skb);

	/* faults of the cable: the sender's settings */
	if (unlikely(tsnic_fault_fire(priv, TSNIC_FAULT_CABLE_DROP))) {
		kfree_skb(skb);
		return;
	}
	if (unlikely(tsnic_fault_fire(priv, TSNIC_FAULT_CABLE_DELAY)))
		arrival += tsnic_fault_cable_delay(&priv->faults);

	cb = tsnic_rx_cb(skb);
	cb->arrival = arrival;
	cb->csum_ok = csum_ok;
	cb->fcs_bad = tsnic_fault_fire(priv, TSNIC_FAULT_CABLE_CORRUPT);

	/* into the batch for @rx: a batch for another queue goes first */
	if (b->rx != rx) {
		tsnic_wire_flush(ring);
		b->rx = rx;
		b->depart = depart;
		b->arrival = arrival;
	}
	b->depart = max(b->depart, depart);
	b->arrival = min(b->arrival, arrival);
	__skb_queue_tail(&b->frames, skb);
}

/**
 * tsnic_wire_flush() - put the cable's batch in the peer's RX FIFO
 * @ring: the TX ring whose poll or flush filled the batch
 *
 * Under one lock and with one kick: the frames the FIFO has room for are
 * queued, in order; the rest are dropped and counted (drops_full), as are
 * all of them when the RX queue is down (drops_down).
 *
 * Context: TX NAPI, or a flush with BH disabled, inside the RCU read
 * section in which the batch was filled.
 */
void tsnic_wire_flush(struct tsnic_tx_ring *ring)
{
	struct tsnic_cable_batch *b = &ring->cable;
	struct tsnic_rx_ring *rx = b->rx;
	struct sk_buff_head drop;
	u32 n, room;

	if (!rx)
		return;
	b->rx = NULL;
	n = skb_queue_len(&b->frames);
	__skb_queue_head_init(&drop);
	/*
	 * The kick happens under the lock, while enabled: once
	 * tsnic_rx_stop() has cleared enabled, no producer can arm the
	 * timer it is about to cancel.
	 */
	spin_lock(&rx->fifo.lock);
	if (unlikely(!rx->enabled)) {
		tsnic_rx_drop(rx, &rx->drops.down, n);
		skb_queue_splice_init(&b->frames, &drop);
	} else {
		room = rx->size - min(skb_queue_len(&rx->fifo), rx->size);
		if (unlikely(n > room)) {
			/* the last ones find the FIFO full, as one by one */
			tsnic_rx_drop(rx, &rx->drops.full, n - room);
			while (skb_queue_len(&b->frames) > room)
				__skb_queue_tail(&drop,
						 __skb_dequeue_tail(&b->frames));
		}
		if (room) {
			skb_queue_splice_tail_init(&b->frames, &rx->fifo);
			rx->past = max(rx->past, b->depart);
			/* early for a dropped frame's arrival: harmless */
			tsnic_rx_kick(rx, b->arrival);
		}
	}
	spin_unlock(&rx->fifo.lock);
	__skb_queue_purge(&drop);
}

/*
 * A clone of a shared frame for the cable (skb_share_check() without the
 * free), out of line so that fail_function can make it fail: the frame is
 * then dropped and counted (selftests/tsnic_failinj.sh).
 */
static noinline struct sk_buff *tsnic_wire_clone(struct sk_buff *skb)
{
	return skb_clone(skb, GFP_ATOMIC);
}
ALLOW_ERROR_INJECTION(tsnic_wire_clone, NULL);

/**
 * tsnic_wire_deliver() - hand a sent frame to the cable
 * @ring: the TX ring that sent it
 * @skb: the frame; consumed
 * @depart: raw ns its last bit left the wire
 *
 * Puts the frame on its way to the peer's RX FIFO, arriving after the
 * cable's delay (and its faults): into @ring's cable batch, which the
 * caller hands over with tsnic_wire_flush().  An unwired device's frame
 * goes to the sink.  Counts what is dropped.
 *
 * Context: TX NAPI (softirq), or a flush with BH disabled; inside an RCU
 * read section that lasts until the tsnic_wire_flush() after it.
 */
void tsnic_wire_deliver(struct tsnic_tx_ring *ring, struct sk_buff *skb,
			u64 depart)
{
	struct tsnic_priv *priv = ring->priv;
	u32 delay = READ_ONCE(priv->cfg.delay_ns);
	struct tsnic_priv *peer;
	struct sk_buff *segs, *next;
	u64 rate, t;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	/* a pulled cable (at either end) carries nothing */
	if (unlikely(READ_ONCE(priv->faults.cable_pulled) ||
		     (peer && READ_ONCE(peer->faults.cable_pulled)))) {
		tsnic_cstats_add(ring, &ring->cstats.peer_drops, 1);
		kfree_skb(skb);
		goto out;
	}
	if (!peer) {
		tsnic_cstats_add(ring, &ring->cstats.sink, 1);
		napi_consume_skb(skb, 1);
		goto out;
	}

	/* pktgen and clones may share the skb: the wire needs its own */
	if (skb_shared(skb)) {
		struct sk_buff *nskb = tsnic_wire_clone(skb);

		if (unlikely(!nskb)) {
			tsnic_cstats_add(ring, &ring->cstats.peer_drops, 1);
			kfree_skb(skb);
			goto out;
		}
		consume_skb(skb);
		skb = nskb;
	}

	if (!skb_is_gso(skb)) {
		bool csum_ok = false;

		if (skb->ip_summed == CHECKSUM_PARTIAL) {
			if (unlikely(skb_checksum_help(skb))) {
				tsnic_cstats_add(ring, &ring->cstats.peer_drops, 1);
				kfree_skb(skb);
				goto out;
			}
			csum_ok = true;
		}
		tsnic_cable_one(ring, peer, skb, depart, depart + delay, csum_ok);
		goto out;
	}

	/*
	 * TSO: the engine cut the frame into segments on the wire, back to
	 * back, the last one leaving at @depart.  Segment without checksum
	 * offload, so each segment carries its finished checksum.
	 */
	segs = skb_gso_segment(skb, NETIF_F_SG);
	if (IS_ERR_OR_NULL(segs)) {
		tsnic_cstats_add(ring, &ring->cstats.peer_drops, 1);
		kfree_skb(skb);
		goto out;
	}
	consume_skb(skb);

	rate = READ_ONCE(priv->cfg.rate_bps);
	t = depart;
	/* walk back from the last segment to give each its own departure */
	for (skb = segs; skb; skb = skb->next)
		t -= tsnic_wire_time_ns(rate, skb->len, 1, 0, 0);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		t += tsnic_wire_time_ns(rate, skb->len, 1, 0, 0);
		tsnic_cable_one(ring, peer, skb, t, t + delay, true);
	}
out:
	rcu_read_unlock();
}

/*
 * Does the RX filter ask for a timestamp on this frame?  Its data starts
 * at L3 (eth_type_trans() was done on the cable); the PTP classifier
 * reads from L2, so the MAC header is pushed back around it.  The PTPv2
 * event filters applied (tsnic_ts_rx_map()) are of either transport, of
 * UDP only or of Ethernet only.
 */
static bool tsnic_rx_filter_match(struct sk_buff *skb, int filter)
{
	struct ptp_header *hdr;
	unsigned int class;

	if (filter == HWTSTAMP_FILTER_ALL)
		return true;

	__skb_push(skb, ETH_HLEN);
	class = ptp_classify_raw(skb);
	__skb_pull(skb, ETH_HLEN);
	if (class == PTP_CLASS_NONE || (class & PTP_CLASS_VMASK) != PTP_CLASS_V2)
		return false;
	switch (filter) {
	case HWTSTAMP_FILTER_PTP_V2_EVENT:
		break;
	case HWTSTAMP_FILTER_PTP_V2_L4_EVENT:
		if (!(class & (PTP_CLASS_IPV4 | PTP_CLASS_IPV6)))
			return false;
		break;
	case HWTSTAMP_FILTER_PTP_V2_L2_EVENT:
		if (!(class & PTP_CLASS_L2))
			return false;
		break;
	default:
		return false;
	}
	hdr = ptp_parse_header(skb, class);
	if (!hdr)
		return false;
	switch (ptp_get_msgtype(hdr, class)) {
	case PTP_MSGTYPE_SYNC:
	case PTP_MSGTYPE_DELAY_REQ:
	case PTP_MSGTYPE_PDELAY_REQ:
	case PTP_MSGTYPE_PDELAY_RESP:
		return true;
	default:
		return false;
	}
}

/*
 * Make @skb's data and skb_shared_info ours alone before GRO rewrites the
 * frags or the RX stamp is written.  A function of its own so that
 * fail_function can make it fail (ALLOW_ERROR_INJECTION).
 */
static noinline int tsnic_rx_unclone(struct sk_buff *skb)
{
	return skb_unclone(skb, GFP_ATOMIC);
}
ALLOW_ERROR_INJECTION(tsnic_rx_unclone, ERRNO);

/**
 * tsnic_rx_poll() - RX NAPI: pass the frames that have arrived up
 * @napi: the RX queue's NAPI context
 * @budget: the NAPI budget
 *
 * Context: softirq, single instance per queue.
 * Return: frames passed up, as napi_complete_done() expects.
 */
int tsnic_rx_poll(struct napi_struct *napi, int budget)
{
	struct tsnic_rx_ring *rx = container_of(napi, struct tsnic_rx_ring, napi);
	struct tsnic_priv *priv = rx->priv;
	struct net_device *dev = priv->dev;
	int filter = READ_ONCE(priv->tsu.rx_filter);
	bool p2p = READ_ONCE(priv->tsu.tx_type) == HWTSTAMP_TX_ONESTEP_P2P;
	bool rxcsum = dev->features & NETIF_F_RXCSUM;
	struct sk_buff_head due;
	u64 now;
	u64 bytes = 0, hwts = 0, crc = 0, nomem = 0;
	struct sk_buff *skb;
	int done = 0;

	__skb_queue_head_init(&due);
	spin_lock(&rx->fifo.lock);
	now = rx->past;
	while (done < budget && (skb = skb_peek(&rx->fifo)) &&
	       tsnic_is_past(tsnic_rx_cb(skb)->arrival, &now)) {
		__skb_unlink(skb, &rx->fifo);
		__skb_queue_tail(&due, skb);
		done++;
	}
	spin_unlock(&rx->fifo.lock);

	while ((skb = __skb_dequeue(&due))) {
		struct tsnic_rx_cb cb = *tsnic_rx_cb(skb);
		u64 ts = 0;

		memset(skb->cb, 0, sizeof(cb));
		/* the MAC's FCS check: a corrupted frame goes no further */
		if (unlikely(cb.fcs_bad)) {
			crc++;
			kfree_skb(skb);
			continue;
		}
		/*
		 * The sender may still share this frame's data and
		 * skb_shared_info: TCP keeps the original for retransmission
		 * and put a clone on the wire.  GRO rewrites the frags of
		 * skb_shared_info and the RX stamp is written there, so both
		 * need a private copy.  Without one (no memory) the frame is
		 * dropped, as a NIC without an RX buffer drops it: passed up
		 * past GRO it would overtake the earlier segments of its
		 * flow that GRO still holds.
		 */
		if (skb_cloned(skb) && unlikely(tsnic_rx_unclone(skb))) {
			nomem++;
			kfree_skb(skb);
			continue;
		}
		if (filter != HWTSTAMP_FILTER_NONE &&
		    tsnic_rx_filter_match(skb, filter)) {
			ts = tsnic_phc_stamp(&priv->card->phc, cb.arrival);
			skb_hwtstamps(skb)->hwtstamp = ns_to_ktime(ts);
			hwts++;
		}
		/* one-step P2P: the same ingress time into a Pdelay_Req */
		if (unlikely(p2p)) {
			if (!ts)
				ts = tsnic_phc_stamp(&priv->card->phc,
						     cb.arrival);
			tsnic_ts_p2p_rx(skb, ts);
		}
		/* the frame's bytes, its MAC header (pulled on the cable) too */
		bytes += skb->len + ETH_HLEN;
		skb->ip_summed = cb.csum_ok && rxcsum ? CHECKSUM_UNNECESSARY :
							CHECKSUM_NONE;
		skb_record_rx_queue(skb, rx->qid);
		napi_gro_receive(napi, skb);
	}

	u64_stats_update_begin(&rx->stats.syncp);
	u64_stats_inc(&rx->stats.polls);
	u64_stats_add(&rx->stats.packets, done - crc - nomem);
	u64_stats_add(&rx->stats.bytes, bytes);
	u64_stats_add(&rx->stats.hwtstamps, hwts);
	u64_stats_add(&rx->stats.crc_errors, crc);
	u64_stats_add(&rx->stats.nomem, nomem);
	u64_stats_update_end(&rx->stats.syncp);

	if (done >= budget)
		return budget;

	if (napi_complete_done(napi, done)) {
		/* frames that arrived meanwhile, or arrive later */
		spin_lock(&rx->fifo.lock);
		skb = skb_peek(&rx->fifo);
		if (skb)
			tsnic_rx_kick(rx, tsnic_rx_cb(skb)->arrival);
		spin_unlock(&rx->fifo.lock);
	}
	return done;
}

static enum hrtimer_restart tsnic_rx_timer(struct hrtimer *t)
{
	struct tsnic_rx_ring *rx = container_of(t, struct tsnic_rx_ring, timer);

	/* before NAPI runs: a kick from here on arms the timer again */
	spin_lock(&rx->fifo.lock);
	rx->timer_at = U64_MAX;
	spin_unlock(&rx->fifo.lock);
	napi_schedule(&rx->napi);
	return HRTIMER_NORESTART;
}

/**
 * tsnic_rx_init() - set up an RX queue, disabled
 * @rx: the RX queue, for the life of the device
 *
 * Context: ndo_init.
 */
void tsnic_rx_init(struct tsnic_rx_ring *rx)
{
	skb_queue_head_init(&rx->fifo);
	rx->timer_at = U64_MAX;
	hrtimer_init(&rx->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	rx->timer.function = tsnic_rx_timer;
	u64_stats_init(&rx->stats.syncp);
	u64_stats_init(&rx->drops.syncp);
}

/**
 * tsnic_rx_start() - let an RX queue receive
 * @rx: the RX queue
 * @size: FIFO capacity in frames
 *
 * NAPI first: a producer that sees the queue enabled may schedule it at
 * once.
 *
 * Context: control, RTNL held; takes the FIFO lock.
 */
void tsnic_rx_start(struct tsnic_rx_ring *rx, u32 size)
{
	napi_enable(&rx->napi);
	spin_lock_bh(&rx->fifo.lock);
	rx->size = size;
	rx->enabled = true;
	spin_unlock_bh(&rx->fifo.lock);
}

/**
 * tsnic_rx_stop() - stop receiving
 * @rx: the RX queue
 *
 * Frames still in the FIFO are dropped and counted (drops_down); NAPI is
 * disabled and the arrival timer cancelled on return.
 *
 * Context: control, RTNL held; takes the FIFO lock.
 */
void tsnic_rx_stop(struct tsnic_rx_ring *rx)
{
	struct sk_buff_head purge;

	__skb_queue_head_init(&purge);
	spin_lock_bh(&rx->fifo.lock);
	rx->enabled = false;
	tsnic_rx_drop(rx, &rx->drops.down, skb_queue_len(&rx->fifo));
	skb_queue_splice_init(&rx->fifo, &purge);
	spin_unlock_bh(&rx->fifo.lock);

	napi_disable(&rx->napi);
	hrtimer_cancel(&rx->timer);
	/* not armed any more; no producer arms it while disabled */
	spin_lock_bh(&rx->fifo.lock);
	rx->timer_at = U64_MAX;
	spin_unlock_bh(&rx->fifo.lock);
	__skb_queue_purge(&purge);
}
