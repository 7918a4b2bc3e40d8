// SPDX-License-Identifier: GPL-2.0
/*
 * Device basics through the classic ioctl interface: ethtool driver info and
 * administrative state.
 */
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"

FIXTURE(dev) {
	int fd;
	char name[IFNAMSIZ];
};

FIXTURE_SETUP(dev)
{
	snprintf(self->name, sizeof(self->name), "tsnict%d", getpid() % 1000);
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "ip link add %s type tsnic", self->name);
	ASSERT_EQ(0, system(cmd));
	self->fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(dev)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "ip link del %s 2>/dev/null", self->name);
	if (system(cmd))
		TH_LOG("deleting %s failed", self->name);
	close(self->fd);
}

TEST_F(dev, drvinfo)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = {};

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", self->name);
	ifr.ifr_data = (void *)&info;
	ASSERT_EQ(0, ioctl(self->fd, SIOCETHTOOL, &ifr));
	EXPECT_STREQ("tsnic", info.driver);
}

TEST_F(dev, up_down)
{
	struct ifreq ifr = {};

	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", self->name);
	ASSERT_EQ(0, ioctl(self->fd, SIOCGIFFLAGS, &ifr));
	EXPECT_EQ(0, ifr.ifr_flags & IFF_UP);
	ifr.ifr_flags |= IFF_UP;
	ASSERT_EQ(0, ioctl(self->fd, SIOCSIFFLAGS, &ifr));
	ASSERT_EQ(0, ioctl(self->fd, SIOCGIFFLAGS, &ifr));
	EXPECT_TRUE(ifr.ifr_flags & IFF_UP);
	/*
	 * Unwired: the device is connected to its sink, so it has carrier.
	 * IFF_RUNNING follows the operstate linkwatch sets asynchronously.
	 */
	for (int i = 0; i < 50 && !(ifr.ifr_flags & IFF_RUNNING); i++) {
		usleep(100000);
		ASSERT_EQ(0, ioctl(self->fd, SIOCGIFFLAGS, &ifr));
	}
	EXPECT_TRUE(ifr.ifr_flags & IFF_RUNNING);
	ifr.ifr_flags &= ~IFF_UP;
	ASSERT_EQ(0, ioctl(self->fd, SIOCSIFFLAGS, &ifr));
	ASSERT_EQ(0, ioctl(self->fd, SIOCGIFFLAGS, &ifr));
	EXPECT_EQ(0, ifr.ifr_flags & IFF_UP);
}

TEST_HARNESS_MAIN
