import { describe, expect, it } from 'vitest';
import { catalogs } from '../../../shared/i18n';
import {
  applySummary,
  blockedMsg,
  canApply,
  canDiscard,
  changesInput,
  changeValueText,
  commonProposedEnd,
  confirmDefaults,
  defaultFormat,
  defaultSchoolYear,
  endReasonText,
  formatBytes,
  hasDryRun,
  fileAccept,
  importStartInput,
  initialMapping,
  newImportErrors,
  PICKABLE_FORMATS,
  problemElementText,
  uploadKindOf,
  intakeCreateRows,
  intakeErrorTexts,
  intakeInput,
  kindsIn,
  problemSubjectText,
  runJobId,
  schoolYearOptions,
  toConfirmInput,
  toDismissInput,
  toggleId,
  togglePage,
  totalOf,
  validateConfirm,
  validateDismiss,
  wideGrant,
  workDetailText,
  worklistErrors,
  worklistInput,
  type IntakeRow,
  type WorkItem,
} from './imports';
import type { TFn } from './i18n';

/** Swedish, with placeholders filled in as i18next does (plural forms by count). */
const t: TFn = (key, vars) => {
  const sv = catalogs.sv as Record<string, string>;
  const count = vars && typeof vars.count === 'number' ? vars.count : null;
  const text = sv[key] ?? (count !== null ? sv[`${key}_${count === 1 ? 'one' : 'other'}`] : undefined) ?? key;
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(vars?.[k] ?? ''));
};
const hasKey = (k: string) => k in catalogs.sv;

const ID = '0123abcd-0000-4000-8000-00000000002a';
const ID2 = '0123abcd-0000-4000-8000-00000000002b';

const item = (over: Partial<WorkItem> = {}): WorkItem => ({
  id: ID,
  version: 1,
  kind: 'moved_out',
  state: 'open',
  person: { id: ID2, name: 'Ekström, Ellen', identity: '20210124-5286', protected: false },
  eventDate: '2026-11-18',
  detail: '0180',
  affects: [],
  proposedEnd: '2026-11-18',
  importId: null,
  createdAt: '2026-11-23T12:00:00.000Z',
  resolvedBy: null,
  resolvedAt: null,
  note: null,
  ...over,
});

const cohortRow = (id: string, over: Partial<IntakeRow> = {}): IntakeRow => ({
  person: { id, name: `Barn ${id.slice(-2)}`, identity: null, protected: false },
  birthDate: '2021-03-01',
  district: null,
  currentUnit: null,
  proposedUnitId: null,
  enrolled: false,
  ...over,
});

describe('access', () => {
  it('opens the screens only for a municipality-wide grant', () => {
    expect(wideGrant([{ role: 'registrar', unitId: null }], 'register.import')).toBe(true);
    expect(wideGrant([{ role: 'clerk', unitId: ID }], 'register.import')).toBe(false);
    expect(wideGrant([{ role: 'clerk', unitId: ID }, { role: 'clerk', unitId: null }], 'worklist.handle')).toBe(true);
    expect(wideGrant([{ role: 'fee_admin', unitId: null }], 'register.import')).toBe(false);
  });
});

describe('starting an import', () => {
  it('picks the country’s own register and says the kind only for Navet when asked', () => {
    expect(defaultFormat('SE')).toBe('navet');
    expect(defaultFormat('NO')).toBe('freg');
    expect(importStartInput(ID, 'navet', null)).toEqual({ fileId: ID, format: 'navet' });
    expect(importStartInput(ID, 'navet', 'delta')).toEqual({ fileId: ID, format: 'navet', kind: 'delta' });
    expect(importStartInput(ID, 'freg', 'full')).toEqual({ fileId: ID, format: 'freg' });
  });

  it('offers CSV too, and sends its mapping (only for CSV)', () => {
    expect(PICKABLE_FORMATS).toEqual(['navet', 'freg', 'csv']);
    expect(importStartInput(ID, 'csv', null, 'Extens (demo)')).toEqual({ fileId: ID, format: 'csv', mapping: 'Extens (demo)' });
    expect(importStartInput(ID, 'csv', 'full', null)).toEqual({ fileId: ID, format: 'csv' });
    expect(importStartInput(ID, 'navet', null, 'Extens (demo)')).toEqual({ fileId: ID, format: 'navet' });
    expect(uploadKindOf('csv')).toBe('csv');
  });

  it('names a problem’s place as the file does: an XML element, a CSV heading', () => {
    expect(problemElementText('Fodelsedatum', 'navet')).toBe('<Fodelsedatum>');
    expect(problemElementText('Födelsedatum', 'csv')).toBe('Födelsedatum');
    expect(problemElementText('', 'csv')).toBeNull();
  });

  it('offers the chooser the kind’s own file types', () => {
    expect(fileAccept('csv')).toBe('.csv,text/csv,.txt,text/plain');
    expect(fileAccept('navet')).toBe('.xml,application/xml,text/xml');
  });

  it('needs a file (in the browser) and, for CSV, a mapping that exists', () => {
    const base = { format: 'csv' as const, hasFile: true, desktop: false, mapping: 'A', mappings: ['A', 'B'] };
    expect(newImportErrors(base)).toEqual({});
    expect(newImportErrors({ ...base, mapping: '' })).toEqual({ mapping: { key: 'imports.new.noMapping' } });
    expect(newImportErrors({ ...base, mapping: 'Gone' })).toEqual({ mapping: { key: 'imports.new.noMapping' } });
    expect(newImportErrors({ ...base, hasFile: false })).toEqual({ file: { key: 'imports.new.noFile' } });
    expect(newImportErrors({ ...base, hasFile: false, desktop: true })).toEqual({});
    expect(newImportErrors({ ...base, format: 'navet', mapping: '' })).toEqual({});
  });

  it('starts the CSV choice with the mapping just saved, else the only one', () => {
    expect(initialMapping(['Extens (demo)', 'SATS'], 'extens (DEMO)')).toBe('Extens (demo)');
    expect(initialMapping(['Extens (demo)', 'SATS'], null)).toBe('');
    expect(initialMapping(['SATS'], 'Deleted since')).toBe('SATS');
    expect(initialMapping([], null)).toBe('');
  });

  it('writes file sizes for people', () => {
    expect(formatBytes(0, 'sv')).toBe('0 B');
    expect(formatBytes(999, 'en')).toBe('999 B');
    expect(formatBytes(56_018, 'sv')).toBe('56,0 kB');
    expect(formatBytes(136_200_000, 'en')).toBe('136 MB');
    expect(formatBytes(1_540_000, 'nb')).toBe('1,5 MB');
  });
});

describe('a run and its review', () => {
  const run = { state: 'ready' as const, blocked: null, readJobId: ID, applyJobId: null };

  it('sums and orders the kinds as the review lists them', () => {
    const counts = { custody: 5, address: 4, new_person: 4, moved_out: 0 };
    expect(totalOf(counts)).toBe(13);
    expect(kindsIn(counts)).toEqual(['new_person', 'address', 'custody']);
  });

  it('says what a run allows', () => {
    expect(canApply(run)).toBe(true);
    expect(canApply({ ...run, blocked: { code: 'already_applied', message: 'x' } })).toBe(false);
    expect(canApply({ ...run, state: 'applied' })).toBe(false);
    expect(canDiscard({ state: 'failed' })).toBe(true);
    expect(canDiscard({ state: 'applied' })).toBe(false);
    expect(hasDryRun({ state: 'discarded' })).toBe(false);
    expect(runJobId({ ...run, state: 'reading' })).toBe(ID);
    expect(runJobId({ ...run, state: 'applying', applyJobId: ID2 })).toBe(ID2);
    expect(runJobId(run)).toBeNull();
  });

  it('asks for one kind of rows, or all of them', () => {
    expect(changesInput(ID, 'all', 0)).toEqual({ id: ID, offset: 0, limit: 100 });
    expect(changesInput(ID, 'address', 100)).toEqual({ id: ID, kind: 'address', offset: 100, limit: 100 });
    expect(changesInput(ID, 'problems', 0)).toEqual({ id: ID, offset: 0, limit: 100 });
  });

  it('translates the known reasons a run cannot be applied and keeps the core’s words otherwise', () => {
    expect(blockedMsg({ code: 'already_applied', message: 'This file (20261123, part 1) was already applied' })).toEqual({ key: 'imports.blocked.already_applied' });
    expect(blockedMsg({ code: 'older_than_applied', message: '…' })).toEqual({ key: 'imports.blocked.older_than_applied' });
    expect(blockedMsg({ code: 'cancelled', message: '' })).toEqual({ key: 'imports.blocked.cancelled' });
    expect(blockedMsg({ code: 'something_new', message: 'A new reason' })).toEqual({ key: 'imports.message.text', vars: { text: 'A new reason' } });
    expect(blockedMsg({ code: 'something_new', message: '' })).toEqual({ key: 'imports.message.text', vars: { text: 'something_new' } });
  });

  it('turns the core’s codes in a row into words', () => {
    expect(changeValueText({ kind: 'protection_added', before: 'none', after: 'se_sekretessmarkering' }, 'before', t, 'sv')).toBe('Ingen');
    expect(changeValueText({ kind: 'protection_added', before: 'none', after: 'se_sekretessmarkering' }, 'after', t, 'sv')).toBe('Sekretessmarkering');
    expect(changeValueText({ kind: 'deceased', before: 'active', after: '2026-11-19' }, 'before', t, 'sv')).toBe('Aktiv');
    expect(changeValueText({ kind: 'deceased', before: 'active', after: '2026-11-19' }, 'after', t, 'sv')).toBe('Avliden 2026-11-19');
    expect(changeValueText({ kind: 'emigrated', before: 'active', after: '2026-11-19 NO' }, 'after', t, 'sv')).toBe('Utvandrad 2026-11-19, Norge');
    expect(changeValueText({ kind: 'moved_out', before: '9901', after: '0180' }, 'after', t, 'sv')).toBe('Kommun 0180');
    expect(changeValueText({ kind: 'moved_out', before: '9901', after: null }, 'after', t, 'sv')).toBe('Inte med i filen');
    expect(changeValueText({ kind: 'custody', before: null, after: '+ Persson, Nora' }, 'after', t, 'sv')).toBe('Ny vårdnadshavare: Persson, Nora');
    expect(changeValueText({ kind: 'custody', before: 'Jonsson, Per', after: '− Jonsson, Per' }, 'after', t, 'sv')).toBe('Vårdnaden upphör: Jonsson, Per');
    expect(changeValueText({ kind: 'details', before: 'birthDate: 2020-01-02; sex: M', after: 'birthDate: 2020-01-03; sex: F' }, 'after', t, 'sv')).toBe('Födelsedatum: 2020-01-03; Kön: Kvinna');
    expect(changeValueText({ kind: 'details', before: 'nationality: null', after: 'nationality: NO' }, 'before', t, 'sv')).toBe('Medborgarskap: –');
    expect(changeValueText({ kind: 'address', before: null, after: 'RÖNNBÄRSSTIGEN 43, 141 51 EKDALA' }, 'after', t, 'sv')).toBe('RÖNNBÄRSSTIGEN 43, 141 51 EKDALA');
    expect(changeValueText({ kind: 'new_person', before: null, after: null }, 'before', t, 'sv')).toBeNull();
  });

  it('writes a problem’s subject as an identity number', () => {
    expect(problemSubjectText('196303157264', '2026-11-23')).toBe('19630315-7264');
    expect(problemSubjectText('line 12', '2026-11-23')).toBe('line 12');
    expect(problemSubjectText(null, '2026-11-23')).toBeNull();
  });

  it('reads the apply job’s summary defensively', () => {
    expect(applySummary({ changes: 23, persons: 20, workItems: 1 })).toEqual({ changes: 23, persons: 20, workItems: 1 });
    expect(applySummary(null)).toEqual({ changes: 0, persons: 0, workItems: 0 });
    expect(applySummary({ changes: '3' })).toEqual({ changes: 0, persons: 0, workItems: 0 });
  });
});

describe('the work list', () => {
  it('asks for a state, and a kind only when one is chosen', () => {
    expect(worklistInput('open', undefined, 0)).toEqual({ state: 'open', offset: 0, limit: 50 });
    expect(worklistInput('confirmed', 'custody', 50)).toEqual({ state: 'confirmed', kind: 'custody', offset: 50, limit: 50 });
  });

  it('proposes the end date the items share, and none when they differ', () => {
    expect(commonProposedEnd([item(), item({ id: ID2 })])).toBe('2026-11-18');
    expect(commonProposedEnd([item(), item({ id: ID2, proposedEnd: '2026-11-20' })])).toBeNull();
    // Custody items end nothing and do not count.
    expect(commonProposedEnd([item(), item({ kind: 'custody', proposedEnd: null })])).toBe('2026-11-18');
    expect(confirmDefaults([item({ kind: 'custody', proposedEnd: null })])).toEqual({ endDate: '', note: '' });
  });

  it('requires a valid end date where places end, and not for custody', () => {
    expect(validateConfirm({ endDate: '', note: '' }, [item()])).toEqual({ endDate: { key: 'validation.required' } });
    expect(validateConfirm({ endDate: '2026-02-30', note: '' }, [item()])).toEqual({ endDate: { key: 'validation.date_invalid' } });
    expect(validateConfirm({ endDate: '', note: '' }, [item({ kind: 'custody' })])).toEqual({});
    expect(validateConfirm({ endDate: '2026-11-30', note: 'x'.repeat(501) }, [item()])).toEqual({ note: { key: 'validation.too_long_max', vars: { max: 500 } } });
  });

  it('confirms in one call: the end date only where it ends something, the note when written', () => {
    expect(toConfirmInput({ endDate: '2026-11-30', note: '  Flyttat enligt Navet ' }, [item(), item({ id: ID2, version: 3 })])).toEqual({
      items: [
        { id: ID, version: 1 },
        { id: ID2, version: 3 },
      ],
      endDate: '2026-11-30',
      note: 'Flyttat enligt Navet',
    });
    expect(toConfirmInput({ endDate: '2026-11-30', note: '' }, [item({ kind: 'custody' })])).toEqual({ items: [{ id: ID, version: 1 }] });
  });

  it('dismisses only with a note of ten characters', () => {
    expect(validateDismiss('  kort  ')).toEqual({ note: { key: 'worklist.dismiss.tooShort', vars: { min: 10 } } });
    expect(validateDismiss('Redan utrett av socialtjänsten')).toEqual({});
    expect(toDismissInput(' Redan utrett ', [item()])).toEqual({ items: [{ id: ID, version: 1 }], note: 'Redan utrett' });
  });

  it('treats someone else’s handling as a conflict that reloads the list', () => {
    expect(worklistErrors({ code: 'conflict', message: 'x', field: 'items.0.id' }, hasKey).conflict).toBe(true);
    expect(worklistErrors({ code: 'not_found', message: 'x', field: 'items.1.id' }, hasKey).conflict).toBe(true);
    const rule = worklistErrors({ code: 'rule_violation', message: 'notice_too_short: …', rule: 'notice_too_short', field: 'endDate' }, hasKey);
    expect(rule.conflict).toBe(false);
    expect(rule.fields.endDate).toEqual({ key: 'rule.notice_too_short' });
  });

  it('says an item’s detail in the UI language', () => {
    expect(workDetailText(item(), t, 'sv')).toBe('Kommun 0180');
    expect(workDetailText(item({ kind: 'custody', detail: 'ended' }), t, 'sv')).toBe('En vårdnadshavare har inte längre vårdnaden');
    expect(workDetailText(item({ kind: 'protection_added', detail: 'se_skyddad_folkbokforing' }), t, 'sv')).toBe('Skyddad folkbokföring');
    expect(workDetailText(item({ kind: 'emigrated', detail: 'NO' }), t, 'sv')).toBe('Norge');
    expect(workDetailText(item({ detail: null }), t, 'sv')).toBeNull();
  });

  it('shows the work list’s end reasons on the card as words', () => {
    expect(endReasonText('moved_out', t)).toBe('Flyttat från kommunen');
    expect(endReasonText('protection', t)).toBe('Skyddad identitet');
    expect(endReasonText('Flyttar till Malmö', t)).toBe('Flyttar till Malmö');
  });
});

describe('selection', () => {
  it('toggles one row and the page', () => {
    const s = toggleId(new Set(), ID);
    expect([...s]).toEqual([ID]);
    expect([...toggleId(s, ID)]).toEqual([]);
    const page = togglePage(new Set([ID]), [ID, ID2]);
    expect([...page].sort()).toEqual([ID, ID2]);
    expect([...togglePage(page, [ID, ID2])]).toEqual([]);
  });
});

describe('the intake', () => {
  it('defaults to the school year that starts next autumn', () => {
    expect(defaultSchoolYear('2026-11-23')).toBe(2027);
    expect(defaultSchoolYear('2026-03-01')).toBe(2026);
    expect(defaultSchoolYear('2026-08-01')).toBe(2026);
    expect(schoolYearOptions('2026-11-23')).toEqual([2026, 2027, 2028]);
    expect(intakeInput(2027, undefined, 0)).toEqual({ schoolYear: 2027, offset: 0, limit: 100 });
    expect(intakeInput(2027, ID, 100)).toEqual({ schoolYear: 2027, unitId: ID, offset: 100, limit: 100 });
  });

  it('sends each chosen child to the chosen school, or to its proposed one', () => {
    const a = cohortRow('0123abcd-0000-4000-8000-000000000001', { proposedUnitId: ID });
    const b = cohortRow('0123abcd-0000-4000-8000-000000000002');
    const done = cohortRow('0123abcd-0000-4000-8000-000000000003', { enrolled: true, proposedUnitId: ID });
    expect(intakeCreateRows([a, b], ID2)).toMatchObject({ rows: [{ personId: a.person.id, unitId: ID2 }, { personId: b.person.id, unitId: ID2 }], missing: [] });
    const own = intakeCreateRows([a, b, done], null);
    expect(own.rows).toEqual([{ personId: a.person.id, unitId: ID }]);
    expect(own.missing).toEqual([b]);
    expect(own.sent).toEqual([a]);
  });

  it('names the child of a refused row', () => {
    const a = cohortRow('0123abcd-0000-4000-8000-000000000001');
    const b = cohortRow('0123abcd-0000-4000-8000-000000000002');
    expect(intakeErrorTexts({ code: 'rule_violation', rule: 'unit_form', message: 'Row 2: the unit does not run FKLASS', field: 'rows.1.unitId' }, [a, b], t, () => false)).toEqual([
      'Rad 2 (Barn 02): the unit does not run FKLASS',
    ]);
    expect(intakeErrorTexts({ code: 'forbidden', message: 'x' }, [a], t, hasKey)).toEqual([t('error.forbidden')]);
  });
});
