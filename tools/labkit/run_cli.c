/* run_cli.c — the options of `labkit run` that labkit shell and gdb take
 * too (run_cli.h), made into run_opts.  Fails with a message. */
#include "run_cli.h"
#include "check.h"
#include "util.h"

#include <stdlib.h>

int run_cli_finish(struct run_cli *c, struct run_opts *o)
{
	static const char *const names[] = { "no-guest", "no-build", "no-xref" };
	const struct reason **to[] = { &o->no_guest, &o->no_build, &o->no_xref };

	vm_accel_parse(c->accel, &o->accel);   /* one of its choices */
	for (int i = 0; i < 3; i++) {
		if (!c->given[i] && c->args[i].n)
			return error("--%s-arg without --%s", names[i], names[i]);
		if (!c->given[i])
			continue;
		if (reason_from_option(&c->why[i], c->given[i], c->args[i].v,
				       c->args[i].n) < 0)
			return error("--%s: no reason of labkit's", names[i]);
		*to[i] = &c->why[i];
	}
	return 0;
}

void run_cli_free(struct run_cli *c)
{
	for (int i = 0; i < 3; i++) {
		reason_free(&c->why[i]);
		free(c->args[i].v);
	}
}

bool run_cli_step_failed(void *spec, const struct spec_step *st,
			 const struct results *res)
{
	return check_failed(spec, st, res);
}
