/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for the command language: the registry and tokenizer
 * (app/softnet/cmd_parse.c) and the grammar of every command family
 * (app/softnet/cmd_*.c, built with -DAPP_CMD_PARSE_ONLY: no handler, no
 * DPDK). Build and run (see tests/fuzz/README.md):
 *
 *   tests/fuzz/build.sh && build-fuzz/fuzz_cmd -max_total_time=60 build-fuzz/corpus
 *
 * Every input must parse or fail with a one-line error that names a
 * problem, without reading or writing out of bounds; a parsed command must
 * hold values in the documented ranges. The same input is also completed
 * as the prompt's TAB and `?` do (app_cmd_complete(): the usage lines as
 * grammars): every choice once, each starting with the word typed.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The prompt's values for a placeholder, as prompt.c gives them (ports, kinds). */
static void
fuzz_values(const char *ph, struct app_cmd_choices *out)
{
	if (strstr(ph, "port") != NULL) {
		app_cmd_choice_add(out, "0", NULL);
		app_cmd_choice_add(out, "port0", NULL);
		app_cmd_choice_add(out, "net_null0", NULL);
		app_cmd_choice_add(out, "all", NULL);
	} else if (strcmp(ph, "<kind>") == 0) {
		app_cmd_choice_add(out, "pfifo", NULL);
	}
}

/*
 * Completion of the line as typed so far (TAB, `?`): every choice once,
 * a non-empty word, each typable one starting with the word being typed.
 */
static void
fuzz_complete(const char *line)
{
	static struct app_cmd_choices ch;
	size_t part = 0, len = strnlen(line, APP_CMD_LINE_MAX);
	unsigned int n = app_cmd_complete(line, &ch, &part, fuzz_values);

	if (n != ch.n || n > APP_CMD_CHOICES_MAX || part > len)
		abort();
	for (unsigned int i = 0; i < n; i++) {
		size_t l = strnlen(ch.word[i], sizeof(ch.word[i]));

		if (l == 0 || l == sizeof(ch.word[i]))
			abort();
		for (unsigned int j = 0; j < i; j++)
			if (strcmp(ch.word[i], ch.word[j]) == 0)
				abort();
		/* A word to type (no value placeholder) starts with the typed part. */
		if (strpbrk(ch.word[i], "<>|,[]%") == NULL && ch.word[i][0] >= 'a' &&
		    ch.word[i][0] <= 'z' && strchr(line, '#') == NULL &&
		    strncmp(ch.word[i], line + part, strcspn(line + part, " \t\r\n")) != 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	char err[APP_CMD_ERR_SIZE];
	char small[8];
	static struct app_cmd cmd;
	int rc;

	if (line == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	rc = app_cmd_parse(line, &cmd, err, sizeof(err));
	if (rc != 0) {
		/* One line, never empty. */
		if (err[0] == '\0' || strchr(err, '\n') != NULL)
			abort();
	} else {
		bool is_set = cmd.def != NULL && strcmp(cmd.def->name, "set") == 0;

		/* A command, or a blank line; a parsed command names its words. */
		if (cmd.def != NULL && (cmd.def->name == NULL || cmd.def->parse == NULL))
			abort();
		if (cmd.nb_words < 0 || cmd.nb_words > APP_CMD_TOKENS_MAX)
			abort();
		for (int i = 0; i < cmd.nb_words; i++)
			if (cmd.words[i] < cmd.line || cmd.words[i] >= cmd.line + sizeof(cmd.line) ||
			    cmd.words[i][0] == '\0')
				abort();
		if (cmd.has_txq && cmd.txq > APP_CMD_TXQ_MAX)
			abort();
		/* `all` and a port name are ports too; a name is a word of name characters. */
		if ((cmd.port_all || cmd.port_name[0] != '\0') && !cmd.has_port)
			abort();
		if (cmd.port_name[0] != '\0' &&
		    (cmd.port_all || strnlen(cmd.port_name, sizeof(cmd.port_name)) ==
		     sizeof(cmd.port_name) || strpbrk(cmd.port_name, " \t#") != NULL))
			abort();
		if (is_set && cmd.set.what == APP_SET_SIZE) {
			if (cmd.set.size.n == 0 || cmd.set.size.n > APP_IMIX_MAX)
				abort();
			for (uint32_t i = 0; i < cmd.set.size.n; i++)
				if (cmd.set.size.size[i] < APP_SIZE_MIN || cmd.set.size.size[i] > APP_SIZE_MAX ||
				    cmd.set.size.weight[i] == 0)
					abort();
		}
		if (is_set && cmd.set.what == APP_SET_FIELD) {
			char buf[64];

			if (cmd.set.fval.lo > cmd.set.fval.hi && cmd.set.fval.mode != APP_FIELD_RANDOM)
				abort();
			app_field_spec_format(cmd.set.field, &cmd.set.fval, buf, sizeof(buf));
		}
		if (is_set && cmd.set.what == APP_SET_RATE) {
			char buf[48];

			app_rate_format(&cmd.set.rate, buf, sizeof(buf));
		}
	}
	/* A tiny error buffer must truncate, not overflow. */
	app_cmd_parse(line, &cmd, small, sizeof(small));
	fuzz_complete(line);
	free(line);
	return 0;
}
