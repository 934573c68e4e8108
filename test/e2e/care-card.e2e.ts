/**
 * The care part of the person card (domain.md §4–5), end to end and by keyboard only: a new placement with
 * Alt+N, notice with the computed last day and an override that needs a reason, a transfer to another
 * school with no gap and no overlap, shared residence in two households, and a guardian the child is
 * shielded from. Every dialog state is axe-checked and screenshotted; the core is asked afterwards
 * (care.card) whether what the screen said is what was stored.
 */
import type Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { E2E_TODAY as TODAY, expect, expectNoAxeViolations, openHostDb, screenshot, startHost, test, type HostInfo } from './fixtures';
import { CareCardPage, KansliApp } from './pages';

// Each test opens several cards and runs axe on every dialog state: more than the default minute on a
// loaded machine.
test.describe.configure({ timeout: 120_000 });

/** Rows of one SQL query against the host's database (read-only; closed again at once). */
function query<T>(host: HostInfo, sql: string, ...params: unknown[]): T[] {
  const db: Database.Database = openHostDb(host);
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

interface PersonRow {
  id: string;
  given: string;
  family: string;
  identity: string | null;
}
const PERSON_COLUMNS = `p.id, p.given_name AS given, p.family_name AS family, p.id_canonical AS identity`;

test('Alt+N on a small child’s card places the child in preschool from a typed date; the card shows it accepted', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const care = new CareCardPage(app);
  // One to five years old on the start date (the preschool age limits), with a guardian to hold the place,
  // and no preschool place yet.
  const [child] = query<PersonRow>(
    host,
    `SELECT ${PERSON_COLUMNS} FROM person p
      WHERE p.is_child = 1 AND p.protection = 'none' AND p.birth_date BETWEEN '2021-12-08' AND '2025-12-07'
        AND NOT EXISTS (SELECT 1 FROM placement x WHERE x.child_id = p.id AND x.school_form IN ('FS', 'PO'))
        AND NOT EXISTS (SELECT 1 FROM guardianship g WHERE g.child_id = p.id AND g.shielded = 1)
        AND EXISTS (SELECT 1 FROM guardianship g WHERE g.child_id = p.id AND g.valid_to IS NULL)
      ORDER BY p.birth_date LIMIT 1`,
  );
  expect(child, 'the demo has a preschool-age child without a place').toBeTruthy();
  await app.signInAs('clerk.all');
  const before = await app.api('care.card', { personId: child!.id });
  const guardians = before.guardianships.filter((g) => g.validTo === null && !g.shielded);
  expect(guardians.length).toBeGreaterThan(0);

  await app.goto(`#/person/${child!.id}`);
  await app.card().visible();
  await care.ready();
  await expect(care.placementsSection()).toContainText('Ingen placering.');

  await page.keyboard.press('Alt+n');
  const dialog = care.dialog('placement-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Ny placering' })).toBeVisible();
  // The first field has focus: the school form, preschool to begin with.
  await expect(dialog.getByTestId('placement-form')).toBeFocused();
  await expect(dialog.getByTestId('placement-form')).toHaveValue('FS');
  // Every current guardian is ticked as a holder to begin with.
  const holders = dialog.getByTestId('placement-holder');
  await expect(holders).toHaveCount(guardians.length);
  for (const h of await holders.all()) await expect(h).toBeChecked();
  await screenshot(page, 'care-placement-new');
  await expectNoAxeViolations(page, 'new placement dialog');

  await care.pick('Enhet', 'solros', 'Solrosens förskola');
  await expect(dialog.getByTestId('placement-unit')).toHaveValue('Solrosens förskola');
  await care.pick('Grupp', 'ekor', 'Ekorren');
  await expect(dialog.getByTestId('placement-group')).toHaveValue('Ekorren');

  await care.typeInto('Från och med', '+14');
  // The line under the field says which day "+14" is, before anything is saved.
  await expect(dialog.getByTestId('placement-from-resolved')).toHaveText('→ 2026-12-07, måndag');
  await care.typeInto('Timmar per vecka', '35');
  await app.pressUntilFocused('Tab', 'Skäl');
  // A native select: the arrow moves to the next reason.
  await page.keyboard.press('ArrowDown');
  await expect(dialog.getByTestId('placement-reason')).toHaveValue('offered_time');
  await screenshot(page, 'care-placement-filled');
  await expectNoAxeViolations(page, 'filled placement dialog');

  await page.keyboard.press('Control+s');
  await expect(dialog).toBeHidden();
  const row = care.placementRows().first();
  await expect(row).toContainText('Solrosens förskola');
  await expect(row).toContainText('Ekorren');
  await expect(row).toContainText('2026-12-07');
  await expect(row).toContainText('35 tim/vecka');
  await expect(row.getByTestId('placement-status')).toHaveText('Antagen');
  await expect(page.getByRole('status').filter({ hasText: 'Placeringen är sparad.' })).toBeAttached();
  await care.placementsSection().scrollIntoViewIfNeeded();
  await screenshot(page, 'care-placement-saved');
  await expectNoAxeViolations(page, 'card with the new placement');

  const after = await app.api('care.card', { personId: child!.id });
  expect(after.placements).toHaveLength(before.placements.length + 1);
  const made = after.placements.find((p) => p.schoolForm === 'FS')!;
  expect(made).toMatchObject({
    unitName: 'Solrosens förskola',
    groupName: 'Ekorren',
    validFrom: '2026-12-07',
    validTo: null,
    weeklyHours: 35,
    reason: 'offered_time',
    state: 'accepted',
    status: 'accepted',
  });
  expect(made.owners.map((o) => o.id).sort()).toEqual(guardians.map((g) => g.guardianId).sort());
});

test('notice from the placement row: the last day follows the notice period, and an earlier day needs a reason', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const care = new CareCardPage(app);
  const children = query<PersonRow & { placementId: string }>(
    host,
    `SELECT ${PERSON_COLUMNS}, x.id AS placementId FROM person p JOIN placement x ON x.child_id = p.id
      WHERE p.protection = 'none' AND x.school_form = 'FS' AND x.state = 'accepted' AND x.valid_from <= ?
        AND x.valid_to IS NULL AND x.notice_given_on IS NULL
      ORDER BY p.sort_key LIMIT 2`,
    TODAY,
  );
  expect(children, 'two children in preschool').toHaveLength(2);
  await app.signInAs('clerk.all');

  // 1. Notice received on 20 November: two months' notice for preschool, so the last day is 19 January.
  const first = children[0]!;
  await app.goto(`#/person/${first.id}`);
  await app.card().visible();
  await care.ready();
  const unitOf = async (c: (typeof children)[number]) => (await app.api('care.card', { personId: c.id })).placements.find((p) => p.id === c.placementId)!.unitName;
  await care.tabTo(`Säg upp placeringen vid ${await unitOf(first)}`);
  await page.keyboard.press('Enter');
  const dialog = care.dialog('notice-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('notice-date')).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('20.11.2026');
  await expect(dialog.getByTestId('notice-date-resolved')).toHaveText('→ 2026-11-20, fredag');
  await expect(dialog.getByTestId('notice-computed')).toHaveText('Uppsägningstid 2 månader: sista dagen blir 2027-01-19.');
  await screenshot(page, 'care-notice-computed');
  await expectNoAxeViolations(page, 'notice dialog with the computed last day');
  await page.keyboard.press('Control+s');
  await expect(dialog).toBeHidden();
  const row = care.placementRows().first();
  await expect(row.getByTestId('placement-status')).toHaveText('Uppsagd');
  await expect(row.getByTestId('placement-notice')).toHaveText('Uppsagd 2026-11-20');
  await expect(row).toContainText('2027-01-19');
  // Notice was given: the row offers no second notice.
  await expect(row.getByTestId('placement-notice-button')).toHaveCount(0);
  await care.placementsSection().scrollIntoViewIfNeeded();
  await screenshot(page, 'care-notice-saved');
  await expectNoAxeViolations(page, 'card after notice');
  const noticed = (await app.api('care.card', { personId: first.id })).placements.find((p) => p.id === first.placementId)!;
  expect(noticed).toMatchObject({ validTo: '2027-01-19', noticeGivenOn: '2026-11-20', noticeOverrideReason: null, status: 'notice_given' });

  // 2. Notice today with a last day before the period is over: refused until a reason is given.
  const second = children[1]!;
  await app.goto(`#/person/${second.id}`);
  await app.card().visible();
  await care.ready();
  await care.tabTo(`Säg upp placeringen vid ${await unitOf(second)}`);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('notice-date')).toBeFocused();
  await expect(dialog.getByTestId('notice-computed')).toHaveText('Uppsägningstid 2 månader: sista dagen blir 2027-01-22.');
  await care.typeInto('Annan sista dag', '2026-12-31');
  await expect(dialog.getByTestId('notice-earlier')).toHaveText('Tidigare än 2027-01-22 kortar uppsägningstiden. Det kräver ett skäl, som loggas.');
  await page.keyboard.press('Control+s');
  const reason = dialog.getByLabel(/^Skäl till kortare uppsägningstid/);
  await expect(reason).toHaveAttribute('aria-invalid', 'true');
  await expect(reason).toBeFocused();
  await expect.poll(() => care.errorOf(reason)).toContain('Skriv ett skäl på minst 10 tecken.');
  await expect(dialog.getByTestId('form-errors')).toBeVisible();
  await screenshot(page, 'care-notice-reason-required');
  await expectNoAxeViolations(page, 'notice dialog asking for a reason');
  // Nothing was written by the refused save.
  expect((await app.api('care.card', { personId: second.id })).placements.find((p) => p.id === second.placementId)!.noticeGivenOn).toBeNull();

  const why = 'Familjen flyttar till annan kommun 1 januari';
  await page.keyboard.type(why);
  await page.keyboard.press('Control+s');
  await expect(dialog).toBeHidden();
  await expect(care.placementRows().first().getByTestId('placement-status')).toHaveText('Uppsagd');
  const shortened = (await app.api('care.card', { personId: second.id })).placements.find((p) => p.id === second.placementId)!;
  expect(shortened).toMatchObject({ validTo: '2026-12-31', noticeGivenOn: TODAY, noticeOverrideReason: why });
});

// Two schools need a larger municipality than the default demo's one school of each kind.
const bigTown = test.extend({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the object pattern for fixture arguments
  host: async ({}, use) => {
    const h = await startHost({ persons: 3000 });
    await use(h.info);
    await h.stop();
  },
});

bigTown('transfer of a pupil to a class at another school: ends the day before, starts on the date, no gap and no overlap', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const care = new CareCardPage(app);
  const DATE = '2027-01-11';
  // A pupil in a class now, and another school with a class of the same grade in this school year.
  const [pupil] = query<PersonRow & { enrolmentId: string; fromUnit: string; toUnit: string; toClass: string }>(
    host,
    `SELECT ${PERSON_COLUMNS}, e.id AS enrolmentId, u.name AS fromUnit, u2.name AS toUnit, g2.name AS toClass
       FROM enrolment e JOIN person p ON p.id = e.pupil_id JOIN org_unit u ON u.id = e.unit_id
       JOIN school_group g ON g.id = e.group_id
       JOIN school_group g2 ON g2.school_form = e.school_form AND g2.grade = e.grade AND g2.kind = 'class'
            AND g2.unit_id <> e.unit_id AND g2.valid_from <= ? AND g2.valid_to >= ?
       JOIN org_unit u2 ON u2.id = g2.unit_id
      WHERE p.protection = 'none' AND e.school_form = 'GR' AND e.grade = 4 AND e.valid_from < ? AND e.valid_to IS NULL
        -- an after-school place at the same school would offer a second "Byt enhet från …" button
        AND NOT EXISTS (SELECT 1 FROM placement x WHERE x.child_id = p.id AND x.unit_id = e.unit_id)
      ORDER BY p.sort_key LIMIT 1`,
    DATE,
    DATE,
    DATE,
  );
  expect(pupil, 'a pupil in year 4 and a second school with a year 4 class').toBeTruthy();
  await app.signInAs('clerk.all');
  const before = await app.api('care.card', { personId: pupil!.id });
  const current = before.enrolments.find((e) => e.id === pupil!.enrolmentId)!;

  await app.goto(`#/person/${pupil!.id}`);
  await app.card().visible();
  await care.ready();
  await care.tabTo(`Byt enhet från ${pupil!.fromUnit}`);
  await page.keyboard.press('Enter');
  const dialog = care.dialog('transfer-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`Nu: ${pupil!.fromUnit}, ${current.groupName}`);
  await expect(dialog.getByTestId('transfer-date')).toBeFocused();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('11.1.2027');
  await expect(dialog.getByTestId('transfer-date-resolved')).toHaveText('→ 2027-01-11, måndag');
  await care.pick('Ny enhet', pupil!.toUnit.slice(0, 5), pupil!.toUnit);
  await care.pick('Klass', pupil!.toClass, pupil!.toClass);
  await expect(dialog.getByTestId('transfer-group')).toHaveValue(pupil!.toClass);
  await expect(dialog.getByTestId('transfer-summary')).toHaveText(`Slutar vid ${pupil!.fromUnit} den 2027-01-10 och börjar vid ${pupil!.toUnit} den 2027-01-11.`);
  await screenshot(page, 'care-transfer');
  await expectNoAxeViolations(page, 'transfer dialog');

  await page.keyboard.press('Control+s');
  await expect(dialog).toBeHidden();
  await expect(care.enrolmentRows().filter({ hasText: pupil!.toUnit })).toContainText(pupil!.toClass);
  await care.enrolmentRows().first().scrollIntoViewIfNeeded();
  await screenshot(page, 'care-transfer-saved');
  await expectNoAxeViolations(page, 'card after the transfer');

  const after = await app.api('care.card', { personId: pupil!.id });
  const ended = after.enrolments.find((e) => e.id === pupil!.enrolmentId)!;
  const started = after.enrolments.find((e) => e.transferredFromId === pupil!.enrolmentId)!;
  expect(ended).toMatchObject({ validFrom: current.validFrom, validTo: '2027-01-10' });
  expect(started).toMatchObject({ unitName: pupil!.toUnit, groupName: pupil!.toClass, grade: current.grade, validFrom: DATE, validTo: null });
  // Exactly one enrolment on each side of the date, and on the date itself.
  const on = (d: string) => after.enrolments.filter((e) => e.validFrom <= d && (e.validTo === null || e.validTo >= d));
  expect(on('2027-01-10').map((e) => e.id)).toEqual([ended.id]);
  expect(on(DATE).map((e) => e.id)).toEqual([started.id]);
});

test('shared residence: a child in two homes is marked in both; a clerk records it for another child by keyboard', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const care = new CareCardPage(app);
  await app.signInAs('clerk.all');

  // 1. A child of separated parents who already lives alternately with each.
  const [shared] = query<PersonRow>(
    host,
    `SELECT ${PERSON_COLUMNS} FROM person p
      WHERE p.protection = 'none'
        AND (SELECT count(*) FROM household_member m WHERE m.person_id = p.id AND m.shared = 1 AND m.valid_from <= ? AND m.valid_to IS NULL) = 2
      ORDER BY p.sort_key LIMIT 1`,
    TODAY,
  );
  expect(shared, 'the demo has a child in shared residence').toBeTruthy();
  await app.goto(`#/person/${shared!.id}`);
  await app.card().visible();
  await care.ready();
  // Care lists write names family name first.
  const sharedName = `${shared!.family}, ${shared!.given}`;
  const homes = care.households();
  await expect(homes).toHaveCount(2);
  for (const home of await homes.all()) {
    const me = home.getByTestId('household-member').filter({ hasText: sharedName });
    await expect(me.getByTestId('shared-residence')).toHaveText('Växelvis boende');
  }
  await expect(homes.nth(0)).toContainText('Hushåll 1');
  await expect(homes.nth(1)).toContainText('Hushåll 2');
  // Each parent lives with the child (in their own home).
  const guardianRows = care.guardiansSection().getByTestId('guardianship-row');
  await expect(guardianRows).toHaveCount(2);
  for (const r of await guardianRows.all()) await expect(r).toContainText('Bor med barnet');
  await care.householdsSection().scrollIntoViewIfNeeded();
  await screenshot(page, 'care-households-shared');
  await expectNoAxeViolations(page, 'card of a child in shared residence');

  // 2. Another family: the parents separated yesterday. The child moves in with each parent today, in
  // the first parent's household (which goes on) and the second parent's new one.
  const [family] = query<{ childId: string; given: string; family: string; identity: string; householdId: string; g1: string; g2: string; m2: string; mc: string }>(
    host,
    `SELECT c.id AS childId, c.given_name AS given, c.family_name AS family, c.id_canonical AS identity, mc.household_id AS householdId,
            m1.person_id AS g1, m2.person_id AS g2, m2.id AS m2, mc.id AS mc
       FROM household_member mc JOIN person c ON c.id = mc.person_id
       JOIN household_member m1 ON m1.household_id = mc.household_id AND m1.role = 'adult' AND m1.valid_to IS NULL
       JOIN household_member m2 ON m2.household_id = mc.household_id AND m2.role = 'adult' AND m2.valid_to IS NULL AND m2.person_id > m1.person_id
       JOIN guardianship ga ON ga.child_id = c.id AND ga.guardian_id = m1.person_id AND ga.shielded = 0
       JOIN guardianship gb ON gb.child_id = c.id AND gb.guardian_id = m2.person_id AND gb.shielded = 0
      WHERE mc.role = 'child' AND mc.shared = 0 AND mc.valid_to IS NULL AND c.protection = 'none' AND c.id_canonical IS NOT NULL
        -- The dialog proposes the role from the register's roles (a child who is no guardian joins as a child):
        -- a household's 'child' who is 18 or a parent themselves would be proposed as an adult (the flake).
        AND c.is_child = 1 AND c.is_guardian = 0
      ORDER BY c.sort_key LIMIT 1`,
  );
  expect(family, 'a child living with both parents').toBeTruthy();
  const version = async (personId: string, memberId: string) => (await app.api('care.card', { personId })).householdHistory.find((m) => m.id === memberId)!.version;
  await app.api('household.endMember', { id: family!.m2, version: await version(family!.g2, family!.m2), validTo: '2026-11-22' });
  await app.api('household.endMember', { id: family!.mc, version: await version(family!.childId, family!.mc), validTo: '2026-11-22' });
  const childName = `${family!.family}, ${family!.given}`;

  // 2a. The first parent's card: add the child to the household, living here part of the time.
  await app.goto(`#/person/${family!.g1}`);
  await app.card().visible();
  await care.ready();
  await expect(care.households()).toHaveCount(1);
  await care.tabTo('Lägg till i hushållet');
  await page.keyboard.press('Enter');
  const add = care.dialog('household-add-dialog');
  await expect(add).toBeVisible();
  await expect(add.getByTestId('household-person')).toBeFocused();
  await care.pickPerson(`${family!.given} ${family!.family}`, family!.identity);
  await expect(add.getByTestId('household-person')).toHaveValue(childName);
  // A child found in the register joins as a child; the shared-residence box belongs to children.
  await expect(add.getByLabel('Roll i hushållet')).toHaveValue('child');
  await app.pressUntilFocused('Tab', 'Växelvis boende (bor i två hem)');
  await page.keyboard.press('Space');
  await expect(add.getByTestId('household-shared')).toBeChecked();
  await screenshot(page, 'care-household-add-shared');
  await expectNoAxeViolations(page, 'household add-member dialog');
  await page.keyboard.press('Control+s');
  await expect(add).toBeHidden();
  await expect(care.households().first().getByTestId('household-member').filter({ hasText: childName }).getByTestId('shared-residence')).toBeVisible();

  // 2b. The second parent's card: a new household, the parent and the child in shared residence.
  await app.goto(`#/person/${family!.g2}`);
  await app.card().visible();
  await care.ready();
  await expect(care.householdsSection()).toContainText('Personen hör inte till något hushåll i dag.');
  await care.tabTo('Nytt hushåll');
  await page.keyboard.press('Enter');
  const create = care.dialog('household-create-dialog');
  await expect(create).toBeVisible();
  await expect(create.getByTestId('household-from')).toBeFocused();
  await app.pressUntilFocused('Tab', 'Lägg till person');
  await page.keyboard.press('Enter');
  await expect(create.getByTestId('household-member-row')).toHaveCount(2);
  await expect(create.getByTestId('household-person')).toBeFocused();
  await care.pickPerson(`${family!.given} ${family!.family}`, family!.identity);
  await expect(create.getByTestId('household-person')).toHaveValue(childName);
  await expect(create.getByLabel('Roll i hushållet').nth(1)).toHaveValue('child');
  await app.pressUntilFocused('Tab', 'Växelvis boende (bor i två hem)');
  await page.keyboard.press('Space');
  await expect(create.getByTestId('household-shared')).toBeChecked();
  await screenshot(page, 'care-household-create-shared');
  await expectNoAxeViolations(page, 'new household dialog');
  await page.keyboard.press('Control+s');
  await expect(create).toBeHidden();
  await expect(care.households()).toHaveCount(1);

  // The child now lives in two homes, marked shared in both, each with one of the parents.
  const card = await app.api('care.card', { personId: family!.childId });
  expect(card.households).toHaveLength(2);
  for (const h of card.households) {
    expect(h.members.find((m) => m.person.id === family!.childId)).toMatchObject({ role: 'child', shared: true, validFrom: TODAY, validTo: null });
  }
  expect(card.households.map((h) => h.members.filter((m) => m.role === 'adult').map((m) => m.person.id)).sort()).toEqual([[family!.g1], [family!.g2]].sort());
  await app.goto(`#/person/${family!.childId}`);
  await app.card().visible();
  await care.ready();
  await expect(care.households()).toHaveCount(2);
  await expect(care.householdsSection().getByTestId('shared-residence')).toHaveCount(2);
  await care.householdsSection().scrollIntoViewIfNeeded();
  await screenshot(page, 'care-households-new-shared');
  await expectNoAxeViolations(page, 'card of the child now in shared residence');
});

test('a guardian the child is shielded from is marked, shows no contact details and cannot hold a placement', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const care = new CareCardPage(app);
  const [row] = query<PersonRow & { guardianId: string }>(
    host,
    `SELECT ${PERSON_COLUMNS}, g.guardian_id AS guardianId FROM guardianship g JOIN person p ON p.id = g.child_id
      WHERE g.shielded = 1 AND g.valid_to IS NULL AND p.protection = 'none' AND p.is_child = 1 AND p.birth_date > '2008-11-23'
      ORDER BY p.sort_key LIMIT 1`,
  );
  expect(row, 'the demo has a guardianship the child is shielded from').toBeTruthy();
  await app.signInAs('clerk.all');
  const data = await app.api('care.card', { personId: row!.id });
  const shieldedFrom = data.guardianships.find((g) => g.guardianId === row!.guardianId)!;
  expect(shieldedFrom.shielded).toBe(true);
  expect(shieldedFrom.contacts).toEqual([]);

  await app.goto(`#/person/${row!.id}`);
  await app.card().visible();
  await care.ready();
  const guardianRow = care.guardiansSection().getByTestId('guardianship-row').filter({ hasText: shieldedFrom.name });
  await expect(guardianRow.getByTestId('shielded-badge')).toHaveText('Barnet skyddat mot denna vårdnadshavare');
  await expect(guardianRow.getByTestId('guardian-contacts')).toHaveText('Kontaktas inte om barnet');
  // The other guardian's contact details are there: only the shielded one's are withheld.
  const other = data.guardianships.find((g) => !g.shielded && g.validTo === null);
  if (other && other.contacts.length > 0) {
    await expect(care.guardiansSection().getByTestId('guardianship-row').filter({ hasText: other.name }).getByTestId('guardian-contacts')).toContainText(other.contacts[0]!.value);
  }
  // The shielded guardian holds none of the child's placements.
  for (const p of data.placements) expect(p.owners.map((o) => o.id)).not.toContain(row!.guardianId);
  await screenshot(page, 'care-guardian-shielded');
  await expectNoAxeViolations(page, 'card with a shielded guardian');

  // A new placement offers only the other guardian as a holder.
  await page.keyboard.press('Alt+n');
  const dialog = care.dialog('placement-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('placement-holder')).toHaveCount(other ? 1 : 0);
  await expect(dialog).not.toContainText(shieldedFrom.name);
  await screenshot(page, 'care-placement-holders-shielded');
  await expectNoAxeViolations(page, 'new placement dialog without the shielded guardian');
  // Nothing was typed: Esc closes at once, without asking.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

// ---------- the card at a glance (issue 10): summary header, placements without scrolling, section keys, print

/** The section heading that has focus (the section keys move focus to a heading). */
const focusedHeading = (page: import('@playwright/test').Page) => page.evaluate(() => document.activeElement?.id ?? '');

test('the card at a glance: summary header, placements visible at 1440×900, sections by keys 1–9, and a print view', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const care = new CareCardPage(app);
  await page.setViewportSize({ width: 1440, height: 900 });
  // A child in after-school care with a class, two guardians at most and nothing protected around it.
  const [child] = query<PersonRow & { unit: string; grp: string }>(
    host,
    `SELECT ${PERSON_COLUMNS}, u.name AS unit, g.name AS grp FROM person p
       JOIN enrolment e ON e.pupil_id = p.id AND e.valid_from <= @d AND e.valid_to IS NULL
       JOIN org_unit u ON u.id = e.unit_id JOIN school_group g ON g.id = e.group_id
      WHERE p.is_child = 1 AND p.protection = 'none' AND p.shielded = 0
        AND (SELECT count(*) FROM placement x WHERE x.child_id = p.id) = 1
        AND EXISTS (SELECT 1 FROM placement x WHERE x.child_id = p.id AND x.state = 'accepted' AND x.valid_from <= @d AND x.valid_to IS NULL)
        AND (SELECT count(*) FROM enrolment x WHERE x.pupil_id = p.id) <= 2
        AND (SELECT count(*) FROM guardianship x WHERE x.child_id = p.id) BETWEEN 1 AND 2
        AND NOT EXISTS (SELECT 1 FROM guardianship x WHERE x.child_id = p.id AND x.shielded = 1)
      ORDER BY p.sort_key LIMIT 1`.replaceAll('@d', `'${TODAY}'`),
  );
  expect(child, 'the demo has a pupil in after-school care').toBeTruthy();
  await app.signInAs('clerk.all');
  const data = await app.api('care.card', { personId: child!.id });
  await app.goto(`#/person/${child!.id}`);
  await app.card().visible();
  await care.ready();

  // The summary: identity number, age, where the child is and with which status, the guardians.
  const summary = page.getByTestId('card-summary');
  await expect(summary.getByTestId('summary-identity')).toHaveText(/^\d{8}-\d{4}$/);
  await expect(summary.getByTestId('summary-age')).toContainText(' år');
  const places = summary.getByTestId('summary-place');
  await expect(places).toHaveCount(data.summary.places.length);
  await expect(places.filter({ hasText: child!.grp })).toContainText(child!.unit);
  await expect(places.filter({ hasText: 'Fritids' }).getByTestId('placement-status')).toHaveText('Pågår');
  const guardians = summary.getByTestId('summary-guardian');
  await expect(guardians).toHaveCount(data.summary.guardians.length);
  for (const g of data.summary.guardians) {
    const row = guardians.filter({ hasText: g.name });
    if (g.address) await expect(row.getByTestId('summary-guardian-address')).toContainText(g.address.street);
    await expect(row.getByTestId('summary-shield')).toHaveCount(0);
  }
  // No protection on this card: no warning at all.
  await expect(page.locator('.k-protected-block')).toHaveCount(0);

  // Placements are on the first screen, whole.
  const box = (await care.placementsSection().boundingBox())!;
  expect(box.y, 'the placements begin on the first screen').toBeGreaterThan(0);
  expect(box.y + box.height, 'the placements end on the first screen').toBeLessThanOrEqual(900);
  await screenshot(page, 'card-glance');
  await expectNoAxeViolations(page, 'person card at a glance');

  // Section keys: 2 guardians, 6 address, 9 history, 1 back to the placements; the bar says which key.
  const bar = page.getByTestId('card-sections');
  await expect(bar.getByRole('button', { name: 'Vårdnadshavare' })).toHaveAttribute('aria-keyshortcuts', '2');
  await page.keyboard.press('2');
  expect(await focusedHeading(page)).toBe('sec-guardians-title');
  await page.keyboard.press('6');
  expect(await focusedHeading(page)).toBe('sec-addresses-title');
  await expect(page.locator('#sec-addresses-title')).toBeInViewport();
  await page.keyboard.press('9');
  expect(await focusedHeading(page)).toBe('sec-history-title');
  await expect(page.locator('#sec-history-title')).toBeInViewport();
  await screenshot(page, 'card-section-history');
  await page.keyboard.press('1');
  expect(await focusedHeading(page)).toBe('sec-placements-title');
  await expect(care.placementsSection()).toBeInViewport();
  // Digits typed into a field stay there.
  await page.keyboard.press('/');
  await page.keyboard.type('2');
  expect(await focusedHeading(page)).not.toBe('sec-guardians-title');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.locator('#sec-placements-title').focus();

  // The help overlay lists the keys.
  await page.keyboard.press('?');
  const help = page.getByTestId('help-overlay');
  await expect(help).toContainText('Personkortet: gå till avsnitt');
  await expect(help).toContainText('Skriv ut personkortet');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // Print: Ctrl+P and the button call window.print; the print view has no shell, no buttons, a print line.
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void ((window as unknown as { printed: number }).printed += 1);
  });
  await page.keyboard.press('Control+p');
  await page.getByTestId('print-card').click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(2);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Huvudmeny' })).toBeHidden();
  await expect(page.getByTestId('card-sections')).toBeHidden();
  await expect(page.getByTestId('edit-person')).toBeHidden();
  await expect(page.getByTestId('card-print-line')).toBeVisible();
  await expect(page.getByTestId('card-print-line')).toContainText('Utskriven av');
  await expect(page.getByTestId('card-print-line')).toContainText('Ekdala kommun');
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'card-print');
  await page.screenshot({ path: 'test-results/screens/card-print-full.png', fullPage: true });
  await expectNoAxeViolations(page, 'person card, print view');
  await page.emulateMedia({ media: 'screen' });
});

test('the card at a glance with protection: one warning, shielded guardians marked and without address', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  const care = new CareCardPage(app);
  await page.setViewportSize({ width: 1440, height: 900 });
  const [shielded] = query<PersonRow & { guardianId: string; street: string | null }>(
    host,
    `SELECT ${PERSON_COLUMNS}, g.guardian_id AS guardianId,
        (SELECT a.street FROM person_address a WHERE a.person_id = g.guardian_id AND a.kind = 'registered' AND a.valid_to IS NULL) AS street
       FROM guardianship g JOIN person p ON p.id = g.child_id
      WHERE g.shielded = 1 AND g.valid_to IS NULL AND p.protection = 'none' AND p.is_child = 1
      ORDER BY p.sort_key LIMIT 1`,
  );
  const [prot] = query<PersonRow>(
    host,
    `SELECT ${PERSON_COLUMNS} FROM person p
      WHERE p.protection <> 'none' AND p.is_child = 1 AND EXISTS (SELECT 1 FROM guardianship g WHERE g.child_id = p.id AND g.valid_to IS NULL)
      ORDER BY p.sort_key LIMIT 1`,
  );
  expect(shielded, 'the demo has a child shielded from a guardian').toBeTruthy();
  expect(prot, 'the demo has a protected child with a guardian').toBeTruthy();
  await app.signInAs('protected');

  // A guardian the child is shielded from: the shield marker and no address, even for this handler.
  await app.goto(`#/person/${shielded!.id}`);
  await app.card().visible();
  await care.ready();
  const summary = page.getByTestId('card-summary');
  const row = summary.getByTestId('summary-guardian').filter({ has: page.getByRole('link', { name: `${shielded!.family},` }) });
  const theOne = (await app.api('care.card', { personId: shielded!.id })).summary.guardians.find((g) => g.guardianId === shielded!.guardianId)!;
  const shieldRow = summary.getByTestId('summary-guardian').filter({ hasText: theOne.name });
  await expect(shieldRow.getByTestId('summary-shield')).toContainText('Barnet skyddat');
  await expect(shieldRow.getByTestId('summary-guardian-address')).toHaveText('Adress visas inte');
  if (shielded!.street) await expect(summary).not.toContainText(shielded!.street);
  expect(await row.count()).toBeGreaterThan(0);
  await screenshot(page, 'card-glance-shielded-guardian');
  await expectNoAxeViolations(page, 'card with a shielded guardian in the summary');

  // A protected child: the warning once (at the top), every guardian address withheld, nothing in print.
  await app.goto(`#/person/${prot!.id}`);
  await app.card().visible();
  await care.ready();
  await expect(page.locator('.k-protected-block')).toHaveCount(1);
  await expect(summary.locator('.k-protected-block')).toBeVisible();
  const rows = summary.getByTestId('summary-guardian-address');
  for (const r of await rows.all()) await expect(r).toHaveText('Adress visas inte');
  const guardianStreets = query<{ street: string }>(
    host,
    `SELECT a.street FROM guardianship g JOIN person_address a ON a.person_id = g.guardian_id WHERE g.child_id = ?`,
    prot!.id,
  );
  for (const s of guardianStreets) await expect(app.card().root).not.toContainText(s.street);
  await expect(page.getByTestId('addresses-section')).toContainText('visas inte');
  await expect(care.placementsSection()).toBeInViewport();
  await screenshot(page, 'card-glance-protected');
  await expectNoAxeViolations(page, 'protected card at a glance');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.k-protected-block')).toBeVisible();
  await screenshot(page, 'card-print-protected');
  await page.emulateMedia({ media: 'screen' });
});

test('class list: the PDF columns are chosen on the lists screen by keyboard; the PDF has the header, the columns and the page numbers', async ({ app: page, host }) => {
  const app = new KansliApp(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  const [g] = query<{ unitId: string; groupId: string; unit: string; grp: string }>(
    host,
    `SELECT u.id AS unitId, g.id AS groupId, u.name AS unit, g.name AS grp FROM school_group g JOIN org_unit u ON u.id = g.unit_id
      WHERE g.kind = 'class' AND (SELECT count(*) FROM enrolment e JOIN person p ON p.id = e.pupil_id
        WHERE e.group_id = g.id AND p.protection = 'none' AND e.valid_from <= ? AND e.valid_to IS NULL) >= 5
      ORDER BY u.name, g.name LIMIT 1`,
    TODAY,
  );
  expect(g, 'the demo has a class').toBeTruthy();
  await app.signInAs('clerk.all');
  await app.goto(`#/lists?unitId=${g!.unitId}&groupId=${g!.groupId}&date=${TODAY}`);
  const screen = page.getByTestId('lists-screen');
  await expect(screen.getByTestId('lists-table')).toBeVisible();
  await expect(screen.getByTestId('lists-col-hours')).toBeDisabled();
  await app.pressUntilFocused('Tab', 'Personnummer');
  await page.keyboard.press('Space');
  await app.pressUntilFocused('Tab', 'Verksamhet (skolform)');
  await page.keyboard.press('Space');
  await expect(screen.getByTestId('lists-col-identity')).toBeChecked();
  await expect(screen.getByTestId('lists-col-form')).toBeChecked();
  await expect(screen.getByTestId('lists-col-guardians')).toBeChecked();
  await screen.getByTestId('lists-columns').scrollIntoViewIfNeeded();
  await screenshot(page, 'lists-columns');
  await expectNoAxeViolations(page, 'lists screen with the column choice');

  const list = await app.api('list.get', { unitId: g!.unitId, groupId: g!.groupId, date: TODAY, kind: 'enrolments', withContacts: false });
  await app.pressUntilFocused('Tab', 'Exportera PDF');
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const pdf = await download;
  const path = test.info().outputPath(pdf.suggestedFilename());
  await pdf.saveAs(path);
  const layout = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', path, '-'], { encoding: 'utf8' });
  expect(layout).toContain(`Ekdala kommun · ${g!.unit}`);
  expect(layout).toMatch(/Namn\s+Födelsedatum\s+Personnummer\s+Grupp\s+Skolform\s+Vårdnadshavare/);
  expect(layout).toMatch(/Utskriven av .+ \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  expect(layout).toMatch(/Sida 1 av \d+/);
  // Every row with its identity number, in the list's (Swedish alphabetical) order.
  const at = list.rows.map((r) => layout.indexOf(r.identity!));
  expect(at.every((x) => x >= 0)).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
  // The choice is remembered for the next list (which columns only).
  await page.reload();
  await expect(page.getByTestId('lists-col-identity')).toBeChecked();
});
