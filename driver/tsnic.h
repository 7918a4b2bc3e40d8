/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tsnic: a virtual NIC with a simulated transmit engine.
 *
 * The driver half (xmit, NAPI, ethtool, netlink) talks to the simulated
 * hardware half (engine.c, the PHC in ptp.c) only through what a real NIC
 * exposes: descriptors with a done bit and written-back timestamps, a
 * doorbell, and an "interrupt" that schedules NAPI.
 *
 * Contexts:
 *   xmit       ndo_start_xmit, BH disabled, the queue's __netif_tx_lock held
 *   engine     the doorbell called from xmit, or the TX poll (which the
 *              engine's timer, a hard-IRQ hrtimer, schedules); always
 *              under engine->lock
 *   tx NAPI    the queue's TX poll (softirq), single instance per queue
 *   rx NAPI    the RX queue's poll (softirq)
 *   control    process context under RTNL (ndo_open/stop, ethtool, netlink
 *              set)
 *   readers    process context without RTNL: netlink get and dumps, /proc
 *              files.  They never wait for RTNL; they find devices under
 *              RCU (or by a /proc entry, which removal waits for) and read
 *              settings with READ_ONCE.  Only the descriptor views (ring
 *              dump, /proc tx ring) take a lock: the device's ring_lock.
 *
 * Lock order: RTNL -> ring_lock -> (txq lock ->) engine lock; the timestamp
 * unit, FIFO and fault locks as stated at each.
 */
#ifndef _TSNIC_H
#define _TSNIC_H

#include <linux/dim.h>
#include <linux/netdevice.h>
#include <linux/hrtimer.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/ptp_clock_kernel.h>
#include <linux/net_tstamp.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/skbuff.h>

#include <linux/tsnic.h>
#include "compat.h"

#define TSNIC_DRV_DESC		"Virtual NIC with a simulated TX ring, engine and PTP clock"

#define TSNIC_RING_DEFAULT	256
#define TSNIC_RING_MIN		64
#define TSNIC_RING_MAX		4096

/* Free descriptors an skb may need: its linear part plus every fragment. */
#define TSNIC_DESC_NEEDED	(MAX_SKB_FRAGS + 1)

#define TSNIC_TS_SLOTS_DEFAULT	4
#define TSNIC_TS_TIMEOUT_DEFAULT_MS	1000

#define TSNIC_MAX_MTU		9000
#define TSNIC_TX_USECS_DEFAULT	10
#define TSNIC_TX_FRAMES_DEFAULT	32
#define TSNIC_FREQ_RANDOM_PPB_DEFAULT	50000

/* Wire overhead per frame: preamble + SFD (8), FCS (4), inter-frame gap (12). */
#define TSNIC_WIRE_OVERHEAD	(8 + ETH_FCS_LEN + 12)
#define TSNIC_WIRE_MIN_FRAME	ETH_ZLEN

/* ---- descriptors: the driver/hardware boundary ------------------------- */

/* flags, written by the driver before the doorbell */
#define TSNIC_TXD_SOP		BIT(0)	/* first descriptor of a frame */
#define TSNIC_TXD_EOP		BIT(1)	/* last descriptor of a frame */
#define TSNIC_TXD_TSTAMP	BIT(2)	/* take a hardware TX timestamp */
#define TSNIC_TXD_CSUM		BIT(3)	/* complete the L4 checksum */
#define TSNIC_TXD_TSO		BIT(4)	/* segment at mss, headers hdr_len */
#define TSNIC_TXD_LAUNCH	BIT(5)	/* SOP: not before launch (ETF) */

/* status, written back by the engine (release) and read by NAPI (acquire) */
#define TSNIC_TXD_DD		BIT(0)	/* descriptor done: frame left the MAC */
#define TSNIC_TXD_TS_VALID	BIT(1)	/* tstamp holds a hardware timestamp */
#define TSNIC_TXD_DROP		BIT(2)	/* with DD: dropped, never on the wire */

/*
 * onestep: how the engine writes the departure time into a one-step
 * event message (a Sync, or with ONESTEP_P2P a Pdelay_Resp too)
 */
enum tsnic_onestep {
	TSNIC_ONESTEP_NONE,
	TSNIC_ONESTEP_L2,	/* PTP over Ethernet: no checksum */
	TSNIC_ONESTEP_UDP4,	/* the UDP checksum, if any, is updated */
	TSNIC_ONESTEP_UDP6,	/* the UDP checksum is updated */
};

struct tsnic_tx_desc {
	/* driver -> hardware */
	u32 len;		/* bytes in this buffer */
	u16 flags;		/* TSNIC_TXD_* */
	u16 mss;		/* TSO only, on SOP */
	u16 hdr_len;		/* TSO only, on SOP */
	u16 segs;		/* TSO only, on SOP: segments on the wire */
	u64 launch;		/* TSNIC_TXD_LAUNCH, on SOP: PHC ns */
	u16 ptp_off;		/* with onestep, on SOP: the PTP header's
				 * offset in the (linear) frame
				 */
	u8 onestep;		/* on SOP: enum tsnic_onestep */
	/* hardware -> driver (on EOP), valid once status has TSNIC_TXD_DD */
	u32 status;
	u64 ready;		/* raw ns at the doorbell that handed it over */
	/* engine-private, on SOP: launch on the raw timeline, at the doorbell */
	u64 launch_raw;
	u64 depart;		/* raw ns the last bit left the wire */
	u64 tstamp;		/* PHC ns at departure, with TSNIC_TXD_TS_VALID */
};

/*
 * driver-private per-descriptor bookkeeping (the "tx_buffer" of ice/igb).
 * xmit fills a frame's entry, then publishes next_to_watch (release) last;
 * TX NAPI reads next_to_watch (acquire) before anything else, and clears
 * it when the frame is cleaned.
 */
struct tsnic_tx_buf {
	struct tsnic_tx_desc *next_to_watch;	/* the frame's EOP, or NULL */
	struct sk_buff *skb;	/* on the frame's first descriptor only */
	u32 bytecount;		/* bytes reported to BQL */
	u32 skb_len;		/* skb->len, for ring dumps (the skb itself
				 * may be freed under a lockless reader)
				 */
	u32 ts_cookie;		/* the slot's use count when taken */
	u16 gso_segs;		/* packets reported in stats */
	u16 eop;		/* index of the frame's last descriptor */
	s8 ts_slot;		/* timestamp slot, or -1 */
};

/* ---- the simulated engine (MAC + DMA) of one TX queue ----------------- */

/*
 * Completion lateness: how late an event ran after the instant it was
 * wanted, in CLOCK_MONOTONIC ns, counted in log2 buckets of microseconds:
 * bucket 0 under 1 us, bucket b (1 .. TSNIC_LATE_BUCKETS - 2) under 2^b us,
 * the last one the rest (16.384 ms and more).  over_1ms counts the events
 * of the buckets from 2^10 us (1.024 ms) up.  One writer at a time, as
 * stated where a histogram is declared; readers anywhere but in hard IRQ
 * context, through syncp.
 */
#define TSNIC_LATE_1MS_BUCKET	11
struct tsnic_late_hist {
	struct u64_stats_sync syncp;
	u64_stats_t bucket[TSNIC_LATE_BUCKETS];
	u64_stats_t over_1ms;
	u64_stats_t max_ns;
};

struct tsnic_engine {
	/*
	 * lock protects every field below (but dim_* and the lateness
	 * histograms at the end).  Taken in xmit
	 * (doorbell, BH off), in TX NAPI (tsnic_engine_poll()) and from
	 * control paths with spin_lock_bh(); never in hard IRQ context.
	 * Lock order: txq lock -> engine lock.
	 */
	spinlock_t lock;
	bool running;		/* accepts doorbells; false while down */
	bool stalled;		/* fault: stops taking descriptors */
	u32 tail;		/* doorbell: descriptors before tail are ours */
	u32 head;		/* next descriptor to send */
	u64 busy_until;		/* raw ns the wire is busy until */
	u64 now;		/* raw ns of the latest run (its clock read) */
	u32 irq_pending;	/* frames written back, not yet reported */
	u64 irq_deadline;	/* raw ns the moderation delay ends */
	/*
	 * reported: the interrupt's mark, the index after the last frame
	 * reported to the driver; TX NAPI cleans up to it.  Written under
	 * lock (WRITE_ONCE), read by TX NAPI under lock or with READ_ONCE.
	 */
	u32 reported;
	/*
	 * timer: the engine's next event (a departure, the end of the
	 * moderation delay).  Its callback runs in hard IRQ context
	 * (softirq on PREEMPT_RT) and only schedules the TX NAPI, which runs
	 * the engine; it takes no lock and touches no field here.  Armed
	 * under lock for timer_at, never pushed back.
	 */
	struct hrtimer timer;
	u64 timer_at;		/* raw ns it was last armed for */
	/*
	 * The moderation adaptive-tx chose (DIM's profile): its work item
	 * writes them (WRITE_ONCE), the engine reads them (READ_ONCE) when
	 * cfg.adaptive_tx is on.
	 */
	u32 dim_usecs;
	u32 dim_frames;
	/*
	 * TSN offloads (tc.c sets them under lock, with RTNL): tsn is a
	 * TSNIC_TSN_* bit per offload on, 0 on a plain queue, whose hot path
	 * then costs one test of it.  CBS: slopes in kbit/s, credit and its
	 * bounds in micro-bits (kbit/s times ns), credit valid at raw ns
	 * credit_at; reset by tsnic_engine_start().
	 */
	u8 tsn;
	s64 cbs_idleslope;
	s64 cbs_sendslope;
	s64 cbs_hicredit;
	s64 cbs_locredit;
	s64 credit;
	u64 credit_at;
	/*
	 * taprio: the device's gate schedule (tc.c frees it only after every
	 * queue dropped it, under this lock) and the queue's class in it.
	 */
	const struct tsnic_gcl *gcl;
	u8 gate_tc;
	/* counters, under lock */
	u64 frames;		/* frames sent on the wire */
	u64 irqs;		/* interrupts raised */
	u64 launch_late;	/* ETF: started after their launch time */
	u64 launch_far;		/* ETF: launch beyond the horizon, clamped */
	u64 cbs_waits;		/* CBS: held back for credit */
	u64 window_drops;	/* taprio: fit in no window, or above max-SDU */
	u64 lazy_latches;	/* doorbells latched without a clock read */
	/*
	 * Lateness, no lock.  timer_late: of the timer callback against its
	 * expiry; written by the callback alone (an hrtimer's callback never
	 * runs concurrently with itself).  napi_late: of the TX NAPI poll
	 * against the first napi_schedule() it had not yet seen; written by
	 * the poll alone (tsnic_engine_poll()).  sched_at: the monotonic ns
	 * of that napi_schedule(), 0 for none: set with cmpxchg by the
	 * callback and by tsnic_engine_irq(), taken with xchg by the poll.
	 */
	atomic64_t sched_at;
	struct tsnic_late_hist timer_late;
	struct tsnic_late_hist napi_late;
};

#define TSNIC_TSN_ETF		BIT(0)	/* launch time honoured */
#define TSNIC_TSN_CBS		BIT(1)	/* credit-based shaper */
#define TSNIC_TSN_GATES		BIT(2)	/* taprio gate schedule */

/*
 * taprio's gate control list, as the engine runs it: built by tc.c under
 * RTNL, read-only once a queue's engine has it (eng.gcl), freed by tc.c
 * after every queue has let go of it.  Times are PHC ns.  Each traffic
 * class has nwin[tc] gate windows in win[tc * stride ...], ordered, as
 * offsets into the cycle: open < cycle, and close > cycle for a window
 * that runs on into the next cycle's start.  A class open all the time
 * has its bit in always and no window; one never open has neither.
 */
#define TSNIC_TAPRIO_MAX_ENTRIES	64
#define TSNIC_TAPRIO_MAX_CYCLE_NS	NSEC_PER_SEC

struct tsnic_gate_win {
	u64 open;
	u64 close;
};

struct tsnic_gcl {
	u64 start;		/* the first cycle (base + n * cycle) */
	u64 cycle;
	u32 max_len[TC_MAX_QUEUE];	/* bytes without FCS; 0: no limit */
	u8 nwin[TC_MAX_QUEUE];
	u16 always;
	u32 stride;
	struct tsnic_gate_win win[];
};

/*
 * How far ahead of its doorbell a launch time is honoured: igc's launch
 * window without a gate schedule, one cycle of a second.  A frame asking
 * for later departs at the horizon (counted launch_far), so a queue waits
 * at most this long for one frame.
 */
#define TSNIC_LAUNCH_HORIZON_NS	NSEC_PER_SEC

/* ---- per-queue statistics --------------------------------------------- */

/* Written in xmit only (under the txq lock): single writer. */
struct tsnic_xmit_stats {
	struct u64_stats_sync syncp;
	u64_stats_t frames;	/* skbs placed on the ring */
	u64_stats_t bytes;	/* their BQL bytes */
	u64_stats_t descs;	/* descriptors used */
	u64_stats_t doorbells;
	u64_stats_t stops;	/* ring nearly full: queue stopped */
	u64_stats_t busy;	/* dropped: no descriptors (cannot happen) */
	u64_stats_t ts_requested;	/* hardware timestamps asked for */
	u64_stats_t launch;	/* frames given a launch time (ETF) */
};

/* Written in TX NAPI, or by control paths with NAPI disabled. */
struct tsnic_clean_stats {
	struct u64_stats_sync syncp;
	u64_stats_t frames;	/* skbs completed */
	u64_stats_t packets;	/* packets on the wire (GSO segments) */
	u64_stats_t bytes;
	u64_stats_t polls;	/* NAPI polls */
	u64_stats_t wakes;	/* queue woken after a stop */
	u64_stats_t sink;	/* frames consumed by the sink (unwired) */
	u64_stats_t peer_drops;	/* peer down, no carrier, too long */
	u64_stats_t flushed;	/* dropped from the ring by a reset */
};

struct tsnic_rx_stats {
	struct u64_stats_sync syncp;
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t polls;
	u64_stats_t hwtstamps;	/* frames given a hardware RX timestamp */
	u64_stats_t crc_errors;	/* corrupted on the cable: dropped */
	u64_stats_t nomem;	/* dropped: no memory to unshare it */
};

/* ---- queues ------------------------------------------------------------ */

struct tsnic_priv;
struct tsnic_card;

struct tsnic_tx_ring {
	struct tsnic_priv *priv;
	struct net_device *dev;
	u16 qid;
	/*
	 * count, desc and buf: allocated in open (or a reconfiguration),
	 * freed in stop, rewound by a watchdog reset: under RTNL and the
	 * device's ring_lock, which the descriptor views hold while they
	 * read them.  count is a power of two, fixed while the arrays exist;
	 * readers without ring_lock that only compute with it (free
	 * descriptors) use READ_ONCE.
	 */
	u32 count;
	struct tsnic_tx_desc *desc;
	struct tsnic_tx_buf *buf;
	/* written in xmit, read locklessly elsewhere (READ_ONCE) */
	u32 next_to_use;
	/* written in TX NAPI, read locklessly elsewhere (READ_ONCE) */
	u32 next_to_clean;
	/*
	 * gen: changes whenever descriptors a reader saw in flight may stop
	 * being the ones it saw: the arrays are allocated or freed (RTNL,
	 * NAPI disabled), or TX NAPI cleaned frames, whose slots xmit may
	 * then reuse (bumped before next_to_clean is published, smp_wmb()).
	 * A ring dump spanning several reads checks it (netlink.c).  Never
	 * 0.  Writers: TX NAPI, or control paths with NAPI disabled;
	 * readers use READ_ONCE.
	 */
	u32 gen;
	/*
	 * epoch: changes whenever the arrays are allocated, freed or rewound
	 * (not when frames are cleaned), under ring_lock.  A /proc ring read
	 * resumed across read() calls checks it: the same pointer and size
	 * can be a new array, or the same array rewound (ABA).
	 */
	u32 epoch;
	/*
	 * ETF offload on: xmit hands skb->tstamp to the engine as the
	 * frame's launch time.  RTNL writes (WRITE_ONCE), xmit READ_ONCE.
	 */
	bool launch;
	struct napi_struct napi;
	/*
	 * Adaptive TX moderation (net_dim): sampled in TX NAPI, its work
	 * item applies a new profile to eng.dim_usecs/dim_frames; cancelled
	 * (cancel_work_sync) after NAPI is disabled.
	 */
	struct dim dim;
	struct tsnic_engine eng;
	/*
	 * The cable's batch: frames this queue sent, on their way to one RX
	 * queue of the peer (rx, under the RCU read section that spans the
	 * TX poll or flush filling it), put in its FIFO under one lock with
	 * one kick by tsnic_wire_flush().  TX NAPI, or a flush with NAPI
	 * disabled: no lock.
	 */
	struct tsnic_cable_batch {
		struct tsnic_rx_ring *rx;
		struct sk_buff_head frames;
		u64 depart;	/* the latest departure among them */
		u64 arrival;	/* the earliest arrival among them */
	} cable;
	struct tsnic_xmit_stats xstats;
	struct tsnic_clean_stats cstats;
} ____cacheline_aligned_in_smp;

/* Control block of a frame on the cable / in the peer's RX FIFO. */
struct tsnic_rx_cb {
	u64 arrival;		/* raw ns the frame arrives */
	bool csum_ok;		/* the engine computed the L4 checksum */
	bool fcs_bad;		/* fault: corrupted on the cable */
};

/**
 * tsnic_rx_cb() - the cable's control block of a frame
 * @skb: a frame on the cable or in an RX FIFO
 *
 * Return: the control block, in @skb->cb.
 */
static inline struct tsnic_rx_cb *tsnic_rx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct tsnic_rx_cb) > sizeof(skb->cb));
	return (struct tsnic_rx_cb *)skb->cb;
}

/*
 * Frames an RX queue dropped before its NAPI saw them.  Writers hold the
 * queue's fifo.lock, which serialises them (the peer's TX NAPIs, and
 * tsnic_rx_stop()); readers take no lock (tsnic_rx_drops_read()), so
 * ndo_get_stats64 may be called in atomic context (not in hard IRQ: on
 * 32-bit a reader there could spin on a writer it interrupted).
 */
struct tsnic_rx_drops {
	struct u64_stats_sync syncp;
	u64_stats_t full;	/* fifo full */
	u64_stats_t down;	/* device not up */
	u64_stats_t length;	/* longer than MTU */
};

/* tsnic_rx_drops read at one instant */
struct tsnic_rx_drop_counts {
	u64 full;
	u64 down;
	u64 length;
};

struct tsnic_rx_ring {
	struct tsnic_priv *priv;
	u16 qid;
	/*
	 * fifo.lock protects fifo and enabled, and serialises the writers of
	 * drops: producers are the peer's TX NAPIs on any CPU (softirq), the
	 * consumer is this queue's NAPI, control paths use spin_lock_bh().
	 * The ring lives as long as the device, so a producer that found us
	 * through the RCU peer pointer may always take the lock.
	 */
	struct sk_buff_head fifo;
	bool enabled;		/* the device is up */
	u32 size;		/* capacity of fifo (ethtool -G rx) */
	struct tsnic_rx_drops drops;
	struct napi_struct napi;
	/* head frame's arrival is in the future: armed under fifo.lock,
	 * while enabled only (tsnic_rx_stop() cancels it after clearing
	 * enabled)
	 */
	struct hrtimer timer;
	/* raw ns the timer is armed for, U64_MAX when it is not: under
	 * fifo.lock; the callback resets it before it schedules NAPI
	 */
	u64 timer_at;
	/*
	 * A raw instant known to be past, under fifo.lock: the latest
	 * departure a producer queued a frame for (a departure is written
	 * back only once it has happened).  A frame arriving no later is
	 * due without reading the clock.
	 */
	u64 past;
	struct tsnic_rx_stats stats;	/* RX NAPI only */
} ____cacheline_aligned_in_smp;

/* ---- timestamp unit --------------------------------------------------- */

enum tsnic_ts_state {
	TSNIC_TS_FREE,
	TSNIC_TS_PENDING,	/* frame on the ring, timestamp not yet taken */
	TSNIC_TS_HELD,		/* fault: taken, held back until due */
};

struct tsnic_ts_slot {
	struct sk_buff *skb;	/* reference taken in xmit */
	u64 start;		/* raw ns when taken, for the timeout */
	u64 gen;		/* PHC step generation when taken */
	/* bumped at each take: a late completion or cancel of a reclaimed
	 * slot does not match the slot's new user.  32 bits: a frame may
	 * wait on a stalled ring while its slot is reclaimed and taken
	 * again; 2^32 takes of one slot in that time cannot happen.
	 */
	u32 cookie;
	u8 state;
	bool reorder;		/* HELD: released by the next delivery too */
	u64 hwts;		/* HELD: the timestamp */
	u64 due;		/* HELD: raw ns it is delivered at */
};

struct tsnic_tsu {
	/*
	 * lock protects slots[] and the counters; taken in xmit and TX NAPI
	 * (softirq) and in the timeout work with spin_lock_bh().
	 */
	spinlock_t lock;
	struct tsnic_ts_slot slots[TSNIC_TS_SLOTS_MAX];
	u32 nslots;		/* slots in use by the hardware; RTNL + lock */
	u32 timeout_ms;		/* RTNL writes, READ_ONCE readers */
	u64 pending;		/* slots in TSNIC_TS_PENDING or _HELD */
	u64 requested;
	u64 skipped;		/* no slot free */
	u64 delivered;
	u64 timeouts;
	u64 stale;		/* discarded: the clock was stepped */
	u64 flushed;		/* discarded: link down or ring reset */
	struct delayed_work timeout_work;
	/*
	 * Delivers HELD slots when due (soft hrtimer).  hold_at: raw ns it
	 * is armed for, or U64_MAX; under lock.
	 */
	struct hrtimer hold_timer;
	u64 hold_at;
	u64 onestep;		/* one-step frames handed to the engine */
	u64 onestep_err;	/* one-step frames dropped: not writable */
	/* hwtstamp configuration: RTNL writes, READ_ONCE in fast paths */
	int tx_type;
	int rx_filter;		/* the filter applied */
	int rx_req;		/* the filter asked for (RTNL only) */
	u32 personality;	/* enum tsnic_ts_personality */
};

/* ---- PTP hardware clock ----------------------------------------------- */

#define TSNIC_PHC_SHIFT		40

struct tsnic_phc {
	/*
	 * seq protects the time base below: writers (adjfine, adjtime,
	 * settime, the oscillator settings, and a reader taking the wander
	 * steps due) hold lock, with spin_lock_bh(); readers (process or BH
	 * context) retry on seq.  phc(t) = base_ns + (t - base_raw) * mult
	 * >> TSNIC_PHC_SHIFT for raw monotonic nanoseconds t.  No timer or
	 * work item touches the clock: the wander steps lazily (ptp.c).
	 */
	spinlock_t lock;
	seqcount_spinlock_t seq;
	u64 base_raw;
	u64 base_ns;
	u64 mult;
	/* frequency terms, in 2^-16 ppb */
	s64 freq_sppb;		/* intrinsic oscillator error */
	s64 wander_sppb;	/* random-walk state */
	/*
	 * raw ns the next wander step is due, U64_MAX while the wander is
	 * off; written under lock (WRITE_ONCE), read without it (READ_ONCE)
	 * by readers, which take the steps due under lock
	 */
	u64 wander_next;
	s64 adj_sppb;		/* the servo's adjfine */
	u64 gen;		/* bumped on each step (settime/adjtime) */
	/* settings: RTNL (or module load) writes, READ_ONCE readers */
	u32 wander_ppb_per_s;	/* random-walk step size, 0 = off */
	u32 jitter_ns;		/* timestamp jitter, 0 = off */
	u32 read_delay_ns;	/* a clock read's round trip, 0 = none */
	u32 read_latch_ns;	/* when into it the clock latches */
	struct ptp_clock_info info;
	struct ptp_clock *clock;	/* ndo_init to ndo_uninit (RTNL) */
	/*
	 * ptp_clock_index(clock), read at registration: readers without
	 * RTNL use it (READ_ONCE), as the clock may be unregistered and
	 * freed under them; -1 before registration and after.
	 */
	int index;
};

/* ---- the PHC's pins: periodic outputs, external timestamps, PPS -------- */

/* TSNIC_PINS (uapi): SDP0 .. SDP3, programmable */
#define TSNIC_PEROUT_CHANNELS	2
#define TSNIC_EXTTS_CHANNELS	2
/* a periodic output's period: every edge is a timer expiry */
#define TSNIC_PEROUT_MIN_NS	(1 * NSEC_PER_MSEC)
#define TSNIC_PEROUT_MAX_NS	(1000ULL * NSEC_PER_SEC)

/*
 * A wire from an output pin to an input pin, possibly of another card (or
 * of the same one).  from and to are the ports (devices) it was made
 * through: the pins are their cards'.  Made and removed under RTNL, and
 * removed when either port goes; on its source pin's wires list (RCU) and
 * as its sink pin's in (RCU); freed after a grace period.  Every field is
 * constant while it is listed.
 */
struct tsnic_wire {
	struct list_head node;		/* on from's pin[from_pin].wires */
	struct tsnic_priv *from;
	struct tsnic_priv *to;
	u8 from_pin;
	u8 to_pin;
	u32 delay_ns;			/* propagation delay */
	struct rcu_head rcu;
};

/* One pin's wiring: RTNL writes, RCU readers (the edge path, dumps). */
struct tsnic_pin {
	struct list_head wires;		/* wires it drives (fan-out) */
	struct tsnic_wire __rcu *in;	/* the wire driving it, or NULL */
};

/*
 * A pulse generator: a periodic output channel, or the PPS source.  Its
 * edges lie on the PHC's timeline: rising at start + k * period, falling
 * width later (width 0: rising edges only).  Under tsnic_pins.lock but
 * timer, which is armed under the lock and cancelled without it.
 */
struct tsnic_pulse {
	struct tsnic_card *card;
	struct hrtimer timer;		/* the next edge's raw instant */
	bool on;
	bool one_shot;
	bool pps;			/* PTP_CLOCK_PPS at each rising edge */
	bool high;			/* the next edge is rise's falling one */
	s8 pin;				/* the pin it drives, -1 for none */
	u64 start;			/* PHC ns: the grid's origin */
	u64 period;
	u64 width;
	u64 rise;			/* PHC ns of the next (or current) pulse */
	u64 gen;			/* tsnic_phc_gen() rise was planned on */
	u64 edges;			/* edges made */
};

/* An external timestamp channel.  Under tsnic_pins.lock. */
struct tsnic_extts {
	bool on;
	u8 pin;
	u32 edges;			/* PTP_RISING_EDGE | PTP_FALLING_EDGE */
	u64 events;			/* timestamps delivered */
};

#define TSNIC_PPS_PULSE		TSNIC_PEROUT_CHANNELS	/* out[] index */

struct tsnic_pins {
	/*
	 * lock protects out[], in[] and dead.  Taken with spin_lock_bh() by
	 * the PTP core's calls (.enable; process context, under the core's
	 * pincfg_mux), by the clock's adjustments (ptp.c, after they dropped
	 * the clock's lock: never nested in it) and by edge delivery, which
	 * runs in the pulse timers (softirq) or in an adjustment of the
	 * sending clock.  Only one pins lock is held at a time: a sender
	 * collects its edges under its own, then delivers them to each
	 * receiver under the receiver's.  ptp_clock_event() on a device's
	 * clock is only called under its lock with dead false.
	 */
	spinlock_t lock;
	bool dead;			/* set once before the clock goes */
	struct tsnic_pulse out[TSNIC_PEROUT_CHANNELS + 1];	/* + PPS */
	struct tsnic_extts in[TSNIC_EXTTS_CHANNELS];
	struct tsnic_pin pin[TSNIC_PINS];
	/*
	 * The PTP core's pin table (ptp_clock_info.pin_config): the core
	 * writes func and chan under its pincfg_mux; dumps read them with
	 * READ_ONCE, a snapshot.
	 */
	struct ptp_pin_desc config[TSNIC_PINS];
	/* a wire into this card was removed: wait for RCU before freeing */
	bool unwired;			/* RTNL */
};

/* ---- the GNSS receiver on the card ------------------------------------ */

/* the receiver's settings' bounds: an error of +-50 ms keeps each
 * second's events in order (pulse, its end, the sentences)
 */
#define TSNIC_GNSS_OFFSET_MAX_NS	(50 * NSEC_PER_MSEC)
#define TSNIC_GNSS_JITTER_MAX_NS	NSEC_PER_MSEC

/*
 * A GNSS receiver (gnss.c): a 1PPS into one of the PHC's pins and NMEA
 * sentences on /dev/gnssN, both from the module's true time.  lock
 * protects everything below gdev; taken with spin_lock_bh() by the
 * receiver's timer (softirq), the GNSS core's open and close (process,
 * under the core's own locks) and the settings' changes (RTNL).  Only
 * the timer's callback delivers edges to the pin, after dropping lock
 * (the pins lock is never taken under it).  The timer is armed under
 * lock and cancelled without it.
 */
struct tsnic_gnss {
	/* registered from "on" to "off" or the card's end; RTNL */
	struct gnss_device *gdev;
	/*
	 * The port it was last set through, whose "gnss-fix" fault it
	 * follows, or NULL: RTNL writes (tsnic_gnss_set(), and that port's
	 * ndo_uninit clears it), RCU readers (the timer).
	 */
	struct tsnic_priv __rcu *port;
	spinlock_t lock;			/* all below, as above */
	struct hrtimer timer;		/* the next event's raw instant */
	bool on;
	bool opened;			/* /dev/gnssN has a reader */
	int index;			/* N of /dev/gnssN, -1 while off */
	bool fix;			/* this second has a fix */
	u8 pin;				/* the PHC pin the 1PPS drives */
	u8 next;			/* enum tsnic_gnss_event */
	s32 offset_ns;			/* the pulse's error, +- */
	u32 jitter_ns;			/* uniform, +- */
	u64 second;			/* true UTC second being sent */
	u64 rise;			/* raw ns of its pulse, as drawn */
	u64 pulses;			/* pulses made */
	u64 lost;			/* seconds without a fix */
	u64 reports;			/* seconds whose sentences were sent */
	/*
	 * The DPLL (dpll.c, where the kernel has the subsystem): dpll and
	 * dpll_pin registered with the receiver (RTNL), read under lock by
	 * the timer; dpll_status (enum dpll_lock_status) and dpll_fix_s
	 * (seconds of fix in a row) under lock; dpll_work announces a new
	 * status.
	 */
	struct dpll_device *dpll;
	struct dpll_pin *dpll_pin;
	struct work_struct dpll_work;
	u32 dpll_status;
	u32 dpll_fix_s;
};

/* ---- the card: the clock and what belongs to it, shared by its ports ---- */

/* A card has at most this many ports (devices). */
#define TSNIC_CARD_PORTS_MAX	16

/*
 * A card: the platform device that is the sysfs parent of its ports'
 * net_devices and of its PTP clock, GNSS receiver and DPLL; the PHC with
 * its oscillator and pins; the receiver.  A device made on its own gets a
 * card of its own; one made "card-of" another device becomes another port
 * of that device's card (tsnic_newlink()), and every port stamps on the
 * card's one clock.
 *
 * Lifetime, two counts:
 *   ref    one per port, taken in the port's ndo_init, dropped in its
 *          destructor (after the net_device left sysfs and a grace period
 *          passed since readers could find it): the last put unregisters
 *          the platform device and frees the card.  So the card outlives
 *          the sysfs entries it parents, and an RCU reader that found a
 *          port may follow priv->card.
 *   ports  the ports registered: RTNL (WRITE_ONCE; readers without RTNL
 *          use READ_ONCE).  Incremented in ndo_init,
 *          decremented in ndo_uninit; the port that brings it to 0 stops
 *          the receiver, the pins and the PHC there, under RTNL, as a
 *          device with a card of its own always did.
 * A port's priv->card is set in ndo_init and constant until the port is
 * freed.  The clock's settings (oscillator, pins, GNSS) are the card's,
 * whichever port they are set or read through.
 */
struct tsnic_card {
	struct kref ref;
	unsigned int ports;		/* RTNL writes, READ_ONCE readers */
	/* the instance of the port that made it: names the clock and DPLL */
	u64 instance;
	struct platform_device *pdev;	/* constant while ref is held */
	struct tsnic_phc phc;
	struct tsnic_pins pins;
	struct tsnic_gnss gnss;
};

/* ---- fault injection -------------------------------------------------- */

/*
 * The faults that fire on events are enum tsnic_fault of the uapi header,
 * generated from the spec: the one list of them.
 */
#define TSNIC_FAULT_NUM		(TSNIC_FAULT_MAX + 1)

struct tsnic_fault_trig {
	u32 every;		/* fire on every Nth event, 0 = off */
	u32 ppm;		/* and/or at random, parts per million */
	u32 count;		/* events since the last every-Nth firing */
	u64 fired;
};

/*
 * A device's fault injection.  lock protects trig[], prng and seed: taken
 * with spin_lock() in the hot paths (engine, TX NAPI, cable; BH context)
 * and with spin_lock_bh() by control paths and readers, innermost (it
 * nests inside the engine, timestamp unit and FIFO locks and takes none).
 * armed (a bit per kind whose every or ppm is set) lets the hot paths
 * skip the lock when a fault is off: written under lock, read with
 * READ_ONCE.  The values below seed are written under RTNL with
 * WRITE_ONCE and read with READ_ONCE (netlink reads them without RTNL).
 */
struct tsnic_faults {
	spinlock_t lock;	/* trig[], prng and seed, as above */
	struct tsnic_fault_trig trig[TSNIC_FAULT_NUM];
	u64 prng;		/* xorshift64* state, never 0 */
	unsigned long armed;
	u64 seed;
	u32 ts_delay_ns;
	u32 cable_delay_ns;
	u32 cable_jitter_ns;
	bool cable_pulled;	/* at this end of the cable */
	u64 cable_pulls;
};

/* ---- the device -------------------------------------------------------- */

struct tsnic_cfg {
	/* RTNL writes; fast paths read with READ_ONCE */
	u64 rate_bps;		/* line rate, 0 = unlimited */
	u32 delay_ns;		/* cable propagation delay */
	u32 tx_usecs;		/* interrupt moderation: time */
	u32 tx_frames;		/* interrupt moderation: frames */
	bool adaptive_tx;	/* DIM chooses the two above, per queue */
	/* RTNL writes (WRITE_ONCE), readers without RTNL READ_ONCE;
	 * changing them resets the rings
	 */
	u32 tx_ring;
	u32 rx_ring;
};

struct tsnic_priv {
	struct net_device *dev;
	/*
	 * The card this device is a port of (see struct tsnic_card): set in
	 * ndo_init, constant until the destructor drops its reference.  Its
	 * platform device is the net_device's parent and stays in the
	 * initial namespace's sysfs when the device moves, as a NIC's PCI
	 * function does.
	 */
	struct tsnic_card *card;
	/*
	 * newlink: the card to join, made "card-of" another port (RTNL; the
	 * other port, so its card, lives while RTNL is held), or NULL for a
	 * card of its own.  Read by ndo_init only.
	 */
	struct tsnic_card *join;
	/* never 0, never reused (an ifindex is): set in ndo_init, then const */
	u64 instance;
	/* the other end of the cable: RTNL writes, RCU readers */
	struct tsnic_priv __rcu *peer;
	struct tsnic_cfg cfg;
	bool up;		/* rings allocated and running; RTNL, READ_ONCE */
	/*
	 * ring_lock: held by every control path (under RTNL) while it
	 * allocates, frees or rewinds a TX ring's arrays, and by the two
	 * descriptor views (netlink ring dump, /proc tx ring) while they
	 * read descriptors, so a view never sees a freed array.  Order:
	 * RTNL -> ring_lock.  Holders do not sleep on anything else (no
	 * user copies, no RTNL); only CAP_NET_ADMIN readers can take it.
	 */
	struct mutex ring_lock;
	struct tsnic_tx_ring *tx;	/* [dev->num_tx_queues] */
	struct tsnic_rx_ring *rx;	/* [dev->num_rx_queues] */
	struct tsnic_tsu tsu;
	struct tsnic_faults faults;
	struct work_struct reset_work;	/* TX watchdog recovery */
	/* TX queues the watchdog found stuck: set_bit() in the watchdog,
	 * test_and_clear_bit() in reset_work
	 */
	DECLARE_BITMAP(reset_queues, TSNIC_MAX_QUEUES);
	u64 resets;		/* watchdog resets done; RTNL writes */
	struct proc_dir_entry *proc;	/* /proc/net/tsnic/<name>; RTNL */
	/* taprio's schedule the queues run (tc.c); RTNL */
	struct tsnic_gcl *gcl;
};

/* What a new device starts with: the module's parameters (main.c). */
struct tsnic_defaults {
	struct tsnic_cfg cfg;
	u32 ts_slots;
	u32 ts_timeout_ms;
	u32 freq_random_ppb;	/* the PHC's error: random within +-this */
	u32 wander_ppb;
	u32 jitter_ns;
};

/* device.c: the net_device, its link kind and its netdev ops */
int tsnic_device_register(const struct tsnic_defaults *def);
void tsnic_device_unregister(void);
int tsnic_reconfigure(struct tsnic_priv *priv, const struct tsnic_cfg *cfg,
		      unsigned int txq, unsigned int rxq);
extern const struct net_device_ops tsnic_netdev_ops;

/**
 * tsnic_is_tsnic() - is a net_device a tsnic device?
 * @dev: any net_device
 *
 * An inline test of its ops, so that readers (netlink.c, proc.c) need not
 * call into device.c.
 *
 * Context: any.
 * Return: true for a tsnic device.
 */
static inline bool tsnic_is_tsnic(const struct net_device *dev)
{
	return dev->netdev_ops == &tsnic_netdev_ops;
}

/* cable.c: the cable between two devices, and carrier */
void tsnic_cable_plug(struct tsnic_priv *a, struct tsnic_priv *b);
void tsnic_cable_unplug(struct tsnic_priv *priv);
void tsnic_carrier_update(struct tsnic_priv *priv);
bool tsnic_cable_pulled(struct tsnic_priv *priv);
bool tsnic_cable_set_pulled(struct tsnic_priv *priv, bool pulled);

/* tx.c */
netdev_tx_t tsnic_start_xmit(struct sk_buff *skb, struct net_device *dev);
int tsnic_tx_poll(struct napi_struct *napi, int budget);
int tsnic_tx_ring_alloc(struct tsnic_tx_ring *ring, u32 count);
void tsnic_tx_ring_free(struct tsnic_tx_ring *ring);
void tsnic_tx_ring_flush(struct tsnic_tx_ring *ring);
void tsnic_tx_ring_rewind(struct tsnic_tx_ring *ring);

/*
 * A TX ring's indices read together (tsnic_tx_snapshot()), in the order
 * they follow one another: ntc <= head <= tail <= ntu, modulo count.
 */
struct tsnic_tx_snap {
	u32 count;
	u32 ntc;		/* next_to_clean: first descriptor in flight */
	u32 head;		/* engine head: first one not sent */
	u32 tail;		/* engine tail: first one not handed over */
	u32 ntu;		/* next_to_use: first one free */
};

/* One TX descriptor as dumps show it (tsnic_tx_desc_info()). */
struct tsnic_tx_desc_info {
	u32 index;
	u32 state;		/* enum tsnic_desc_state */
	u32 len;
	u16 flags;		/* TSNIC_TXD_SOP... */
	u32 status;		/* TSNIC_TXD_DD, TSNIC_TXD_TS_VALID */
	u32 skb_len;		/* SOP only */
	u64 depart;		/* with TSNIC_TXD_DD */
	u64 tstamp;		/* with TSNIC_TXD_TS_VALID */
};

/**
 * tsnic_tx_snap_dist() - how far an index of a snapshot is past its ntc
 * @s: the snapshot
 * @to: an index of the ring
 *
 * Return: descriptors from @s's next_to_clean to @to, modulo the ring size.
 */
static inline u32 tsnic_tx_snap_dist(const struct tsnic_tx_snap *s, u32 to)
{
	return (to - s->ntc) & (s->count - 1);
}

void tsnic_tx_snapshot(struct tsnic_tx_ring *ring, struct tsnic_tx_snap *s);
void tsnic_tx_desc_info(const struct tsnic_tx_ring *ring,
			const struct tsnic_tx_snap *s, u32 off,
			struct tsnic_tx_desc_info *d);

/**
 * tsnic_desc_unused() - free descriptors of a TX ring
 * @ring: the ring, its arrays allocated
 *
 * Context: any; lockless, a snapshot (READ_ONCE() of each index).
 * Return: descriptors xmit may still use.
 */
static inline u32 tsnic_desc_unused(const struct tsnic_tx_ring *ring)
{
	u32 ntu = READ_ONCE(ring->next_to_use);
	u32 ntc = READ_ONCE(ring->next_to_clean);
	u32 count = READ_ONCE(ring->count);

	/* one slot always stays empty so full and empty differ */
	return count - 1 - ((ntu - ntc) & (count - 1));
}

/* engine.c: the simulated hardware */
void tsnic_engine_init(struct tsnic_tx_ring *ring);
void tsnic_engine_start(struct tsnic_tx_ring *ring);
void tsnic_engine_stop(struct tsnic_tx_ring *ring);
void tsnic_engine_doorbell(struct tsnic_tx_ring *ring, u32 tail);
u32 tsnic_engine_poll(struct tsnic_tx_ring *ring, u64 *irqs);
void tsnic_engine_moderation(struct tsnic_tx_ring *ring, u32 *usecs, u32 *frames);
void tsnic_tx_dim_init(struct tsnic_tx_ring *ring);
void tsnic_engine_set_stalled(struct tsnic_tx_ring *ring, bool stalled);
bool tsnic_engine_stalled(struct tsnic_tx_ring *ring);
void tsnic_late_read(struct tsnic_late_hist *h, u64 *buckets);
u64 tsnic_wire_time_ns(u64 rate_bps, u32 len, u16 segs, u16 hdr_len, u16 mss);
void tsnic_engine_set_launch(struct tsnic_tx_ring *ring, bool on);
void tsnic_engine_set_cbs(struct tsnic_tx_ring *ring, bool on, s32 idleslope,
			  s32 sendslope, s32 hicredit, s32 locredit);
u8 tsnic_engine_tsn(struct tsnic_tx_ring *ring);
void tsnic_engine_set_gates(struct tsnic_tx_ring *ring,
			    const struct tsnic_gcl *gcl, u8 tc);
u64 tsnic_engine_window_drops(struct tsnic_tx_ring *ring);

/* rx.c */
void tsnic_rx_init(struct tsnic_rx_ring *rx);
void tsnic_rx_start(struct tsnic_rx_ring *rx, u32 size);
void tsnic_rx_stop(struct tsnic_rx_ring *rx);
void tsnic_rx_drops_read(struct tsnic_rx_ring *rx,
			 struct tsnic_rx_drop_counts *c);
int tsnic_rx_poll(struct napi_struct *napi, int budget);
void tsnic_wire_flush(struct tsnic_tx_ring *ring);
void tsnic_wire_deliver(struct tsnic_tx_ring *ring, struct sk_buff *skb,
			u64 depart);

/* tstamp.c: the timestamp unit */
void tsnic_tsu_init(struct tsnic_priv *priv, u32 nslots, u32 timeout_ms);
void tsnic_tsu_fini(struct tsnic_priv *priv);
int tsnic_tsu_request(struct tsnic_priv *priv, struct sk_buff *skb,
		      u32 *cookie);
void tsnic_tsu_complete(struct tsnic_priv *priv, int slot, u32 cookie,
			u64 hwts);
void tsnic_tsu_cancel(struct tsnic_priv *priv, int slot, u32 cookie);
void tsnic_tsu_flush(struct tsnic_priv *priv);
void tsnic_ts_caps(struct tsnic_priv *priv, u32 *tx_types, u32 *rx_filters);
void tsnic_ts_set_personality(struct tsnic_priv *priv, u32 personality);
const char *tsnic_ts_personality_name(u32 personality);
int tsnic_ts_onestep_prepare(struct tsnic_priv *priv, struct sk_buff *skb,
			     u16 *ptp_off);
void tsnic_ts_onestep_write(struct tsnic_priv *priv, struct sk_buff *skb,
			    const struct tsnic_tx_desc *sop, u64 depart);
void tsnic_ts_p2p_rx(struct sk_buff *skb, u64 t2);

/* Does this tx_type have the engine write one-step event messages? */
static inline bool tsnic_ts_onestep_on(int tx_type)
{
	return tx_type == HWTSTAMP_TX_ONESTEP_SYNC ||
	       tx_type == HWTSTAMP_TX_ONESTEP_P2P;
}

int tsnic_hwtstamp_set(struct tsnic_priv *priv, struct hwtstamp_config *cfg,
		       struct netlink_ext_ack *extack);
void tsnic_hwtstamp_get(struct tsnic_priv *priv, struct hwtstamp_config *cfg);
int tsnic_eth_ioctl(struct net_device *dev, struct ifreq *ifr, int cmd);
#ifdef TSNIC_HAVE_NDO_HWTSTAMP
int tsnic_ndo_hwtstamp_get(struct net_device *dev,
			   struct kernel_hwtstamp_config *kcfg);
int tsnic_ndo_hwtstamp_set(struct net_device *dev,
			   struct kernel_hwtstamp_config *kcfg,
			   struct netlink_ext_ack *extack);
#endif

/* ptp.c: the PHC and its oscillator */
int tsnic_phc_init(struct tsnic_card *card, const char *name,
		   s32 freq_ppb, u32 wander, u32 jitter);
void tsnic_phc_set_osc(struct tsnic_phc *phc, s32 freq_ppb, u32 wander,
		       u32 jitter);
s32 tsnic_phc_freq_ppb(struct tsnic_phc *phc);
void tsnic_phc_set_read(struct tsnic_phc *phc, u32 delay, u32 latch);
void tsnic_phc_fini(struct tsnic_card *card);
u64 tsnic_phc_time_at(struct tsnic_phc *phc, u64 raw_ns);
u64 tsnic_phc_stamp(struct tsnic_phc *phc, u64 raw_ns);
u64 tsnic_phc_gen(struct tsnic_phc *phc);
int tsnic_phc_index(struct tsnic_card *card);
u64 tsnic_phc_raw_at(struct tsnic_phc *phc, u64 ns);

/* pins.c: the PHC's pins, periodic outputs, external timestamps, wires */
void tsnic_pins_init(struct tsnic_card *card);
void tsnic_pins_fini(struct tsnic_card *card);
void tsnic_pins_sync(struct tsnic_card *card);
int tsnic_pins_enable(struct ptp_clock_info *info,
		      struct ptp_clock_request *rq, int on);
int tsnic_pins_verify(struct ptp_clock_info *info, unsigned int pin,
		      enum ptp_pin_function func, unsigned int chan);
int tsnic_pins_connect(struct tsnic_priv *from, u32 from_pin,
		       struct tsnic_priv *to, u32 to_pin, u32 delay_ns,
		       struct netlink_ext_ack *extack);
int tsnic_pins_disconnect(struct tsnic_priv *priv, u32 pin,
			  struct tsnic_priv *to, u32 to_pin,
			  struct netlink_ext_ack *extack);
void tsnic_pins_unwire(struct tsnic_priv *priv);
bool tsnic_pins_active(struct tsnic_card *card, u32 pin);
int tsnic_pins_module_init(void);
void tsnic_pins_module_exit(void);
void tsnic_pins_edge_in(struct tsnic_card *card, unsigned int pin, u64 raw,
			bool rising);
bool tsnic_pins_driven(struct tsnic_card *card, u32 pin);

/* gnss.c */
struct tsnic_gnss_cfg {
	bool on;
	u8 pin;
	s32 offset_ns;
	u32 jitter_ns;
};

void tsnic_gnss_init(struct tsnic_card *card);
void tsnic_gnss_fini(struct tsnic_card *card);
/* what a reader sees of a receiver */
struct tsnic_gnss_info {
	struct tsnic_gnss_cfg cfg;
	int index;			/* N of /dev/gnssN, -1 while off */
	bool fix;
	u64 pulses;
	u64 lost;
	u64 reports;
};

void tsnic_gnss_get(struct tsnic_card *card, struct tsnic_gnss_info *info);
int tsnic_gnss_set(struct tsnic_priv *priv, const struct tsnic_gnss_cfg *cfg,
		   struct netlink_ext_ack *extack);
bool tsnic_gnss_drives(struct tsnic_card *card, u32 pin);
s64 tsnic_gnss_phc_offset(struct tsnic_card *card);
void tsnic_gnss_port_gone(struct tsnic_priv *priv);
void tsnic_gnss_module_init(void);

/* dpll.c, built where the kernel has the DPLL subsystem */
#if IS_ENABLED(CONFIG_DPLL)
void tsnic_dpll_init(struct tsnic_card *card);
int tsnic_dpll_register(struct tsnic_card *card);
void tsnic_dpll_unregister(struct tsnic_card *card);
void tsnic_dpll_second(struct tsnic_gnss *g, bool fix);
#else
static inline void tsnic_dpll_init(struct tsnic_card *card)
{
}

static inline int tsnic_dpll_register(struct tsnic_card *card)
{
	return 0;
}

static inline void tsnic_dpll_unregister(struct tsnic_card *card)
{
}

static inline void tsnic_dpll_second(struct tsnic_gnss *g, bool fix)
{
}
#endif

/* qstats.c: the netdev family's per-queue statistics, where the kernel has them */
#ifdef TSNIC_HAVE_STAT_OPS
void tsnic_set_stat_ops(struct net_device *dev);
#else
static inline void tsnic_set_stat_ops(struct net_device *dev) { }
#endif

/* ethtool.c */
extern const struct ethtool_ops tsnic_ethtool_ops;

/* tc.c: ndo_setup_tc (mqprio, ETF, CBS, taprio), configuration under RTNL */
int tsnic_setup_tc(struct net_device *dev, enum tc_setup_type type,
		   void *type_data);
int tsnic_tc_channels_check(struct net_device *dev, unsigned int txq);

/* ---- counters (stats.c) ------------------------------------------------ */

/* Where a counter lives, so how a snapshot reads it. */
enum tsnic_stat_src {
	TSNIC_STAT_SRC_TSU,		/* struct tsnic_tsu: u64, its lock */
	TSNIC_STAT_SRC_DEV,		/* struct tsnic_priv: u64, READ_ONCE */
	TSNIC_STAT_SRC_XMIT,		/* struct tsnic_xmit_stats: its syncp */
	TSNIC_STAT_SRC_CLEAN,		/* struct tsnic_clean_stats: its syncp */
	TSNIC_STAT_SRC_ENGINE,		/* struct tsnic_engine: u64, its lock */
	TSNIC_STAT_SRC_RX,		/* struct tsnic_rx_stats: its syncp */
	TSNIC_STAT_SRC_RX_DROPS,	/* struct tsnic_rx_drops: its syncp */
	TSNIC_STAT_SRC_TIMER_LATE,	/* struct tsnic_late_hist: its syncp */
	TSNIC_STAT_SRC_NAPI_LATE,	/* struct tsnic_late_hist: its syncp */
};

/* One counter, as every view shows it.  Constant tables in stats.c. */
struct tsnic_stat {
	const char *name;	/* ethtool -S and /proc, after a queue's prefix */
	u16 attr;		/* TSNIC_A_STATS_* */
	u8 src;			/* enum tsnic_stat_src */
	u16 offset;		/* of the u64 (or u64_stats_t) in src's struct */
};

struct tsnic_stat_table {
	const struct tsnic_stat *stats;
	unsigned int n;
};

/* No table is longer: readers may keep a table's values on the stack. */
#define TSNIC_STATS_TABLE_MAX	32

extern const struct tsnic_stat_table tsnic_dev_stats;
extern const struct tsnic_stat_table tsnic_txq_stats;
extern const struct tsnic_stat_table tsnic_rxq_stats;

void tsnic_dev_stats_read(struct tsnic_priv *priv, u64 *v);
void tsnic_txq_stats_read(struct tsnic_tx_ring *ring, u64 *v);
void tsnic_rxq_stats_read(struct tsnic_rx_ring *rx, u64 *v);

/* netlink.c */
int tsnic_nl_init(void);
void tsnic_nl_exit(void);
void tsnic_nl_notify_ts_timeout(struct tsnic_priv *priv, u64 count);
void tsnic_nl_notify_tx_reset(struct tsnic_priv *priv, u32 qid, u64 flushed);
void tsnic_nl_layout_changed(void);

/* fault.c: fault injection */
void tsnic_fault_init(struct tsnic_priv *priv);
bool __tsnic_fault_fire(struct tsnic_faults *f, enum tsnic_fault kind);
u32 tsnic_fault_cable_delay(struct tsnic_faults *f);
void tsnic_fault_set(struct tsnic_faults *f, enum tsnic_fault kind,
		     const u32 *every, const u32 *ppm);
void tsnic_fault_reseed(struct tsnic_faults *f, u64 seed);
void tsnic_fault_counters(struct tsnic_faults *f, u64 *fired);

/* What tsnic_fault_snapshot() read under the fault lock. */
struct tsnic_fault_snap {
	u64 seed;
	u32 every[TSNIC_FAULT_NUM];
	u32 ppm[TSNIC_FAULT_NUM];
	u64 fired[TSNIC_FAULT_NUM];
};

void tsnic_fault_snapshot(struct tsnic_faults *f, struct tsnic_fault_snap *fs);

/* Does @kind fire on this event?  BH context (engine, NAPI, cable). */
static inline bool tsnic_fault_fire(struct tsnic_priv *priv,
				    enum tsnic_fault kind)
{
	if (likely(!(READ_ONCE(priv->faults.armed) & BIT(kind))))
		return false;
	return __tsnic_fault_fire(&priv->faults, kind);
}

/* proc.c */
int tsnic_proc_init(void);
void tsnic_proc_exit(void);

/**
 * tsnic_now() - the simulation's time base
 *
 * Context: any.
 * Return: raw monotonic ns, which the engine, the cable and the PHC
 * model count in.
 */
static inline u64 tsnic_now(void)
{
	return ktime_get_raw_ns();
}

/**
 * tsnic_is_past() - has raw instant @t come?
 * @t: raw monotonic ns
 * @now: a raw instant known to be past (0 for none); raised to the clock's
 *	time when it has to be read
 *
 * Reads the clock only when @now does not already answer: a clock read
 * is the costliest step of a frame's way through the model (an emulated
 * HPET under TCG).
 *
 * Context: any.
 * Return: true if @t <= the time now.
 */
static inline bool tsnic_is_past(u64 t, u64 *now)
{
	if (t <= *now)
		return true;
	*now = tsnic_now();
	return t <= *now;
}

#endif /* _TSNIC_H */
