/* cmd.h — the labkit subcommands; each lives in cmd_<name>.c and only
 * parses its options (opt.h) and calls the library. */
#ifndef LABKIT_CMD_H
#define LABKIT_CMD_H

struct opt_cmd;
struct opt_list;
struct spec;
struct export_opts;

/*
 * What every command that works on a spec does first: parses its options
 * and, when they are good, loads the spec *spec_path names (an option of
 * the table) into *spec.  Returns -1 when the command can go on, else the
 * exit code to return (after --help, a usage error or a spec error).
 */
int cmd_begin(const struct opt_cmd *cmd, int argc, char **argv,
	      const char *const *spec_path, struct spec **spec);

int cmd_spec(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_grade(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* The export options labkit export and labkit grade share (--format,
 * repeatable or a,b; --id-column; --roster; --lang) as export_opts.
 * 0, or -1 reported. */
int cmd_export_options(const struct opt_list *formats, const char *id,
		       const char *roster, const char *lang,
		       struct export_opts *eo);
int cmd_xref(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_shell(int argc, char **argv);
int cmd_gdb(int argc, char **argv);

#endif
