// SPDX-License-Identifier: GPL-2.0
/*
 * The timestamp unit: hardware TX timestamps, deferred.
 *
 * Like igb and ice, the hardware latches a TX timestamp into one of a few
 * slots.  xmit gives an skb asking for one (SKBTX_HW_TSTAMP, tx_type ON) a
 * free slot and a reference, and marks it SKBTX_IN_PROGRESS before
 * skb_tx_timestamp(); with no slot free the request is skipped and counted.
 * When TX NAPI cleans the frame, the engine has written its departure time
 * on the PHC into the descriptor: skb_tstamp_tx() hands it to the socket's
 * error queue (on a clone, see seed 000) and the slot is freed.  A slot
 * whose timestamp never comes is reclaimed after timeout_ms; a timestamp
 * taken before a clock step (settime/adjtime) is discarded as stale.
 */

#include <linux/if_vlan.h>
#include <linux/ptp_classify.h>
#include <linux/uaccess.h>
#include <linux/udp.h>
#include <net/checksum.h>

#include "tsnic.h"

#define TSNIC_TS_POLL_MS	20
/* a PTP timestamp on the wire: 48-bit seconds, 32-bit nanoseconds */
#define TSNIC_PTP_TS_LEN	10
/* the most a Sync's headers take: Ethernet, VLAN, IPv4 with options, UDP */
#define TSNIC_ONESTEP_HDRS_MAX	(ETH_HLEN + VLAN_HLEN + 60 + 8 + \
				 sizeof(struct ptp_header) + TSNIC_PTP_TS_LEN)
/* a reordered timestamp waits at most this long for the next one */
#define TSNIC_TS_REORDER_HOLD_NS	(100 * NSEC_PER_MSEC)

/* A cookie must not wrap while a frame can wait (see struct tsnic_ts_slot). */
static_assert(sizeof_field(struct tsnic_ts_slot, cookie) >= sizeof(u32));
static_assert(sizeof_field(struct tsnic_tx_buf, ts_cookie) ==
	      sizeof_field(struct tsnic_ts_slot, cookie));

/**
 * tsnic_tsu_request() - take a TX timestamp slot for a frame
 * @priv: the device
 * @skb: the frame; the slot holds a reference to it
 * @cookie: the slot's cookie for this use, set when a slot is taken
 *
 * Context: xmit (BH disabled, the queue's tx lock held); takes the
 * timestamp unit's lock.
 * Return: the slot, or -1 if timestamping is off or no slot is free
 * (counted as skipped).
 */
int tsnic_tsu_request(struct tsnic_priv *priv, struct sk_buff *skb,
		      u32 *cookie)
{
	struct tsnic_tsu *tsu = &priv->tsu;
	int i, slot = -1;

	/* ON, or a one-step tx_type for the frames the engine does not stamp */
	if (READ_ONCE(tsu->tx_type) == HWTSTAMP_TX_OFF)
		return -1;

	spin_lock(&tsu->lock);
	for (i = 0; i < tsu->nslots; i++) {
		struct tsnic_ts_slot *s = &tsu->slots[i];

		if (s->state != TSNIC_TS_FREE)
			continue;
		s->state = TSNIC_TS_PENDING;
		s->skb = skb_get(skb);
		s->start = tsnic_now();
		s->gen = tsnic_phc_gen(&priv->card->phc);
		*cookie = ++s->cookie;
		tsu->pending++;
		tsu->requested++;
		slot = i;
		break;
	}
	if (slot < 0)
		tsu->skipped++;
	spin_unlock(&tsu->lock);

	if (slot >= 0) {
		skb_shinfo(skb)->tx_flags |= SKBTX_IN_PROGRESS;
		if (!delayed_work_pending(&tsu->timeout_work))
			schedule_delayed_work(&tsu->timeout_work,
					      msecs_to_jiffies(TSNIC_TS_POLL_MS));
	}
	return slot;
}

/* Free a slot; returns its skb reference.  Under tsu->lock. */
static struct sk_buff *tsnic_tsu_release(struct tsnic_tsu *tsu,
					 struct tsnic_ts_slot *s)
{
	struct sk_buff *skb = s->skb;

	s->skb = NULL;
	s->state = TSNIC_TS_FREE;
	tsu->pending--;
	return skb;
}

/*
 * Release slot @s with timestamp @hwts onto @out (skb->tstamp carries the
 * timestamp to deliver, 0 for a stale one).  Under tsu->lock.
 */
static void tsnic_tsu_release_to(struct tsnic_priv *priv,
				 struct tsnic_ts_slot *s, u64 hwts,
				 struct sk_buff_head *out)
{
	struct tsnic_tsu *tsu = &priv->tsu;
	bool stale = s->gen != tsnic_phc_gen(&priv->card->phc);
	struct sk_buff *skb;

	if (stale)
		tsu->stale++;
	else
		tsu->delivered++;
	skb = tsnic_tsu_release(tsu, s);
	/* the list is ours alone: borrow skb->cb for the timestamp */
	*(u64 *)skb->cb = stale ? 0 : hwts;
	__skb_queue_tail(out, skb);
}

/* Hand the timestamps released onto @list to their sockets. */
static void tsnic_tsu_deliver(struct sk_buff_head *list)
{
	struct skb_shared_hwtstamps shhwt = {};
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(list))) {
		u64 hwts = *(u64 *)skb->cb;

		if (hwts) {
			shhwt.hwtstamp = ns_to_ktime(hwts);
			skb_tstamp_tx(skb, &shhwt);
		}
		dev_kfree_skb_any(skb);
	}
}

/* Arm the hold timer for @due if it is not armed earlier.  Under lock. */
static void tsnic_tsu_hold_arm(struct tsnic_tsu *tsu, u64 due, u64 now)
{
	if (due >= tsu->hold_at)
		return;
	tsu->hold_at = due;
	hrtimer_start(&tsu->hold_timer, ns_to_ktime(due > now ? due - now : 0),
		      HRTIMER_MODE_REL_SOFT);
}

/* Fault: hold slot @s's timestamp back until @due.  Under tsu->lock. */
static void tsnic_tsu_hold(struct tsnic_tsu *tsu, struct tsnic_ts_slot *s,
			   u64 hwts, u64 due, bool reorder, u64 now)
{
	s->state = TSNIC_TS_HELD;
	s->hwts = hwts;
	s->due = due;
	s->reorder = reorder;
	tsnic_tsu_hold_arm(tsu, due, now);
}

/*
 * Release the HELD slots that are due at @now, or, with @reorder, those
 * held for reordering; re-arm the hold timer for the rest.  Under lock.
 */
static void tsnic_tsu_release_held(struct tsnic_priv *priv, u64 now,
				   bool reorder, struct sk_buff_head *out)
{
	struct tsnic_tsu *tsu = &priv->tsu;
	u64 next = U64_MAX;
	int i;

	for (i = 0; i < TSNIC_TS_SLOTS_MAX; i++) {
		struct tsnic_ts_slot *s = &tsu->slots[i];

		if (s->state != TSNIC_TS_HELD)
			continue;
		if (s->due <= now || (reorder && s->reorder))
			tsnic_tsu_release_to(priv, s, s->hwts, out);
		else
			next = min(next, s->due);
	}
	if (next != U64_MAX)
		tsnic_tsu_hold_arm(tsu, next, now);
}

static enum hrtimer_restart tsnic_tsu_hold_timer(struct hrtimer *t)
{
	struct tsnic_tsu *tsu = container_of(t, struct tsnic_tsu, hold_timer);
	struct tsnic_priv *priv = container_of(tsu, struct tsnic_priv, tsu);
	struct sk_buff_head out;

	__skb_queue_head_init(&out);
	spin_lock(&tsu->lock);
	tsu->hold_at = U64_MAX;
	tsnic_tsu_release_held(priv, tsnic_now(), false, &out);
	spin_unlock(&tsu->lock);
	tsnic_tsu_deliver(&out);
	return HRTIMER_NORESTART;
}

/**
 * tsnic_tsu_complete() - deliver the timestamp of a sent frame
 * @priv: the device
 * @slot: the frame's slot
 * @cookie: the cookie tsnic_tsu_request() gave; a slot reclaimed and taken
 *	again meanwhile does not match
 * @hwts: PHC ns the frame left at
 *
 * The delay and reorder faults hold the timestamp back here, as a
 * timestamp FIFO that is read late or out of order would.
 *
 * Context: TX NAPI (softirq); takes the timestamp unit's lock.
 */
void tsnic_tsu_complete(struct tsnic_priv *priv, int slot, u32 cookie,
			u64 hwts)
{
	struct tsnic_tsu *tsu = &priv->tsu;
	struct tsnic_ts_slot *s = &tsu->slots[slot];
	struct sk_buff_head out;
	u64 now;

	__skb_queue_head_init(&out);
	spin_lock(&tsu->lock);
	/* else reclaimed by the timeout or a flush already */
	if (s->state == TSNIC_TS_PENDING && s->cookie == cookie) {
		now = tsnic_now();
		if (tsnic_fault_fire(priv, TSNIC_FAULT_TS_DELAY)) {
			tsnic_tsu_hold(tsu, s, hwts,
				       now + READ_ONCE(priv->faults.ts_delay_ns),
				       false, now);
		} else if (tsnic_fault_fire(priv, TSNIC_FAULT_TS_REORDER)) {
			tsnic_tsu_hold(tsu, s, hwts,
				       now + TSNIC_TS_REORDER_HOLD_NS, true,
				       now);
		} else {
			tsnic_tsu_release_to(priv, s, hwts, &out);
			/* those held for reordering come after this one */
			if (tsu->pending)
				tsnic_tsu_release_held(priv, now, true, &out);
		}
	}
	spin_unlock(&tsu->lock);
	tsnic_tsu_deliver(&out);
}

/**
 * tsnic_tsu_cancel() - free the slot of a frame dropped from the ring
 * @priv: the device
 * @slot: the frame's slot
 * @cookie: the cookie tsnic_tsu_request() gave
 *
 * No timestamp will come; the slot counts as flushed.
 *
 * Context: process or BH context; takes the timestamp unit's lock.
 */
void tsnic_tsu_cancel(struct tsnic_priv *priv, int slot, u32 cookie)
{
	struct tsnic_tsu *tsu = &priv->tsu;
	struct tsnic_ts_slot *s = &tsu->slots[slot];
	struct sk_buff *skb = NULL;

	spin_lock_bh(&tsu->lock);
	if (s->state == TSNIC_TS_PENDING && s->cookie == cookie) {
		tsu->flushed++;
		skb = tsnic_tsu_release(tsu, s);
	}
	spin_unlock_bh(&tsu->lock);
	dev_kfree_skb_any(skb);
}

/**
 * tsnic_tsu_flush() - drop every pending timestamp
 * @priv: the device
 *
 * Link down or ring reset: the frames' timestamps are lost, their slots
 * freed and counted as flushed.
 *
 * Context: control (process context); takes the timestamp unit's lock.
 */
void tsnic_tsu_flush(struct tsnic_priv *priv)
{
	struct tsnic_tsu *tsu = &priv->tsu;
	struct sk_buff_head drop;
	int i;

	__skb_queue_head_init(&drop);
	spin_lock_bh(&tsu->lock);
	for (i = 0; i < TSNIC_TS_SLOTS_MAX; i++) {
		struct tsnic_ts_slot *s = &tsu->slots[i];

		if (s->state == TSNIC_TS_FREE)
			continue;
		tsu->flushed++;
		__skb_queue_tail(&drop, tsnic_tsu_release(tsu, s));
	}
	spin_unlock_bh(&tsu->lock);
	__skb_queue_purge(&drop);
}

static void tsnic_tsu_timeout_work(struct work_struct *work)
{
	struct tsnic_tsu *tsu = container_of(to_delayed_work(work),
					     struct tsnic_tsu, timeout_work);
	struct tsnic_priv *priv = container_of(tsu, struct tsnic_priv, tsu);
	u64 timeout = (u64)READ_ONCE(tsu->timeout_ms) * NSEC_PER_MSEC;
	u64 now = tsnic_now();
	struct sk_buff_head drop;
	u64 n = 0;
	bool again;
	int i;

	__skb_queue_head_init(&drop);
	spin_lock_bh(&tsu->lock);
	for (i = 0; i < TSNIC_TS_SLOTS_MAX; i++) {
		struct tsnic_ts_slot *s = &tsu->slots[i];

		if (s->state != TSNIC_TS_PENDING || now - s->start < timeout)
			continue;
		tsu->timeouts++;
		n++;
		__skb_queue_tail(&drop, tsnic_tsu_release(tsu, s));
	}
	again = tsu->pending;
	spin_unlock_bh(&tsu->lock);

	/* freed without a timestamp: the socket never hears of it */
	__skb_queue_purge(&drop);
	if (n)
		tsnic_nl_notify_ts_timeout(priv, n);
	if (again)
		schedule_delayed_work(&tsu->timeout_work,
				      msecs_to_jiffies(TSNIC_TS_POLL_MS));
}

/**
 * tsnic_tsu_init() - set up the timestamp unit, timestamping off
 * @priv: the device
 * @nslots: slots in use, at most TSNIC_TS_SLOTS_MAX
 * @timeout_ms: a pending slot is reclaimed after this long
 *
 * Context: ndo_init.
 */
void tsnic_tsu_init(struct tsnic_priv *priv, u32 nslots, u32 timeout_ms)
{
	struct tsnic_tsu *tsu = &priv->tsu;

	spin_lock_init(&tsu->lock);
	INIT_DELAYED_WORK(&tsu->timeout_work, tsnic_tsu_timeout_work);
	hrtimer_init(&tsu->hold_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	tsu->hold_timer.function = tsnic_tsu_hold_timer;
	tsu->hold_at = U64_MAX;
	tsu->nslots = nslots;
	tsu->timeout_ms = timeout_ms;
	tsu->tx_type = HWTSTAMP_TX_OFF;
	tsu->rx_filter = HWTSTAMP_FILTER_NONE;
	tsu->rx_req = HWTSTAMP_FILTER_NONE;
	tsu->personality = TSNIC_TS_PERSONALITY_FULL;
}

/**
 * tsnic_tsu_fini() - stop the timestamp unit of a device going away
 * @priv: the device, closed: nothing is in flight any more
 *
 * Context: ndo_uninit, process context; waits for the timeout work.
 */
void tsnic_tsu_fini(struct tsnic_priv *priv)
{
	hrtimer_cancel(&priv->tsu.hold_timer);
	tsnic_tsu_flush(priv);
	cancel_delayed_work_sync(&priv->tsu.timeout_work);
}

/* ---- personalities: what the timestamp unit claims and does ---------- */

#define TSNIC_RX_V2_L4	(BIT(HWTSTAMP_FILTER_PTP_V2_L4_EVENT) |		\
			 BIT(HWTSTAMP_FILTER_PTP_V2_L4_SYNC) |		\
			 BIT(HWTSTAMP_FILTER_PTP_V2_L4_DELAY_REQ))
#define TSNIC_RX_V2_L2	(BIT(HWTSTAMP_FILTER_PTP_V2_L2_EVENT) |		\
			 BIT(HWTSTAMP_FILTER_PTP_V2_L2_SYNC) |		\
			 BIT(HWTSTAMP_FILTER_PTP_V2_L2_DELAY_REQ))
#define TSNIC_RX_V2_ANY	(BIT(HWTSTAMP_FILTER_PTP_V2_EVENT) |		\
			 BIT(HWTSTAMP_FILTER_PTP_V2_SYNC) |		\
			 BIT(HWTSTAMP_FILTER_PTP_V2_DELAY_REQ))
#define TSNIC_RX_V2	(TSNIC_RX_V2_L4 | TSNIC_RX_V2_L2 | TSNIC_RX_V2_ANY)
/* what `full` stamps every frame for: it has no finer filter for these */
#define TSNIC_RX_WIDE	(BIT(HWTSTAMP_FILTER_ALL) | BIT(HWTSTAMP_FILTER_SOME) | \
			 BIT(HWTSTAMP_FILTER_PTP_V1_L4_EVENT) |		\
			 BIT(HWTSTAMP_FILTER_PTP_V1_L4_SYNC) |		\
			 BIT(HWTSTAMP_FILTER_PTP_V1_L4_DELAY_REQ) |	\
			 BIT(HWTSTAMP_FILTER_NTP_ALL))

/**
 * struct tsnic_ts_pers - a timestamping personality
 * @name: as the netlink spec names it
 * @tx_types: the tx_type values accepted
 * @rx_accept: the rx_filter values accepted, besides NONE
 * @rx_claim: the rx_filters get_ts_info reports, besides NONE
 * @rx_v2: the filter a PTPv2 request is widened to
 */
struct tsnic_ts_pers {
	const char *name;
	u32 tx_types;
	u32 rx_accept;
	u32 rx_claim;
	int rx_v2;
};

#define TSNIC_TX_TWO_STEP	(BIT(HWTSTAMP_TX_OFF) | BIT(HWTSTAMP_TX_ON))

static const struct tsnic_ts_pers tsnic_ts_pers[] = {
	[TSNIC_TS_PERSONALITY_FULL] = {
		.name = "full",
		.tx_types = TSNIC_TX_TWO_STEP | BIT(HWTSTAMP_TX_ONESTEP_SYNC) |
			    BIT(HWTSTAMP_TX_ONESTEP_P2P),
		.rx_accept = TSNIC_RX_V2 | TSNIC_RX_WIDE,
		.rx_claim = BIT(HWTSTAMP_FILTER_ALL) |
			    BIT(HWTSTAMP_FILTER_PTP_V2_EVENT) |
			    BIT(HWTSTAMP_FILTER_PTP_V2_L2_EVENT) |
			    BIT(HWTSTAMP_FILTER_PTP_V2_L4_EVENT) |
			    BIT(HWTSTAMP_FILTER_PTP_V2_SYNC) |
			    BIT(HWTSTAMP_FILTER_PTP_V2_DELAY_REQ),
		.rx_v2 = HWTSTAMP_FILTER_PTP_V2_EVENT,
	},
	[TSNIC_TS_PERSONALITY_PTP_V2_L4] = {
		.name = "ptp-v2-l4",
		.tx_types = TSNIC_TX_TWO_STEP,
		.rx_accept = TSNIC_RX_V2_L4,
		.rx_claim = TSNIC_RX_V2_L4,
		.rx_v2 = HWTSTAMP_FILTER_PTP_V2_L4_EVENT,
	},
	[TSNIC_TS_PERSONALITY_PTP_V2_L2] = {
		.name = "ptp-v2-l2",
		.tx_types = TSNIC_TX_TWO_STEP,
		.rx_accept = TSNIC_RX_V2_L2,
		.rx_claim = TSNIC_RX_V2_L2,
		.rx_v2 = HWTSTAMP_FILTER_PTP_V2_L2_EVENT,
	},
	[TSNIC_TS_PERSONALITY_PTP_V2_ANY] = {
		.name = "ptp-v2-any",
		.tx_types = TSNIC_TX_TWO_STEP,
		.rx_accept = TSNIC_RX_V2,
		.rx_claim = TSNIC_RX_V2_ANY | BIT(HWTSTAMP_FILTER_PTP_V2_L2_EVENT) |
			    BIT(HWTSTAMP_FILTER_PTP_V2_L4_EVENT),
		.rx_v2 = HWTSTAMP_FILTER_PTP_V2_EVENT,
	},
};

static_assert(ARRAY_SIZE(tsnic_ts_pers) == TSNIC_TS_PERSONALITY_MAX + 1);
static_assert(__HWTSTAMP_FILTER_CNT <= 32 && __HWTSTAMP_TX_CNT <= 32);

/*
 * The filter personality @p applies for the request @req: the request
 * widened to what the unit can tell apart, or -ERANGE.
 */
static int tsnic_ts_rx_map(const struct tsnic_ts_pers *p, int req)
{
	if (req == HWTSTAMP_FILTER_NONE)
		return HWTSTAMP_FILTER_NONE;
	if (req < 0 || req >= __HWTSTAMP_FILTER_CNT ||
	    !(p->rx_accept & BIT(req)))
		return -ERANGE;
	return TSNIC_RX_V2 & BIT(req) ? p->rx_v2 : HWTSTAMP_FILTER_ALL;
}

/**
 * tsnic_ts_personality_name() - the name of a personality
 * @personality: enum tsnic_ts_personality
 *
 * Context: any.
 * Return: its name, as the netlink spec has it.
 */
const char *tsnic_ts_personality_name(u32 personality)
{
	if (personality >= ARRAY_SIZE(tsnic_ts_pers))
		return "unknown";
	return tsnic_ts_pers[personality].name;
}

/**
 * tsnic_ts_caps() - what the device's personality claims
 * @priv: the device
 * @tx_types: filled: BIT() of each tx_type accepted
 * @rx_filters: filled: BIT() of the rx_filters get_ts_info reports
 *
 * Context: any; reads the personality with READ_ONCE().
 */
void tsnic_ts_caps(struct tsnic_priv *priv, u32 *tx_types, u32 *rx_filters)
{
	const struct tsnic_ts_pers *p =
		&tsnic_ts_pers[READ_ONCE(priv->tsu.personality)];

	*tx_types = p->tx_types;
	*rx_filters = BIT(HWTSTAMP_FILTER_NONE) | p->rx_claim;
}

/**
 * tsnic_ts_set_personality() - change the timestamping personality
 * @priv: the device
 * @personality: enum tsnic_ts_personality, checked by the policy
 *
 * The configuration in effect is applied again, as a reset of the
 * timestamp unit would: a tx_type the new personality lacks becomes OFF,
 * the rx_filter last asked for is mapped again, or NONE if it is refused.
 *
 * Context: RTNL held.
 */
void tsnic_ts_set_personality(struct tsnic_priv *priv, u32 personality)
{
	const struct tsnic_ts_pers *p = &tsnic_ts_pers[personality];
	struct tsnic_tsu *tsu = &priv->tsu;
	int tx = tsu->tx_type, rx;

	ASSERT_RTNL();
	if (!(p->tx_types & BIT(tx)))
		tx = HWTSTAMP_TX_OFF;
	rx = tsnic_ts_rx_map(p, tsu->rx_req);
	if (rx < 0) {
		rx = HWTSTAMP_FILTER_NONE;
		tsu->rx_req = HWTSTAMP_FILTER_NONE;
	}
	WRITE_ONCE(tsu->personality, personality);
	WRITE_ONCE(tsu->tx_type, tx);
	WRITE_ONCE(tsu->rx_filter, rx);
}

/* ---- one-step Sync and one-step P2P ------------------------------------ */

/*
 * How the engine writes into a PTPv2 frame of class @class (from
 * ptp_classify_raw()): enum tsnic_onestep, TSNIC_ONESTEP_NONE if it is
 * not PTPv2 over UDP/IPv4, UDP/IPv6 or Ethernet.
 */
static int tsnic_ts_v2_kind(unsigned int class)
{
	if (class == PTP_CLASS_NONE || (class & PTP_CLASS_VMASK) != PTP_CLASS_V2)
		return TSNIC_ONESTEP_NONE;
	switch (class & PTP_CLASS_PMASK) {
	case PTP_CLASS_IPV4:
		return TSNIC_ONESTEP_UDP4;
	case PTP_CLASS_IPV6:
		return TSNIC_ONESTEP_UDP6;
	case PTP_CLASS_L2:
		return TSNIC_ONESTEP_L2;
	default:
		return TSNIC_ONESTEP_NONE;
	}
}

/**
 * tsnic_ts_onestep_prepare() - is this a frame the engine must stamp?
 * @priv: the device, its tx_type ONESTEP_SYNC or ONESTEP_P2P
 * @skb: the frame, its data at the MAC header
 * @ptp_off: filled for a one-step frame: its PTP header's offset
 *
 * A PTPv2 Sync gets its departure time written into originTimestamp by
 * the engine as it leaves (tsnic_ts_onestep_write()), and no TX
 * timestamp on the error queue; with ONESTEP_P2P so does a Pdelay_Resp,
 * into its correctionField.  The engine writes into the frame, so its
 * headers up to the end of originTimestamp are made linear and private
 * here: a clone a tap (or anyone) still shares keeps its bytes.  A frame
 * that cannot be made so is dropped and counted: sent unchanged it would
 * carry a wrong time and no follow-up message would mend it.  (So is a
 * PTP event frame of a shared skb whose headers are not linear:
 * pktgen's, which do not carry PTP.)
 *
 * Context: xmit (BH disabled); allocates with GFP_ATOMIC, takes the
 * timestamp unit's lock.
 * Return: enum tsnic_onestep, TSNIC_ONESTEP_NONE for any other frame,
 * or -ENOMEM: drop the frame.
 */
int tsnic_ts_onestep_prepare(struct tsnic_priv *priv, struct sk_buff *skb,
			     u16 *ptp_off)
{
	struct tsnic_tsu *tsu = &priv->tsu;
	unsigned int class, end;
	struct ptp_header *hdr;
	int kind;

	class = ptp_classify_raw(skb);
	kind = tsnic_ts_v2_kind(class);
	if (kind == TSNIC_ONESTEP_NONE)
		return TSNIC_ONESTEP_NONE;
	/*
	 * The headers up to a Sync's originTimestamp, in the linear part
	 * (where the stack puts them): pulled if need be, which a shared skb
	 * (pktgen's) is not ours to do.
	 */
	end = min_t(unsigned int, skb->len, TSNIC_ONESTEP_HDRS_MAX);
	if (skb_headlen(skb) < end &&
	    (skb_shared(skb) || !pskb_may_pull(skb, end)))
		goto err;
	hdr = ptp_parse_header(skb, class);
	if (!hdr)
		return TSNIC_ONESTEP_NONE;
	switch (ptp_get_msgtype(hdr, class)) {
	case PTP_MSGTYPE_SYNC:
		break;
	case PTP_MSGTYPE_PDELAY_RESP:
		if (READ_ONCE(tsu->tx_type) == HWTSTAMP_TX_ONESTEP_P2P)
			break;
		fallthrough;
	default:
		return TSNIC_ONESTEP_NONE;
	}
	*ptp_off = (u8 *)hdr - skb->data;
	end = *ptp_off + sizeof(*hdr) + TSNIC_PTP_TS_LEN;
	if (end > skb_headlen(skb) || skb_shared(skb) ||
	    skb_ensure_writable(skb, end))
		goto err;

	spin_lock(&tsu->lock);
	tsu->onestep++;
	spin_unlock(&tsu->lock);
	return kind;

err:
	spin_lock(&tsu->lock);
	tsu->onestep_err++;
	spin_unlock(&tsu->lock);
	return -ENOMEM;
}

/*
 * A UDP checksum over @len bytes at @p that change from @old (their
 * csum_partial() before the change): updated in place, as hardware
 * inserting a timestamp does.  None for PTP over Ethernet, none for a
 * UDP/IPv4 datagram sent without one, and none while the checksum is
 * still the offload's to compute (CHECKSUM_PARTIAL: it will cover the new
 * bytes).  @p is at an even offset of the UDP datagram.
 */
static void tsnic_ts_udp_csum(struct sk_buff *skb, int kind,
			      struct ptp_header *hdr, const u8 *p,
			      unsigned int len, __wsum old)
{
	struct udphdr *uh = (void *)((u8 *)hdr - sizeof(*uh));

	if (kind == TSNIC_ONESTEP_L2 || skb->ip_summed == CHECKSUM_PARTIAL)
		return;
	if (kind == TSNIC_ONESTEP_UDP4 && !uh->check)
		return;
	csum_replace_by_diff(&uh->check,
			     csum_sub(csum_partial(p, len, 0), old));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
}

/*
 * correctionField += @ns, in its unit (ns << 16) and modulo 2^64: the
 * ingress time subtracted on receipt of a Pdelay_Req and the egress time
 * added to the Pdelay_Resp leave the turnaround time exactly, whatever
 * the intermediate value.
 */
static void tsnic_ts_correction_add(struct sk_buff *skb, int kind,
				    struct ptp_header *hdr, u64 ns)
{
	__wsum old = csum_partial(&hdr->correction, sizeof(hdr->correction), 0);
	u64 c = get_unaligned_be64(&hdr->correction);

	put_unaligned_be64(c + (ns << 16), &hdr->correction);
	tsnic_ts_udp_csum(skb, kind, hdr, (u8 *)&hdr->correction,
			  sizeof(hdr->correction), old);
}

/**
 * tsnic_ts_onestep_write() - the engine stamps a one-step frame leaving
 * @priv: the device
 * @skb: the frame, made private by tsnic_ts_onestep_prepare()
 * @sop: its first descriptor: onestep and ptp_off
 * @depart: raw ns it leaves at
 *
 * A Sync's originTimestamp gets the PHC time of the departure.  Its
 * correctionField is left as the sender wrote it: IEEE 1588 puts only
 * the sub-nanosecond part of the departure there, which a whole-ns clock
 * does not have.  A Pdelay_Resp (ONESTEP_P2P) gets the departure time
 * added to its correctionField, which carries the Pdelay_Req's minus its
 * ingress time (tsnic_ts_p2p_rx(); the responder copies it): the
 * requester then reads the turnaround time there, as IEEE 1588's one-step
 * peer delay response has it.  UDP checksums as tsnic_ts_udp_csum() says.
 *
 * Context: the engine: softirq or xmit, the engine's lock held.
 */
void tsnic_ts_onestep_write(struct tsnic_priv *priv, struct sk_buff *skb,
			    const struct tsnic_tx_desc *sop, u64 depart)
{
	struct ptp_header *hdr = (void *)(skb->data + sop->ptp_off);
	u8 *origin = (u8 *)(hdr + 1);
	u64 ts = tsnic_phc_stamp(&priv->card->phc, depart);
	__be32 sec_lo, nsec;
	__be16 sec_hi;
	__wsum old;
	u64 sec;
	u32 ns;

	/* the message type: the low nibble of the first byte (PTPv2) */
	if ((hdr->tsmt & 0x0f) == PTP_MSGTYPE_PDELAY_RESP) {
		tsnic_ts_correction_add(skb, sop->onestep, hdr, ts);
		return;
	}

	/* originTimestamp: 48-bit seconds, 32-bit ns, big endian */
	sec = div_u64_rem(ts, NSEC_PER_SEC, &ns);
	sec_hi = cpu_to_be16(upper_32_bits(sec) & 0xffff);
	sec_lo = cpu_to_be32(lower_32_bits(sec));
	nsec = cpu_to_be32(ns);
	old = csum_partial(origin, TSNIC_PTP_TS_LEN, 0);
	memcpy(origin, &sec_hi, sizeof(sec_hi));
	memcpy(origin + 2, &sec_lo, sizeof(sec_lo));
	memcpy(origin + 6, &nsec, sizeof(nsec));
	tsnic_ts_udp_csum(skb, sop->onestep, hdr, origin, TSNIC_PTP_TS_LEN, old);
}

/**
 * tsnic_ts_p2p_rx() - one-step P2P: a Pdelay_Req arriving
 * @skb: a received frame, private (unshared and uncloned), its data at L3
 * @t2: its ingress time on the PHC
 *
 * With ONESTEP_P2P, the ingress time of a Pdelay_Req is subtracted from
 * its correctionField (see tsnic_ts_correction_add()), which the
 * responder copies into its Pdelay_Resp; the UDP checksum is kept right.
 * Other frames are left alone, and so is a Pdelay_Req whose headers
 * cannot be made linear (no memory): its requester sees a wrong delay
 * once, as it would from a NIC that ran out of buffers.
 *
 * Context: RX NAPI (softirq).
 */
void tsnic_ts_p2p_rx(struct sk_buff *skb, u64 t2)
{
	struct ptp_header *hdr;
	unsigned int class, end;
	int kind;

	__skb_push(skb, ETH_HLEN);
	class = ptp_classify_raw(skb);
	__skb_pull(skb, ETH_HLEN);
	kind = tsnic_ts_v2_kind(class);
	if (kind == TSNIC_ONESTEP_NONE)
		return;
	hdr = ptp_parse_header(skb, class);
	if (!hdr || ptp_get_msgtype(hdr, class) != PTP_MSGTYPE_PDELAY_REQ)
		return;
	/* the header in the linear part, where it is written */
	end = (u8 *)(hdr + 1) - skb->data;
	if (end > skb_headlen(skb)) {
		if (!pskb_may_pull(skb, end))
			return;
		hdr = ptp_parse_header(skb, class);
		if (!hdr)
			return;
	}
	tsnic_ts_correction_add(skb, kind, hdr, -t2);
}

/* ---- configuration (SIOCSHWTSTAMP / ndo_hwtstamp_set) ------------------ */

/**
 * tsnic_hwtstamp_set() - apply a hardware timestamping configuration
 * @priv: the device
 * @cfg: the request; its rx_filter is set to the filter applied, which
 *	may cover more than asked
 * @extack: for the reason of a rejection, or NULL (ioctl)
 *
 * Context: RTNL held.
 * Return: 0, or -EINVAL/-ERANGE for a configuration the device cannot
 * do.
 */
int tsnic_hwtstamp_set(struct tsnic_priv *priv, struct hwtstamp_config *cfg,
		       struct netlink_ext_ack *extack)
{
	const struct tsnic_ts_pers *p = &tsnic_ts_pers[priv->tsu.personality];
	int rx_filter;

	if (cfg->flags & ~HWTSTAMP_FLAG_BONDED_PHC_INDEX) {
		NL_SET_ERR_MSG_MOD(extack, "unknown hwtstamp flags");
		return -EINVAL;
	}
	if (cfg->tx_type < 0 || cfg->tx_type >= __HWTSTAMP_TX_CNT ||
	    !(p->tx_types & BIT(cfg->tx_type))) {
		NL_SET_ERR_MSG_MOD(extack,
				   "tx_type not supported by the ts-personality");
		return -ERANGE;
	}
	rx_filter = tsnic_ts_rx_map(p, cfg->rx_filter);
	if (rx_filter < 0) {
		NL_SET_ERR_MSG_MOD(extack,
				   "rx_filter not supported by the ts-personality");
		return rx_filter;
	}

	priv->tsu.rx_req = cfg->rx_filter;
	WRITE_ONCE(priv->tsu.tx_type, cfg->tx_type);
	WRITE_ONCE(priv->tsu.rx_filter, rx_filter);
	cfg->rx_filter = rx_filter;
	return 0;
}

/**
 * tsnic_hwtstamp_get() - read the hardware timestamping configuration
 * @priv: the device
 * @cfg: filled
 *
 * Context: any; reads the settings with READ_ONCE().
 */
void tsnic_hwtstamp_get(struct tsnic_priv *priv, struct hwtstamp_config *cfg)
{
	cfg->flags = 0;
	cfg->tx_type = READ_ONCE(priv->tsu.tx_type);
	cfg->rx_filter = READ_ONCE(priv->tsu.rx_filter);
}

/**
 * tsnic_eth_ioctl() - SIOCSHWTSTAMP and SIOCGHWTSTAMP
 * @dev: the tsnic device
 * @ifr: the request, its ifr_data a struct hwtstamp_config in user memory
 * @cmd: the ioctl
 *
 * ndo_eth_ioctl, on kernels without ndo_hwtstamp_get/set.
 *
 * Context: RTNL held, process context (copies from and to user memory).
 * Return: 0, -EOPNOTSUPP for another ioctl, -EFAULT, or the error of
 * tsnic_hwtstamp_set().
 */
int tsnic_eth_ioctl(struct net_device *dev, struct ifreq *ifr, int cmd)
{
	struct tsnic_priv *priv = netdev_priv(dev);
	struct hwtstamp_config cfg;
	int err;

	switch (cmd) {
	case SIOCSHWTSTAMP:
		if (copy_from_user(&cfg, ifr->ifr_data, sizeof(cfg)))
			return -EFAULT;
		err = tsnic_hwtstamp_set(priv, &cfg, NULL);
		if (err)
			return err;
		break;
	case SIOCGHWTSTAMP:
		tsnic_hwtstamp_get(priv, &cfg);
		break;
	default:
		return -EOPNOTSUPP;
	}
	return copy_to_user(ifr->ifr_data, &cfg, sizeof(cfg)) ? -EFAULT : 0;
}

#ifdef TSNIC_HAVE_NDO_HWTSTAMP
/**
 * tsnic_ndo_hwtstamp_get() - ndo_hwtstamp_get
 * @dev: the tsnic device
 * @kcfg: filled
 *
 * Context: RTNL held.
 * Return: 0.
 */
int tsnic_ndo_hwtstamp_get(struct net_device *dev,
			   struct kernel_hwtstamp_config *kcfg)
{
	struct hwtstamp_config cfg;

	tsnic_hwtstamp_get(netdev_priv(dev), &cfg);
	hwtstamp_config_to_kernel(kcfg, &cfg);
	return 0;
}

/**
 * tsnic_ndo_hwtstamp_set() - ndo_hwtstamp_set
 * @dev: the tsnic device
 * @kcfg: the request; its rx_filter is set to the filter applied
 * @extack: for the reason of a rejection
 *
 * Context: RTNL held.
 * Return: 0, or the error of tsnic_hwtstamp_set().
 */
int tsnic_ndo_hwtstamp_set(struct net_device *dev,
			   struct kernel_hwtstamp_config *kcfg,
			   struct netlink_ext_ack *extack)
{
	struct hwtstamp_config cfg;
	int err;

	hwtstamp_config_from_kernel(&cfg, kcfg);
	err = tsnic_hwtstamp_set(netdev_priv(dev), &cfg, extack);
	if (!err)
		kcfg->rx_filter = cfg.rx_filter;
	return err;
}
#endif
