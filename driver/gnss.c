// SPDX-License-Identifier: GPL-2.0
/*
 * The GNSS receiver on the card, as on a grandmaster NIC: its 1PPS goes
 * into one of the PHC's pins and its NMEA sentences come out of a GNSS
 * character device (/dev/gnssN, whose parent is the card, the parent of
 * the net_device too).  Off by default; registered while on.
 *
 * True time.  Every receiver of the module sees one reference that is not
 * any PHC: UTC(t) = t + tsnic_true_off for raw monotonic t, the offset
 * taken from the system's realtime clock at module load, so neither a
 * servo, a clock step nor settimeofday moves it afterwards.  TAI is UTC +
 * TSNIC_TAI_UTC s; no leap second is modelled.
 *
 * Each UTC second S, a receiver with a fix
 *  - raises its 1PPS at raw(S) + offset + u (u uniform in +-jitter, drawn
 *    per pulse) for TSNIC_GNSS_WIDTH_NS: both edges reach its pin as if
 *    wired (pins.c stamps them on the PHC if an external timestamp
 *    channel there takes them), at their computed instants whatever the
 *    latency of the timer that delivers them;
 *  - at raw(S) + TSNIC_GNSS_REPORT_NS writes the sentences describing S:
 *    GGA, RMC and ZDA, as receivers do shortly after the pulse they
 *    belong to.  ts2phc pairs a pulse with the RMC time last read plus the
 *    time since, rounded to the second, which this order satisfies.
 * A second whose gnss-fix fault fires has no fix: no pulse, RMC void (V),
 * GGA quality 0 and no ZDA.  Sentences go only to an open device: a
 * receiver's serial line is not buffered for a reader that is not there.
 */

#include <linux/hrtimer.h>
#include <linux/math64.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/time.h>

#include "tsnic.h"

/* TAI - UTC since 1 Jan 2017 */
#define TSNIC_TAI_UTC		37
#define TSNIC_GNSS_WIDTH_NS	(100 * NSEC_PER_MSEC)
#define TSNIC_GNSS_REPORT_NS	(200 * NSEC_PER_MSEC)

/* The events of a second, in the order they happen. */
enum tsnic_gnss_event {
	TSNIC_GNSS_RISE,
	TSNIC_GNSS_FALL,
	TSNIC_GNSS_REPORT,
};

/* UTC ns = raw ns + tsnic_true_off; set at module load, then constant */
static s64 tsnic_true_off;

/**
 * tsnic_gnss_module_init() - fix the module's true time to the system's
 *
 * Context: module init, before any device exists.
 */
void tsnic_gnss_module_init(void)
{
	tsnic_true_off = ktime_get_real_ns() - tsnic_now();
}

/* The raw instant UTC second @sec begins. */
static u64 tsnic_true_raw(u64 sec)
{
	return sec * NSEC_PER_SEC - tsnic_true_off;
}

/* The UTC second raw instant @raw is in. */
static u64 tsnic_true_second(u64 raw)
{
	return div_u64(raw + tsnic_true_off, NSEC_PER_SEC);
}

static struct tsnic_card *gnss_to_card(struct tsnic_gnss *g)
{
	return container_of(g, struct tsnic_card, gnss);
}

/* Does the fault "gnss-fix" of the port that set the receiver up fire? */
static bool tsnic_gnss_fix_lost(struct tsnic_gnss *g)
{
	struct tsnic_priv *port;
	bool lost = false;

	rcu_read_lock();
	port = rcu_dereference(g->port);
	if (port)
		lost = tsnic_fault_fire(port, TSNIC_FAULT_GNSS_FIX);
	rcu_read_unlock();
	return lost;
}

/* The raw instant of @g's next event. */
static u64 tsnic_gnss_at(const struct tsnic_gnss *g)
{
	switch (g->next) {
	case TSNIC_GNSS_RISE:
		return g->rise;
	case TSNIC_GNSS_FALL:
		return g->rise + TSNIC_GNSS_WIDTH_NS;
	default:
		return tsnic_true_raw(g->second) + TSNIC_GNSS_REPORT_NS;
	}
}

/* Second @sec comes next: draw its fix and its pulse.  Under the lock. */
static void tsnic_gnss_plan(struct tsnic_gnss *g, u64 sec)
{
	s64 u = 0;

	g->second = sec;
	g->next = TSNIC_GNSS_RISE;
	g->fix = !tsnic_gnss_fix_lost(g);
	if (!g->fix)
		g->lost++;
	tsnic_dpll_second(g, g->fix);
	if (g->jitter_ns)
		u = (s64)(get_random_u32() % (2 * g->jitter_ns + 1)) -
		    g->jitter_ns;
	g->rise = tsnic_true_raw(sec) + g->offset_ns + u;
}

/*
 * One NMEA 0183 sentence into @buf (room for @size): '$', the body, '*',
 * the XOR of the body's characters in hex, CR LF.  Returns its length.
 */
static __printf(3, 4) int tsnic_nmea(char *buf, size_t size,
				     const char *fmt, ...)
{
	va_list ap;
	u8 sum = 0;
	int n, i;

	if (size < 7)
		return 0;
	va_start(ap, fmt);
	/* room kept for "$" and "*XX\r\n" */
	n = vscnprintf(buf + 1, size - 6, fmt, ap);
	va_end(ap);
	buf[0] = '$';
	for (i = 1; i <= n; i++)
		sum ^= buf[i];
	return n + 1 + scnprintf(buf + n + 1, size - n - 1, "*%02X\r\n", sum);
}

/* The fixed position every receiver reports (the antenna does not move). */
#define TSNIC_GNSS_LAT	"4807.0380,N"
#define TSNIC_GNSS_LON	"01131.0000,E"

/* Arm the timer for @g's next event, at once if it is due.  Under the lock. */
static void tsnic_gnss_arm(struct tsnic_gnss *g, u64 now)
{
	u64 at = tsnic_gnss_at(g);

	hrtimer_start(&g->timer, ns_to_ktime(at > now ? at - now : 0),
		      HRTIMER_MODE_REL_SOFT);
}

/* Second @g->second is over: its sentences to a reader.  Under the lock. */
static void tsnic_gnss_report(struct tsnic_gnss *g)
{
	char buf[3 * 83];
	struct tm tm;
	int n;

	g->reports++;
	if (!g->opened)
		return;
	time64_to_tm(g->second, 0, &tm);
	n = tsnic_nmea(buf, sizeof(buf),
		       "GNGGA,%02d%02d%02d.00," TSNIC_GNSS_LAT ","
		       TSNIC_GNSS_LON ",%d,%02d,0.9,545.4,M,47.0,M,,",
		       tm.tm_hour, tm.tm_min, tm.tm_sec, g->fix, g->fix ? 8 : 0);
	n += tsnic_nmea(buf + n, sizeof(buf) - n,
			"GNRMC,%02d%02d%02d.00,%c," TSNIC_GNSS_LAT ","
			TSNIC_GNSS_LON ",0.0,0.0,%02d%02d%02ld,,,%c",
			tm.tm_hour, tm.tm_min, tm.tm_sec, g->fix ? 'A' : 'V',
			tm.tm_mday, tm.tm_mon + 1, tm.tm_year % 100,
			g->fix ? 'A' : 'N');
	if (g->fix)
		n += tsnic_nmea(buf + n, sizeof(buf) - n,
				"GNZDA,%02d%02d%02d.00,%02d,%02d,%04ld,00,00",
				tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_mday,
				tm.tm_mon + 1, tm.tm_year + 1900);
	tsnic_gnss_insert(g->gdev, buf, n);
}

/* The receiver's clock: make the events due, then wait for the next. */
static enum hrtimer_restart tsnic_gnss_timer(struct hrtimer *t)
{
	struct tsnic_gnss *g = container_of(t, struct tsnic_gnss, timer);
	struct tsnic_card *card = gnss_to_card(g);
	u64 edge[2], now = tsnic_now(), at;
	unsigned int n = 0, i;
	bool rise_first = true;
	u8 pin;

	spin_lock_bh(&g->lock);
	pin = g->pin;
	while (g->on) {
		at = tsnic_gnss_at(g);
		if (at > now) {
			tsnic_gnss_arm(g, now);
			break;
		}
		if (g->next != TSNIC_GNSS_REPORT) {
			if (g->fix) {
				if (!n)
					rise_first = g->next == TSNIC_GNSS_RISE;
				edge[n++] = at;
				g->pulses += g->next == TSNIC_GNSS_RISE;
			}
			g->next++;
			continue;
		}
		tsnic_gnss_report(g);
		/* a receiver does not make up for seconds it missed */
		tsnic_gnss_plan(g, max(g->second + 1, tsnic_true_second(now)));
		/* one second's edges per run: the next at once if due */
		tsnic_gnss_arm(g, now);
		break;
	}
	spin_unlock_bh(&g->lock);

	for (i = 0; i < n; i++)
		tsnic_pins_edge_in(card, pin, edge[i], rise_first == !(i & 1));
	return HRTIMER_NORESTART;
}

static int tsnic_gnss_open(struct gnss_device *gdev)
{
	struct tsnic_gnss *g = gnss_get_drvdata(gdev);

	spin_lock_bh(&g->lock);
	g->opened = true;
	spin_unlock_bh(&g->lock);
	return 0;
}

/* After this, no sentence goes in: the core empties the FIFO next. */
static void tsnic_gnss_close(struct gnss_device *gdev)
{
	struct tsnic_gnss *g = gnss_get_drvdata(gdev);

	spin_lock_bh(&g->lock);
	g->opened = false;
	spin_unlock_bh(&g->lock);
}

/* No write_raw: the receiver takes no commands (writes fail, -EIO). */
static const struct gnss_operations tsnic_gnss_ops = {
	.open	= tsnic_gnss_open,
	.close	= tsnic_gnss_close,
};

/**
 * tsnic_gnss_init() - a device's receiver, off
 * @card: the card
 *
 * Context: ndo_init.
 */
void tsnic_gnss_init(struct tsnic_card *card)
{
	struct tsnic_gnss *g = &card->gnss;

	spin_lock_init(&g->lock);
	g->index = -1;
	tsnic_dpll_init(card);
	hrtimer_init(&g->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	g->timer.function = tsnic_gnss_timer;
}

/* Stop the receiver and its device.  RTNL held. */
static void tsnic_gnss_off(struct tsnic_card *card)
{
	struct tsnic_gnss *g = &card->gnss;

	ASSERT_RTNL();
	if (!g->gdev)
		return;
	spin_lock_bh(&g->lock);
	g->on = false;
	g->index = -1;
	spin_unlock_bh(&g->lock);
	/* a running expiry finds it off and does not re-arm */
	hrtimer_cancel(&g->timer);
	tsnic_dpll_unregister(card);
	/* closes it for its readers: no open, close or read after this */
	tsnic_gnss_unregister(g->gdev);
	g->gdev = NULL;
}

/* Start the receiver: its device registered, its first second planned. */
static int tsnic_gnss_on(struct tsnic_card *card,
			 struct netlink_ext_ack *extack)
{
	struct tsnic_gnss *g = &card->gnss;
	struct gnss_device *gdev;
	u64 now;
	int err;

	gdev = tsnic_gnss_register(&card->pdev->dev, &tsnic_gnss_ops, g);
	if (IS_ERR(gdev)) {
		err = PTR_ERR(gdev);
		if (err == -EOPNOTSUPP)
			NL_SET_ERR_MSG(extack,
				       "the kernel has no GNSS subsystem (CONFIG_GNSS)");
		else
			NL_SET_ERR_MSG(extack, "cannot register the GNSS device");
		return err;
	}
	err = tsnic_dpll_register(card);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register the DPLL");
		tsnic_gnss_unregister(gdev);
		return err;
	}
	g->gdev = gdev;
	now = tsnic_now();
	spin_lock_bh(&g->lock);
	g->on = true;
	g->opened = false;
	g->index = gdev->id;
	tsnic_gnss_plan(g, tsnic_true_second(now) + 1);
	tsnic_gnss_arm(g, now);
	spin_unlock_bh(&g->lock);
	return 0;
}

/**
 * tsnic_gnss_fini() - the receiver goes with its device
 * @card: the card
 *
 * Before the PHC goes: no edge reaches its pins after this.
 *
 * Context: ndo_uninit, RTNL held.
 */
void tsnic_gnss_fini(struct tsnic_card *card)
{
	tsnic_gnss_off(card);
}

/**
 * tsnic_gnss_port_gone() - a port of the receiver's card goes
 * @priv: the port, in its ndo_uninit
 *
 * If the receiver took its faults from @priv, it takes none from now on
 * (@priv is freed after a grace period).
 *
 * Context: RTNL held.
 */
void tsnic_gnss_port_gone(struct tsnic_priv *priv)
{
	struct tsnic_gnss *g = &priv->card->gnss;

	if (rtnl_dereference(g->port) == priv)
		RCU_INIT_POINTER(g->port, NULL);
}

/**
 * tsnic_gnss_get() - the receiver's settings and counters
 * @card: the card
 * @info: filled
 *
 * Context: process or BH; takes the receiver's lock.
 */
void tsnic_gnss_get(struct tsnic_card *card, struct tsnic_gnss_info *info)
{
	struct tsnic_gnss *g = &card->gnss;

	spin_lock_bh(&g->lock);
	info->cfg.on = g->on;
	info->cfg.pin = g->pin;
	info->cfg.offset_ns = g->offset_ns;
	info->cfg.jitter_ns = g->jitter_ns;
	info->index = g->index;
	info->fix = g->on && g->fix;
	info->pulses = g->pulses;
	info->lost = g->lost;
	info->reports = g->reports;
	spin_unlock_bh(&g->lock);
}

/**
 * tsnic_gnss_set() - change the receiver's settings
 * @priv: the port it is set through: the receiver is its card's, and
 *	this port's "gnss-fix" fault applies to it from now on
 * @cfg: the new settings, in range (the caller checked)
 * @extack: for errors
 *
 * A new offset or jitter applies from the next second planned; a new pin
 * at once.  The pin must not be either end of a wire while the receiver
 * is on (it drives the pin).
 *
 * Context: RTNL held; may sleep.
 * Return: 0, -EBUSY for a wired pin, or an error registering the device.
 */
int tsnic_gnss_set(struct tsnic_priv *priv, const struct tsnic_gnss_cfg *cfg,
		   struct netlink_ext_ack *extack)
{
	struct tsnic_card *card = priv->card;
	struct tsnic_gnss *g = &card->gnss;
	int err;

	ASSERT_RTNL();
	if (cfg->on && tsnic_pins_driven(card, cfg->pin)) {
		NL_SET_ERR_MSG(extack, "the GNSS pin is an end of a wire");
		return -EBUSY;
	}
	rcu_assign_pointer(g->port, priv);
	spin_lock_bh(&g->lock);
	g->pin = cfg->pin;
	g->offset_ns = cfg->offset_ns;
	g->jitter_ns = cfg->jitter_ns;
	spin_unlock_bh(&g->lock);
	if (!cfg->on) {
		tsnic_gnss_off(card);
		return 0;
	}
	if (g->gdev)
		return 0;
	err = tsnic_gnss_on(card, extack);
	return err;
}

/**
 * tsnic_gnss_drives() - does the receiver drive a pin?
 * @card: the card
 * @pin: its pin
 *
 * Context: RTNL held.
 * Return: true if the receiver is on and its 1PPS goes to @pin.
 */
bool tsnic_gnss_drives(struct tsnic_card *card, u32 pin)
{
	ASSERT_RTNL();
	return card->gnss.gdev && card->gnss.pin == pin;
}

/**
 * tsnic_gnss_phc_offset() - how far the PHC is from true TAI, now
 * @card: the card
 *
 * What a perfectly disciplined clock would read 0 for: ts2phc locking
 * the PHC to the receiver brings it to minus the receiver's offset.
 *
 * Context: process or BH.
 * Return: PHC - TAI, ns.
 */
s64 tsnic_gnss_phc_offset(struct tsnic_card *card)
{
	u64 now = tsnic_now();

	return (s64)(tsnic_phc_time_at(&card->phc, now) -
		     (now + tsnic_true_off + TSNIC_TAI_UTC * NSEC_PER_SEC));
}
