/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The interactive prompt on DPDK's rte_cmdline: line editing, history,
 * completion of the first two words of every command (TAB; `?` lists the
 * choices). rte_cmdline only recognises the command family; the rest of the
 * line goes to the same parser as command files (cmd_parse.c), so both
 * accept exactly the same language and report the same errors. The
 * completion tokens are built from the command registry at start-up: a
 * command registered by its family's file is completed with no change here.
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
#include <stdlib.h>

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

/* Sizes of the tables built from the registry. */
#define APP_FAMS_MAX 32
#define APP_DEFS_MAX 64
#define APP_INSTS_MAX (APP_DEFS_MAX * 2 + APP_FAMS_MAX + 1)
#define APP_WORDS_SIZE 512

/* A first word with the second words its commands take, as token choices. */
struct app_fam {
	char w1[64];             /* "quit#exit" */
	char w2[APP_WORDS_SIZE]; /* "port#qdisc#softnet#gen#config#rx", or "" */
	char help[1024];         /* the family's usage */
	cmdline_parse_token_string_t tok1;
};

static struct app_fam app_fams[APP_FAMS_MAX];
static unsigned int app_nb_fams;
/* Each command's second-word token (its sub or its words), with its own help. */
static cmdline_parse_token_string_t app_tok2[APP_DEFS_MAX];
static cmdline_parse_ctx_t app_prompt_ctx[APP_INSTS_MAX + 1];

static cmdline_parse_token_string_t app_tok_rest =
	TOKEN_STRING_INITIALIZER(struct app_res, rest, TOKEN_STRING_MULTI);

static void
app_words_add(char *buf, size_t len, const char *words)
{
	size_t off = strlen(buf);

	if (words != NULL && words[0] != '\0')
		snprintf(buf + off, len - off, "%s%s", off ? "#" : "", words);
}

static void
app_token_set(cmdline_parse_token_string_t *t, size_t offset, const char *choices)
{
	memset(t, 0, sizeof(*t));
	t->hdr.ops = &cmdline_token_string_ops;
	t->hdr.offset = (unsigned int)offset;
	t->string_data.str = choices;
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
	for (unsigned int i = 0; i < app_nb_fams; i++) {
		if (!app_cmd_choice(app_fams[i].w1, w1, l1))
			continue;
		if (app_fams[i].w2[0] == '\0' || l2 == 0 || app_is_end(*w2))
			return -1;
		if (app_cmd_choice(app_fams[i].w2, w2, l2))
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

/* An instance with room for its NULL-terminated tokens (a flexible array). */
static cmdline_parse_inst_t *
app_inst_new(uintptr_t has, const char *help, void *t1, void *t2, void *t3)
{
	cmdline_parse_inst_t *in = calloc(1, sizeof(*in) + 4 * sizeof(in->tokens[0]));

	if (in == NULL)
		return NULL;

	in->f = app_prompt_cb;
	in->data = (void *)has;
	in->help_str = help;
	in->tokens[0] = t1;
	in->tokens[1] = t2;
	in->tokens[2] = t3;
	in->tokens[3] = NULL;
	return in;
}

static void
app_ctx_add(unsigned int *k, cmdline_parse_inst_t *in)
{
	if (in != NULL)
		app_prompt_ctx[(*k)++] = in;
}

static void
app_prompt_free(void)
{
	for (unsigned int k = 0; app_prompt_ctx[k] != NULL; k++)
		if (app_prompt_ctx[k] != &app_i_any)
			free(app_prompt_ctx[k]);
	app_prompt_ctx[0] = NULL;
	app_nb_fams = 0;
}

static struct app_fam *
app_fam_of(const char *name)
{
	for (unsigned int j = 0; j < app_nb_fams; j++)
		if (app_cmd_choice(app_fams[j].w1, name, strlen(name)))
			return &app_fams[j];
	return NULL;
}

/*
 * The families, their tokens and the instances, from the command registry:
 * per command, its first word and second word (its sub, or the words it
 * takes) with its own usage as the help `?` shows; per family, the first
 * word alone.
 */
static void
app_prompt_build(void)
{
	const struct app_cmd_def *d;
	unsigned int k = 0, i;

	memset(app_fams, 0, sizeof(app_fams));
	app_nb_fams = 0;
	for (i = 0; (d = app_cmd_def_at(i)) != NULL; i++) {
		struct app_fam *f = app_fam_of(d->name);

		if (f == NULL) {
			if (app_nb_fams == APP_FAMS_MAX)
				continue;
			f = &app_fams[app_nb_fams++];
			snprintf(f->w1, sizeof(f->w1), "%s", d->name);
			app_words_add(f->w1, sizeof(f->w1), d->aliases);
			app_cmd_usage(d->name, f->help, sizeof(f->help));
			app_token_set(&f->tok1, offsetof(struct app_res, w1), f->w1);
		}
		app_words_add(f->w2, sizeof(f->w2), d->sub);
		app_words_add(f->w2, sizeof(f->w2), d->words);
	}
	for (i = 0; (d = app_cmd_def_at(i)) != NULL && i < APP_DEFS_MAX; i++) {
		struct app_fam *f = app_fam_of(d->name);
		const char *w2 = d->sub != NULL ? d->sub : d->words;

		if (f == NULL || w2 == NULL)
			continue;
		app_token_set(&app_tok2[i], offsetof(struct app_res, w2), w2);
		app_ctx_add(&k, app_inst_new(APP_W2, d->usage, &f->tok1, &app_tok2[i], NULL));
		app_ctx_add(&k, app_inst_new(APP_W2 | APP_REST, d->usage, &f->tok1, &app_tok2[i],
					     &app_tok_rest));
	}
	for (unsigned int j = 0; j < app_nb_fams; j++) {
		struct app_fam *f = &app_fams[j];

		app_ctx_add(&k, app_inst_new(0, f->help, &f->tok1, NULL, NULL));
		if (f->w2[0] == '\0')
			app_ctx_add(&k, app_inst_new(APP_REST, f->help, &f->tok1, &app_tok_rest,
						     NULL));
	}
	app_prompt_ctx[k++] = &app_i_any;
	app_prompt_ctx[k] = NULL;
}

int
app_prompt_run(struct app *app)
{
	struct cmdline *cl;
	struct termios t;
	int status = 0;

	app_prompt_app = app;
	app_prompt_build();
	cl = cmdline_stdin_new(app_prompt_ctx, "softnet> ");
	if (cl == NULL) {
		app_prompt_free();
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
		/* Receive counting wants a tight poll; else wake every 10 ms (runs end, lines). */
		int r = poll(&pfd, 1, app->rx.on ? 0 : 10);

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
	app_prompt_free();
	printf("\n");
	return 0;
}
