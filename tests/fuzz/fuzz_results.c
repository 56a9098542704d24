/*
 * fuzz_results.c — libFuzzer harness of the results loader: the input is
 * a results.yaml as a student's run may leave it, loaded by
 * results_load() as `labkit check`, the report and the grading read it.
 * Results that load are judged: every step of the repository's
 * labs.yaml that they hold, through check_judge() (its patterns run on
 * the loaded output), as `labkit check` does.  And they are written
 * back: what labkit writes it must read back, and a second round must
 * give the same bytes.  Seeds: every results.yaml under tests/data/
 * (tests/scripts/fuzz.sh); dictionary: results.dict.
 */
#include "check.h"
#include "fuzz.h"
#include "results.h"
#include "spec.h"

static struct spec *spec;

static void judge(const struct results *r)
{
	struct expand_vars vars;

	expand_vars_init(&vars);
	check_vars(spec, r, &vars);
	for (size_t i = 0; i < spec->nexercises; i++) {
		const struct spec_exercise *ex = &spec->exercises[i];

		for (size_t j = 0; j < ex->nsteps; j++) {
			struct check_judgement jd;

			if (!results_step(r, ex->steps[j].id))
				continue;
			check_judge(&ex->steps[j], r, &vars, &jd);
			FUZZ_CHECK(jd.verdict < VERDICT_COUNT);
			FUZZ_CHECK(jd.rs != NULL);
			check_judgement_free(&jd);
		}
	}
	expand_vars_free(&vars);
}

/* `r` written, read back and written again: the same bytes. */
static void round_trip(const struct results *r)
{
	char *a = xasprintf("%s/a.yaml", fuzz_scratch());
	char *b = xasprintf("%s/b.yaml", fuzz_scratch());
	char *da, *db;
	size_t la, lb;
	struct results back;

	FUZZ_CHECK(results_write(r, a) == 0);
	FUZZ_CHECK(results_load(&back, a) == 0);
	FUZZ_CHECK(back.nsteps == r->nsteps);
	FUZZ_CHECK(results_write(&back, b) == 0);
	FUZZ_CHECK(fs_read_file(a, &da, &la) == 0);
	FUZZ_CHECK(fs_read_file(b, &db, &lb) == 0);
	FUZZ_CHECK(la == lb && !memcmp(da, db, la));
	free(da);
	free(db);
	results_free(&back);
	free(b);
	free(a);
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
	char *path = fuzz_file("results.yaml", data, size);
	struct results r;

	if (results_load(&r, path) == 0) {
		judge(&r);
		round_trip(&r);
	}
	results_free(&r);
	free(path);
	return 0;
}
