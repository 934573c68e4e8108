/**
 * Readable history and audit (issue 10): the person card's history names the clerk and the fields in
 * Swedish after a transfer (no ids, one row for the one action, "last changed" by that clerk); the audit
 * screen names each call, collapses a long person list behind a keyboard-reachable expand button, and its
 * chain check and list count agree. Screenshots at 1440×900, axe on each screen.
 */
import Database from 'better-sqlite3';
import { expect, expectNoAxeViolations, openHostDb, screenshot, test, type HostInfo } from './fixtures';
import { KansliApp } from './pages';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function query<T>(host: HostInfo, sql: string, ...params: unknown[]): T[] {
  const db: Database.Database = openHostDb(host);
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

test('the card’s history after a transfer: the clerk’s name, Swedish field names, one row, last changed by the clerk', async ({ app: page, host }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const app = new KansliApp(page);
  const [row] = query<{ id: string; childId: string; version: number; given: string; family: string; toUnit: string; toGroup: string }>(
    host,
    `SELECT p.id, p.child_id AS childId, p.version, c.given_name AS given, c.family_name AS family, g2.unit_id AS toUnit, g2.id AS toGroup
       FROM placement p JOIN person c ON c.id = p.child_id
       JOIN school_group g2 ON g2.school_form = p.school_form AND g2.id <> p.group_id AND g2.valid_from <= '2026-12-01' AND (g2.valid_to IS NULL OR g2.valid_to >= '2026-12-01')
      WHERE p.state = 'accepted' AND p.group_id IS NOT NULL AND p.valid_to IS NULL AND p.valid_from < '2026-11-01' AND c.protection = 'none'
      ORDER BY c.sort_key LIMIT 1`,
  );
  expect(row, 'a child with a place and another group of the same form').toBeTruthy();
  await app.signInAs('clerk.all');
  await app.api('placement.transfer', { id: row!.id, version: row!.version, date: '2026-12-01', toUnitId: row!.toUnit, toGroupId: row!.toGroup });

  // Search, then Enter on the hit: the card opens.
  const hits = await app.search(`${row!.given} ${row!.family}`);
  await expect(hits.first()).toContainText(row!.family);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await app.card().visible();
  const history = page.getByTestId('history-section');
  await history.scrollIntoViewIfNeeded();
  const rows = history.getByTestId('history-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Kari Kanslist (demo)');
  await expect(rows.first()).toContainText('Ändrad');
  await expect(rows.first()).toContainText('Till och med');
  await expect(rows.first()).toContainText('Flyttad från tidigare plats');
  await expect(history).not.toContainText('transferredFromId');
  expect(await history.innerText()).not.toMatch(UUID);
  await expect(page.getByTestId('history-updated')).toContainText('av Kari Kanslist (demo)');
  await screenshot(page, 'audit-card-history');
  await expectNoAxeViolations(page, 'person card with its history');
});

test('the audit screen: calls by name, a long person list collapsed and expandable by keyboard, counts that agree', async ({ app: page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const app = new KansliApp(page);
  await app.signInAs('clerk.all');
  // A list page read by the clerk: one audit entry naming every person on it.
  const list = await app.api('person.list', { offset: 0, limit: 100 });
  expect(list.items.length).toBeGreaterThan(50);
  await app.signOut();
  await app.signInAs('auditor');

  await app.openPalette();
  await page.keyboard.type('Granskningslogg');
  await page.keyboard.press('Enter');
  const screen = page.getByTestId('audit-screen');
  await expect(screen).toBeVisible();
  const table = page.getByTestId('audit-table');
  await expect(table).toBeVisible();
  // No method ids in the call column.
  const calls = table.getByTestId('audit-method');
  await expect(calls.first()).toBeVisible();
  for (const text of await calls.allInnerTexts()) expect(text).not.toMatch(/^[a-z]+\.[a-zA-Z]+$/);
  const listRow = table.getByTestId('audit-row').filter({ has: page.locator('[data-method="person.list"]') }).first();
  await expect(listRow).toContainText('Personlista');
  const persons = listRow.getByTestId('audit-persons');
  await expect(persons).toContainText(/och \d+ till/);
  const toggle = listRow.getByTestId('audit-persons-toggle');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  // The row is one line tall, not a screen of names.
  expect((await listRow.boundingBox())!.height).toBeLessThan(80);
  await screenshot(page, 'audit-screen');
  await expectNoAxeViolations(page, 'audit screen');

  // Tab to the expand button and open the list with Enter.
  await app.pressUntilFocused('Tab', (await toggle.innerText()).trim(), 120);
  await expect(toggle).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(persons).not.toContainText(/och \d+ till/);
  await screenshot(page, 'audit-persons-expanded');
  await expectNoAxeViolations(page, 'audit screen, persons expanded');

  // Verify the chain: the count checked is the count listed.
  await page.getByTestId('audit-verify').click();
  const verified = page.getByTestId('audit-verify-result');
  await expect(verified).toContainText('Loggkedjan är obruten');
  const checked = Number((await verified.innerText()).match(/alla ([\d\s ]+) händelser/)![1]!.replace(/\D/g, ''));
  await expect(page.getByTestId('audit-range')).toHaveText(new RegExp(`av ${checked} som matchar urvalet`));
  await expect(page.getByTestId('audit-verify-note')).toBeVisible();
  await screenshot(page, 'audit-verified');
  await expectNoAxeViolations(page, 'audit screen after the check');
});
