// SPDX-License-Identifier: GPL-2.0
/*
 * tsnic: show and change tsnic devices through the "tsnic" generic netlink
 * family.  The command line follows ip(8): options before the object, as
 * a letter (-j) or a word (-json, or any prefix of it, one or two dashes);
 * OBJECT COMMAND ARGS, each word abbreviable; "help" after any object.
 *
 *   tsnic [OPTIONS] dev show [DEV]
 *   tsnic [OPTIONS] dev set DEV KEY VALUE...
 *   tsnic [OPTIONS] queue show [DEV [tx|rx] [N]]
 *   tsnic [OPTIONS] ring show DEV queue N [-d]
 *   tsnic [OPTIONS] stats show DEV [-s]
 *   tsnic [OPTIONS] fault show [DEV]
 *   tsnic [OPTIONS] fault set DEV KEY VALUE...
 *   tsnic [OPTIONS] monitor
 *   tsnic [OPTIONS] pin show [DEV]
 *   tsnic [OPTIONS] pin connect DEV PIN DEV2 PIN2 [delay TIME]
 *   tsnic [OPTIONS] pin disconnect DEV PIN [DEV2 PIN2]
 *   tsnic [OBJECT] help,  tsnic -V,  tsnic -h
 *
 * Every argument is checked before the netlink socket opens.  Exit status:
 * 0 on success, 1 when the kernel (or the system) refused, 2 on a usage
 * error.
 *
 * This file reads the options and the command line and dispatches to the
 * objects' files; nl.c talks to the kernel, util.c has units and JSON.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <netlink/genl/genl.h>
#include <netlink/version.h>

#include <linux/tsnic.h>

#include "tsnic.h"
#include "version.h"

/* the options */
bool json;		/* -j */
bool pretty;		/* -p */
int show_stats;		/* -s: stats show, each queue's counters */
bool details;		/* -d: ring show, timestamps and counters */
static const char *netns;	/* -n */

/* ---- the command line --------------------------------------------------- */

/* The command line as typed, for suggestions; the object's index in it. */
static char **cmdline;
static int cmdline_len;
static int object_at;

/* The object being parsed, named in hints ("try tsnic dev help"). */
static const char *object_name;

enum opt_id {
	OPT_JSON, OPT_PRETTY, OPT_STATS, OPT_DETAILS, OPT_NETNS, OPT_VERSION,
	OPT_HELP,
};

/* The options, as ip(8) takes them: a letter, or a word or a prefix of it. */
static const struct option_word {
	const char *word;
	char letter;
	enum opt_id id;
	bool has_arg;
} options[] = {
	{ "json",	'j', OPT_JSON, false },
	{ "pretty",	'p', OPT_PRETTY, false },
	{ "stats",	's', OPT_STATS, false },
	{ "statistics",	's', OPT_STATS, false },
	{ "details",	'd', OPT_DETAILS, false },
	{ "netns",	'n', OPT_NETNS, true },
	{ "Version",	'V', OPT_VERSION, false },
	{ "help",	'h', OPT_HELP, false },
};

/*
 * The option @arg names: "-j", "-js", "-json", "--json"; NULL if none does,
 * with *@ambiguous set if several do.
 */
static const struct option_word *find_option(const char *arg, bool *ambiguous)
{
	const struct option_word *found = NULL;
	const char *w = arg + 1;
	size_t i, n;

	*ambiguous = false;
	if (arg[0] != '-')
		return NULL;
	if (*w == '-')
		w++;
	n = strlen(w);
	if (!n)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(options); i++) {
		const struct option_word *o = &options[i];

		if (n == 1 ? *w != o->letter : strncasecmp(w, o->word, n))
			continue;
		if (found && found->id != o->id) {
			*ambiguous = true;
			return NULL;
		}
		found = o;
	}
	return found;
}

static int usage(FILE *f, const char *object);

/* The options before the object: -1 to go on, else the exit status. */
static int parse_options(int *argc, char ***argv)
{
	while (*argc > 0 && (*argv)[0][0] == '-') {
		const char *arg = (*argv)[0];
		const struct option_word *o;
		bool ambiguous;

		(*argc)--;
		(*argv)++;
		if (!strcmp(arg, "--"))
			break;
		o = find_option(arg, &ambiguous);
		if (!o) {
			fprintf(stderr, "Option \"%s\" is %s, try \"tsnic -help\".\n",
				arg, ambiguous ? "ambiguous" : "unknown");
			return EXIT_USAGE;
		}
		if (o->has_arg && !*argc) {
			fprintf(stderr,
				"Option \"%s\" needs an argument, try \"tsnic -help\".\n",
				arg);
			return EXIT_USAGE;
		}
		switch (o->id) {
		case OPT_JSON:
			json = true;
			break;
		case OPT_PRETTY:
			pretty = true;
			break;
		case OPT_STATS:
			show_stats++;
			break;
		case OPT_DETAILS:
			details = true;
			break;
		case OPT_NETNS:
			netns = (*argv)[0];
			(*argc)--;
			(*argv)++;
			break;
		case OPT_VERSION:
			printf("tsnic utility, version %s, %s\n", TSNIC_VERSION,
			       LIBNL_STRING);
			return 0;
		case OPT_HELP:
			return usage(stdout, NULL);
		}
	}
	return -1;
}

/*
 * @at, a word after the object, is one of the options: ip(8) takes them
 * before the object only.  Say so, with the command line that works.
 */
bool misplaced_option(char **at)
{
	const struct option_word *o;
	int i, idx = at - cmdline, n;
	bool ambiguous;

	o = find_option(*at, &ambiguous);
	if (!o)
		return false;
	n = o->has_arg && idx + 1 < cmdline_len ? 2 : 1;
	fprintf(stderr, "Option \"%s\" must come before the object, try \"tsnic",
		*at);
	for (i = 1; i < object_at; i++)
		fprintf(stderr, " %s", cmdline[i]);
	for (i = idx; i < idx + n; i++)
		fprintf(stderr, " %s", cmdline[i]);
	for (i = object_at; i < cmdline_len; i++)
		if (i < idx || i >= idx + n)
			fprintf(stderr, " %s", cmdline[i]);
	fprintf(stderr, "\".\n");
	return true;
}

/* "Error: " and @fmt on stderr; @hint: the object's help is named */
static int __attribute__((format(printf, 2, 0)))
verror(bool hint, const char *fmt, va_list ap)
{
	fputs("Error: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (hint)
		fprintf(stderr, ", try \"tsnic %s%shelp\".\n", object_name ?: "",
			object_name ? " " : "");
	else
		fputs(".\n", stderr);
	return EXIT_USAGE;
}

/* A wrong value: "Error: ...", exit status 2. */
int __attribute__((format(printf, 1, 2)))
usage_err(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = verror(false, fmt, ap);
	va_end(ap);
	return ret;
}

/* A command line the object does not take: as usage_err(), with a hint. */
int __attribute__((format(printf, 1, 2)))
syntax_err(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = verror(true, fmt, ap);
	va_end(ap);
	return ret;
}

/* A word the command does not take at @at. */
int unexpected(char **at)
{
	if (misplaced_option(at))
		return EXIT_USAGE;
	return syntax_err("unexpected argument \"%s\"", *at);
}

int nomem(void)
{
	fprintf(stderr, "tsnic: %s\n", strerror(ENOMEM));
	return -ENOMEM;
}

bool matches(const char *arg, const char *word)
{
	return *arg && !strncmp(word, arg, strlen(arg));
}

/* ---- what the user typed for each attribute, for the kernel's errors ---- */

#define MAX_WORDS	40

static struct word {
	bool queue;		/* a QUEUE_GET or RING_DUMP attribute */
	int nest, type;
	uint32_t offs;		/* where it is in the request, if known */
	struct tsnic_nl_word w;
} words[MAX_WORDS];
static int nwords;

void add_word_at(uint32_t offs, bool queue, int nest, int type,
		 const char *word, const char *value, enum unit unit)
{
	if (nwords == MAX_WORDS)
		return;
	words[nwords++] = (struct word){
		.queue = queue, .nest = nest, .type = type, .offs = offs,
		.w = { .word = word, .value = value, .unit = unit },
	};
}

void add_word(bool queue, int nest, int type, const char *word,
	      const char *value, enum unit unit)
{
	add_word_at(0, queue, nest, type, word, value, unit);
}

static bool find_word(void *ctx, uint8_t cmd, uint32_t offs, int nest,
		      int type, struct tsnic_nl_word *w)
{
	bool queue = cmd == TSNIC_CMD_QUEUE_GET || cmd == TSNIC_CMD_RING_DUMP;
	int i;

	for (i = 0; i < nwords; i++) {
		/* a fault trigger's attributes differ only by where they are */
		if ((offs && words[i].offs == offs) ||
		    (words[i].queue == queue && words[i].nest == nest &&
		     words[i].type == type && !words[i].offs)) {
			*w = words[i].w;
			return true;
		}
	}
	return false;
}

/* ---- arguments ---------------------------------------------------------- */

/* DEV at @at: 0 or the exit status. */
int parse_dev(char **at, const char **dev)
{
	if (misplaced_option(at))
		return EXIT_USAGE;
	if (strlen(*at) >= IF_NAMESIZE)
		return usage_err("device name \"%s\" is too long (at most %d characters)",
				 *at, IF_NAMESIZE - 1);
	*dev = *at;
	add_word(false, 0, TSNIC_A_DEV_IFNAME, "device", *at, UNIT_NONE);
	add_word(true, 0, TSNIC_A_QUEUE_IFNAME, "device", *at, UNIT_NONE);
	return 0;
}

/* DEV as the first word of a command that needs one */
int parse_need_dev(int argc, char **argv, struct args *a)
{
	if (argc < 1)
		return syntax_err("no device given");
	return parse_dev(&argv[0], &a->dev);
}

/* N of "queue N", at @at */
int parse_qid(char **at, uint32_t *qid)
{
	if (parse_u32(*at, qid))
		return usage_err("invalid queue \"%s\" (a whole number)", *at);
	add_word(true, 0, TSNIC_A_QUEUE_ID, "queue", *at, UNIT_NONE);
	return 0;
}

/* A request for @cmd on @dev (attribute @a_ifname), or a dump if NULL. */
struct nl_msg *request(uint8_t cmd, int flags, int a_ifname,
		       const char *dev)
{
	struct nl_msg *msg = tsnic_nl_msg(cmd, dev ? flags : flags | NLM_F_DUMP);

	if (msg && (!dev || !nla_put_string(msg, a_ifname, dev)))
		return msg;
	nlmsg_free(msg);
	nomem();
	return NULL;
}

/* ---- what the objects' commands share ----------------------------------- */

int exit_of(int err)
{
	return err ? 1 : 0;
}

/* run a request whose replies are printed as a JSON array or as text */
int show(struct tsnic_nl *nl, struct nl_msg *msg, int maxattr,
	 tsnic_reply_fn fn, void *arg)
{
	int err;

	if (json) {
		json_init(pretty);
		json_open_array(NULL);
	}
	err = tsnic_nl_talk(nl, msg, maxattr, fn, arg);
	if (json) {
		json_close_array();
		json_end();
	}
	return exit_of(err);
}

/* JSON output of a command that shows one object, [ {...} ]: its start */
void json_begin_one(void)
{
	if (!json)
		return;
	json_init(pretty);
	json_open_array(NULL);
	json_open_object(NULL);
}

/* ... and its end */
void json_end_one(void)
{
	if (!json)
		return;
	json_close_object();
	json_close_array();
	json_end();
}

/* [DEV]: dev show, fault show */
int parse_opt_dev(int argc, char **argv, struct args *a)
{
	if (argc > 1)
		return unexpected(&argv[1]);
	return argc ? parse_dev(&argv[0], &a->dev) : 0;
}

static int enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tsnic: cannot open network namespace \"%s\": %s\n",
			name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "tsnic: cannot enter network namespace \"%s\": %s\n",
			name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* ---- objects, usage, main ----------------------------------------------- */

/* The placeholders of the usage, by the W_* bit of their line. */
static const char *const where_lines[] = {
	"KIND:",	/* and fault_kinds[] */
	"RATE: 1gbit, 100mbit, 12500kbps (bytes), 0 (unlimited); a bare number is bit/s",
	"TIME: 500ns, 5us, 1ms, 2s; a bare number is ns (ms for ts-timeout)",
	"PPB: 40ppm, -1500ppb; a bare number is ppb",
	"MASK: TX queues as bits, 0x1 is queue 0",
};

/* the objects, in the order of the usage */
static const struct object *const objects[] = {
	&dev_object, &queue_object, &ring_object, &stats_object, &fault_object,
	&monitor_object, &pin_object,
};

static const struct object *find_object(const char *word)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (matches(word, objects[i]->name) ||
		    (objects[i]->alias && matches(word, objects[i]->alias)))
			return objects[i];
	return NULL;
}

/* @o's lines of the usage, each after @first or, from the second, @next */
static void usage_lines(FILE *f, const struct object *o, const char *first,
			const char *next)
{
	const char *l, *end;

	for (l = o->usage; *l; l = end + 1) {
		end = strchr(l, '\n');
		fprintf(f, "%s%s%.*s\n", l == o->usage ? first : next,
			*l == ' ' ? "      " : "tsnic ", (int)(end - l), l);
	}
}

/*
 * The usage of @object, or all of it: on stdout when asked for (exit 0),
 * else on stderr (exit 2).
 */
static int usage(FILE *f, const char *object)
{
	const struct object *o = object ? find_object(object) : NULL;
	unsigned int where = 0;
	const char *lead = "where  ";
	size_t i;

	if (o) {
		usage_lines(f, o, "Usage: ", "       ");
		where = o->where;
	} else {
		fprintf(f,
			"Usage: tsnic [ OPTIONS ] OBJECT { COMMAND | help }\n"
			"       tsnic [ OBJECT ] help\n"
			"       tsnic { -V[ersion] | -h[elp] }\n"
			"where  OBJECT := {");
		for (i = 0; i < ARRAY_SIZE(objects); i++)
			fprintf(f, "%s %s", i ? " |" : "", objects[i]->name);
		fprintf(f,
			" }\n"
			"       OPTIONS := { -j[son] | -p[retty] | -s[tats] | -d[etails] |\n"
			"                    -n[etns] NETNS }\n"
			"\n");
		for (i = 0; i < ARRAY_SIZE(objects); i++)
			usage_lines(f, objects[i], "       ", "       ");
		where = ~0u;
	}
	for (i = 0; i < ARRAY_SIZE(where_lines); i++) {
		if (!(where & (1u << i)))
			continue;
		fprintf(f, "%s%s", lead, where_lines[i]);
		if (1u << i == W_KIND) {
			size_t k;

			for (k = 0; k < n_fault_kinds; k++)
				fprintf(f, " %s", fault_kinds[k]);
		}
		fputc('\n', f);
		lead = "       ";
	}
	if (!o)
		fprintf(f,
			"Options:\n"
			"  -j, -json           JSON output, keys named after the netlink attributes\n"
			"  -p, -pretty         indented JSON\n"
			"  -s, -stats          stats show: each queue's counters too\n"
			"  -d, -details        ring show: timestamps and the queue's counters\n"
			"  -n, -netns NETNS    run in network namespace NETNS (ip netns)\n"
			"  -V, -Version        print the version\n"
			"  -h, -help           print this\n"
			"Options go before the object; words abbreviate (-js, -st).\n"
			"Exit status: 0 success, 1 refused by the kernel or system, 2 usage error.\n");
	return f == stderr ? EXIT_USAGE : 0;
}

/*
 * OBJECT [COMMAND] of the command line: *@cmd, and how many words they
 * take (*@skip); -1, or the exit status of help or of a mistake.
 */
static int find_command(int argc, char **argv, const struct command **cmd,
			int *skip)
{
	const struct object *o = find_object(argv[0]);
	const struct command *c;

	if (!o) {
		fprintf(stderr, "Object \"%s\" is unknown, try \"tsnic help\".\n",
			argv[0]);
		return EXIT_USAGE;
	}
	object_name = o->name;
	if (argc > 1 && matches(argv[1], "help"))
		return usage(stdout, o->name);
	for (c = o->commands; c->parse; c++) {
		if (!c->name || argc < 2) {
			*cmd = c;
			*skip = c->name ? 2 : 1;	/* OBJECT [COMMAND] */
			return -1;
		}
		if (matches(argv[1], c->name)) {
			*cmd = c;
			*skip = 2;
			return -1;
		}
	}
	if (misplaced_option(&argv[1]))
		return EXIT_USAGE;
	fprintf(stderr, "Command \"%s\" is unknown, try \"tsnic %s help\".\n",
		argv[1], o->name);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const struct command *cmd = NULL;
	struct args a = { .qtype = -1 };
	struct tsnic_nl *nl;
	int ret, skip;

	cmdline = argv;
	cmdline_len = argc;
	argc--;
	argv++;
	ret = parse_options(&argc, &argv);
	if (ret >= 0)
		return ret;
	if (argc < 1)
		return usage(stderr, NULL);
	object_at = argv - cmdline;
	if (matches(argv[0], "help"))
		return usage(stdout, argc > 1 ? argv[1] : NULL);
	ret = find_command(argc, argv, &cmd, &skip);
	if (ret >= 0)
		return ret;

	/* every argument is checked before anything is asked of the system */
	if (argc < skip)
		skip = argc;
	ret = cmd->parse(argc - skip, argv + skip, &a);
	if (ret)
		goto out;
	if (netns && enter_netns(netns)) {
		ret = 1;
		goto out;
	}
	nl = tsnic_nl_open();
	if (!nl) {
		ret = 1;
		goto out;
	}
	tsnic_nl_set_words(nl, find_word, NULL);
	ret = cmd->run(nl, &a);
	tsnic_nl_close(nl);
out:
	nlmsg_free(a.msg);
	return ret;
}
