// SPDX-License-Identifier: GPL-2.0
/*
 * tsnic: a virtual NIC with a simulated transmit engine.
 *
 * The module: its parameters (the defaults of new devices), and init and
 * exit.
 *
 * Layering: main.c is the top; it calls proc.c, device.c (the link kind,
 * given the defaults) and netlink.c (the family), and nothing calls it.
 * device.c has the net_device, cable.c the cable, stats.c the counters.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "tsnic.h"

/* Defaults for new devices; the netlink family changes them per device. */
static unsigned long rate;
module_param(rate, ulong, 0444);
MODULE_PARM_DESC(rate, "Line rate in bit/s of new devices (at most 800 Gbit/s, default 0: unlimited)");

static uint delay_ns;
module_param(delay_ns, uint, 0444);
MODULE_PARM_DESC(delay_ns, "Cable propagation delay in ns (at most 1 s, default 0)");

static uint tx_ring = TSNIC_RING_DEFAULT;
module_param(tx_ring, uint, 0444);
MODULE_PARM_DESC(tx_ring, "TX descriptors per queue (power of two, " __stringify(TSNIC_RING_MIN)
		 "-" __stringify(TSNIC_RING_MAX) ", default "
		 __stringify(TSNIC_RING_DEFAULT) ")");

static uint rx_ring = TSNIC_RING_DEFAULT;
module_param(rx_ring, uint, 0444);
MODULE_PARM_DESC(rx_ring, "RX ring size per queue in frames (power of two, "
		 __stringify(TSNIC_RING_MIN) "-" __stringify(TSNIC_RING_MAX) ", default "
		 __stringify(TSNIC_RING_DEFAULT) ")");

static uint tx_usecs = TSNIC_TX_USECS_DEFAULT;
module_param(tx_usecs, uint, 0444);
MODULE_PARM_DESC(tx_usecs, "TX interrupt moderation delay in us (0-" __stringify(TSNIC_TX_USECS_MAX)
		 ", default " __stringify(TSNIC_TX_USECS_DEFAULT) ")");

static bool adaptive_tx = true;
module_param(adaptive_tx, bool, 0444);
MODULE_PARM_DESC(adaptive_tx,
		 "TX interrupt moderation chosen per queue by DIM, as ice and mlx5 do (default on)");

static uint tx_frames = TSNIC_TX_FRAMES_DEFAULT;
module_param(tx_frames, uint, 0444);
MODULE_PARM_DESC(tx_frames,
		 "TX interrupt after this many frames (0: off, max "
		 __stringify(TSNIC_TX_FRAMES_MAX) ", default "
		 __stringify(TSNIC_TX_FRAMES_DEFAULT) ")");

static uint ts_slots = TSNIC_TS_SLOTS_DEFAULT;
module_param(ts_slots, uint, 0444);
MODULE_PARM_DESC(ts_slots, "Hardware TX timestamp slots (1-"
		 __stringify(TSNIC_TS_SLOTS_MAX) ", default "
		 __stringify(TSNIC_TS_SLOTS_DEFAULT) ")");

static uint ts_timeout_ms = TSNIC_TS_TIMEOUT_DEFAULT_MS;
module_param(ts_timeout_ms, uint, 0444);
MODULE_PARM_DESC(ts_timeout_ms, "TX timestamp slot timeout in ms (1-"
		 __stringify(TSNIC_TS_TIMEOUT_MS_MAX) ", default "
		 __stringify(TSNIC_TS_TIMEOUT_DEFAULT_MS) ")");

static uint freq_random_ppb = TSNIC_FREQ_RANDOM_PPB_DEFAULT;
module_param(freq_random_ppb, uint, 0444);
MODULE_PARM_DESC(freq_random_ppb,
		 "Each new PHC gets a random frequency error within +-this (ppb, max "
		 __stringify(TSNIC_FREQ_PPB_MAX) ", default "
		 __stringify(TSNIC_FREQ_RANDOM_PPB_DEFAULT) ")");

static uint wander_ppb;
module_param(wander_ppb, uint, 0444);
MODULE_PARM_DESC(wander_ppb,
		 "PHC random-walk step per second in ppb (max " __stringify(TSNIC_WANDER_PPB_MAX)
		 ", default 0: off)");

static uint jitter_ns;
module_param(jitter_ns, uint, 0444);
MODULE_PARM_DESC(jitter_ns, "Hardware timestamp jitter, +-ns (max " __stringify(TSNIC_JITTER_NS_MAX)
		 ", default 0: off)");

static bool tsnic_is_ring_size(u32 n)
{
	return n >= TSNIC_RING_MIN && n <= TSNIC_RING_MAX && is_power_of_2(n);
}

/*
 * The parameters are the defaults of new devices: the same limits as the
 * netlink family's policies and ethtool's checks (uapi/linux/tsnic.h).
 */
static int tsnic_check_params(void)
{
	if (!tsnic_is_ring_size(tx_ring) || !tsnic_is_ring_size(rx_ring)) {
		pr_err("tx_ring and rx_ring must be powers of two in %d-%d\n",
		       TSNIC_RING_MIN, TSNIC_RING_MAX);
		return -EINVAL;
	}
	if (rate > TSNIC_RATE_BPS_MAX) {
		pr_err("rate must be at most %llu bit/s\n", (u64)TSNIC_RATE_BPS_MAX);
		return -EINVAL;
	}
	if (delay_ns > TSNIC_DELAY_NS_MAX || tx_usecs > TSNIC_TX_USECS_MAX ||
	    tx_frames > TSNIC_TX_FRAMES_MAX) {
		pr_err("delay_ns, tx_usecs or tx_frames out of range\n");
		return -EINVAL;
	}
	if (!ts_slots || ts_slots > TSNIC_TS_SLOTS_MAX || !ts_timeout_ms ||
	    ts_timeout_ms > TSNIC_TS_TIMEOUT_MS_MAX) {
		pr_err("ts_slots must be 1-%d and ts_timeout_ms 1-%d\n",
		       TSNIC_TS_SLOTS_MAX, TSNIC_TS_TIMEOUT_MS_MAX);
		return -EINVAL;
	}
	if (freq_random_ppb > TSNIC_FREQ_PPB_MAX ||
	    wander_ppb > TSNIC_WANDER_PPB_MAX || jitter_ns > TSNIC_JITTER_NS_MAX) {
		pr_err("freq_random_ppb, wander_ppb or jitter_ns out of range\n");
		return -EINVAL;
	}
	return 0;
}

static int __init tsnic_init(void)
{
	const struct tsnic_defaults def = {
		.cfg = {
			.rate_bps = rate,
			.delay_ns = delay_ns,
			.tx_usecs = tx_usecs,
			.tx_frames = tx_frames,
			.adaptive_tx = adaptive_tx,
			.tx_ring = tx_ring,
			.rx_ring = rx_ring,
		},
		.ts_slots = ts_slots,
		.ts_timeout_ms = ts_timeout_ms,
		.freq_random_ppb = freq_random_ppb,
		.wander_ppb = wander_ppb,
		.jitter_ns = jitter_ns,
	};
	int err;

	err = tsnic_check_params();
	if (err)
		return err;
	/* /proc first: every device gets its entries */
	err = tsnic_proc_init();
	if (err)
		return err;
	tsnic_gnss_module_init();
	/* and wires are cut as devices leave, from the first one on */
	err = tsnic_pins_module_init();
	if (err)
		goto err_proc;
	err = tsnic_device_register(&def);
	if (err)
		goto err_pins;
	err = tsnic_nl_init();
	if (err)
		goto err_link;
	return 0;

err_link:
	tsnic_device_unregister();
err_pins:
	tsnic_pins_module_exit();
err_proc:
	tsnic_proc_exit();
	return err;
}

static void __exit tsnic_exit(void)
{
	/*
	 * Devices first, in every namespace: their timeout and reset works,
	 * cancelled as they go, may still send events to the family.
	 * Requests that come meanwhile find no device: a device found under
	 * RCU is unlisted and waited for before it is freed, one held by a
	 * ring dump is waited for too; dumps pin the module.
	 */
	tsnic_device_unregister();
	tsnic_pins_module_exit();
	tsnic_nl_exit();
	/* their /proc entries went with them: now the directories */
	tsnic_proc_exit();
}

module_init(tsnic_init);
module_exit(tsnic_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The tsnic developers");
MODULE_DESCRIPTION(TSNIC_DRV_DESC);
MODULE_VERSION(TSNIC_VERSION);
MODULE_ALIAS_RTNL_LINK(TSNIC_DRV_NAME);
MODULE_ALIAS_GENL_FAMILY(TSNIC_FAMILY_NAME);
