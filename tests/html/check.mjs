// Check HTML files with the Nu HTML Checker in one JVM, and report each
// error as FILE:LINE:COLUMN: MESSAGE (FILE relative to ROOT).
//
// Usage: node check.mjs ROOT < FILES   (one path a line)
//   SHOWCASE_VNU_WARNINGS=1   list the warnings too
//
// Output: "ok - ..." or "not ok - ..." with the errors indented below, then
// "# N passed, N failed"; exit status 1 on any error (a file the checker
// could not read is one), 0 otherwise. Warnings are counted, not failed.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const JAR = join(HERE, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const root = process.argv[2];
const files = readFileSync(0, 'utf8').split('\n').filter(Boolean);

function finish(ok, name, lines) {
	console.log(`${ok ? 'ok' : 'not ok'} - ${name}`);
	for (const line of lines)
		console.log(`    ${line}`);
	console.log(`# ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
	process.exit(ok ? 0 : 1);
}

if (!root || !files.length)
	finish(false, 'the Nu HTML Checker', ['usage: node check.mjs ROOT < FILES (no files given)']);

// The checker writes its JSON report to stderr; --exit-zero-always
// because the report, not the status, says what failed.
const run = spawnSync('java', ['-jar', JAR, '--format', 'json', '--exit-zero-always', ...files], {
	encoding: 'utf8',
	maxBuffer: 256 << 20,
});
if (run.error || run.status !== 0)
	finish(false, 'the Nu HTML Checker', [
		`java -jar vnu.jar failed: ${run.error ? run.error.message : `exit status ${run.status}`}`,
		...(run.stderr || '').split('\n').slice(0, 20),
	]);
let report;
try {
	report = JSON.parse(run.stderr);
} catch (err) {
	finish(false, 'the Nu HTML Checker', [`unreadable report: ${err.message}`,
		...run.stderr.split('\n').slice(0, 20)]);
}

const where = (m) => {
	const file = m.url ? relative(root, fileURLToPath(m.url)) : '(no file)';
	return `${file}:${m.lastLine ?? m.firstLine ?? 0}:${m.firstColumn ?? m.lastColumn ?? 0}`;
};
const errors = [];
const warnings = [];
for (const m of report.messages) {
	if (m.type === 'error' || m.type === 'non-document-error')
		errors.push(`${where(m)}: ${m.message}`);
	else if (m.type === 'info' && m.subType === 'warning')
		warnings.push(`${where(m)}: warning: ${m.message}`);
}
const name = `the Nu HTML Checker (${report.version}) on ${files.length} files: ` +
	`${errors.length} errors, ${warnings.length} warnings`;
finish(!errors.length, name,
	process.env.SHOWCASE_VNU_WARNINGS === '1' ? [...errors, ...warnings] : errors);
