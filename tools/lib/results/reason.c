/*
 * reason.c — where a reason is worded: the catalog, one row per code
 * (reason.h) with its name in results.yaml, its arguments (name and
 * kind) and its English and Polish, "{name}" standing for an argument;
 * and the words of the results' statuses, outcomes and fault kinds in
 * both languages.  Rendering fills a template in: text as it is, a
 * status or fault by its name in English (as results.yaml spells it) and
 * by its word in Polish, a reason within in the same language.
 *
 * The reader of results format 1, which carried only the English, turns
 * it back into codes by the English templates of the rows that format 1
 * wrote (reason_from_english()).  Nothing here prints but the messages
 * of reason_from_pairs(); only running out of memory stops it.
 */
#include "reason.h"
#include "reason_int.h"
#include "results.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- the words of results ---- */

/* English: what a report says (results.yaml's names differ: skip). */
static const char *const status_words[STATUS_COUNT][LANG_COUNT] = {
	[STATUS_RAN] = { "wykonany", "ran" },
	[STATUS_SKIP] = { "pominięty", "skipped" },
	[STATUS_NOT_RUN] = { "niewykonany", "not run" },
	[STATUS_TIMEOUT] = { "przekroczony limit czasu", "timeout" },
	[STATUS_PANIC] = { "panika jądra", "kernel panic" },
	[STATUS_INTERRUPTED] = { "przerwany", "interrupted" },
	[STATUS_GUEST_EXIT] = { "gość zakończył działanie", "the guest exited" },
	[STATUS_ERROR] = { "błąd", "error" },
};

static const char *const outcome_words[OUTCOME_COUNT][LANG_COUNT] = {
	[OUTCOME_OK] = { "poprawny", "ok" },
	[OUTCOME_FAIL] = { "nieudany", "failed" },
	[OUTCOME_TIMEOUT] = { "przekroczony limit czasu", "timeout" },
	[OUTCOME_PANIC] = { "panika jądra", "kernel panic" },
	[OUTCOME_BOOT_FAIL] = { "gość się nie uruchomił", "the guest did not boot" },
	[OUTCOME_INTERRUPTED] = { "przerwany", "interrupted" },
	[OUTCOME_GUEST_EXIT] = { "gość zakończył działanie", "the guest exited" },
	[OUTCOME_ERROR] = { "błąd", "error" },
};

/* English: the spec's own names (oops:, warn:, panic:). */
static const char *const fault_words[FAULT_COUNT][LANG_COUNT] = {
	[FAULT_NONE] = { "brak", "none" },
	[FAULT_WARN] = { "ostrzeżenie", "warn" },
	[FAULT_OOPS] = { "oops", "oops" },
	[FAULT_PANIC] = { "panika jądra", "panic" },
};

const char *results_status_word(enum step_status s, enum lang l)
{
	return (unsigned)s < STATUS_COUNT && (unsigned)l < LANG_COUNT ?
	       status_words[s][l] : "?";
}

const char *results_outcome_word(enum run_outcome o, enum lang l)
{
	return (unsigned)o < OUTCOME_COUNT && (unsigned)l < LANG_COUNT ?
	       outcome_words[o][l] : "?";
}

const char *results_fault_word(enum fault_kind k, enum lang l)
{
	return (unsigned)k < FAULT_COUNT && (unsigned)l < LANG_COUNT ?
	       fault_words[k][l] : "?";
}

/* ---- the catalog ---- */

enum {
	V1 = 1,                  /* results format 1 wrote it in English */
	V1_NAME = 2,             /* ... as a status's name: read so where a
				    reason was (reason_from_english()) */
};

struct arg_spec {
	const char *name;
	enum reason_arg_kind kind;
};

static const struct row {
	const char *name;        /* in results.yaml */
	struct arg_spec args[REASON_ARGS];
	const char *en, *pl;
	unsigned flags;
} catalog[REASON_COUNT] = {
#define T(n) { n, REASON_ARG_TEXT }
#define S(n) { n, REASON_ARG_STATUS }
#define F(n) { n, REASON_ARG_FAULT }
#define R(n) { n, REASON_ARG_REASON }
	[REASON_NONE] = { "none", { { 0 } }, "", "", 0 },
	[REASON_TEXT] = { "text", { T("text") }, "{text}", "{text}", 0 },
	/* run/guest.c: guest.user, guest.accel_reason, guest.poweroff */
	[REASON_USER_SELF] = { "user-self", { { 0 } },
		"the user running labkit", "użytkownik uruchamiający labkit", V1 },
	[REASON_USER_ROOT_UNREADABLE] = { "user-root-unreadable", { { 0 } },
		"root: the kernel or the disk is not readable by 'nobody'",
		"root: użytkownik 'nobody' nie może czytać jądra lub dysku", V1 },
	[REASON_USER_ROOT_NO_NOBODY] = { "user-root-no-nobody", { { 0 } },
		"root: there is no user 'nobody'",
		"root: nie ma użytkownika 'nobody'", V1 },
	[REASON_USER_ROOT_NO_HOME] = { "user-root-no-home", { { 0 } },
		"root: cannot make its home",
		"root: nie można utworzyć jego katalogu domowego", V1 },
	[REASON_ACCEL_CACHED] = { "accel-cached", { R("why"), T("cache") },
		"{why}; cached in {cache}", "{why}; zapamiętane w {cache}", V1 },
	[REASON_ACCEL_PROBED] = { "accel-probed", { { 0 } },
		"probed", "sprawdzony", V1 },
	[REASON_ACCEL_CHOSEN] = { "accel-chosen", { { 0 } },
		"chosen with --accel", "wybrany opcją --accel", V1 },
	[REASON_KVM_NO_LOGIN] = { "kvm-no-login", { T("seconds"), R("why") },
		"a KVM guest did not reach login: within {seconds} s ({why})",
		"gość z KVM nie doszedł do login: w ciągu {seconds} s ({why})", V1 },
	[REASON_KVM_LOGIN] = { "kvm-login", { T("seconds") },
		"a KVM guest reached login: in {seconds} s",
		"gość z KVM doszedł do login: po {seconds} s", V1 },
	[REASON_KVM_UNUSABLE] = { "kvm-unusable", { T("error") },
		"/dev/kvm: {error}", "/dev/kvm: {error}", 0 },
	[REASON_POWEROFF_CLEAN] = { "poweroff-clean", { T("seconds") },
		"clean in {seconds} s", "wyłączony poprawnie po {seconds} s", V1 },
	[REASON_POWEROFF_KILLED] = { "poweroff-killed", { { 0 } },
		"killed", "zabity", V1 },
	/* console/console.c: console_status_reason() */
	[REASON_CONSOLE_TIMEOUT] = { "console-timeout", { { 0 } },
		"timeout", "przekroczony limit czasu", V1_NAME },
	[REASON_CONSOLE_CLOSED] = { "console-closed", { { 0 } },
		"console closed", "konsola zamknięta", V1 },
	[REASON_CONSOLE_PANIC] = { "console-panic", { { 0 } },
		"kernel panic", "panika jądra", V1 },
	[REASON_CONSOLE_INTERRUPTED] = { "console-interrupted", { { 0 } },
		"interrupted", "przerwany", V1_NAME },
	[REASON_CONSOLE_ERROR] = { "console-error", { { 0 } },
		"console error", "błąd konsoli", V1 },
	/* run/run.c: a run's detail, a step's reason */
	[REASON_STEP_PANIC] = { "step-panic", { T("step"), T("line") },
		"step {step}: '{line}'", "krok {step}: '{line}'", V1 },
	[REASON_STEP_ENDED] = { "step-ended", { T("step"), R("why") },
		"step {step}: {why}", "krok {step}: {why}", V1 },
	[REASON_BOOT_PANIC] = { "boot-panic", { T("line") },
		"boot: '{line}'", "uruchamianie: '{line}'", V1 },
	[REASON_BOOT_ENDED] = { "boot-ended", { R("why") },
		"boot: {why}", "uruchamianie: {why}", V1 },
	[REASON_GUEST_POWERED_OFF] = { "guest-powered-off", { T("step") },
		"the guest was powered off in step {step}",
		"gość został wyłączony w kroku {step}", V1 },
	[REASON_GUEST_STOPPED] = { "guest-stopped", { T("step") },
		"the guest was stopped when step {step} passed its deadline",
		"gość został zatrzymany, gdy krok {step} przekroczył limit czasu", V1 },
	[REASON_GUEST_DIED] = { "guest-died", { T("step") },
		"the guest died in step {step}", "gość przestał działać w kroku {step}", V1 },
	[REASON_NOT_EXPANDED] = { "not-expanded", { { 0 } },
		"the command did not expand", "nie udało się rozwinąć polecenia", V1 },
	[REASON_BEFORE_FAILED] = { "before-failed", { { 0 } },
		"its 'before:' command failed",
		"jego polecenie 'before:' nie powiodło się", V1 },
	[REASON_NO_POWEROFF] = { "no-poweroff", { { 0 } },
		"the guest did not power off", "gość się nie wyłączył", V1 },
	[REASON_LEFTOVER] = { "leftover", { { 0 } },
		"guest processes survived the kill",
		"procesy gościa przetrwały zabicie", V1 },
	[REASON_NO_ROOTFS] = { "no-rootfs", { { 0 } },
		"the root file system has no usable description",
		"główny system plików nie ma użytecznego opisu", V1 },
	[REASON_NO_BUILD_RESULTS] = { "no-build-results", { { 0 } },
		"no kernel build results were given (--build-results)",
		"nie podano wyników budowania jądra (--build-results)", V1 },
	[REASON_NO_XREF_INDEX] = { "no-xref-index", { { 0 } },
		"no cross-reference index was given (--xref-index)",
		"nie podano indeksu odwołań (--xref-index)", V1 },
	[REASON_NO_GUEST] = { "no-guest", { { 0 } },
		"the exercise has no guest to run it in",
		"ćwiczenie nie ma gościa, na którym można by je wykonać", V1 },
	[REASON_NO_GUEST_KIND] = { "no-guest-kind", { { 0 } },
		"no guest kind for this kernel's architecture",
		"żaden rodzaj gościa nie obsługuje architektury tego jądra", V1 },
	[REASON_NO_KERNEL_DIR] = { "no-kernel-dir", { { 0 } },
		"no guest kernel was given (--kernel-dir)",
		"nie podano jądra gościa (--kernel-dir)", V1 },
	[REASON_NO_DEVICES] = { "no-devices", { { 0 } },
		"the guest's devices could not be made",
		"nie udało się przygotować urządzeń gościa", 0 },
	[REASON_NO_EXTRA_SHELL] = { "no-extra-shell", { { 0 } },
		"boot: an extra console gave no shell",
		"rozruch: dodatkowa konsola nie dała powłoki", 0 },
	[REASON_BG_GONE] = { "bg-gone", { { 0 } },
		"the guest was gone before it ended",
		"gościa nie było już, zanim krok się zakończył", 0 },
	[REASON_BG_LATE] = { "bg-late", { T("seconds"), T("step") },
		"did not end within the {seconds} s step {step} waited for it (stopped with Ctrl-C)",
		"nie zakończył się w ciągu {seconds} s, przez które czekał na niego krok {step} (przerwany Ctrl-C)", 0 },
	[REASON_BG_UNFINISHED] = { "bg-unfinished", { { 0 } },
		"still running when the exercise ended (stopped with Ctrl-C)",
		"wciąż działał, gdy ćwiczenie się skończyło (przerwany Ctrl-C)", 0 },
	[REASON_BG_RUNNING] = { "bg-running", { { 0 } },
		"running in the background", "działa w tle", 0 },
	[REASON_KEYS_FAILED] = { "keys-failed", { { 0 } },
		"its keys could not be pressed",
		"nie udało się nacisnąć jego klawiszy", 0 },
	[REASON_NO_CONSOLE] = { "no-console", { { 0 } },
		"its console was not opened", "jego konsola nie została otwarta", 0 },
	[REASON_START_RESTORED] = { "start-restored", { T("dir"), T("seconds") },
		"restored from the guest saved in {dir} in {seconds} s",
		"odtworzony z gościa zapisanego w {dir} w {seconds} s", 0 },
	[REASON_START_COLD] = { "start-cold", { R("why") },
		"booted cold: {why}", "uruchomiony od zera: {why}", 0 },
	[REASON_SAVED_NONE] = { "saved-none", { T("dir") },
		"no guest is saved in {dir} (its target saves one)",
		"w {dir} nie ma zapisanego gościa (zapisuje go jego cel)", 0 },
	[REASON_SAVED_STALE] = { "saved-stale", { T("dir") },
		"the guest saved in {dir} was made from other inputs (its target saves it again)",
		"gość zapisany w {dir} powstał z innych danych (jego cel zapisze go ponownie)", 0 },
	[REASON_SAVED_QEMU] = { "saved-qemu", { T("said") },
		"QEMU could not start from the saved state: {said}",
		"QEMU nie uruchomił się z zapisanego stanu: {said}", 0 },
	[REASON_SAVED_NO_DISK] = { "saved-no-disk", { { 0 } },
		"the disk with this run's part could not be made",
		"nie udało się przygotować dysku z częścią tego uruchomienia", 0 },
	[REASON_SAVED_PAYLOAD] = { "saved-payload", { T("exit"), T("output") },
		"the restored guest could not take this run's part (exit {exit}): {output}",
		"odtworzony gość nie przyjął części tego uruchomienia (kod {exit}): {output}", 0 },
	[REASON_SAVED_SHELL] = { "saved-shell", { R("why") },
		"the restored guest's shell: {why}",
		"powłoka odtworzonego gościa: {why}", 0 },
	[REASON_UNSAVED_KIND] = { "unsaved-kind", { { 0 } },
		"its kind of guest cannot be saved",
		"tego rodzaju gościa nie da się zapisać", 0 },
	[REASON_UNSAVED_KERNEL] = { "unsaved-kernel", { { 0 } },
		"its kernel is not Debian's package, whose modules give it the disk a restored guest reads",
		"jego jądro nie pochodzi z pakietu Debiana, którego moduły dają dysk czytany przez odtworzonego gościa", 0 },
	[REASON_UNSAVED_DISK_BOOT] = { "unsaved-disk-boot", { { 0 } },
		"it boots from a disk, which its steps may change",
		"uruchamia się z dysku, który jego kroki mogą zmienić", 0 },
	[REASON_UNSAVED_INSTALLED] = { "unsaved-installed", { { 0 } },
		"its kernel is the one the exercise installs",
		"jego jądro to to, które instaluje ćwiczenie", 0 },
	[REASON_UNSAVED_DEVICES] = { "unsaved-devices", { { 0 } },
		"it has disks, a network, serial lines, consoles or a shared directory of its own",
		"ma własne dyski, sieć, linie szeregowe, konsole lub wspólny katalog", 0 },
	[REASON_UNSAVED_KEYS] = { "unsaved-keys", { { 0 } },
		"its steps press keys", "jego kroki naciskają klawisze", 0 },
	[REASON_UNSAVED_NO_CPIO] = { "unsaved-no-cpio", { { 0 } },
		"its root file system has no base.cpio and payload.cpio",
		"jego główny system plików nie ma base.cpio i payload.cpio", 0 },
	[REASON_UNSAVED_WORKBENCH] = { "unsaved-workbench", { { 0 } },
		"it has a debugger's stub or a shared directory",
		"ma zaczep debugera lub wspólny katalog", 0 },
	[REASON_HANDED_OVER] = { "handed-over", { T("tool") },
		"the guest was handed over to labkit {tool}",
		"gość został przekazany do labkit {tool}", 0 },
	[REASON_HANDED_OVER_AFTER] = { "handed-over-after", { T("tool"), T("step") },
		"the guest was handed over to labkit {tool} after step {step}",
		"gość został przekazany do labkit {tool} po kroku {step}", 0 },
	[REASON_GUEST_UNSUPPORTED] = { "guest-unsupported", { T("what") },
		"the guest cannot be run so: {what}",
		"gościa nie da się tak uruchomić: {what}", 0 },
	[REASON_UNKNOWN_STEP_KIND] = { "unknown-step-kind", { { 0 } },
		"unknown step kind", "nieznany rodzaj kroku", V1 },
	/* run/run_host.c */
	[REASON_HOST_DEADLINE] = { "host-deadline", { { 0 } },
		"the host command passed its deadline",
		"polecenie na gospodarzu przekroczyło limit czasu", V1 },
	[REASON_HOST_NO_START] = { "host-no-start", { { 0 } },
		"the host command could not start",
		"nie udało się uruchomić polecenia na gospodarzu", V1 },
	[REASON_BUILD_UNREADABLE] = { "build-unreadable", { { 0 } },
		"the kernel build's results cannot be read",
		"nie można odczytać wyników budowania jądra", V1 },
	[REASON_BUILD_NOT_RUN] = { "build-not-run", { { 0 } },
		"the kernel build did not run this step",
		"budowanie jądra nie wykonało tego kroku", V1 },
	/* cmake/LabKitKernels.cmake: --no-build, --no-guest, --no-xref */
	[REASON_KERNEL_PREBUILT] = { "kernel-prebuilt",
		{ T("kernel"), T("kernels"), T("prebuilt") },
		"kernel '{kernel}' is not built from source in this build tree "
		"(LABKIT_KERNELS={kernels}): the prebuilt {prebuilt} kernel boots instead",
		"jądro '{kernel}' nie jest budowane ze źródeł w tym drzewie budowania "
		"(LABKIT_KERNELS={kernels}): zamiast niego uruchamia się gotowe jądro {prebuilt}",
		V1 },
	[REASON_KERNEL_NOT_BUILT] = { "kernel-not-built", { T("kernel"), T("kernels") },
		"kernel '{kernel}' is not built from source in this build tree "
		"(LABKIT_KERNELS={kernels})",
		"jądro '{kernel}' nie jest budowane ze źródeł w tym drzewie budowania "
		"(LABKIT_KERNELS={kernels})", V1 },
	[REASON_NO_XREF_SOURCE] = { "no-xref-source", { T("path") },
		"no kernel source to index: {path} is missing (run tools/install-deps)",
		"brak źródeł jądra do zaindeksowania: nie ma {path} (uruchom tools/install-deps)",
		V1 },
	[REASON_XREF_UNSUPPORTED] = { "xref-unsupported", { { 0 } },
		"the cross-referencer (labkit xref) is not supported yet",
		"indeks odwołań (labkit xref) nie jest jeszcze obsługiwany", V1 },
	[REASON_NO_DEBIAN_KERNEL] = { "no-debian-kernel",
		{ T("kernel"), T("dir"), T("log") },
		"kernel '{kernel}': no linux-image package in {dir} and none could "
		"be downloaded ({log}); run tools/install-deps",
		"jądro '{kernel}': nie ma pakietu linux-image w {dir}, a pobranie "
		"go się nie udało ({log}); uruchom tools/install-deps", 0 },
	[REASON_NO_UML] = { "no-uml", { T("kernel") },
		"kernel '{kernel}': /usr/bin/linux.uml is not installed (run tools/install-deps)",
		"jądro '{kernel}': nie zainstalowano /usr/bin/linux.uml (uruchom tools/install-deps)",
		0 },
	[REASON_KERNEL_UNBUILT] = { "kernel-unbuilt", { T("kernel") },
		"no exercise builds kernel '{kernel}' (no build steps)",
		"żadne ćwiczenie nie buduje jądra '{kernel}' (nie ma kroków budowania)", 0 },
	[REASON_KERNEL_FROM_UNSUPPORTED] = { "kernel-from-unsupported",
		{ T("from"), T("arch") },
		"kernels from '{from}' for {arch} are not supported",
		"jądra z '{from}' dla {arch} nie są obsługiwane", 0 },
	/* cmake/LabKitRootfs.cmake: a guest of another user space than the
	 * host's whose busybox could not be had */
	[REASON_NO_GUEST_BUSYBOX] = { "no-guest-busybox",
		{ T("rootfs"), T("arch"), T("dir"), T("log") },
		"rootfs '{rootfs}': no busybox-static package for {arch} in {dir} "
		"and none could be downloaded ({log}); run tools/install-deps",
		"system plików '{rootfs}': nie ma pakietu busybox-static dla "
		"{arch} w {dir}, a pobranie go się nie udało ({log}); uruchom "
		"tools/install-deps", 0 },
	/* check/check.c: the explanation of a failed expectation */
	[REASON_PATTERN_UNDEFINED] = { "pattern-undefined", { T("pattern"), T("name") },
		"pattern '{pattern}': undefined variable '{name}'",
		"wzorzec '{pattern}': niezdefiniowana zmienna '{name}'", 0 },
	[REASON_PATTERN_BAD] = { "pattern-bad",
		{ T("pattern"), T("error"), T("offset") },
		"pattern '{pattern}': {error} at offset {offset}",
		"wzorzec '{pattern}': {error} w miejscu {offset}", 0 },
	[REASON_PATTERN_PRESENT] = { "pattern-present", { T("pattern"), T("text") },
		"pattern '{pattern}' must not appear, but does:\n  | {text}",
		"wzorzec '{pattern}' nie powinien wystąpić, a występuje:\n  | {text}", 0 },
	[REASON_PATTERN_MISSING_AFTER] = { "pattern-missing-after",
		{ T("pattern"), T("after"), R("lines") },
		"pattern '{pattern}' not found after '{after}'\n{lines}",
		"nie znaleziono wzorca '{pattern}' po '{after}'\n{lines}", 0 },
	[REASON_PATTERN_MISSING] = { "pattern-missing", { T("pattern"), R("lines") },
		"pattern '{pattern}' not found\n{lines}",
		"nie znaleziono wzorca '{pattern}'\n{lines}", 0 },
	[REASON_CLOSEST_LINES] = { "closest-lines", { T("lines") },
		"  closest lines of the output:\n{lines}",
		"  najbliższe linie wyjścia:\n{lines}", 0 },
	[REASON_WHOLE_OUTPUT] = { "whole-output", { T("output") },
		"  no line of the output comes close; the output was:\n{output}",
		"  żadna linia wyjścia nie jest podobna; całe wyjście:\n{output}", 0 },
	[REASON_EMPTY_OUTPUT] = { "empty-output", { { 0 } },
		"  no line of the output comes close; the output was:\n  (empty)\n",
		"  żadna linia wyjścia nie jest podobna; całe wyjście:\n  (puste)\n", 0 },
	[REASON_IN_HOST] = { "in-host", { R("why") },
		"in the output of the host command: {why}",
		"w wyjściu polecenia na gospodarzu: {why}", 0 },
	[REASON_IN_BOOT] = { "in-boot", { R("why") },
		"in the output (boot): {why}", "w konsoli przy starcie: {why}", 0 },
	[REASON_IN_KERNEL] = { "in-kernel", { R("why") },
		"in the output of the kernel: {why}", "w komunikatach jądra: {why}", 0 },
	[REASON_IN_BEFORE] = { "in-before", { R("why") },
		"in the output of the command before: {why}",
		"w wyjściu polecenia przed krokiem: {why}", 0 },
	[REASON_EXIT_STATUS] = { "exit-status", { T("status"), T("expected") },
		"exit status {status}, expected {expected}",
		"kod wyjścia {status}, oczekiwano {expected}", 0 },
	[REASON_EXIT_STATUS_HOST] = { "exit-status-host", { T("status"), T("expected") },
		"exit status of the host command {status}, expected {expected}",
		"kod wyjścia polecenia na gospodarzu {status}, oczekiwano {expected}", 0 },
	[REASON_EXIT_STATUS_BOOT] = { "exit-status-boot", { T("status"), T("expected") },
		"exit status (boot) {status}, expected {expected}",
		"kod wyjścia przy starcie {status}, oczekiwano {expected}", 0 },
	[REASON_EXIT_STATUS_KERNEL] = { "exit-status-kernel",
		{ T("status"), T("expected") },
		"exit status of the kernel {status}, expected {expected}",
		"kod wyjścia jądra {status}, oczekiwano {expected}", 0 },
	[REASON_EXIT_STATUS_BEFORE] = { "exit-status-before",
		{ T("status"), T("expected") },
		"exit status of the command before {status}, expected {expected}",
		"kod wyjścia polecenia przed krokiem {status}, oczekiwano {expected}", 0 },
	[REASON_WITH_OUTPUT] = { "with-output", { R("why"), T("output") },
		"{why}\n  output:\n{output}", "{why}\n  wyjście:\n{output}", 0 },
	[REASON_FAULT_NONE_SEEN] = { "fault-none-seen", { F("fault"), T("pattern") },
		"expected {fault} '{pattern}', but the kernel reported no fault",
		"oczekiwano błędu jądra ({fault}) pasującego do '{pattern}', a jądro "
		"nie zgłosiło żadnego", 0 },
	[REASON_FAULT_OTHER] = { "fault-other",
		{ F("fault"), T("pattern"), F("seen"), T("line") },
		"expected {fault} '{pattern}', but {seen}: '{line}'",
		"oczekiwano błędu jądra ({fault}) pasującego do '{pattern}', a jądro "
		"zgłosiło ({seen}): '{line}'", 0 },
	[REASON_AT] = { "at", { R("why"), T("where") },
		"{why}\n  at {where}", "{why}\n  w {where}", 0 },
	[REASON_AT_SOURCE] = { "at-source", { R("why"), T("where"), T("source") },
		"{why}\n  at {where}:\n{source}", "{why}\n  w {where}:\n{source}", 0 },
	[REASON_TIMEOUT_EXPECTED] = { "timeout-expected", { S("status") },
		"expected the step to pass its deadline, but it ended: {status}",
		"oczekiwano przekroczenia limitu czasu, a krok się zakończył: {status}", 0 },
	[REASON_UNFINISHED_WHY] = { "unfinished-why", { S("status"), R("why") },
		"the step did not run to the end: {status}: {why}",
		"krok nie dobiegł końca: {status}: {why}", 0 },
	[REASON_UNFINISHED] = { "unfinished", { S("status") },
		"the step did not run to the end: {status}",
		"krok nie dobiegł końca: {status}", 0 },
	[REASON_UNEXPECTED_FAULT] = { "unexpected-fault", { F("fault"), T("line") },
		"unexpected {fault}: '{line}'",
		"nieoczekiwany błąd jądra ({fault}): '{line}'", 0 },
	[REASON_FAULT_WHERE] = { "fault-where", { R("why"), T("where") },
		"{why} ({where})", "{why} ({where})", 0 },
#undef T
#undef S
#undef F
#undef R
};

const char *reason_name(enum reason_code code)
{
	return (unsigned)code < REASON_COUNT ? catalog[code].name : "?";
}

int reason_parse_name(const char *name, enum reason_code *code)
{
	for (int i = 0; name && i < REASON_COUNT; i++)
		if (!strcmp(name, catalog[i].name)) {
			*code = (enum reason_code)i;
			return 0;
		}
	return -1;
}

size_t reason_nargs(enum reason_code code)
{
	size_t n = 0;

	while ((unsigned)code < REASON_COUNT && n < REASON_ARGS &&
	       catalog[code].args[n].name)
		n++;
	return n;
}

const char *reason_arg_name(enum reason_code code, size_t i)
{
	return i < reason_nargs(code) ? catalog[code].args[i].name : NULL;
}

enum reason_arg_kind reason_arg_kind(enum reason_code code, size_t i)
{
	return i < reason_nargs(code) ? catalog[code].args[i].kind :
	       REASON_ARG_TEXT;
}

int reason_arg_index(enum reason_code code, const char *name)
{
	for (size_t i = 0; name && i < reason_nargs(code); i++)
		if (!strcmp(catalog[code].args[i].name, name))
			return (int)i;
	return -1;
}

/* ---- making and freeing ---- */

void reason_free(struct reason *r)
{
	for (size_t i = 0; i < REASON_ARGS; i++) {
		free(r->arg[i].text);
		if (r->arg[i].why) {
			reason_free(r->arg[i].why);
			free(r->arg[i].why);
		}
	}
	memset(r, 0, sizeof(*r));
}

void reason_copy(struct reason *to, const struct reason *from)
{
	struct reason copy = { from->code, { { NULL, 0, NULL } } };

	for (size_t i = 0; i < REASON_ARGS; i++) {
		const struct reason_arg *a = &from->arg[i];

		copy.arg[i].value = a->value;
		copy.arg[i].text = a->text ? xstrdup(a->text) : NULL;
		if (a->why) {
			copy.arg[i].why = xcalloc(1, sizeof(*a->why));
			reason_copy(copy.arg[i].why, a->why);
		}
	}
	reason_free(to);
	*to = copy;
}

/* Argument i of r from the va_list, as reason_set() takes it. */
static void take_arg(struct reason *r, size_t i, va_list *ap)
{
	const char *s;
	const struct reason *why;

	switch (catalog[r->code].args[i].kind) {
	case REASON_ARG_TEXT:
		s = va_arg(*ap, const char *);
		r->arg[i].text = xstrdup(s ? s : "");
		break;
	case REASON_ARG_STATUS:
	case REASON_ARG_FAULT:
		r->arg[i].value = va_arg(*ap, int);
		break;
	case REASON_ARG_REASON:
		why = va_arg(*ap, const struct reason *);
		if (why) {
			r->arg[i].why = xcalloc(1, sizeof(*why));
			reason_copy(r->arg[i].why, why);
		}
		break;
	}
}

void reason_setv(struct reason *r, enum reason_code code, va_list ap)
{
	struct reason made = { code, { { NULL, 0, NULL } } };
	va_list copy;

	va_copy(copy, ap);
	for (size_t i = 0; i < reason_nargs(code); i++)
		take_arg(&made, i, &copy);
	va_end(copy);
	reason_free(r);
	*r = made;
}

void reason_set(struct reason *r, enum reason_code code, ...)
{
	va_list ap;

	va_start(ap, code);
	reason_setv(r, code, ap);
	va_end(ap);
}

void reason_wrap(struct reason *r, enum reason_code outer, ...)
{
	struct reason made = { outer, { { NULL, 0, NULL } } };
	bool inner = false;
	va_list ap;

	va_start(ap, outer);
	for (size_t i = 0; i < reason_nargs(outer); i++) {
		if (!inner && catalog[outer].args[i].kind == REASON_ARG_REASON) {
			made.arg[i].why = xmalloc(sizeof(*r));
			*made.arg[i].why = *r;   /* taken over */
			inner = true;
			continue;
		}
		take_arg(&made, i, &ap);
	}
	va_end(ap);
	if (!inner)
		reason_free(r);
	*r = made;
}

/* ---- wording ---- */

size_t reason_placeholder(const char *p)
{
	size_t n = 1;

	if (*p != '{')
		return 0;
	while ((p[n] >= 'a' && p[n] <= 'z') || p[n] == '_')
		n++;
	return n > 1 && p[n] == '}' ? n - 1 : 0;
}

int reason_arg_at(enum reason_code code, const char *name, size_t len)
{
	for (size_t i = 0; i < reason_nargs(code); i++)
		if (strlen(catalog[code].args[i].name) == len &&
		    !strncmp(catalog[code].args[i].name, name, len))
			return (int)i;
	return -1;
}

static void say_arg(struct sb *out, const struct reason *r, int i,
		    enum lang lang)
{
	const struct reason_arg *a = &r->arg[i];

	switch (catalog[r->code].args[i].kind) {
	case REASON_ARG_TEXT:
		sb_adds(out, a->text ? a->text : "");
		break;
	case REASON_ARG_STATUS:   /* English: results.yaml's name */
		sb_adds(out, lang == LANG_EN ? results_status_name(a->value) :
			results_status_word(a->value, lang));
		break;
	case REASON_ARG_FAULT:
		sb_adds(out, lang == LANG_EN ? results_fault_name(a->value) :
			results_fault_word(a->value, lang));
		break;
	case REASON_ARG_REASON:
		if (a->why)
			reason_say(out, a->why, lang);
		break;
	}
}

void reason_say(struct sb *out, const struct reason *r, enum lang lang)
{
	const char *t;
	size_t len;
	int i;

	if ((unsigned)r->code >= REASON_COUNT || (unsigned)lang >= LANG_COUNT)
		return;
	t = lang == LANG_EN ? catalog[r->code].en : catalog[r->code].pl;
	for (const char *p = t; *p; p += len ? len + 2 : 1) {
		len = reason_placeholder(p);
		i = len ? reason_arg_at(r->code, p + 1, len) : -1;
		if (i < 0) {
			len = 0;
			sb_addc(out, *p);
			continue;
		}
		say_arg(out, r, i, lang);
	}
}

char *reason_text(const struct reason *r, enum lang lang)
{
	struct sb out;

	sb_init(&out);
	reason_say(&out, r, lang);
	return sb_detach(&out, NULL);
}

const char *reason_word(enum reason_code code, enum lang lang)
{
	if ((unsigned)code >= REASON_COUNT || reason_nargs(code))
		return "?";
	return lang == LANG_EN ? catalog[code].en : catalog[code].pl;
}

bool results_reason_names(const struct reason *r, enum step_status s)
{
	return (r->code == REASON_CONSOLE_TIMEOUT && s == STATUS_TIMEOUT) ||
	       (r->code == REASON_CONSOLE_INTERRUPTED &&
		s == STATUS_INTERRUPTED);
}

const char *reason_english_form(enum reason_code code, bool *v1,
				bool *name_only)
{
	*v1 = catalog[code].flags & (V1 | V1_NAME);
	*name_only = catalog[code].flags & V1_NAME;
	return catalog[code].en;
}

/* ---- the words, for tests ---- */

bool reason_words(size_t i, const char **pl, const char **en)
{
	static const struct {
		const char *const (*words)[LANG_COUNT];
		size_t n;
	} tables[] = {
		{ status_words, STATUS_COUNT },
		{ outcome_words, OUTCOME_COUNT },
		{ fault_words, FAULT_COUNT },
	};

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		if (i < tables[t].n) {
			*pl = tables[t].words[i][LANG_PL];
			*en = tables[t].words[i][LANG_EN];
			return true;
		}
		i -= tables[t].n;
	}
	if (i >= REASON_COUNT)
		return false;
	*pl = catalog[i].pl;
	*en = catalog[i].en;
	return true;
}
