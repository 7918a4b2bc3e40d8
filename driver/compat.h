/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where differences between the kernels tsnic supports
 * (6.1 .. 6.12) are absorbed.  kcompat_generated.h is written at build time
 * by kcompat.sh, which probes the target kernel's headers for each feature.
 */
#ifndef _TSNIC_COMPAT_H
#define _TSNIC_COMPAT_H

#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/ptp_clock_kernel.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/netdev_queues.h>
#include <net/pkt_cls.h>
#include <net/pkt_sched.h>

#include "kcompat_generated.h"

/* get/put_unaligned_*(): <asm/unaligned.h> became <linux/unaligned.h> */
#ifdef TSNIC_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * The GNSS subsystem is optional (the debug kernel's config leaves it
 * out): without it a receiver cannot be turned on, and the module does
 * not depend on gnss.ko.
 */
#include <linux/gnss.h>
#if IS_REACHABLE(CONFIG_GNSS)
static inline struct gnss_device *
tsnic_gnss_register(struct device *parent, const struct gnss_operations *ops,
		    void *data)
{
	struct gnss_device *gdev = gnss_allocate_device(parent);
	int err;

	if (!gdev)
		return ERR_PTR(-ENOMEM);
	gdev->type = GNSS_TYPE_NMEA;
	gdev->ops = ops;
	gnss_set_drvdata(gdev, data);
	err = gnss_register_device(gdev);
	if (err) {
		gnss_put_device(gdev);
		return ERR_PTR(err);
	}
	return gdev;
}

static inline void tsnic_gnss_unregister(struct gnss_device *gdev)
{
	gnss_deregister_device(gdev);
	gnss_put_device(gdev);
}

static inline void tsnic_gnss_insert(struct gnss_device *gdev,
				     const char *buf, size_t len)
{
	gnss_insert_raw(gdev, (const unsigned char *)buf, len);
}
#else
static inline struct gnss_device *
tsnic_gnss_register(struct device *parent, const struct gnss_operations *ops,
		    void *data)
{
	return ERR_PTR(-EOPNOTSUPP);
}

static inline void tsnic_gnss_unregister(struct gnss_device *gdev)
{
}

static inline void tsnic_gnss_insert(struct gnss_device *gdev,
				     const char *buf, size_t len)
{
}
#endif

#ifdef TSNIC_HAVE_NET_GSO_H
#include <net/gso.h>		/* skb_gso_segment() moved here in 6.5 */
#endif

/*
 * Older netdev_queues.h lacks the completion-side helper that reports BQL
 * completions and wakes the queue with the barrier the stop side pairs
 * with; build it from the pieces those kernels have.
 */
#ifndef TSNIC_HAVE_COMPLETED_WAKE
#define netif_txq_completed_wake(txq, pkts, bytes, get_desc, start_thrs) \
	({								\
		struct netdev_queue *_txq = (txq);			\
		unsigned int _pkts = (pkts);				\
									\
		netdev_tx_completed_queue(_txq, _pkts, bytes);		\
		_pkts ? netif_txq_maybe_wake(_txq, get_desc, start_thrs) : -1; \
	})
#endif

/*
 * DIM's default profile index is in dim.h on 6.12; 6.1 keeps it private to
 * lib/dim/net_dim.c, with the same value.
 */
#include <linux/dim.h>
#ifndef NET_DIM_DEF_PROFILE_EQE
#define NET_DIM_DEF_PROFILE_EQE	1
#endif

/* ethtool's timestamping-info structure got a kernel-side variant (6.11) */
#ifdef TSNIC_HAVE_KERNEL_TS_INFO
#define tsnic_ts_info kernel_ethtool_ts_info
#else
#define tsnic_ts_info ethtool_ts_info
#endif

/*
 * The software RX timestamping flags get_ts_info reports: the core adds
 * them itself since 6.11 (a driver only says what it does in xmit).
 */
#ifdef TSNIC_HAVE_CORE_SW_RX_TSTAMP
#define TSNIC_SOF_SW_RX		0
#else
#define TSNIC_SOF_SW_RX		(SOF_TIMESTAMPING_RX_SOFTWARE | \
				 SOF_TIMESTAMPING_SOFTWARE)
#endif

/*
 * Newer PTP cores check EXTTS and PEROUT request flags against what the
 * driver says it takes (supported_extts_flags, supported_perout_flags);
 * older ones pass them on, and the driver checks them itself either way.
 */
static inline void tsnic_ptp_set_supported_flags(struct ptp_clock_info *info,
						 unsigned int extts,
						 unsigned int perout)
{
#ifdef TSNIC_HAVE_PTP_SUPPORTED_FLAGS
	info->supported_extts_flags = extts;
	info->supported_perout_flags = perout;
#endif
}

/*
 * tc offloads.  mqprio's offload request carries the netlink extack (and
 * the frame preemption classes) since 6.4; before that a driver has no
 * way to say why it refused.  taprio's request became a command (replace,
 * destroy, stats, queue stats) with an extack in the same series; before
 * that it was an enable flag, and taprio never asked for statistics.
 */
static inline struct netlink_ext_ack *
tsnic_mqprio_extack(const struct tc_mqprio_qopt_offload *mqprio)
{
#ifdef TSNIC_HAVE_MQPRIO_EXTACK
	return mqprio->extack;
#else
	return NULL;
#endif
}

static inline unsigned long
tsnic_mqprio_preemptible(const struct tc_mqprio_qopt_offload *mqprio)
{
#ifdef TSNIC_HAVE_MQPRIO_PREEMPT
	return mqprio->preemptible_tcs;
#else
	return 0;
#endif
}

/*
 * A message chosen at run time into an extack.  Formatted extack messages
 * came in 6.2; before 6.4 no offload request gave a driver an extack, so
 * there the helpers above never return one.
 */
static inline void tsnic_extack_set(struct netlink_ext_ack *extack,
				    const char *msg)
{
#ifdef NL_SET_ERR_MSG_FMT_MOD
	NL_SET_ERR_MSG_FMT_MOD(extack, "%s", msg);
#endif
}

/* What taprio's offload request asks (tsnic_taprio_op()). */
enum tsnic_taprio_op {
	TSNIC_TAPRIO_REPLACE,		/* install a schedule, or replace it */
	TSNIC_TAPRIO_DESTROY,
	TSNIC_TAPRIO_STATS,		/* window_drops, tx_overruns (6.4+) */
	TSNIC_TAPRIO_OTHER,		/* a request this driver does not know */
};

/*
 * taprio's request: its operation, its extack (REPLACE, 6.4+) and, for
 * statistics, the TX queue asked about (-1: the whole device).
 */
static inline enum tsnic_taprio_op
tsnic_taprio_op(const struct tc_taprio_qopt_offload *o,
		struct netlink_ext_ack **extack, int *queue)
{
	*extack = NULL;
	*queue = -1;
#ifdef TSNIC_HAVE_TAPRIO_CMD
	switch (o->cmd) {
	case TAPRIO_CMD_REPLACE:
		*extack = o->extack;
		return TSNIC_TAPRIO_REPLACE;
	case TAPRIO_CMD_DESTROY:
		return TSNIC_TAPRIO_DESTROY;
	case TAPRIO_CMD_STATS:
		return TSNIC_TAPRIO_STATS;
	case TAPRIO_CMD_QUEUE_STATS:
		*queue = o->queue_stats.queue;
		return TSNIC_TAPRIO_STATS;
	default:
		return TSNIC_TAPRIO_OTHER;
	}
#else
	return o->enable ? TSNIC_TAPRIO_REPLACE : TSNIC_TAPRIO_DESTROY;
#endif
}

/* Answer a TSNIC_TAPRIO_STATS request (which only 6.4+ makes). */
static inline void tsnic_taprio_stats_set(struct tc_taprio_qopt_offload *o,
					  u64 window_drops, u64 tx_overruns)
{
#ifdef TSNIC_HAVE_TAPRIO_CMD
	struct tc_taprio_qopt_stats *st = o->cmd == TAPRIO_CMD_QUEUE_STATS ?
					  &o->queue_stats.stats : &o->stats;

	st->window_drops = window_drops;
	st->tx_overruns = tx_overruns;
#endif
}

#ifndef TSNIC_HAVE_ETHTOOL_PUTS
static inline void ethtool_puts(u8 **data, const char *str)
{
	strscpy(*data, str, ETH_GSTRING_LEN);
	*data += ETH_GSTRING_LEN;
}
#endif

/*
 * The attributes of a dump request, parsed against the op's policy: a
 * struct genl_info of their own since 6.7, before that in the dumpit info.
 */
static inline struct nlattr **tsnic_genl_dump_attrs(struct netlink_callback *cb)
{
#ifdef TSNIC_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * Generic netlink ops split into a do and a dump entry per command, each
 * with its own policy, came in 6.2.  netlink-gen.c (generated from the
 * spec, not edited) declares its ops table and family that way.  On older
 * kernels the table is built as plain genl_ops (the fields it sets are the
 * same) and the family's split_ops are its ops; tsnic_genl_register_family()
 * then folds each command's do and dump entries into the single entry
 * those kernels allow, with the do's policy for both: a dump there
 * accepts, and ignores, what only the do asks for (QUEUE_GET's type and
 * id).  On 6.2 and later the two helpers are the core's.
 */
/*
 * The generated policies point to const ranges; 6.1's nla_policy declares
 * its range pointer without const (6.2 added it).  The core only reads
 * the ranges: build the policy entry as 6.1 does, the pointer cast.
 */
#ifndef TSNIC_HAVE_NLA_CONST_RANGE
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {				\
	.type = NLA_ENSURE_UINT_OR_BINARY_TYPE(tp),			\
	.validation_type = NLA_VALIDATE_RANGE_PTR,			\
	.range = (struct netlink_range_validation *)(_range),		\
}
#endif

#ifdef TSNIC_HAVE_GENL_SPLIT_OPS
static inline int tsnic_genl_register_family(struct genl_family *family)
{
	return genl_register_family(family);
}

static inline void tsnic_genl_unregister_family(struct genl_family *family)
{
	genl_unregister_family(family);
}
#else
#define genl_split_ops		genl_ops
#define split_ops		ops
#define n_split_ops		n_ops

static inline int tsnic_genl_register_family(struct genl_family *family)
{
	const struct genl_ops *split = family->ops;
	unsigned int i, j, n = 0;
	struct genl_ops *ops;
	int err;

	ops = kcalloc(family->n_ops, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	for (i = 0; i < family->n_ops; i++) {
		const struct genl_ops *s = &split[i];
		struct genl_ops *o;

		for (j = 0; j < n && ops[j].cmd != s->cmd; j++)
			;
		o = &ops[j];
		if (j == n) {
			n++;
			o->cmd = s->cmd;
		}
		o->flags |= s->flags & ~(GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP);
		if (s->doit)
			o->doit = s->doit;
		if (s->dumpit)
			o->dumpit = s->dumpit;
		if (s->policy && (s->doit || !o->policy)) {
			o->policy = s->policy;
			o->maxattr = s->maxattr;
		}
	}
	family->ops = ops;
	family->n_ops = n;
	err = genl_register_family(family);
	if (err) {
		family->ops = split;
		kfree(ops);
	}
	return err;
}

static inline void tsnic_genl_unregister_family(struct genl_family *family)
{
	genl_unregister_family(family);
	kfree(family->ops);
}
#endif

#endif /* _TSNIC_COMPAT_H */
