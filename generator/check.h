/*
 * check: `showcase check`, the validation of a site with nothing written,
 * fast enough for a pre-commit hook.
 *
 * It runs the stages of a build up to the point where files would be
 * written (load_site: the snapshot, site.yaml, the theme with its
 * templates compiled, the schema, every record, references, output paths
 * that clash), then what a build would find while rendering: the links and
 * images of every body (render_check_bodies) and each yearly booklet's
 * template and directives (report_typeset to a throwaway print page; the
 * PDF is not laid out, which would cost seconds). The result is the exit
 * code of a build of the same snapshot: 0, 1 content, 2 usage, 3 system.
 * For speed (a hook must answer in under a second at 10,000 records) the
 * commit history is not walked (its dates and authors are shown, never
 * validated) and the bodies are checked on a thread while the booklets
 * are; the diagnostics are the same as one after the other.
 *
 * What is checked: a commit (--ref, default HEAD), the files on disk
 * (--worktree) or the index (--staged: what `git commit` would record,
 * REPO_INDEX in repo.h). With `language: zh-CN` each common error also
 * comes in Chinese (diag_msg.h).
 *
 * check_install_hook() writes the repository's pre-commit hook.
 */
#ifndef SHOWCASE_CHECK_H
#define SHOWCASE_CHECK_H

#include "load.h"

struct diag;

struct check_options {
	struct load_options build; /* dir, ref, worktree (REPO_*), theme,
				     * drafts, quiet */
};

/* Run the check; prints the diagnostics (and, unless quiet, a summary
 * line) to stderr and returns the exit code. */
int check_run(const struct check_options *o, struct diag *d);

/*
 * Write .git/hooks/pre-commit (or the folder core.hooksPath names) for the
 * repository that contains `dir`, running `showcase check --staged` on the
 * site at `dir`. An existing hook is replaced only if it carries the line
 * CHECK_HOOK_MARK (showcase wrote it); otherwise this is a usage error (2)
 * and the hook is left alone. `self` is the path of the running binary, or
 * NULL to find it through /proc/self/exe. Returns the exit code.
 */
#define CHECK_HOOK_MARK "# showcase-hook: written by 'showcase check --install-hook'"
int check_install_hook(const char *dir, const char *self, struct diag *d);

#endif
