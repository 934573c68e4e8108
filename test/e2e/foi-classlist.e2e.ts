/**
 * The anonymous class-list request end to end (issue 13), by keyboard only, signed in as the demo's FOI
 * officer (who may not see protected identities): a journalist asks anonymously for a class list (a request
 * for a public document; registering one by keyboard is foi.e2e.ts's, so it is created through the contract,
 * received the Friday before today). A class with at least one protected pupil is taken from the demo (if the
 * demo has none, the protected-identity handler protects one first). On the request's page "Lägg till klass"
 * adds the class: the unit and the class picked by typing and the arrow keys, the day the request was
 * received proposed, the class's members counted with the protected ones (never named); the notice says how
 * many were added and how many are protected; adding it again adds nobody. Alt+G gathers: each pupil's
 * identity is an item, the protected pupils' proposed withheld on OSL 21:3 and shown as "Skyddad person";
 * "Godta förslagen" takes every proposal (nothing is skipped); the review is complete; the request goes to
 * the decision and is decided. The extract (PDF) lists the other pupils by name and the protected ones as
 * "Person n" with the ground, with no name or identity number of theirs in it; the decision letter cites
 * OSL 21:3. The extract's pages are rendered (pdftoppm) into test-results/screens. The dialog, the work list
 * and the decided request are axe-checked and photographed.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, expectNoAxeViolations, openHostDb, screenshot, SCREENSHOT_DIR, startHost, test } from './fixtures';
import { FoiGroupDialog, FoiPage, FoiRequestPage, KansliApp } from './pages';
import type { MethodOutput } from '../../shared/api/contract';

const TODAY = '2026-11-23';
/** The Friday before: the dialog proposes the request's day, not today. */
const RECEIVED = '2026-11-20';
type Items = MethodOutput<'foi.items'>['items'];

interface Pupil {
  id: string;
  given: string;
  family: string;
  idCanonical: string | null;
  birthDate: string | null;
  protection: string;
}
interface Klass {
  id: string;
  name: string;
  unit: string;
  pupils: Pupil[];
}

async function newPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 850 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** The class's members on a day, by the register's order, with what the checks need. */
function membersOf(db: ReturnType<typeof openHostDb>, groupId: string, on: string): Pupil[] {
  return db
    .prepare(
      `SELECT DISTINCT p.id, p.given_name AS given, p.family_name AS family, p.id_canonical AS idCanonical, p.birth_date AS birthDate, p.protection, p.sort_key
       FROM group_membership m JOIN person p ON p.id = m.person_id
       WHERE m.group_id = @g AND m.deleted_at IS NULL AND p.deleted_at IS NULL AND m.valid_from <= @on AND (m.valid_to IS NULL OR m.valid_to >= @on)
       ORDER BY p.sort_key, p.id`,
    )
    .all({ g: groupId, on })
    .map((r) => {
      const { sort_key: _, ...p } = r as Pupil & { sort_key: string };
      return p;
    });
}

/** Every way an identity number can be written (12 digits, with the hyphen, the 10-digit forms). */
function numberForms(canonical: string | null): string[] {
  if (!canonical) return [];
  const d = canonical.replace(/\D/g, '');
  const forms = [d, `${d.slice(0, 8)}-${d.slice(8)}`, `${d.slice(0, 8)}+${d.slice(8)}`];
  if (d.length === 12) forms.push(d.slice(2), `${d.slice(2, 8)}-${d.slice(8)}`, `${d.slice(2, 8)}+${d.slice(8)}`);
  return forms;
}

/** Whether `text` holds `word` as a word of its own (letters on neither side: "Liv" is not in "Olivia"). */
const hasWord = (text: string, word: string): boolean => new RegExp(`(?<!\\p{L})${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\p{L})`, 'u').test(text);

const pdfText = (file: string): string => execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');

test.describe('the anonymous class-list request', () => {
  test.describe.configure({ mode: 'serial' });
  let host: Awaited<ReturnType<typeof startHost>>;
  let page: Page;
  let app: KansliApp;
  let klass: Klass;
  let requestId = '';
  const shielded = () => klass.pupils.filter((p) => p.protection !== 'none');
  const ordinary = () => klass.pupils.filter((p) => p.protection === 'none');
  /** What the officer must never see or hand out: each protected pupil's names and number, in every form. */
  const secrets = () => shielded().flatMap((p) => [`${p.family}, ${p.given}`, `${p.given} ${p.family}`, ...numberForms(p.idCanonical)]);
  const bodyText = () => page.evaluate(() => document.body.innerText.replace(/\s+/g, ' '));

  test.beforeAll(async ({ browser }) => {
    host = await startHost({ persons: 600 });
    const db = openHostDb(host.info);
    let chosen: { id: string; name: string; unit: string } | undefined;
    try {
      // A class with a protected pupil and at least four others on the day received (the smallest such class:
      // a shorter extract), else the smallest class with five pupils or more (one is protected below).
      const classes = db
        .prepare(
          `SELECT g.id, g.name, u.name AS unit, count(DISTINCT p.id) AS n, count(DISTINCT CASE WHEN p.protection <> 'none' THEN p.id END) AS prot
           FROM school_group g JOIN org_unit u ON u.id = g.unit_id
           JOIN group_membership m ON m.group_id = g.id AND m.deleted_at IS NULL AND m.valid_from <= @on AND (m.valid_to IS NULL OR m.valid_to >= @on)
           JOIN person p ON p.id = m.person_id AND p.deleted_at IS NULL
           WHERE g.deleted_at IS NULL AND g.kind = 'class'
             AND (SELECT count(*) FROM school_group h WHERE h.unit_id = g.unit_id AND h.name = g.name AND h.school_year = g.school_year AND h.deleted_at IS NULL) = 1
           GROUP BY g.id HAVING n >= 5 AND n - prot >= 4
           ORDER BY prot > 0 DESC, n, g.name`,
        )
        .all({ on: RECEIVED }) as { id: string; name: string; unit: string; n: number; prot: number }[];
      expect(classes.length, 'the demo has a class of five pupils or more').toBeGreaterThan(0);
      // Preferably one where a protected pupil's name sorts before another pupil's: where a name-ordered
      // output would give away the place of the withheld name in the alphabet.
      const withPupils = classes.map((c) => ({ c, pupils: membersOf(db, c.id, RECEIVED) }));
      const inside = withPupils.find(({ pupils }) => pupils.findIndex((p) => p.protection !== 'none') >= 0 && pupils.findIndex((p) => p.protection !== 'none') < pupils.length - 1);
      const pick = inside ?? withPupils[0]!;
      chosen = pick.c;
      klass = { id: chosen.id, name: chosen.name, unit: chosen.unit, pupils: pick.pupils };
    } finally {
      db.close();
    }

    // No protected pupil in any class: the protected-identity handler protects the class's first pupil.
    if (shielded().length === 0) {
      const handlerPage = await newPage(browser, host.info.url);
      const handler = new KansliApp(handlerPage);
      await handler.signInAs('protected');
      const first = klass.pupils[0]!;
      const card = await handler.api('person.get', { id: first.id });
      const rdb = openHostDb(host.info);
      try {
        const p = rdb.prepare('SELECT * FROM person WHERE id = ?').get(first.id) as Record<string, string | null>;
        await handler.api('person.update', {
          id: first.id,
          version: card.version,
          mode: 'change',
          person: {
            identityNumber: p.id_canonical ?? null,
            reserveNumber: p.reserve_number ?? null,
            birthDate: p.birth_date ?? null,
            sex: (p.sex ?? null) as 'F' | 'M' | 'X' | null,
            givenName: p.given_name!,
            middleName: p.middle_name ?? null,
            familyName: p.family_name!,
            preferredName: p.preferred_name ?? null,
            status: p.status as 'active',
            nationality: p.nationality ?? null,
            motherTongue: p.mother_tongue ?? null,
            maalform: (p.maalform ?? null) as null,
            protection: 'se_sekretessmarkering',
          },
        });
      } finally {
        rdb.close();
      }
      await handlerPage.context().close();
      const again = openHostDb(host.info);
      try {
        klass.pupils = membersOf(again, klass.id, RECEIVED);
      } finally {
        again.close();
      }
    }
    expect(shielded().length, 'the class has a protected pupil').toBeGreaterThan(0);
    expect(ordinary().length).toBeGreaterThanOrEqual(4);

    page = await newPage(browser, host.info.url);
    app = new KansliApp(page);
    await app.signInAs('foi');
    // Setup: the anonymous request for the class list, received on Friday (registering by keyboard is foi.e2e.ts's).
    const created = await app.api('foi.requestCreate', {
      kind: 'se_public_document',
      receivedOn: RECEIVED,
      channel: 'email',
      requesterKind: 'anonymous',
      language: 'sv',
      askedFor: `Klasslistan för klass ${klass.name} på ${klass.unit} (e2e).`,
      persons: [],
    });
    requestId = created.id;
  });
  test.afterAll(async () => {
    await page?.context().close();
    await host?.stop();
  });

  const items = async (): Promise<Items> => (await app.api('foi.items', { requestId, offset: 0, limit: 500 })).items;
  const scrollTo = (id: string) => page.evaluate((x) => document.getElementById(x)?.scrollIntoView({ block: 'start' }), id);

  test('"Lägg till klass": the unit, the class and the request\'s day by keyboard; the protected pupils counted, never named', async () => {
    const n = klass.pupils.length;
    const prot = shielded().length;
    // ---- G F, the request from the list (Tab to it, Enter).
    const foi = new FoiPage(app);
    await foi.open();
    await expect(foi.row(requestId)).toBeVisible();
    const onRow = () => page.evaluate(() => document.activeElement?.closest('[data-testid="foi-table"] tbody tr')?.getAttribute('data-request-id') ?? null);
    for (let i = 0; i < 60 && (await onRow()) === null; i++) await page.keyboard.press('Tab');
    await expect.poll(onRow).toBe(requestId);
    await page.keyboard.press('Enter');
    const req = new FoiRequestPage(app);
    await req.visible(requestId);
    await req.status('registered');
    await expect(req.root.getByTestId('foi-persons-none')).toBeVisible();

    // ---- "Lägg till klass" beside "Lägg till person": the unit has the focus.
    await app.pressUntilFocused('Tab', 'Lägg till klass');
    await page.keyboard.press('Enter');
    const dialog = new FoiGroupDialog(app);
    await expect(dialog.root).toBeVisible();
    await expect(dialog.root.getByRole('heading', { name: 'Lägg till en klass eller grupp' })).toBeVisible();
    // Nothing chosen: Ctrl+S names both fields.
    await page.keyboard.press('Control+s');
    await expect(dialog.root.getByText('Välj en enhet.')).toBeVisible();
    await expect(dialog.root.getByText('Välj en klass eller grupp.')).toBeVisible();
    await expect(dialog.unit()).toBeFocused();
    // The class is offered only once its unit is chosen; the day is the request's, not today.
    await expect(dialog.group()).toBeDisabled();
    await expect(dialog.day()).toHaveValue(RECEIVED);
    await dialog.pick(dialog.unit(), klass.unit, klass.unit);
    await page.keyboard.press('Tab');
    await dialog.pick(dialog.group(), klass.name, klass.name);
    await page.keyboard.press('Tab');
    await expect(dialog.day()).toBeFocused();
    await expect(dialog.day()).toHaveValue(RECEIVED);

    // ---- The class that day, counted: the protected pupils too, and not one name.
    await expect(dialog.preview()).toHaveAttribute('data-members', String(n));
    await expect(dialog.preview()).toHaveAttribute('data-protected', String(prot));
    await expect(dialog.preview().getByRole('paragraph').first()).toHaveText(`${klass.name}: ${n} medlemmar den ${RECEIVED}.`);
    await expect(dialog.protectedNote()).toContainText(
      prot === 1
        ? 'Av dem är 1 skyddad. Namnet visas inte här; eleven läggs till som de andra, och vid insamlingen föreslås identiteten sekretessbelagd.'
        : `Av dem är ${prot} skyddade. Namnen visas inte här; de läggs till som de andra, och vid insamlingen föreslås deras identitet sekretessbelagd.`,
    );
    const dialogText = (await dialog.root.innerText()).replace(/\s+/g, ' ');
    for (const s of secrets()) expect(dialogText, 'the dialog names no protected pupil').not.toContain(s);
    await screenshot(page, 'foi-classlist-dialog-sv');
    await expectNoAxeViolations(page, 'add a class to a request');

    // ---- Ctrl+S: added; the notice counts them and the protected ones; the focus back on the button.
    await page.keyboard.press('Control+s');
    await expect(dialog.root).toBeHidden();
    await expect(req.notice()).toContainText(`${n} personer från ${klass.name} är tillagda.`);
    await expect(req.root.getByTestId('foi-request-notice-lines')).toHaveText(
      prot === 1 ? '1 skyddad: identiteten föreslås sekretessbelagd.' : `${prot} skyddade: deras identitet föreslås sekretessbelagd.`,
    );
    await expect(req.root.getByTestId('foi-group-add')).toBeFocused();
    await expect(req.persons()).toHaveCount(n);
    for (const p of klass.pupils) {
      const row = req.root.locator(`[data-testid="foi-link-row"][data-person-id="${p.id}"]`);
      await expect(row).toHaveAttribute('data-role', 'listed');
      if (p.protection === 'none') await expect(row.getByTestId('foi-link-person')).toHaveText(`${p.family}, ${p.given}`);
      else {
        await expect(row.getByTestId('foi-link-person')).toContainText('Skyddad person');
        await expect(row.getByTestId('protected-badge')).toBeVisible();
      }
    }
    const links = (await app.api('foi.request', { id: requestId })).links;
    expect(links.map((l) => l.person.id).sort()).toEqual(klass.pupils.map((p) => p.id).sort());
    expect(links.filter((l) => l.person.name === null).map((l) => l.person.id).sort()).toEqual(shielded().map((p) => p.id).sort());
    const afterAdd = await bodyText();
    for (const s of secrets()) expect(afterAdd, 'the page names no protected pupil').not.toContain(s);
    await scrollTo('sec-foi-persons-title');
    await screenshot(page, 'foi-classlist-persons-sv');
    await expectNoAxeViolations(page, 'the request with the class added');

    // ---- The same class again: nobody new, all counted as already there.
    await page.keyboard.press('Enter');
    await expect(dialog.root).toBeVisible();
    await dialog.pick(dialog.unit(), klass.unit, klass.unit);
    await page.keyboard.press('Tab');
    await dialog.pick(dialog.group(), klass.name, klass.name);
    await expect(dialog.preview()).toHaveAttribute('data-members', String(n));
    // A day before the school year: nobody in the class then; Ctrl+S says so on the class and saves nothing.
    await page.keyboard.press('Tab');
    await expect(dialog.day()).toBeFocused();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('2026-06-01');
    await expect(dialog.preview()).toHaveAttribute('data-members', '0');
    await expect(dialog.preview()).toContainText(`${klass.name}: 0 medlemmar den 2026-06-01.`);
    await page.keyboard.press('Control+s');
    await expect(dialog.root.getByText('Klassen har inga medlemmar den dagen: välj en annan dag eller klass.')).toBeVisible();
    await expect(dialog.group()).toBeFocused();
    await expect(dialog.group()).toHaveAttribute('aria-invalid', 'true');
    // Back to the request's day (Tab to the day, typed the short way: 20/11): Ctrl+S.
    await page.keyboard.press('Tab');
    await expect(dialog.day()).toBeFocused();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('20/11');
    await expect(dialog.preview()).toHaveAttribute('data-members', String(n));
    await page.keyboard.press('Control+s');
    await expect(dialog.root).toBeHidden();
    await expect(req.notice()).toContainText(`Ingen ny person från ${klass.name}.`);
    await expect(req.root.getByTestId('foi-request-notice-lines')).toContainText(`${n} fanns redan bland de berörda.`);
    await expect(req.persons()).toHaveCount(n);
  });

  test('Alt+G gathers the class list: the protected pupils\' identity proposed withheld on OSL 21:3, unnamed; the proposals taken', async () => {
    const req = new FoiRequestPage(app);
    const n = klass.pupils.length;
    await req.status('registered');

    // ---- Alt+G: one identity item per pupil.
    await page.keyboard.press('Alt+KeyG');
    await req.status('gathering');
    await expect(req.notice()).toHaveText(`Insamlingen är klar: ${n} nya, 0 ändrade och 0 borttagna poster (${n} totalt).`);
    const gathered = await items();
    expect(gathered.map((i) => i.category)).toEqual(Array(n).fill('identity'));
    expect(gathered.map((i) => i.person.id).sort()).toEqual(klass.pupils.map((p) => p.id).sort());
    await expect(req.items()).toHaveCount(n);

    // ---- The proposals: a protected pupil's identity withheld on OSL 21:3 and the name not shown; the others disclosed.
    for (const p of klass.pupils) {
      const item = gathered.find((i) => i.person.id === p.id)!;
      const row = req.item(item.id);
      const proposal = row.getByTestId('foi-item-proposal');
      if (p.protection === 'none') {
        expect(item.proposal).toEqual({ outcome: 'disclose', ground: null });
        await expect(proposal).toHaveAttribute('data-outcome', 'disclose');
        await expect(row.getByTestId('foi-item-person')).toContainText(`${p.family}, ${p.given}`);
      } else {
        expect(item.proposal).toEqual({ outcome: 'withhold', ground: 'se_osl_21_3' });
        expect(item.person.name).toBeNull();
        await expect(proposal).toHaveAttribute('data-outcome', 'withhold');
        await expect(proposal).toHaveAttribute('data-ground', 'se_osl_21_3');
        await expect(proposal).toContainText('Undantas');
        await expect(proposal).toContainText('OSL 21:3');
        await expect(row.getByTestId('foi-item-person')).toContainText('Skyddad person');
      }
      await expect(row.getByTestId('foi-item-review')).toHaveText('Ej prövad');
    }
    const listed = await bodyText();
    for (const s of secrets()) expect(listed, 'the work list names no protected pupil').not.toContain(s);
    const firstProtected = gathered.find((i) => i.person.id === shielded()[0]!.id)!;
    await req.item(firstProtected.id).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'foi-classlist-worklist-sv');
    await expectNoAxeViolations(page, 'the class list\'s work list');

    // ---- "Godta förslagen" (palette; asked first, the focus on Cancel): every proposal taken, nothing skipped.
    const expectSkipped = gathered.filter((i) => (i.guarded && i.proposal.outcome === 'disclose') || (i.proposal.outcome !== 'disclose' && !i.proposal.ground));
    expect(expectSkipped, 'every proposal can be taken as it is').toEqual([]);
    await req.fromPalette('Godta förslagen');
    const accept = page.getByTestId('foi-accept-dialog');
    await expect(accept).toBeVisible();
    await expect(accept.getByRole('button', { name: 'Avbryt' })).toBeFocused();
    await expect(accept.getByTestId('foi-accept-count')).toHaveText(`Förslagen blir prövning för ${n} poster som inte är prövade ännu (i hela listan, alla kategorier).`);
    await page.keyboard.press('Shift+Tab');
    await expect(accept.getByTestId('foi-accept-submit')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(accept).toBeHidden();
    await expect(req.notice()).toHaveText(`${n} förslag godtogs.`);
    await expect(req.root.getByTestId('foi-item-skipped')).toHaveCount(0);
    for (const p of shielded()) {
      const review = req.item(gathered.find((i) => i.person.id === p.id)!.id).getByTestId('foi-item-review');
      await expect(review).toHaveAttribute('data-outcome', 'withhold');
      await expect(review).toContainText('OSL 21:3');
    }
    const reviewed = await items();
    expect(reviewed.filter((i) => i.review === null)).toEqual([]);
    expect(reviewed.filter((i) => i.review!.outcome === 'withhold').map((i) => [i.person.id, i.review!.ground]).sort()).toEqual(shielded().map((p) => [p.id, 'se_osl_21_3']).sort());

    // ---- What is left to review: nothing (the "not reviewed only" filter shows an empty list).
    await req.fromPalette('Till prövning');
    await req.status('review');
    await expect(req.root.getByTestId('foi-review-body')).toHaveAttribute('data-left', '0');
    await app.pressUntilFocused('Tab', 'Endast ej prövade (0)', 80);
    await page.keyboard.press('Space');
    await expect(req.root.getByTestId('foi-review-unreviewed')).toBeChecked();
    await expect(req.items()).toHaveCount(0);
    await page.keyboard.press('Space');
    await expect(req.items()).toHaveCount(n);
  });

  test('decided: the extract lists the class without the protected pupils; the decision letter cites OSL 21:3', async () => {
    const req = new FoiRequestPage(app);
    const prot = shielded().length;
    await req.status('review');

    // ---- To the decision (palette), then "Registrera beslut" (the button): today proposed, Enter.
    await req.fromPalette('Till beslut');
    await req.status('decision');
    await app.pressUntilFocused('Tab', 'Registrera beslut');
    await page.keyboard.press('Enter');
    const decide = req.dialog('foi-move-dialog');
    await expect(decide).toBeVisible();
    await expect(decide.getByTestId('foi-move-decided-on')).toBeFocused();
    await expect(decide.getByTestId('foi-move-decided-on')).toHaveValue(TODAY);
    await screenshot(page, 'foi-classlist-decide-sv');
    await expectNoAxeViolations(page, 'the decision of the class-list request');
    await page.keyboard.press('Enter');
    await expect(decide).toBeHidden();
    await req.status('decided');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'foi-classlist-decided-sv');
    await expectNoAxeViolations(page, 'the class-list request decided');

    const out = mkdtempSync(join(tmpdir(), 'kansli-classlist-'));
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    try {
      // ---- "Utdrag (PDF)": downloaded; the pupils by name, the protected ones as "Person n" with the ground.
      await app.pressUntilFocused('Tab', 'Utdrag (PDF)');
      const extractDownload = page.waitForEvent('download');
      await page.keyboard.press('Enter');
      const extractFile = join(out, 'extract.pdf');
      await (await extractDownload).saveAs(extractFile);
      await expect(req.notice()).toContainText('är sparat');
      expect(readFileSync(extractFile).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const extract = pdfText(extractFile);
      for (const p of ordinary()) expect(extract, `the extract lists ${p.family}, ${p.given}`).toContain(`${p.family}, ${p.given}`);
      for (const s of secrets()) expect(extract, 'the extract holds no protected pupil\'s name or number').not.toContain(s);
      // A protected pupil's own names are nowhere, unless another pupil in the extract has the same name.
      const shown = new Set(ordinary().flatMap((p) => [p.given, p.family]));
      for (const p of shielded()) for (const part of [p.given, p.family]) if (!shown.has(part)) expect(hasWord(extract, part), `a protected pupil's name (${part.length} letters)`).toBe(false);
      expect(extract.match(/Person \d+ \(identiteten undantagen enligt OSL 21:3\)/g) ?? [], 'each protected pupil as "Person n" with the ground').toHaveLength(prot);
      // Nor where their name stands in the alphabet: a withheld pupil is not placed (nor numbered) among the
      // others by name ("Person 6" between "Lundqvist" and "Olofsson" gives the surname away to a classmate).
      const firstHidden = extract.search(/Person \d+ \(identiteten undantagen/);
      const lastNamed = Math.max(...ordinary().map((p) => extract.indexOf(`${p.family}, ${p.given} (`)));
      expect(lastNamed, 'every named pupil comes before the first withheld one').toBeLessThan(firstHidden);
      // The extract's pages as pictures, to look at.
      execFileSync('pdftoppm', ['-r', '70', '-png', extractFile, join(out, 'page')]);
      for (const f of readdirSync(out).filter((x) => x.startsWith('page') && x.endsWith('.png'))) copyFileSync(join(out, f), join(SCREENSHOT_DIR, `foi-classlist-extract-${f}`));

      // ---- "Beslut (PDF)": the decision letter names the ground of what was withheld.
      await app.pressUntilFocused('Tab', 'Beslut (PDF)');
      const letterDownload = page.waitForEvent('download');
      await page.keyboard.press('Enter');
      const letterFile = join(out, 'letter.pdf');
      await (await letterDownload).saveAs(letterFile);
      await expect(req.notice()).toContainText('Beslutet');
      const letter = pdfText(letterFile);
      expect(letter).toContain('OSL 21:3');
      for (const s of secrets()) expect(letter, 'the letter holds no protected pupil\'s name or number').not.toContain(s);
      execFileSync('pdftoppm', ['-r', '70', '-png', '-f', '1', '-l', '2', letterFile, join(out, 'letter')]);
      for (const f of readdirSync(out).filter((x) => x.startsWith('letter') && x.endsWith('.png'))) copyFileSync(join(out, f), join(SCREENSHOT_DIR, `foi-classlist-${f}`));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
