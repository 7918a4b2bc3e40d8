// SPDX-License-Identifier: GPL-2.0
/*
 * The cable between two tsnic devices: wiring (plug, unplug), the carrier
 * of both ends, and the cable-pull fault.
 *
 * Layering: device.c (newlink, open, stop, reconfiguration, uninit) and
 * netlink.c (the cable-pull fault) call in here; this file calls no other
 * tsnic file.  Telling user space about a pull is the caller's part.
 * Everything here runs under RTNL.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "tsnic.h"

static void tsnic_set_carrier(struct net_device *dev, bool on)
{
	if (on)
		netif_carrier_on(dev);
	else
		netif_carrier_off(dev);
}

/**
 * tsnic_cable_pulled() - is the device's cable pulled, at either end?
 * @priv: the device
 *
 * Context: RTNL held.
 * Return: true if pulled at this end or at the other.
 */
bool tsnic_cable_pulled(struct tsnic_priv *priv)
{
	struct tsnic_priv *peer = rtnl_dereference(priv->peer);

	return priv->faults.cable_pulled || (peer && peer->faults.cable_pulled);
}

/**
 * tsnic_carrier_update() - set the carrier of both ends of a cable
 * @priv: one end
 *
 * Carrier is up on both ends of a cable while both are up and the cable
 * is not pulled; an unwired device is connected to its sink, so it has
 * carrier whenever it is up and its cable is in.
 *
 * Context: RTNL held.
 */
void tsnic_carrier_update(struct tsnic_priv *priv)
{
	struct tsnic_priv *peer = rtnl_dereference(priv->peer);
	bool on;

	ASSERT_RTNL();
	/* up, not merely running: a device whose restart failed has no rings */
	on = priv->up && !tsnic_cable_pulled(priv);
	if (!peer) {
		tsnic_set_carrier(priv->dev, on);
		return;
	}
	on = on && peer->up;
	tsnic_set_carrier(priv->dev, on);
	tsnic_set_carrier(peer->dev, on);
}

/**
 * tsnic_cable_set_pulled() - fault: pull or plug the cable at one end
 * @priv: that end
 * @pulled: pull (true) or plug back (false)
 *
 * Counts a pull and updates the carrier of both ends; telling user space
 * is the caller's part.
 *
 * Context: RTNL held.
 * Return: whether anything changed.
 */
bool tsnic_cable_set_pulled(struct tsnic_priv *priv, bool pulled)
{
	ASSERT_RTNL();
	if (priv->faults.cable_pulled == pulled)
		return false;
	WRITE_ONCE(priv->faults.cable_pulled, pulled);
	if (pulled)
		WRITE_ONCE(priv->faults.cable_pulls,
			   priv->faults.cable_pulls + 1);
	tsnic_carrier_update(priv);
	return true;
}

/**
 * tsnic_cable_plug() - wire two unwired devices together
 * @a: one end
 * @b: the other
 *
 * Context: RTNL held.
 */
void tsnic_cable_plug(struct tsnic_priv *a, struct tsnic_priv *b)
{
	ASSERT_RTNL();
	rcu_assign_pointer(a->peer, b);
	rcu_assign_pointer(b->peer, a);
	tsnic_carrier_update(a);
}

/**
 * tsnic_cable_unplug() - unwire a device from its peer, if it has one
 * @priv: one end
 *
 * Readers that still see the peer finish under RCU.
 *
 * Context: RTNL held.
 */
void tsnic_cable_unplug(struct tsnic_priv *priv)
{
	struct tsnic_priv *peer = rtnl_dereference(priv->peer);

	if (!peer)
		return;
	RCU_INIT_POINTER(priv->peer, NULL);
	RCU_INIT_POINTER(peer->peer, NULL);
	tsnic_carrier_update(peer);
	tsnic_carrier_update(priv);
}
