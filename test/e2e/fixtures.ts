/**
 * Fixtures: every test gets its own browser host (child process, real core, fresh SQLite in a temp folder,
 * a small seeded demo municipality, a fixed date) and a page bound to that host through its one-time link.
 * The page then shows Kansli's own sign-in: tests sign in as the demo account their role needs
 * (`KansliApp.signIn*` in pages.ts).
 */
import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOT_DIR = join(root, 'test-results', 'screens');
export const E2E_TODAY = '2026-11-23';

export interface HostInfo {
  url: string;
  port: number;
  dataDir: string;
  origin: string;
}

/**
 * Starts a browser host on a fresh data folder. `seed: false` leaves the database empty (no accounts:
 * the first-run setup screen); `incomes: true` seeds the households' incomes as `npm start`'s demo does;
 * `foi: true` seeds the demo's FOI requests in every state (the dashboard as `npm start` shows it).
 */
export async function startHost(opts: { country?: 'se' | 'no'; persons?: number; seed?: boolean; incomes?: boolean; foi?: boolean } = {}): Promise<{ info: HostInfo; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kansli-e2e-'));
  const child: ChildProcess = spawn(
    join(root, 'node_modules', '.bin', 'tsx'),
    [
      join(root, 'core', 'host', 'main.ts'),
      '--json',
      '--data-dir',
      dataDir,
      '--country',
      opts.country ?? 'se',
      '--persons',
      String(opts.persons ?? 600),
      '--today',
      E2E_TODAY,
      // The same register on every run, ids included: a fixture picking "the first by id" picks the same one.
      '--seed',
      '20261123',
      ...(opts.seed === false ? ['--no-seed'] : []),
      // The tests start from no household income declared unless asked (the demo of `npm start` has some).
      ...(opts.incomes ? [] : ['--no-demo-incomes']),
      // Nor any FOI request unless asked.
      ...(opts.foi ? [] : ['--no-demo-foi']),
      // A renderer build of one's own (several people building and testing in one checkout at once).
      ...(process.env.KANSLI_E2E_RENDERER ? ['--renderer', process.env.KANSLI_E2E_RENDERER] : []),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((ok, fail) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', ok);
    child.once('exit', (code) => fail(new Error(`host exited with ${code}`)));
    setTimeout(() => fail(new Error('host did not start in 30 s')), 30_000);
  });
  const parsed = JSON.parse(line) as { url: string; port: number; dataDir: string };
  return {
    info: { ...parsed, origin: `http://127.0.0.1:${parsed.port}` },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((ok) => child.once('exit', ok));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const test = base.extend<{ host: HostInfo; app: Page }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the object pattern for fixture arguments
  host: async ({}, use) => {
    const h = await startHost();
    await use(h.info);
    await h.stop();
  },
  app: async ({ page, host }, use) => {
    await page.goto(host.url);
    await use(page);
  },
});
export { expect };

/** Runs axe-core on the current screen and fails with the violations listed. */
export async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const r = await new AxeBuilder({ page }).analyze();
  const summary = r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} node(s): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(summary, `axe violations on ${screen}`).toEqual([]);
}

/** Keeps a screenshot of each screen as a test artifact. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Let dialogs finish fading in: a picture of a half-open modal shows nothing useful.
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false, animations: 'disabled' });
}

/** The host's database, opened read-only (tests pick their persons with SQL). */
export function openHostDb(host: HostInfo): Database.Database {
  return new Database(join(host.dataDir, 'kansli.sqlite'), { readonly: true, fileMustExist: true });
}
