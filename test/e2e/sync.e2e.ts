/**
 * Issue 11 end to end: two browser-host workstations joined to one central server, each behind a loopback
 * proxy that can be cut. Clerk A edits a child and clerk B, who has the child's card open, sees it; then
 * both edit the same child while offline and reconnect (B first): A's header shows one conflict, which A
 * opens from the sync screen and resolves with the keyboard only; the server and B then hold A's choice and
 * A's status has no conflict left. The sync status (online, offline with a change waiting, a conflict), the
 * sync screen and the open conflict view are axe-checked and screenshotted.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, expectNoAxeViolations, screenshot, SCREENSHOT_DIR, test } from './fixtures';
import { DEMO_PASSWORD, ImportsPage, KansliApp, OfficeKeyboard } from './pages';
import { NetworkSwitch, startJoinedHost, startSyncServer, type SyncServer } from './sync-fixtures';

// A server start (embedded PostgreSQL, the demo import), two joined hosts, two browsers and two offline
// periods: far more than the default minute (about five on two loaded cores).
test.describe.configure({ timeout: 600_000 });

/** A workstation in the test: its network switch, its host and the clerk's page. */
interface Station {
  net: NetworkSwitch;
  app: KansliApp;
  page: Page;
  context: BrowserContext;
  stop: () => Promise<void>;
}

async function openStation(browser: Browser, server: SyncServer, user: 'clerk.all' | 'protected'): Promise<Station> {
  const net = await NetworkSwitch.open(server.port);
  let host: Awaited<ReturnType<typeof startJoinedHost>> | null = null;
  let context: BrowserContext | null = null;
  const stop = async () => {
    await context?.close().catch(() => undefined);
    await host?.stop();
    await net.close();
  };
  try {
    host = await startJoinedHost(net.url);
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(host.info.url);
    const app = new KansliApp(page);
    // The first sign-in of a workstation goes to the server and fills the cache with the clerk's projection.
    await app.signInAs(user);
    return { net, app, page, context, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Two workstations (a municipality-wide clerk and the protected-identity handler) join, start and sign in
 * at the same time; each one that started is in `stations` for the caller's cleanup, also when the other failed.
 */
async function openPair(browser: Browser, server: SyncServer, stations: Station[]): Promise<[Station, Station]> {
  const started = await Promise.allSettled([openStation(browser, server, 'clerk.all'), openStation(browser, server, 'protected')]);
  for (const r of started) if (r.status === 'fulfilled') stations.push(r.value);
  for (const r of started) if (r.status === 'rejected') throw r.reason;
  return stations as [Station, Station];
}

/** The header's sync status. */
const status = (s: Station): Locator => s.page.getByTestId('sync-status');

/** The value shown beside a label in the card's names section. */
const nameField = (s: Station, label: string): Locator => s.page.locator('section[aria-labelledby="sec-names-title"] dt').filter({ hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]');

/** A picture of the header alone (the status is small; a whole-screen picture hides what it says). */
async function headerShot(s: Station, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await s.page.locator('.k-header').screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled' });
}

/**
 * axe on the header alone, where the sync status is (the card under it has its own axe runs in
 * care-card.e2e.ts, and the whole card takes long to analyse): the same rules, no exclusions.
 */
async function expectNoAxeViolationsInHeader(page: Page, state: string): Promise<void> {
  const r = await new AxeBuilder({ page }).include('.k-header').analyze();
  const summary = r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} node(s): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect(summary, `axe violations in the header with the sync status ${state}`).toEqual([]);
}

/**
 * On the card: e, Tab to the preferred name, type over it, Ctrl+S; the card shows the saved value. A name
 * changed once today cannot get a second new version from today: later edits are corrections (Tab on to the
 * kind of change, ↓ to "Rättelse av felaktig uppgift").
 */
async function editPreferredName(s: Station, value: string, kind: 'new' | 'correction' = 'new'): Promise<void> {
  await s.app.card().visible();
  await s.page.keyboard.press('e');
  const form = s.app.form();
  await form.visible();
  await s.app.pressUntilFocused('Tab', 'Tilltalsnamn');
  await s.page.keyboard.press('Control+a');
  await s.page.keyboard.type(value);
  if (kind === 'correction') {
    await s.app.pressUntilFocused('Tab', 'Ny uppgift från ett visst datum');
    await s.page.keyboard.press('ArrowDown');
    await expect(form.root.getByRole('radio', { name: 'Rättelse av felaktig uppgift' })).toBeChecked();
  }
  await form.saveWithKeyboard();
  await s.app.card().visible();
  await expect(nameField(s, 'Tilltalsnamn')).toHaveText(value);
}

/** The server's own record of a person, read over its HTTP API as a third client would. */
async function serverPerson(server: SyncServer, token: string, id: string): Promise<Record<string, unknown>> {
  const res = await fetch(new URL('/sync/records', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ aggregates: [`person:${id}`] }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { records: { entity: string; id: string; data: Record<string, unknown> }[] };
  const row = body.records.find((r) => r.entity === 'person' && r.id === id);
  expect(row, 'the server holds the person').toBeTruthy();
  return row!.data;
}

async function serverToken(server: SyncServer): Promise<string> {
  const res = await fetch(new URL('/auth/sign-in', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'registrar', password: DEMO_PASSWORD, workstation: 'e2e-check' }),
  });
  const body = (await res.json()) as { token: string | null };
  expect(body.token, 'the check client signs in to the server').toBeTruthy();
  return body.token!;
}

test('two workstations: a save reaches the other; two offline edits give one conflict, resolved by keyboard', async ({ browser }) => {
  const server = await startSyncServer({ persons: 300 });
  const stations: Station[] = [];
  try {
    const [a, b] = await openPair(browser, server, stations);

    await test.step('both are joined and online', async () => {
      for (const s of [a, b]) {
        await expect(status(s)).toHaveAttribute('data-mode', 'joined');
        await expect(status(s)).toHaveAttribute('data-online', 'true');
        await expect(status(s)).toHaveAttribute('data-pending', '0');
        await expect(status(s)).toHaveText('Ansluten');
        await expect(status(s)).toHaveAccessibleName('Synkronisering: Ansluten. Öppna synkroniseringen');
      }
      await headerShot(a, 'sync-status-online');
      await expectNoAxeViolations(a.page, 'start screen with the sync status online');
    });

    // A child both clerks see (neither protected nor shielded), from A's cache.
    const { items } = await a.app.api('person.list', { limit: 100, role: 'child' });
    let child: (typeof items)[number] | undefined;
    for (const p of items.filter((x) => !x.protected)) {
      const card = await a.app.api('person.get', { id: p.id });
      if (!card.shielded && card.protection === 'none') {
        child = p;
        break;
      }
    }
    expect(child, 'the demo has a child neither protected nor shielded').toBeTruthy();
    const id = child!.id;
    const token = await serverToken(server);

    await test.step('A edits the child; B, with the card open, sees it', async () => {
      await b.app.goto(`#/person/${id}`);
      await b.app.card().visible();
      await a.app.goto(`#/person/${id}`);
      await editPreferredName(a, 'Nisse');
      // Pushed at once: nothing waits on A.
      await expect(status(a)).toHaveAttribute('data-pending', '0');
      // B's open card follows the server's event: no reload, no navigation.
      await expect(nameField(b, 'Tilltalsnamn')).toHaveText('Nisse', { timeout: 20_000 });
      expect((await serverPerson(server, token, id)).preferred_name).toBe('Nisse');
      // B's card history is the register's, asked at the server: A's change, by A's clerk, though B's cache
      // holds only its own changes.
      await expect(b.page.getByTestId('history-row').first()).toContainText('Kari Kanslist (demo)', { timeout: 20_000 });
      await expect(b.page.getByTestId('history-scope')).toHaveCount(0);
    });

    await test.step('both go offline and edit the same field: each shows offline with one change waiting', async () => {
      a.net.cut();
      b.net.cut();
      for (const s of [a, b]) await expect(status(s)).toHaveAttribute('data-online', 'false', { timeout: 20_000 });
      await editPreferredName(a, 'Kalle', 'correction');
      await editPreferredName(b, 'Pelle', 'correction');
      for (const s of [a, b]) {
        await expect(status(s)).toHaveAttribute('data-pending', '1');
        await expect(status(s)).toHaveText(/^Offline1 väntar$/);
        await expect(status(s)).toHaveAccessibleName(/^Synkronisering: Offline sedan .+, 1 väntar\. Öppna synkroniseringen$/);
      }
      await headerShot(a, 'sync-status-offline-pending');
      // The header keeps the search box usable at 1366 px: the status shows "Offline" and the count; since when
      // is in its tooltip and its spoken label ("Offline sedan <date>" left the search box 189 px).
      const searchBox = await a.page.locator('.k-header').getByRole('combobox').first().boundingBox();
      expect(searchBox!.width).toBeGreaterThanOrEqual(300);
      await screenshot(a.page, 'sync-card-offline-pending');
      await expectNoAxeViolationsInHeader(a.page, 'offline with a change waiting');
      // Nothing reached the server.
      expect((await serverPerson(server, token, id)).preferred_name).toBe('Nisse');
      // Offline, B's history is this workstation's own, and says so.
      await expect(b.page.getByTestId('history-scope')).toHaveText(/den centrala servern kan inte nås/, { timeout: 20_000 });
      await expect(b.page.getByTestId('history-row').first()).toContainText('Pia Behörig (demo)');
      await b.page.getByTestId('history-section').scrollIntoViewIfNeeded();
      await screenshot(b.page, 'sync-card-history-offline');
    });

    await test.step('B reconnects first and its edit is applied; then A: one conflict', async () => {
      b.net.restore();
      await expect(status(b)).toHaveAttribute('data-online', 'true', { timeout: 30_000 });
      await expect(status(b)).toHaveAttribute('data-pending', '0', { timeout: 30_000 });
      await expect(status(b)).toHaveAttribute('data-conflicts', '0');
      await expect.poll(async () => (await serverPerson(server, token, id)).preferred_name, { timeout: 20_000 }).toBe('Pelle');

      a.net.restore();
      await expect(status(a)).toHaveAttribute('data-conflicts', '1', { timeout: 30_000 });
      await expect(status(a)).toHaveAttribute('data-pending', '0');
      await expect(status(a)).toHaveAttribute('data-online', 'true');
      await expect(status(a)).toHaveText('Ansluten1 konflikt');
      await expect(status(a)).toHaveAccessibleName('Synkronisering: Ansluten, 1 konflikt. Öppna synkroniseringen');
      // The live region said it once.
      await expect(a.page.getByTestId('sync-announce')).toHaveText(/^En av dina ändringar krockar/);
      await headerShot(a, 'sync-status-conflict');
      await expectNoAxeViolationsInHeader(a.page, 'showing a conflict');
      // A's edit was not applied over B's: the server and B hold Pelle, and A's card shows the server's version.
      expect((await serverPerson(server, token, id)).preferred_name).toBe('Pelle');
      await expect(nameField(b, 'Tilltalsnamn')).toHaveText('Pelle');
      await expect(nameField(a, 'Tilltalsnamn')).toHaveText('Pelle', { timeout: 20_000 });
    });

    await test.step('A opens the sync screen and the conflict with the keyboard, and keeps its own value', async () => {
      const keys = new OfficeKeyboard(a.page);
      await a.app.openPalette();
      await a.page.keyboard.type('Gå till Synkronisering');
      await a.page.keyboard.press('Enter');
      await expect(a.page.getByTestId('sync-screen')).toBeVisible();
      expect(new URL(a.page.url()).hash).toBe('#/sync');
      const table = a.page.getByTestId('sync-changes');
      const rows = table.getByTestId('sync-change-row');
      await expect(rows).toHaveCount(1);
      const row = rows.first();
      await expect(row).toHaveAttribute('data-state', 'conflict');
      await expect(row).toContainText('Konflikt');
      await expect(row).toContainText(child!.familyName);
      await screenshot(a.page, 'sync-screen-conflict');
      await expectNoAxeViolations(a.page, 'sync screen with a conflict');

      await keys.focusRowOf(table, row);
      await a.page.keyboard.press('Enter');
      const dialog = a.page.getByTestId('sync-conflict');
      await expect(dialog).toBeVisible();
      const field = dialog.getByTestId('conflict-field-preferredName');
      await expect(field.getByTestId('conflict-base')).toHaveText('Nisse');
      await expect(field.getByTestId('conflict-theirs')).toHaveText('Pelle');
      await expect(field.getByTestId('conflict-mine')).toHaveText('Kalle');
      // The server changed the field, so the server's version is chosen to begin with, and has the focus.
      const theirs = dialog.getByTestId('conflict-field-preferredName-theirs');
      const mine = dialog.getByTestId('conflict-field-preferredName-mine');
      await expect(theirs).toBeChecked();
      await expect(theirs).toBeFocused();
      await expect(field).toHaveAttribute('data-side', 'theirs');
      await screenshot(a.page, 'sync-conflict-view');
      await expectNoAxeViolations(a.page, 'the conflict view');

      // The arrow key moves the field's choice to mine; Tab on to "Spara mitt val", Enter.
      await a.page.keyboard.press('ArrowDown');
      await expect(mine).toBeChecked();
      await expect(mine).toBeFocused();
      await expect(field).toHaveAttribute('data-side', 'mine');
      await screenshot(a.page, 'sync-conflict-view-mine');
      await keys.pressUntilIn('Tab', dialog.getByTestId('conflict-save-choice'), 20);
      await a.page.keyboard.press('Enter');
      await expect(dialog).toBeHidden();
      await expect(a.page.getByTestId('sync-resolved')).not.toHaveText('');
      await expect(rows).toHaveCount(0);
      await expect(status(a)).toHaveAttribute('data-conflicts', '0', { timeout: 20_000 });
      await expect(status(a)).toHaveAttribute('data-pending', '0', { timeout: 20_000 });
      await expect(status(a)).toHaveText('Ansluten');
      await screenshot(a.page, 'sync-screen-resolved');
      await expectNoAxeViolations(a.page, 'sync screen after the conflict was resolved');
    });

    await test.step('the server and B hold A\'s choice', async () => {
      await expect.poll(async () => (await serverPerson(server, token, id)).preferred_name, { timeout: 20_000 }).toBe('Kalle');
      await expect(nameField(b, 'Tilltalsnamn')).toHaveText('Kalle', { timeout: 20_000 });
      await expect(status(b)).toHaveAttribute('data-conflicts', '0');
      await a.app.goto(`#/person/${id}`);
      await expect(nameField(a, 'Tilltalsnamn')).toHaveText('Kalle');
    });
  } finally {
    for (const s of stations.reverse()) await s.stop();
    await server.stop();
  }
});

test('a joined workstation imports the population register on the server: upload, progress, review, apply; the other workstation has the result', async ({ browser }) => {
  const server = await startSyncServer({ persons: 300 });
  const stations: Station[] = [];
  try {
    const [a, b] = await openPair(browser, server, stations);
    const keys = new OfficeKeyboard(a.page);
    await a.page.setViewportSize({ width: 1440, height: 900 });
    const delta = join(server.dataDir, 'demo-population', 'navet-delta.xml');
    let runId = '';
    let moved: { id: string; before: unknown } | null = null;

    await test.step('A reads the delta: the file goes to the server, the dry run runs there with its progress', async () => {
      await keys.leaveSearchBox();
      const imports = new ImportsPage(a.app);
      await imports.open();
      // The runs are the server's: the demo's baseline (its full file) is listed as applied.
      await expect(imports.rows()).toHaveCount(1);
      await expect(imports.rows().first()).toHaveAttribute('data-state', 'applied');
      await imports.chooseFile(delta);
      const run = await imports.start();
      await expect(run.readJob()).toBeVisible();
      await expect(run.readJob()).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });
      await expect(run.root).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
      await expect(run.blocked()).toHaveCount(0);
      runId = run.id();
      const dry = await a.app.api('import.get', { id: runId });
      const total = Object.values(dry.counts).reduce((x, y) => x + y, 0);
      expect(total, 'the delta changes something').toBeGreaterThan(0);
      await expect(run.tab('all')).toHaveAttribute('data-count', String(total));
      // A person whose address the file changes, as B's cache holds them before the apply.
      const change = (await a.app.api('import.changes', { id: runId, kind: 'address', offset: 0, limit: 1 })).items[0];
      const person = change?.person.id;
      expect(person, 'the delta moves someone in the register').toBeTruthy();
      moved = { id: person!, before: (await b.app.api('person.get', { id: person! })).addresses };
      await screenshot(a.page, 'sync-import-review');
      await expectNoAxeViolations(a.page, 'import review on a joined workstation');

      await a.app.openPalette();
      await a.page.keyboard.press('Control+a');
      await a.page.keyboard.type('Genomför ändringarna');
      await a.page.keyboard.press('Enter');
      const dialog = run.applyDialog();
      await expect(dialog).toBeVisible();
      await expect(dialog.getByTestId('save')).toBeFocused();
      await a.page.keyboard.press('Enter');
      await expect(dialog).toBeHidden();
      await expect(run.result()).toBeVisible({ timeout: 120_000 });
      await expect(run.result()).toContainText(`${total} ändringar gjordes`);
      await expect(run.root).toHaveAttribute('data-state', 'applied', { timeout: 60_000 });
      await screenshot(a.page, 'sync-import-applied');
      await expectNoAxeViolations(a.page, 'import applied on a joined workstation');
    });

    await test.step('B, another workstation, holds what the import wrote', async () => {
      const { id, before } = moved!;
      const onA = (await a.app.api('person.get', { id })).addresses;
      expect(onA).not.toEqual(before);
      await expect.poll(async () => (await b.app.api('person.get', { id })).addresses, { timeout: 20_000 }).toEqual(onA);
      // The same delta again: read on the server and refused there, with the reason.
      await a.app.goto('#/imports');
      const imports = new ImportsPage(a.app);
      await expect(imports.root).toBeVisible();
      await imports.chooseFile(delta);
      const again = await imports.start();
      await expect(again.root).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
      await expect(again.blocked()).toBeVisible();
      await expect(again.blocked()).toHaveAttribute('data-code', 'already_applied');
      await expect(again.blocked()).toContainText('Den här filen är redan genomförd.');
      await screenshot(a.page, 'sync-import-refused');
    });
  } finally {
    for (const s of stations.reverse()) await s.stop();
    await server.stop();
  }
});
