/*
 * fuzz_yamldoc.c — libFuzzer harness of the other small YAML files
 * labkit reads back through util/yamldoc.c: the input is loaded as a
 * grading plan (plan_load(), grade-plan.yaml, which `labkit spec --plan` writes), as a
 * grading's own facts (summary_grade_load(), grade.yaml, which `labkit
 * grade` writes and `--merge` reads from other machines; checked against
 * the repository's labs.yaml) and as a root file system's description
 * (guest_rootfs_load(), rootfs.yaml).  A grade.yaml that loads is
 * written back and must load to the same.  Seeds: tests/fuzz/seeds/yamldoc/
 * and tests/data/grade/class/grade.yaml; dictionary: yamldoc.dict.
 */
#include "fuzz.h"
#include "guest.h"
#include "plan.h"
#include "spec.h"
#include "summary.h"

static struct spec *spec;

static void plan(const char *path)
{
	struct plan p;

	if (plan_load(&p, path) < 0)
		return;
	for (size_t i = 0; i < p.nexercises; i++) {
		FUZZ_CHECK(p.exercises[i].id);
		FUZZ_CHECK(plan_exercise(&p, p.exercises[i].id));
		for (size_t j = 0; j < p.exercises[i].nmodules; j++)
			FUZZ_CHECK(*p.exercises[i].modules[j].headers);
	}
	plan_free(&p);
}

/* A grade.yaml, with and without the spec; what loads, written back,
 * loads the same. */
static void grade(const char *path)
{
	struct summary_grade g, back;
	char *again = xasprintf("%s/grade-again.yaml", fuzz_scratch());

	if (summary_grade_load(&g, path, spec) == 0)
		summary_grade_free(&g);
	if (summary_grade_load(&g, path, NULL) == 0) {
		FUZZ_CHECK(summary_grade_write(&g, again) == 0);
		FUZZ_CHECK(summary_grade_load(&back, again, NULL) == 0);
		FUZZ_CHECK(!strcmp(g.lab, back.lab));
		FUZZ_CHECK(g.nexercises == back.nexercises);
		for (size_t i = 0; i < g.nexercises; i++)
			FUZZ_CHECK(!strcmp(g.exercises[i], back.exercises[i]));
		summary_grade_free(&back);
		summary_grade_free(&g);
	}
	free(again);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	spec = spec_load(LABKIT_SOURCE_DIR "/labs.yaml");
	FUZZ_CHECK(spec != NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_file("rootfs.yaml", data, size);
	struct guest_rootfs rf;

	plan(path);
	grade(path);
	if (guest_rootfs_load(&rf, fuzz_scratch()) == 0)
		guest_rootfs_free(&rf);
	free(path);
	return 0;
}
