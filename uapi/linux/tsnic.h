/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tsnic: user API of the virtual NIC with a simulated transmit engine.
 *
 * The generic netlink family "tsnic" shows and changes what ethtool and
 * rtnetlink cannot express: the simulated line rate and cable, the
 * oscillator of the PTP hardware clock, the timestamp unit, and the state
 * of each queue.  Devices are named by TSNIC_A_DEV_IFINDEX or
 * TSNIC_A_DEV_IFNAME (the index wins when both are given) and looked up in
 * the requester's network namespace.
 *
 *   TSNIC_CMD_DEV_GET	do: one device; dump: every tsnic device
 *   TSNIC_CMD_DEV_SET	do: change the attributes marked "set" below;
 *			needs CAP_NET_ADMIN in the device's user namespace.
 *			Everything is validated before anything is applied.
 *   TSNIC_CMD_QUEUE_GET	do: one queue (device, type and id);
 *			dump: every queue, of one device if one is named
 *   TSNIC_CMD_DEV_CHANGE_NTF	sent to the "events" group after a
 *			successful DEV_SET, with the device's attributes
 *   TSNIC_CMD_RING_DUMP	dump only, needs CAP_NET_ADMIN in the device's
 *			user namespace: one message per descriptor in flight
 *			on a TX queue (device and TSNIC_A_QUEUE_ID; TYPE,
 *			if given, must be TX), from next_to_clean to
 *			next_to_use as they were when the dump began.  Each
 *			message has the queue's IFINDEX, TYPE and ID and a
 *			TSNIC_A_QUEUE_DESC nest.  If the ring is cleaned,
 *			reset, resized or freed while the dump runs, the
 *			dump stops and its next message (or NLMSG_DONE)
 *			carries NLM_F_DUMP_INTR: ask again.
 *   TSNIC_CMD_CABLE_NTF, TSNIC_CMD_TS_TIMEOUT_NTF, TSNIC_CMD_TX_RESET_NTF
 *			events of fault injection and recovery, sent to the
 *			"events" group (TSNIC_A_EVENT_*, see below)
 *
 * 64-bit values are NLA_U64, aligned by TSNIC_A_*_PAD where the kernel
 * sends them.
 */
#ifndef _UAPI_LINUX_TSNIC_H
#define _UAPI_LINUX_TSNIC_H

#define TSNIC_DRV_NAME		"tsnic"

/* Queue counts a device may be created with (numtxqueues/numrxqueues). */
#define TSNIC_MAX_QUEUES	16

#define TSNIC_GENL_NAME		"tsnic"
#define TSNIC_GENL_VERSION	1
#define TSNIC_MCGRP_EVENTS	"events"

enum {
	TSNIC_CMD_UNSPEC,
	TSNIC_CMD_DEV_GET,
	TSNIC_CMD_DEV_SET,
	TSNIC_CMD_QUEUE_GET,
	TSNIC_CMD_DEV_CHANGE_NTF,
	TSNIC_CMD_RING_DUMP,
	TSNIC_CMD_CABLE_NTF,
	TSNIC_CMD_TS_TIMEOUT_NTF,
	TSNIC_CMD_TX_RESET_NTF,

	__TSNIC_CMD_MAX,
	TSNIC_CMD_MAX = __TSNIC_CMD_MAX - 1
};

/* A device.  "set": accepted by TSNIC_CMD_DEV_SET. */
enum {
	TSNIC_A_DEV_UNSPEC,
	TSNIC_A_DEV_PAD,
	TSNIC_A_DEV_IFINDEX,		/* u32 */
	TSNIC_A_DEV_IFNAME,		/* string */
	TSNIC_A_DEV_PEER_IFINDEX,	/* u32: the other end of the cable */
	TSNIC_A_DEV_PEER_NETNSID,	/* s32: the peer's namespace, if not ours */
	TSNIC_A_DEV_TX_QUEUES,		/* u32: TX queues in use */
	TSNIC_A_DEV_TX_QUEUES_MAX,	/* u32: TX queues the device has */
	TSNIC_A_DEV_RX_QUEUES,		/* u32 */
	TSNIC_A_DEV_RX_QUEUES_MAX,	/* u32 */
	TSNIC_A_DEV_TX_RING,		/* u32: descriptors per TX queue */
	TSNIC_A_DEV_RX_RING,		/* u32: frames per RX queue */
	TSNIC_A_DEV_RATE_BPS,		/* u64, set: line rate, 0 = unlimited */
	TSNIC_A_DEV_DELAY_NS,		/* u32, set: cable propagation delay */
	TSNIC_A_DEV_TX_USECS,		/* u32, set: TX interrupt moderation */
	TSNIC_A_DEV_TX_FRAMES,		/* u32, set: TX interrupt moderation */
	TSNIC_A_DEV_OSC,		/* nest, TSNIC_A_OSC_*, set */
	TSNIC_A_DEV_PHC_INDEX,		/* u32: /dev/ptpN */
	TSNIC_A_DEV_TS_SLOTS,		/* u32, set: TX timestamp slots */
	TSNIC_A_DEV_TS_TIMEOUT_MS,	/* u32, set: slot reclaimed after */
	TSNIC_A_DEV_HWTSTAMP_TX_TYPE,	/* u32: enum hwtstamp_tx_types */
	TSNIC_A_DEV_HWTSTAMP_RX_FILTER,	/* u32: enum hwtstamp_rx_filters */
	TSNIC_A_DEV_STATS,		/* nest, TSNIC_A_STATS_*: device totals */
	TSNIC_A_DEV_FAULT,		/* nest, TSNIC_A_FAULT_*, set */

	__TSNIC_A_DEV_MAX,
	TSNIC_A_DEV_MAX = __TSNIC_A_DEV_MAX - 1
};

#define TSNIC_RATE_BPS_MAX	800000000000ULL	/* 800 Gbit/s */
#define TSNIC_DELAY_NS_MAX	1000000000U	/* 1 s */
#define TSNIC_FREQ_PPB_MIN	(-1000000)	/* -1000 ppm */
#define TSNIC_FREQ_PPB_MAX	1000000		/* +1000 ppm */
#define TSNIC_WANDER_PPB_MAX	100000
#define TSNIC_JITTER_NS_MAX	1000000
#define TSNIC_TS_TIMEOUT_MS_MAX	60000

/* The simulated oscillator of the PTP hardware clock (all "set"). */
enum {
	TSNIC_A_OSC_UNSPEC,
	TSNIC_A_OSC_FREQ_PPB,		/* s32: intrinsic frequency error */
	TSNIC_A_OSC_WANDER_PPB,		/* u32: random-walk step per second */
	TSNIC_A_OSC_JITTER_NS,		/* u32: timestamp jitter, +- */

	__TSNIC_A_OSC_MAX,
	TSNIC_A_OSC_MAX = __TSNIC_A_OSC_MAX - 1
};

enum tsnic_queue_type {
	TSNIC_QUEUE_TYPE_TX,
	TSNIC_QUEUE_TYPE_RX,
};

/* A queue.  IFINDEX/IFNAME, TYPE and ID name it in a request. */
enum {
	TSNIC_A_QUEUE_UNSPEC,
	TSNIC_A_QUEUE_PAD,
	TSNIC_A_QUEUE_IFINDEX,		/* u32 */
	TSNIC_A_QUEUE_IFNAME,		/* string */
	TSNIC_A_QUEUE_TYPE,		/* u32: enum tsnic_queue_type */
	TSNIC_A_QUEUE_ID,		/* u32 */
	TSNIC_A_QUEUE_RING_SIZE,	/* u32: TX descriptors, RX frames */
	/* while the device is up */
	TSNIC_A_QUEUE_NEXT_TO_USE,	/* u32, TX: next descriptor xmit fills */
	TSNIC_A_QUEUE_NEXT_TO_CLEAN,	/* u32, TX: next descriptor NAPI cleans */
	TSNIC_A_QUEUE_DESC_FREE,	/* u32, TX: descriptors xmit may use */
	TSNIC_A_QUEUE_STOPPED,		/* u8, TX: the driver stopped the queue */
	TSNIC_A_QUEUE_BQL_LIMIT,	/* u32, TX: bytes BQL lets in flight */
	TSNIC_A_QUEUE_BQL_INFLIGHT,	/* u32, TX: bytes in flight */
	TSNIC_A_QUEUE_FIFO_LEN,		/* u32, RX: frames waiting */
	TSNIC_A_QUEUE_STATS,		/* nest, TSNIC_A_STATS_* */
	TSNIC_A_QUEUE_DESC,		/* nest, TSNIC_A_DESC_*: RING_DUMP */

	__TSNIC_A_QUEUE_MAX,
	TSNIC_A_QUEUE_MAX = __TSNIC_A_QUEUE_MAX - 1
};

/*
 * Counters, all u64.  A TX queue carries the TX_* ones, an RX queue the
 * RX_* ones; a device carries the sums over its queues plus those of its
 * timestamp unit (TS_*) and the watchdog resets.
 */
enum {
	TSNIC_A_STATS_UNSPEC,
	TSNIC_A_STATS_PAD,
	TSNIC_A_STATS_TX_FRAMES,	/* skbs placed on the ring */
	TSNIC_A_STATS_TX_BYTES_QUEUED,	/* their bytes, as told to BQL */
	TSNIC_A_STATS_TX_DESCS,		/* descriptors used */
	TSNIC_A_STATS_TX_DOORBELLS,
	TSNIC_A_STATS_TX_STOPS,		/* ring nearly full: queue stopped */
	TSNIC_A_STATS_TX_BUSY,		/* dropped in xmit: no descriptors
					 * (a driver bug: never expected)
					 */
	TSNIC_A_STATS_TX_HWTSTAMP_REQUESTED,	/* skbs asking for a timestamp */
	TSNIC_A_STATS_TX_COMPLETIONS,	/* skbs completed */
	TSNIC_A_STATS_TX_PACKETS,	/* packets on the wire */
	TSNIC_A_STATS_TX_BYTES,		/* bytes on the wire */
	TSNIC_A_STATS_TX_NAPI_POLLS,
	TSNIC_A_STATS_TX_WAKES,		/* queue woken after a stop */
	TSNIC_A_STATS_TX_SINK,		/* frames consumed by the sink */
	TSNIC_A_STATS_TX_PEER_DROPS,	/* peer down, no carrier, too long */
	TSNIC_A_STATS_TX_FLUSHED,	/* dropped from the ring by a reset */
	TSNIC_A_STATS_TX_ENGINE_FRAMES,	/* frames the engine sent */
	TSNIC_A_STATS_TX_IRQS,		/* interrupts the engine raised */
	TSNIC_A_STATS_RX_PACKETS,
	TSNIC_A_STATS_RX_BYTES,
	TSNIC_A_STATS_RX_NAPI_POLLS,
	TSNIC_A_STATS_RX_HWTSTAMPS,	/* frames given a hardware timestamp */
	TSNIC_A_STATS_RX_DROPS_FULL,	/* RX FIFO full */
	TSNIC_A_STATS_RX_DROPS_DOWN,	/* device not up */
	TSNIC_A_STATS_RX_DROPS_LENGTH,	/* longer than the MTU */
	TSNIC_A_STATS_TS_REQUESTED,	/* timestamp slots taken */
	TSNIC_A_STATS_TS_SKIPPED,	/* no slot free */
	TSNIC_A_STATS_TS_DELIVERED,
	TSNIC_A_STATS_TS_TIMEOUTS,
	TSNIC_A_STATS_TS_STALE,		/* discarded: the clock was stepped */
	TSNIC_A_STATS_TS_FLUSHED,	/* discarded: link down or ring reset */
	TSNIC_A_STATS_TS_PENDING,	/* slots waiting for their timestamp */
	TSNIC_A_STATS_TX_TIMEOUT_RESETS,	/* TX watchdog resets */
	TSNIC_A_STATS_RX_CRC_ERRORS,	/* frames corrupted on the cable */
	TSNIC_A_STATS_RX_DROPS_NOMEM,	/* dropped: no memory to unshare */

	__TSNIC_A_STATS_MAX,
	TSNIC_A_STATS_MAX = __TSNIC_A_STATS_MAX - 1
};

/* Where a TX descriptor is (TSNIC_A_DESC_STATE). */
enum tsnic_desc_state {
	TSNIC_DESC_STATE_QUEUED,	/* written, the doorbell not rung yet */
	TSNIC_DESC_STATE_HW,		/* the engine's: waiting or on the wire */
	TSNIC_DESC_STATE_DONE,		/* sent, waiting for TX NAPI to clean it */
};

/* TSNIC_A_DESC_FLAGS: what the driver asked of the engine. */
enum tsnic_desc_flags {
	TSNIC_DESC_F_SOP	= 1 << 0,	/* first descriptor of a frame */
	TSNIC_DESC_F_EOP	= 1 << 1,	/* last descriptor of a frame */
	TSNIC_DESC_F_TSTAMP	= 1 << 2,	/* take a hardware timestamp */
	TSNIC_DESC_F_CSUM	= 1 << 3,	/* complete the L4 checksum */
	TSNIC_DESC_F_TSO	= 1 << 4,	/* segment the frame */
};

/* One TX descriptor in flight (TSNIC_A_QUEUE_DESC of a RING_DUMP). */
enum {
	TSNIC_A_DESC_UNSPEC,
	TSNIC_A_DESC_PAD,
	TSNIC_A_DESC_INDEX,		/* u32: position in the ring */
	TSNIC_A_DESC_STATE,		/* u32: enum tsnic_desc_state */
	TSNIC_A_DESC_LEN,		/* u32: bytes in this buffer */
	TSNIC_A_DESC_FLAGS,		/* u32: enum tsnic_desc_flags */
	TSNIC_A_DESC_SKB_LEN,		/* u32, SOP only: the frame's skb->len */
	TSNIC_A_DESC_TS_REQUESTED,	/* u8: hardware timestamp asked for */
	TSNIC_A_DESC_TS_DONE,		/* u8: hardware timestamp written back */
	TSNIC_A_DESC_DEPART_NS,		/* u64, once sent: raw monotonic ns the
					 * frame left the wire (EOP only)
					 */
	TSNIC_A_DESC_TSTAMP_NS,		/* u64, with TS_DONE: PHC time of it */

	__TSNIC_A_DESC_MAX,
	TSNIC_A_DESC_MAX = __TSNIC_A_DESC_MAX - 1
};

/*
 * Fault injection (TSNIC_A_DEV_FAULT), all off by default.  Each fault
 * fires on every Nth event it applies to (_EVERY, 0 = off) and, besides,
 * with a probability in parts per million (_PPM, 0 = off) drawn from the
 * device's pseudo-random generator: setting TSNIC_A_FAULT_SEED restarts
 * the generator and the every-Nth phases, so a run can be replayed.  Each
 * firing is counted (_FIRED, read only).
 *
 *   TS_DROP	a frame asking for a TX timestamp is sent without one: its
 *		slot times out (TSNIC_A_STATS_TS_TIMEOUTS)
 *   TS_DELAY	a TX timestamp reaches the socket TS_DELAY_NS late
 *   TS_REORDER	a TX timestamp is held until the next one was delivered
 *   CABLE_DROP	a frame is lost on the cable
 *   CABLE_CORRUPT a frame arrives with a bad FCS: the receiver drops it and
 *		counts it (TSNIC_A_STATS_RX_CRC_ERRORS, rx_crc_errors)
 *   CABLE_DELAY a frame arrives CABLE_DELAY_NS plus a random 0..
 *		CABLE_JITTER_NS late (frames stay in order on the cable)
 *   STALL	the engine of the queue about to send a frame stops
 *		completing descriptors, until the TX watchdog resets the
 *		queue or the queue is cleared from STALLED_QUEUES
 *
 * CABLE_PULLED pulls (1) or plugs (0) the cable at this end: carrier goes
 * down on both ends while either end has it pulled.
 */
enum {
	TSNIC_A_FAULT_UNSPEC,
	TSNIC_A_FAULT_PAD,
	TSNIC_A_FAULT_SEED,		/* u64, set */
	TSNIC_A_FAULT_TS_DROP_EVERY,	/* u32, set */
	TSNIC_A_FAULT_TS_DROP_PPM,	/* u32, set */
	TSNIC_A_FAULT_TS_DROP_FIRED,	/* u64 */
	TSNIC_A_FAULT_TS_DELAY_EVERY,	/* u32, set */
	TSNIC_A_FAULT_TS_DELAY_PPM,	/* u32, set */
	TSNIC_A_FAULT_TS_DELAY_FIRED,	/* u64 */
	TSNIC_A_FAULT_TS_REORDER_EVERY,	/* u32, set */
	TSNIC_A_FAULT_TS_REORDER_PPM,	/* u32, set */
	TSNIC_A_FAULT_TS_REORDER_FIRED,	/* u64 */
	TSNIC_A_FAULT_CABLE_DROP_EVERY,	/* u32, set */
	TSNIC_A_FAULT_CABLE_DROP_PPM,	/* u32, set */
	TSNIC_A_FAULT_CABLE_DROP_FIRED,	/* u64 */
	TSNIC_A_FAULT_CABLE_CORRUPT_EVERY,	/* u32, set */
	TSNIC_A_FAULT_CABLE_CORRUPT_PPM,	/* u32, set */
	TSNIC_A_FAULT_CABLE_CORRUPT_FIRED,	/* u64 */
	TSNIC_A_FAULT_CABLE_DELAY_EVERY,	/* u32, set */
	TSNIC_A_FAULT_CABLE_DELAY_PPM,	/* u32, set */
	TSNIC_A_FAULT_CABLE_DELAY_FIRED,	/* u64 */
	TSNIC_A_FAULT_STALL_EVERY,	/* u32, set */
	TSNIC_A_FAULT_STALL_PPM,	/* u32, set */
	TSNIC_A_FAULT_STALL_FIRED,	/* u64 */
	TSNIC_A_FAULT_TS_DELAY_NS,	/* u32, set */
	TSNIC_A_FAULT_CABLE_DELAY_NS,	/* u32, set */
	TSNIC_A_FAULT_CABLE_JITTER_NS,	/* u32, set */
	TSNIC_A_FAULT_CABLE_PULLED,	/* u8, set: 1 pulled, 0 plugged */
	TSNIC_A_FAULT_CABLE_PULLS,	/* u64: times pulled at this end */
	TSNIC_A_FAULT_STALLED_QUEUES,	/* u32, set: bit N = TX queue N stalled */

	__TSNIC_A_FAULT_MAX,
	TSNIC_A_FAULT_MAX = __TSNIC_A_FAULT_MAX - 1
};

#define TSNIC_FAULT_EVERY_MAX	1000000
#define TSNIC_FAULT_PPM_MAX	1000000
#define TSNIC_FAULT_DELAY_NS_MAX	1000000000U	/* 1 s */

/*
 * Events to the "events" group, each with the device's IFINDEX and IFNAME:
 *   TSNIC_CMD_CABLE_NTF	carrier changed by a cable pull or plug:
 *			CARRIER, PULLED (this end or the other)
 *   TSNIC_CMD_TS_TIMEOUT_NTF	TX timestamp slots reclaimed: COUNT of them
 *   TSNIC_CMD_TX_RESET_NTF	the TX watchdog reset a queue: QUEUE, and
 *			COUNT frames dropped from its ring
 */
enum {
	TSNIC_A_EVENT_UNSPEC,
	TSNIC_A_EVENT_PAD,
	TSNIC_A_EVENT_IFINDEX,		/* u32 */
	TSNIC_A_EVENT_IFNAME,		/* string */
	TSNIC_A_EVENT_CARRIER,		/* u8 */
	TSNIC_A_EVENT_PULLED,		/* u8 */
	TSNIC_A_EVENT_QUEUE,		/* u32 */
	TSNIC_A_EVENT_COUNT,		/* u64 */

	__TSNIC_A_EVENT_MAX,
	TSNIC_A_EVENT_MAX = __TSNIC_A_EVENT_MAX - 1
};

#endif /* _UAPI_LINUX_TSNIC_H */
