// SPDX-License-Identifier: GPL-2.0
/* tsnic CLI: "pin show", "pin connect" and "pin disconnect". */
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netlink/genl/genl.h>

#include <linux/tsnic.h>

#include "tsnic.h"

static const char *const pin_funcs[] = {
	[TSNIC_PIN_FUNC_NONE]		= "none",
	[TSNIC_PIN_FUNC_EXTTS]		= "extts",
	[TSNIC_PIN_FUNC_PEROUT]		= "perout",
	[TSNIC_PIN_FUNC_PHYSYNC]	= "physync",
};

static const char *pin_func_name(uint32_t f)
{
	return f < ARRAY_SIZE(pin_funcs) ? pin_funcs[f] : "unknown";
}

/* PIN at @at: SDP0..SDP3 (any case) or its index. */
static int parse_pin(char **at, uint32_t *pin)
{
	const char *s = *at;

	if (!strncasecmp(s, "sdp", 3))
		s += 3;
	if (parse_u32(s, pin) || *pin > TSNIC_PIN_INDEX_MAX)
		return usage_err("invalid pin \"%s\" (SDP0 .. SDP%d, or 0 .. %d)",
				 *at, TSNIC_PIN_INDEX_MAX, TSNIC_PIN_INDEX_MAX);
	return 0;
}

static int parse_name(char **at, const char **dev)
{
	if (misplaced_option(at))
		return EXIT_USAGE;
	if (strlen(*at) >= IF_NAMESIZE)
		return usage_err("device name \"%s\" is too long (at most %d characters)",
				 *at, IF_NAMESIZE - 1);
	*dev = *at;
	return 0;
}

/* One end of a wire, from a TSNIC_A_PIN_WIRE or _DRIVEN_BY nest. */
struct wire_end {
	uint32_t ifindex;
	uint32_t pin;
	uint32_t delay_ns;
	char name[IF_NAMESIZE];
};

static int wire_end(struct nlattr *nest, struct wire_end *w)
{
	struct nlattr *tb[TSNIC_A_WIRE_MAX + 1];

	if (nla_parse_nested(tb, TSNIC_A_WIRE_MAX, nest, NULL))
		return -1;
	w->ifindex = get_u32(tb, TSNIC_A_WIRE_IFINDEX);
	w->pin = get_u32(tb, TSNIC_A_WIRE_PIN);
	w->delay_ns = get_u32(tb, TSNIC_A_WIRE_DELAY_NS);
	if (!if_indextoname(w->ifindex, w->name))
		strcpy(w->name, "?");
	return 0;
}

static void json_wire(const char *key, const struct wire_end *w)
{
	json_open_object(key);
	json_uint("ifindex", w->ifindex);
	json_string("ifname", w->name);
	json_uint("pin", w->pin);
	json_uint("delay_ns", w->delay_ns);
	json_close_object();
}

static void print_wire(const char *lead, const struct wire_end *w)
{
	char b[32];

	printf("%s%s SDP%u delay %s", lead, w->name, w->pin,
	       fmt_time_ns(b, sizeof(b), w->delay_ns));
}

/* A PIN_GET reply: one line of text, or a JSON object. */
static int pin_reply(struct nlattr **tb, void *arg)
{
	struct nlmsghdr *nlh = tsnic_nl_reply(arg);
	uint32_t func = get_u32(tb, TSNIC_A_PIN_FUNC);
	char name[IF_NAMESIZE];
	struct wire_end w;
	struct nlattr *a;
	bool first = true;
	int rem;

	if (!if_indextoname(get_u32(tb, TSNIC_A_PIN_IFINDEX), name))
		strcpy(name, "?");
	if (json) {
		json_open_object(NULL);
		json_uint("ifindex", get_u32(tb, TSNIC_A_PIN_IFINDEX));
		json_string("ifname", name);
		json_uint("index", get_u32(tb, TSNIC_A_PIN_INDEX));
		json_string("name", tb[TSNIC_A_PIN_NAME] ?
			    nla_get_string(tb[TSNIC_A_PIN_NAME]) : "?");
		json_string("func", pin_func_name(func));
		json_uint("chan", get_u32(tb, TSNIC_A_PIN_CHAN));
		json_bool("active", get_u8(tb, TSNIC_A_PIN_ACTIVE));
		json_open_array("wires");
	} else {
		printf("%s %s: %s", name, tb[TSNIC_A_PIN_NAME] ?
		       nla_get_string(tb[TSNIC_A_PIN_NAME]) : "?",
		       pin_func_name(func));
		if (func != TSNIC_PIN_FUNC_NONE)
			printf(" %u%s", get_u32(tb, TSNIC_A_PIN_CHAN),
			       get_u8(tb, TSNIC_A_PIN_ACTIVE) ? " active" : "");
	}
	/* the wires it drives: a multi-attr, so from the message itself */
	nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem) {
		if (nla_type(a) != TSNIC_A_PIN_WIRE || wire_end(a, &w))
			continue;
		if (json)
			json_wire(NULL, &w);
		else
			print_wire(first ? ", drives " : ", ", &w);
		first = false;
	}
	if (json)
		json_close_array();
	if (tb[TSNIC_A_PIN_DRIVEN_BY] && !wire_end(tb[TSNIC_A_PIN_DRIVEN_BY], &w)) {
		if (json)
			json_wire("driven_by", &w);
		else
			print_wire(", driven by ", &w);
	}
	if (json)
		json_close_object();
	else
		printf("\n");
	return 0;
}

static int run_pin_show(struct tsnic_nl *nl, struct args *a)
{
	struct nl_msg *msg = request(TSNIC_CMD_PIN_GET, 0, TSNIC_A_PIN_IFNAME,
				     a->dev);

	if (!msg)
		return 1;
	/* a device's pins are a dump too: PIN_GET without an index */
	if (a->dev)
		nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_DUMP;
	return show(nl, msg, TSNIC_A_PIN_MAX, pin_reply, nl);
}

/* DEV PIN [DEV2 PIN2] [delay TIME]; @connect: DEV2 PIN2 needed, delay allowed */
static int parse_wire(int argc, char **argv, struct args *a, bool connect)
{
	int i = 2, err;

	if (argc < 2)
		return syntax_err("%s", argc ? "no pin given" : "no device given");
	err = parse_name(&argv[0], &a->dev);
	if (!err)
		err = parse_pin(&argv[1], &a->pin);
	if (err)
		return err;
	if (argc >= 4 && strcmp(argv[2], "delay")) {
		err = parse_name(&argv[2], &a->dev2);
		if (!err)
			err = parse_pin(&argv[3], &a->pin2);
		if (err)
			return err;
		i = 4;
	} else if (argc == 3 && strcmp(argv[2], "delay")) {
		return syntax_err("no pin given for %s", argv[2]);
	}
	if (connect && !a->dev2)
		return syntax_err("no device and pin to connect to");
	if (i < argc && connect && !strcmp(argv[i], "delay")) {
		if (i + 1 == argc)
			return usage_err("delay needs a value (TIME)");
		if (parse_time_ns(argv[i + 1], 1, &a->delay_ns) ||
		    a->delay_ns > TSNIC_DELAY_NS_MAX)
			return usage_err("invalid delay \"%s\" (TIME, at most 1s)",
					 argv[i + 1]);
		i += 2;
	}
	if (i < argc)
		return unexpected(&argv[i]);
	return 0;
}

static int parse_connect(int argc, char **argv, struct args *a)
{
	return parse_wire(argc, argv, a, true);
}

static int parse_disconnect(int argc, char **argv, struct args *a)
{
	return parse_wire(argc, argv, a, false);
}

/* the request of pin connect (@cmd PIN_CONNECT) or disconnect */
static int run_wire(struct tsnic_nl *nl, struct args *a, uint8_t cmd)
{
	unsigned int peer = 0;
	struct nl_msg *msg;

	/* here, not while parsing: in the namespace of -n */
	if (a->dev2) {
		peer = if_nametoindex(a->dev2);
		if (!peer) {
			fprintf(stderr, "Error: no device \"%s\".\n", a->dev2);
			return 1;
		}
	}
	msg = request(cmd, 0, TSNIC_A_PIN_IFNAME, a->dev);
	if (!msg)
		return 1;
	if (nla_put_u32(msg, TSNIC_A_PIN_INDEX, a->pin) ||
	    (peer && (nla_put_u32(msg, TSNIC_A_PIN_PEER_IFINDEX, peer) ||
		      nla_put_u32(msg, TSNIC_A_PIN_PEER_INDEX, a->pin2))) ||
	    (cmd == TSNIC_CMD_PIN_CONNECT && a->delay_ns &&
	     nla_put_u32(msg, TSNIC_A_PIN_DELAY_NS, a->delay_ns))) {
		nlmsg_free(msg);
		nomem();
		return 1;
	}
	return exit_of(tsnic_nl_talk(nl, msg, TSNIC_A_PIN_MAX, NULL, NULL));
}

static int run_connect(struct tsnic_nl *nl, struct args *a)
{
	return run_wire(nl, a, TSNIC_CMD_PIN_CONNECT);
}

static int run_disconnect(struct tsnic_nl *nl, struct args *a)
{
	return run_wire(nl, a, TSNIC_CMD_PIN_DISCONNECT);
}

static const struct command pin_commands[] = {
	{ "show", parse_opt_dev, run_pin_show },
	{ "list", parse_opt_dev, run_pin_show },
	{ "connect", parse_connect, run_connect },
	{ "disconnect", parse_disconnect, run_disconnect },
	{ }
};

const struct object pin_object = {
	.name = "pin",
	.usage = "pin show [DEV]\n"
		 "pin connect DEV PIN DEV2 PIN2 [delay TIME]\n"
		 "pin disconnect DEV PIN [DEV2 PIN2]\n",
	.where = W_TIME,
	.commands = pin_commands,
};
