#!/usr/bin/env node
/**
 * `npm test`: every suite, one summary. Type-check, lint, unit + integration (vitest, real SQLite),
 * renderer build (which fails if zod, the dev-only fake backend or string-to-code calls reach the bundle:
 * scripts/renderer-bundle-check.ts), end-to-end (Playwright through the browser host in Debian Chromium), and the
 * electron-builder configuration check. Prints one final line "N passed, N failed" summing all suites
 * (a step that is not a test runner counts as one test) and exits non-zero on any failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reports = join(root, 'test-results');
mkdirSync(reports, { recursive: true });
const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const summary = [];

function step(name, cmd, args, { env = {}, parse } = {}) {
  if (only.length && !only.includes(name)) return;
  const t0 = Date.now();
  console.log(`\n━━ ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  let p = 0;
  let f = 0;
  if (parse) {
    try {
      [p, f] = parse();
    } catch (e) {
      console.log(`  (could not read the ${name} report: ${e.message})`);
    }
    if (r.status !== 0 && f === 0) f = 1; // the runner failed without a failing test (crash, no tests)
    if (p + f === 0) f = 1;
  } else if (r.status === 0) p = 1;
  else f = 1;
  passed += p;
  failed += f;
  summary.push(`${r.status === 0 && f === 0 ? 'ok  ' : 'FAIL'} ${name.padEnd(12)} ${p} passed, ${f} failed (${secs} s)`);
}

/** The titles (file › test) of the tests Playwright's JSON report marks flaky: failed first, passed on a retry. */
function flakyTests(report) {
  const out = [];
  const walk = (suite, file) => {
    for (const spec of suite.specs ?? []) for (const t of spec.tests ?? []) if (t.status === 'flaky') out.push(`${file ?? suite.file ?? ''} › ${spec.title}`);
    for (const child of suite.suites ?? []) walk(child, file ?? suite.file);
  };
  for (const s of report.suites ?? []) walk(s, s.file);
  return out;
}

/** Terminal colour codes, which Playwright's error messages carry. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The titles and first error lines of the tests Playwright's JSON report marks failed. */
function failedTests(report) {
  const out = [];
  const walk = (suite, file) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === 'unexpected') {
          const err = t.results?.at(-1)?.error?.message ?? '';
          out.push(`${file ?? suite.file ?? ''}:${spec.line} › ${spec.title}: ${err.replace(ANSI, '').split('\n')[0].slice(0, 240)}`);
        }
    for (const child of suite.suites ?? []) walk(child, file ?? suite.file);
  };
  for (const s of report.suites ?? []) walk(s, s.file);
  return out;
}

/**
 * What a failed test said, short enough for the summary: the first line, and for a property test the lines
 * that let it be replayed (seed, path, counterexample) and the error it met, each cut to a readable length.
 */
function failureGist(message) {
  const lines = String(message ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const keep = [lines[0] ?? ''];
  for (const l of lines.slice(1)) {
    if (/^(\{ ?seed|Counterexample|Caused by|Got error|Shrunk|Encountered failures|AssertionError|Error:|Expected|Received|[-+] )/.test(l)) keep.push(l.slice(0, 400));
    if (keep.length >= 14) break;
  }
  return keep.join('\n       ').slice(0, 2400);
}

const vitestReport = join(reports, 'vitest.json');
const playwrightReport = join(reports, 'playwright.json');
rmSync(vitestReport, { force: true });
rmSync(playwrightReport, { force: true });

step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
step('lint', 'npx', ['eslint', '.', '--max-warnings', '0']);
step('electronegativity', 'node', ['scripts/electronegativity.mjs']);
step('unit', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${vitestReport}`], {
  parse: () => {
    const j = JSON.parse(readFileSync(vitestReport, 'utf8'));
    // The CI log keeps only its tail: name each failed test (and its first error line) in the summary.
    for (const file of j.testResults ?? [])
      for (const t of file.assertionResults ?? [])
        if (t.status === 'failed') {
          summary.push(`     unit failed: ${relative(root, file.name)} › ${t.fullName}: ${failureGist(t.failureMessages?.[0])}`);
        }
    return [j.numPassedTests, j.numFailedTests];
  },
});
step('build', 'npm', ['run', '--silent', 'build']);
step('e2e', 'npx', ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts'], {
  env: { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport },
  parse: () => {
    const j = JSON.parse(readFileSync(playwrightReport, 'utf8'));
    const flaky = flakyTests(j);
    if (flaky.length) summary.push(`     e2e flaky (passed on retry; fix these): ${flaky.join('; ')}`);
    for (const t of failedTests(j)) summary.push(`     e2e failed: ${t}`);
    return [j.stats.expected + (j.stats.flaky ?? 0), j.stats.unexpected];
  },
});
step('builder', 'node', ['scripts/check-builder.mjs']);

console.log('\n' + summary.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && existsSync(root) ? 0 : 1);
