/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interactive prompt, on DPDK's line editor (rte_cmdline's rdline:
 * editing keys, history), with the app's own completion: TAB and `?` on
 * every word of a line, from the command registry (app_cmd_complete():
 * the usage lines of the commands, the families' complete hooks) and the
 * values the session has now (the ports by id and name, `all`, the qdisc
 * kinds the library has). Each choice is listed once. A whole line goes to
 * the same executor as command files (app_cli_line()), so both accept the
 * same language and report the same errors.
 *
 * The main lcore polls the terminal between rounds of idle work (receive
 * counting, per-second port rates, finished generators, progress lines).
 * What the idle work prints ("generator: stopped ...") is caught on a pipe
 * and printed above the line being typed, which is then drawn again, as
 * shells do with background jobs' messages.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <cmdline_rdline.h>

#include <rte_common.h>
#include <rte_ethdev.h>

#include <sn_netdev.h>
#include <sn_qdisc.h>

#include "cli.h"

#define APP_PROMPT "softnet> "
/* Room for what one round of idle work prints (progress lines, the run's end). */
#define APP_PROMPT_PIPE_SIZE (1 << 20)

struct app_prompt {
	struct app *app;
	struct rdline *rdl;
	int out;             /* the terminal (a copy of stdout): the editor writes here */
	int pipe_r, pipe_w;  /* idle work's output, caught (-1: not a terminal, no catching) */
	char obuf[4096];     /* the editor's output, written at once */
	size_t olen;
	/* Completion in progress: the choices, and whether `?` asked for them. */
	struct app_cmd_choices ch;
	struct app_cmd_choices subs; /* `?` on a shared first word: its second words */
	bool help;
};

static struct app_prompt app_prompt;

static void
app_prompt_flush(struct app_prompt *p)
{
	size_t off = 0;

	while (off < p->olen) {
		ssize_t n = write(p->out, p->obuf + off, p->olen - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	p->olen = 0;
}

static int
app_prompt_write_char(struct rdline *rdl, char c)
{
	struct app_prompt *p = rdline_get_opaque(rdl);

	if (p->olen == sizeof(p->obuf))
		app_prompt_flush(p);
	p->obuf[p->olen++] = c;
	return 0;
}

static void
app_prompt_puts(struct app_prompt *p, const char *s)
{
	while (*s != '\0')
		app_prompt_write_char(p->rdl, *s++);
}

/* ---- completion ---- */

/* What a value of the usage stands for now: ports, qdisc kinds. */
static void
app_prompt_values(const char *ph, struct app_cmd_choices *out)
{
	struct app *app = app_prompt.app;

	if (strstr(ph, "port") != NULL) {
		for (uint16_t id = 0; id < APP_MAX_PORTS; id++) {
			char name[RTE_ETH_NAME_MAX_LEN], num[8];

			if (!app->ports[id].valid)
				continue;
			snprintf(num, sizeof(num), "%u", id);
			app_cmd_choice_add(out, num, NULL);
			if (app->ports[id].dev != NULL)
				app_cmd_choice_add(out, sn_netdev_name(app->ports[id].dev), NULL);
			if (rte_eth_dev_get_name_by_port(id, name) == 0)
				app_cmd_choice_add(out, name, NULL);
		}
		app_cmd_choice_add(out, "all", NULL);
	} else if (strcmp(ph, "<kind>") == 0) {
		const char *kinds[32];
		unsigned int n = sn_qdisc_kinds(kinds, RTE_DIM(kinds));

		for (unsigned int i = 0; i < n && i < RTE_DIM(kinds); i++)
			app_cmd_choice_add(out, kinds[i], NULL);
	}
}

/* The longest start that every typable choice shares. */
static size_t
app_prompt_common(const struct app_cmd_choices *ch, const bool *typable, unsigned int *nb)
{
	size_t common = 0;
	const char *first = NULL;

	*nb = 0;
	for (unsigned int i = 0; i < ch->n; i++) {
		if (!typable[i])
			continue;
		if (first == NULL) {
			first = ch->word[i];
			common = strlen(first);
		} else {
			size_t k = 0;

			while (k < common && first[k] == ch->word[i][k])
				k++;
			common = k;
		}
		(*nb)++;
	}
	return common;
}

static bool
app_prompt_typable(const char *w)
{
	return strpbrk(w, "<>|,[]%") == NULL && !(w[0] >= 'A' && w[0] <= 'Z');
}

/* `?` on a shared first word ("show"): the word and its commands' second words. */
static void
app_prompt_family(const char *name, char *dst, unsigned int size)
{
	const struct app_cmd_def *d;
	struct app_cmd_choices *subs = &app_prompt.subs;
	size_t off;

	subs->n = 0;
	for (unsigned int i = 0; (d = app_cmd_def_at(i)) != NULL; i++)
		if (d->sub != NULL && strcmp(d->name, name) == 0) {
			char w[APP_CMD_CHOICE_SIZE];

			snprintf(w, sizeof(w), "%.*s", (int)strcspn(d->sub, "#"), d->sub);
			app_cmd_choice_add(subs, w, d);
		}
	off = (size_t)snprintf(dst, size, "%-16s %s", name, name);
	for (unsigned int i = 0; i < subs->n && off < size; i++)
		off += (size_t)snprintf(dst + off, size - off, "%s%s", i ? "|" : " ", subs->word[i]);
	if (off < size)
		snprintf(dst + off, size - off, " ...");
}

/*
 * rdline's completion callback. First call (*state 0: TAB, -1: `?`): find
 * the choices; TAB with one choice, or a longer common start, returns 2
 * and the characters to add. Else each call returns 1 and one line of the
 * list (rdline prints it) until 0.
 */
static int
app_prompt_complete(struct rdline *rdl, const char *buf, char *dst, unsigned int size,
		    int *state)
{
	struct app_prompt *p = rdline_get_opaque(rdl);
	struct app_cmd_choices *ch = &p->ch;
	unsigned int idx;

	if (*state <= 0) {
		bool typable[APP_CMD_CHOICES_MAX];
		unsigned int nb;
		size_t part, plen, common;

		p->help = *state < 0;
		app_cmd_complete(buf, ch, &part, app_prompt_values);
		plen = strlen(buf) - part;
		for (unsigned int i = 0; i < ch->n; i++)
			typable[i] = app_prompt_typable(ch->word[i]);
		common = app_prompt_common(ch, typable, &nb);
		if (!p->help && nb > 0 && (nb == 1 || common > plen)) {
			const char *w = NULL;

			for (unsigned int i = 0; i < ch->n && w == NULL; i++)
				if (typable[i])
					w = ch->word[i];
			snprintf(dst, size, "%.*s%s", (int)(common - plen), w + plen,
				 nb == 1 ? " " : "");
			return 2; /* RDLINE_RES_COMPLETE: add these characters */
		}
		if (!p->help && nb == 0)
			return 0;
		if (ch->can_end && p->help)
			app_cmd_choice_add(ch, "<return>", NULL);
		*state = 0;
	}
	idx = (unsigned int)*state;
	while (idx < ch->n && !p->help && !app_prompt_typable(ch->word[idx]))
		idx++;
	if (idx >= ch->n)
		return 0;
	*state = (int)idx + 1;
	if (p->help && ch->def[idx] != NULL && ch->def[idx]->sub != NULL &&
	    strcmp(ch->word[idx], ch->def[idx]->name) == 0)
		app_prompt_family(ch->def[idx]->name, dst, size);
	else if (p->help && ch->def[idx] != NULL)
		snprintf(dst, size, "%-16s %s", ch->word[idx], ch->def[idx]->what);
	else
		snprintf(dst, size, "%s", ch->word[idx]);
	return 1;
}

/* ---- lines ---- */

static void
app_prompt_validate(struct rdline *rdl, const char *buf, unsigned int size)
{
	struct app_prompt *p = rdline_get_opaque(rdl);
	char line[APP_CMD_LINE_MAX + 2];
	size_t len = strnlen(buf, size);

	RTE_SET_USED(size);
	app_prompt_flush(p);
	snprintf(line, sizeof(line), "%.*s", (int)len, buf);
	len = strcspn(line, "\r\n");
	line[len] = '\0';
	if (len > 0 && strspn(line, " \t") != len)
		rdline_add_history(rdl, line);
	/* The command writes to the terminal itself (not caught: nothing is typed meanwhile). */
	app_cli_line(p->app, line, NULL);
	fflush(stdout);
	fflush(stderr);
	if (app_cli_quitting(p->app))
		rdline_quit(rdl);
}

/*
 * Print what the idle work wrote above the line being typed: go to the
 * start of the line, clear it, print, then draw the prompt and the line
 * again with the cursor where it was.
 */
static void
app_prompt_async(struct app_prompt *p)
{
	char buf[8192];
	bool any = false, nl = true;
	ssize_t n;

	while ((n = read(p->pipe_r, buf, sizeof(buf))) > 0) {
		if (!any) {
			app_prompt_puts(p, "\r\033[K");
			app_prompt_flush(p);
			any = true;
		}
		/* The terminal keeps its output processing: '\n' goes to the first column. */
		for (ssize_t i = 0; i < n; i++)
			app_prompt_write_char(p->rdl, buf[i]);
		nl = buf[n - 1] == '\n';
	}
	if (!any)
		return;
	if (!nl)
		app_prompt_puts(p, "\r\n");
	/* rdline_redisplay() starts by going up and down one line: to this line's start. */
	rdline_redisplay(p->rdl);
	app_prompt_flush(p);
}

/* One round of idle work, its output caught when the prompt is on a terminal. */
static void
app_prompt_idle(struct app_prompt *p)
{
	int o1, o2;

	if (p->pipe_w < 0) {
		app_cli_idle(p->app);
		return;
	}
	fflush(stdout);
	fflush(stderr);
	o1 = dup(STDOUT_FILENO);
	o2 = dup(STDERR_FILENO);
	if (o1 < 0 || o2 < 0 || dup2(p->pipe_w, STDOUT_FILENO) < 0 ||
	    dup2(p->pipe_w, STDERR_FILENO) < 0) {
		if (o1 >= 0) {
			dup2(o1, STDOUT_FILENO);
			close(o1);
		}
		if (o2 >= 0) {
			dup2(o2, STDERR_FILENO);
			close(o2);
		}
		app_cli_idle(p->app);
		return;
	}
	app_cli_idle(p->app);
	fflush(stdout);
	fflush(stderr);
	dup2(o1, STDOUT_FILENO);
	dup2(o2, STDERR_FILENO);
	close(o1);
	close(o2);
	app_prompt_async(p);
}

static void
app_prompt_pipe_open(struct app_prompt *p)
{
	int fds[2];

	p->pipe_r = p->pipe_w = -1;
	if (!isatty(STDOUT_FILENO) || pipe(fds) != 0)
		return;
	/* The writer must never block (it is this thread): a large pipe, read each round. */
	fcntl(fds[1], F_SETPIPE_SZ, APP_PROMPT_PIPE_SIZE);
	fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
	fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK);
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	p->pipe_r = fds[0];
	p->pipe_w = fds[1];
}

int
app_prompt_run(struct app *app)
{
	struct app_prompt *p = &app_prompt;
	struct termios old, raw;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	bool eof = false;

	memset(p, 0, sizeof(*p));
	p->app = app;
	p->out = dup(STDOUT_FILENO);
	if (p->out < 0) {
		fprintf(stderr, "softnet: cannot open the prompt: %s\n", strerror(errno));
		return -1;
	}
	p->rdl = rdline_new(app_prompt_write_char, app_prompt_validate, app_prompt_complete, p);
	if (p->rdl == NULL) {
		close(p->out);
		fprintf(stderr, "softnet: cannot open the prompt on stdin\n");
		return -1;
	}
	app_prompt_pipe_open(p);
	/* Keys one by one, no echo (the editor draws); Ctrl-C stays a graceful stop. */
	if (tty) {
		raw = old;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_lflag |= ISIG;
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	fflush(stdout);
	rdline_newline(p->rdl, APP_PROMPT);
	app_prompt_flush(p);
	while (!app_cli_quitting(app) && !eof) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		/* Receive counting wants a tight poll; else wake every 10 ms (runs end, lines). */
		int r = poll(&pfd, 1, app->rx.on ? 0 : 10);

		if (r > 0) {
			char keys[256];
			ssize_t n = read(STDIN_FILENO, keys, sizeof(keys));

			if (n <= 0 && !(n < 0 && (errno == EINTR || errno == EAGAIN)))
				eof = true;
			for (ssize_t i = 0; i < n && !eof; i++) {
				int rc = rdline_char_in(p->rdl, keys[i]);

				if (rc == RDLINE_RES_VALIDATED && !app_cli_quitting(app))
					rdline_newline(p->rdl, APP_PROMPT);
				else if (rc == RDLINE_RES_EOF || rc == RDLINE_RES_EXITED ||
					 app_cli_quitting(app))
					eof = true;
				app_prompt_flush(p);
			}
		}
		if (!eof && !app_cli_quitting(app))
			app_prompt_idle(p);
	}
	app_prompt_flush(p);
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
	rdline_free(p->rdl);
	if (p->pipe_r >= 0) {
		close(p->pipe_r);
		close(p->pipe_w);
	}
	close(p->out);
	printf("\n");
	return 0;
}
