/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interactive prompt on DPDK's rte_cmdline: line editing, history,
 * completion of the first two words of every command (TAB; `?` lists the
 * choices). rte_cmdline only recognises the command family; the rest of the
 * line goes to the same parser as command files (cmd_parse.c), so both
 * accept exactly the same language and report the same errors.
 *
 * The main lcore polls the terminal (cmdline_poll) between rounds of idle
 * work: receive counting, per-second port rates, finished generators.
 */

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_string.h>
#include <cmdline_rdline.h>
#include <cmdline_socket.h>

#include <stddef.h>

#include <rte_common.h>

#include "cli.h"

static struct app *app_prompt_app;

struct app_res {
	cmdline_fixed_string_t w1;
	cmdline_fixed_string_t w2;
	cmdline_multi_string_t rest;
};

/* Which of the three words an instance has. */
#define APP_W2 1u
#define APP_REST 2u
#define APP_ANY 4u /* the catch-all: the whole line is in rest */

static void
app_prompt_cb(void *parsed, struct cmdline *cl, void *data)
{
	const struct app_res *r = parsed;
	uintptr_t has = (uintptr_t)data;
	char line[2 * sizeof(cmdline_fixed_string_t) + sizeof(cmdline_multi_string_t) + 4];

	if (has & APP_ANY)
		snprintf(line, sizeof(line), "%s", r->rest);
	else
		snprintf(line, sizeof(line), "%s%s%s%s%s", r->w1, (has & APP_W2) ? " " : "",
		 (has & APP_W2) ? r->w2 : "", (has & APP_REST) ? " " : "",
		 (has & APP_REST) ? r->rest : "");
	app_cli_line(app_prompt_app, line, NULL);
	if (app_cli_quitting(app_prompt_app))
		cmdline_quit(cl);
}

#define APP_TOK_W1(name, choices) \
	static cmdline_parse_token_string_t name = \
		TOKEN_STRING_INITIALIZER(struct app_res, w1, choices)
#define APP_TOK_W2(name, choices) \
	static cmdline_parse_token_string_t name = \
		TOKEN_STRING_INITIALIZER(struct app_res, w2, choices)

static cmdline_parse_token_string_t app_tok_rest =
	TOKEN_STRING_INITIALIZER(struct app_res, rest, TOKEN_STRING_MULTI);

APP_TOK_W1(app_tok_help, "help");
APP_TOK_W1(app_tok_quit, "quit#exit");
APP_TOK_W1(app_tok_port, "port");
APP_TOK_W2(app_tok_port2, "start#stop#config");
APP_TOK_W1(app_tok_show, "show");
APP_TOK_W2(app_tok_show2, "port#qdisc#softnet#gen#rx#config");
APP_TOK_W1(app_tok_clear, "clear");
APP_TOK_W2(app_tok_clear2, "port#rx");
APP_TOK_W1(app_tok_qdisc, "qdisc");
APP_TOK_W2(app_tok_qdisc2, "add#replace#change#del#delete#show");
APP_TOK_W1(app_tok_set, "set");
APP_TOK_W2(app_tok_set2, "size#rate#count#duration#burst#prio#lcores#port#format#"
			 "stats-period#mac-src#mac-dst#ip-src#ip-dst#sport#dport");
APP_TOK_W1(app_tok_startstop, "start#stop");
APP_TOK_W1(app_tok_wait, "wait#sleep");
APP_TOK_W1(app_tok_rx, "rx");
APP_TOK_W2(app_tok_rx2, "start#stop");

#define APP_INST1(name, help, t1) \
	static cmdline_parse_inst_t name = { \
		.f = app_prompt_cb, .data = (void *)(uintptr_t)0, .help_str = help, \
		.tokens = { (void *)&t1, NULL }, \
	}
#define APP_INST1R(name, help, t1) \
	static cmdline_parse_inst_t name = { \
		.f = app_prompt_cb, .data = (void *)(uintptr_t)APP_REST, .help_str = help, \
		.tokens = { (void *)&t1, (void *)&app_tok_rest, NULL }, \
	}
#define APP_INST2(name, help, t1, t2) \
	static cmdline_parse_inst_t name = { \
		.f = app_prompt_cb, .data = (void *)(uintptr_t)APP_W2, .help_str = help, \
		.tokens = { (void *)&t1, (void *)&t2, NULL }, \
	}
#define APP_INST2R(name, help, t1, t2) \
	static cmdline_parse_inst_t name = { \
		.f = app_prompt_cb, .data = (void *)(uintptr_t)(APP_W2 | APP_REST), \
		.help_str = help, .tokens = { (void *)&t1, (void *)&t2, (void *)&app_tok_rest, NULL }, \
	}

APP_INST1(app_i_help, "help [command]: list commands", app_tok_help);
APP_INST1R(app_i_help_r, "help <command>: one command's usage", app_tok_help);
APP_INST1(app_i_quit, "quit: stop, drain, summary, exit", app_tok_quit);
APP_INST1R(app_i_quit_r, "quit", app_tok_quit);
APP_INST1(app_i_port, "port start|stop <port> | port config <port> txqs <n>", app_tok_port);
APP_INST2(app_i_port2, "port start|stop <port> | port config <port> txqs <n>", app_tok_port,
	  app_tok_port2);
APP_INST2R(app_i_port2r, "port start|stop <port> | port config <port> txqs <n>", app_tok_port,
	   app_tok_port2);
APP_INST1(app_i_show, "show port info|stats <port> | qdisc [dev <port>] | softnet | gen | rx",
	  app_tok_show);
APP_INST2(app_i_show2, "show port info|stats <port> | qdisc [dev <port>] | softnet | gen | rx",
	  app_tok_show, app_tok_show2);
APP_INST2R(app_i_show2r, "show port info|stats <port> | qdisc [dev <port>] | softnet | gen | rx",
	   app_tok_show, app_tok_show2);
APP_INST1(app_i_clear, "clear port stats <port> | clear rx", app_tok_clear);
APP_INST2(app_i_clear2, "clear port stats <port> | clear rx", app_tok_clear, app_tok_clear2);
APP_INST2R(app_i_clear2r, "clear port stats <port> | clear rx", app_tok_clear, app_tok_clear2);
APP_INST1(app_i_qdisc, "qdisc add|replace|del dev <port> [txq <n>] root <kind> [params]",
	  app_tok_qdisc);
APP_INST2(app_i_qdisc2, "qdisc add|replace|del dev <port> [txq <n>] root <kind> [params]",
	  app_tok_qdisc, app_tok_qdisc2);
APP_INST2R(app_i_qdisc2r, "qdisc add|replace|del dev <port> [txq <n>] root <kind> [params]",
	   app_tok_qdisc, app_tok_qdisc2);
APP_INST1(app_i_set, "set <setting> <value>: configure the generator", app_tok_set);
APP_INST2(app_i_set2, "set <setting> <value>: configure the generator", app_tok_set,
	  app_tok_set2);
APP_INST2R(app_i_set2r, "set <setting> <value>: configure the generator", app_tok_set,
	   app_tok_set2);
APP_INST1(app_i_startstop, "start | stop: the generator", app_tok_startstop);
APP_INST1R(app_i_startstop_r, "start | stop", app_tok_startstop);
APP_INST1(app_i_wait, "wait [<seconds>] | sleep <seconds>", app_tok_wait);
APP_INST1R(app_i_wait_r, "wait [<seconds>] | sleep <seconds>", app_tok_wait);
APP_INST1(app_i_rx, "rx start <port> | rx stop: receive counting", app_tok_rx);
APP_INST2(app_i_rx2, "rx start <port> | rx stop: receive counting", app_tok_rx, app_tok_rx2);
APP_INST2R(app_i_rx2r, "rx start <port> | rx stop: receive counting", app_tok_rx, app_tok_rx2);

/*
 * Anything the instances above do not match (an unknown first word, an
 * unknown second word): a token that takes the whole line only then, so that
 * rte_cmdline never sees two matches, and our parser names the problem
 * instead of rte_cmdline's "Command not found" or "Bad arguments".
 */
static const struct {
	const char *w1;
	const char *w2; /* choices, or NULL: any line of this family matches above */
} app_families[] = {
	{ "help", NULL }, { "quit", NULL }, { "exit", NULL }, { "start", NULL },
	{ "stop", NULL }, { "wait", NULL }, { "sleep", NULL },
	{ "port", "start#stop#config" },
	{ "show", "port#qdisc#softnet#gen#rx#config" },
	{ "clear", "port#rx" },
	{ "qdisc", "add#replace#change#del#delete#show" },
	{ "set", "size#rate#count#duration#burst#prio#lcores#port#format#stats-period#mac-src#"
		 "mac-dst#ip-src#ip-dst#sport#dport" },
	{ "rx", "start#stop" },
};

static bool
app_choice(const char *choices, const char *w, size_t len)
{
	while (*choices != '\0') {
		size_t n = strcspn(choices, "#");

		if (n == len && strncmp(choices, w, len) == 0)
			return true;
		choices += n;
		if (*choices == '#')
			choices++;
	}
	return false;
}

static bool
app_is_end(char c)
{
	return c == '\0' || c == '\n' || c == '\r' || c == '#';
}

static int
app_any_parse(cmdline_parse_token_hdr_t *tk, const char *buf, void *res, unsigned int ressize)
{
	const char *w1 = buf, *w2;
	size_t l1, l2, len;

	while (*w1 == ' ' || *w1 == '\t')
		w1++;
	l1 = strcspn(w1, " \t\r\n#");
	w2 = w1 + l1;
	while (*w2 == ' ' || *w2 == '\t')
		w2++;
	l2 = strcspn(w2, " \t\r\n#");
	for (size_t i = 0; i < RTE_DIM(app_families); i++) {
		if (strlen(app_families[i].w1) != l1 || strncmp(app_families[i].w1, w1, l1) != 0)
			continue;
		if (app_families[i].w2 == NULL || l2 == 0 || app_is_end(*w2))
			return -1;
		if (app_choice(app_families[i].w2, w2, l2))
			return -1;
		break;
	}
	len = strlen(buf);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	if (len == 0)
		return -1;
	RTE_SET_USED(tk);
	if (res != NULL) {
		/* rte_cmdline passes the field itself (result + offset). */
		if (ressize < sizeof(cmdline_multi_string_t))
			return -1;
		snprintf(res, sizeof(cmdline_multi_string_t), "%.*s", (int)len, buf);
	}
	return (int)len;
}

static struct cmdline_token_ops app_any_ops = {
	.parse = app_any_parse,
};

static cmdline_parse_token_string_t app_tok_any = {
	.hdr = { .ops = &app_any_ops, .offset = offsetof(struct app_res, rest) },
};

static cmdline_parse_inst_t app_i_any = {
	.f = app_prompt_cb, .data = (void *)(uintptr_t)APP_ANY, .help_str = NULL,
	.tokens = { (void *)&app_tok_any, NULL },
};

static cmdline_parse_ctx_t app_prompt_ctx[] = {
	&app_i_help, &app_i_help_r, &app_i_quit, &app_i_quit_r,
	&app_i_port2, &app_i_port2r, &app_i_port,
	&app_i_show2, &app_i_show2r, &app_i_show,
	&app_i_clear2, &app_i_clear2r, &app_i_clear,
	&app_i_qdisc2, &app_i_qdisc2r, &app_i_qdisc,
	&app_i_set2, &app_i_set2r, &app_i_set,
	&app_i_startstop, &app_i_startstop_r, &app_i_wait, &app_i_wait_r,
	&app_i_rx2, &app_i_rx2r, &app_i_rx,
	&app_i_any,
	NULL,
};

int
app_prompt_run(struct app *app)
{
	struct cmdline *cl;
	struct termios t;
	int status = 0;

	app_prompt_app = app;
	cl = cmdline_stdin_new(app_prompt_ctx, "softnet> ");
	if (cl == NULL) {
		fprintf(stderr, "softnet: cannot open the prompt on stdin\n");
		return -1;
	}
	/* rte_cmdline turns signals off; keep Ctrl-C a graceful stop, as in the option mode. */
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &t) == 0) {
		t.c_lflag |= ISIG;
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
	}
	while (!app_cli_quitting(app)) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		bool busy = app->rx.on || app->running;
		int r = poll(&pfd, 1, busy ? 0 : 10);

		while (r > 0) {
			status = cmdline_poll(cl);
			if (status < 0 || status == RDLINE_EXITED)
				break;
			r = poll(&pfd, 1, 0);
		}
		if (status < 0 || status == RDLINE_EXITED)
			break;
		app_cli_idle(app);
	}
	cmdline_stdin_exit(cl);
	printf("\n");
	return 0;
}
