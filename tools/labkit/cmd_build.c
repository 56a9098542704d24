/* cmd_build.c — `labkit build --spec FILE --exercise ID --src DIR --obj DIR --out FILE`. */
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
#include "kbuild.h"
#include "opt.h"
#include "spec.h"
#include "util.h"

int cmd_build(int argc, char **argv)
{
	struct kbuild_opts o = { .jobs = (int)sysconf(_SC_NPROCESSORS_ONLN),
				 .ccache = true };
	const char *spec_path = NULL;
	struct opt_list fragments = { 0 };
	const struct opt opts[] = {
		OPTION("spec", 's', OPT_STRING, &spec_path, "<labs.yaml>", "the lab spec", .required = true),
		OPTION("exercise", 'e', OPT_STRING, &o.exercise, "<id>", "the exercise whose build steps make the kernel", .required = true),
		OPTION("src", 0, OPT_STRING, &o.src, "<tree>", "the kernel source tree", .required = true),
		OPTION("obj", 0, OPT_STRING, &o.obj, "<dir>", "the out-of-tree build dir", .required = true),
		OPTION("out", 'o', OPT_STRING, &o.out, "<results.yaml>", "where the build's results go", .required = true),
		OPTION("fresh", 0, OPT_FLAG, &o.fresh, NULL, "start from the base config and the fragments"),
		OPTION("config", 0, OPT_STRING, &o.config, "<target>", "the base config target (default: the spec's)"),
		OPTION("fragment", 0, OPT_LIST, &fragments, "<file>", "a config fragment merged after the spec's (repeatable)"),
		OPTION("jobs", 'j', OPT_INT, &o.jobs, "<n>", "make -j (default: the cores)"),
		OPTION("no-ccache", 0, OPT_UNSET, &o.ccache, NULL, "compile without ccache"),
		OPTION("distcc", 0, OPT_FLAG, &o.distcc, NULL, "send compiles to distcc's DISTCC_HOSTS (behind ccache)"),
		OPTION("quiet", 'q', OPT_FLAG, &o.quiet, NULL, "do not show the build's output"),
		OPT_END,
	};
	const struct opt_cmd cmd = {
		"build", "Builds an exercise's kernel from source with its build steps, timed.",
		NULL, 0, 0, opts, NULL,
	};
	struct spec *spec;
	int rc = cmd_begin(&cmd, argc, argv, &spec_path, &spec);

	if (rc >= 0)
		return rc;
	o.fragments = fragments.v;
	o.nfragments = fragments.n;
	rc = kbuild_run(spec, &o);
	free(fragments.v);
	spec_free(spec);
	return rc;
}
