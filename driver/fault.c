// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: when the simulated hardware misbehaves on purpose.
 *
 * Each fault kind fires on events it applies to (a timestamp taken, a
 * frame put on the cable, a frame the engine is about to send): on every
 * Nth one, and besides at random with a probability in parts per million.
 * The random draws come from a per-device xorshift64* generator whose
 * seed the user sets, so that a failing run can be replayed: setting the
 * seed restarts the generator and the every-Nth phases.  Where each kind
 * acts is in the code it disturbs (engine.c, tstamp.c, rx.c); here is the
 * trigger and its bookkeeping.
 */

#include "tsnic.h"

/* The generator's state for @seed: any seed, even 0, gives a valid one. */
static u64 tsnic_fault_state(u64 seed)
{
	/* splitmix64's finaliser spreads nearby seeds apart */
	u64 z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z ?: 1;
}

/* xorshift64*: the next 32 random bits.  Under f->lock. */
static u32 tsnic_fault_rand(struct tsnic_faults *f)
{
	u64 x = f->prng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	f->prng = x;
	return (x * 0x2545f4914f6cdd1dULL) >> 32;
}

void tsnic_fault_init(struct tsnic_priv *priv)
{
	struct tsnic_faults *f = &priv->faults;

	spin_lock_init(&f->lock);
	f->prng = tsnic_fault_state(0);
}

/* The slow half of tsnic_fault_fire(): @kind is armed.  BH context. */
bool __tsnic_fault_fire(struct tsnic_faults *f, enum tsnic_fault kind)
{
	struct tsnic_fault_trig *t = &f->trig[kind];
	bool fire = false;

	spin_lock(&f->lock);
	if (t->every && ++t->count >= t->every) {
		t->count = 0;
		fire = true;
	}
	/* always draw while armed: the sequence depends only on the events */
	if (t->ppm && (u32)(((u64)tsnic_fault_rand(f) * 1000000) >> 32) < t->ppm)
		fire = true;
	if (fire)
		t->fired++;
	spin_unlock(&f->lock);
	return fire;
}

/* The extra delay of a frame CABLE_DELAY fired on.  BH context. */
u32 tsnic_fault_cable_delay(struct tsnic_faults *f)
{
	u32 delay = READ_ONCE(f->cable_delay_ns);
	u32 jitter = READ_ONCE(f->cable_jitter_ns);

	if (jitter) {
		spin_lock(&f->lock);
		delay += ((u64)tsnic_fault_rand(f) * ((u64)jitter + 1)) >> 32;
		spin_unlock(&f->lock);
	}
	return delay;
}

/* Change @kind's trigger (NULL: leave as is).  Control, RTNL. */
void tsnic_fault_set(struct tsnic_faults *f, enum tsnic_fault kind,
		     const u32 *every, const u32 *ppm)
{
	struct tsnic_fault_trig *t = &f->trig[kind];
	unsigned long armed;

	spin_lock_bh(&f->lock);
	if (every) {
		t->every = *every;
		t->count = 0;
	}
	if (ppm)
		t->ppm = *ppm;
	armed = f->armed & ~BIT(kind);
	if (t->every || t->ppm)
		armed |= BIT(kind);
	WRITE_ONCE(f->armed, armed);
	spin_unlock_bh(&f->lock);
}

/* Restart the generator and the every-Nth phases.  Control, RTNL. */
void tsnic_fault_reseed(struct tsnic_faults *f, u64 seed)
{
	int i;

	spin_lock_bh(&f->lock);
	f->seed = seed;
	f->prng = tsnic_fault_state(seed);
	for (i = 0; i < TSNIC_FAULT_NUM; i++)
		f->trig[i].count = 0;
	spin_unlock_bh(&f->lock);
}

/* Triggers, counters and seed at one instant.  Process or BH context. */
void tsnic_fault_snapshot(struct tsnic_faults *f, struct tsnic_fault_snap *fs)
{
	int i;

	spin_lock_bh(&f->lock);
	fs->seed = f->seed;
	for (i = 0; i < TSNIC_FAULT_NUM; i++) {
		fs->every[i] = f->trig[i].every;
		fs->ppm[i] = f->trig[i].ppm;
		fs->fired[i] = f->trig[i].fired;
	}
	spin_unlock_bh(&f->lock);
}

/* The fired counters, [TSNIC_FAULT_NUM].  Any process context. */
void tsnic_fault_counters(struct tsnic_faults *f, u64 *fired)
{
	int i;

	spin_lock_bh(&f->lock);
	for (i = 0; i < TSNIC_FAULT_NUM; i++)
		fired[i] = f->trig[i].fired;
	spin_unlock_bh(&f->lock);
}
