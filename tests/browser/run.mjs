// Browser tests of a built showcase site (the repository's sample, built by
// run.sh): the pages a visitor sees, loaded in headless Debian Chromium
// through playwright-core, and the whole site's links fetched from Node.
//
// Usage: node run.mjs SITE_DIR
//   SITE_DIR      output folder of `showcase build`
//   SHOWCASE_SHOTS=DIR   also save full-page screenshots of the home and
//                 case pages at 375 and 1280 pixels wide into DIR
//
// The site is served by a small static server of our own on 127.0.0.1 (a
// random free port), at the base path the site was built for. Every request
// the browser makes to another host is blocked and fails the page: the
// theme must make no external request. The network of the test machines is
// closed anyway; the Chromium flags below keep the browser itself quiet.
//
// Output: one "ok - NAME" or "not ok - NAME" line per test with the reasons
// indented below, then "# N passed, N failed"; the exit status is 1 when any
// test failed.

import { createServer } from 'node:http';
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const AXE = join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const CHROMIUM = '/usr/bin/chromium';
const HOST = '127.0.0.1';
const CRAWL_CAP = 2000;         // pages and files fetched by the link test
const WATCHDOG_MS = 150_000;    // the whole run; a hung browser fails loudly

const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.json': 'application/json',
	'.xml': 'application/xml',
	'.txt': 'text/plain; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.png': 'image/png',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.avif': 'image/avif',
	'.ico': 'image/x-icon',
	'.pdf': 'application/pdf',
	'.woff2': 'font/woff2',
	'.woff': 'font/woff',
};

// ---- A tiny test harness -------------------------------------------------

let passed = 0;
let failed = 0;

// test(NAME, FN): FN throws (or returns a rejected promise) to fail; an
// Error's message lists every problem found, one per line.
async function test(name, fn) {
	try {
		await fn();
		passed++;
		console.log(`ok - ${name}`);
	} catch (err) {
		failed++;
		console.log(`not ok - ${name}`);
		const text = err instanceof Error ? err.message : String(err);
		for (const line of text.split('\n'))
			console.log(`    ${line}`);
	}
}

// check(PROBLEMS, WHAT): throw one error listing PROBLEMS, if any.
function check(problems, what) {
	if (problems.length)
		throw new Error(`${what}:\n` + problems.map((p) => `  ${p}`).join('\n'));
}

// ---- The static server ---------------------------------------------------

// The base path the site was built for, read from its home page's
// stylesheet link (site.static_url is base_path + "static/").
function basePathOf(root) {
	const html = readFileSync(join(root, 'index.html'), 'utf8');
	const m = html.match(/<link rel="stylesheet" href="([^"]*)static\/style\.css"/);
	if (!m || !m[1].startsWith('/'))
		throw new Error(`${root}/index.html: no stylesheet link to find the base path`);
	return m[1];
}

function serve(root, basePath) {
	const notFound = join(root, '404.html');
	const server = createServer((req, res) => {
		const send404 = () => {
			res.writeHead(404, { 'Content-Type': TYPES['.html'] });
			if (req.method === 'HEAD')
				return res.end();
			createReadStream(notFound).on('error', () => res.end('not found')).pipe(res);
		};
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			res.writeHead(405, { Allow: 'GET, HEAD' });
			return res.end();
		}
		let path;
		try {
			path = decodeURIComponent(new URL(req.url, `http://${HOST}`).pathname);
		} catch {
			res.writeHead(400);
			return res.end();
		}
		if (!path.startsWith(basePath) || path.includes('\0'))
			return send404();
		let file = resolve(root, '.' + sep + path.slice(basePath.length));
		if (file !== root && !file.startsWith(root + sep))
			return send404();
		let st;
		try {
			st = statSync(file);
			if (st.isDirectory()) {
				if (!path.endsWith('/')) {
					res.writeHead(301, { Location: encodeURI(path + '/') });
					return res.end();
				}
				file = join(file, 'index.html');
				st = statSync(file);
			}
		} catch {
			return send404();
		}
		if (!st.isFile())
			return send404();
		res.writeHead(200, {
			'Content-Type': TYPES[extname(file).toLowerCase()] || 'application/octet-stream',
			'Content-Length': st.size,
			'Cache-Control': 'no-store',
		});
		if (req.method === 'HEAD')
			return res.end();
		createReadStream(file).pipe(res);
	});
	return new Promise((ok, fail) => {
		server.once('error', fail);
		server.listen(0, HOST, () => ok(server));
	});
}

// ---- Choosing the pages --------------------------------------------------

// The first record page (by slug) of COLLECTION whose HTML matches every
// pattern, as a base_path-relative path; the content may change, the kind
// of page a test needs stays.
function findRecord(root, collection, patterns, why) {
	const dir = join(root, collection);
	let slugs = [];
	try {
		slugs = readdirSync(dir).filter((s) => s !== 'page').sort();
	} catch {
		/* no such collection: reported below */
	}
	for (const slug of slugs) {
		let html;
		try {
			html = readFileSync(join(dir, slug, 'index.html'), 'utf8');
		} catch {
			continue;
		}
		if (patterns.every((p) => p.test(html)))
			return `${collection}/${slug}/`;
	}
	throw new Error(`the sample site has no ${collection} page ${why}`);
}

// ---- The link crawl ------------------------------------------------------

function decodeEntities(s) {
	return s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (m, e) =>
		({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e]);
}

// Links of a page: <a href>, and the files it loads (<link href>, <img src>).
function linksOf(html) {
	const out = [];
	const re = /<(a|link|img|script|source)\b[^>]*?\s(href|src)="([^"]*)"/gi;
	for (const m of html.matchAll(re))
		out.push(decodeEntities(m[3]));
	return out;
}

function idsOf(html) {
	const ids = new Set();
	for (const m of html.matchAll(/\sid="([^"]*)"/g))
		ids.add(decodeEntities(m[1]));
	return ids;
}

// Fetch every page and file reachable from the home page through links
// under the base path; every one must answer 200 (no redirect), and every
// #fragment must name an id of its page.
async function crawl(origin, basePath) {
	// The home page, and the not-found page that nothing links to.
	const starts = [origin + basePath, origin + basePath + '404.html'];
	const seen = new Map(starts.map((u) => [u, 'the start']));  // URL -> first page linking to it
	const queue = [...starts];
	const problems = [];
	const fragments = [];                            // [url, fragment, from]
	const pages = new Map();                         // url -> ids
	let fetched = 0;

	async function visit(url) {
		fetched++;
		let res;
		try {
			res = await fetch(url, { redirect: 'manual' });
		} catch (err) {
			problems.push(`${url} (linked from ${seen.get(url)}): ${err.message}`);
			return;
		}
		if (res.status !== 200) {
			problems.push(`${url} (linked from ${seen.get(url)}): HTTP ${res.status}`);
			await res.body?.cancel();
			return;
		}
		if (!(res.headers.get('content-type') || '').startsWith('text/html')) {
			await res.body?.cancel();
			return;
		}
		const html = await res.text();
		pages.set(url, idsOf(html));
		for (const href of linksOf(html)) {
			let target;
			try {
				target = new URL(href, url);
			} catch {
				problems.push(`${url}: unparsable link "${href}"`);
				continue;
			}
			if (target.origin !== origin || !target.pathname.startsWith(basePath))
				continue;
			if (target.hash.length > 1)
				fragments.push([target.origin + target.pathname, target.hash.slice(1), url]);
			target.hash = '';
			const key = target.href;
			if (!seen.has(key)) {
				seen.set(key, url);
				queue.push(key);
			}
		}
	}

	while (queue.length) {
		if (fetched >= CRAWL_CAP) {
			problems.push(`more than ${CRAWL_CAP} URLs: crawl stopped (raise CRAWL_CAP?)`);
			break;
		}
		const batch = queue.splice(0, Math.min(8, CRAWL_CAP - fetched));
		await Promise.all(batch.map(visit));
	}
	for (const [url, frag, from] of fragments) {
		const ids = pages.get(url);
		let id;
		try {
			id = decodeURIComponent(frag);
		} catch {
			id = frag;
		}
		if (ids && !ids.has(id))
			problems.push(`${from}: link to ${url}#${frag}: no element with id "${id}"`);
	}
	return { problems, fetched, pages: pages.size };
}

// ---- Page checks (run in the browser) ------------------------------------

// Load URL in a new page, recording what went wrong on the way: console
// errors, uncaught exceptions, failed requests and requests to other hosts
// (which are blocked). EXPECT is the HTTP status of the document.
async function loadPage(context, url, expect) {
	const page = await context.newPage();
	const problems = [];
	page.on('console', (msg) => {
		if (msg.type() !== 'error')
			return;
		// Chromium reports the 404 page's own status as a console error.
		if (expect === 404 && msg.location().url === url && /status of 404/.test(msg.text()))
			return;
		problems.push(`console error: ${msg.text()}`);
	});
	page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
	page.on('requestfailed', (req) => {
		if (new URL(req.url()).hostname === HOST)
			problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
	});
	page.on('response', (res) => {
		if (res.status() >= 400 && !(res.url() === url && res.status() === expect))
			problems.push(`HTTP ${res.status()}: ${res.url()}`);
	});
	const res = await page.goto(url, { waitUntil: 'load' });
	if (!res)
		problems.push('no response for the document');
	else if (res.status() !== expect)
		problems.push(`document answered HTTP ${res.status()}, expected ${expect}`);
	return { page, problems };
}

async function documentFacts(page) {
	return page.evaluate(() => ({
		lang: document.documentElement.getAttribute('lang'),
		h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
		noAlt: [...document.querySelectorAll('img:not([alt])')].map((i) => i.getAttribute('src')),
		brokenImages: [...document.querySelectorAll('img')]
			.filter((i) => i.complete && i.loading !== 'lazy' && i.naturalWidth === 0)
			.map((i) => i.getAttribute('src')),
	}));
}

// Elements wider than the viewport, the widest first: what to fix when the
// document overflows.
async function overflow(page) {
	return page.evaluate(() => {
		const doc = document.documentElement;
		const width = doc.clientWidth;
		const wide = [];
		if (doc.scrollWidth > width) {
			for (const el of document.body.querySelectorAll('*')) {
				const r = el.getBoundingClientRect();
				if (r.right > width + 0.5) {
					const cls = typeof el.className === 'string' && el.className
						? '.' + el.className.trim().split(/\s+/).join('.') : '';
					wide.push({ what: el.tagName.toLowerCase() + cls, right: Math.round(r.right) });
				}
			}
			wide.sort((a, b) => b.right - a.right);
		}
		return { scrollWidth: doc.scrollWidth, clientWidth: width, wide: wide.slice(0, 5) };
	});
}

async function axeViolations(page) {
	await page.addScriptTag({ path: AXE });
	const result = await page.evaluate(() =>
		window.axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
			resultTypes: ['violations'],
		}));
	return result.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}×) ` +
			v.nodes.slice(0, 3).map((n) => `\n      ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join('; ')}`).join(''));
}

// ---- Main ----------------------------------------------------------------

async function main() {
	const siteArg = process.argv[2];
	if (!siteArg) {
		console.error('usage: node run.mjs SITE_DIR');
		process.exit(2);
	}
	const root = resolve(siteArg);
	const shots = process.env.SHOWCASE_SHOTS;
	const watchdog = setTimeout(() => {
		console.log(`not ok - the browser tests finished within ${WATCHDOG_MS / 1000} s`);
		console.log(`# ${passed} passed, ${failed + 1} failed`);
		process.exit(1);
	}, WATCHDOG_MS);
	watchdog.unref();

	const basePath = basePathOf(root);
	const server = await serve(root, basePath);
	const origin = `http://${HOST}:${server.address().port}`;
	const base = origin + basePath;

	// What each checked page is, and which navigation entry it belongs to
	// (the one carrying aria-current), relative to the base path.
	const pages = [
		{ name: 'home', path: '', status: 200, nav: '', current: 'page', shot: 'home' },
		{ name: 'list (cases)', path: 'cases/', status: 200, nav: 'cases/', current: 'page' },
		{ name: 'list (reports)', path: 'reports/', status: 200, nav: 'reports/', current: 'page' },
		{ name: 'case with image and table', status: 200, nav: 'cases/', current: 'true', shot: 'case',
		  path: findRecord(root, 'cases', [/<img\b/, /<table\b/], 'with an image and a table') },
		{ name: 'case with a small cover', status: 200, nav: 'cases/', current: 'true', smallCover: true,
		  path: findRecord(root, 'cases', [/<figure class="cover">\s*<picture>\s*<img [^>]*width="240"/], 'with a cover 240 pixels wide') },
		{ name: 'studio', status: 200, nav: 'studios/', current: 'true',
		  path: findRecord(root, 'studios', [/class="timeline"/], 'with achievements or cases') },
		{ name: 'selection', status: 200, nav: 'selections/', current: 'true',
		  path: findRecord(root, 'selections', [/class="data-table/], 'with a table of entries') },
		{ name: 'search', path: 'search/', status: 200, nav: 'search/', current: 'page', shot: 'search' },
		{ name: 'year page', path: 'years/2024/', status: 200, nav: null, shot: 'year' },
		{ name: 'statistics', path: 'stats/', status: 200, nav: 'stats/', current: 'page', shot: 'stats' },
		{ name: 'figure and its records', path: 'stats/trainees/2024/', status: 200, nav: null },
		{ name: 'taxonomy index', path: 'projects/by-level/', status: 200, nav: 'projects/', current: 'true' },
		{ name: 'taxonomy term (Chinese, percent-encoded)', status: 200, nav: 'projects/', current: 'true',
		  path: `projects/by-region/${encodeURIComponent('河阳县')}/` },
		{ name: '404', path: 'no-such-page/', status: 404, nav: null },
	];

	const profile = mkdtempSync(join(tmpdir(), 'showcase-chromium-'));
	let context;
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			viewport: { width: 1280, height: 800 },
			args: [
				'--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
				'--no-first-run', '--disable-background-networking',
				'--disable-component-update', '--disable-sync',
				'--disable-dev-shm-usage',
				// Nothing but the test server is reachable, by name or not.
				`--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${HOST}`,
			],
		});
	} catch (err) {
		rmSync(profile, { recursive: true, force: true });
		server.close();
		console.log(`not ok - Chromium starts (${CHROMIUM})`);
		console.log(`    ${err.message.split('\n').join('\n    ')}`);
		console.log(`# ${passed} passed, ${failed + 1} failed`);
		process.exit(1);
	}
	context.setDefaultTimeout(15_000);

	// Layout shifts (what images without a size cause as they arrive),
	// summed over each page's life.
	await context.addInitScript(() => {
		window.__layoutShift = 0;
		try {
			new PerformanceObserver((list) => {
				for (const e of list.getEntries())
					if (!e.hadRecentInput)
						window.__layoutShift += e.value;
			}).observe({ type: 'layout-shift', buffered: true });
		} catch { /* no Layout Instability API: nothing counted */ }
	});

	// Block and record every request to another host, for all pages.
	const external = [];
	await context.route('**/*', (route) => {
		const u = new URL(route.request().url());
		if (u.protocol === 'data:' || u.protocol === 'blob:' || u.hostname === HOST)
			return route.continue();
		external.push(`${route.request().url()} (from ${route.request().frame()?.url() ?? '?'})`);
		return route.abort('blockedbyclient');
	});

	try {
		for (const p of pages) {
			const url = base + p.path;
			let loaded;
			await test(`${p.name}: ${basePath}${p.path} answers ${p.status}, no console error, no failed or external request`, async () => {
				const before = external.length;
				loaded = await loadPage(context, url, p.status);
				const problems = loaded.problems.concat(
					external.slice(before).map((e) => `request to another host: ${e}`));
				check(problems, `${url}`);
			});
			const page = loaded?.page;
			if (!page)
				continue;

			await test(`${p.name}: html lang is zh-CN, every image has alt and loads, exactly one h1`, async () => {
				const f = await documentFacts(page);
				const problems = [];
				if (f.lang !== 'zh-CN')
					problems.push(`<html lang="${f.lang}">, expected zh-CN`);
				if (f.h1.length !== 1)
					problems.push(`${f.h1.length} h1 elements: ${JSON.stringify(f.h1)}`);
				for (const src of f.noAlt)
					problems.push(`img without alt: ${src}`);
				for (const src of f.brokenImages)
					problems.push(`img that did not load: ${src}`);
				check(problems, url);
			});

			await test(`${p.name}: images have a width and height, are never shown wider than that or out of proportion, and nothing shifts while they load`, async () => {
				await page.setViewportSize({ width: 1280, height: 800 });
				// Scroll through, so that lazy images load, then back.
				await page.evaluate(async () => {
					if (!document.images.length)
						return;
					for (let y = 0; y < document.body.scrollHeight; y += 700) {
						window.scrollTo(0, y);
						await new Promise((r) => setTimeout(r, 20));
					}
					window.scrollTo(0, 0);
					await Promise.all([...document.images].map((i) => i.decode().catch(() => {})));
				});
				const r = await page.evaluate(() => ({
					shift: window.__layoutShift,
					images: [...document.images].map((i) => {
						const box = i.getBoundingClientRect();
						return {
							src: i.currentSrc || i.src, svg: /\.svg(#|\?|$)/.test(i.getAttribute('src')),
							cropped: getComputedStyle(i).objectFit === 'cover',
							w: Number(i.getAttribute('width')), h: Number(i.getAttribute('height')),
							shownW: box.width, shownH: box.height,
							room: i.closest('figure, .prose, .card')?.getBoundingClientRect().width ?? 0,
						};
					}),
				}));
				const problems = [];
				for (const i of r.images) {
					if (i.svg)
						continue;
					if (!i.w || !i.h) {
						problems.push(`${i.src}: no width and height attributes`);
						continue;
					}
					// A card's cover fills its 16:9 box, cropped (object-fit:
					// cover): the one image that may be shown larger.
					if (!i.cropped && i.shownW > i.w + 0.5)
						problems.push(`${i.src}: ${i.w} pixels wide, shown ${i.shownW} wide`);
					if (!i.cropped && i.shownW && Math.abs(i.shownH / i.shownW - i.h / i.w) > 0.02)
						problems.push(`${i.src}: ${i.w}x${i.h} shown ${i.shownW}x${i.shownH}`);
				}
				if (r.shift > 0.01)
					problems.push(`the layout shifted by ${r.shift.toFixed(3)} (cumulative layout shift)`);
				// A sample case has a cover narrower than the text column
				// (240 x 135): it keeps its own width (covers were once
				// stretched to the column's).
				if (p.smallCover && !r.images.some((i) => i.w && i.w < i.room - 1 && Math.abs(i.shownW - i.w) < 0.5))
					problems.push(`no image narrower than its column shown at its own width: ${JSON.stringify(r.images)}`);
				check(problems, url);
			});

			await test(`${p.name}: the skip link is the first focusable element and moves focus to main`, async () => {
				// From the top of a freshly loaded document.
				await page.goto(url, { waitUntil: 'load' });
				await page.keyboard.press('Tab');
				const first = await page.evaluate(() => {
					const a = document.activeElement;
					const r = a.getBoundingClientRect();
					return { cls: a.className, href: a.getAttribute('href'), text: a.textContent.trim(),
						visible: r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight };
				});
				// Enter on any other link would leave the page.
				if (first.cls !== 'skip-link' || first.href !== '#main')
					throw new Error(`${url}: first Tab focuses ${JSON.stringify(first)}, expected a.skip-link href="#main"`);
				const problems = [];
				if (!first.visible)
					problems.push('the focused skip link is not visible in the viewport');
				await page.keyboard.press('Enter');
				const after = await page.evaluate(() => ({
					tag: document.activeElement.tagName.toLowerCase(), id: document.activeElement.id }));
				if (after.tag !== 'main' || after.id !== 'main')
					problems.push(`after Enter the focus is on ${after.tag}#${after.id}, expected main#main`);
				check(problems, url);
			});

			await test(`${p.name}: the navigation marks ${p.nav === null ? 'no section' : `"${basePath}${p.nav}"`} with aria-current`, async () => {
				const marked = await page.$$eval('nav.site-nav a[aria-current]', (as) =>
					as.map((a) => ({ href: a.getAttribute('href'), value: a.getAttribute('aria-current') })));
				const want = p.nav === null ? [] : [{ href: basePath + p.nav, value: p.current }];
				if (JSON.stringify(marked) !== JSON.stringify(want))
					throw new Error(`${url}: nav links with aria-current ${JSON.stringify(marked)}, expected ${JSON.stringify(want)}`);
			});

			await test(`${p.name}: axe-core finds no serious or critical WCAG 2 A/AA violation`, async () => {
				check(await axeViolations(page), `${url}: axe-core violations`);
			});

			await test(`${p.name}: no horizontal overflow at 375×740`, async () => {
				await page.setViewportSize({ width: 375, height: 740 });
				const o = await overflow(page);
				if (shots && p.shot)
					await page.screenshot({ path: join(shots, `${p.shot}-375.png`), fullPage: true });
				if (o.scrollWidth > o.clientWidth)
					throw new Error(`${url}: document is ${o.scrollWidth}px wide in a ${o.clientWidth}px viewport; ` +
						`widest: ${o.wide.map((w) => `${w.what} (right edge ${w.right}px)`).join(', ')}`);
			});

			await test(`${p.name}: at 375 wide every section of the menu is on screen, the current one too`, async () => {
				await page.setViewportSize({ width: 375, height: 740 });
				const nav = await page.evaluate(() => {
					window.scrollTo(0, 0);
					const list = document.querySelector('nav.site-nav ul');
					return {
						scrolls: list.scrollWidth > list.clientWidth + 1,
						links: [...list.querySelectorAll('a')].map((a) => {
							const r = a.getBoundingClientRect();
							return { href: a.getAttribute('href'), current: a.hasAttribute('aria-current'),
								left: r.left, right: r.right, top: r.top, bottom: r.bottom,
								shown: r.width > 0 && r.height > 0 && getComputedStyle(a).visibility !== 'hidden' };
						}),
					};
				});
				const problems = [];
				if (nav.scrolls)
					problems.push('the menu scrolls sideways (some sections are off-screen)');
				for (const l of nav.links)
					if (!l.shown || l.left < 0 || l.right > 375 || l.top < 0 || l.bottom > 740)
						problems.push(`${l.current ? 'current ' : ''}link ${l.href} is not on screen: ${JSON.stringify(l)}`);
				check(problems, url);
			});

			await test(`${p.name}: at 375 wide no heading splits a short Chinese term across lines`, async () => {
				await page.setViewportSize({ width: 375, height: 740 });
				// Each heading's line boxes: the term's characters all share
				// one line (the top of every character's box is the same).
				const split = await page.evaluate((terms) => {
					const out = [];
					for (const h of document.querySelectorAll('h1, h2, h3')) {
						const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
						for (let n = walker.nextNode(); n; n = walker.nextNode()) {
							for (const term of terms) {
								const at = n.data.indexOf(term);
								if (at < 0)
									continue;
								const tops = new Set();
								for (let i = at; i < at + term.length; i++) {
									const r = document.createRange();
									r.setStart(n, i);
									r.setEnd(n, i + 1);
									const box = r.getBoundingClientRect();
									if (box.width > 0)
										tops.add(Math.round(box.top));
								}
								if (tops.size > 1)
									out.push(`${h.tagName.toLowerCase()} "${h.textContent.trim()}" splits ${term}`);
							}
						}
					}
					return out;
				}, ['年度成果展示', '典型案例', '工作室成果', '年度评选', '培训项目']);
				check(split, url);
			});

			await test(`${p.name}: in dark mode the page is dark, and axe-core finds no contrast problem`, async () => {
				await page.setViewportSize({ width: 1280, height: 800 });
				await page.emulateMedia({ colorScheme: 'dark' });
				try {
					const bg = await page.evaluate(() => {
						const c = getComputedStyle(document.body).backgroundColor.match(/[\d.]+/g).map(Number);
						// Relative luminance (WCAG 2).
						const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
						return { rgb: c.slice(0, 3), lum: 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]) };
					});
					const problems = [];
					if (bg.lum > 0.05)
						problems.push(`body background rgb(${bg.rgb}) is not dark (luminance ${bg.lum.toFixed(3)})`);
					problems.push(...await axeViolations(page));
					check(problems, `${url} (prefers-color-scheme: dark)`);
				} finally {
					await page.emulateMedia({ colorScheme: 'light' });
				}
			});

			if (p.shot === 'case' || p.name === 'selection') {
				await test(`${p.name}: at 375 wide a wide table scrolls in a focusable region with a visible edge shadow`, async () => {
					await page.setViewportSize({ width: 375, height: 740 });
					const wraps = await page.$$eval('.table-wrap', (ws) => ws.map((w) => {
						const cs = getComputedStyle(w);
						return {
							wide: w.scrollWidth > w.clientWidth + 1,
							overflowX: cs.overflowX,
							tabindex: w.getAttribute('tabindex'),
							role: w.getAttribute('role'),
							named: !!(w.getAttribute('aria-label') ||
								(w.getAttribute('aria-labelledby') && document.getElementById(w.getAttribute('aria-labelledby')))),
							shadow: /radial-gradient/.test(cs.backgroundImage),
						};
					}));
					const problems = [];
					if (!wraps.some((w) => w.wide))
						problems.push(`no table is wider than the screen here: ${JSON.stringify(wraps)}`);
					for (const w of wraps)
						if (w.overflowX !== 'auto' || w.tabindex !== '0' || w.role !== 'region' || !w.named || !w.shadow)
							problems.push(`table wrapper ${JSON.stringify(w)}`);
					check(problems, url);
				});
			}

			if (p.shot === 'case') {
				await test(`${p.name}: at 1280 wide the fields stand beside the body`, async () => {
					await page.setViewportSize({ width: 1280, height: 800 });
					const boxes = await page.evaluate(() => {
						const box = (sel) => {
							const el = document.querySelector(sel);
							if (!el)
								return null;
							const r = el.getBoundingClientRect();
							return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
						};
						return { main: box('.record-main'), aside: box('.record-aside') };
					});
					if (!boxes.main || !boxes.aside)
						throw new Error(`${url}: no .record-main or .record-aside`);
					const { main, aside } = boxes;
					const beside = aside.left >= main.right - 1 && aside.top < main.bottom && main.top < aside.bottom;
					if (!beside)
						throw new Error(`${url}: fields ${JSON.stringify(aside)} are not beside the body ${JSON.stringify(main)}`);
				});
			}
			if (shots && p.shot) {
				await page.setViewportSize({ width: 1280, height: 800 });
				await page.screenshot({ path: join(shots, `${p.shot}-1280.png`), fullPage: true });
			}
			await page.close();
		}

		// The theme's search script answers a Chinese query from the static
		// index: the full title of the case checked above finds that case.
		await test('search: a Chinese query (a case\'s title) lists that case, with the query marked', async () => {
			const casePath = pages.find((p) => p.shot === 'case').path;
			const html = readFileSync(join(root, casePath, 'index.html'), 'utf8');
			const title = html.match(/<h1>([^<]*)<\/h1>/)[1];
			const page = await context.newPage();
			try {
				await page.goto(`${base}search/?q=${encodeURIComponent(title)}`, { waitUntil: 'load' });
				await page.waitForSelector('.search-results li a', { timeout: 10_000 });
				const hits = await page.$$eval('.search-results li a', (as) => as.map((a) => a.getAttribute('href')));
				if (!hits.includes(basePath + casePath))
					throw new Error(`query ${title}: ${JSON.stringify(hits)} lacks ${basePath + casePath}`);
				if (!(await page.$('.search-results mark')))
					throw new Error(`query ${title}: nothing marked in the results`);
			} finally {
				await page.close();
			}
		});

		await test(`every link and file of the site under ${basePath} answers 200, every #fragment exists`, async () => {
			const r = await crawl(origin, basePath);
			check(r.problems, `crawled ${r.fetched} URLs (${r.pages} pages)`);
			if (r.pages < pages.length - 1)
				throw new Error(`only ${r.pages} pages reached from ${base}`);
		});
	} finally {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
		server.close();
	}
	console.log(`# ${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

if (process.env.SHOWCASE_SHOTS)
	mkdirSync(process.env.SHOWCASE_SHOTS, { recursive: true });
main().catch((err) => {
	console.log(`not ok - the browser tests ran to the end`);
	console.log(`    ${String(err && err.stack || err).split('\n').join('\n    ')}`);
	console.log(`# ${passed} passed, ${failed + 1} failed`);
	process.exit(1);
});
