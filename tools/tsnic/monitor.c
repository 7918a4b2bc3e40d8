// SPDX-License-Identifier: GPL-2.0
/* tsnic CLI: "monitor", device changes and the events of faults. */
#include <inttypes.h>
#include <net/if.h>

#include <linux/tsnic.h>

#include "tsnic.h"

static const struct attr_desc event_desc[TSNIC_A_EVENT_MAX + 1] = {
	[TSNIC_A_EVENT_IFINDEX]		= { "ifindex", K_U32 },
	[TSNIC_A_EVENT_IFNAME]		= { "ifname", K_STR },
	[TSNIC_A_EVENT_CARRIER]		= { "carrier", K_BOOL },
	[TSNIC_A_EVENT_PULLED]		= { "pulled", K_BOOL },
	[TSNIC_A_EVENT_QUEUE]		= { "queue", K_U32 },
	[TSNIC_A_EVENT_COUNT]		= { "count", K_U64 },
};

static const struct attr_set event_set = { event_desc, TSNIC_A_EVENT_MAX };

static const char *event_name(uint8_t cmd)
{
	switch (cmd) {
	case TSNIC_CMD_CABLE_NTF:	return "cable";
	case TSNIC_CMD_TS_TIMEOUT_NTF:	return "ts-timeout";
	case TSNIC_CMD_TX_RESET_NTF:	return "tx-reset";
	default:			return NULL;
	}
}

/* A fault's event for "monitor"; 1 if @cmd is not one. */
static int event_print(uint8_t cmd, struct nlattr **tb)
{
	const char *name = event_name(cmd);
	char ifname[IF_NAMESIZE];

	if (!name)
		return 1;
	if (json) {
		json_init(false);
		json_open_object(NULL);
		json_string("event", name);
		json_attrs(tb, &event_set);
		json_close_object();
		json_end();
		return 0;
	}
	printf("[%s] ", name);
	if (tb[TSNIC_A_EVENT_IFNAME])
		printf("%s:", nla_get_string(tb[TSNIC_A_EVENT_IFNAME]));
	else if (if_indextoname(get_u32(tb, TSNIC_A_EVENT_IFINDEX), ifname))
		printf("%s:", ifname);
	else
		printf("ifindex %u:", get_u32(tb, TSNIC_A_EVENT_IFINDEX));
	switch (cmd) {
	case TSNIC_CMD_CABLE_NTF:
		printf(" carrier %s, cable %s\n",
		       get_u8(tb, TSNIC_A_EVENT_CARRIER) ? "on" : "off",
		       get_u8(tb, TSNIC_A_EVENT_PULLED) ? "pulled" : "plugged");
		break;
	case TSNIC_CMD_TS_TIMEOUT_NTF:
		printf(" %" PRIu64 " TX timestamps timed out\n",
		       get_u64(tb, TSNIC_A_EVENT_COUNT));
		break;
	case TSNIC_CMD_TX_RESET_NTF:
		printf(" TX queue %u reset by the watchdog, %" PRIu64 " frames dropped\n",
		       get_u32(tb, TSNIC_A_EVENT_QUEUE),
		       get_u64(tb, TSNIC_A_EVENT_COUNT));
		break;
	}
	return 0;
}

static int monitor_reply(struct nlattr **tb, void *arg)
{
	if (!event_print(tsnic_nl_cmd(arg), tb)) {
		fflush(stdout);
		return 0;
	}
	if (json) {
		/* one JSON object per line, as `ip -j monitor` */
		json_init(false);
		json_object_attrs(tb, &dev_set);
		json_end();
	} else {
		printf("[change] ");
		print_dev(tb);
	}
	fflush(stdout);
	return 0;
}

static int parse_monitor(int argc, char **argv, struct args *a)
{
	return argc ? unexpected(&argv[0]) : 0;
}

static int run_monitor(struct tsnic_nl *nl, struct args *a)
{
	/* device changes and the events of faults */
	int max = TSNIC_A_DEV_MAX;

	if ((int)TSNIC_A_EVENT_MAX > max)
		max = TSNIC_A_EVENT_MAX;
	return exit_of(tsnic_nl_monitor(nl, max, monitor_reply, nl));
}

static const struct command monitor_commands[] = {
	{ NULL, parse_monitor, run_monitor },
	{ }
};

const struct object monitor_object = {
	.name = "monitor",
	.usage = "monitor\n",
	.commands = monitor_commands,
};
