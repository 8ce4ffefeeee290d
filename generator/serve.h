/*
 * serve: `showcase serve`, a preview of the site on a loopback port that
 * rebuilds when the repository changes and reloads open pages.
 *
 * Where it builds: never into the user's output folder. A private folder
 * is made with mkdtemp (under $TMPDIR, named showcase-serve-XXXXXX) and
 * each build goes through the writer into its "site" subfolder, swapped in
 * whole as for `build` (write.h): a request sees the old site or the new
 * one. A failed build leaves the last good site in place; pages are still
 * served, with the diagnostics shown over them. The folder is removed when
 * the server stops (or, after a kill, by the next `serve`).
 *
 * What it watches (inotify): in committed mode, the repository's HEAD,
 * packed-refs and refs/heads/ (a commit, a checkout, a reset); with
 * --worktree, every folder of the site (a saved file). Events are debounced
 * for 150 ms and then the whole site is rebuilt (NEEDSWORK: incrementally).
 *
 * What it serves (libmicrohttpd, one thread per connection because reload
 * streams stay open): files of the built site only. The URL's path, with
 * the site's base path removed, must be a safe relative path
 * (write_path_is_safe: no "..", no backslash, no control character) and is
 * opened component by component without following symbolic links; anything
 * else is 404 or 400. HTML responses get a small script, injected into the
 * response only (never into the built files), that listens to the server's
 * events at /__showcase/events (server-sent events) and reloads the page
 * after each build.
 *
 * It binds to 127.0.0.1 unless --bind says otherwise.
 */
#ifndef SHOWCASE_SERVE_H
#define SHOWCASE_SERVE_H

extern const char serve_help[];

/* The command (argv[0] is "serve"); returns the exit code. */
int serve_command(int argc, char **argv);

#endif
