// SPDX-License-Identifier: GPL-2.0
/*
 * The DPLL behind the GNSS receiver (built where the kernel has the DPLL
 * subsystem): a PPS DPLL device with one input pin, the receiver's 1PPS,
 * registered while the receiver is on.  Its lock status follows the
 * receiver, one step per second (gnss.c calls tsnic_dpll_second()):
 *
 *  - unlocked, until a second with a fix: locked;
 *  - locked, after TSNIC_DPLL_HO_ACQ_S seconds of fix in a row:
 *    locked-ho-acq; a second without a fix before that: unlocked;
 *  - locked-ho-acq, a second without a fix: holdover, and from there
 *    the next second with a fix: locked again;
 *
 * as the uapi defines them (holdover only after the holdover was
 * acquired).  The input pin is connected while the DPLL locks to it,
 * selectable otherwise.  A change is announced on the DPLL netlink family
 * from a work item: the core's notifications take its mutex.
 */

#include <linux/dpll.h>
#include <linux/workqueue.h>

#include "tsnic.h"

/* seconds of fix before the holdover is acquired */
#define TSNIC_DPLL_HO_ACQ_S	3

static struct dpll_pin_frequency tsnic_dpll_freq[] = {
	DPLL_PIN_FREQUENCY_1PPS,
};

static const struct dpll_pin_properties tsnic_dpll_pin_props = {
	.board_label = "GNSS-1PPS",
	.type = DPLL_PIN_TYPE_GNSS,
	.freq_supported_num = ARRAY_SIZE(tsnic_dpll_freq),
	.freq_supported = tsnic_dpll_freq,
};

/* The clock id of a device's DPLL: "tsnic" and the device's instance. */
static u64 tsnic_dpll_clock_id(struct tsnic_card *card)
{
	return 0x74736e6963000000ULL | (card->instance & 0xffffff);
}

static enum dpll_lock_status tsnic_dpll_status(struct tsnic_gnss *g)
{
	enum dpll_lock_status s;

	spin_lock_bh(&g->lock);
	s = g->dpll_status;
	spin_unlock_bh(&g->lock);
	return s;
}

static int tsnic_dpll_mode_get(const struct dpll_device *dpll, void *priv,
			       enum dpll_mode *mode,
			       struct netlink_ext_ack *extack)
{
	*mode = DPLL_MODE_AUTOMATIC;
	return 0;
}

static int tsnic_dpll_lock_status_get(const struct dpll_device *dpll,
				      void *priv, enum dpll_lock_status *status,
				      enum dpll_lock_status_error *status_error,
				      struct netlink_ext_ack *extack)
{
	struct tsnic_gnss *g = &((struct tsnic_card *)priv)->gnss;

	*status = tsnic_dpll_status(g);
	*status_error = DPLL_LOCK_STATUS_ERROR_NONE;
	return 0;
}

static const struct dpll_device_ops tsnic_dpll_ops = {
	.mode_get	= tsnic_dpll_mode_get,
	.lock_status_get = tsnic_dpll_lock_status_get,
};

static int tsnic_dpll_pin_direction_get(const struct dpll_pin *pin,
					void *pin_priv,
					const struct dpll_device *dpll,
					void *dpll_priv,
					enum dpll_pin_direction *direction,
					struct netlink_ext_ack *extack)
{
	*direction = DPLL_PIN_DIRECTION_INPUT;
	return 0;
}

static int tsnic_dpll_pin_state_get(const struct dpll_pin *pin,
				    void *pin_priv,
				    const struct dpll_device *dpll,
				    void *dpll_priv, enum dpll_pin_state *state,
				    struct netlink_ext_ack *extack)
{
	struct tsnic_gnss *g = &((struct tsnic_card *)pin_priv)->gnss;
	enum dpll_lock_status s = tsnic_dpll_status(g);

	*state = s == DPLL_LOCK_STATUS_LOCKED ||
		 s == DPLL_LOCK_STATUS_LOCKED_HO_ACQ ?
		 DPLL_PIN_STATE_CONNECTED : DPLL_PIN_STATE_SELECTABLE;
	return 0;
}

static int tsnic_dpll_pin_frequency_get(const struct dpll_pin *pin,
					void *pin_priv,
					const struct dpll_device *dpll,
					void *dpll_priv, u64 *frequency,
					struct netlink_ext_ack *extack)
{
	*frequency = DPLL_PIN_FREQUENCY_1_HZ;
	return 0;
}

static const struct dpll_pin_ops tsnic_dpll_pin_ops = {
	.direction_get		= tsnic_dpll_pin_direction_get,
	.state_on_dpll_get	= tsnic_dpll_pin_state_get,
	.frequency_get		= tsnic_dpll_pin_frequency_get,
};

/* Announce a new status: the core's notifications sleep. */
static void tsnic_dpll_work(struct work_struct *work)
{
	struct tsnic_gnss *g = container_of(work, struct tsnic_gnss,
					    dpll_work);

	dpll_device_change_ntf(g->dpll);
	dpll_pin_change_ntf(g->dpll_pin);
}

/**
 * tsnic_dpll_second() - the receiver begins a second
 * @g: the receiver
 * @fix: whether the second has a fix
 *
 * Context: under the receiver's lock (its timer, or turning it on).
 */
void tsnic_dpll_second(struct tsnic_gnss *g, bool fix)
{
	enum dpll_lock_status s = g->dpll_status;

	if (!fix) {
		g->dpll_fix_s = 0;
		if (s == DPLL_LOCK_STATUS_LOCKED_HO_ACQ)
			s = DPLL_LOCK_STATUS_HOLDOVER;
		else if (s == DPLL_LOCK_STATUS_LOCKED)
			s = DPLL_LOCK_STATUS_UNLOCKED;
	} else if (++g->dpll_fix_s >= TSNIC_DPLL_HO_ACQ_S) {
		s = DPLL_LOCK_STATUS_LOCKED_HO_ACQ;
	} else if (s != DPLL_LOCK_STATUS_LOCKED_HO_ACQ) {
		s = DPLL_LOCK_STATUS_LOCKED;
	}
	if (s == g->dpll_status)
		return;
	g->dpll_status = s;
	if (g->dpll)
		schedule_work(&g->dpll_work);
}

/**
 * tsnic_dpll_init() - the DPLL of a device's receiver, not registered
 * @card: the card
 *
 * Context: ndo_init.
 */
void tsnic_dpll_init(struct tsnic_card *card)
{
	INIT_WORK(&card->gnss.dpll_work, tsnic_dpll_work);
	card->gnss.dpll_status = DPLL_LOCK_STATUS_UNLOCKED;
}

/**
 * tsnic_dpll_register() - the DPLL and its input pin appear
 * @card: the card, its receiver being turned on
 *
 * Context: RTNL held; may sleep.
 * Return: 0 or a negative errno of the DPLL core.
 */
int tsnic_dpll_register(struct tsnic_card *card)
{
	struct tsnic_gnss *g = &card->gnss;
	u64 id = tsnic_dpll_clock_id(card);
	struct dpll_device *dpll;
	struct dpll_pin *pin;
	int err;

	dpll = dpll_device_get(id, 0, THIS_MODULE);
	if (IS_ERR(dpll))
		return PTR_ERR(dpll);
	err = dpll_device_register(dpll, DPLL_TYPE_PPS, &tsnic_dpll_ops, card);
	if (err)
		goto err_put;
	pin = dpll_pin_get(id, 0, THIS_MODULE, &tsnic_dpll_pin_props);
	if (IS_ERR(pin)) {
		err = PTR_ERR(pin);
		goto err_unregister;
	}
	err = dpll_pin_register(dpll, pin, &tsnic_dpll_pin_ops, card);
	if (err)
		goto err_pin;
	spin_lock_bh(&g->lock);
	g->dpll = dpll;
	g->dpll_pin = pin;
	g->dpll_status = DPLL_LOCK_STATUS_UNLOCKED;
	g->dpll_fix_s = 0;
	spin_unlock_bh(&g->lock);
	return 0;

err_pin:
	dpll_pin_put(pin);
err_unregister:
	dpll_device_unregister(dpll, &tsnic_dpll_ops, card);
err_put:
	dpll_device_put(dpll);
	return err;
}

/**
 * tsnic_dpll_unregister() - the DPLL goes, with the receiver
 * @card: the card; its receiver's timer is stopped
 *
 * Context: RTNL held; may sleep.
 */
void tsnic_dpll_unregister(struct tsnic_card *card)
{
	struct tsnic_gnss *g = &card->gnss;
	struct dpll_device *dpll = g->dpll;
	struct dpll_pin *pin = g->dpll_pin;

	if (!dpll)
		return;
	/* the timer is stopped: no new work; one queued still uses them */
	cancel_work_sync(&g->dpll_work);
	spin_lock_bh(&g->lock);
	g->dpll = NULL;
	g->dpll_pin = NULL;
	g->dpll_status = DPLL_LOCK_STATUS_UNLOCKED;
	spin_unlock_bh(&g->lock);
	dpll_pin_unregister(dpll, pin, &tsnic_dpll_pin_ops, card);
	dpll_pin_put(pin);
	dpll_device_unregister(dpll, &tsnic_dpll_ops, card);
	dpll_device_put(dpll);
}
