// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated hardware of a TX queue: the part a real NIC does in silicon.
 *
 * The engine owns the descriptors between its head and the tail the driver
 * wrote with the doorbell.  It sends frames in order: a frame handed over at
 * time `ready` leaves the wire at
 *
 *	depart = max(ready, busy_until) + wire_time(frame)
 *
 * where wire_time counts preamble, SFD, FCS, padding and the inter-frame
 * gap at the configured line rate (0: unlimited, wire_time = 0).  A queue
 * with a TSN offload (tc.c) may start a frame later: not before its launch
 * time (ETF), not before the credit-based shaper has credit (CBS), only
 * inside a window of its traffic class's gate schedule (taprio); see
 * tsnic_engine_tsn_start().  At
 * departure the engine writes the frame's last descriptor back: departure
 * time, a PHC timestamp when asked for, then the done bit (release).  After
 * the interrupt moderation delay (tx-usecs from the first unreported
 * frame, or as soon as tx-frames frames are unreported; at once for a frame
 * that latched a timestamp) it raises the queue's "interrupt": the frames
 * before its head are reported (eng->reported) and it schedules the TX NAPI,
 * which cleans up to there.
 *
 * All arithmetic is in raw monotonic nanoseconds, so the times written
 * back are exact whatever the latency of the timer that notices them.
 * The engine runs from the doorbell (xmit context) and from the TX NAPI
 * poll (tsnic_engine_poll()); never from a work item or a thread.  Its
 * own clock, the next departure at the line rate or the end of the
 * moderation delay, is one hrtimer whose callback does what an interrupt
 * handler does: napi_schedule(), in hard IRQ context.  Armed once per
 * event and never pushed back while doorbells keep coming: a doorbell that
 * finds the delay over raises the interrupt itself, and a timer that fires
 * early finds nothing due.
 */

#include <linux/math64.h>

#include "tsnic.h"

/**
 * tsnic_wire_time_ns() - time a frame occupies the wire
 * @rate_bps: line rate, 0 for unlimited
 * @len: the frame's bytes (for TSO, all segments' payload plus one header)
 * @segs: segments on the wire (1 without TSO)
 * @hdr_len: TSO: the headers repeated in each segment
 * @mss: TSO: the segment size
 *
 * Counts the preamble, FCS and inter-frame gap of each frame, and pads a
 * short frame to the Ethernet minimum.
 *
 * Context: any.
 * Return: nanoseconds, rounded up; 0 at an unlimited rate.
 */
u64 tsnic_wire_time_ns(u64 rate_bps, u32 len, u16 segs, u16 hdr_len, u16 mss)
{
	u64 bits;

	if (!rate_bps)
		return 0;
	if (segs > 1) {
		/* each segment carries its own headers */
		u64 payload = len - hdr_len;

		bits = (payload + (u64)segs * (hdr_len + TSNIC_WIRE_OVERHEAD)) * 8;
	} else {
		bits = (u64)(max_t(u32, len, TSNIC_WIRE_MIN_FRAME) +
			     TSNIC_WIRE_OVERHEAD) * 8;
	}
	return div64_u64(bits * NSEC_PER_SEC + rate_bps - 1, rate_bps);
}

/* Index of the last descriptor of the frame starting at @first. */
static u32 tsnic_engine_frame_end(struct tsnic_tx_ring *ring, u32 first,
				  u32 *len)
{
	u32 mask = ring->count - 1;
	u32 i = first, n;

	*len = 0;
	for (n = 0; n < ring->count; n++, i = (i + 1) & mask) {
		*len += ring->desc[i].len;
		if (ring->desc[i].flags & TSNIC_TXD_EOP)
			break;
	}
	return i;
}

/**
 * tsnic_engine_moderation() - the interrupt moderation a queue runs with
 * @ring: the TX ring
 * @usecs: filled: the moderation delay, 0 for none
 * @frames: filled: interrupt after this many frames, 0 for no limit
 *
 * The device's tx-usecs and tx-frames, or with adaptive-tx on, the
 * profile DIM last chose for this queue.
 *
 * Context: any.
 */
void tsnic_engine_moderation(struct tsnic_tx_ring *ring, u32 *usecs,
			     u32 *frames)
{
	struct tsnic_priv *priv = ring->priv;

	if (READ_ONCE(priv->cfg.adaptive_tx)) {
		*usecs = READ_ONCE(ring->eng.dim_usecs);
		*frames = READ_ONCE(ring->eng.dim_frames);
	} else {
		*usecs = READ_ONCE(priv->cfg.tx_usecs);
		*frames = READ_ONCE(priv->cfg.tx_frames);
	}
}

/* ---- TSN offloads: launch time (ETF), credit-based shaper (CBS), gates */

/* CBS credit unit, the micro-bit: a slope in kbit/s times nanoseconds */
#define TSNIC_CBS_UBITS_PER_BYTE	(8LL * 1000 * 1000)

/*
 * What the TSN offloads decided for the frame at the head: computed each
 * time the engine looks at it, applied only when it departs.
 */
struct tsnic_tsn_plan {
	s64 credit;		/* CBS: credit when it starts */
	bool held;		/* CBS: it waited for credit */
	bool late;		/* ETF: it cannot start at its launch time */
	bool drop;		/* taprio: it fits in no window of its class */
};

/* Raw ns for credit @c (< 0) to come back to 0 at @idle kbit/s. */
static u64 tsnic_cbs_recover_ns(s64 c, s64 idle)
{
	return div64_u64((u64)-c + idle - 1, idle);
}

/*
 * Credit @c, @dt ns later, rising at @idle up to @cap (which it does not
 * exceed already).  No overflow: the product is formed only below the cap.
 */
static s64 tsnic_cbs_rise(s64 c, u64 dt, s64 idle, s64 cap)
{
	if (dt >= div64_u64(cap - c, idle))
		return cap;
	return c + idle * (s64)dt;
}

/*
 * 802.1Q's credit-based shaper, on the frame handed over at @ready that
 * could start at @start.  From credit_at (the end of the queue's last
 * frame) to @ready the queue was empty: a negative credit recovers at
 * idleslope up to 0, a positive one is lost.  From then on the frame
 * waits: credit rises at idleslope up to hicredit, and the frame starts
 * once it is >= 0.  While it is sent the credit falls at sendslope, down
 * to locredit (tsnic_engine_tsn_sent()).  Returns the start.
 */
static u64 tsnic_cbs_start(const struct tsnic_engine *eng, u64 ready,
			   u64 start, struct tsnic_tsn_plan *plan)
{
	s64 idle = eng->cbs_idleslope;
	u64 t = eng->credit_at;
	s64 c = eng->credit;
	u64 wait;

	if (ready > t) {
		c = c < 0 ? tsnic_cbs_rise(c, ready - t, idle, 0) : 0;
		t = ready;
	}
	if (start > t && c < eng->cbs_hicredit)
		c = tsnic_cbs_rise(c, start - t, idle, eng->cbs_hicredit);
	if (c < 0) {
		wait = tsnic_cbs_recover_ns(c, idle);
		start += wait;
		c = min(c + idle * (s64)wait, eng->cbs_hicredit);
		plan->held = true;
	}
	plan->credit = c;
	return start;
}

/*
 * The last raw instant at which the PHC reads @ns or less: a frame whose
 * last bit leaves then is stamped no later than @ns.
 */
static u64 tsnic_gate_raw_close(struct tsnic_phc *phc, u64 ns)
{
	u64 t = tsnic_phc_raw_at(phc, ns + 1);

	return t ? t - 1 : 0;
}

/*
 * Does a frame of @wire ns fit in the window [@open, @close] (PHC ns),
 * starting no earlier than @start (raw ns)?  Its start, or U64_MAX.
 */
static u64 tsnic_gate_fit(struct tsnic_phc *phc, u64 open, u64 close,
			  u64 start, u64 wire)
{
	u64 s = max(start, tsnic_phc_raw_at(phc, open));
	u64 e = tsnic_gate_raw_close(phc, close);

	return s <= e && wire <= e - s ? s : U64_MAX;
}

/*
 * taprio: the start of a frame of @len bytes and @wire ns on a queue of
 * traffic class @tc, the wire free at @start: the first instant at or
 * after it inside a window of the class's gate where the whole frame
 * fits before the gate closes (the guard band).  The gate control list
 * is on the PHC timeline; each window is converted to raw time on the
 * clock's current time base.  Before the schedule's first cycle the
 * queue runs free, but a frame must end by the first cycle's start.
 * A frame longer than the class's max-SDU, or one that fits in none of
 * the class's windows over a whole cycle, is to be dropped (@plan).
 */
static u64 tsnic_gate_start(struct tsnic_tx_ring *ring, u64 len, u64 wire,
			    u64 start, struct tsnic_tsn_plan *plan)
{
	const struct tsnic_gcl *g = ring->eng.gcl;
	struct tsnic_phc *phc = &ring->priv->card->phc;
	unsigned int tc = ring->eng.gate_tc;
	const struct tsnic_gate_win *w = &g->win[tc * g->stride];
	unsigned int n = g->nwin[tc], k = 0, i;
	u64 p, off, cs, s;

	if (g->max_len[tc] && len > g->max_len[tc])
		goto drop;
	p = tsnic_phc_time_at(phc, start);
	if (p < g->start) {
		s = tsnic_gate_fit(phc, 0, g->start, start, wire);
		if (s != U64_MAX)
			return s;
		p = g->start;
	}
	if (g->always & BIT(tc))
		return max(start, tsnic_phc_raw_at(phc, p));
	if (!n)
		goto drop;

	/* the cycle p is in, and the first window of it not over at p */
	div64_u64_rem(p - g->start, g->cycle, &off);
	cs = p - off;
	if (w[n - 1].close > g->cycle && off < w[n - 1].close - g->cycle) {
		/* the previous cycle's last window, still open */
		cs -= g->cycle;
		k = n - 1;
	} else {
		while (k < n && cs + w[k].close <= p)
			k++;
		if (k == n) {
			k = 0;
			cs += g->cycle;
		}
	}
	/* one cycle's windows, and the one it started in again */
	for (i = 0; i <= n; i++) {
		s = tsnic_gate_fit(phc, cs + w[k].open, cs + w[k].close,
				   start, wire);
		if (s != U64_MAX)
			return s;
		if (++k == n) {
			k = 0;
			cs += g->cycle;
		}
	}
drop:
	plan->drop = true;
	return start;
}

/*
 * The start of the frame (@len bytes, @wire ns) at the head of a queue
 * with a TSN offload, the wire free at @start and the frame handed over
 * at @eop's ready.  ETF: not before the launch time latched at the
 * doorbell (a frame already late starts at once, as igc sends one).
 * CBS: not before its credit allows.  The engine lets a queue have one
 * or the other (tc.c).  taprio: then inside a gate window where it fits.
 */
static u64 tsnic_engine_tsn_start(struct tsnic_tx_ring *ring,
				  const struct tsnic_tx_desc *sop,
				  const struct tsnic_tx_desc *eop, u32 len,
				  u64 wire, u64 start,
				  struct tsnic_tsn_plan *plan)
{
	const struct tsnic_engine *eng = &ring->eng;

	plan->held = false;
	plan->late = false;
	plan->drop = false;
	if ((eng->tsn & TSNIC_TSN_ETF) && (sop->flags & TSNIC_TXD_LAUNCH)) {
		if (start > sop->launch_raw)
			plan->late = true;
		else
			start = sop->launch_raw;
	}
	if (eng->tsn & TSNIC_TSN_CBS)
		start = tsnic_cbs_start(eng, eop->ready, start, plan);
	if (eng->tsn & TSNIC_TSN_GATES) {
		/* TSO: each segment on its own against max-SDU */
		if (sop->segs > 1)
			len = sop->hdr_len + sop->mss;
		start = tsnic_gate_start(ring, len, wire, start, plan);
	}
	return start;
}

/* The frame planned by @plan departs at @depart: account for it. */
static void tsnic_engine_tsn_sent(struct tsnic_engine *eng,
				  const struct tsnic_tsn_plan *plan,
				  u64 wire, u64 depart)
{
	s64 c = plan->credit, send = eng->cbs_sendslope;

	eng->launch_late += plan->late;
	if (!(eng->tsn & TSNIC_TSN_CBS))
		return;
	eng->cbs_waits += plan->held;
	/* falls at sendslope (< 0) while it is sent, down to locredit */
	if (wire >= div64_u64(c - eng->cbs_locredit, -send))
		c = eng->cbs_locredit;
	else
		c += send * (s64)wire;
	eng->credit = c;
	eng->credit_at = depart;
}

/*
 * Latch the launch times of the frames just handed over, on the raw
 * timeline the engine counts in, through the PHC's time base now: a
 * later step of the clock does not move them (Documentation/tsnic.rst,
 * "TSN offloads").  A launch time beyond the horizon is clamped to it.
 * Under eng->lock.
 */
static void tsnic_engine_latch_launch(struct tsnic_tx_ring *ring, u32 from,
				      u32 to, u64 now)
{
	struct tsnic_engine *eng = &ring->eng;
	u32 mask = ring->count - 1;
	u64 raw;
	u32 i;

	for (i = from; i != to; i = (i + 1) & mask) {
		struct tsnic_tx_desc *d = &ring->desc[i];

		if ((d->flags & (TSNIC_TXD_SOP | TSNIC_TXD_LAUNCH)) !=
		    (TSNIC_TXD_SOP | TSNIC_TXD_LAUNCH))
			continue;
		raw = tsnic_phc_raw_at(&ring->priv->card->phc, d->launch);
		if (raw > now + TSNIC_LAUNCH_HORIZON_NS) {
			raw = now + TSNIC_LAUNCH_HORIZON_NS;
			eng->launch_far++;
		}
		d->launch_raw = raw;
	}
}

/*
 * Count an event @late_ns late in @h.  By @h's one writer (see struct
 * tsnic_engine): an increment, no lock.
 */
static void tsnic_late_record(struct tsnic_late_hist *h, u64 late_ns)
{
	u64 us = div_u64(late_ns, NSEC_PER_USEC);
	unsigned int b = min_t(unsigned int, fls64(us), TSNIC_LATE_BUCKETS - 1);

	u64_stats_update_begin(&h->syncp);
	u64_stats_inc(&h->bucket[b]);
	if (b >= TSNIC_LATE_1MS_BUCKET)
		u64_stats_inc(&h->over_1ms);
	if (late_ns > u64_stats_read(&h->max_ns))
		u64_stats_set(&h->max_ns, late_ns);
	u64_stats_update_end(&h->syncp);
}

/**
 * tsnic_late_read() - read a lateness histogram
 * @h: the histogram
 * @buckets: filled: TSNIC_LATE_BUCKETS counts, one snapshot
 *
 * Context: process or BH context.
 */
void tsnic_late_read(struct tsnic_late_hist *h, u64 *buckets)
{
	unsigned int start, b;

	do {
		start = u64_stats_fetch_begin(&h->syncp);
		for (b = 0; b < TSNIC_LATE_BUCKETS; b++)
			buckets[b] = u64_stats_read(&h->bucket[b]);
	} while (u64_stats_fetch_retry(&h->syncp, start));
}

/*
 * Raise the queue's interrupt: the frames written back so far are
 * reported, the TX NAPI may clean them.  From a poll (@in_poll) the poll
 * itself goes on to clean them.  Under eng->lock.
 */
static void tsnic_engine_irq(struct tsnic_tx_ring *ring, bool in_poll)
{
	struct tsnic_engine *eng = &ring->eng;

	eng->irq_pending = 0;
	eng->irqs++;
	WRITE_ONCE(eng->reported, eng->head);
	if (!in_poll) {
		/* the poll measures its lateness from the first schedule */
		atomic64_cmpxchg(&eng->sched_at, 0, ktime_get_ns());
		napi_schedule(&ring->napi);
	}
}

/*
 * The engine's next event (a departure at the line rate, or the end of the
 * moderation delay): what the NIC's own clock would do, delivered the only
 * way a driver sees its hardware act: the TX NAPI runs, and runs the
 * engine first (tsnic_engine_poll()).  Hard IRQ context on !PREEMPT_RT,
 * like an interrupt handler: no lock; of the engine's fields it writes
 * only its lateness (see struct tsnic_engine).
 */
static enum hrtimer_restart tsnic_engine_timer(struct hrtimer *t)
{
	struct tsnic_engine *eng = container_of(t, struct tsnic_engine, timer);
	struct tsnic_tx_ring *ring = container_of(eng, struct tsnic_tx_ring, eng);
	ktime_t now = ktime_get();
	/* the expiry is eng->timer_at, on the timer's own clock */
	s64 late = ktime_to_ns(ktime_sub(now, hrtimer_get_expires(t)));

	tsnic_late_record(&eng->timer_late, max_t(s64, late, 0));
	atomic64_cmpxchg(&eng->sched_at, 0, ktime_to_ns(now));
	napi_schedule(&ring->napi);
	return HRTIMER_NORESTART;
}

/*
 * Send what is due at @now, raise the interrupt when moderation says so,
 * and arm the timer for the next event.  Called with eng->lock held.  Each
 * loop sends one frame and is bounded by the ring size.
 */
static void tsnic_engine_run(struct tsnic_tx_ring *ring, u64 now, bool in_poll)
{
	struct tsnic_engine *eng = &ring->eng;
	struct tsnic_priv *priv = ring->priv;
	u64 rate = READ_ONCE(priv->cfg.rate_bps);
	u32 mask = ring->count - 1;
	u32 usecs, max_frames;
	u64 next = U64_MAX;
	u32 n;

	if (!eng->running)
		return;
	/* callers read the clock before they took the lock: keep the latest */
	eng->now = max(eng->now, now);

	tsnic_engine_moderation(ring, &usecs, &max_frames);
	for (n = 0; n < ring->count && !eng->stalled && eng->head != eng->tail; n++) {
		struct tsnic_tx_desc *sop = &ring->desc[eng->head];
		struct tsnic_tsn_plan plan;
		struct tsnic_tx_desc *eop;
		u64 start, wire, depart;
		u32 len, last;

		last = tsnic_engine_frame_end(ring, eng->head, &len);
		eop = &ring->desc[last];
		wire = tsnic_wire_time_ns(rate, len, sop->segs, sop->hdr_len,
					  sop->mss);
		start = max(eop->ready, eng->busy_until);
		if (unlikely(eng->tsn)) {
			start = tsnic_engine_tsn_start(ring, sop, eop, len,
						       wire, start, &plan);
			if (plan.drop) {
				/* never on the wire: done, the cleaner frees it */
				eng->window_drops++;
				depart = now;
				eop->depart = depart;
				/* write-back: the done bit last, pairs with NAPI */
				smp_store_release(&eop->status,
						  TSNIC_TXD_DD | TSNIC_TXD_DROP);
				goto written_back;
			}
		}
		depart = start + wire;
		if (depart > now) {
			/* still on the wire: look again when it is done */
			next = depart;
			break;
		}
		/* fault: the DMA stops here until the queue is reset */
		if (tsnic_fault_fire(priv, TSNIC_FAULT_STALL)) {
			eng->stalled = true;
			break;
		}

		if (unlikely(eng->tsn))
			tsnic_engine_tsn_sent(eng, &plan, wire, depart);
		eng->busy_until = depart;
		eop->depart = depart;
		/* one-step Sync: the departure time goes into the frame */
		if (sop->onestep)
			tsnic_ts_onestep_write(priv, ring->buf[eng->head].skb,
					       sop, depart);
		/* fault: the timestamp is lost, the slot will time out */
		if ((sop->flags & TSNIC_TXD_TSTAMP) &&
		    !tsnic_fault_fire(priv, TSNIC_FAULT_TS_DROP)) {
			eop->tstamp = tsnic_phc_stamp(&priv->card->phc, depart);
			/* write-back: the done bit last, pairs with NAPI */
			smp_store_release(&eop->status,
					  TSNIC_TXD_DD | TSNIC_TXD_TS_VALID);
		} else {
			/* as above: done bit last */
			smp_store_release(&eop->status, TSNIC_TXD_DD);
		}
		eng->frames++;
written_back:
		eng->head = (last + 1) & mask;

		if (!eng->irq_pending++)
			eng->irq_deadline = depart + (u64)usecs * NSEC_PER_USEC;
		/*
		 * A latched timestamp interrupts at once, as the TS interrupt
		 * of igb/ice does; other frames wait for moderation.
		 */
		if ((sop->flags & TSNIC_TXD_TSTAMP) ||
		    (max_frames && eng->irq_pending >= max_frames))
			tsnic_engine_irq(ring, in_poll);
	}

	if (eng->irq_pending) {
		if (!usecs || eng->irq_deadline <= now)
			tsnic_engine_irq(ring, in_poll);
		else
			next = min(next, eng->irq_deadline);
	}

	/*
	 * Arm the timer for the next event, unless it is already armed for
	 * that time or earlier: a timer that fires early finds nothing due
	 * and the poll re-arms it; it is never pushed back while doorbells
	 * keep coming.
	 */
	if (next != U64_MAX &&
	    (!hrtimer_is_queued(&eng->timer) || next < eng->timer_at)) {
		eng->timer_at = next;
		hrtimer_start(&eng->timer, ns_to_ktime(next - now),
			      HRTIMER_MODE_REL);
	}
}

/**
 * tsnic_engine_poll() - the TX NAPI looks at the engine
 * @ring: the TX ring
 * @irqs: filled: the interrupts raised so far (DIM's event count)
 *
 * Runs the engine up to now (the departures due, the moderation decision:
 * a timer event arrives this way) and returns how far the frames are
 * reported: the poll cleans up to there and no further, so moderation
 * holds whatever woke the poll.
 *
 * Context: TX NAPI; takes the engine's lock.
 * Return: the ring index of the first descriptor not reported.
 */
u32 tsnic_engine_poll(struct tsnic_tx_ring *ring, u64 *irqs)
{
	struct tsnic_engine *eng = &ring->eng;
	u64 at = atomic64_xchg(&eng->sched_at, 0);
	u32 reported;

	/* a poll the engine scheduled: how long it took to come */
	if (at) {
		u64 now = ktime_get_ns();

		tsnic_late_record(&eng->napi_late, now > at ? now - at : 0);
	}
	spin_lock(&eng->lock);
	tsnic_engine_run(ring, tsnic_now(), true);
	reported = eng->reported;
	*irqs = eng->irqs;
	spin_unlock(&eng->lock);
	return reported;
}

/*
 * May the frames the doorbell hands over, eng->tail up to @tail, be latched
 * at the time of the engine's last run instead of the clock's?  Only where
 * no one can tell the difference, so that the clock read (the costliest
 * step of the model under an emulated clocksource) is saved for the many
 * frames of a batch nobody timestamps:
 *
 *  - a batch is open (frames written back, not yet reported): its
 *    interrupt is due from the moderation delay or frame count, so the
 *    engine's last run was at most one moderation delay ago, and it ran
 *    while this batch was open;
 *  - every earlier frame has departed, the rate is unlimited and no TSN
 *    offload runs: the new frames depart at their latch time, at once;
 *  - none of them asks for a TX timestamp, a launch time or a one-step
 *    correction, and the peer (if wired) stamps no RX frame: no timestamp
 *    is ever taken from these departures.
 *
 * Such a frame departs at the last run's time instead of a moment later;
 * it is still reported by the same interrupt, and it still reaches the
 * peer in the same poll, in order.  Under eng->lock.
 */
static bool tsnic_engine_latch_unseen(struct tsnic_tx_ring *ring, u32 tail)
{
	struct tsnic_engine *eng = &ring->eng;
	struct tsnic_priv *priv = ring->priv;
	u32 mask = ring->count - 1;
	struct tsnic_priv *peer;
	bool unseen;
	u32 i;

	lockdep_assert_held(&eng->lock);
	if (!eng->irq_pending || eng->head != eng->tail || eng->tsn ||
	    !eng->running || eng->stalled || READ_ONCE(priv->cfg.rate_bps))
		return false;
	for (i = eng->tail; i != tail; i = (i + 1) & mask) {
		const struct tsnic_tx_desc *d = &ring->desc[i];

		if ((d->flags & TSNIC_TXD_SOP) &&
		    ((d->flags & (TSNIC_TXD_TSTAMP | TSNIC_TXD_LAUNCH)) ||
		     d->onestep))
			return false;
	}
	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	unseen = !peer ||
		 READ_ONCE(peer->tsu.rx_filter) == HWTSTAMP_FILTER_NONE;
	rcu_read_unlock();
	return unseen;
}

/**
 * tsnic_engine_doorbell() - hand descriptors to the engine
 * @ring: the TX ring
 * @tail: descriptors before it (exclusive) now belong to the engine
 *
 * Context: xmit, the queue's tx lock held; takes the engine's lock.
 */
void tsnic_engine_doorbell(struct tsnic_tx_ring *ring, u32 tail)
{
	struct tsnic_engine *eng = &ring->eng;
	u32 mask = ring->count - 1;
	u64 now;
	u32 i;

	spin_lock(&eng->lock);
	if (tsnic_engine_latch_unseen(ring, tail)) {
		now = eng->now;
		eng->lazy_latches++;
	} else {
		now = tsnic_now();
	}
	/* the hardware latches the time each new frame became visible */
	for (i = eng->tail; i != tail; i = (i + 1) & mask)
		ring->desc[i].ready = now;
	if (unlikely(eng->tsn & TSNIC_TSN_ETF))
		tsnic_engine_latch_launch(ring, eng->tail, tail, now);
	eng->tail = tail;
	tsnic_engine_run(ring, now, false);
	spin_unlock(&eng->lock);
}

/**
 * tsnic_engine_init() - set up a TX queue's engine, stopped
 * @ring: the TX ring, for the life of the device
 *
 * Context: ndo_init.
 */
void tsnic_engine_init(struct tsnic_tx_ring *ring)
{
	struct tsnic_engine *eng = &ring->eng;

	spin_lock_init(&eng->lock);
	/* an interrupt: hard IRQ context, but on PREEMPT_RT */
	hrtimer_init(&eng->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	eng->timer.function = tsnic_engine_timer;
	u64_stats_init(&eng->timer_late.syncp);
	u64_stats_init(&eng->napi_late.syncp);
}

/**
 * tsnic_engine_start() - reset the engine to an empty ring, take doorbells
 * @ring: the TX ring, its arrays allocated
 *
 * Context: control, RTNL held; takes the engine's lock.
 */
void tsnic_engine_start(struct tsnic_tx_ring *ring)
{
	struct tsnic_engine *eng = &ring->eng;

	spin_lock_bh(&eng->lock);
	eng->head = 0;
	eng->tail = 0;
	eng->busy_until = 0;
	eng->irq_pending = 0;
	eng->timer_at = U64_MAX;
	eng->reported = 0;
	eng->credit = 0;
	eng->credit_at = 0;
	eng->stalled = false;
	eng->running = true;
	/* NAPI disabled, timer cancelled: a schedule before is no lateness */
	atomic64_set(&eng->sched_at, 0);
	spin_unlock_bh(&eng->lock);
}

/**
 * tsnic_engine_set_stalled() - stall the engine (fault), or let it go on
 * @ring: the TX ring
 * @stalled: stop taking descriptors
 *
 * A stalled engine keeps its descriptors; released, it sends them as if
 * just rung: the wire is busy until now, so none departs (or is stamped)
 * in the past.
 *
 * Context: control, RTNL held; takes the engine's lock.
 */
void tsnic_engine_set_stalled(struct tsnic_tx_ring *ring, bool stalled)
{
	struct tsnic_engine *eng = &ring->eng;
	u64 now;

	spin_lock_bh(&eng->lock);
	if (eng->stalled != stalled) {
		eng->stalled = stalled;
		if (!stalled) {
			now = tsnic_now();
			eng->busy_until = max(eng->busy_until, now);
			tsnic_engine_run(ring, now, false);
		}
	}
	spin_unlock_bh(&eng->lock);
}

/**
 * tsnic_engine_stalled() - is the engine stalled by the fault?
 * @ring: the TX ring
 *
 * Context: process or BH context; takes the engine's lock.
 * Return: the stall, at the time of the call.
 */
bool tsnic_engine_stalled(struct tsnic_tx_ring *ring)
{
	struct tsnic_engine *eng = &ring->eng;
	bool stalled;

	spin_lock_bh(&eng->lock);
	stalled = eng->stalled;
	spin_unlock_bh(&eng->lock);
	return stalled;
}

/**
 * tsnic_engine_stop() - stop the engine
 * @ring: the TX ring
 *
 * After this returns the engine touches no descriptor and its timer is not
 * running.  Descriptors it had not sent stay without DD.
 *
 * Context: control (process context); takes the engine's lock.
 */
void tsnic_engine_stop(struct tsnic_tx_ring *ring)
{
	struct tsnic_engine *eng = &ring->eng;

	spin_lock_bh(&eng->lock);
	eng->running = false;
	spin_unlock_bh(&eng->lock);
	hrtimer_cancel(&eng->timer);
}

/**
 * tsnic_engine_set_launch() - honour launch times on a queue, or not
 * @ring: the TX ring
 * @on: frames with TSNIC_TXD_LAUNCH wait for their launch time
 *
 * Switched on, the launch times of frames already handed over are
 * latched now; switched off, frames waiting for a launch time go at once.
 *
 * Context: control, RTNL held; takes the engine's lock.
 */
void tsnic_engine_set_launch(struct tsnic_tx_ring *ring, bool on)
{
	struct tsnic_engine *eng = &ring->eng;
	u64 now = tsnic_now();

	spin_lock_bh(&eng->lock);
	if (on && !(eng->tsn & TSNIC_TSN_ETF)) {
		/* frames handed over already: their launch_raw is stale */
		if (eng->running)
			tsnic_engine_latch_launch(ring, eng->head, eng->tail,
						  now);
		eng->tsn |= TSNIC_TSN_ETF;
	} else if (!on) {
		eng->tsn &= ~TSNIC_TSN_ETF;
	}
	tsnic_engine_run(ring, now, false);
	spin_unlock_bh(&eng->lock);
}

/**
 * tsnic_engine_set_cbs() - run the credit-based shaper on a queue, or not
 * @ring: the TX ring
 * @on: shape from now on
 * @idleslope: kbit/s, > 0
 * @sendslope: kbit/s, < 0
 * @hicredit: bytes, >= 0
 * @locredit: bytes, <= 0
 *
 * The credit starts at 0.  The caller checked the parameters (tc.c).
 *
 * Context: control, RTNL held; takes the engine's lock.
 */
void tsnic_engine_set_cbs(struct tsnic_tx_ring *ring, bool on, s32 idleslope,
			  s32 sendslope, s32 hicredit, s32 locredit)
{
	struct tsnic_engine *eng = &ring->eng;
	u64 now = tsnic_now();

	spin_lock_bh(&eng->lock);
	if (on) {
		eng->cbs_idleslope = idleslope;
		eng->cbs_sendslope = sendslope;
		eng->cbs_hicredit = (s64)hicredit * TSNIC_CBS_UBITS_PER_BYTE;
		eng->cbs_locredit = (s64)locredit * TSNIC_CBS_UBITS_PER_BYTE;
		eng->credit = 0;
		eng->credit_at = max(now, eng->busy_until);
		eng->tsn |= TSNIC_TSN_CBS;
	} else {
		eng->tsn &= ~TSNIC_TSN_CBS;
	}
	tsnic_engine_run(ring, now, false);
	spin_unlock_bh(&eng->lock);
}

/**
 * tsnic_engine_tsn() - the TSN offloads a queue's engine runs
 * @ring: the TX ring
 *
 * Context: process or BH context; takes the engine's lock.
 * Return: TSNIC_TSN_* bits.
 */
u8 tsnic_engine_tsn(struct tsnic_tx_ring *ring)
{
	struct tsnic_engine *eng = &ring->eng;
	u8 tsn;

	spin_lock_bh(&eng->lock);
	tsn = eng->tsn;
	spin_unlock_bh(&eng->lock);
	return tsn;
}

/**
 * tsnic_engine_set_gates() - run a gate schedule on a queue, or not
 * @ring: the TX ring
 * @gcl: the schedule (tc.c keeps it until no queue runs it), NULL: none
 * @tc: the queue's traffic class in @gcl
 *
 * Takes effect at once, for the frame at the head too.
 *
 * Context: control, RTNL held; takes the engine's lock.
 */
void tsnic_engine_set_gates(struct tsnic_tx_ring *ring,
			    const struct tsnic_gcl *gcl, u8 tc)
{
	struct tsnic_engine *eng = &ring->eng;
	u64 now = tsnic_now();

	spin_lock_bh(&eng->lock);
	eng->gcl = gcl;
	eng->gate_tc = tc;
	if (gcl)
		eng->tsn |= TSNIC_TSN_GATES;
	else
		eng->tsn &= ~TSNIC_TSN_GATES;
	tsnic_engine_run(ring, now, false);
	spin_unlock_bh(&eng->lock);
}

/**
 * tsnic_engine_window_drops() - frames a queue's gates dropped
 * @ring: the TX ring
 *
 * Context: process or BH context; takes the engine's lock.
 * Return: the count, since the device was created.
 */
u64 tsnic_engine_window_drops(struct tsnic_tx_ring *ring)
{
	struct tsnic_engine *eng = &ring->eng;
	u64 n;

	spin_lock_bh(&eng->lock);
	n = eng->window_drops;
	spin_unlock_bh(&eng->lock);
	return n;
}
