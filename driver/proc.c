// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/tsnic: what the devices of a network namespace are doing, for
 * people looking at a ring rather than at a counter.  All files are
 * read-only (0444) and seq_file based.
 *
 * /proc/net/tsnic/devices
 *	A header line, then one line per tsnic device of the namespace:
 *	  name          interface name
 *	  ifindex       its index
 *	  peer_ifindex  index of the other end of the cable, 0 when unwired
 *	                (the peer may live in another namespace: the index is
 *	                the one it has there)
 *	  txq rxq       real number of TX and RX queues
 *	  rate_bps      line rate, 0 for unlimited
 *	  phc           index of the PTP clock (/dev/ptpN), -1 if none
 *	  carrier       0 or 1
 *	  tx_packets rx_packets tx_dropped
 *	                as ndo_get_stats64 (ip -s link) reports them
 *	  ts_personality  the timestamping personality
 *	  card          the card it is a port of (N of tsnic.N.auto): ports
 *	                of one card share its PTP clock
 *	Columns are only ever appended to.
 *
 * /proc/net/tsnic/<dev>/stats
 *	"name value" lines: every counter of `ethtool -S <dev>`, with the same
 *	names in the same order, then the totals tx_packets, tx_bytes,
 *	rx_packets, rx_bytes, tx_dropped and rx_dropped of ip -s link.
 *
 * /proc/net/tsnic/<dev>/tx-<q>/ring (every allocated TX queue)
 *	Each descriptor of everybody's traffic, so opening it needs
 *	CAP_NET_ADMIN in the user namespace owning the device's network
 *	namespace (EPERM otherwise), as the netlink ring dump does; the
 *	indices alone are in the netlink queue-get, open to anyone.
 *	"name value" header lines: queue, active (q < real_num_tx_queues),
 *	up, ring_size, next_to_use, next_to_clean, free, stopped, bql_limit
 *	and bql_inflight (with CONFIG_BQL), engine_head and engine_tail,
 *	adaptive_tx and the interrupt moderation the queue runs with now
 *	(tx_usecs, tx_frames: with adaptive_tx 1, DIM's latest profile),
 *	the TSN offloads (etf, cbs: 0 or 1; gates: the queue's traffic class
 *	in taprio's schedule, -1 for none) and their counters launch_late,
 *	launch_far, cbs_waits and window_drops.
 *	Then a column header and one line per descriptor the driver has not
 *	cleaned, from next_to_clean to next_to_use:
 *	  index   position in the ring
 *	  state   queued: written, doorbell not rung yet; hw: owned by the
 *	          engine, waiting for or on the wire; done: sent, waiting for
 *	          TX NAPI to clean it
 *	  len     bytes in this buffer
 *	  flags   S(OP) E(OP) T(STAMP) C(SUM) G (TSO): the letter or '-'
 *	  ts      req: hardware timestamp requested; done: written back; '-'
 *	  depart  raw monotonic ns the frame left the wire (written back on
 *	          the frame's last descriptor), '-' before
 *	The ring indices (next_to_use, next_to_clean, free, engine_head,
 *	engine_tail) are one snapshot taken when reading starts at offset 0;
 *	stopped and the BQL values are read just after it, and the
 *	descriptor lines as the file is read.  Nothing stops the engine or
 *	NAPI meanwhile: with traffic flowing, a later value may count frames
 *	sent or cleaned after the snapshot.  A down device shows up 0, its
 *	configured ring size and no descriptor.  A read that takes several
 *	read() calls goes on only while the ring's arrays are the ones of
 *	the snapshot: after a resize, a down/up or a watchdog reset in
 *	between (even one that gives back an array of the same size at the
 *	same address), the listing ends where the first calls left it.
 *
 * /proc/net/tsnic/<dev>/rx-<q>/ring (every allocated RX queue)
 *	"name value" lines: queue, active, enabled, ring_size, queued (frames
 *	waiting in the FIFO), drops_full, drops_down, drops_length,
 *	drops_nomem.
 *
 * Lifetime.  The per-device entries are made and removed by a netdevice
 * notifier under RTNL: at NETDEV_REGISTER, at NETDEV_UNREGISTER (device
 * deleted, or leaving for another namespace, where NETDEV_REGISTER makes
 * them again) and across NETDEV_CHANGENAME.  Their data pointers (the
 * net_device, a TX or an RX ring) stay valid as long as the entries exist:
 * removing a proc entry waits for the readers inside it and fails those
 * that come after, and NETDEV_UNREGISTER comes before the device and its
 * queue arrays are freed.  Only the TX descriptor arrays are shorter-lived
 * (freed when the device goes down or its rings are resized, rewound by a
 * watchdog reset): the tx ring file holds the device's ring_lock while it
 * reads descriptors, and the control paths take it (under RTNL) to change
 * them.  No file takes RTNL: entries are removed under RTNL and removal
 * waits for the readers inside, and no reader should be able to delay
 * rtnetlink anyway.  ring_lock is never held while RTNL is waited for.
 */

#include <linux/capability.h>
#include <linux/error-injection.h>
#include <linux/proc_fs.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "tsnic.h"

struct tsnic_net {
	struct proc_dir_entry *dir;	/* /proc/net/tsnic */
};

static unsigned int tsnic_net_id __read_mostly;

/* ---- /proc/net/tsnic/devices ------------------------------------------- */

static struct net_device *tsnic_proc_next_dev(struct net *net,
					      struct net_device *dev)
{
	if (!dev) {
		for_each_netdev_rcu(net, dev)
			if (tsnic_is_tsnic(dev))
				return dev;
		return NULL;
	}
	for_each_netdev_continue_rcu(net, dev)
		if (tsnic_is_tsnic(dev))
			return dev;
	return NULL;
}

static void *tsnic_devices_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	struct net_device *dev = NULL;
	loff_t n = *pos;

	rcu_read_lock();
	if (!n)
		return SEQ_START_TOKEN;
	do
		dev = tsnic_proc_next_dev(seq_file_net(m), dev);
	while (dev && --n);
	return dev;
}

static void *tsnic_devices_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return tsnic_proc_next_dev(seq_file_net(m),
				   v == SEQ_START_TOKEN ? NULL : v);
}

static void tsnic_devices_stop(struct seq_file *m, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static int tsnic_devices_show(struct seq_file *m, void *v)
{
	struct rtnl_link_stats64 stats;
	struct tsnic_priv *priv, *peer;
	struct net_device *dev = v;
	int peer_ifindex = 0;

	if (v == SEQ_START_TOKEN) {
		seq_printf(m, "%-15s %7s %12s %3s %3s %12s %4s %7s %12s %12s %12s %-14s %4s\n",
			   "name", "ifindex", "peer_ifindex", "txq", "rxq",
			   "rate_bps", "phc", "carrier", "tx_packets",
			   "rx_packets", "tx_dropped", "ts_personality",
			   "card");
		return 0;
	}

	priv = netdev_priv(dev);
	peer = rcu_dereference(priv->peer);
	if (peer)
		peer_ifindex = READ_ONCE(peer->dev->ifindex);
	dev_get_stats(dev, &stats);
	seq_printf(m, "%-15s %7d %12d %3u %3u %12llu %4d %7d %12llu %12llu %12llu %-14s %4d\n",
		   dev->name, dev->ifindex, peer_ifindex,
		   READ_ONCE(dev->real_num_tx_queues),
		   READ_ONCE(dev->real_num_rx_queues),
		   READ_ONCE(priv->cfg.rate_bps), tsnic_phc_index(priv->card),
		   netif_carrier_ok(dev), stats.tx_packets, stats.rx_packets,
		   stats.tx_dropped,
		   tsnic_ts_personality_name(READ_ONCE(priv->tsu.personality)),
		   priv->card->pdev->id);
	return 0;
}

static const struct seq_operations tsnic_devices_seq_ops = {
	.start	= tsnic_devices_start,
	.next	= tsnic_devices_next,
	.stop	= tsnic_devices_stop,
	.show	= tsnic_devices_show,
};

/* ---- /proc/net/tsnic/<dev>/stats --------------------------------------- */

/*
 * The counters come from the ethtool operations themselves, so the two
 * interfaces cannot disagree on a name, an order or a value.
 */
static int tsnic_stats_show(struct seq_file *m, void *v)
{
	const struct ethtool_ops *ops = &tsnic_ethtool_ops;
	struct net_device *dev = m->private;
	struct rtnl_link_stats64 tot;
	struct ethtool_stats est;
	u8 *names;
	u64 *vals;
	int n, i;

	n = ops->get_sset_count(dev, ETH_SS_STATS);
	if (n < 0)
		return n;
	names = kvcalloc(n, ETH_GSTRING_LEN, GFP_KERNEL);
	vals = kvcalloc(n, sizeof(*vals), GFP_KERNEL);
	if (!names || !vals) {
		kvfree(names);
		kvfree(vals);
		return -ENOMEM;
	}
	ops->get_strings(dev, ETH_SS_STATS, names);
	est.cmd = ETHTOOL_GSTATS;
	est.n_stats = n;
	ops->get_ethtool_stats(dev, &est, vals);
	for (i = 0; i < n; i++)
		seq_printf(m, "%.*s %llu\n", ETH_GSTRING_LEN,
			   names + i * ETH_GSTRING_LEN, vals[i]);
	kvfree(names);
	kvfree(vals);

	dev_get_stats(dev, &tot);
	seq_printf(m, "tx_packets %llu\n", tot.tx_packets);
	seq_printf(m, "tx_bytes %llu\n", tot.tx_bytes);
	seq_printf(m, "rx_packets %llu\n", tot.rx_packets);
	seq_printf(m, "rx_bytes %llu\n", tot.rx_bytes);
	seq_printf(m, "tx_dropped %llu\n", tot.tx_dropped);
	seq_printf(m, "rx_dropped %llu\n", tot.rx_dropped);
	return 0;
}

/* ---- /proc/net/tsnic/<dev>/tx-<q>/ring --------------------------------- */

struct tsnic_txring_iter {
	bool locked;		/* ring_lock taken in start, dropped in stop */
	bool valid;		/* the snapshot below is of allocated arrays */
	u32 epoch;		/* the arrays' tsnic_tx_ring.epoch then */
	struct tsnic_tx_snap s;
};

static u32 tsnic_txring_dist(const struct tsnic_txring_iter *it, u32 to)
{
	return tsnic_tx_snap_dist(&it->s, to);
}

/* ring_lock held: the arrays cannot be freed or rewound while we look. */
static void tsnic_txring_snapshot(struct tsnic_tx_ring *ring,
				  struct tsnic_txring_iter *it)
{
	it->valid = !!ring->desc;
	if (!it->valid)
		return;
	it->epoch = ring->epoch;
	tsnic_tx_snapshot(ring, &it->s);
}

/* The descriptor @off places after the snapshot's next_to_clean, or NULL. */
static void *tsnic_txring_desc(struct tsnic_tx_ring *ring,
			       const struct tsnic_txring_iter *it, loff_t off)
{
	if (off >= tsnic_txring_dist(it, it->s.ntu))
		return NULL;
	return &ring->desc[(it->s.ntc + off) & (it->s.count - 1)];
}

static void *tsnic_txring_start(struct seq_file *m, loff_t *pos)
{
	struct tsnic_tx_ring *ring = pde_data(file_inode(m->file));
	struct tsnic_txring_iter *it = m->private;

	/* its holders wait for nothing a reader could hold: see tsnic.h */
	if (mutex_lock_killable(&ring->priv->ring_lock))
		return ERR_PTR(-EINTR);
	it->locked = true;

	if (!*pos) {
		tsnic_txring_snapshot(ring, it);
		return SEQ_START_TOKEN;
	}
	/*
	 * A later read(): the arrays must still be those of the snapshot.
	 * The pointer and size are not enough: a resize to the same size or
	 * a down/up can give back the same address, and a watchdog reset
	 * rewinds the same array.  The epoch changes with each.
	 */
	if (!it->valid || !ring->desc || ring->epoch != it->epoch)
		return NULL;
	return tsnic_txring_desc(ring, it, *pos - 1);
}

static void *tsnic_txring_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct tsnic_tx_ring *ring = pde_data(file_inode(m->file));
	struct tsnic_txring_iter *it = m->private;

	++*pos;
	if (!it->valid)
		return NULL;
	return tsnic_txring_desc(ring, it, *pos - 1);
}

static void tsnic_txring_stop(struct seq_file *m, void *v)
{
	struct tsnic_tx_ring *ring = pde_data(file_inode(m->file));
	struct tsnic_txring_iter *it = m->private;

	if (it->locked) {
		it->locked = false;
		mutex_unlock(&ring->priv->ring_lock);
	}
}

/* The queue's TSN offloads and their counters, one engine snapshot. */
static void tsnic_txring_tsn(struct seq_file *m, struct tsnic_tx_ring *ring)
{
	struct tsnic_engine *eng = &ring->eng;
	u64 late, far, waits, wdrops;
	u8 tsn, tc;

	spin_lock_bh(&eng->lock);
	tsn = eng->tsn;
	late = eng->launch_late;
	far = eng->launch_far;
	waits = eng->cbs_waits;
	wdrops = eng->window_drops;
	tc = eng->gate_tc;
	spin_unlock_bh(&eng->lock);
	seq_printf(m, "etf %d\n", !!(tsn & TSNIC_TSN_ETF));
	seq_printf(m, "cbs %d\n", !!(tsn & TSNIC_TSN_CBS));
	/* the queue's traffic class in taprio's schedule, -1: no gates */
	seq_printf(m, "gates %d\n", tsn & TSNIC_TSN_GATES ? tc : -1);
	seq_printf(m, "launch_late %llu\n", late);
	seq_printf(m, "launch_far %llu\n", far);
	seq_printf(m, "cbs_waits %llu\n", waits);
	seq_printf(m, "window_drops %llu\n", wdrops);
}

static void tsnic_txring_header(struct seq_file *m, struct tsnic_tx_ring *ring,
				const struct tsnic_txring_iter *it)
{
	struct net_device *dev = ring->dev;
	struct netdev_queue *txq = netdev_get_tx_queue(dev, ring->qid);
	u32 inflight = it->valid ? tsnic_txring_dist(it, it->s.ntu) : 0;
	u32 usecs, frames;

	seq_printf(m, "queue %u\n", ring->qid);
	seq_printf(m, "active %d\n", ring->qid < READ_ONCE(dev->real_num_tx_queues));
	seq_printf(m, "up %d\n", it->valid);
	seq_printf(m, "ring_size %u\n",
		   it->valid ? it->s.count : READ_ONCE(ring->priv->cfg.tx_ring));
	seq_printf(m, "next_to_use %u\n", it->valid ? it->s.ntu : 0);
	seq_printf(m, "next_to_clean %u\n", it->valid ? it->s.ntc : 0);
	/* tsnic_desc_unused(), of the snapshot */
	seq_printf(m, "free %u\n", it->valid ? it->s.count - 1 - inflight : 0);
	seq_printf(m, "stopped %d\n", netif_tx_queue_stopped(txq));
#ifdef CONFIG_BQL
	seq_printf(m, "bql_limit %u\n", READ_ONCE(txq->dql.limit));
	seq_printf(m, "bql_inflight %u\n", READ_ONCE(txq->dql.num_queued) -
					   READ_ONCE(txq->dql.num_completed));
#endif
	seq_printf(m, "engine_head %u\n", it->valid ? it->s.head : 0);
	seq_printf(m, "engine_tail %u\n", it->valid ? it->s.tail : 0);
	tsnic_engine_moderation(ring, &usecs, &frames);
	seq_printf(m, "adaptive_tx %d\n", READ_ONCE(ring->priv->cfg.adaptive_tx));
	seq_printf(m, "tx_usecs %u\n", usecs);
	seq_printf(m, "tx_frames %u\n", frames);
	tsnic_txring_tsn(m, ring);
	seq_puts(m, "index state  len   flags ts   depart\n");
}

static int tsnic_txring_show(struct seq_file *m, void *v)
{
	struct tsnic_tx_ring *ring = pde_data(file_inode(m->file));
	struct tsnic_txring_iter *it = m->private;
	static const char * const states[] = {
		[TSNIC_DESC_STATE_QUEUED]	= "queued",
		[TSNIC_DESC_STATE_HW]		= "hw",
		[TSNIC_DESC_STATE_DONE]		= "done",
	};
	const struct tsnic_tx_desc *desc = v;
	struct tsnic_tx_desc_info d;

	if (v == SEQ_START_TOKEN) {
		tsnic_txring_header(m, ring, it);
		return 0;
	}

	/* a line may be newer than the snapshot, never outside the array */
	tsnic_tx_desc_info(ring, &it->s,
			   tsnic_txring_dist(it, desc - ring->desc), &d);
	seq_printf(m, "%5u %-6s %5u %c%c%c%c%c %-4s ",
		   d.index, states[d.state], d.len,
		   d.flags & TSNIC_TXD_SOP ? 'S' : '-',
		   d.flags & TSNIC_TXD_EOP ? 'E' : '-',
		   d.flags & TSNIC_TXD_TSTAMP ? 'T' : '-',
		   d.flags & TSNIC_TXD_CSUM ? 'C' : '-',
		   d.flags & TSNIC_TXD_TSO ? 'G' : '-',
		   d.status & TSNIC_TXD_TS_VALID ? "done" :
		   d.flags & TSNIC_TXD_TSTAMP ? "req" : "-");
	if (d.status & TSNIC_TXD_DD)
		seq_printf(m, "%llu\n", d.depart);
	else
		seq_puts(m, "-\n");
	return 0;
}

static const struct seq_operations tsnic_txring_seq_ops = {
	.start	= tsnic_txring_start,
	.next	= tsnic_txring_next,
	.stop	= tsnic_txring_stop,
	.show	= tsnic_txring_show,
};

/*
 * Each descriptor of everybody's traffic: CAP_NET_ADMIN in the device's
 * namespace, as the netlink ring dump.  The entry exists, so the device
 * is in that namespace while we open it (removal waits for us).
 */
static int tsnic_txring_open(struct inode *inode, struct file *file)
{
	struct tsnic_tx_ring *ring = pde_data(inode);

	if (!file_ns_capable(file, dev_net(ring->dev)->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	return seq_open_private(file, &tsnic_txring_seq_ops,
				sizeof(struct tsnic_txring_iter));
}

static const struct proc_ops tsnic_txring_proc_ops = {
	.proc_open	= tsnic_txring_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= seq_release_private,
};

/* ---- /proc/net/tsnic/<dev>/tx-<q>/lateness ----------------------------- */

/*
 * The lateness histograms of the queue's engine timer and TX NAPI, one
 * line per bucket: its bound in microseconds and the two counts.  The
 * ring lives as long as the device; each histogram is one snapshot.
 */
static int tsnic_txlate_show(struct seq_file *m, void *v)
{
	struct tsnic_tx_ring *ring = m->private;
	u64 timer[TSNIC_LATE_BUCKETS], napi[TSNIC_LATE_BUCKETS];
	unsigned int b;

	tsnic_late_read(&ring->eng.timer_late, timer);
	tsnic_late_read(&ring->eng.napi_late, napi);
	seq_puts(m, "late_us timer napi\n");
	for (b = 0; b < TSNIC_LATE_BUCKETS - 1; b++)
		seq_printf(m, "<%lu %llu %llu\n", BIT(b), timer[b], napi[b]);
	seq_printf(m, ">=%lu %llu %llu\n", BIT(b - 1), timer[b], napi[b]);
	return 0;
}

/* ---- /proc/net/tsnic/<dev>/rx-<q>/ring --------------------------------- */

/* The RX ring lives as long as the device: its FIFO lock is enough. */
static int tsnic_rxring_show(struct seq_file *m, void *v)
{
	struct tsnic_rx_ring *rx = m->private;
	struct net_device *dev = rx->priv->dev;
	struct tsnic_rx_drop_counts d;
	u32 size, queued;
	unsigned int start;
	bool enabled;
	u64 nomem;

	spin_lock_bh(&rx->fifo.lock);
	enabled = rx->enabled;
	size = rx->size;
	queued = skb_queue_len(&rx->fifo);
	/* under the lock too: one snapshot with queued (never retries) */
	tsnic_rx_drops_read(rx, &d);
	spin_unlock_bh(&rx->fifo.lock);

	seq_printf(m, "queue %u\n", rx->qid);
	seq_printf(m, "active %d\n",
		   rx->qid < READ_ONCE(dev->real_num_rx_queues));
	seq_printf(m, "enabled %d\n", enabled);
	seq_printf(m, "ring_size %u\n", size);
	seq_printf(m, "queued %u\n", queued);
	seq_printf(m, "drops_full %llu\n", d.full);
	seq_printf(m, "drops_down %llu\n", d.down);
	seq_printf(m, "drops_length %llu\n", d.length);
	do {
		start = u64_stats_fetch_begin(&rx->stats.syncp);
		nomem = u64_stats_read(&rx->stats.nomem);
	} while (u64_stats_fetch_retry(&rx->stats.syncp, start));
	seq_printf(m, "drops_nomem %llu\n", nomem);
	return 0;
}

/* ---- per-device entries (RTNL) ----------------------------------------- */

static void tsnic_proc_del(struct net_device *dev)
{
	struct tsnic_priv *priv = netdev_priv(dev);

	ASSERT_RTNL();
	/* waits for the readers inside, fails those that come after */
	proc_remove(priv->proc);
	priv->proc = NULL;
}

/*
 * Out of line for fail_function (ALLOW_ERROR_INJECTION): a device whose
 * entries cannot be made is not registered, or not renamed.
 */
static noinline int tsnic_proc_add(struct net_device *dev)
{
	struct tsnic_net *tn = net_generic(dev_net(dev), tsnic_net_id);
	struct tsnic_priv *priv = netdev_priv(dev);
	struct proc_dir_entry *dir, *qdir;
	char name[16];
	unsigned int q;

	ASSERT_RTNL();
	if (!tn->dir)
		return 0;
	if (!strcmp(dev->name, "devices")) {
		netdev_notice(dev, "no /proc/net/tsnic entry: the name is taken\n");
		return 0;
	}

	dir = proc_mkdir(dev->name, tn->dir);
	if (!dir)
		return -ENOMEM;
	if (!proc_create_single_data("stats", 0444, dir, tsnic_stats_show, dev))
		goto err;
	for (q = 0; q < dev->num_tx_queues; q++) {
		snprintf(name, sizeof(name), "tx-%u", q);
		qdir = proc_mkdir(name, dir);
		if (!qdir ||
		    !proc_create_data("ring", 0444, qdir,
				      &tsnic_txring_proc_ops, &priv->tx[q]) ||
		    !proc_create_single_data("lateness", 0444, qdir,
					     tsnic_txlate_show, &priv->tx[q]))
			goto err;
	}
	for (q = 0; q < dev->num_rx_queues; q++) {
		snprintf(name, sizeof(name), "rx-%u", q);
		qdir = proc_mkdir(name, dir);
		if (!qdir ||
		    !proc_create_single_data("ring", 0444, qdir,
					     tsnic_rxring_show, &priv->rx[q]))
			goto err;
	}
	priv->proc = dir;
	return 0;

err:
	proc_remove(dir);
	return -ENOMEM;
}
ALLOW_ERROR_INJECTION(tsnic_proc_add, ERRNO);

static int tsnic_proc_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	int err = 0;

	if (!tsnic_is_tsnic(dev))
		return NOTIFY_DONE;

	switch (event) {
	case NETDEV_REGISTER:
		/* new, or arrived from another namespace */
		err = tsnic_proc_add(dev);
		break;
	case NETDEV_CHANGENAME:
		/* proc entries cannot be renamed: make them again */
		tsnic_proc_del(dev);
		err = tsnic_proc_add(dev);
		break;
	case NETDEV_UNREGISTER:
		/* deleted, or leaving for another namespace */
		tsnic_proc_del(dev);
		break;
	}
	return notifier_from_errno(err);
}

static struct notifier_block tsnic_proc_notifier = {
	.notifier_call = tsnic_proc_event,
};

/* ---- per namespace ----------------------------------------------------- */

static int __net_init tsnic_proc_net_init(struct net *net)
{
	struct tsnic_net *tn = net_generic(net, tsnic_net_id);

	tn->dir = proc_net_mkdir(net, "tsnic", net->proc_net);
	if (!tn->dir)
		return -ENOMEM;
	if (!proc_create_net("devices", 0444, tn->dir, &tsnic_devices_seq_ops,
			     sizeof(struct seq_net_private))) {
		proc_remove(tn->dir);
		tn->dir = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* a namespace that cannot have its directory is not made (fail_function) */
ALLOW_ERROR_INJECTION(tsnic_proc_net_init, ERRNO);

/* The namespace's devices were deleted, and their entries with them. */
static void __net_exit tsnic_proc_net_exit(struct net *net)
{
	struct tsnic_net *tn = net_generic(net, tsnic_net_id);

	proc_remove(tn->dir);
}

static struct pernet_operations tsnic_proc_net_ops = {
	.init	= tsnic_proc_net_init,
	.exit	= tsnic_proc_net_exit,
	.id	= &tsnic_net_id,
	.size	= sizeof(struct tsnic_net),
};

/**
 * tsnic_proc_init() - create /proc/net/tsnic in every namespace
 *
 * Before the link kind is registered: every device gets its entries.
 *
 * Context: module init.
 * Return: 0, or the error of a registration.
 */
int tsnic_proc_init(void)
{
	int err;

	err = register_pernet_subsys(&tsnic_proc_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&tsnic_proc_notifier);
	if (err)
		unregister_pernet_subsys(&tsnic_proc_net_ops);
	return err;
}

/**
 * tsnic_proc_exit() - remove /proc/net/tsnic
 *
 * After the link kind is gone, and every device with it.
 *
 * Context: module exit.
 */
void tsnic_proc_exit(void)
{
	unregister_netdevice_notifier(&tsnic_proc_notifier);
	unregister_pernet_subsys(&tsnic_proc_net_ops);
}
