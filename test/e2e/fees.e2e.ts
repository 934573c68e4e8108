/**
 * Fees end to end, by keyboard only (issue 12): the fee administrator opens a preschool child's card and sees
 * next month's fee with its calculation (the maximum fee: no income declared); records the household's income
 * and sees the card's fee follow it; goes to Fees (G A), starts next month's run and watches it compute; reads
 * the summary, a warning's list and a line's explanation; locks the run, downloads the CSV and the UBL ZIP,
 * and marks it posted. A preview that went stale is not locked and is computed again. A clerk sees no fee on
 * the card and no Fees area. Every screen is axe-checked and screenshotted.
 */
import type Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { expect, expectNoAxeViolations, openHostDb, screenshot, test, type HostInfo } from './fixtures';
import { FeeRunPage, FeesPage, KansliApp, OfficeKeyboard } from './pages';

// A run is computed and locked twice, with an axe scan on every screen and dialog.
// A whole month's flow with two jobs (preview, lock) and axe scans: under CI's two loaded workers it took 2.6 minutes and more, 3.6 alone beside another run.
test.describe.configure({ timeout: 420_000 });

const NEXT_MONTH = '2026-12';

/**
 * A preschool child alone in its household all of November and December, with a whole-month place: the
 * first in the register's name order (the run's lines are in that order, so its line is on the first page).
 */
function preschoolChild(host: HostInfo): { child: string; household: string } {
  const db: Database.Database = openHostDb(host);
  try {
    const row = db
      .prepare(
        `SELECT hm.person_id AS child, hm.household_id AS household FROM household_member hm
         JOIN person pe ON pe.id = hm.person_id AND pe.protection = 'none' AND pe.id_canonical IS NOT NULL
         JOIN placement p ON p.child_id = hm.person_id AND p.state = 'accepted' AND p.school_form = 'FS' AND p.deleted_at IS NULL
           AND p.valid_from <= '2026-10-01' AND (p.valid_to IS NULL OR p.valid_to >= '2026-12-31')
         WHERE hm.role = 'child' AND hm.deleted_at IS NULL AND hm.valid_from <= '2026-10-01' AND (hm.valid_to IS NULL OR hm.valid_to >= '2026-12-31')
           AND (SELECT count(*) FROM household_member x WHERE x.person_id = hm.person_id AND x.deleted_at IS NULL) = 1
           AND NOT EXISTS (SELECT 1 FROM household_member o JOIN placement q ON q.child_id = o.person_id AND q.school_form IN ('FS', 'PO', 'FTH') AND q.deleted_at IS NULL
                           WHERE o.household_id = hm.household_id AND o.person_id <> hm.person_id AND o.role = 'child' AND o.deleted_at IS NULL)
         ORDER BY pe.sort_key, hm.person_id LIMIT 1`,
      )
      .get() as { child: string; household: string } | undefined;
    expect(row, 'the demo has a preschool child alone in its household').toBeTruthy();
    return row!;
  } finally {
    db.close();
  }
}

/** Scrolls the page so that `selector` is just under the app's header (for a screenshot of a section's start). */
async function scrollToTop(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (el) window.scrollBy(0, el.getBoundingClientRect().top - 70);
  }, selector);
}

/** A school-age child in a household with no fee-bearing place at all (a pupil). */
function pupilWithoutPlace(host: HostInfo): string {
  const db: Database.Database = openHostDb(host);
  try {
    const id = db
      .prepare(
        `SELECT p.id FROM person p WHERE p.is_child = 1 AND p.protection = 'none'
           AND EXISTS (SELECT 1 FROM household_member hm WHERE hm.person_id = p.id AND hm.role = 'child' AND hm.deleted_at IS NULL AND hm.valid_to IS NULL)
           AND NOT EXISTS (SELECT 1 FROM placement x WHERE x.child_id = p.id AND x.deleted_at IS NULL)
           AND EXISTS (SELECT 1 FROM guardianship g WHERE g.child_id = p.id AND g.valid_to IS NULL)
         ORDER BY p.birth_date DESC LIMIT 1`,
      )
      .pluck()
      .get() as string | undefined;
    expect(id, 'the demo has a child without any place').toBeTruthy();
    return id!;
  } finally {
    db.close();
  }
}

/** "1 547,00 kr" as the screen writes it (a narrow no-break space groups the thousands). */
const kr = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[\\s\\u00a0\\u202f]'));

test('the fee administrator: a child’s next fee, an income recorded, a run computed, locked, exported and posted, by keyboard', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const keys = new OfficeKeyboard(page);
  const { child, household } = preschoolChild(host);
  await app.signInAs('fee');
  const card = await app.api('person.get', { id: child });

  // ---- The child's card: search by the identity number, ↓, Enter.
  const hits = await app.search(card.identity!.display);
  await expect(hits.first()).toContainText(card.familyName);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await app.card().visible();
  const fee = page.getByTestId('fee-section');
  await expect(fee).toBeVisible();
  // Next month: the maximum fee, because no income is declared yet (said as a warning).
  await expect(fee.getByRole('heading', { level: 2 })).toHaveText('Avgift december 2026');
  await expect(fee.getByTestId('fee-card-total')).toHaveText(kr('1 547,00 kr'));
  await expect(fee.locator('[data-testid="fee-card-warning"][data-code="income_not_declared"]')).toBeVisible();
  // 0 jumps to the fee section (the section bar says so); Tab to "Visa beräkningen", Enter.
  await expect(page.getByTestId('card-section-0')).toHaveAttribute('aria-keyshortcuts', '0');
  await page.keyboard.press('0');
  await expect(page.locator('#sec-fee-title')).toBeFocused();
  await app.pressUntilFocused('Tab', 'Visa beräkningen');
  await page.keyboard.press('Enter');
  const explanation = fee.getByTestId('fee-card-explanation');
  await expect(explanation).toBeVisible();
  await expect(fee.getByTestId('fee-card-explain-toggle')).toHaveAttribute('aria-expanded', 'true');
  await expect(explanation.locator('[data-row="income"]')).toContainText('Ej redovisad');
  await expect(explanation.locator('[data-row="rank"]')).toContainText('Barn 1 av 1');
  await expect(explanation.locator('[data-row="days"]')).toContainText('30 av 30 dagar');
  await expect(explanation.locator('[data-row="amount"]')).toContainText(kr('1 547,00 kr'));
  await scrollToTop(page, '#sec-fee-title');
  await screenshot(page, 'fees-card');
  await expectNoAxeViolations(page, 'child card with next month’s fee');

  // ---- The household's incomes: 3 jumps to the households; Tab to "Registrera inkomst", Enter.
  const incomes = page.locator(`[data-testid="household-incomes"][data-household-id="${household}"]`);
  await expect(incomes).toContainText('Ingen inkomst registrerad');
  await page.keyboard.press('3');
  await app.pressUntilFocused('Tab', 'Registrera inkomst för hushållet i dag');
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('income-dialog');
  await expect(dialog).toBeVisible();
  // The date has the focus (the first of next month to begin with); from 1 November instead.
  const from = dialog.getByTestId('income-valid-from');
  await expect(from).toBeFocused();
  await expect(from).toHaveValue('2026-12-01');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('2026-11-01');
  // Saving without an amount: the amount field says what is missing, nothing is stored.
  await page.keyboard.press('Control+s');
  const amount = dialog.getByTestId('income-amount');
  await expect(amount).toHaveAttribute('aria-invalid', 'true');
  await expect(amount).toBeFocused();
  await expect(dialog).toContainText('Skriv hushållets inkomst');
  await screenshot(page, 'fees-income-error');
  await expectNoAxeViolations(page, 'income dialog with an error');
  expect((await app.api('income.list', { householdId: household })).items).toHaveLength(0);
  await page.keyboard.type('40 000');
  await expect(dialog.getByTestId('income-amount-read')).toHaveText(kr('Läses som 40 000,00 kr per månad.'));
  await app.pressUntilFocused('Tab', 'Anteckning');
  await page.keyboard.type('Inkomstuppgift via e-tjänst');
  await screenshot(page, 'fees-income-dialog');
  await expectNoAxeViolations(page, 'income dialog');
  await page.keyboard.press('Control+s');
  await expect(dialog).toBeHidden();
  // The income is listed, in force now; the card's fee follows it: 3 % of (40 000 − 10 000) = 900 kr.
  const row = incomes.getByTestId('income-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-current', 'true');
  await expect(row).toContainText(kr('40 000,00 kr'));
  await expect(row).toContainText('Inkomstuppgift via e-tjänst');
  await expect(fee.getByTestId('fee-card-total')).toHaveText(kr('900,00 kr'));
  await expect(fee.locator('[data-testid="fee-card-warning"][data-code="income_not_declared"]')).toHaveCount(0);
  const stored = (await app.api('income.list', { householdId: household })).items;
  expect(stored.map((i) => [i.validFrom, i.monthlyIncome, i.source])).toEqual([['2026-11-01', 4_000_000, 'declared']]);
  await scrollToTop(page, '#sec-fee-title');
  await screenshot(page, 'fees-card-after-income');
  await incomes.scrollIntoViewIfNeeded();
  await screenshot(page, 'fees-household-incomes');
  await expectNoAxeViolations(page, 'household incomes');

  // ---- Fees: G A (from the fee section's heading: 0 puts the focus there). The new run is next month, regular.
  await page.keyboard.press('0');
  await expect(page.locator('#sec-fee-title')).toBeFocused();
  const fees = new FeesPage(app);
  await fees.open();
  await expect(fees.root.getByTestId('fee-runs-empty')).toBeVisible();
  await app.pressUntilFocused('Tab', 'Månad');
  await expect(fees.month()).toHaveValue(NEXT_MONTH);
  await screenshot(page, 'fees-screen');
  await expectNoAxeViolations(page, 'fees screen');
  await app.pressUntilFocused('Tab', 'Beräkna förhandsgranskning');
  await page.keyboard.press('Enter');

  // ---- The run's page follows the preview job to the end.
  const run = new FeeRunPage(app);
  await expect(run.root).toBeVisible();
  await expect(run.root.getByTestId('fee-preview-job')).toBeVisible();
  await run.state('ready');
  await expect(run.root.getByTestId('fee-preview-job')).toHaveAttribute('data-state', 'succeeded');
  const view = await app.api('fee.runGet', { id: run.id() });
  expect(view).toMatchObject({ month: NEXT_MONTH, kind: 'regular', state: 'ready' });
  expect(view.lineCount).toBeGreaterThan(0);
  await expect(run.root.getByTestId('fee-facts-lines')).toHaveText(String(view.lineCount));
  const summary = run.summary();
  await expect(summary).toBeVisible();
  await expect(run.root.getByTestId('fee-by-unit').locator('tbody tr').first()).toBeVisible();
  await expect(run.root.getByTestId('fee-previous-none')).toBeVisible();
  await screenshot(page, 'fees-run-summary');
  await expectNoAxeViolations(page, 'fee run summary');

  // A warning's list: Tab to the code (income not declared: every household but ours), Enter; Esc closes.
  const notDeclared = view.summary!.warnings.find((w) => w.code === 'income_not_declared');
  expect(notDeclared?.count).toBeGreaterThan(0);
  await keys.pressUntilIn('Tab', run.root.locator('[data-testid="fee-warning-code"][data-code="income_not_declared"]'), 120);
  await page.keyboard.press('Enter');
  const warnings = page.getByTestId('fee-warnings-dialog');
  await expect(warnings).toBeVisible();
  await expect(warnings.getByTestId('fee-warning-row').first()).toBeVisible();
  await expect(warnings.getByTestId('fee-warnings-range')).toContainText(`av ${notDeclared!.count}`);
  await expect(warnings.getByTestId('fee-warning-child').first()).not.toBeEmpty();
  await screenshot(page, 'fees-run-warnings');
  await expectNoAxeViolations(page, 'fee run warnings');
  await page.keyboard.press('Escape');
  await expect(warnings).toBeHidden();

  // The lines: Tab into the table, ↓ to our child's line; the explanation beside it follows; Enter moves there.
  // Two guardians hold the place: the child's 900 kr is two lines of 450 kr, one per recipient.
  const childLines = (await app.api('fee.runLines', { id: run.id(), childId: child })).items;
  expect(childLines.reduce((a, l) => a + l.amount, 0)).toBe(90_000);
  const line = childLines[0]!;
  const ourRow = run.linesTable().locator(`tbody > tr[data-row-id="${line.id}"]`);
  if ((await ourRow.count()) === 0) throw new Error('our child’s line is not on the first page');
  await keys.focusRowOf(run.linesTable(), ourRow);
  await expect(ourRow).toHaveAttribute('data-selected', 'true');
  await expect(run.panel()).toHaveAttribute('data-line-id', line.id);
  const lineExplanation = run.panel().getByTestId('fee-line-explanation');
  await expect(lineExplanation.locator('[data-row="income"]')).toContainText(kr('40 000,00 kr per månad'));
  await expect(lineExplanation.locator('[data-row="income"]')).toContainText('gäller från 2026-11-01');
  await expect(lineExplanation.locator('[data-row="feeBase"]')).toContainText(kr('30 000,00 kr'));
  await expect(lineExplanation.locator('[data-row="full"]')).toContainText(kr('900,00 kr'));
  await expect(lineExplanation.locator('[data-row="amount"]')).toContainText(kr(line.amount === 45_000 ? '450,00 kr' : '900,00 kr'));
  await page.keyboard.press('Enter');
  await expect(run.panel()).toBeFocused();
  await scrollToTop(page, '#fee-lines-title');
  await screenshot(page, 'fees-run-line');
  await expectNoAxeViolations(page, 'fee run line explanation');
  await page.keyboard.press('Escape');
  await expect(ourRow).toBeFocused();

  // ---- Lock: from the palette; the confirmation has the focus on "Lås"; the lock job runs in the dialog.
  const lock = await run.fromPalette('Lås körningen', 'fee-lock-dialog');
  await expect(lock.getByTestId('fee-lock-submit')).toBeFocused();
  await screenshot(page, 'fees-run-lock');
  await expectNoAxeViolations(page, 'lock dialog');
  await page.keyboard.press('Enter');
  await expect(lock).toBeHidden({ timeout: 90_000 });
  await run.state('locked');
  await expect(run.notice()).toContainText('Körningen är låst');

  // ---- Export: the CSV in the first saved layout, then the UBL invoices as a ZIP.
  let exportDialog = await run.fromPalette('Exportera', 'fee-export-dialog');
  await expect(exportDialog.getByTestId('fee-export-format-csv')).toBeChecked();
  await expect(exportDialog.getByTestId('fee-export-layout')).toBeEnabled();
  await screenshot(page, 'fees-run-export');
  await expectNoAxeViolations(page, 'export dialog');
  const csvDownload = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const csvPath = test.info().outputPath(csv.suggestedFilename());
  await csv.saveAs(csvPath);
  await expect(exportDialog).toBeHidden();
  await expect(run.notice()).toContainText(csv.suggestedFilename());

  exportDialog = await run.fromPalette('Exportera', 'fee-export-dialog');
  // The format is a radio group: ↓ moves to the UBL invoices.
  await keys.pressUntilIn('Tab', exportDialog.getByTestId('fee-export-format'));
  await page.keyboard.press('ArrowDown');
  await expect(exportDialog.getByTestId('fee-export-format-ubl')).toBeChecked();
  await expect(exportDialog.getByTestId('fee-export-layout')).toHaveCount(0);
  const zipDownload = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  const zip = await zipDownload;
  expect(zip.suggestedFilename()).toMatch(/\.zip$/);
  const zipPath = test.info().outputPath(zip.suggestedFilename());
  await zip.saveAs(zipPath);
  await expect(exportDialog).toBeHidden();
  await expect(run.notice()).toContainText(zip.suggestedFilename());
  await screenshot(page, 'fees-run-exported');

  // ---- Post: from the palette; Enter confirms.
  const post = await run.fromPalette('Markera som bokförd', 'fee-post-dialog');
  await expect(post.getByTestId('fee-post-submit')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(post).toBeHidden();
  await run.state('posted');
  await expect(run.notice()).toContainText('bokförd');
  await screenshot(page, 'fees-run-posted');
  await expectNoAxeViolations(page, 'posted fee run');
  expect((await app.api('fee.runGet', { id: run.id() })).state).toBe('posted');

  // Back to the list: the run is there, posted, with its total.
  await page.keyboard.press('g');
  await page.keyboard.press('a');
  await expect(fees.rows()).toHaveCount(1);
  await expect(fees.rows().first()).toHaveAttribute('data-state', 'posted');
  await screenshot(page, 'fees-runs');
  await expectNoAxeViolations(page, 'fee runs list');
});

test('a child without a place: the card says there is no fee; a preview that went stale is not locked and is computed again', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const { household } = preschoolChild(host);
  const pupil = pupilWithoutPlace(host);
  await app.signInAs('fee');
  const keys = new OfficeKeyboard(page);
  await keys.leaveSearchBox();

  // A child with no fee-bearing place: the card says why there is nothing to charge, and is otherwise whole.
  await app.goto(`#/person/${pupil}`);
  await app.card().visible();
  const fee = page.getByTestId('fee-section');
  await expect(fee.locator('[data-testid="fee-card-warning"][data-code="no_fee_place"]')).toBeVisible();
  await expect(fee).toContainText('Ingen avgift att ta ut');
  await expect(fee.getByTestId('fee-card-line')).toHaveCount(0);
  await expect(page.getByTestId('households-section').getByTestId('household-incomes').first()).toBeVisible();
  await scrollToTop(page, '#sec-fee-title');
  await screenshot(page, 'fees-card-no-place');
  await expectNoAxeViolations(page, 'card of a child without a place');
  await page.keyboard.press('0');
  await expect(page.locator('#sec-fee-title')).toBeFocused();

  const fees = new FeesPage(app);
  await fees.open();
  // A credit-note run this time: ↓ in the kind's radio group.
  await keys.pressUntilIn('Tab', fees.root.getByTestId('fee-run-kind'));
  await page.keyboard.press('ArrowDown');
  await expect(fees.root.getByTestId('fee-run-kind-credit_note')).toBeChecked();
  await page.keyboard.press('ArrowUp');
  await expect(fees.root.getByTestId('fee-run-kind-regular')).toBeChecked();
  await page.keyboard.press('Control+s');
  const run = new FeeRunPage(app);
  await run.state('ready');
  const first = run.id();

  // Meanwhile an income is recorded: the preview no longer holds.
  await app.api('income.declare', { householdId: household, validFrom: '2026-12-01', monthlyIncome: 2_500_000, source: 'administrator' });
  const lock = await run.fromPalette('Lås körningen', 'fee-lock-dialog');
  await expect(lock.getByTestId('fee-lock-submit')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(lock).toBeHidden({ timeout: 90_000 });
  const stale = run.root.getByTestId('fee-run-stale');
  await expect(stale).toBeVisible();
  await expect(stale).toContainText('Något har ändrats sedan förhandsgranskningen');
  // The reason has the focus: the next Tab is "Beräkna igen".
  await expect(stale).toBeFocused();
  await expect(run.root.getByTestId('fee-lock')).toBeDisabled();
  await screenshot(page, 'fees-run-stale');
  await expectNoAxeViolations(page, 'stale fee run');
  expect((await app.api('fee.runGet', { id: first })).state).toBe('ready');

  // The household's lines say so themselves: explained now (a preview's charge is explained when shown), at
  // another amount than previewed. ↓ in the table to one; the notice and today's explanation beside it.
  const changed = (await app.api('fee.runLines', { id: first, householdId: household })).items;
  expect(changed.length).toBeGreaterThan(0);
  expect(changed.every((l) => l.changed)).toBe(true);
  const changedRow = run.linesTable().locator(`tbody > tr[data-row-id="${changed[0]!.id}"]`);
  if ((await changedRow.count()) === 0) throw new Error('the changed line is not on the first page');
  await keys.focusRowOf(run.linesTable(), changedRow);
  await expect(run.panel()).toHaveAttribute('data-line-id', changed[0]!.id);
  await expect(changedRow).toContainText('Ändrad');
  await expect(run.panel().getByTestId('fee-line-changed')).toContainText('Beräkna förhandsgranskningen igen');
  await expect(run.panel().getByTestId('fee-line-explanation').locator('[data-row="income"]')).toContainText(kr('25 000,00 kr per månad'));
  await scrollToTop(page, '#fee-lines-title');
  await screenshot(page, 'fees-run-line-changed');
  await expectNoAxeViolations(page, 'a preview line changed since the preview');

  // "Beräkna igen" (Shift+Tab back up to it): the stale preview is discarded, a new one computed, and that one locks.
  await keys.pressUntilIn('Shift+Tab', run.root.getByTestId('fee-recompute'), 200);
  await expect(run.root.getByTestId('fee-recompute')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(() => run.id()).not.toBe(first);
  await run.state('ready');
  expect((await app.api('fee.runGet', { id: first })).state).toBe('discarded');
  const again = await run.fromPalette('Lås körningen', 'fee-lock-dialog');
  await expect(again.getByTestId('fee-lock-submit')).toBeFocused();
  await page.keyboard.press('Enter');
  await run.state('locked');
});

test('a clerk sees no fee on a child’s card and no Fees area, and never asks for fees', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const { child } = preschoolChild(host);
  const feeCalls: string[] = [];
  page.on('request', (r) => {
    if (/\/api\/(fee|income)\./.test(r.url())) feeCalls.push(r.url());
  });
  await app.signInAs('clerk.all');
  await app.goto(`#/person/${child}`);
  await app.card().visible();
  await expect(page.getByTestId('households-section').getByTestId('household').first()).toBeVisible();
  await expect(page.getByTestId('fee-section')).toHaveCount(0);
  await expect(page.getByTestId('household-incomes')).toHaveCount(0);
  await expect(page.getByTestId('card-section-0')).toHaveCount(0);
  await expect(page.getByTestId('nav-fees')).toHaveCount(0);
  // G A leads nowhere; the palette has no Fees.
  await page.locator('#sec-households-title').focus();
  await page.keyboard.press('g');
  await page.keyboard.press('a');
  await expect(app.card().root).toBeVisible();
  await app.openPalette();
  await page.keyboard.type('Gå till Avgifter');
  await expect(page.getByRole('dialog').locator('.mantine-Spotlight-action', { hasText: 'Avgifter' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  // The address itself says the clerk may not.
  await app.goto('#/fees');
  await expect(page.getByTestId('error-state')).toBeVisible();
  await expect(page.getByTestId('fees-screen')).toHaveCount(0);
  expect(feeCalls).toEqual([]);
});

test('the unit clerk’s card has no fee section either', async ({ app: page }) => {
  const app = new KansliApp(page);
  await app.signInAs('clerk');
  const feeCalls: string[] = [];
  page.on('request', (r) => {
    if (/\/api\/(fee|income)\./.test(r.url())) feeCalls.push(r.url());
  });
  const { items } = await app.api('person.list', { limit: 20, role: 'child' });
  const child = items.find((p) => !p.protected)!;
  await app.goto(`#/person/${child.id}`);
  await app.card().visible();
  await expect(page.getByTestId('households-section')).toBeVisible();
  await expect(page.getByTestId('fee-section')).toHaveCount(0);
  await expect(page.getByTestId('nav-fees')).toHaveCount(0);
  await screenshot(page, 'fees-clerk-card');
  expect(feeCalls).toEqual([]);
});

test('the income check: last year’s taxed income against the declared months, corrected, its months opened; a year not over is refused, by keyboard', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const keys = new OfficeKeyboard(page);
  const { child, household } = preschoolChild(host);
  await app.signInAs('fee');
  const card = await app.api('person.get', { id: child });

  // ---- The child's card (as the fee administrator reaches it): search by the identity number, ↓, Enter.
  const hits = await app.search(card.identity!.display);
  await expect(hits.first()).toContainText(card.familyName);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await app.card().visible();
  const incomes = page.locator(`[data-testid="household-incomes"][data-household-id="${household}"]`);
  const checks = incomes.getByTestId('income-checks');
  await expect(checks).toContainText('Ingen inkomstkontroll gjord än');
  await expect(checks.getByTestId('income-check-open')).toHaveAttribute('aria-keyshortcuts', 'Alt+I');

  // ---- 40 000 kr a month from 1 January 2025: 3 jumps to the households; Tab to "Registrera inkomst", Enter.
  await page.keyboard.press('3');
  await app.pressUntilFocused('Tab', 'Registrera inkomst för hushållet i dag');
  await page.keyboard.press('Enter');
  const incomeDialog = page.getByTestId('income-dialog');
  await expect(incomeDialog.getByTestId('income-valid-from')).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('2025-01-01');
  await app.pressUntilFocused('Tab', 'Bruttoinkomst per månad (kronor)');
  await page.keyboard.type('40 000');
  await page.keyboard.press('Control+s');
  await expect(incomeDialog).toBeHidden();
  await expect(incomes.getByTestId('income-row')).toHaveCount(1);
  await expect(incomes.getByTestId('income-row')).toContainText('2025-01-01');

  // ---- Alt+I (the focus is back on "Registrera inkomst", in this household): the check's form, last year in it.
  await expect(incomes.getByTestId('income-record')).toBeFocused();
  // At once: a dialog opened right after another closed keeps its focus (kit/focus.ts).
  await page.keyboard.press('Alt+KeyI');
  const dialog = page.getByTestId('income-check-dialog');
  await expect(dialog).toBeVisible();
  const year = dialog.getByTestId('income-check-year');
  await expect(year).toBeFocused();
  await expect(year).toHaveValue('2025');
  await app.pressUntilFocused('Tab', 'Taxerad inkomst för året (kronor)');
  await page.keyboard.type('600 000');
  await expect(dialog.getByTestId('income-check-taxed-read')).toHaveText(kr('Läses som 600 000,00 kr för året, 50 000,00 kr per månad.'));
  await app.pressUntilFocused('Tab', 'Anteckning');
  await page.keyboard.type('Taxering 2025 från Skatteverket');
  await screenshot(page, 'fees-income-check-dialog');
  await expectNoAxeViolations(page, 'income check dialog');
  await page.keyboard.press('Control+s');
  await expect(dialog).toBeHidden();

  // The answer: corrected, 10 000 kr a month more than declared, and what the next fee run does.
  const result = checks.getByTestId('income-check-result');
  await expect(result).toBeVisible();
  await expect(result).toHaveAttribute('data-outcome', 'corrected');
  await expect(result.getByTestId('income-check-result-outcome')).toHaveText('Rättas');
  await expect(result.getByTestId('income-check-result-taxed')).toHaveText(kr('600 000,00 kr (50 000,00 kr per månad)'));
  await expect(result.getByTestId('income-check-result-declared')).toHaveText(kr('40 000,00 kr per månad, 12 månader'));
  await expect(result.getByTestId('income-check-result-difference')).toHaveText(kr('+10 000,00 kr per månad (gränsen är 1 000,00 kr)'));
  await expect(result.getByTestId('income-check-result-next')).toContainText(kr('De 12 månaderna av 2025 med redovisad inkomst räknas på 50 000,00 kr per månad'));
  const stored = (await app.api('income.checks', { householdId: household })).items;
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ year: 2025, taxedIncome: 60_000_000, checkedMonthly: 5_000_000, declaredMonthly: 4_000_000, monthsDeclared: 12, difference: 1_000_000, outcome: 'corrected', current: true });

  // The table: the check in force, its figures and outcome in words.
  const row = checks.getByTestId('income-check-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-outcome', 'corrected');
  await expect(row).toHaveAttribute('data-current', 'true');
  await expect(row.getByTestId('income-check-status')).toHaveText('Gäller');
  await expect(row.getByTestId('income-check-outcome')).toHaveText('Rättas');
  await expect(row.getByTestId('income-check-difference')).toHaveText(kr('+10 000,00 kr'));
  await expect(row).toContainText(kr('600 000,00 kr'));

  // ---- Its months: Tab into the table, Enter on the row opens the 12 months (declared against checked).
  const table = checks.getByTestId('income-checks-table');
  await keys.focusRowOf(table, row);
  await page.keyboard.press('Enter');
  const months = checks.getByTestId('income-check-month');
  await expect(months).toHaveCount(12);
  await expect(row.getByTestId('income-check-months-toggle')).toHaveAttribute('aria-expanded', 'true');
  await expect(months.first()).toContainText('januari 2025');
  await expect(months.first()).toContainText(kr('40 000,00 kr'));
  await expect(months.first()).toContainText(kr('50 000,00 kr'));
  await expect(months.first()).toContainText(kr('+10 000,00 kr'));
  await expect(checks.locator('[data-testid="income-check-month"][data-effect="corrected"]')).toHaveCount(12);
  await expect(row).toBeFocused();
  await scrollToTop(page, `#household-checks-${household}`);
  await screenshot(page, 'fees-income-check-months');
  await expectNoAxeViolations(page, 'income check with its months');

  // ---- This year is not over: Alt+I, 2026, refused at the year with the reason; nothing stored.
  await page.keyboard.press('Alt+KeyI');
  await expect(dialog).toBeVisible();
  await expect(year).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('2026');
  await app.pressUntilFocused('Tab', 'Taxerad inkomst för året (kronor)');
  await page.keyboard.type('480 000');
  await page.keyboard.press('Control+s');
  await expect(year).toHaveAttribute('aria-invalid', 'true');
  await expect(year).toBeFocused();
  await expect(dialog).toContainText('2026 är inte slut än');
  await screenshot(page, 'fees-income-check-year-open');
  await expectNoAxeViolations(page, 'income check refused for a year not over');
  expect((await app.api('income.checks', { householdId: household })).items).toHaveLength(1);

  // ---- Back to 2025 with a taxed income of 485 000 kr: within the threshold. It supersedes the corrected
  // check, so the next run goes back to the declared incomes; the table keeps the earlier one as history.
  await page.keyboard.press('Control+a');
  await page.keyboard.type('2025');
  await expect(dialog.getByTestId('income-check-replaces')).toContainText('2025 är redan kontrollerat (rättas');
  await app.pressUntilFocused('Tab', 'Taxerad inkomst för året (kronor)');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('485 000');
  await page.keyboard.press('Control+s');
  await expect(dialog).toBeHidden();
  await expect(result).toHaveAttribute('data-outcome', 'within');
  await expect(result.getByTestId('income-check-result-outcome')).toHaveText('Inom gränsen');
  await expect(result.getByTestId('income-check-result-difference')).toHaveText(kr('+416,67 kr per månad (gränsen är 1 000,00 kr)'));
  await expect(result.getByTestId('income-check-result-next')).toContainText('Den tidigare kontrollen av 2025 gäller inte längre');
  await expect(row).toHaveCount(2);
  await expect(row.first()).toHaveAttribute('data-outcome', 'within');
  await expect(row.first().getByTestId('income-check-status')).toHaveText('Gäller');
  await expect(row.nth(1)).toHaveAttribute('data-outcome', 'corrected');
  await expect(row.nth(1).getByTestId('income-check-status')).toHaveText('Ersatt');
  await scrollToTop(page, `#household-checks-${household}`);
  await screenshot(page, 'fees-income-check-superseded');
  await expectNoAxeViolations(page, 'income check superseding an earlier one');
});

/**
 * A child in shared residence: a whole-month fee-bearing place in December, living in two households now
 * (the first in the register's name order).
 */
function sharedResidenceChild(host: HostInfo): { child: string; households: string[] } {
  const db: Database.Database = openHostDb(host);
  try {
    const row = db
      .prepare(
        `SELECT hm.person_id AS child, group_concat(DISTINCT hm.household_id) AS households FROM household_member hm
         JOIN person pe ON pe.id = hm.person_id AND pe.protection = 'none' AND pe.id_canonical IS NOT NULL
         WHERE hm.role = 'child' AND hm.deleted_at IS NULL AND hm.valid_to IS NULL AND hm.valid_from <= '2026-12-01'
           AND EXISTS (SELECT 1 FROM placement p WHERE p.child_id = hm.person_id AND p.state = 'accepted' AND p.school_form IN ('FS', 'FTH') AND p.deleted_at IS NULL
                       AND p.valid_from <= '2026-12-01' AND (p.valid_to IS NULL OR p.valid_to >= '2026-12-31'))
         GROUP BY hm.person_id HAVING count(DISTINCT hm.household_id) = 2
         ORDER BY min(pe.sort_key), hm.person_id LIMIT 1`,
      )
      .get() as { child: string; households: string } | undefined;
    expect(row, 'the demo has a placed child in shared residence').toBeTruthy();
    return { child: row!.child, households: row!.households.split(',') };
  } finally {
    db.close();
  }
}

test('a child in shared residence: the declared split of its fee, 90 % refused at the sum, 70 / 30 saved, by keyboard', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const { child, households } = sharedResidenceChild(host);
  await app.signInAs('fee');
  // The municipality splits a shared-residence child's fee by the declared split.
  const rules = await app.api('fee.rules', {});
  await app.api('fee.rulesUpdate', { se: rules.se, settings: { ...rules.settings, sharedResidence: 'declared_split' }, version: rules.version });
  const card = await app.api('person.get', { id: child });

  // ---- The child's card: search by the identity number, ↓, Enter.
  const hits = await app.search(card.identity!.display);
  await expect(hits.first()).toContainText(card.familyName);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await app.card().visible();
  const fee = page.getByTestId('fee-section');
  const missing = fee.locator('[data-testid="fee-card-warning"][data-code="shared_split_missing"]');
  await expect(missing).toBeVisible();
  // The split: both households, nothing declared yet; the setting uses it.
  const split = fee.getByTestId('fee-split');
  await expect(split).toBeVisible();
  await expect(split.getByRole('heading', { level: 3 })).toHaveText('Fördelning vid växelvis boende');
  const rows = split.getByTestId('fee-split-household');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Hushåll 1');
  await expect(rows.nth(1)).toContainText('Hushåll 2');
  await expect(rows.nth(0).getByTestId('fee-split-share')).toHaveText('ej angiven');
  await expect(rows.nth(1).getByTestId('fee-split-share')).toHaveText('ej angiven');
  await expect(split.getByTestId('fee-split-setting')).toHaveAttribute('data-used', 'true');
  const first = (await rows.nth(0).getAttribute('data-household-id'))!;
  const second = (await rows.nth(1).getAttribute('data-household-id'))!;
  expect([first, second].sort()).toEqual([...households].sort());
  await split.scrollIntoViewIfNeeded();
  await screenshot(page, 'fees-split-card');
  await expectNoAxeViolations(page, 'child card with the shared-residence split');

  // ---- 0 jumps to the fee section; Tab to "Ändra fördelning", Enter: the first household's part has the focus.
  await page.keyboard.press('0');
  await expect(page.locator('#sec-fee-title')).toBeFocused();
  await app.pressUntilFocused('Tab', 'Ändra fördelning');
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('fee-split-dialog');
  await expect(dialog).toBeVisible();
  const parts = dialog.getByTestId('fee-split-part');
  await expect(parts).toHaveCount(2);
  await expect(parts.nth(0)).toBeFocused();
  await expect(parts.nth(0)).toHaveAttribute('data-household-id', first);
  await page.keyboard.type('70');
  // The last part shows the rest until it is typed.
  await expect(parts.nth(1)).toHaveAttribute('placeholder', '30');
  await expect(dialog.getByTestId('fee-split-sum')).toHaveText(kr('Summa: 100 %'));
  await app.pressUntilFocused('Tab', 'Hushåll 2, andel i procent');
  await page.keyboard.type('20');
  await expect(dialog.getByTestId('fee-split-sum')).toHaveText(kr('Summa: 90 % (10 % återstår)'));
  // 90 % is refused at the parts, with the sum in words; nothing is stored.
  await page.keyboard.press('Control+s');
  await expect(dialog.getByTestId('fee-split-sum-error')).toHaveText(kr('Andelarna blir 90 % tillsammans. De ska bli exakt 100 %.'));
  await expect(parts.nth(0)).toHaveAttribute('aria-invalid', 'true');
  await expect(parts.nth(1)).toHaveAttribute('aria-invalid', 'true');
  await expect(parts.nth(0)).toBeFocused();
  await screenshot(page, 'fees-split-dialog-error');
  await expectNoAxeViolations(page, 'split dialog refusing 90 %');
  expect((await app.api('fee.sharedSplitGet', { childId: child })).shares.map((s) => s.feeShareBp)).toEqual([null, null]);
  // 70 and 30.
  await app.pressUntilFocused('Tab', 'Hushåll 2, andel i procent');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('30');
  await expect(dialog.getByTestId('fee-split-sum')).toHaveText(kr('Summa: 100 %'));
  await expect(dialog.getByTestId('fee-split-sum-error')).toHaveCount(0);
  await screenshot(page, 'fees-split-dialog');
  await expectNoAxeViolations(page, 'split dialog');
  await page.keyboard.press('Control+s');
  await expect(dialog).toBeHidden();

  // ---- The card: 70 % and 30 %; the fee is computed again, without asking for the split.
  await expect(rows.nth(0).getByTestId('fee-split-share')).toHaveText(kr('70 %'));
  await expect(rows.nth(1).getByTestId('fee-split-share')).toHaveText(kr('30 %'));
  await expect(missing).toHaveCount(0);
  await expect(split.getByTestId('fee-split-edit')).toBeFocused();
  const stored = (await app.api('fee.sharedSplitGet', { childId: child })).shares;
  expect(Object.fromEntries(stored.map((s) => [s.householdId, s.feeShareBp]))).toEqual({ [first]: 7_000, [second]: 3_000 });
  const explained = await app.api('fee.explain', { personId: child, month: NEXT_MONTH });
  expect(explained.warnings.map((w) => w.code)).not.toContain('shared_split_missing');
  for (const l of explained.lines) expect(l.explanation.shared).toMatchObject({ mode: 'declared_split', shareBp: l.householdId === first ? 7_000 : 3_000 });
  await scrollToTop(page, '#sec-fee-title');
  await screenshot(page, 'fees-split-saved');
  await expectNoAxeViolations(page, 'child card with the split saved');
});
