// SPDX-License-Identifier: GPL-2.0
/*
 * hwtstamp DEV [TX_TYPE RX_FILTER]: SIOCGHWTSTAMP, or SIOCSHWTSTAMP with
 * the values given (numbers of enum hwtstamp_tx_types and
 * hwtstamp_rx_filters), for the shell tests.  Prints the configuration
 * the driver answered, "TX RX", or "error ERRNO-NAME" (exit 1) when it
 * refused.  linuxptp's hwstamp_ctl sets tx_type 0 or 1 only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>

int main(int argc, char **argv)
{
	struct hwtstamp_config cfg = {};
	struct ifreq ifr = {};
	unsigned long cmd = SIOCGHWTSTAMP;
	int fd;

	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: hwtstamp DEV [TX_TYPE RX_FILTER]\n");
		return 2;
	}
	if (argc == 4) {
		cfg.tx_type = atoi(argv[2]);
		cfg.rx_filter = atoi(argv[3]);
		cmd = SIOCSHWTSTAMP;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	ifr.ifr_data = (void *)&cfg;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 2;
	}
	if (ioctl(fd, cmd, &ifr) < 0) {
		printf("error %s\n", errno == ERANGE ? "ERANGE" :
		       errno == EINVAL ? "EINVAL" : strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	printf("%d %d\n", cfg.tx_type, cfg.rx_filter);
	return 0;
}
