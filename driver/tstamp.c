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

#include <linux/uaccess.h>

#include "tsnic.h"

#define TSNIC_TS_POLL_MS	20
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

	if (READ_ONCE(tsu->tx_type) != HWTSTAMP_TX_ON)
		return -1;

	spin_lock(&tsu->lock);
	for (i = 0; i < tsu->nslots; i++) {
		struct tsnic_ts_slot *s = &tsu->slots[i];

		if (s->state != TSNIC_TS_FREE)
			continue;
		s->state = TSNIC_TS_PENDING;
		s->skb = skb_get(skb);
		s->start = tsnic_now();
		s->gen = tsnic_phc_gen(&priv->phc);
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
	bool stale = s->gen != tsnic_phc_gen(&priv->phc);
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
	int rx_filter;

	if (cfg->flags & ~HWTSTAMP_FLAG_BONDED_PHC_INDEX) {
		NL_SET_ERR_MSG_MOD(extack, "unknown hwtstamp flags");
		return -EINVAL;
	}

	switch (cfg->tx_type) {
	case HWTSTAMP_TX_OFF:
	case HWTSTAMP_TX_ON:
		break;
	default:
		/* ONESTEP needs an engine that rewrites Sync: ours does not */
		NL_SET_ERR_MSG_MOD(extack, "tx_type must be OFF or ON");
		return -ERANGE;
	}

	switch (cfg->rx_filter) {
	case HWTSTAMP_FILTER_NONE:
		rx_filter = HWTSTAMP_FILTER_NONE;
		break;
	case HWTSTAMP_FILTER_PTP_V2_L4_EVENT:
	case HWTSTAMP_FILTER_PTP_V2_L4_SYNC:
	case HWTSTAMP_FILTER_PTP_V2_L4_DELAY_REQ:
	case HWTSTAMP_FILTER_PTP_V2_L2_EVENT:
	case HWTSTAMP_FILTER_PTP_V2_L2_SYNC:
	case HWTSTAMP_FILTER_PTP_V2_L2_DELAY_REQ:
	case HWTSTAMP_FILTER_PTP_V2_EVENT:
	case HWTSTAMP_FILTER_PTP_V2_SYNC:
	case HWTSTAMP_FILTER_PTP_V2_DELAY_REQ:
		rx_filter = HWTSTAMP_FILTER_PTP_V2_EVENT;
		break;
	case HWTSTAMP_FILTER_ALL:
	case HWTSTAMP_FILTER_SOME:
	case HWTSTAMP_FILTER_PTP_V1_L4_EVENT:
	case HWTSTAMP_FILTER_PTP_V1_L4_SYNC:
	case HWTSTAMP_FILTER_PTP_V1_L4_DELAY_REQ:
	case HWTSTAMP_FILTER_NTP_ALL:
		rx_filter = HWTSTAMP_FILTER_ALL;
		break;
	default:
		NL_SET_ERR_MSG_MOD(extack, "unsupported rx_filter");
		return -ERANGE;
	}

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
