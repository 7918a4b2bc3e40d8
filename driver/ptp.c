// SPDX-License-Identifier: GPL-2.0
/*
 * The PTP hardware clock of a tsnic device: a simulated oscillator.
 *
 * The clock counts the host's raw monotonic time through a rate
 *
 *	rate = 1 + (freq + wander + adj) * 1e-9
 *
 * where freq is the oscillator's intrinsic error (ppb; random per device
 * unless set), wander a random walk that steps once a second, and adj the
 * servo's adjfine().  Each change of rate rebases the clock at the instant
 * it happens, so the time is continuous:
 *
 *	phc(t) = base_ns + ((t - base_raw) * mult) >> TSNIC_PHC_SHIFT
 *
 * with mult = rate << TSNIC_PHC_SHIFT.  Timestamps (not clock reads)
 * additionally get a uniform jitter of +-jitter_ns.  A clock read
 * (gettimex64) takes read_delay_ns, the clock latched read_latch_ns into
 * it; the cross-timestamp (getcrosststamp) is exact.
 *
 * Nothing runs on a timer.  The time base needs no periodic rebase: the
 * product is taken in 128 bits (mul_u64_u64_shr()) and mult < 2^41 (the
 * rate stays below 1.11: freq and wander are within +-1000 ppm each, adj
 * within max_adj, 10 %), so it cannot overflow for any t - base_raw, and
 * the result fits 64 bits for 2^63 ns (292 years) of raw time.  A rebase
 * only rounds (it drops the product's fraction of a ns), so fewer are
 * better.  The wander's steps are taken lazily: the first read or write
 * of the clock after a step was due applies the steps missed, each at the
 * instant it was due, so an idle clock costs nothing (see
 * __tsnic_phc_wander_to()).
 */

#include <linux/error-injection.h>
#include <linux/math.h>
#include <linux/math64.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/ptp_clock_kernel.h>
#include <linux/timekeeping.h>

#include "tsnic.h"

/* Frequencies are kept in units of 2^-16 ppb: adjfine's resolution. */
#define TSNIC_SPPB_SHIFT	16
#define TSNIC_PHC_MAX_ADJ_PPB	100000000	/* 10 %: any servo's range */
/* the walk stays within what an oscillator plausibly does: +-1000 ppm */
#define TSNIC_PHC_WANDER_MAX_SPPB	(1000000LL << TSNIC_SPPB_SHIFT)
#define TSNIC_PHC_WANDER_PERIOD_NS	NSEC_PER_SEC
/* a catch-up takes at most this many wander steps one by one */
#define TSNIC_PHC_WANDER_STEPS		16

static u64 tsnic_phc_mult(s64 sppb)
{
	u64 one = 1ULL << TSNIC_PHC_SHIFT;
	u64 d;

	/* one * |sppb| / (1e9 << 16), without overflowing 64 bits */
	d = mul_u64_u64_div_u64(abs(sppb), 1ULL << (TSNIC_PHC_SHIFT - TSNIC_SPPB_SHIFT),
				NSEC_PER_SEC);
	return sppb < 0 ? one - d : one + d;
}

/* PHC time at raw instant @t; the caller holds seq (read or write). */
static u64 __tsnic_phc_time_at(const struct tsnic_phc *phc, u64 t)
{
	if (t >= phc->base_raw)
		return phc->base_ns +
		       mul_u64_u64_shr(t - phc->base_raw, phc->mult, TSNIC_PHC_SHIFT);
	return phc->base_ns -
	       mul_u64_u64_shr(phc->base_raw - t, phc->mult, TSNIC_PHC_SHIFT);
}

/*
 * A uniform random step with the variance of @n steps of +-@step ppb, in
 * 2^-16 ppb: the sum of n independent uniform steps has the variance
 * n * step^2 / 3, as a uniform step of +-step * sqrt(n) has.
 */
static s64 tsnic_phc_wander_draw(u32 step, u64 n)
{
	u64 h;

	/* sqrt(n) << 16; n is capped at 2^31 s (68 years) of steps */
	h = (u64)step * int_sqrt64(min_t(u64, n, 1ULL << 31) << 32);
	/* a step beyond twice the walk's range only saturates it */
	h = min_t(u64, h, 2 * TSNIC_PHC_WANDER_MAX_SPPB);
	return (s64)(get_random_u64() % (2 * h + 1)) - (s64)h;
}

/* Add step @d to the walk at raw instant @at >= base_raw.  Under lock, seq. */
static void tsnic_phc_wander_step(struct tsnic_phc *phc, u64 at, s64 d)
{
	phc->base_ns = __tsnic_phc_time_at(phc, at);
	phc->base_raw = at;
	phc->wander_sppb = clamp_t(s64, phc->wander_sppb + d,
				   -TSNIC_PHC_WANDER_MAX_SPPB,
				   TSNIC_PHC_WANDER_MAX_SPPB);
	phc->mult = tsnic_phc_mult(phc->freq_sppb + phc->wander_sppb +
				   phc->adj_sppb);
}

/*
 * Take the wander steps due at or before raw instant @t.  The walk steps
 * at wander_next and every second after it; each step missed is taken at
 * the instant it was due, so the clock reads as if a timer had taken it
 * then.  The work is bounded: of a long idle stretch, all but the last
 * TSNIC_PHC_WANDER_STEPS steps are drawn as one, with the variance of
 * their sum, taken in the middle of their span.  Under lock, in the seq
 * write section.
 */
static void __tsnic_phc_wander_to(struct tsnic_phc *phc, u64 t)
{
	u32 step = phc->wander_ppb_per_s;
	u64 next = phc->wander_next;
	u64 n, m;

	if (t < next)
		return;
	n = div64_u64(t - next, TSNIC_PHC_WANDER_PERIOD_NS) + 1;
	if (n > TSNIC_PHC_WANDER_STEPS) {
		m = n - TSNIC_PHC_WANDER_STEPS;
		tsnic_phc_wander_step(phc,
				      next + (m - 1) * (TSNIC_PHC_WANDER_PERIOD_NS / 2),
				      tsnic_phc_wander_draw(step, m));
		next += m * TSNIC_PHC_WANDER_PERIOD_NS;
		n = TSNIC_PHC_WANDER_STEPS;
	}
	for (; n; n--, next += TSNIC_PHC_WANDER_PERIOD_NS)
		tsnic_phc_wander_step(phc, next, tsnic_phc_wander_draw(step, 1));
	WRITE_ONCE(phc->wander_next, next);
}

/*
 * A reader found a wander step due by @raw_ns: take the steps due by then
 * (or by now, for an instant not yet come).  Process or BH context.
 */
static void tsnic_phc_wander_catch_up(struct tsnic_phc *phc, u64 raw_ns)
{
	spin_lock_bh(&phc->lock);
	write_seqcount_begin(&phc->seq);
	__tsnic_phc_wander_to(phc, min(raw_ns, tsnic_now()));
	write_seqcount_end(&phc->seq);
	spin_unlock_bh(&phc->lock);
}

/**
 * tsnic_phc_time_at() - the PHC's time at a raw monotonic instant
 * @phc: the clock
 * @raw_ns: raw monotonic ns (tsnic_now())
 *
 * Context: process or BH context (xmit, NAPI, the engine).  Retries on
 * the clock's seqcount; takes the clock's lock only when a wander step
 * is due, at most once a second.
 * Return: PHC ns.
 */
u64 tsnic_phc_time_at(struct tsnic_phc *phc, u64 raw_ns)
{
	unsigned int seq;
	u64 ns;

	/* U64_MAX while the wander is off: never taken then */
	if (unlikely(raw_ns >= READ_ONCE(phc->wander_next)))
		tsnic_phc_wander_catch_up(phc, raw_ns);
	do {
		seq = read_seqcount_begin(&phc->seq);
		ns = __tsnic_phc_time_at(phc, raw_ns);
	} while (read_seqcount_retry(&phc->seq, seq));
	return ns;
}

/*
 * The first raw instant at which the clock reads @ns or more; the caller
 * holds seq.  The division truncates, and so does __tsnic_phc_time_at():
 * the estimate is at most two ns early (mult is within 10 % of one).  An
 * instant the raw clock cannot count is clamped to 0 or U64_MAX.
 */
static u64 __tsnic_phc_raw_at(const struct tsnic_phc *phc, u64 ns)
{
	u64 one = 1ULL << TSNIC_PHC_SHIFT;
	u64 t, d;

	if (ns >= phc->base_ns) {
		d = mul_u64_u64_div_u64(ns - phc->base_ns, one, phc->mult);
		/* beyond what the raw clock will ever count */
		if (d >= U64_MAX - phc->base_raw)
			return U64_MAX;
		t = phc->base_raw + d;
	} else {
		d = mul_u64_u64_div_u64(phc->base_ns - ns, one, phc->mult);
		/* before the raw clock's origin: long passed */
		if (d >= phc->base_raw)
			return 0;
		t = phc->base_raw - d;
	}
	while (__tsnic_phc_time_at(phc, t) < ns)
		t++;
	return t;
}

/**
 * tsnic_phc_raw_at() - when the PHC reads a given time
 * @phc: the clock
 * @ns: PHC ns
 *
 * The inverse of tsnic_phc_time_at() on the current time base: later
 * adjustments move the instant.
 *
 * Context: any; retries on the clock's seqcount.
 * Return: the first raw monotonic ns at which the clock reads @ns or more.
 */
u64 tsnic_phc_raw_at(struct tsnic_phc *phc, u64 ns)
{
	unsigned int seq;
	u64 t;

	do {
		seq = read_seqcount_begin(&phc->seq);
		t = __tsnic_phc_raw_at(phc, ns);
	} while (read_seqcount_retry(&phc->seq, seq));
	return t;
}

/**
 * tsnic_phc_stamp() - a hardware timestamp of a raw monotonic instant
 * @phc: the clock
 * @raw_ns: raw monotonic ns
 *
 * Context: as tsnic_phc_time_at().
 * Return: PHC ns, with the configured jitter added.
 */
u64 tsnic_phc_stamp(struct tsnic_phc *phc, u64 raw_ns)
{
	u32 jitter = READ_ONCE(phc->jitter_ns);
	u64 ns = tsnic_phc_time_at(phc, raw_ns);

	if (jitter)
		ns += (s64)(get_random_u32() % (2 * jitter + 1)) - jitter;
	return ns;
}

/**
 * tsnic_phc_gen() - the clock's step generation
 * @phc: the clock
 *
 * Context: any; no lock.
 * Return: a number that changes at each settime or adjtime.
 */
u64 tsnic_phc_gen(struct tsnic_phc *phc)
{
	return READ_ONCE(phc->gen);
}

/*
 * Rebase at @now, the wander steps due by then taken first, before a
 * writer changes the rate or the time.  Under lock, in the seq write
 * section.
 */
static void tsnic_phc_rebase(struct tsnic_phc *phc, u64 now)
{
	__tsnic_phc_wander_to(phc, now);
	phc->base_ns = __tsnic_phc_time_at(phc, now);
	phc->base_raw = now;
}

/* Apply the current frequency terms.  Under lock, in the seq write section. */
static void tsnic_phc_set_mult(struct tsnic_phc *phc)
{
	phc->mult = tsnic_phc_mult(phc->freq_sppb + phc->wander_sppb +
				   phc->adj_sppb);
}

static struct tsnic_phc *to_phc(struct ptp_clock_info *info)
{
	return container_of(info, struct tsnic_phc, info);
}

static struct tsnic_card *phc_to_card(struct tsnic_phc *phc)
{
	return container_of(phc, struct tsnic_card, phc);
}

static int tsnic_phc_adjfine(struct ptp_clock_info *info, long scaled_ppm)
{
	struct tsnic_phc *phc = to_phc(info);

	/* the outputs' edges due so far on the old rate, the rest on the new */
	tsnic_pins_sync(phc_to_card(phc));
	spin_lock_bh(&phc->lock);
	write_seqcount_begin(&phc->seq);
	tsnic_phc_rebase(phc, tsnic_now());
	/* scaled_ppm is ppm << 16, so ppb << 16 is scaled_ppm * 1000 */
	phc->adj_sppb = (s64)scaled_ppm * 1000;
	tsnic_phc_set_mult(phc);
	write_seqcount_end(&phc->seq);
	spin_unlock_bh(&phc->lock);
	tsnic_pins_sync(phc_to_card(phc));
	return 0;
}

static int tsnic_phc_adjtime(struct ptp_clock_info *info, s64 delta)
{
	struct tsnic_phc *phc = to_phc(info);

	tsnic_pins_sync(phc_to_card(phc));
	spin_lock_bh(&phc->lock);
	write_seqcount_begin(&phc->seq);
	tsnic_phc_rebase(phc, tsnic_now());
	phc->base_ns += delta;
	WRITE_ONCE(phc->gen, phc->gen + 1);
	write_seqcount_end(&phc->seq);
	spin_unlock_bh(&phc->lock);
	tsnic_pins_sync(phc_to_card(phc));
	return 0;
}

static int tsnic_phc_gettimex64(struct ptp_clock_info *info,
				struct timespec64 *ts,
				struct ptp_system_timestamp *sts)
{
	struct tsnic_phc *phc = to_phc(info);
	u32 delay = READ_ONCE(phc->read_delay_ns);
	u32 latch = READ_ONCE(phc->read_latch_ns);
	u64 raw;

	ptp_read_system_prets(sts);
	raw = tsnic_now();
	/*
	 * A read over the bus: the request reaches the clock @latch ns after
	 * it left, the answer is back @delay ns after.  The wait is real, so
	 * every reader (clock_gettime too) pays it; at most 100 us.
	 */
	if (delay) {
		u64 end = raw + delay;

		while (tsnic_now() < end)
			cpu_relax();
		raw += min(latch, delay);
	}
	ptp_read_system_postts(sts);
	*ts = ns_to_timespec64(tsnic_phc_time_at(phc, raw));
	return 0;
}

/*
 * PTP_SYS_OFFSET_PRECISE: the clock, the system's real time and its raw
 * monotonic time at one instant, as PCIe PTM or Intel's ART give them: no
 * bus latency, no bracketing.  The PHC counts the raw monotonic clock, so
 * a snapshot of the timekeeper is the cross-timestamp.
 */
static int tsnic_phc_getcrosststamp(struct ptp_clock_info *info,
				    struct system_device_crosststamp *xt)
{
	struct tsnic_phc *phc = to_phc(info);
	struct system_time_snapshot snap;

	ktime_get_snapshot(&snap);
	xt->device = ns_to_ktime(tsnic_phc_time_at(phc, ktime_to_ns(snap.raw)));
	xt->sys_realtime = snap.real;
	xt->sys_monoraw = snap.raw;
	return 0;
}

static int tsnic_phc_settime64(struct ptp_clock_info *info,
			       const struct timespec64 *ts)
{
	struct tsnic_phc *phc = to_phc(info);

	tsnic_pins_sync(phc_to_card(phc));
	spin_lock_bh(&phc->lock);
	write_seqcount_begin(&phc->seq);
	/* the walk up to now, then the new time */
	tsnic_phc_rebase(phc, tsnic_now());
	phc->base_ns = timespec64_to_ns(ts);
	WRITE_ONCE(phc->gen, phc->gen + 1);
	write_seqcount_end(&phc->seq);
	spin_unlock_bh(&phc->lock);
	tsnic_pins_sync(phc_to_card(phc));
	return 0;
}

static const struct ptp_clock_info tsnic_phc_info = {
	.owner		= THIS_MODULE,
	.max_adj	= TSNIC_PHC_MAX_ADJ_PPB,
	.adjfine	= tsnic_phc_adjfine,
	.adjtime	= tsnic_phc_adjtime,
	.gettimex64	= tsnic_phc_gettimex64,
	.getcrosststamp	= tsnic_phc_getcrosststamp,
	.settime64	= tsnic_phc_settime64,
	.n_ext_ts	= TSNIC_EXTTS_CHANNELS,
	.n_per_out	= TSNIC_PEROUT_CHANNELS,
	.pps		= 1,
	.n_pins		= TSNIC_PINS,
	.enable		= tsnic_pins_enable,
	.verify		= tsnic_pins_verify,
};

/**
 * tsnic_phc_set_osc() - set the oscillator model
 * @phc: the clock
 * @freq_ppb: intrinsic frequency error
 * @wander: random-walk step per second in ppb, 0 for none (and the walk
 *	so far is forgotten); the steps due so far are taken with the old
 *	size, the first one of a walk turned on comes a second from now
 * @jitter: timestamp jitter, +-ns
 *
 * Context: RTNL held (or ndo_init, after tsnic_pins_init()); takes the
 * clock's lock.
 */
void tsnic_phc_set_osc(struct tsnic_phc *phc, s32 freq_ppb, u32 wander,
		       u32 jitter)
{
	u64 now;

	tsnic_pins_sync(phc_to_card(phc));
	spin_lock_bh(&phc->lock);
	write_seqcount_begin(&phc->seq);
	now = tsnic_now();
	tsnic_phc_rebase(phc, now);
	WRITE_ONCE(phc->freq_sppb, (s64)freq_ppb << TSNIC_SPPB_SHIFT);
	if (!wander) {
		phc->wander_sppb = 0;
		WRITE_ONCE(phc->wander_next, U64_MAX);
	} else if (phc->wander_next == U64_MAX) {
		WRITE_ONCE(phc->wander_next, now + TSNIC_PHC_WANDER_PERIOD_NS);
	}
	WRITE_ONCE(phc->wander_ppb_per_s, wander);
	WRITE_ONCE(phc->jitter_ns, jitter);
	tsnic_phc_set_mult(phc);
	write_seqcount_end(&phc->seq);
	spin_unlock_bh(&phc->lock);
	tsnic_pins_sync(phc_to_card(phc));
}

/**
 * tsnic_phc_set_read() - set how long a clock read takes
 * @phc: the clock
 * @delay: the read's round trip in ns, 0 for none
 * @latch: when into it the clock latches, at most @delay
 *
 * Context: RTNL held; readers see each value with READ_ONCE (a read
 * racing the change may pair the old delay with the new latch: the latch
 * is clamped to the delay).
 */
void tsnic_phc_set_read(struct tsnic_phc *phc, u32 delay, u32 latch)
{
	WRITE_ONCE(phc->read_delay_ns, delay);
	WRITE_ONCE(phc->read_latch_ns, latch);
}

/**
 * tsnic_phc_freq_ppb() - the oscillator's intrinsic frequency error
 * @phc: the clock
 *
 * Context: any; no lock.
 * Return: ppb.
 */
s32 tsnic_phc_freq_ppb(struct tsnic_phc *phc)
{
	return READ_ONCE(phc->freq_sppb) >> TSNIC_SPPB_SHIFT;
}

/*
 * The clock's name (/sys/class/ptp/ptpN/clock_name, up to 31 characters): the
 * name of the device that made the card, when it did, and the card's
 * instance number, so two clocks never share one, e.g. "tsnic0:7".  A long
 * name is cut to fit.
 */
static void tsnic_phc_name(struct tsnic_card *card, const char *dev_name,
			   char *name, size_t size)
{
	char suffix[24];
	int n;

	n = snprintf(suffix, sizeof(suffix), ":%llu", card->instance);
	snprintf(name, size, "%.*s%s", max_t(int, (int)size - 1 - n, 0),
		 dev_name, suffix);
}

/*
 * The kernel has 16 PPS sources for all its drivers (PPS_MAX_SOURCES), and
 * a PTP clock with the PPS capability takes one.  tsnic's clocks take at
 * most TSNIC_PPS_CLOCKS_MAX of them: the clocks made while fewer hold one
 * have PPS, later ones are made without (pps 0 in their capabilities), so
 * that any number of devices can still be made.  Counts the clocks holding
 * one; RTNL (ndo_init, ndo_uninit).
 */
#define TSNIC_PPS_CLOCKS_MAX	8
static unsigned int tsnic_pps_clocks;

/* Register @phc's clock, with PPS if a source is left for it. */
static struct ptp_clock *tsnic_phc_register(struct tsnic_phc *phc,
					    struct device *parent)
{
	struct ptp_clock *clock;

	ASSERT_RTNL();
	phc->info.pps = tsnic_pps_clocks < TSNIC_PPS_CLOCKS_MAX;
	clock = ptp_clock_register(&phc->info, parent);
	/* the other drivers' sources may have taken the rest */
	if (IS_ERR(clock) && PTR_ERR(clock) == -EBUSY && phc->info.pps) {
		phc->info.pps = 0;
		clock = ptp_clock_register(&phc->info, parent);
	}
	if (!IS_ERR_OR_NULL(clock) && phc->info.pps)
		tsnic_pps_clocks++;
	return clock;
}

/**
 * tsnic_phc_init() - set up and register a card's PTP clock
 * @card: the card; its platform device is the clock's parent, so that
 *	/sys/class/net/DEV/device/ptp/ lists the clock for each port
 * @name: the name of the device making the card, for the clock's name
 * @freq_ppb: intrinsic frequency error
 * @wander: random-walk step per second in ppb
 * @jitter: timestamp jitter, +-ns
 *
 * fail_function may make it fail (ALLOW_ERROR_INJECTION), and the
 * device's ndo_init with it (selftests/tsnic_failinj.sh).
 *
 * Context: ndo_init, RTNL held.
 * Return: 0, or the error of ptp_clock_register() (-EOPNOTSUPP without
 * PTP clock support).
 */
int tsnic_phc_init(struct tsnic_card *card, const char *name,
		   s32 freq_ppb, u32 wander, u32 jitter)
{
	struct tsnic_phc *phc = &card->phc;

	spin_lock_init(&phc->lock);
	seqcount_spinlock_init(&phc->seq, &phc->lock);
	phc->base_raw = tsnic_now();
	phc->base_ns = ktime_get_real_ns();
	phc->mult = tsnic_phc_mult(0);
	phc->wander_next = U64_MAX;
	phc->info = tsnic_phc_info;
	/* the outputs' timers, which set_osc re-plans; the pin table */
	tsnic_pins_init(card);
	tsnic_phc_set_osc(phc, freq_ppb, wander, jitter);

	tsnic_phc_name(card, name, phc->info.name, sizeof(phc->info.name));
	phc->index = -1;
	phc->clock = tsnic_phc_register(phc, &card->pdev->dev);
	if (IS_ERR(phc->clock)) {
		int err = PTR_ERR(phc->clock);

		phc->clock = NULL;
		return err;
	}
	if (!phc->clock)
		return -EOPNOTSUPP;
	WRITE_ONCE(phc->index, ptp_clock_index(phc->clock));
	return 0;
}
ALLOW_ERROR_INJECTION(tsnic_phc_init, ERRNO);

/**
 * tsnic_phc_fini() - unregister a card's PTP clock
 * @card: the card; a clock never registered is fine
 *
 * Context: ndo_uninit of the card's last port, RTNL held.
 */
void tsnic_phc_fini(struct tsnic_card *card)
{
	struct tsnic_phc *phc = &card->phc;

	if (!phc->clock)
		return;
	/* readers without RTNL see -1 from here on, never a freed clock */
	WRITE_ONCE(phc->index, -1);
	/* no edge, event or PPS from here on: the clock may go */
	tsnic_pins_fini(card);
	ptp_clock_unregister(phc->clock);
	if (phc->info.pps)
		tsnic_pps_clocks--;
	phc->clock = NULL;
}

/**
 * tsnic_phc_index() - the index of a card's PTP clock (/dev/ptpN)
 * @card: the card
 *
 * Context: any; no lock.
 * Return: the index, or -1 while no clock is registered.
 */
int tsnic_phc_index(struct tsnic_card *card)
{
	return READ_ONCE(card->phc.index);
}
