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
#include <net/genetlink.h>
#include <net/netdev_queues.h>

#include "kcompat_generated.h"

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

#endif /* _TSNIC_COMPAT_H */
