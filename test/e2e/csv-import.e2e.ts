/**
 * A legacy system's CSV end to end, keyboard only, through the browser host in Debian Chromium: the registrar
 * chooses CSV on the Imports screen, has no mapping yet, makes one from the demo's legacy export (sample file,
 * a field per column, a refusal while the family name is missing, then saved), reads the file with it, reviews
 * the dry run with the rows the file got wrong, and applies it. The list of mappings deletes one after a
 * confirmation (Esc keeps it, and the focus returns to its button). Every new screen is checked with axe and kept
 * as a screenshot; users without a municipality-wide register.import are not offered the screens.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { legacyCsvMapping, writeLegacyCsv, type LegacyCsvInfo } from '../../core/demo/legacy-csv';
import type { CsvField } from '../../shared/domain/imports';
import { E2E_TODAY, expect, expectNoAxeViolations, openHostDb, screenshot, test } from './fixtures';
import { CsvMappingFormPage, CsvMappingsPage, ImportRunPage, ImportsPage, KansliApp, OfficeKeyboard } from './pages';

test.describe.configure({ timeout: 240_000 });

/** The demo export's headings as the file writes them, each with the field the demo's mapping gives it. */
function fieldsByHeading(headings: readonly string[]): Map<string, CsvField | ''> {
  const m = legacyCsvMapping('SE');
  const byLower = new Map(Object.entries(m.columns).map(([f, h]) => [h.toLowerCase(), f as CsvField]));
  return new Map(headings.map((h) => [h, byLower.get(h.toLowerCase()) ?? '']));
}

test('the registrar maps a legacy CSV from a sample, reads it with the mapping, reviews its problems and applies it', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const keys = new OfficeKeyboard(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  const dir = mkdtempSync(join(tmpdir(), 'kansli-e2e-csv-'));
  try {
    const path = join(dir, 'extens-elever.csv');
    const info: LegacyCsvInfo = writeLegacyCsv(path, { country: 'SE', rows: 120, seed: 11, withErrors: true, today: E2E_TODAY });
    expect(info.problems.length, 'the file has rows with planted problems').toBeGreaterThan(0);

    await app.signInAs('registrar');
    await keys.leaveSearchBox();
    const imports = new ImportsPage(app);
    await imports.open();

    // CSV is the third format; with no mapping saved, the screen says so and offers to create one.
    await app.pressUntilFocused('Tab', 'Navet (Skatteverket)');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(imports.root.getByTestId('import-format-csv')).toBeChecked();
    const mappingSelect = imports.root.getByTestId('import-mapping');
    await expect(mappingSelect).toBeVisible();
    await expect(imports.root.getByTestId('import-mapping-group')).toContainText('Ingen mappning är sparad ännu.');
    // "Läs in filen" without a mapping (and without a file): both named, the focus on the mapping.
    await app.pressUntilFocused('Tab', 'Läs in filen');
    await page.keyboard.press('Enter');
    await expect(mappingSelect).toHaveAttribute('aria-invalid', 'true');
    await expect(mappingSelect).toBeFocused();
    await expect(imports.root.getByTestId('import-mapping-group')).toContainText('Välj en mappning.');
    await expect(imports.root.getByTestId('import-file-error')).toHaveText('Välj en fil först.');
    await expect(imports.root.getByTestId('form-errors')).toContainText('2 fält behöver rättas.');

    // "Skapa en mappning" is the next stop after the picker.
    await app.pressUntilFocused('Tab', 'Skapa en mappning');
    await page.keyboard.press('Enter');
    const form = new CsvMappingFormPage(app);
    await expect(form.root).toBeVisible();
    await expect(page).toHaveURL(/#\/new\/csv-mapping$/);
    await expect(form.root.getByTestId('csv-columns-empty')).toBeVisible();
    await expectNoAxeViolations(page, 'new CSV mapping, empty');

    // The sample: the file's headings with the first row's values.
    await form.chooseSample(path);
    await expect(form.root.getByTestId('csv-sample-status')).toHaveText('extens-elever.csv: 20 kolumner.');
    await expect(form.columnRows()).toHaveCount(20);
    const headings = await form.columnRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-heading')!));
    expect(headings[0]).toBe('Personnummer');
    await expect(form.columnRows().first().getByTestId('csv-column-sample')).toHaveText(/^\d{6,8}[-+]?\d{4}$/);
    await expect(form.root.getByTestId('csv-delimiter')).toHaveValue('');
    await expect(form.root.getByTestId('csv-format')).toContainText('Exempelfilen använder: Semikolon (;)');
    await screenshot(page, 'csv-mapping-sample');
    await expectNoAxeViolations(page, 'CSV mapping with its sample read');

    // Every column but the family name (and the free-text note, which nobody maps).
    const fields = fieldsByHeading(headings);
    for (const [heading, field] of fields) {
      if (field && field !== 'familyName') await form.pickField(heading, field);
    }
    await expect(form.root.getByTestId('csv-format')).toContainText(/Födelsedatum i exempelfilen: \d{4}-\d{2}-\d{2}/);
    await expect(form.requirement('givenName')).toHaveAttribute('data-state', 'met');
    await expect(form.requirement('familyName')).toHaveAttribute('data-state', 'missing');
    await app.pressUntilFocused('Tab', 'Namn på mappningen');
    await page.keyboard.type('Extens 2019');
    // Nothing said yet about the family name (no save attempted): no banner.
    await expect(form.root.getByTestId('form-errors')).toHaveCount(0);
    // Enter saves: refused, the missing field said on its line, the focus there.
    await page.keyboard.press('Enter');
    const reqError = form.requirement('familyName').getByTestId('csv-req-error');
    await expect(reqError).toHaveText('Välj kolumnen som innehåller fältet.');
    await expect(reqError).toBeFocused();
    await expect(form.requirement('familyName')).toHaveAttribute('data-state', 'error');
    await expect(form.root.getByTestId('form-errors')).toBeVisible();
    expect((await app.api('csvMapping.list', {})).items).toEqual([]);
    await screenshot(page, 'csv-mapping-refused');
    await expectNoAxeViolations(page, 'CSV mapping with a missing field');

    // From the message, Tab on to the family name's column.
    await form.pickField('Efternamn', 'familyName');
    await expect(form.requirement('familyName')).toHaveAttribute('data-state', 'met');
    await expect(form.root.getByTestId('form-errors')).toHaveCount(0);
    await form.root.getByTestId('csv-columns').scrollIntoViewIfNeeded();
    await screenshot(page, 'csv-mapping-form');
    await expectNoAxeViolations(page, 'CSV mapping form');
    await page.keyboard.press('Control+s');

    // Saved: the list, with the mapping and a confirmation.
    const list = new CsvMappingsPage(app);
    await expect(list.root).toBeVisible();
    await expect(list.notice()).toHaveText('Mappningen är sparad.');
    await expect(list.rows()).toHaveCount(1);
    await expect(list.rowOf('Extens 2019')).toContainText('19 fält');
    const saved = (await app.api('csvMapping.list', {})).items[0]!;
    expect(saved).toMatchObject({ name: 'Extens 2019', delimiter: null, dateFormat: 'YYYY-MM-DD' });
    // The same columns as the demo's own mapping (which names them in lower case).
    expect(Object.fromEntries(Object.entries(saved.columns).map(([f, h]) => [f, h.toLowerCase()]))).toEqual(legacyCsvMapping('SE').columns);
    await screenshot(page, 'csv-mappings');
    await expectNoAxeViolations(page, 'CSV mappings');

    // Back to the Imports screen: CSV, the new mapping already chosen; the file, then "Läs in filen".
    await app.pressUntilFocused('Shift+Tab', '← Importer');
    await page.keyboard.press('Enter');
    await expect(imports.root).toBeVisible();
    await app.pressUntilFocused('Tab', 'Navet (Skatteverket)');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(mappingSelect).toHaveValue('Extens 2019');
    await imports.chooseFile(path);
    await expect(imports.root.locator('#import-file-hint')).toHaveText(/CSV- eller textfilen/);
    await screenshot(page, 'imports-csv');
    await expectNoAxeViolations(page, 'imports with CSV chosen');
    const run: ImportRunPage = await imports.start();
    await expect(run.root).toHaveAttribute('data-state', 'ready');
    await expect(run.blocked()).toHaveCount(0);

    // The dry run: new persons, and the rows the file got wrong listed with their lines.
    const dry = await app.api('import.get', { id: run.id() });
    expect(dry).toMatchObject({ format: 'csv', kind: 'delta', skipped: info.rows - info.validRows });
    expect(dry.counts.new_person).toBeGreaterThan(0);
    await expect(run.tab('new_person')).toHaveAttribute('data-count', String(dry.counts.new_person));
    await expect(run.tab('problems')).toHaveAttribute('data-count', String(dry.problems));
    await run.selectTab('problems');
    const problems = run.root.getByTestId('import-problem');
    await expect(problems.first()).toBeVisible();
    for (const p of info.problems) {
      // Each planted problem at its line, under the file's own column heading (a CSV has no <elements>).
      const at = problems.filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^${p.line}$`) }) }).first();
      await expect(at).toBeVisible();
      await expect(at.locator('td').nth(2)).toHaveText(headings[p.column - 1]!);
    }
    await expect(run.root.getByTestId('import-problems').locator('thead')).toContainText('Kolumnrubrik');
    await screenshot(page, 'csv-import-problems');
    await expectNoAxeViolations(page, 'CSV import problems');

    // Apply from the palette; Enter in the confirmation.
    const db = openHostDb(host);
    const before = db.prepare('SELECT count(*) FROM person').pluck().get() as number;
    db.close();
    await app.openPalette();
    await page.keyboard.type('Genomför ändringarna');
    await page.keyboard.press('Enter');
    const dialog = run.applyDialog();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('save')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(run.result()).toBeFocused();
    await expect(run.root).toHaveAttribute('data-state', 'applied');
    await screenshot(page, 'csv-import-applied');
    const after = openHostDb(host);
    expect(after.prepare('SELECT count(*) FROM person').pluck().get()).toBe(before + dry.counts.new_person!);
    expect(after.prepare(`SELECT count(*) FROM person WHERE register_source = 'csv'`).pluck().get()).toBeGreaterThanOrEqual(dry.counts.new_person!);
    after.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the list of mappings: open from the palette, edit one with a sample and a new name, delete one after a confirmation; Esc keeps it and the focus returns', async ({ app: page }) => {
  const app = new KansliApp(page);
  const keys = new OfficeKeyboard(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.signInAs('registrar');
  const demo = legacyCsvMapping('SE');
  await app.api('csvMapping.save', demo);
  await app.api('csvMapping.save', { ...demo, name: 'SATS GS', delimiter: ';', dateFormat: 'DD.MM.YYYY' });
  await keys.leaveSearchBox();

  await app.openPalette();
  await page.keyboard.type('CSV-mappningar');
  await page.keyboard.press('Enter');
  const list = new CsvMappingsPage(app);
  await expect(list.root).toBeVisible();
  await expect(list.rows()).toHaveCount(2);
  await expect(list.rowOf('SATS GS')).toContainText('DD.MM.ÅÅÅÅ (17.05.2016)');
  await expect(list.rowOf('Extens (demo)')).toContainText('Semikolon (;)');

  // The list sorts by a column from the keyboard: the name's header, Enter (A–Ö), Enter again (Ö–A).
  const byName = list.root.getByTestId('sort-name');
  await keys.pressUntilIn('Tab', byName);
  await page.keyboard.press('Enter');
  await expect(list.root.locator('th', { has: page.getByTestId('sort-name') })).toHaveAttribute('aria-sort', 'ascending');
  await expect(list.rows().first()).toHaveAttribute('data-name', 'Extens (demo)');
  await page.keyboard.press('Enter');
  await expect(list.root.locator('th', { has: page.getByTestId('sort-name') })).toHaveAttribute('aria-sort', 'descending');
  await expect(list.rows().first()).toHaveAttribute('data-name', 'SATS GS');
  // ↓ from the header's row into the rows: the first one shown has the focus, Enter would open it.
  await screenshot(page, 'csv-mappings-sorted');
  // The CSV of what is shown, in the order shown (Shift+Tab back to "Exportera CSV").
  await app.pressUntilFocused('Shift+Tab', 'Exportera CSV');
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.csv$/);
  const saved = test.info().outputPath(file.suggestedFilename());
  await file.saveAs(saved);
  const lines = readFileSync(saved, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r\n/);
  expect(lines[0]).toBe('Namn;Avgränsare;Datumformat;Fält');
  expect(lines.slice(1).map((l) => l.split(';')[0])).toEqual(['SATS GS', 'Extens (demo)']);

  // Opening one shows its columns (no sample yet), with its settings.
  await app.pressUntilFocused('Tab', 'Extens (demo)');
  await page.keyboard.press('Enter');
  const form = new CsvMappingFormPage(app);
  await expect(form.root).toBeVisible();
  await expect(page).toHaveURL(/#\/imports\/csv-mappings\/Extens%20\(demo\)$/);
  await expect(form.root.getByTestId('csv-columns-from-mapping')).toBeVisible();
  await expect(form.columnRows()).toHaveCount(19);
  await expect(form.root.getByTestId('csv-name')).toHaveValue('Extens (demo)');
  await expect(form.root.getByTestId('csv-delimiter')).toHaveValue(';');
  await expectNoAxeViolations(page, 'CSV mapping, edit');
  // In bokmål and English too: the longer words must fit.
  for (const [lang, word, heading] of [['Norwegian', 'nb', 'CSV-tilordning: Extens (demo)'], ['English', 'en', 'CSV mapping: Extens (demo)']] as const) {
    await app.openPalette();
    await page.keyboard.type(lang);
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('lang', word);
    await expect(form.root.getByRole('heading', { level: 1 })).toHaveText(heading);
    await screenshot(page, `csv-mapping-edit-${word}`);
  }
  await app.openPalette();
  await page.keyboard.type('svensk');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  // A sample keeps each mapped column on its heading (compared without case) and adds the one nobody maps.
  const dir = mkdtempSync(join(tmpdir(), 'kansli-e2e-csv-'));
  try {
    const path = join(dir, 'extens-2020.csv');
    writeLegacyCsv(path, { country: 'SE', rows: 5, seed: 3, today: E2E_TODAY });
    await form.chooseSample(path);
    await expect(form.columnRows()).toHaveCount(20);
    await expect(form.root.locator('[data-testid="csv-column-row"]:not([data-field=""])')).toHaveCount(19);
    await expect(form.root.locator('[data-testid="csv-column-row"][data-field=""]')).toHaveAttribute('data-heading', 'Anteckning');
    await expect(form.root.getByTestId('csv-column-missing')).toHaveCount(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // A new name: saved under it, and the old one goes.
  await app.pressUntilFocused('Tab', 'Namn på mappningen', 120);
  // A field's own check speaks when the clerk leaves it changed (the name emptied), the banner not before a save.
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Tab');
  await expect(form.root.getByTestId('csv-name')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.root.locator('#csv-name-error')).toHaveText('Fältet måste fyllas i.');
  await expect(form.root.getByTestId('form-errors')).toHaveCount(0);
  await form.root.getByTestId('csv-name').scrollIntoViewIfNeeded();
  await screenshot(page, 'csv-mapping-blur-error');
  await expectNoAxeViolations(page, 'CSV mapping with an error on blur');
  await page.keyboard.press('Shift+Tab');
  await expect(form.root.getByTestId('csv-name')).toBeFocused();
  await page.keyboard.type('Extens 2020');
  await expect(form.root.getByTestId('csv-name')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(form.root.getByTestId('csv-name')).toHaveAccessibleDescription(/Sparas under det nya namnet; mappningen Extens \(demo\) tas då bort\./);
  await page.keyboard.press('Enter');
  await expect(list.root).toBeVisible();
  await expect(list.notice()).toHaveText('Mappningen är sparad.');
  expect((await app.api('csvMapping.list', {})).items.map((m) => m.name)).toEqual(['Extens 2020', 'SATS GS']);

  // Esc leaves an unchanged form at once.
  await app.pressUntilFocused('Tab', 'Extens 2020');
  await page.keyboard.press('Enter');
  await expect(form.root).toBeVisible();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  await expect(list.root).toBeVisible();

  // Delete: the dialog starts on Cancel; Esc closes it and the focus is back on the row's button.
  const del = list.rowOf('Extens 2020').getByTestId('csv-mapping-delete');
  await app.pressUntilFocused('Tab', 'Ta bort mappningen Extens 2020 …');
  await page.keyboard.press('Enter');
  const dialog = list.deleteDialog();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Mappningen Extens 2020 tas bort.');
  await expect(dialog.getByTestId('cancel')).toBeFocused();
  await screenshot(page, 'csv-mapping-delete');
  await expectNoAxeViolations(page, 'delete a CSV mapping');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(del).toBeFocused();
  await expect(list.rows()).toHaveCount(2);

  // Again, and Tab to "Ta bort": the mapping is gone; the focus on the next row's Delete.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await app.pressUntilFocused('Tab', 'Ta bort');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(list.notice()).toHaveText('Mappningen Extens 2020 är borttagen.');
  await expect(list.rows()).toHaveCount(1);
  await expect(list.rowOf('SATS GS').getByTestId('csv-mapping-delete')).toBeFocused();
  expect((await app.api('csvMapping.list', {})).items.map((m) => m.name)).toEqual(['SATS GS']);
});

test('only a municipality-wide register.import opens the CSV mappings: a unit clerk is not offered them', async ({ app: page }) => {
  const app = new KansliApp(page);
  await app.signInAs('clerk');
  await app.openPalette();
  await page.keyboard.type('CSV-mappningar');
  await expect(page.getByRole('dialog').getByText('CSV-mappningar (import från tidigare system)')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('nav-imports')).toHaveCount(0);
  // A typed address: the screen says at once that it is not open to this user (as the core would).
  for (const hash of ['#/imports/csv-mappings', '#/new/csv-mapping', '#/imports/csv-mappings/Extens']) {
    await app.goto(hash);
    await app.ready();
    await expect(page.getByTestId('error-state')).toContainText('Du har inte behörighet till detta.');
    await expect(page.getByTestId('csv-mappings-screen')).toHaveCount(0);
    await expect(page.getByTestId('csv-mapping-form')).toHaveCount(0);
  }
});
