/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Commands: rx start|stop (receive counting), rx mode (receive through
 * softnet's NET_RX on the receive lcore: poll or NAPI interrupt mode),
 * responder (ARP and ICMP echo), show rx, clear rx (rx.c).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "options.h"

#ifndef APP_CMD_PARSE_ONLY
#include <sn_rx.h>

#include "cli.h"
#include "rx.h"
#endif

enum { APP_RX_START, APP_RX_STOP, APP_RX_MODE };

/* The modes as `rx mode` takes them; cmd->set.u64 holds the index. */
enum { APP_RXM_POLL, APP_RXM_INTERRUPT, APP_RXM_OFF };

static int
app_rx_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *w = app_cmd_next(c);

	if (w == NULL)
		return app_cmd_err(c, "missing start or stop");
	if (strcmp(w, "start") == 0) {
		cmd->op = APP_RX_START;
		if (app_cmd_port(c, cmd) != 0)
			return -EINVAL;
	} else if (strcmp(w, "stop") == 0) {
		cmd->op = APP_RX_STOP;
	} else if (strcmp(w, "mode") == 0) {
		cmd->op = APP_RX_MODE;
		if (app_cmd_port_one(c, cmd) != 0)
			return -EINVAL;
		w = app_cmd_next(c);
		if (w == NULL)
			return app_cmd_err(c, "missing poll, interrupt or off");
		if (strcmp(w, "poll") == 0)
			cmd->set.u64 = APP_RXM_POLL;
		else if (strcmp(w, "interrupt") == 0)
			cmd->set.u64 = APP_RXM_INTERRUPT;
		else if (strcmp(w, "off") == 0)
			cmd->set.u64 = APP_RXM_OFF;
		else
			return app_cmd_err(c, "unknown mode '%s' (poll, interrupt, off)", w);
	} else {
		return app_cmd_err(c, "unknown '%s' (start, stop, mode)", w);
	}
	return app_cmd_end(c, NULL);
}

/* A.B.C.D/LEN (LEN 0..32; /32 if left out) into network-order @p ip and @p plen. */
int
app_str_ipv4_prefix(const char *s, uint32_t *ip, uint8_t *plen)
{
	char buf[INET_ADDRSTRLEN + 4];
	const char *slash = strchr(s, '/');
	struct in_addr a;
	uint64_t len = 32;
	size_t n = slash != NULL ? (size_t)(slash - s) : strlen(s);

	if (n == 0 || n >= INET_ADDRSTRLEN)
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1 || a.s_addr == 0)
		return -EINVAL;
	if (slash != NULL && (app_str_u64(slash + 1, &len) != 0 || len > 32))
		return -EINVAL;
	*ip = a.s_addr;
	*plen = (uint8_t)len;
	return 0;
}

static int
app_responder_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	const char *w;
	uint32_t ip;
	uint8_t plen;

	if (app_cmd_port_one(c, cmd) != 0)
		return -EINVAL;
	w = app_cmd_next(c);
	if (w == NULL)
		return app_cmd_err(c, "missing address (A.B.C.D/LEN) or off");
	if (strcmp(w, "off") == 0) {
		cmd->set.u64 = 0;
	} else {
		if (app_str_ipv4_prefix(w, &ip, &plen) != 0)
			return app_cmd_err(c, "'%s' is not an address A.B.C.D/LEN (like 10.77.0.2/24)",
					   w);
		cmd->set.u64 = (uint64_t)ip << 8 | plen;
	}
	return app_cmd_end(c, NULL);
}

static int
app_show_rx_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	return app_cmd_end(c, &cmd->json);
}

static int
app_clear_rx_parse(struct app_cmd_ctx *c, struct app_cmd *cmd)
{
	(void)cmd;
	return app_cmd_end(c, NULL);
}

#ifndef APP_CMD_PARSE_ONLY
static int
app_rx_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	struct app_port *p;
	int rc;

	if (c->op == APP_RX_MODE) {
		static const int modes[] = { SN_RX_POLL, SN_RX_INTERRUPT, APP_RX_MODE_OFF };

		return app_rx_mode_set(app, c->port, modes[c->set.u64], e);
	}
	if (c->op == APP_RX_STOP) {
		if (!app->rx.on)
			return app_fail(e, -EALREADY, "rx stop: receive counting is off");
		app_rx_stop(app);
		return 0;
	}
	rc = app_port_get(app, c->port, true, "rx start", e, &p);
	if (rc == 0)
		app_rx_start(app, c->port);
	return rc;
}

static int
app_responder_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	return app_rx_responder_set(app, c->port, (uint32_t)(c->set.u64 >> 8),
				    (uint8_t)(c->set.u64 & 0xff), e);
}

static int
app_show_rx_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	RTE_SET_USED(e);
	app_rx_drain(app, 0);
	app_rx_show(app, stdout, app_cli_json(app, c));
	return 0;
}

static int
app_clear_rx_exec(struct app *app, const struct app_cmd *c, struct app_err *e)
{
	RTE_SET_USED(c);
	RTE_SET_USED(e);
	app_rx_clear(app);
	return 0;
}

static void
app_rx_help(void)
{
	printf("rx mode: port <port>'s queue 0 is served by softnet's NET_RX on the receive\n"
	       "lcore (the last EAL worker, then no generator): `poll` busy-polls, `interrupt`\n"
	       "sleeps until the port's RX interrupt (NAPI; budget 64 per poll; a PMD without\n"
	       "RX interrupts falls back to polling), `off` gives the queue back to the main\n"
	       "lcore. Interrupt mode restarts the port once to turn its interrupts on.\n"
	       "responder <port> A.B.C.D/LEN answers ARP and ICMP echo for the address (the\n"
	       "port's MAC), the replies through the port's txq 0 qdisc at priority 6.\n"
	       "show rx: polls, interrupts, re-arms, budget exhausted, the lcore's sleeps.\n");
}
#endif /* APP_CMD_PARSE_ONLY */

static const struct app_cmd_def app_cmd_rx_def = {
	.name = "rx",
	.words = "start#stop#mode",
	.usage = "rx start <port> | rx stop | rx mode <port> poll|interrupt|off",
	.what = "count the generator's frames received on a port; receive through softnet "
		"(NET_RX on the receive lcore: busy poll or NAPI interrupts)",
	.help = APP_CMD_EXEC(app_rx_help),
	.rank = 110,
	.parse = app_rx_parse,
	.exec = APP_CMD_EXEC(app_rx_exec),
};
APP_CMD_REGISTER(app_cmd_rx_def)

static const struct app_cmd_def app_cmd_responder_def = {
	.name = "responder",
	.usage = "responder <port> <A.B.C.D/LEN>|off",
	.what = "answer ARP and ICMP echo for an address on a port (through its qdisc)",
	.rank = 111,
	.parse = app_responder_parse,
	.exec = APP_CMD_EXEC(app_responder_exec),
};
APP_CMD_REGISTER(app_cmd_responder_def)

static const struct app_cmd_def app_cmd_show_rx_def = {
	.name = "show",
	.sub = "rx",
	.usage = "show rx [json]",
	.what = "receive counting (received, lost, gaps, reordered, latency) and NAPI counters",
	.rank = 34,
	.parse = app_show_rx_parse,
	.exec = APP_CMD_EXEC(app_show_rx_exec),
};
APP_CMD_REGISTER(app_cmd_show_rx_def)

static const struct app_cmd_def app_cmd_clear_rx_def = {
	.name = "clear",
	.sub = "rx",
	.usage = "clear rx",
	.what = "zero the receive counters",
	.rank = 41,
	.parse = app_clear_rx_parse,
	.exec = APP_CMD_EXEC(app_clear_rx_exec),
};
APP_CMD_REGISTER(app_cmd_clear_rx_def)
