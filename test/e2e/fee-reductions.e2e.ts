/**
 * Norwegian fee reductions on a child's card, by keyboard only (issue 12): in a Norwegian municipality the
 * fee administrator opens a child's card, adds a documented illness of 30 days ("Legg til reduksjon": the
 * kind, the first and last day, a note; Ctrl+S) and sees it listed and the month's fee follow; an illness of
 * 10 days (Alt+R) is refused at its last day with the rule in words, and nothing is stored; the first is
 * ended a day later, then removed after a confirmation. The card and the dialogs are axe-checked and screenshotted.
 */
import type Database from 'better-sqlite3';
import { expect, expectNoAxeViolations, openHostDb, screenshot, startHost, test } from './fixtures';
import { KansliApp } from './pages';

test.describe('fee reductions in a Norwegian municipality', () => {
  let host: Awaited<ReturnType<typeof startHost>>;
  test.beforeAll(async () => {
    host = await startHost({ country: 'no', persons: 400 });
  });
  test.afterAll(async () => {
    await host.stop();
  });

  /** A child with an accepted barnehage place now and through the winter, not protected, with an identity number to search by. */
  function placedChild(): string {
    const db: Database.Database = openHostDb(host.info);
    try {
      const id = db
        .prepare(
          `SELECT pe.id FROM person pe JOIN placement p ON p.child_id = pe.id AND p.state = 'accepted' AND p.school_form = 'BHG' AND p.deleted_at IS NULL
             AND p.valid_from <= '2026-11-23' AND (p.valid_to IS NULL OR p.valid_to >= '2027-02-28')
           WHERE pe.protection = 'none' AND pe.shielded = 0 AND pe.id_canonical IS NOT NULL AND pe.deleted_at IS NULL
           ORDER BY pe.sort_key, pe.id LIMIT 1`,
        )
        .pluck()
        .get() as string | undefined;
      expect(id, 'the demo has a placed child').toBeTruthy();
      return id!;
    } finally {
      db.close();
    }
  }

  test('an illness of 30 days is added by keyboard and listed; one of 10 days is refused at its last day, nothing stored', async ({ page }) => {
    await page.goto(host.info.url);
    const app = new KansliApp(page);
    await app.signInAs('fee');
    const child = placedChild();
    const card = await app.api('person.get', { id: child });
    expect(await app.api('fee.reductions', { childId: child })).toEqual({ items: [] });
    // December is charged before (no income declared: the maximum price).
    const december = async () => (await app.api('fee.explain', { personId: child, month: '2026-12' })).lines.reduce((a, l) => a + l.amount, 0);
    expect(await december()).toBeGreaterThan(0);

    // ---- The child's card: search by the identity number, ↓, Enter. The fee section has the reductions (none yet).
    const hits = await app.search(card.identity!.display);
    await expect(hits.first()).toContainText(card.familyName);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await app.card().visible();
    const block = page.getByTestId('fee-reductions');
    await expect(block).toBeVisible();
    await expect(block.getByRole('heading', { level: 3 })).toHaveText('Reduksjoner i foreldrebetalingen');
    await expect(block).toContainText('Ingen reduksjoner registrert.');
    const add = block.getByTestId('fee-reduction-add');
    await expect(add).toHaveAttribute('aria-keyshortcuts', 'Alt+R');

    // ---- The Norwegian explanation: 0 jumps to the fee section; Tab to "Vis beregningen", Enter. The steps
    // (the maximum price first), the income not declared, the days; looked at and axe-checked.
    await page.keyboard.press('0');
    await expect(page.locator('#sec-fee-title')).toBeFocused();
    await app.pressUntilFocused('Tab', 'Vis beregningen');
    await page.keyboard.press('Enter');
    const explanation = page.getByTestId('fee-card-explanation').first();
    await expect(explanation).toHaveAttribute('data-country', 'NO');
    await expect(explanation).toContainText('Maksimalpris');
    await expect(explanation).toContainText('dager');
    await screenshot(page, 'fee-no-explanation');
    await expectNoAxeViolations(page, 'Norwegian fee explanation');
    await page.keyboard.press('Enter');
    await expect(explanation).toBeHidden();

    // ---- 0 jumps to the fee section; Tab to "Legg til reduksjon", Enter: the dialog, the kind first.
    // Sykdom (type-ahead in the list), 1–30 December, a note; Ctrl+S.
    await page.keyboard.press('0');
    await expect(page.locator('#sec-fee-title')).toBeFocused();
    await app.pressUntilFocused('Tab', 'Legg til reduksjon');
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('fee-reduction-dialog');
    await expect(dialog).toBeVisible();
    const kind = dialog.getByTestId('fee-reduction-kind-select');
    await expect(kind).toBeFocused();
    await page.keyboard.type('Syk');
    await expect(kind).toHaveValue('illness');
    await expect(dialog).toContainText('Dokumentert sykdom i fire uker eller mer');
    await page.keyboard.press('Tab');
    await expect(dialog.getByTestId('fee-reduction-from')).toBeFocused();
    await page.keyboard.type('2026-12-01');
    await page.keyboard.press('Tab');
    await expect(dialog.getByTestId('fee-reduction-to')).toBeFocused();
    await page.keyboard.type('2026-12-30');
    await page.keyboard.press('Tab');
    await expect(dialog.getByTestId('fee-reduction-note')).toBeFocused();
    await page.keyboard.type('Legeerklæring mottatt, ligger i saken');
    await screenshot(page, 'fee-reductions-dialog');
    await expectNoAxeViolations(page, 'fee reduction dialog');
    await page.keyboard.press('Control+s');
    await expect(dialog).toBeHidden();

    // ---- Listed: Sykdom, 1.12.2026–30.12.2026, the note; said, and the focus back on "Legg til reduksjon".
    const rows = block.getByTestId('fee-reduction-row');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-kind', 'illness');
    await expect(rows.first()).toHaveAttribute('data-from', '2026-12-01');
    await expect(rows.first()).toHaveAttribute('data-to', '2026-12-30');
    await expect(rows.first().getByTestId('fee-reduction-kind')).toHaveText('Sykdom');
    await expect(rows.first()).toContainText('Legeerklæring mottatt, ligger i saken');
    await expect(block.getByRole('status')).toHaveText('Reduksjonen er lagret.');
    await expect(add).toBeFocused();
    // The month's fee follows: every day of December (a 30-day month) is covered, nothing is charged.
    await expect(page.getByTestId('fee-card-total')).toHaveText(/^0,00[\s\u00a0\u202f]kr$/);
    expect(await december()).toBe(0);
    const stored = await app.api('fee.reductions', { childId: child });
    expect(stored.items.map((r) => [r.kind, r.validFrom, r.validTo, r.note])).toEqual([['illness', '2026-12-01', '2026-12-30', 'Legeerklæring mottatt, ligger i saken']]);
    await block.scrollIntoViewIfNeeded();
    await screenshot(page, 'fee-reductions-card');
    await expectNoAxeViolations(page, 'child card with a fee reduction');

    // ---- Alt+R, an illness of 10 days (1–10 February): refused at its last day with the rule in words; nothing stored.
    await page.keyboard.press('Alt+KeyR');
    await expect(dialog).toBeVisible();
    await expect(kind).toBeFocused();
    await page.keyboard.type('Syk');
    await expect(kind).toHaveValue('illness');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2027-02-01');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2027-02-10');
    await page.keyboard.press('Control+s');
    const to = dialog.getByTestId('fee-reduction-to');
    await expect(to).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog).toContainText('Sykdom gir fritak fra foreldrebetaling fra fire uker (28 dager). Perioden er 10 dager.');
    await expect(to).toBeFocused();
    await screenshot(page, 'fee-reductions-dialog-refused');
    await expectNoAxeViolations(page, 'fee reduction dialog refusing a 10-day illness');
    expect((await app.api('fee.reductions', { childId: child })).items).toHaveLength(1);

    // Esc asks first (something was typed); leaving it keeps the list as it was.
    await page.keyboard.press('Escape');
    await expect(dialog.getByTestId('discard-modal')).toBeVisible();
    await app.pressUntilFocused('Tab', 'Forkast endringene');
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(rows).toHaveCount(1);
    await expect(add).toBeFocused();

    // ---- "Avslutt" on the row: the last day moved to 31 December (the same rules); the row shows it.
    await app.pressUntilFocused('Tab', 'Avslutt sykdom fra 01.12.2026');
    await page.keyboard.press('Enter');
    const end = page.getByTestId('fee-reduction-end-dialog');
    await expect(end).toBeVisible();
    await expect(end.getByTestId('fee-reduction-end-to')).toBeFocused();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('2026-12-31');
    await page.keyboard.press('Control+s');
    await expect(end).toBeHidden();
    await expect(rows.first()).toHaveAttribute('data-to', '2026-12-31');
    await expect(block.getByRole('status')).toHaveText('Reduksjonens siste dag er lagret.');
    expect((await app.api('fee.reductions', { childId: child })).items.map((r) => [r.validTo, r.version])).toEqual([['2026-12-31', 2]]);
    // The focus is back on the row's "Avslutt"; the next dialog opens at once (kit/focus.ts).
    await expect(rows.first().getByTestId('fee-reduction-end')).toBeFocused();

    // ---- "Fjern": asked first (the focus on Avbryt), then removed; the fee is charged again.
    await app.pressUntilFocused('Tab', 'Fjern sykdom fra 01.12.2026');
    await page.keyboard.press('Enter');
    const remove = page.getByTestId('fee-reduction-remove-dialog');
    await expect(remove).toBeVisible();
    await expect(remove).toContainText('Sykdom, 01.12.2026–31.12.2026, fjernes');
    await expect(remove.getByRole('button', { name: 'Avbryt' })).toBeFocused();
    await screenshot(page, 'fee-reductions-remove');
    await expectNoAxeViolations(page, 'removing a fee reduction');
    await page.keyboard.press('Shift+Tab');
    await expect(page.getByTestId('fee-reduction-remove-submit')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(remove).toBeHidden();
    await expect(rows).toHaveCount(0);
    await expect(block).toContainText('Ingen reduksjoner registrert.');
    await expect(add).toBeFocused();
    expect((await app.api('fee.reductions', { childId: child })).items).toEqual([]);
    expect(await december()).toBeGreaterThan(0);
  });
});
