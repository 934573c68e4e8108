/**
 * The fee rules screen end to end, by keyboard only: the fee administrator opens Avgiftsregler from the palette
 * (the shipped defaults in force), adds a rule set from January 2027 with a higher ceiling (a copy of the latest,
 * which ends in December 2026) and sees it listed and in force for January's fee; a last month before the first
 * is refused at that field, a first month inside an earlier set is refused by the core at that field, and an
 * overlap the core names on another set is said at the dialog's top with that set's name, nothing saved each
 * time; adds the local rule "15 free hours a week from the autumn of the year the child turns 3" and sees it
 * in January's fee; removes the new set again (asked first), and the set it ended runs on. A clerk is not offered the screen. In a Norwegian municipality the SFO/AKS and barnehage
 * sets are shown and a new one saved. The screen and every dialog are axe-checked and screenshotted.
 */
import type Database from 'better-sqlite3';
import type { Locator, Page } from '@playwright/test';
import { expect, expectNoAxeViolations, openHostDb, screenshot, startHost, test, type HostInfo } from './fixtures';
import { KansliApp, OfficeKeyboard } from './pages';

// Two sign-ins, four dialogs saved or refused, axe on each: well over the default minute on two loaded cores.
test.describe.configure({ timeout: 240_000 });

/** A preschool child (förskola, accepted) with its place through January 2027, born in `maxYear` or earlier. */
function preschoolChild(host: HostInfo, maxYear: number): string {
  const db: Database.Database = openHostDb(host);
  try {
    const id = db
      .prepare(
        `SELECT pe.id FROM person pe JOIN placement p ON p.child_id = pe.id AND p.state = 'accepted' AND p.school_form = 'FS' AND p.deleted_at IS NULL
           AND p.valid_from <= '2027-01-01' AND (p.valid_to IS NULL OR p.valid_to >= '2027-01-31')
         WHERE pe.protection = 'none' AND pe.deleted_at IS NULL AND CAST(substr(pe.birth_date, 1, 4) AS INTEGER) <= ?
           AND EXISTS (SELECT 1 FROM household_member hm WHERE hm.person_id = pe.id AND hm.role = 'child' AND hm.deleted_at IS NULL AND hm.valid_to IS NULL)
         ORDER BY pe.sort_key, pe.id LIMIT 1`,
      )
      .pluck()
      .get(maxYear) as string | undefined;
    expect(id, 'the demo has a preschool child placed through January').toBeTruthy();
    return id!;
  } finally {
    db.close();
  }
}

/** Ctrl+K, the command's name, Enter (the palette puts the action named by the query first). */
async function fromPalette(app: KansliApp, command: string): Promise<void> {
  await app.openPalette();
  await app.page.keyboard.type(command);
  const first = app.page.getByRole('dialog').locator('.mantine-Spotlight-action').first();
  await expect(first).toContainText(command);
  await expect(first).toHaveAttribute('data-selected', 'true');
  await app.page.keyboard.press('Enter');
}

/** Replaces what a field holds with `text` (the field has the focus). */
async function retype(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+a');
  await page.keyboard.type(text);
}

/** Esc in a dialog with changes: it asks, and "Släng ändringarna" closes it. */
async function discard(page: Page, dialog: Locator): Promise<void> {
  await page.keyboard.press('Escape');
  await expect(dialog.getByTestId('discard-modal')).toBeVisible();
  await expect(dialog.getByTestId('discard-stay')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByTestId('discard-confirm')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
}

test('the fee administrator maintains the maxtaxa rule sets and a local rule by keyboard; refusals land at their fields', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const keys = new OfficeKeyboard(page);
  await app.signInAs('fee');
  const before = await app.api('fee.rules', {});
  expect(before.defaults).toBe(true);
  const child = preschoolChild(host, 2023);

  // ---- The palette: "Avgiftsregler", Enter. The shipped defaults are in force (said), newest set first.
  await fromPalette(app, 'Gå till Avgiftsregler');
  const screen = page.getByTestId('fee-rules-screen');
  await expect(screen).toBeVisible();
  await expect(page).toHaveURL(/#\/fees\/rules$/);
  await expect(page.getByTestId('nav-feeRules')).toHaveAttribute('aria-current', 'page');
  await expect(screen.getByTestId('fee-rules-defaults')).toContainText('Kanslis medföljande belopp gäller');
  const rows = screen.getByTestId('fee-rule-set-row');
  await expect(rows).toHaveCount(5);
  await expect(rows.first()).toHaveAttribute('data-id', 'se-maxtaxa-2026-h2');
  await expect(rows.first().getByTestId('fee-rule-set-status')).toHaveAttribute('data-status', 'current');
  await expect(rows.first()).toContainText('juli 2026 – tills vidare');
  await expect(rows.first()).toContainText('3 % · 2 % · 1 %');
  await expect(screen.getByTestId('fee-setting-sharedResidence')).toContainText('Båda betalar på egen inkomst, tillsammans högst en maxavgift');
  await expect(screen.getByTestId('fee-rules-local-empty')).toBeVisible();
  await screenshot(page, 'fee-rules-screen');
  await expectNoAxeViolations(page, 'fee rules screen');

  // ---- New rule set: Tab to the button, Enter. A copy of the latest from January 2027, which ends it in December.
  await app.pressUntilFocused('Tab', 'Ny regeluppsättning');
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('fee-rule-set-dialog');
  await expect(dialog).toBeVisible();
  const from = dialog.getByTestId('fee-rule-set-from');
  await expect(from).toBeFocused();
  await expect(from).toHaveValue('2027-01');
  await expect(dialog.getByTestId('fee-rule-set-copy-note')).toContainText('Maxtaxa från 1 juli 2026 (inkomstgolv 10 000 kr)');
  await expect(dialog.getByTestId('fee-rule-set-ends-note')).toHaveText('När du sparar slutar ”Maxtaxa från 1 juli 2026 (inkomstgolv 10 000 kr)” att gälla efter december 2026.');
  await retype(page, '2027-01');
  await page.keyboard.press('Tab');
  await expect(dialog.getByTestId('fee-rule-set-to')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByTestId('fee-rule-set-name')).toBeFocused();
  await expect(dialog.getByTestId('fee-rule-set-name')).toHaveValue('Maxtaxa från januari 2027');
  await page.keyboard.press('Tab');
  const ceiling = dialog.getByTestId('fee-rule-set-ceiling');
  await expect(ceiling).toBeFocused();
  await expect(ceiling).toHaveValue('61560');
  await retype(page, '65 000');
  await expect(dialog.getByTestId('fee-rule-set-ceiling-reads')).toHaveText(/^Läses som 65[\s\u00a0\u202f]000,00[\s\u00a0\u202f]kr\.$/);
  await app.pressUntilFocused('Tab', 'Källa');
  await page.keyboard.type('Skolverket, inkomsttak 2027');
  await screenshot(page, 'fee-rules-new-set-dialog');
  await expectNoAxeViolations(page, 'new rule set dialog');
  await page.keyboard.press('Control+s');
  await expect(dialog).toBeHidden();

  // ---- Listed first (upcoming), the notice says what ended; stored, and in force for January's fee.
  await expect(screen.getByTestId('fee-rules-notice')).toHaveText('Regeluppsättningen ”Maxtaxa från januari 2027” är sparad. ”Maxtaxa från 1 juli 2026 (inkomstgolv 10 000 kr)” gäller till och med december 2026.');
  await expect(rows).toHaveCount(6);
  const added = rows.first();
  await expect(added).toHaveAttribute('data-id', 'se-2027-01');
  await expect(added.getByTestId('fee-rule-set-status')).toHaveAttribute('data-status', 'future');
  await expect(added.getByTestId('fee-rule-set-ceiling')).toHaveAttribute('data-ore', '6500000');
  await expect(rows.nth(1)).toContainText('juli 2026 – december 2026');
  await expect(screen.getByTestId('fee-rules-defaults')).toHaveCount(0);
  const stored = await app.api('fee.rules', {});
  expect(stored.defaults).toBe(false);
  expect(stored.se.find((s) => s.id === 'se-2027-01')).toMatchObject({ validFrom: '2027-01', validTo: null, ceiling: 6_500_000, incomeFloor: 1_000_000, percent: { preschool: [300, 200, 100] }, source: 'Skolverket, inkomsttak 2027' });
  expect(stored.se.find((s) => s.id === 'se-maxtaxa-2026-h2')!.validTo).toBe('2026-12');
  // Everything else exactly as read.
  expect(stored.se.filter((s) => !['se-2027-01', 'se-maxtaxa-2026-h2'].includes(s.id))).toEqual(before.se.filter((s) => s.id !== 'se-maxtaxa-2026-h2'));
  expect(stored.no).toEqual(before.no);
  expect(stored.settings).toEqual(before.settings);
  const january = await app.api('fee.explain', { personId: child, month: '2027-01' });
  expect(january.lines.length).toBeGreaterThan(0);
  for (const l of january.lines) expect(l.explanation).toMatchObject({ ruleSet: { id: 'se-2027-01' }, ceiling: 6_500_000 });
  await screenshot(page, 'fee-rules-saved');

  // ---- A last month before the first: the row (Tab into the table, Enter), "Sista månad" 2026-12, Ctrl+S.
  await keys.focusRowOf(screen.getByTestId('fee-rule-sets-table'), added);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Ändra ”Maxtaxa från januari 2027”' })).toBeVisible();
  await expect(from).toBeFocused();
  await page.keyboard.press('Tab');
  const to = dialog.getByTestId('fee-rule-set-to');
  await expect(to).toBeFocused();
  await page.keyboard.type('2026-12');
  await page.keyboard.press('Control+s');
  await expect(to).toHaveAttribute('aria-invalid', 'true');
  await expect(to).toBeFocused();
  await expect(dialog).toContainText('Den sista månaden ligger före den första.');
  await expect(dialog.getByTestId('form-errors')).toBeVisible();
  await screenshot(page, 'fee-rules-set-error');
  await expectNoAxeViolations(page, 'rule set dialog with an error');
  expect(await app.api('fee.rules', {})).toEqual(stored);
  await discard(page, dialog);

  // ---- A first month inside an earlier set (June 2025): the core refuses the overlap at "Första månad".
  await screen.getByTestId('fee-rules-new-set').focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await expect(from).toBeFocused();
  await expect(from).toHaveValue('2027-02');
  await retype(page, '2025-06');
  await expect(dialog.getByTestId('fee-rule-set-ends-note')).toHaveText('Ingen annan regeluppsättning ändras.');
  await page.keyboard.press('Control+s');
  await expect(from).toHaveAttribute('aria-invalid', 'true');
  await expect(from).toBeFocused();
  await expect(dialog).toContainText('Två regeluppsättningar gäller samma månad.');
  expect(await app.api('fee.rules', {})).toEqual(stored);

  // ---- 2022-06 to 2023-03: the core names the set it overlaps ("Maxtaxa 2023"): said at the top with that set and field.
  await retype(page, '2022-06');
  await page.keyboard.press('Tab');
  await page.keyboard.type('2023-03');
  await page.keyboard.press('Control+s');
  const banner = dialog.getByTestId('form-errors');
  await expect(banner).toBeVisible();
  await expect(banner.getByTestId('form-error')).toHaveText('Regeluppsättningen ”Maxtaxa 2023” (januari 2023 – december 2023), Första månad: Två regeluppsättningar gäller samma månad.');
  await expect(from).not.toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'fee-rules-set-refused-elsewhere');
  await expectNoAxeViolations(page, 'rule set dialog with a refusal about another set');
  expect(await app.api('fee.rules', {})).toEqual(stored);
  await discard(page, dialog);

  // ---- The settings dialog (looked at, closed without changes: Esc closes at once).
  await screen.getByTestId('fee-rules-edit-settings').focus();
  await page.keyboard.press('Enter');
  const settings = page.getByTestId('fee-settings-dialog');
  await expect(settings).toBeVisible();
  await expect(settings.getByTestId('fee-setting-day-count-thirty')).toBeFocused();
  await screenshot(page, 'fee-rules-settings-dialog');
  await expectNoAxeViolations(page, 'settings dialog');
  await page.keyboard.press('Escape');
  await expect(settings).toBeHidden();
  await expect(screen.getByTestId('fee-rules-edit-settings')).toBeFocused();

  // ---- A local rule: 15 free hours a week from the autumn of the year the child turns 3.
  await app.pressUntilFocused('Tab', 'Ny lokal regel');
  await page.keyboard.press('Enter');
  const local = page.getByTestId('fee-local-rule-dialog');
  await expect(local).toBeVisible();
  await expect(local.getByTestId('fee-local-label')).toBeFocused();
  await page.keyboard.type('Allmän förskola 15 timmar');
  await app.pressUntilFocused('Tab', 'Från hösten det år barnet fyller');
  await page.keyboard.type('3');
  // The effect's radios are one Tab stop: the arrows choose.
  await keys.pressUntilIn('Tab', local.getByTestId('fee-local-effect-kind'));
  await expect(local.getByTestId('fee-local-effect-free')).toBeFocused();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await expect(local.getByTestId('fee-local-effect-free_hours')).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(local.getByTestId('fee-local-free-hours')).toBeFocused();
  await page.keyboard.type('15');
  await expect(local.getByTestId('fee-local-full-week')).toHaveValue('40');
  await screenshot(page, 'fee-rules-local-dialog');
  await expectNoAxeViolations(page, 'local rule dialog');
  await page.keyboard.press('Control+s');
  await expect(local).toBeHidden();
  await expect(screen.getByTestId('fee-rules-notice')).toHaveText('Den lokala regeln ”Allmän förskola 15 timmar” är sparad.');
  const localRows = screen.getByTestId('fee-local-rule-row');
  await expect(localRows).toHaveCount(1);
  await expect(localRows.first()).toContainText('från hösten det år barnet fyller 3');
  await expect(localRows.first().getByTestId('fee-local-rule-effect')).toHaveText('15 avgiftsfria timmar i veckan (hel vecka 40 timmar)');
  const withLocal = await app.api('fee.rules', {});
  expect(withLocal.settings.local).toEqual([{ id: 'local-1', label: 'Allmän förskola 15 timmar', when: { fromAutumnOfYearTurning: 3 }, effect: { kind: 'free_hours', hours: 15, fullWeekHours: 40 } }]);
  expect(withLocal.se).toEqual(stored.se);
  expect({ ...withLocal.settings, local: [] }).toEqual(stored.settings);
  // January's fee for a child born 2023 or earlier: the rule applies (it is in the line's explanation).
  const after = await app.api('fee.explain', { personId: child, month: '2027-01' });
  for (const l of after.lines) expect('local' in l.explanation && l.explanation.local.map((x) => [x.id, x.effect])).toEqual([['local-1', 'free_hours']]);
  await localRows.first().scrollIntoViewIfNeeded();
  await screenshot(page, 'fee-rules-local-saved');
  await expectNoAxeViolations(page, 'fee rules screen with a local rule');

  // ---- Remove the new set again (asked first, Cancel has the focus): the set it ended runs on until further notice.
  await keys.pressUntilIn('Shift+Tab', added.getByTestId('fee-rule-set-remove'), 80);
  await page.keyboard.press('Enter');
  const confirm = page.getByTestId('fee-rules-remove-dialog');
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText('Ta bort ”Maxtaxa från januari 2027” (januari 2027 – tills vidare)?');
  await expect(confirm).toContainText('”Maxtaxa från 1 juli 2026 (inkomstgolv 10 000 kr)” gäller då åter tills vidare.');
  await expect(confirm.getByTestId('cancel')).toBeFocused();
  await screenshot(page, 'fee-rules-remove-dialog');
  await expectNoAxeViolations(page, 'remove rule set dialog');
  await page.keyboard.press('Shift+Tab');
  await expect(confirm.getByTestId('fee-rules-remove-confirm')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(confirm).toBeHidden();
  await expect(screen.getByTestId('fee-rules-notice')).toHaveText('Regeluppsättningen ”Maxtaxa från januari 2027” är borttagen.');
  await expect(rows).toHaveCount(5);
  expect((await app.api('fee.rules', {})).se).toEqual(before.se);

  // ---- A clerk is not offered the screen: no navigation item, and its address says forbidden.
  await app.signOut();
  await app.signInAs('clerk');
  await expect(page.getByTestId('nav-feeRules')).toHaveCount(0);
  await app.goto('#/fees/rules');
  await app.ready();
  await expect(page.getByTestId('error-state')).toContainText('Du har inte behörighet till detta.');
  await expect(page.getByTestId('fee-rules-screen')).toHaveCount(0);
});

test.describe('in a Norwegian municipality', () => {
  let host: Awaited<ReturnType<typeof startHost>>;
  test.beforeAll(async () => {
    host = await startHost({ country: 'no', persons: 300 });
  });
  test.afterAll(async () => {
    await host.stop();
  });

  test('the SFO/AKS and barnehage sets: listed, a new one from August 2027 with a higher maximum price, bands that must rise', async ({ page }) => {
    await page.goto(host.info.url);
    const app = new KansliApp(page);
    await app.signInAs('fee');
    const before = await app.api('fee.rules', {});
    await fromPalette(app, 'Gå til Betalingsregler');
    const screen = page.getByTestId('fee-rules-screen');
    await expect(screen).toBeVisible();
    await expect(screen).toHaveAttribute('data-country', 'NO');
    const rows = screen.getByTestId('fee-rule-set-row');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(/Maksimalpris 1\s200,00\skr/);
    await expect(rows.first()).toContainText('Gratis kjernetid');
    // Local rules belong to the Swedish maximum fee: not offered here.
    await expect(screen.getByTestId('fee-rules-local')).toHaveCount(0);
    await screenshot(page, 'fee-rules-no-screen');
    await expectNoAxeViolations(page, 'fee rules screen (Norway)');

    await app.pressUntilFocused('Tab', 'Nytt regelsett');
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('fee-rule-set-dialog');
    await expect(dialog).toBeVisible();
    const from = dialog.getByTestId('fee-rule-set-from');
    await expect(from).toBeFocused();
    await expect(from).toHaveValue('2027-08');
    await expect(dialog.getByTestId('fee-rule-set-ends-note')).toContainText('juli 2027');
    // The second band's limit below the first's: refused at that band.
    const band = dialog.getByTestId('fee-band-1-upTo');
    await band.focus();
    await retype(page, '2');
    await app.pressUntilFocused('Tab', 'Maksimalpris (kr per måned)');
    await retype(page, '1 250');
    await page.keyboard.press('Control+s');
    await expect(band).toHaveAttribute('aria-invalid', 'true');
    await expect(band).toBeFocused();
    await expect(dialog).toContainText('Grensene må stige: hvert trinn høyere enn det forrige.');
    await screenshot(page, 'fee-rules-no-dialog-error');
    await expectNoAxeViolations(page, 'Norwegian rule set dialog with an error');
    expect(await app.api('fee.rules', {})).toEqual(before);
    await retype(page, '3');
    await page.keyboard.press('Control+s');
    await expect(dialog).toBeHidden();
    await expect(screen.getByTestId('fee-rules-notice')).toContainText('«SFO/AKS og barnehage fra august 2027» er lagret');
    await expect(rows).toHaveCount(2);
    const stored = await app.api('fee.rules', {});
    const added = stored.no.find((s) => s.id === 'no-2027-08')!;
    expect(added).toMatchObject({ validFrom: '2027-08', validTo: null, barnehage: { maxPrice: 125_000 } });
    expect(added.sfo.bands.map((b) => b.upToGThousandths)).toEqual([2_250, 3_000, null]);
    expect(stored.no.find((s) => s.id === before.no[0]!.id)!.validTo).toBe('2027-07');
    expect(stored.se).toEqual(before.se);
    expect(stored.settings).toEqual(before.settings);
    await screenshot(page, 'fee-rules-no-saved');
  });
});
