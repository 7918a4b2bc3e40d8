// SPDX-License-Identifier: GPL-2.0
/*
 * The pins of a tsnic PHC: four programmable pins SDP0..SDP3, two periodic
 * output channels, two external timestamp channels and a PPS source, and
 * the wires that connect an output pin to input pins of tsnic clocks.
 *
 * Outputs.  A pulse generator's edges are instants of its own PHC's
 * timeline: rising at start + k * period, falling width later.  The next
 * edge's PHC time is turned into a raw monotonic instant through the
 * oscillator model (tsnic_phc_raw_at(), the inverse of phc(t)) and a soft
 * hrtimer is armed for it.  When the timer fires, the edge is made at the
 * raw instant computed, not at the moment the timer ran: timer latency
 * moves when an edge is seen, never its time.  A late timer makes every
 * edge that is due.  The clock's adjustments (ptp.c) call
 * tsnic_pins_sync() before they change the time base, to make the edges
 * due on the old one, and after, to re-plan: a frequency change moves the
 * raw instants of the edges to come; a step (settime, adjtime) puts the
 * next rising edge on the first point of the grid not yet passed (the
 * phase is kept), ends a pulse that was high at once, and drops a one-shot
 * pulse whose time was stepped over.
 *
 * Inputs.  An edge leaving an output pin reaches each pin its wires go to
 * at edge + delay (raw ns).  If the receiving pin is assigned to an
 * enabled external timestamp channel that takes that edge, the receiving
 * PHC stamps the arrival instant (tsnic_phc_stamp(): its time then, with
 * its timestamp jitter) and the event goes to its clock's readers with
 * ptp_clock_event().  The stamp is computed when the edge leaves, on the
 * receiver's time base of that moment; an adjustment of the receiver
 * within the wire's delay is not seen by that one edge.
 *
 * PPS.  A pulse generator without a pin, at each second of the PHC
 * (period 1 s, phase 0), that sends PTP_CLOCK_PPS; on the clocks that
 * have the capability (see tsnic_phc_register()).
 *
 * Wires live in the requester's network namespace: both ends are found
 * there, and a device that is deleted or leaves its namespace loses every
 * wire at either end (NETDEV_UNREGISTER, which both do).
 */

#include <linux/hrtimer.h>
#include <linux/math64.h>
#include <linux/netdevice.h>
#include <linux/ptp_clock_kernel.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "tsnic.h"

/* Edges one timer expiry makes at most; the rest follow at once. */
#define TSNIC_EDGES_PER_RUN	16
/* The longest a pulse timer is armed for: an early expiry re-plans. */
#define TSNIC_PULSE_REPLAN_NS	(10 * NSEC_PER_SEC)

/* The flags this driver takes, also what newer cores are told (compat.h). */
#define TSNIC_EXTTS_FLAGS	(PTP_ENABLE_FEATURE | PTP_RISING_EDGE | \
				 PTP_FALLING_EDGE | PTP_STRICT_FLAGS)
#define TSNIC_PEROUT_FLAGS	(PTP_PEROUT_ONE_SHOT | PTP_PEROUT_DUTY_CYCLE | \
				 PTP_PEROUT_PHASE)

/* One edge leaving an output pin. */
struct tsnic_edge {
	u64 raw;		/* raw monotonic ns */
	s8 pin;
	bool rising;
};

static struct tsnic_card *info_to_card(struct ptp_clock_info *info)
{
	return container_of(info, struct tsnic_card, phc.info);
}

/* The first point of the grid @start + k * @period at or after @now. */
static u64 tsnic_grid_next(u64 start, u64 period, u64 now)
{
	if (now <= start)
		return start;
	return start + div64_u64(now - start + period - 1, period) * period;
}

/* The PHC time of @p's next edge. */
static u64 tsnic_pulse_next(const struct tsnic_pulse *p)
{
	return p->high ? p->rise + p->width : p->rise;
}

/* @p made the edge it was waiting for: on to the next.  Under the lock. */
static void tsnic_pulse_advance(struct tsnic_pulse *p)
{
	p->edges++;
	if (!p->high && p->width) {
		p->high = true;
		return;
	}
	p->high = false;
	if (p->one_shot)
		p->on = false;
	else
		p->rise += p->period;
}

static void tsnic_pps_event(struct tsnic_card *card)
{
	struct ptp_clock_event ev = { .type = PTP_CLOCK_PPS };

	ptp_clock_event(card->phc.clock, &ev);
}

/*
 * The clock was stepped since @p was planned: a high output goes low now,
 * the next pulse is the grid's first one not passed.  Under the lock.
 */
static unsigned int tsnic_pulse_regrid(struct tsnic_card *card,
				       struct tsnic_pulse *p, u64 now,
				       struct tsnic_edge *e)
{
	struct tsnic_phc *phc = &card->phc;
	unsigned int n = 0;
	u64 phc_now;

	p->gen = tsnic_phc_gen(phc);
	if (p->high) {
		e[n++] = (struct tsnic_edge){ .raw = now, .pin = p->pin };
		p->high = false;
		p->edges++;
		if (p->one_shot) {
			p->on = false;
			return n;
		}
		p->rise += p->period;
	}
	phc_now = tsnic_phc_time_at(phc, now);
	if (p->one_shot) {
		if (p->rise < phc_now)
			p->on = false;
		return n;
	}
	p->rise = tsnic_grid_next(p->start, p->period, phc_now);
	return n;
}

/*
 * Make @p's edges due at raw @now into @e (room for @max), then arm its
 * timer for the next one.  Under the lock; PPS events are sent here.
 */
static unsigned int tsnic_pulse_run(struct tsnic_card *card,
				    struct tsnic_pulse *p, u64 now,
				    struct tsnic_edge *e, unsigned int max)
{
	struct tsnic_phc *phc = &card->phc;
	unsigned int n = 0;
	u64 raw;

	if (!p->on)
		return 0;
	if (p->gen != tsnic_phc_gen(phc))
		n = tsnic_pulse_regrid(card, p, now, e);
	while (p->on && n < max) {
		raw = tsnic_phc_raw_at(phc, tsnic_pulse_next(p));
		if (raw > now) {
			/* a far edge is looked at again on the way */
			hrtimer_start(&p->timer,
				      ns_to_ktime(min_t(u64, raw - now,
							TSNIC_PULSE_REPLAN_NS)),
				      HRTIMER_MODE_REL_SOFT);
			return n;
		}
		e[n++] = (struct tsnic_edge){
			.raw = raw, .pin = p->pin, .rising = !p->high,
		};
		if (p->pps && !p->high)
			tsnic_pps_event(card);
		tsnic_pulse_advance(p);
	}
	/* out of room: the rest at once */
	if (p->on)
		hrtimer_start(&p->timer, 0, HRTIMER_MODE_REL_SOFT);
	return n;
}

/*
 * An edge reaches input @pin of @card at raw @raw: stamp it if an enabled
 * external timestamp channel takes it.  Any context but hard IRQ; under
 * RCU (the device may be on its way out: dead says so).
 */
static void tsnic_pins_input(struct tsnic_card *card, unsigned int pin,
			     u64 raw, bool rising)
{
	struct tsnic_pins *pins = &card->pins;
	u32 want = rising ? PTP_RISING_EDGE : PTP_FALLING_EDGE;
	struct ptp_clock_event ev = { .type = PTP_CLOCK_EXTTS };
	unsigned int i;

	spin_lock_bh(&pins->lock);
	for (i = 0; i < TSNIC_EXTTS_CHANNELS && !pins->dead; i++) {
		struct tsnic_extts *x = &pins->in[i];

		if (!x->on || x->pin != pin || !(x->edges & want))
			continue;
		ev.index = i;
		ev.timestamp = tsnic_phc_stamp(&card->phc, raw);
		x->events++;
		ptp_clock_event(card->phc.clock, &ev);
	}
	spin_unlock_bh(&pins->lock);
}

/**
 * tsnic_pins_edge_in() - an edge from outside the clock reaches a pin
 * @card: the card
 * @pin: its pin
 * @raw: when, raw monotonic ns
 * @rising: which edge
 *
 * For sources on the card that are not a wire (the GNSS receiver's 1PPS).
 *
 * Context: softirq or process; not under any pins lock.
 */
void tsnic_pins_edge_in(struct tsnic_card *card, unsigned int pin, u64 raw,
			bool rising)
{
	tsnic_pins_input(card, pin, raw, rising);
}

/**
 * tsnic_pins_driven() - does a wire drive a pin, or leave from it?
 * @card: the card
 * @pin: its pin
 *
 * Context: RTNL held.
 * Return: true if the pin is either end of a wire.
 */
bool tsnic_pins_driven(struct tsnic_card *card, u32 pin)
{
	struct tsnic_pin *p = &card->pins.pin[pin];

	ASSERT_RTNL();
	return rtnl_dereference(p->in) || !list_empty(&p->wires);
}

/* Send edges @e of @card's output pins down their wires. */
static void tsnic_edges_send(struct tsnic_card *card,
			     const struct tsnic_edge *e, unsigned int n)
{
	struct tsnic_wire *w;
	unsigned int i;

	rcu_read_lock();
	for (i = 0; i < n; i++) {
		if (e[i].pin < 0)
			continue;
		list_for_each_entry_rcu(w, &card->pins.pin[e[i].pin].wires, node)
			tsnic_pins_input(w->to->card, w->to_pin, e[i].raw + w->delay_ns,
					 e[i].rising);
	}
	rcu_read_unlock();
}

static enum hrtimer_restart tsnic_pulse_timer(struct hrtimer *t)
{
	struct tsnic_pulse *p = container_of(t, struct tsnic_pulse, timer);
	struct tsnic_card *card = p->card;
	struct tsnic_edge e[TSNIC_EDGES_PER_RUN];
	unsigned int n;

	spin_lock_bh(&card->pins.lock);
	n = tsnic_pulse_run(card, p, tsnic_now(), e, ARRAY_SIZE(e));
	spin_unlock_bh(&card->pins.lock);
	tsnic_edges_send(card, e, n);
	return HRTIMER_NORESTART;
}

/**
 * tsnic_pins_sync() - bring the outputs up to date with their clock
 * @card: the card
 *
 * Makes the edges due and re-arms the pulse timers on the clock's current
 * time base: called by each adjustment of the clock before and after it
 * changes the time base.
 *
 * Context: process or softirq; not under the clock's or any pins lock.
 */
void tsnic_pins_sync(struct tsnic_card *card)
{
	struct tsnic_pins *pins = &card->pins;
	struct tsnic_edge e[TSNIC_EDGES_PER_RUN];
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(pins->out); i++) {
		spin_lock_bh(&pins->lock);
		n = tsnic_pulse_run(card, &pins->out[i], tsnic_now(), e,
				    ARRAY_SIZE(e));
		spin_unlock_bh(&pins->lock);
		tsnic_edges_send(card, e, n);
	}
}

/* ---- the PTP core's requests ------------------------------------------- */

static int tsnic_ts_to_ns(const struct ptp_clock_time *t, u64 *ns)
{
	if (t->sec < 0 || t->nsec >= NSEC_PER_SEC ||
	    t->sec > (s64)(U64_MAX / NSEC_PER_SEC) - 1)
		return -ERANGE;
	*ns = (u64)t->sec * NSEC_PER_SEC + t->nsec;
	return 0;
}

/*
 * PTP_PEROUT_REQUEST(2).  The core has checked the flags it knows, the
 * channel, and that the duty cycle and the phase are below the period;
 * under its pincfg_mux.
 */
static int tsnic_perout(struct tsnic_card *card,
			const struct ptp_perout_request *rq, int on)
{
	struct tsnic_pins *pins = &card->pins;
	struct tsnic_pulse *p = &pins->out[rq->index];
	u64 period, width, start, now;
	int pin, err;

	if (!on) {
		spin_lock_bh(&pins->lock);
		p->on = false;
		spin_unlock_bh(&pins->lock);
		/* a timer still armed finds it off */
		return 0;
	}
	if (rq->flags & ~TSNIC_PEROUT_FLAGS)
		return -EOPNOTSUPP;
	err = tsnic_ts_to_ns(&rq->period, &period);
	if (err)
		return err;
	if (period < TSNIC_PEROUT_MIN_NS || period > TSNIC_PEROUT_MAX_NS)
		return -ERANGE;
	width = period / 2;
	if (rq->flags & PTP_PEROUT_DUTY_CYCLE) {
		err = tsnic_ts_to_ns(&rq->on, &width);
		if (err)
			return err;
		/* a pulse has both edges: neither 0 % nor 100 % */
		if (!width || width >= period)
			return -ERANGE;
	}
	/* start and phase share a union */
	err = tsnic_ts_to_ns(&rq->start, &start);
	if (err)
		return err;
	if ((rq->flags & PTP_PEROUT_PHASE) && start >= period)
		return -ERANGE;
	pin = ptp_find_pin(card->phc.clock, PTP_PF_PEROUT, rq->index);
	if (pin < 0)
		return -EINVAL;	/* no pin carries the channel: PTP_PIN_SETFUNC */

	spin_lock_bh(&pins->lock);
	if (pins->dead) {
		spin_unlock_bh(&pins->lock);
		return -ENODEV;
	}
	now = tsnic_phc_time_at(&card->phc, tsnic_now());
	if ((rq->flags & PTP_PEROUT_ONE_SHOT) &&
	    !(rq->flags & PTP_PEROUT_PHASE) && start < now) {
		spin_unlock_bh(&pins->lock);
		return -ERANGE;	/* its time has passed */
	}
	p->on = true;
	p->one_shot = rq->flags & PTP_PEROUT_ONE_SHOT;
	p->high = false;
	p->pin = pin;
	p->period = period;
	p->width = width;
	p->start = start;
	p->gen = tsnic_phc_gen(&card->phc);
	/* a start already passed keeps its phase: the grid's next point */
	p->rise = tsnic_grid_next(start, period, now);
	spin_unlock_bh(&pins->lock);
	tsnic_pins_sync(card);
	return 0;
}

/* PTP_EXTTS_REQUEST(2): the core has checked the channel. */
static int tsnic_extts(struct tsnic_card *card,
		       const struct ptp_extts_request *rq, int on)
{
	struct tsnic_pins *pins = &card->pins;
	struct tsnic_extts *x = &pins->in[rq->index];
	u32 edges = rq->flags & (PTP_RISING_EDGE | PTP_FALLING_EDGE);
	int pin;

	if (!on) {
		spin_lock_bh(&pins->lock);
		x->on = false;
		spin_unlock_bh(&pins->lock);
		return 0;
	}
	/* PTP_EXT_OFFSET and what else may come: not here */
	if (rq->flags & ~TSNIC_EXTTS_FLAGS)
		return -EOPNOTSUPP;
	/* the old request's loose flags: an edge not said is the rising one */
	if (!edges) {
		if (rq->flags & PTP_STRICT_FLAGS)
			return -EINVAL;
		edges = PTP_RISING_EDGE;
	}
	pin = ptp_find_pin(card->phc.clock, PTP_PF_EXTTS, rq->index);
	if (pin < 0)
		return -EINVAL;	/* no pin carries the channel: PTP_PIN_SETFUNC */

	spin_lock_bh(&pins->lock);
	if (pins->dead) {
		spin_unlock_bh(&pins->lock);
		return -ENODEV;
	}
	x->on = true;
	x->pin = pin;
	x->edges = edges;
	spin_unlock_bh(&pins->lock);
	return 0;
}

static int tsnic_pps(struct tsnic_card *card, int on)
{
	struct tsnic_pins *pins = &card->pins;
	struct tsnic_pulse *p = &pins->out[TSNIC_PPS_PULSE];

	/* a clock made when no PPS source was left (ptp.c) */
	if (on && !card->phc.info.pps)
		return -EOPNOTSUPP;
	spin_lock_bh(&pins->lock);
	if (on && pins->dead) {
		spin_unlock_bh(&pins->lock);
		return -ENODEV;
	}
	if (on && !p->on) {
		p->on = true;
		p->one_shot = false;
		p->high = false;
		p->period = NSEC_PER_SEC;
		p->width = 0;
		p->start = 0;
		p->gen = tsnic_phc_gen(&card->phc);
		p->rise = tsnic_grid_next(0, NSEC_PER_SEC,
					  tsnic_phc_time_at(&card->phc,
							    tsnic_now()));
	} else if (!on) {
		p->on = false;
	}
	spin_unlock_bh(&pins->lock);
	tsnic_pins_sync(card);
	return 0;
}

/**
 * tsnic_pins_enable() - ptp_clock_info.enable: EXTTS, PEROUT and PPS
 * @info: the clock
 * @rq: the request
 * @on: enable or disable
 *
 * Context: process; the PTP core holds its pincfg_mux for EXTTS and PEROUT
 * (ptp_find_pin() needs it).
 * Return: 0, -EOPNOTSUPP for what the device lacks, -EINVAL or -ERANGE for
 * a request out of its range (a channel without a pin is -EINVAL), -ENODEV
 * once the device is going.
 */
int tsnic_pins_enable(struct ptp_clock_info *info,
		      struct ptp_clock_request *rq, int on)
{
	struct tsnic_card *card = info_to_card(info);

	switch (rq->type) {
	case PTP_CLK_REQ_PEROUT:
		if (rq->perout.index >= TSNIC_PEROUT_CHANNELS)
			return -EINVAL;
		return tsnic_perout(card, &rq->perout, on);
	case PTP_CLK_REQ_EXTTS:
		if (rq->extts.index >= TSNIC_EXTTS_CHANNELS)
			return -EINVAL;
		return tsnic_extts(card, &rq->extts, on);
	case PTP_CLK_REQ_PPS:
		return tsnic_pps(card, on);
	default:
		return -EOPNOTSUPP;
	}
}

/**
 * tsnic_pins_verify() - ptp_clock_info.verify: what a pin can do
 * @info: the clock
 * @pin: the pin
 * @func: the function asked for
 * @chan: its channel (checked by the core)
 *
 * Every pin does any of none, external timestamp and periodic output.
 *
 * Context: process, under the PTP core's pincfg_mux.
 * Return: 0, or -EOPNOTSUPP.
 */
int tsnic_pins_verify(struct ptp_clock_info *info, unsigned int pin,
		      enum ptp_pin_function func, unsigned int chan)
{
	switch (func) {
	case PTP_PF_NONE:
	case PTP_PF_EXTTS:
	case PTP_PF_PEROUT:
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/**
 * tsnic_pins_active() - is the channel on a pin running?
 * @card: the card
 * @pin: the pin
 *
 * Context: any but hard IRQ.
 * Return: true if the pin carries an enabled output or input channel.
 */
bool tsnic_pins_active(struct tsnic_card *card, u32 pin)
{
	struct tsnic_pins *pins = &card->pins;
	bool active = false;
	unsigned int i;

	spin_lock_bh(&pins->lock);
	for (i = 0; i < TSNIC_PEROUT_CHANNELS; i++)
		active |= pins->out[i].on && pins->out[i].pin == pin;
	for (i = 0; i < TSNIC_EXTTS_CHANNELS; i++)
		active |= pins->in[i].on && pins->in[i].pin == pin;
	spin_unlock_bh(&pins->lock);
	return active;
}

/* ---- wires (RTNL) ------------------------------------------------------- */

static void tsnic_wire_del(struct tsnic_wire *w)
{
	list_del_rcu(&w->node);
	RCU_INIT_POINTER(w->to->card->pins.pin[w->to_pin].in, NULL);
	/*
	 * an edge on its way may still reach w->to's card, which lives at
	 * least until w->to is freed: see tsnic_pins_fini()
	 */
	w->to->card->pins.unwired = true;
	kfree_rcu(w, rcu);
}

/**
 * tsnic_pins_connect() - wire an output pin to an input pin
 * @from: the driving device
 * @from_pin: its card's pin
 * @to: the receiving device, in @from's namespace; may be @from or another
 *	port of its card
 * @to_pin: its card's pin
 * @delay_ns: the wire's propagation delay
 * @extack: for errors
 *
 * A pin drives any number of wires, or is driven by one.  The wire lasts
 * while both @from and @to do.
 *
 * Context: RTNL held.
 * Return: 0, -EINVAL, -EBUSY or -ENOMEM.
 */
int tsnic_pins_connect(struct tsnic_priv *from, u32 from_pin,
		       struct tsnic_priv *to, u32 to_pin, u32 delay_ns,
		       struct netlink_ext_ack *extack)
{
	struct tsnic_pin *src, *dst;
	struct tsnic_wire *w;

	ASSERT_RTNL();
	if (from_pin >= TSNIC_PINS || to_pin >= TSNIC_PINS) {
		NL_SET_ERR_MSG(extack, "no such pin");
		return -EINVAL;
	}
	if (from->card == to->card && from_pin == to_pin) {
		NL_SET_ERR_MSG(extack, "a pin cannot drive itself");
		return -EINVAL;
	}
	src = &from->card->pins.pin[from_pin];
	dst = &to->card->pins.pin[to_pin];
	if (rtnl_dereference(dst->in)) {
		NL_SET_ERR_MSG(extack, "the input pin is driven by a wire already");
		return -EBUSY;
	}
	if (tsnic_gnss_drives(to->card, to_pin)) {
		NL_SET_ERR_MSG(extack, "the input pin is driven by the GNSS receiver");
		return -EBUSY;
	}
	if (tsnic_gnss_drives(from->card, from_pin)) {
		NL_SET_ERR_MSG(extack, "the output pin is driven by the GNSS receiver");
		return -EBUSY;
	}
	if (!list_empty(&dst->wires)) {
		NL_SET_ERR_MSG(extack, "the input pin drives wires itself");
		return -EBUSY;
	}
	if (rtnl_dereference(src->in)) {
		NL_SET_ERR_MSG(extack, "the output pin is driven by a wire itself");
		return -EBUSY;
	}
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->from = from;
	w->to = to;
	w->from_pin = from_pin;
	w->to_pin = to_pin;
	w->delay_ns = delay_ns;
	rcu_assign_pointer(dst->in, w);
	list_add_tail_rcu(&w->node, &src->wires);
	return 0;
}

/**
 * tsnic_pins_disconnect() - remove wires
 * @priv: a device
 * @pin: its pin
 * @to: the other end's device, or NULL for every wire of @pin
 * @to_pin: the other end's pin, with @to
 * @extack: for errors
 *
 * With @to, the wire from @pin to @to's @to_pin; without, every wire that
 * @pin drives and the one that drives it.
 *
 * Context: RTNL held.
 * Return: 0, or -ENOENT if there was no such wire.
 */
int tsnic_pins_disconnect(struct tsnic_priv *priv, u32 pin,
			  struct tsnic_priv *to, u32 to_pin,
			  struct netlink_ext_ack *extack)
{
	struct tsnic_wire *w, *tmp;
	struct tsnic_pin *p;
	bool found = false;

	ASSERT_RTNL();
	if (pin >= TSNIC_PINS || (to && to_pin >= TSNIC_PINS)) {
		NL_SET_ERR_MSG(extack, "no such pin");
		return -EINVAL;
	}
	p = &priv->card->pins.pin[pin];
	list_for_each_entry_safe(w, tmp, &p->wires, node) {
		if (to && (w->to->card != to->card || w->to_pin != to_pin))
			continue;
		tsnic_wire_del(w);
		found = true;
	}
	w = rtnl_dereference(p->in);
	if (!to && w) {
		tsnic_wire_del(w);
		found = true;
	}
	if (!found) {
		NL_SET_ERR_MSG(extack, "no such wire");
		return -ENOENT;
	}
	return 0;
}

/**
 * tsnic_pins_unwire() - remove every wire made through a device
 * @priv: the device
 *
 * The wires of its card made through its other ports stay.
 *
 * Context: RTNL held.
 */
void tsnic_pins_unwire(struct tsnic_priv *priv)
{
	struct tsnic_wire *w, *tmp;
	unsigned int i;

	ASSERT_RTNL();
	for (i = 0; i < TSNIC_PINS; i++) {
		struct tsnic_pin *p = &priv->card->pins.pin[i];

		list_for_each_entry_safe(w, tmp, &p->wires, node)
			if (w->from == priv)
				tsnic_wire_del(w);
		w = rtnl_dereference(p->in);
		if (w && w->to == priv)
			tsnic_wire_del(w);
	}
}

/* ---- life ---------------------------------------------------------------- */

/**
 * tsnic_pins_init() - the pins of a card's clock, before it registers
 * @card: the card; phc.info is set
 *
 * Context: ndo_init.
 */
void tsnic_pins_init(struct tsnic_card *card)
{
	struct tsnic_pins *pins = &card->pins;
	unsigned int i;

	spin_lock_init(&pins->lock);
	for (i = 0; i < ARRAY_SIZE(pins->out); i++) {
		struct tsnic_pulse *p = &pins->out[i];

		p->card = card;
		p->pin = -1;
		p->pps = i == TSNIC_PPS_PULSE;
		hrtimer_init(&p->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
		p->timer.function = tsnic_pulse_timer;
	}
	for (i = 0; i < TSNIC_PINS; i++) {
		struct ptp_pin_desc *d = &pins->config[i];

		snprintf(d->name, sizeof(d->name), "SDP%u", i);
		d->index = i;
		d->func = PTP_PF_NONE;
		d->chan = 0;
		INIT_LIST_HEAD(&pins->pin[i].wires);
		RCU_INIT_POINTER(pins->pin[i].in, NULL);
	}
	card->phc.info.pin_config = pins->config;
	tsnic_ptp_set_supported_flags(&card->phc.info, TSNIC_EXTTS_FLAGS,
				      TSNIC_PEROUT_FLAGS);
}

/**
 * tsnic_pins_fini() - stop everything, before the clock unregisters
 * @card: the card
 *
 * No wire is left (each went with the first of its two ports to go, at
 * NETDEV_UNREGISTER), no channel makes another edge or event, the timers
 * are cancelled; if a wire into the card was ever removed, senders that
 * may still be delivering to it are waited for.
 *
 * Context: ndo_uninit of the card's last port, RTNL held.
 */
void tsnic_pins_fini(struct tsnic_card *card)
{
	struct tsnic_pins *pins = &card->pins;
	unsigned int i;

	for (i = 0; i < TSNIC_PINS; i++)
		WARN_ON_ONCE(!list_empty(&pins->pin[i].wires) ||
			     rtnl_dereference(pins->pin[i].in));
	spin_lock_bh(&pins->lock);
	pins->dead = true;
	for (i = 0; i < ARRAY_SIZE(pins->out); i++)
		pins->out[i].on = false;
	for (i = 0; i < TSNIC_EXTTS_CHANNELS; i++)
		pins->in[i].on = false;
	spin_unlock_bh(&pins->lock);
	/* a running expiry delivers what it made (to dead inputs, here) */
	for (i = 0; i < ARRAY_SIZE(pins->out); i++)
		hrtimer_cancel(&pins->out[i].timer);
	if (pins->unwired)
		synchronize_rcu();
}

/* A device leaves its namespace, or goes: its wires go. */
static int tsnic_pins_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event == NETDEV_UNREGISTER && tsnic_is_tsnic(dev))
		tsnic_pins_unwire(netdev_priv(dev));
	return NOTIFY_DONE;
}

static struct notifier_block tsnic_pins_notifier = {
	.notifier_call = tsnic_pins_event,
};

/**
 * tsnic_pins_module_init() - watch devices leave, to cut their wires
 *
 * Context: module init, before any device exists.
 * Return: 0 or an error of register_netdevice_notifier().
 */
int tsnic_pins_module_init(void)
{
	return register_netdevice_notifier(&tsnic_pins_notifier);
}

/**
 * tsnic_pins_module_exit() - undo tsnic_pins_module_init()
 *
 * Context: module exit, after the last device.
 */
void tsnic_pins_module_exit(void)
{
	unregister_netdevice_notifier(&tsnic_pins_notifier);
}
