/**
 * The folkbokföring screens end to end, keyboard only, through the browser host in Debian Chromium: the
 * registrar imports the demo municipality's Navet delta (upload, the read job's progress, the review per kind
 * with a shielded family's addresses masked, apply with its confirmation and progress), confirms a move-out
 * on the work list with a typed end date and finds the placement ended on the child's card; a cancelled read
 * changes nothing; the same delta a second time is refused with the reason; the intake creates an enrolment.
 * Every new screen and dialog is checked with axe and kept as a screenshot.
 *
 * The host is seeded with 3 000 persons (not the default 600): only from that size does the demo's delta
 * move a family whose child has a running placement, which the work list needs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { E2E_TODAY, expect, expectNoAxeViolations, openHostDb, screenshot, startHost, test as base, type HostInfo } from './fixtures';
import { ImportApi, ImportsPage, IntakePage, KansliApp, OfficeKeyboard, WorklistPage } from './pages';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const test = base.extend<{ host: HostInfo }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the object pattern for fixture arguments
  host: async ({}, use) => {
    const h = await startHost({ persons: 3000 });
    await use(h.info);
    await h.stop();
  },
});

// Long keyboard flows on a fresh 3 000-person host each.
test.describe.configure({ timeout: 240_000 });

const deltaPath = (host: HostInfo) => join(host.dataDir, 'demo-population', 'navet-delta.xml');

/** The personnummer of a Navet file's notices of one kind (Arendetyp: "Flyttning inom kommunen" …). */
function noticesOf(xml: string, arendetyp: string): string[] {
  return xml
    .split('<Folkbokforingspost>')
    .slice(1)
    .filter((post) => post.includes(`<Arendetyp>${arendetyp}</Arendetyp>`))
    .map((post) => /<PersonNr>(\d{12})<\/PersonNr>/.exec(post)?.[1])
    .filter((x): x is string => x !== undefined);
}

/** What the register holds, for "nothing changed" (the change log counts every write). */
function registerState(db: Database.Database): Record<string, unknown> {
  return db
    .prepare(
      `SELECT (SELECT count(*) FROM person) AS persons, (SELECT count(*) FROM person_address) AS addresses, (SELECT count(*) FROM guardianship) AS guardianships,
              (SELECT count(*) FROM change_log) AS changes, (SELECT count(*) FROM work_item) AS work, (SELECT group_concat(ordering) FROM import_stream) AS streams`,
    )
    .get() as Record<string, unknown>;
}

/**
 * The demo delta carries no address change of a shielded person, so the registrar would never see a masked
 * value in it. A clerk records a guardian with skyddad folkbokföring for the child of the family that moves
 * within the municipality: the child (and its parent, as co-guardian) become shielded through the link, and
 * their new addresses in the dry run are what the registrar may not see.
 */
async function shieldMovingFamily(app: KansliApp, host: HostInfo): Promise<{ child: string; parent: string }> {
  const within = noticesOf(readFileSync(deltaPath(host), 'utf8'), 'Flyttning inom kommunen');
  expect(within.length, 'the delta moves a family within the municipality').toBeGreaterThan(1);
  const db = openHostDb(host);
  const marks = within.map(() => '?').join(',');
  const child = db.prepare(`SELECT id, given_name, family_name FROM person WHERE id_canonical IN (${marks}) AND birth_date > '2008-11-23' ORDER BY birth_date LIMIT 1`).get(...within) as
    | { id: string; given_name: string; family_name: string }
    | undefined;
  const parent = db.prepare(`SELECT given_name, family_name FROM person WHERE id_canonical IN (${marks}) AND birth_date <= '2008-11-23' ORDER BY birth_date LIMIT 1`).get(...within) as
    | { given_name: string; family_name: string }
    | undefined;
  db.close();
  expect(child, 'a child in the family that moves').toBeTruthy();
  expect(parent, 'a parent in the family that moves').toBeTruthy();
  await app.signInAs('clerk.all');
  const guardian = await app.api('person.create', { identityNumber: null, birthDate: '1984-03-02', sex: 'F', givenName: 'Maj', familyName: 'Skyddsdotter', protection: 'se_skyddad_folkbokforing' });
  await app.api('guardianship.create', { childId: child!.id, guardianId: guardian.id, kind: 'annan_ansvarig', validFrom: '2020-01-01' });
  await app.signOut();
  return { child: `${child!.family_name}, ${child!.given_name}`, parent: `${parent!.family_name}, ${parent!.given_name}` };
}

test('the registrar imports the Navet delta, reviews it, applies it and confirms a move-out on the work list; the card shows the placement ended', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const keys = new OfficeKeyboard(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  const shielded = await shieldMovingFamily(app, host);
  await app.signInAs('registrar');
  await keys.leaveSearchBox();

  // G I: the imports screen; the demo's baseline (the full file) is listed as applied.
  const imports = new ImportsPage(app);
  await imports.open();
  await expect(imports.rows()).toHaveCount(1);
  await expect(imports.rows().first()).toHaveAttribute('data-state', 'applied');
  await expect(imports.root.getByTestId('import-format-navet')).toBeChecked();
  await screenshot(page, 'imports');
  await expectNoAxeViolations(page, 'imports');

  // The file through the page's file field, then "Läs in filen": the run's page follows the read job.
  await imports.chooseFile(deltaPath(host));
  await expect(imports.root.getByTestId('import-file-chosen')).toContainText('navet-delta.xml');
  const run = await imports.start();
  await expect(run.readJob()).toBeVisible();
  await expect(run.readJob().getByRole('progressbar')).toBeVisible();
  await expect(run.readJob()).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  const size = statSync(deltaPath(host)).size;
  await expect(run.readJob()).toContainText(`${(size / 1000).toFixed(1).replace('.', ',')} kB`);
  await expect(run.root).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(run.blocked()).toHaveCount(0);

  // The counts per kind are the core's, on the tabs; "Alla" holds every row.
  const dry = await app.api('import.get', { id: run.id() });
  const total = Object.values(dry.counts).reduce((a, b) => a + b, 0);
  expect(dry.counts.moved_out, 'the delta moves people out').toBeGreaterThan(0);
  await expect(run.tab('all')).toHaveAttribute('data-count', String(total));
  for (const [kind, n] of Object.entries(dry.counts)) await expect(run.tab(kind)).toHaveAttribute('data-count', String(n));
  await expect(run.changes()).toHaveCount(Math.min(total, 100));
  await expect(run.root.getByTestId('import-facts')).toContainText('2026-11-16 – 2026-11-23');

  // The shielded family's new addresses are there, with names, but the values say "Skyddad", never blank.
  const childRow = run.changesOf(shielded.child).and(page.locator('[data-kind="address"]'));
  await expect(childRow).toHaveCount(1);
  await expect(childRow).toHaveAttribute('data-masked', 'true');
  await expect(childRow.getByTestId('import-change-before')).toHaveText(/^Skyddad/);
  await expect(childRow.getByTestId('import-change-after')).toHaveText(/^Skyddad/);
  await expect(childRow.getByTestId('protected-badge')).toBeVisible();
  await expect(run.changesOf(shielded.parent).and(page.locator('[data-kind="address"]'))).toHaveAttribute('data-masked', 'true');
  // Other rows show their values, translated: a move-out names the municipalities.
  const movedOut = run.changes().and(page.locator('[data-kind="moved_out"]')).first();
  await expect(movedOut.getByTestId('import-change-after')).toHaveText(/^Kommun \d{4}$/);
  await childRow.scrollIntoViewIfNeeded();
  await screenshot(page, 'imports-review');
  await expectNoAxeViolations(page, 'import review');

  // One kind at a time: ← → between the tabs.
  await run.selectTab('moved_out');
  await expect(run.changes()).toHaveCount(dry.counts.moved_out!);
  await expect(run.root.locator('[data-testid="import-change"]:not([data-kind="moved_out"])')).toHaveCount(0);
  await screenshot(page, 'imports-review-moved-out');
  await run.selectTab('problems');
  await expect(run.root.getByTestId('import-problems-none')).toBeVisible();
  await expectNoAxeViolations(page, 'import review, problems');

  // Apply from the palette: the confirmation states the counts; Enter applies; the result has the focus.
  await app.openPalette();
  await page.keyboard.type('Genomför ändringarna');
  await page.keyboard.press('Enter');
  const dialog = run.applyDialog();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('save')).toBeFocused();
  await expect(dialog.getByTestId('import-apply-total')).toHaveText(`Totalt ${total} ändringar.`);
  await expect(dialog.getByTestId('import-apply-counts').locator('tr[data-kind="moved_out"] td').last()).toHaveText(String(dry.counts.moved_out));
  await expect(dialog).toContainText('Om du avbryter medan ändringarna sparas ändras ingenting.');
  await screenshot(page, 'imports-apply-confirm');
  await expectNoAxeViolations(page, 'apply confirmation');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  const result = run.result();
  await expect(result).toBeVisible();
  await expect(result).toBeFocused();
  await expect(result).toContainText(`${total} ändringar gjordes`);
  await expect(run.root).toHaveAttribute('data-state', 'applied', { timeout: 60_000 });
  await screenshot(page, 'imports-applied');
  await expectNoAxeViolations(page, 'import applied');
  const work = await app.api('worklist.list', { state: 'open', kind: 'moved_out', offset: 0, limit: 100 });
  const item = work.items.find((i) => i.affects.some((a) => a.type === 'placement' && a.validFrom <= E2E_TODAY));
  expect(item, 'a moved-out child with a running placement').toBeTruthy();
  const placement = item!.affects.find((a) => a.type === 'placement' && a.validFrom <= E2E_TODAY)!;

  // "Till arbetslistan" is the next stop from the result.
  await keys.pressUntilIn('Tab', result.getByTestId('import-go-worklist'));
  await page.keyboard.press('Enter');
  const worklist = new WorklistPage(app);
  await expect(worklist.root).toBeVisible();
  const row = worklist.rowOf(item!.person.name);
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('worklist-affects')).toContainText(placement.unitName);
  await screenshot(page, 'worklist');
  await expectNoAxeViolations(page, 'work list');

  // Only the moves out (the kind filter is a plain select: ↓ to the next choice).
  await app.pressUntilFocused('Tab', 'Händelse');
  const kind = worklist.root.getByTestId('worklist-kind');
  for (let i = 0; i < 6 && (await kind.inputValue()) !== 'moved_out'; i++) await page.keyboard.press('ArrowDown');
  await expect(kind).toHaveValue('moved_out');
  await expect(worklist.rows()).toHaveCount(work.total);
  await expect(worklist.root.locator('[data-testid="worklist-row"]:not([data-kind="moved_out"])')).toHaveCount(0);

  // Sorted by the child's name from the keyboard (the header is a button: Enter), in Swedish order.
  const byPerson = worklist.root.getByTestId('sort-person');
  await keys.pressUntilIn('Tab', byPerson);
  await page.keyboard.press('Enter');
  await expect(worklist.root.locator('th', { has: page.getByTestId('sort-person') })).toHaveAttribute('aria-sort', 'ascending');
  const shownNames = await worklist.root.getByTestId('worklist-person').evaluateAll((cells) => cells.map((c) => c.querySelector('.k-nowrap')!.textContent!.trim()));
  expect(shownNames).toEqual([...shownNames].sort((a, b) => a.localeCompare(b, 'sv')));
  // The CSV of what is shown: logged in the audit log with the children shown, then saved.
  await app.pressUntilFocused('Shift+Tab', 'Exportera CSV');
  const logged = page.waitForRequest((r) => r.url().endsWith('/api/audit.exportShown'));
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const logRequest = JSON.parse((await logged).postData() ?? '{}') as { view: string; format: string; rows: number; personIds: string[] };
  expect(logRequest).toMatchObject({ view: 'worklist.open', format: 'csv', rows: work.total });
  expect(logRequest.personIds).toContain(item!.person.id);
  const csvFile = await download;
  const csvPath = test.info().outputPath(csvFile.suggestedFilename());
  await csvFile.saveAs(csvPath);
  // Excel's byte-order mark first, then the visible columns (the selection's boxes are not exported).
  const csv = readFileSync(csvPath, 'utf8').replace(/^\uFEFF/, '');
  expect(csv.split('\r\n')[0]).toBe('Barn eller elev;Händelse;Datum;Berörda placeringar och inskrivningar;Föreslaget slut');
  expect(csv).toContain(item!.person.name);

  // ↓ to the child's row, Space selects it; Shift+Tab back to "Bekräfta …".
  await worklist.focusRow(row);
  await page.keyboard.press('Space');
  await expect(row).toHaveAttribute('data-selected', 'true');
  await expect(worklist.root.getByTestId('worklist-selected')).toHaveText('1 markerat');
  await screenshot(page, 'worklist-selected');
  await app.pressUntilFocused('Shift+Tab', 'Bekräfta …');
  await page.keyboard.press('Enter');
  const confirm = worklist.confirmDialog();
  await expect(confirm).toBeVisible();
  const endField = confirm.getByTestId('worklist-end-date');
  await expect(endField).toBeFocused();
  await expect(endField).toHaveValue(item!.proposedEnd!);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('2026-11-30');
  await screenshot(page, 'worklist-confirm');
  await expectNoAxeViolations(page, 'work list confirmation');
  await page.keyboard.press('Enter');
  await expect(confirm).toBeHidden();
  await expect(worklist.notice()).toHaveText(`Bekräftat: 1. Avslutade placeringar och inskrivningar: ${item!.affects.length}.`);
  await expect(row).toHaveCount(0);
  await screenshot(page, 'worklist-confirmed');

  // The child's card: the placement now ends on the day typed.
  await app.search(item!.person.identity!);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await app.card().visible();
  const placementRow = page.getByTestId('placement-row').filter({ hasText: placement.unitName });
  await expect(placementRow).toContainText('2026-11-30');
  await placementRow.scrollIntoViewIfNeeded();
  await screenshot(page, 'worklist-card-after');
  const card = await app.api('care.card', { personId: item!.person.id! });
  expect(card.placements.find((p) => p.id === placement.id)?.validTo).toBe('2026-11-30');
});

test('a cancelled read changes nothing: the run is discarded and the register is as it was', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const keys = new OfficeKeyboard(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  // A synthetic full file big enough to read for several seconds (the demo's delta is read in milliseconds).
  const dir = mkdtempSync(join(tmpdir(), 'kansli-e2e-big-'));
  try {
    execFileSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'core', 'cli', 'main.ts'), 'demo', 'population-files', '--country', 'se', '--persons', '100000', '--out', dir], { cwd: root, stdio: 'ignore' });
    const big = join(dir, 'navet-synthetic.xml');
    let db = openHostDb(host);
    const before = registerState(db);
    db.close();

    await app.signInAs('registrar');
    await keys.leaveSearchBox();
    const imports = new ImportsPage(app);
    await imports.open();
    await imports.chooseFile(big);
    const run = await imports.start();
    await expect(run.readJob()).toHaveAttribute('data-state', 'running');
    await expect(run.readJob().getByRole('progressbar')).toBeVisible();
    // Cancel is reached first, then the running screen is pictured and checked, then cancelled: the read
    // must still be running when Enter is pressed, so the slow steps come after the Tab walk (the read
    // finished under CI load before the walk once, with the picture and axe first).
    await app.pressUntilFocused('Tab', 'Avbryt');
    await screenshot(page, 'imports-reading');
    await expectNoAxeViolations(page, 'import being read');
    await expect(run.readJob(), 'the read is still running when Cancel is pressed (the file must be big enough)').toHaveAttribute('data-state', 'running');
    await page.keyboard.press('Enter');
    await expect(run.root).toHaveAttribute('data-state', 'discarded', { timeout: 30_000 });
    await expect(run.root).toContainText('Inläsningen avbröts. Ingenting ändrades i registret.');
    await expect(run.root.getByTestId('import-apply')).toHaveCount(0);
    await screenshot(page, 'imports-cancelled');
    await expectNoAxeViolations(page, 'cancelled import');

    expect((await app.api('import.get', { id: run.id() })).state).toBe('discarded');
    db = openHostDb(host);
    expect(registerState(db)).toEqual(before);
    db.close();
    // Back to the list: the run is there, discarded.
    await app.pressUntilFocused('Shift+Tab', '← Alla importer');
    await page.keyboard.press('Enter');
    await expect(imports.rows().filter({ hasText: 'navet-synthetic.xml' })).toHaveAttribute('data-state', 'discarded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the same delta imported a second time is refused with the reason, and cannot be applied', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const keys = new OfficeKeyboard(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.signInAs('registrar');
  // The first time, through the API (the first test walks it with the keyboard).
  const api = new ImportApi(app);
  const first = await api.read('navet-delta.xml', readFileSync(deltaPath(host), 'utf8'), 'navet');
  expect(first.blocked).toBeNull();
  expect((await api.apply(first.id)).state).toBe('succeeded');

  await keys.leaveSearchBox();
  const imports = new ImportsPage(app);
  await imports.open();
  await imports.chooseFile(deltaPath(host));
  const run = await imports.start();
  await expect(run.blocked()).toBeVisible();
  await expect(run.blocked()).toHaveAttribute('data-code', 'already_applied');
  await expect(run.blocked()).toContainText('Filen kan inte genomföras');
  await expect(run.blocked()).toContainText('Den här filen är redan genomförd. Samma avisering kan inte genomföras två gånger.');
  await expect(run.root.getByTestId('import-apply')).toBeDisabled();
  await expect(run.root.getByTestId('import-no-changes')).toBeVisible();
  await screenshot(page, 'imports-refused');
  await expectNoAxeViolations(page, 'refused import');
  // The core refuses it too.
  const refused = await page.evaluate(async (id) => (await fetch('/api/import.apply', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }) })).json(), run.id());
  expect(refused).toMatchObject({ ok: false, error: { code: 'rule_violation' } });

  // Discard it (the only way on from here): the dialog's focus starts on Cancel.
  await app.pressUntilFocused('Tab', 'Kassera torrkörningen …');
  await page.keyboard.press('Enter');
  const discard = page.getByTestId('import-discard-dialog');
  await expect(discard).toBeVisible();
  await screenshot(page, 'imports-discard');
  await expectNoAxeViolations(page, 'discard dialog');
  await app.pressUntilFocused('Tab', 'Kassera');
  await page.keyboard.press('Enter');
  await expect(discard).toBeHidden();
  await expect(run.root).toHaveAttribute('data-state', 'discarded');
  await expect(run.root.getByTestId('import-notice')).toHaveText('Torrkörningen är kasserad.');

  // The same screens in the other two languages (longer words: nothing may be cut or wrap inside a date).
  await app.openPalette();
  await page.keyboard.type('English');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(run.root.getByTestId('import-discarded')).toHaveText('The dry run was discarded. Nothing was changed in the register.');
  await app.pressUntilFocused('Shift+Tab', '← All imports');
  await page.keyboard.press('Enter');
  await expect(imports.rows()).toHaveCount(3);
  await expect(imports.rows().filter({ hasText: 'Discarded' })).toHaveCount(1);
  await screenshot(page, 'imports-en');
  await expectNoAxeViolations(page, 'imports in English');
  await app.openPalette();
  await page.keyboard.type('Norwegian');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'nb');
  await expect(imports.root.getByRole('heading', { level: 1 })).toHaveText('Folkeregister');
  await expect(imports.rows().filter({ hasText: 'Forkastet' })).toHaveCount(1);
  await screenshot(page, 'imports-nb');
});

test('the intake lists the cohort and creates an enrolment for one child at the chosen school', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const keys = new OfficeKeyboard(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.signInAs('registrar');
  const preview = await app.api('intake.preview', { schoolYear: 2027, offset: 0, limit: 500 });
  const child = preview.items.find((r) => !r.enrolled && r.person.id && !r.person.protected);
  expect(child, 'a child of the 2027 cohort without an enrolment').toBeTruthy();
  let db = openHostDb(host);
  const school = db.prepare(`SELECT id, name FROM org_unit WHERE kind = 'school_unit' AND deleted_at IS NULL AND school_forms LIKE '%"FKLASS"%' ORDER BY name_norm LIMIT 1`).get() as { id: string; name: string };
  db.close();

  await keys.leaveSearchBox();
  await app.openPalette();
  await page.keyboard.type('Skolstart');
  await page.keyboard.press('Enter');
  const intake = new IntakePage(app);
  await expect(intake.root).toBeVisible();
  await expect(intake.root.getByTestId('intake-year')).toHaveValue('2027');
  await expect(intake.root.getByTestId('intake-summary')).toHaveText('Förskoleklass börjar 2027-08-01.');
  await expect(intake.rows()).toHaveCount(Math.min(preview.total, 100));
  await expect(intake.root.getByTestId('intake-range')).toHaveText(`1–${Math.min(preview.total, 100)} av ${preview.total}`);
  if (preview.hiddenProtected > 0) await expect(intake.root.getByTestId('intake-hidden-protected')).toBeVisible();
  await screenshot(page, 'intake');
  await expectNoAxeViolations(page, 'intake');

  // ↓ to the child, Space; then the school for the selection, and "Skapa inskrivningar".
  const row = intake.rowOf(child!.person.name);
  await intake.focusRow(row);
  await page.keyboard.press('Space');
  await expect(row.getByTestId('intake-select')).toBeChecked();
  await app.pressUntilFocused('Shift+Tab', 'Skola för de markerade');
  await page.keyboard.type(school.name.slice(0, 6));
  await keys.pickOption(intake.root.getByTestId('intake-unit'), school.name);
  await expect(intake.root.getByTestId('intake-unit')).toHaveValue(school.name);
  await app.pressUntilFocused('Tab', 'Skapa inskrivningar (1)');
  await screenshot(page, 'intake-selected');
  await expectNoAxeViolations(page, 'intake with a selection');
  await page.keyboard.press('Enter');
  const done = intake.root.getByTestId('intake-done');
  await expect(done).toHaveText('Skapade inskrivningar: 1. Överhoppade (redan inskrivna): 0.');
  await expect(done).toBeFocused();
  await expect(row).toHaveAttribute('data-enrolled', 'true');
  await expect(row).toContainText('Redan inskriven');
  await screenshot(page, 'intake-done');

  db = openHostDb(host);
  const enrolment = db.prepare(`SELECT unit_id, school_form, grade, valid_from, valid_to FROM enrolment WHERE pupil_id = ? AND deleted_at IS NULL AND valid_from = '2027-08-01'`).get(child!.person.id) as
    | Record<string, unknown>
    | undefined;
  db.close();
  expect(enrolment).toMatchObject({ unit_id: school.id, school_form: 'FKLASS', grade: 0, valid_from: '2027-08-01', valid_to: null });
});

test('the help overlay lists the new shortcuts; the work list’s dismiss dialog needs a note', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const keys = new OfficeKeyboard(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.signInAs('registrar');
  await keys.leaveSearchBox();
  await page.keyboard.press('?');
  const help = page.getByTestId('help-overlay');
  await expect(help).toBeVisible();
  await expect(help).toContainText('Importera folkbokföring');
  await expect(help).toContainText('Gå till arbetslistan');
  await expect(help).toContainText('Markera alla rader på sidan');
  await screenshot(page, 'imports-help');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // An item to dismiss: the delta applied through the API leaves custody items on the list.
  const api = new ImportApi(app);
  const run = await api.read('navet-delta.xml', readFileSync(deltaPath(host), 'utf8'), 'navet');
  expect((await api.apply(run.id)).state).toBe('succeeded');
  await page.keyboard.press('g');
  await page.keyboard.press('w');
  const worklist = new WorklistPage(app);
  await expect(worklist.root).toBeVisible();
  await expect(worklist.rows().first()).toBeVisible();
  const count = await worklist.rows().count();
  // In Norwegian first: the kinds, the places and the dates must fit as well as in Swedish.
  await app.openPalette();
  await page.keyboard.type('Norwegian');
  await page.keyboard.press('Enter');
  await expect(worklist.root.getByRole('heading', { level: 1 })).toHaveText('Arbeidsliste');
  await expect(worklist.rows().filter({ hasText: 'Foreldreansvar' }).first()).toBeVisible();
  await screenshot(page, 'worklist-nb');
  await expectNoAxeViolations(page, 'work list in bokmål');
  await app.openPalette();
  await page.keyboard.type('svensk');
  await page.keyboard.press('Enter');
  await expect(worklist.root.getByRole('heading', { level: 1 })).toHaveText('Arbetslista');
  await worklist.focusRow(worklist.rows().first());
  await page.keyboard.press('Control+a');
  await expect(worklist.root.locator('[data-testid="worklist-row"][data-selected]')).toHaveCount(count);
  await app.pressUntilFocused('Shift+Tab', 'Avfärda …');
  await page.keyboard.press('Enter');
  const dismiss = worklist.dismissDialog();
  await expect(dismiss).toBeVisible();
  await expect(dismiss.getByTestId('worklist-dismiss-note')).toBeFocused();
  await page.keyboard.type('kort');
  await page.keyboard.press('Control+s');
  await expect(dismiss.getByTestId('worklist-dismiss-note')).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'worklist-dismiss');
  await expectNoAxeViolations(page, 'dismiss dialog with an error');
  await page.keyboard.type(' – vårdnaden är redan utredd av socialtjänsten');

  // Meanwhile someone else handles one of the items: the dismissal is refused as a whole, the list is read
  // again and says why; nothing of the selection was dismissed.
  const open = await app.api('worklist.list', { state: 'open', offset: 0, limit: 50 });
  await app.api('worklist.dismiss', { items: [{ id: open.items[0]!.id, version: open.items[0]!.version }], note: 'Hanterad i ett annat fönster' });
  await page.keyboard.press('Control+s');
  await expect(dismiss).toBeHidden();
  await expect(worklist.notice()).toHaveText('Någon annan har redan hanterat ett av ärendena. Listan är uppdaterad; kontrollera och försök igen.');
  await expect(worklist.rows()).toHaveCount(count - 1);
  await expect(worklist.root.locator('[data-testid="worklist-row"][data-selected]')).toHaveCount(0);
  await expect(worklist.rows().first()).toBeFocused();
  await screenshot(page, 'worklist-conflict');
  await expectNoAxeViolations(page, 'work list after a conflict');

  // The rest, again: Ctrl+A, "Avfärda …", a note, Ctrl+S.
  await page.keyboard.press('Control+a');
  await app.pressUntilFocused('Shift+Tab', 'Avfärda …');
  await page.keyboard.press('Enter');
  await expect(dismiss).toBeVisible();
  await page.keyboard.type('Vårdnaden är redan utredd av socialtjänsten');
  await page.keyboard.press('Control+s');
  await expect(dismiss).toBeHidden();
  await expect(worklist.notice()).toHaveText(`Avfärdat: ${count - 1}.`);
  await expect(worklist.root.getByTestId('worklist-empty')).toBeVisible();
  // The dismissed items, with who and why, under "Avfärdade".
  // The state filter is a radio group: Tab reaches the chosen one, → moves on.
  await app.pressUntilFocused('Tab', 'Öppna');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/#\/worklist\?state=dismissed/);
  await expect(worklist.rows()).toHaveCount(count);
  await expect(worklist.rows().first()).toContainText('Rut Registrator (demo)');
  await screenshot(page, 'worklist-dismissed');
  await expectNoAxeViolations(page, 'dismissed items');
});

test('a record the register got wrong is skipped and listed with its line; the error report downloads as CSV', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const keys = new OfficeKeyboard(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  // The delta with one impossible birth date (30 February) in the notice of a name change.
  const xml = readFileSync(deltaPath(host), 'utf8');
  const posts = xml.split('<Folkbokforingspost>');
  const at = posts.findIndex((p) => p.includes('<Arendetyp>Namnändring</Arendetyp>'));
  expect(at, 'the delta changes a name').toBeGreaterThan(0);
  posts[at] = posts[at]!.replace(/<Fodelsedatum>\d{8}<\/Fodelsedatum>/, '<Fodelsedatum>20230230</Fodelsedatum>');
  const broken = posts.join('<Folkbokforingspost>');
  const line = broken.slice(0, broken.indexOf('<Fodelsedatum>20230230')).split('\n').length;
  const dir = mkdtempSync(join(tmpdir(), 'kansli-e2e-bad-'));
  try {
    const path = join(dir, 'navet-delta-fel.xml');
    writeFileSync(path, broken);
    await app.signInAs('registrar');
    await keys.leaveSearchBox();
    const imports = new ImportsPage(app);
    await imports.open();
    await imports.chooseFile(path);
    const run = await imports.start();
    await expect(run.root).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
    // One record skipped, the rest of the file applicable.
    await expect(run.blocked()).toHaveCount(0);
    await expect(run.tab('problems')).toHaveAttribute('data-count', '1');
    await expect(run.root.getByTestId('import-facts')).toContainText('(överhoppade poster: 1)');
    await expect(run.root.getByTestId('import-apply')).toBeEnabled();

    await run.selectTab('problems');
    const problem = run.root.getByTestId('import-problem');
    await expect(problem).toHaveCount(1);
    await expect(problem.locator('td').nth(0)).toHaveText(String(line));
    await expect(problem.locator('td').nth(2)).toHaveText('<Fodelsedatum>');
    await expect(problem.locator('td').nth(3)).toContainText('20230230');
    await screenshot(page, 'imports-problems');
    await expectNoAxeViolations(page, 'import problems');

    // "Ladda ner felrapport (CSV)": Tab to it, Enter; the browser downloads the report.
    await app.pressUntilFocused('Tab', 'Ladda ner felrapport (CSV)');
    const download = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    const saved = test.info().outputPath(file.suggestedFilename());
    await file.saveAs(saved);
    const csv = readFileSync(saved, 'utf8');
    expect(csv).toContain(String(line));
    expect(csv).toContain('Fodelsedatum');
    await expect(run.root.getByTestId('import-problems-exported')).toContainText(file.suggestedFilename());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
