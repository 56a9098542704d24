// SPDX-License-Identifier: GPL-2.0
/*
 * armcpu.c — the ARM lab's program: reads /proc/armid (the module armid)
 * and names the CPU its MIDR_EL1 describes, "Arm Cortex-A57 r1p0", as
 * Arm's manuals write it (variant r, revision p).  A guest program of
 * the arm64 guest: labkit compiles it with aarch64-linux-gnu-gcc -static
 * (labs.yaml's programs:), and it refuses to compile for another arch.
 */
#include <stdio.h>
#include <string.h>

#ifndef __aarch64__
#error "armcpu runs in the arm64 guest: compile it with aarch64-linux-gnu-gcc"
#endif

static const struct { unsigned int part; const char *name; } arm_parts[] = {
	{ 0xd03, "Cortex-A53" }, { 0xd04, "Cortex-A35" },
	{ 0xd05, "Cortex-A55" }, { 0xd07, "Cortex-A57" },
	{ 0xd08, "Cortex-A72" }, { 0xd09, "Cortex-A73" },
	{ 0xd0a, "Cortex-A75" }, { 0xd0b, "Cortex-A76" },
	{ 0xd0c, "Neoverse-N1" }, { 0xd40, "Neoverse-V1" },
	{ 0xd49, "Neoverse-N2" },
};

int main(void)
{
	unsigned int midr = 0, implementer, variant, part, revision;
	const char *name = NULL;
	char line[128];
	FILE *f = fopen("/proc/armid", "r");

	if (!f) {
		perror("armcpu: /proc/armid (is armid loaded?)");
		return 1;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "midr_el1: %x", &midr) == 1)
			break;
	fclose(f);
	if (!midr) {
		fprintf(stderr, "armcpu: no midr_el1 in /proc/armid\n");
		return 1;
	}
	implementer = midr >> 24;
	variant = (midr >> 20) & 0xf;
	part = (midr >> 4) & 0xfff;
	revision = midr & 0xf;
	for (size_t i = 0; implementer == 0x41 &&
	     i < sizeof(arm_parts) / sizeof(arm_parts[0]); i++)
		if (arm_parts[i].part == part)
			name = arm_parts[i].name;
	if (name)
		printf("Arm %s r%up%u\n", name, variant, revision);
	else
		printf("implementer 0x%02x part 0x%03x r%up%u\n", implementer,
		       part, variant, revision);
	return 0;
}
