// Browser test of `showcase serve` (issue 13): an open page reloads by
// itself after a commit, through the server-sent events of the script that
// serve injects, and shows the new text, with no action of the test on the
// page; a bad commit then shows the errors in place of the page.
//
// Usage: node serve_reload.mjs SHOWCASE FIXTURE_DIR
//   SHOWCASE      the binary under test
//   FIXTURE_DIR   a site to copy into a throwaway git repository
//                 (tests/integration/fixtures/minimal)
//
// Output: "ok - NAME" or "not ok - NAME" with the reason, then
// "# N passed, N failed"; exit status 1 on failure.

import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [SHOWCASE, FIXTURE] = process.argv.slice(2);
const CHROMIUM = '/usr/bin/chromium';
const WATCHDOG_MS = 90_000;
const NAME = 'serve: an open page reloads by itself after a commit, and shows a bad commit\'s errors';

const tmp = mkdtempSync(join(tmpdir(), 'showcase-serve-browser-'));
const site = join(tmp, 's');
const env = {
	...process.env,
	GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
	GIT_AUTHOR_NAME: 'tester', GIT_AUTHOR_EMAIL: 'tester@example.org',
	GIT_COMMITTER_NAME: 'tester', GIT_COMMITTER_EMAIL: 'tester@example.org',
};
const git = (...args) => execFileSync('git', ['-C', site, ...args], { env, stdio: 'pipe' });

function editTitle(path, from, to) {
	const text = readFileSync(path, 'utf8');
	writeFileSync(path, text.replace(from, to));
}

let server, context;
const watchdog = setTimeout(() => {
	console.log(`not ok - ${NAME}\n    the test hung for ${WATCHDOG_MS / 1000} s`);
	console.log('# 0 passed, 1 failed');
	process.exit(1);
}, WATCHDOG_MS);

async function main() {
	cpSync(FIXTURE, site, { recursive: true });
	git('init', '-q', '-b', 'main');
	git('add', '-A');
	git('commit', '-q', '-m', 'initial records');

	server = spawn(SHOWCASE, ['serve', '-C', site, '--port', '0'], { env });
	let out = '', err = '';
	server.stderr.on('data', (b) => { err += b; });
	const port = await new Promise((resolveP, reject) => {
		server.stdout.on('data', (b) => {
			out += b;
			const m = /127\.0\.0\.1:(\d+)/.exec(out);
			if (m) resolveP(m[1]);
		});
		server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
	});
	const base = `http://127.0.0.1:${port}`;
	const url = `${base}/peixun/projects/p1/`;

	context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
		executablePath: CHROMIUM,
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
			'--disable-background-networking', '--disable-dev-shm-usage'],
	});
	const page = await context.newPage();
	let loads = 0;
	page.on('load', () => { loads++; });
	await page.goto(url);
	const before = await page.textContent('h1');
	if (!before || before.includes('改过的项目名'))
		throw new Error(`unexpected first title: ${before}`);
	// No wait for the event stream: the script asks for the builds since
	// the page's own (?since=N), so a commit before it connects is not missed.

	const p1 = join(site, 'content/projects/p1.md');
	editTitle(p1, /^title: .*$/m, 'title: 改过的项目名');
	git('commit', '-q', '-am', 'rename');
	// Nothing is done to the page: serve's script must reload it.
	await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('改过的项目名'),
		null, { timeout: 30_000 });
	if (loads < 2)
		throw new Error(`the new title arrived without a reload (${loads} loads)`);

	// A bad commit: the open page reloads into the errors, the old text stays below.
	editTitle(p1, /^level: .*$/m, 'level: 乱写');
	git('commit', '-q', '-am', 'bad');
	await page.waitForFunction(() => document.body.innerHTML.includes('showcase-serve-errors'),
		null, { timeout: 30_000 });
	const html = await page.content();
	if (!html.includes('乱写'))
		throw new Error('the errors do not name the bad value');
	if (!html.includes('改过的项目名'))
		throw new Error('the last good page is not shown under the errors');
}

let status = 0;
try {
	await main();
	console.log(`ok - ${NAME}`);
	console.log('# 1 passed, 0 failed');
} catch (e) {
	status = 1;
	console.log(`not ok - ${NAME}\n    ${String(e && e.stack || e).replace(/\n/g, '\n    ')}`);
	console.log('# 0 passed, 1 failed');
} finally {
	clearTimeout(watchdog);
	if (context) await context.close().catch(() => {});
	if (server) server.kill();
	rmSync(tmp, { recursive: true, force: true });
}
process.exit(status);
