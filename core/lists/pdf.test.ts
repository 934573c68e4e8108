/**
 * The class-list PDF built with the kit (listPdf, async), on lists read through the real contract
 * (list.get as a clerk without protected.reveal) from a real SQLite file, read back with poppler-utils:
 * names exactly as registered, nobody the reader left out, a 745-pupil list over numbered pages with the
 * headings on each, and the same content as the synchronous PDF `list.export` still uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';
import { Fixture } from '../../test/util/list-fixture';
import { PdfFile } from '../../test/util/pdf';
import { DEMO_PASSWORD } from '../access/auth';
import { seedDemoAccounts } from '../demo/accounts';
import { recomputeAllShielding } from '../register/shielding';
import { listCsv } from './csv';
import { listPdf, type ListPdfOptions } from './pdf';

/** The fixture writes behind the core's back: the stored shielding flags are recomputed as a bulk load does. */
const refreshShieldingAll = (c: TestCore) => recomputeAllShielding(c.db.sqlite);

type List = MethodOutput<'list.get'>;
const DATE = TEST_TODAY;
const NOW = `${TEST_TODAY}T12:00:00.000Z`;

/** [given, family] as registered; some decomposed (NFD), one with a character DejaVu Sans lacks (李). */
const CHILDREN: [string, string][] = [
  ['Øystein', 'Ågren'],
  ['Łukasz', 'Żółć'],
  ['Thị Ánh', 'Nguyễn'],
  ['Руслан', 'Ахмедов'],
  ['Åsa', 'Öberg'],
  ['Nils', 'Jönsson'],
  ['Maja', 'Æbelø'],
  ['Emre', 'Çelik'],
  ['Đorđe', 'Đorđević'],
  ['Zoe\u0308', 'Rene\u0301e'],
  ['A\u030Bron', 'Ma\u030Aa\u030Ar'],
  ['Wei', '李'],
];
const nameOf = ([given, family]: [string, string]) => `${family}, ${given}`.normalize('NFC');

let core: TestCore;
let dir: string;
const ids = {} as Record<'school' | 'g3a' | 'big' | 'empty' | 'g4c', string>;
let lists: { small: List; big: List; empty: List };

const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};

beforeAll(() => {
  core = makeTestCore();
  dir = core.dir;
  const f = new Fixture(core);
  const muni = f.municipality();
  const admin = f.unit(muni, 'Utbildningsförvaltningen', 'administration');
  ids.school = f.unit(muni, 'Ängsskolan', 'school_unit', admin);
  ids.g3a = f.group(ids.school, '3A', 3);
  ids.big = f.group(ids.school, '9Z', 9);
  ids.empty = f.group(ids.school, '5E', 5);
  core.db.sqlite.transaction(() => {
    CHILDREN.forEach(([given, family], i) => {
      const child = f.person(given, family);
      f.enrol(child, ids.school, ids.g3a, 3);
      const parent = f.person(`Förälder ${given}`, family, { child: false });
      f.guardian(child, parent);
      f.contact(parent, 'mobile', `070-100 00 ${String(i).padStart(2, '0')}`);
      f.contact(parent, 'email', `forelder.${i}.med.en.mycket.lang.adress@exempel-kommun.example.se`);
      if (i === 0) {
        const shielded = f.person('Sigvard', 'Skärmsson', { child: false });
        f.guardian(child, shielded, { shielded: true });
        f.contact(shielded, 'mobile', '070-999 99 99');
      }
    });
    const hidden = f.person('Hemlig', 'Skyddsdóttir', { protection: 'se_skyddad_folkbokforing' });
    f.enrol(hidden, ids.school, ids.g3a, 3);
    const hiddenParent = f.person('Gunnhild', 'Skyddsdóttir', { child: false });
    f.guardian(hidden, hiddenParent);
    f.contact(hiddenParent, 'mobile', '070-555 55 55');

    // 745 pupils plus one protected.
    const families = ['Öberg', 'Ågren', 'Jönsson', 'Lindström', 'Åkesson', 'Näslund', 'Ekström', 'Håkansson'];
    for (let i = 0; i < 745; i++) {
      const child = f.person(`Elev${String(i).padStart(3, '0')}`, families[i % families.length]!, { birth: `2011-0${1 + (i % 9)}-1${i % 10}` });
      f.enrol(child, ids.school, ids.big, 9);
      const parent = f.person(`Vårdnadshavare${i}`, families[i % families.length]!, { child: false });
      f.guardian(child, parent);
      f.contact(parent, 'mobile', `070-${String(200000 + i)}`);
      f.contact(parent, 'email', `v${i}@example.se`);
    }
    f.enrol(f.person('Dold', 'Skyddad', { protection: 'se_sekretessmarkering' }), ids.school, ids.big, 9);
  })();

  // 4C: the order clerks met ("Nyström, Öberg, Olofsson" printed Ö between N and O), identity numbers, a
  // guardian linked to a protected person (a protected sibling: named, never with contacts), a guardian
  // the child is shielded from, and a protected child whose guardian has contacts.
  ids.g4c = f.group(ids.school, '4C', 4);
  core.db.sqlite.transaction(() => {
    const kids: Record<string, string> = {};
    (['Öberg', 'Nyström', 'Olofsson', 'Zetterlund', 'Åberg'] as const).forEach((family, i) => {
      const child = f.person('Kim', family, { birth: `2016-0${i + 1}-15`, serial: 11 + i * 2 });
      kids[family] = child;
      f.enrol(child, ids.school, ids.g4c, 4);
      const parent = f.person('Vera', family, { child: false });
      f.guardian(child, parent);
      f.contact(parent, 'mobile', `073-400 00 0${i}`);
      f.contact(parent, 'email', `vera.${i}@example.se`);
    });
    // Olofsson's mother also has a protected child in another school: she is linked to a protected person.
    const linked = f.person('Lena', 'Länkad', { child: false });
    f.guardian(kids.Olofsson!, linked);
    f.contact(linked, 'mobile', '073-777 77 77');
    f.guardian(f.person('Tyst', 'Skyddsson', { protection: 'se_skyddad_folkbokforing' }), linked);
    // Nyström is shielded from one guardian by a court.
    const shieldedFrom = f.person('Sune', 'Skärmad', { child: false });
    f.guardian(kids.Nyström!, shieldedFrom, { shielded: true });
    f.contact(shieldedFrom, 'mobile', '073-888 88 88');
    // A protected pupil in 4C, with a guardian who has contacts.
    const hidden = f.person('Hedda', 'Hemligsson', { protection: 'se_skyddad_folkbokforing', serial: 99 });
    f.enrol(hidden, ids.school, ids.g4c, 4);
    const hiddenParent = f.person('Hugo', 'Hemligsson', { child: false });
    f.guardian(hidden, hiddenParent);
    f.contact(hiddenParent, 'mobile', '073-555 55 55');
  })();
  refreshShieldingAll(core);
  seedDemoAccounts(core.ctx);

  const conn = core.connect('list-pdf-test');
  data(conn.call('auth.signIn', { username: 'clerk.all', password: DEMO_PASSWORD }));
  const get = (groupId: string, withContacts: boolean) => data<List>(conn.call('list.get', { unitId: ids.school, groupId, date: DATE, withContacts }));
  lists = { small: get(ids.g3a, true), big: get(ids.big, false), empty: get(ids.empty, false) };
});
afterAll(() => core.dispose());

const base: ListPdfOptions = { lang: 'sv', withContacts: true, now: NOW, municipality: 'Ekdala kommun', printedBy: 'Karin Lind' };
async function render(name: string, list: List, opts: Partial<ListPdfOptions> = {}): Promise<PdfFile> {
  return new PdfFile(dir, name, await listPdf(list, { ...base, ...opts }));
}

/** Table rows of a names-only list as [name, birth date, group], from the layout text. */
const rowsOf = (layout: string) => [...layout.matchAll(/^\s*(\S.*?)\s{2,}(\d{4}-\d{2}-\d{2})\s{2,}(\S+)\s*$/gm)].map((m) => [m[1], m[2], m[3]]);

describe('listPdf (the kit)', () => {
  it('prints every name exactly as registered (NFC), with guardians and contacts; an undrawable character is "�" and reported', async () => {
    expect(lists.small.rows).toHaveLength(CHILDREN.length);
    let replaced: string[] = [];
    const file = await render('unicode.pdf', lists.small, { onReplaced: (c) => (replaced = c) });
    expect(replaced).toEqual(['李']);
    const lines = file.layout().normalize('NFC').split('\n');
    for (const child of CHILDREN) {
      const printed = nameOf(child).replace('李', '\uFFFD');
      expect(lines.some((l) => l.trimStart().startsWith(`${printed}  `) && l.includes('2017-05-05') && l.includes('3A')), printed).toBe(true);
      expect(lines.some((l) => l.includes(`${child[1].normalize('NFC').replace('李', '\uFFFD')}, Förälder ${child[0].normalize('NFC')}`)), printed).toBe(true);
    }
    const text = file.text();
    expect(text).toContain('070-100 00 03');
    // A long e-mail address wraps inside the guardians column instead of being cut.
    expect(text.replace(/\s+/g, '')).toContain('forelder.11.med.en.mycket.lang.adress@exempel-kommun.example.se');
  });

  it('shows nothing of the protected child the reader left out, nor of a shielded guardian, and says how many were left out', async () => {
    expect(lists.small.hiddenProtected).toBe(1);
    const file = await render('protected.pdf', lists.small);
    const text = file.text();
    for (const leak of ['Hemlig', 'Skyddsdóttir', 'Gunnhild', '070-555', 'Sigvard', 'Skärmsson', '070-999']) expect(text).not.toContain(leak);
    expect(text).toContain('Personer med skyddade personuppgifter som inte visas: 1');
    expect(JSON.stringify(file.info())).not.toMatch(/Hemlig|Skydd/);
  });

  it('a 745-pupil list: numbered pages, title and headings on each, every row once and in order', async () => {
    const list = lists.big;
    expect(list.rows).toHaveLength(745);
    expect(list.hiddenProtected).toBe(1);
    const t0 = performance.now();
    const bytes = await listPdf(list, { ...base, withContacts: false });
    const ms = performance.now() - t0;
    const file = new PdfFile(dir, 'big.pdf', bytes);
    const pages = file.pages();
    expect(pages.length).toBeGreaterThan(10);
    pages.forEach((p, i) => {
      expect(p).toContain('Klasslista – Ängsskolan – 9Z');
      expect(p).toMatch(/Namn\s+Födelsedatum\s+Grupp/);
      expect(p.match(/Sida \d+ av \d+/g)).toEqual([`Sida ${i + 1} av ${pages.length}`]);
      expect(p).toContain('Personer med skyddade personuppgifter som inte visas: 1');
      expect(p).not.toContain('Skyddad');
    });
    const expected = list.rows.map((r) => [r.person.name, r.birthDate, r.groupName]);
    const rows = rowsOf(file.layout());
    expect(rows).toEqual(expected);

    for (const same of ['Klasslista – Ängsskolan – 9Z', 'Datum: 2026-11-23', 'Personer med skyddade personuppgifter som inte visas: 1']) expect(file.text()).toContain(same);
    expect(file.info().Title).toBe('Klasslista – Ängsskolan – 9Z');
    console.log(`list PDF, 745 rows, names only: ${bytes.length} bytes, ${pages.length} pages, built in ${ms.toFixed(0)} ms (first build in this process)`);
  });

  it('a 745-pupil contact list: size and build time (logged, not asserted)', async () => {
    const conn = core.connect('list-pdf-bench');
    data(conn.call('auth.signIn', { username: 'clerk.all', password: DEMO_PASSWORD }));
    const list = data<List>(conn.call('list.get', { unitId: ids.school, groupId: ids.big, date: DATE, withContacts: true }));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(0);
    const time = async (build: () => Uint8Array | Promise<Uint8Array>) => {
      const times: number[] = [];
      let size = 0;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        size = (await build()).length;
        times.push(performance.now() - t0);
      }
      return { size, ms: median(times) };
    };
    const opts = { lang: 'sv' as const, withContacts: true, now: NOW };
    const kit = await time(() => listPdf(list, { ...opts, municipality: 'Ekdala kommun', printedBy: 'Karin Lind' }));
    const file = new PdfFile(dir, 'big-contacts.pdf', await listPdf(list, opts));
    expect(file.text()).toContain('v744@example.se');
    console.log(`list PDF, 745 rows with guardians' contacts (median of 5): ${kit.ms} ms, ${kit.size} bytes`);
  });

  it('header and footer: municipality above the title, the date, who printed it and when; metadata from the caller', async () => {
    const file = await render('header.pdf', lists.small);
    const text = file.text();
    expect(text).toContain('Ekdala kommun');
    expect(text).toContain('Klasslista – Ängsskolan – 3A');
    expect(text).toContain('Datum: 2026-11-23');
    expect(file.layout()).toMatch(/Namn\s+Födelsedatum\s+Grupp\s+Vårdnadshavare och kontakt/);
    expect(text).toMatch(/Utskriven av Karin Lind 2026-11-2[234] \d\d:\d\d/);
    expect(file.info()).toMatchObject({ Title: 'Klasslista – Ängsskolan – 3A', Producer: 'Kansli', Creator: 'Kansli', CreationDate: '2026-11-23T12:00:00Z' });
    expect(file.info().Author).toBeUndefined();
    const bare = await render('bare.pdf', lists.small, { municipality: null, printedBy: null });
    expect(bare.text()).not.toMatch(/Ekdala|Utskriven/);
  });

  it('other languages and kinds, and an empty list', async () => {
    const en = await render('empty-en.pdf', { ...lists.empty, kind: 'placements' }, { lang: 'en', withContacts: false });
    const text = en.text();
    expect(text).toContain('Placement list – Ängsskolan – 5E');
    expect(text).toContain('No persons on the list.');
    expect(text).toContain('Protected persons not shown: 0');
    expect(text).toContain('Printed by Karin Lind at');
    expect(text).toContain('Page 1 of 1');
    const nb = await render('nb.pdf', lists.small, { lang: 'nb' });
    expect(nb.layout()).toMatch(/Navn\s+Fødselsdato\s+Gruppe\s+Foresatte og kontakt/);
    expect(nb.text()).toContain('Side 1 av 1');
    expect(nb.text()).toContain('Skrevet ut av Karin Lind');
  });
});

describe('listPdf: chosen columns (issue 10)', () => {
  const get = (user: 'clerk.all' | 'protected', withContacts: boolean) => {
    const conn = core.connect(`list-columns-${user}`);
    data(conn.call('auth.signIn', { username: user, password: DEMO_PASSWORD }));
    return data<List>(conn.call('list.get', { unitId: ids.school, groupId: ids.g4c, date: DATE, withContacts }));
  };
  const SWEDISH_ORDER = ['Nyström, Kim', 'Olofsson, Kim', 'Zetterlund, Kim', 'Åberg, Kim', 'Öberg, Kim'];

  it('prints the identity number, the school form and the guardians with contacts, in Swedish alphabetical order (Ö after Z)', async () => {
    const list = get('clerk.all', true);
    expect(list.rows.map((r) => r.person.name)).toEqual(SWEDISH_ORDER);
    const file = await render('columns.pdf', list, { columns: ['identity', 'guardians', 'contacts', 'form'] });
    const layout = file.layout();
    expect(layout).toMatch(/Namn\s+Födelsedatum\s+Personnummer\s+Grupp\s+Skolform\s+Vårdnadshavare och kontakt/);
    expect(file.text()).toContain('Ekdala kommun · Ängsskolan');
    const at = SWEDISH_ORDER.map((n) => layout.indexOf(n));
    expect(at.every((x) => x >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const r of list.rows) {
      const line = layout.split('\n').find((l) => l.includes(r.person.name))!;
      expect(line).toContain(r.identity!);
      expect(line).toContain('Grundskola');
    }
    expect(file.text()).toContain('073-400 00 01');
    expect(file.text()).toContain('vera.4@example.se');
    expect(file.text()).toMatch(/Utskriven av Karin Lind/);
    expect(file.text()).toMatch(/Sida 1 av 1/);
    // The CSV keeps the same order.
    const csv = listCsv(list, 'sv', true, ['identity', 'guardians', 'contacts']);
    const csvNames = csv.split('\r\n').slice(1, -1).map((l) => l.split('",')[0]!.replace(/^"/, ''));
    expect(csvNames).toEqual(SWEDISH_ORDER);
  });

  it('never prints a shielded-from guardian, a linked guardian’s contacts, or a protected child’s number and guardians', async () => {
    for (const user of ['clerk.all', 'protected'] as const) {
      const list = get(user, true);
      const file = await render(`columns-${user}.pdf`, list, { columns: ['identity', 'guardians', 'contacts', 'form'] });
      const text = file.text();
      // The shielded-from guardian: nothing at all. The linked guardian: the name, no number.
      for (const leak of ['Skärmad', '073-888', '073-777', 'Tyst', 'Skyddsson', '073-555', 'Hugo']) expect(text, `${user}: ${leak}`).not.toContain(leak);
      expect(text).toContain('Länkad, Lena');
      if (user === 'clerk.all') {
        expect(list.hiddenProtected).toBe(1);
        expect(text).not.toContain('Hemligsson');
        expect(text).toContain('Personer med skyddade personuppgifter som inte visas: 1');
      } else {
        // The handler may see the protected pupil on the list: the name, never the number or the guardians.
        const row = list.rows.find((r) => r.person.protected)!;
        expect(row).toMatchObject({ identity: null, guardians: [] });
        const line = file.layout().split('\n').find((l) => l.includes('Hemligsson, Hedda'))!;
        expect(line).not.toMatch(/\d{8}-\d{4}/);
        expect(line).toContain('—');
      }
    }
  });

  it('guardians without contacts, and weekly hours on a placement list', async () => {
    const list = get('clerk.all', false);
    const names = await render('guardians-only.pdf', list, { columns: ['guardians'], withContacts: false });
    expect(names.layout()).toMatch(/Namn\s+Födelsedatum\s+Grupp\s+Vårdnadshavare\s*$/m);
    expect(names.text()).toContain('Nyström, Vera');
    expect(names.text()).not.toMatch(/073-|@example/);
    const placements: List = { ...list, kind: 'placements', rows: list.rows.map((r, i) => ({ ...r, schoolForm: 'FTH', grade: null, weeklyHours: i === 0 ? null : 10 + i })) };
    const hours = await render('hours.pdf', placements, { columns: ['form', 'hours'], lang: 'en' });
    expect(hours.layout()).toMatch(/Name\s+Birth date\s+Group\s+School form\s+Hours\/week/);
    expect(hours.layout().split('\n').find((l) => l.includes('Olofsson, Kim'))).toMatch(/11\s*$/);
  });
});

describe('list.export: column choice is validated', () => {
  it('refuses a repeated column, contacts without guardians, hours on a class list and a contradicting withContacts', async () => {
    const conn = core.connect('list-export-columns');
    data(conn.call('auth.signIn', { username: 'clerk.all', password: DEMO_PASSWORD }));
    const base = { unitId: ids.school, groupId: ids.g4c, date: DATE, format: 'pdf' as const };
    const issue = async (input: Record<string, unknown>) => {
      const r = await conn.callAsync('list.export', { ...base, ...input });
      expect(r.ok).toBe(false);
      return !r.ok ? r.error.issues?.map((i) => i.code) : [];
    };
    expect(await issue({ columns: ['identity', 'identity'] })).toEqual(['column_repeated']);
    expect(await issue({ columns: ['contacts'] })).toEqual(['contacts_need_guardians']);
    expect(await issue({ columns: ['hours'] })).toEqual(['hours_placements_only']);
    expect(await issue({ columns: ['guardians'], withContacts: true })).toEqual(['contacts_mismatch']);
    expect(await issue({ columns: ['phone'] })).toEqual(['invalid_value']);
    const ok = await conn.callAsync('list.export', { ...base, columns: ['identity', 'guardians', 'contacts'] });
    expect(ok).toMatchObject({ ok: true, data: { rows: 5, hiddenProtected: 1 } });
    const entry = core.db.sqlite.prepare(`SELECT details FROM audit_log WHERE method = 'list.export' ORDER BY seq DESC LIMIT 1`).get() as { details: string };
    expect(JSON.parse(entry.details)).toMatchObject({ columns: ['identity', 'guardians', 'contacts'], list: { withContacts: true } });
  });
});
