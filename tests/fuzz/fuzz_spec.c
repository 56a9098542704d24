/*
 * fuzz_spec.c — libFuzzer harness of the spec parser (`labkit spec`): the
 * input is a labs.yaml, parsed by spec_load_buffer() as if it were the
 * repository's own (so the paths it names are looked up beside it), every
 * problem formatted as labkit prints it.  A spec that loads is walked
 * through its lookups and turned into CMake by gen_cmake(), as `labkit
 * spec` does at configure time.  Seeds: every spec in the repository
 * (tests/scripts/fuzz.sh); dictionary: spec.dict.
 */
#include "fuzz.h"
#include "gen.h"
#include "spec.h"

/* Every lookup of the model finds what it was made from. */
static void walk(const struct spec *spec)
{
	struct sb cmake;

	for (size_t i = 0; i < spec->nexercises; i++) {
		const struct spec_exercise *ex = &spec->exercises[i];

		FUZZ_CHECK(spec_exercise(spec, ex->id) != NULL);
		for (size_t j = 0; j < ex->nsteps; j++) {
			const struct spec_exercise *in = NULL;

			FUZZ_CHECK(spec_step(spec, ex->steps[j].id, &in));
			FUZZ_CHECK(in != NULL);
			(void)spec_step_kind_name(ex->steps[j].kind);
			(void)spec_text_get(&ex->steps[j].question, "pl");
		}
	}
	for (size_t i = 0; i < spec->nkernels; i++)
		FUZZ_CHECK(spec_kernel(spec, spec->kernels[i].id));
	for (size_t i = 0; i < spec->nmodules; i++)
		FUZZ_CHECK(spec_module(spec, spec->modules[i].id));
	for (size_t i = 0; i < spec->nrootfs; i++)
		FUZZ_CHECK(spec_rootfs(spec, spec->rootfs[i].id));
	sb_init(&cmake);
	gen_cmake(spec, &cmake);
	FUZZ_CHECK(cmake.len > 0);
	sb_release(&cmake);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spec *spec = spec_load_buffer(LABKIT_SOURCE_DIR "/labs.yaml",
					     (const char *)data, size);

	if (spec)
		walk(spec);
	spec_free(spec);
	return 0;
}
