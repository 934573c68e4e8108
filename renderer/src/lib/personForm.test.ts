import { describe, expect, it } from 'vitest';
import { contract } from '../../../shared/api/contract';
import { createClient } from '../../../shared/api/client';
import { createFakeBridge } from '../../../shared/api/fake';
import { makeSwedishPersonnummer } from '../../../shared/identity';
import type { PersonCard } from './domain';
import { issueMessage, mapApiError } from '../kit/errors';
import {
  changedFields,
  emptyAddress,
  emptyContact,
  emptyPersonValues,
  isDirty,
  lowersProtection,
  personFieldKnown,
  rebasePerson,
  toPersonInput,
  validatePerson,
  valuesFromCard,
  type PersonFormValues,
} from './personForm';
import { toUnitInput, validateUnit, emptyUnitValues } from './unitForm';

const TODAY = '2025-11-20';
const ctx = { today: TODAY, demo: false, editing: false, shielded: false };
const PNR = makeSwedishPersonnummer('2014-03-05', 123); // 12 digits, male

function filled(): PersonFormValues {
  return {
    ...emptyPersonValues(TODAY),
    identityNumber: `${PNR.slice(0, 8)}-${PNR.slice(8)}`,
    givenName: 'Olle Nils',
    familyName: 'Andersson',
    preferredName: 'Olle',
    addresses: [{ ...emptyAddress('SE'), street: 'Storgatan 1', postalCode: '123 45', city: 'Ekdala' }],
    contacts: [{ ...emptyContact(), kind: 'email', value: 'olle@example.se' }],
  };
}

describe('person form: client checks', () => {
  it('accepts a complete person', () => {
    expect(validatePerson(filled(), ctx)).toEqual({});
  });

  it('names each problem by its field path and message id', () => {
    const v = filled();
    v.givenName = ' ';
    v.identityNumber = `${PNR.slice(0, 11)}${(Number(PNR[11]) + 1) % 10}`;
    v.addresses[0]!.postalCode = '1234';
    v.contacts[0]!.value = 'not-an-email';
    v.contacts.push({ ...emptyContact(), kind: 'mobile', value: 'abc' });
    const e = validatePerson(v, ctx);
    expect(e.givenName?.key).toBe('validation.required');
    expect(e.identityNumber?.key).toBe('validation.identity.bad_checksum');
    expect(e['addresses.0.postalCode']?.key).toBe('validation.postal_code_se');
    expect(e['contacts.0.value']?.key).toBe('validation.email_invalid');
    expect(e['contacts.1.value']?.key).toBe('validation.phone_invalid');
  });

  it('requires a birth date when there is no identity number', () => {
    const v = { ...filled(), noIdentityNumber: true, birthDate: '' };
    expect(validatePerson(v, ctx).birthDate?.key).toBe('validation.birth_date_required');
    expect(validatePerson({ ...v, birthDate: '2014-02-30' }, ctx).birthDate?.key).toBe('validation.date_invalid');
    expect(validatePerson({ ...v, birthDate: '2030-01-01' }, ctx).birthDate?.key).toBe('validation.date_in_future');
    expect(validatePerson({ ...v, birthDate: '2014-02-28' }, ctx)).toEqual({});
  });

  it('skips address checks for a protected person', () => {
    const v = { ...filled(), protection: 'se_skyddad_folkbokforing' as const };
    v.addresses[0]!.street = '';
    expect(validatePerson(v, ctx)).toEqual({});
  });

  it('asks for a reason only when the stored protection is lowered or removed', () => {
    const edit = { ...ctx, editing: true, savedProtection: 'se_skyddad_folkbokforing' as const };
    const lowered = { ...filled(), protection: 'se_sekretessmarkering' as const };
    expect(lowersProtection(lowered, edit.savedProtection)).toBe(true);
    expect(validatePerson(lowered, edit).protectionReason).toEqual({ key: 'reveal.reasonTooShort', vars: { min: 10 } });
    expect(validatePerson({ ...lowered, protection: 'none', protectionReason: ' too short ' }, edit).protectionReason?.key).toBe('reveal.reasonTooShort');
    expect(validatePerson({ ...lowered, protectionReason: 'Skatteverket, ärende 2026-1234' }, edit)).toEqual({});
    // A move to the other country's scale is a lowering too; a raise, or a new person, needs no reason.
    expect(lowersProtection({ ...filled(), protection: 'no_strengt_fortrolig' }, 'se_sekretessmarkering')).toBe(true);
    expect(validatePerson({ ...filled(), protection: 'se_skyddad_folkbokforing' }, { ...edit, savedProtection: 'se_sekretessmarkering' })).toEqual({});
    expect(lowersProtection({ ...filled(), protection: 'none' }, undefined)).toBe(false);
    expect(issueMessage({ field: 'protectionReason', code: 'reason_too_short', message: 'x' })).toEqual({ key: 'reveal.reasonTooShort', vars: { min: 10 } });
    expect(personFieldKnown('protectionReason', filled())).toBe(true);
  });
});

describe('person form → contract input', () => {
  it('derives the birth date from the number and is accepted by the contract schema', async () => {
    const input = toPersonInput(filled(), ctx);
    expect(input.birthDate).toBe('2014-03-05');
    expect(input.middleName).toBeNull();
    expect(toPersonInput({ ...filled(), addresses: [{ ...emptyAddress('SE'), street: 'a', postalCode: '12345', city: 'b' }] }, ctx).addresses?.[0]?.postalCode).toBe('123 45');
    expect(contract['person.create'].input.safeParse(input).success).toBe(true);
    const bridge = createFakeBridge({ 'person.create': () => ({ id: '00000001-0000-4000-8000-000000000001', version: 1 }) });
    await expect(createClient(bridge).call('person.create', input)).resolves.toMatchObject({ version: 1 });
  });

  it('omits addresses and contacts for a protected person (never sends them)', () => {
    const input = toPersonInput({ ...filled(), protection: 'se_sekretessmarkering' }, ctx);
    expect('addresses' in input).toBe(false);
    expect('contacts' in input).toBe(false);
    const shielded = toPersonInput(filled(), { ...ctx, shielded: true });
    expect('addresses' in shielded).toBe(false);
  });

  it('sends no number and the typed birth date when the person has none', () => {
    const input = toPersonInput({ ...filled(), noIdentityNumber: true, birthDate: '2016-06-01' }, ctx);
    expect(input.identityNumber).toBeNull();
    expect(input.birthDate).toBe('2016-06-01');
  });
});

describe('server issues → fields', () => {
  it('maps dotted paths onto rendered fields and keeps the rest', () => {
    const v = filled();
    const { fields, top: other } = mapApiError(
      {
        code: 'validation',
        message: '',
        issues: [
        { field: 'addresses.0.postalCode', code: 'required', message: 'required' },
        { field: 'identityNumber', code: 'identity.duplicate', message: '00000001-0000-4000-8000-000000000009' },
        { field: 'effectiveFrom', code: 'effective_before_current', message: '2025-01-01' },
        { field: 'addresses.5.city', code: 'required', message: 'required' },
        { field: 'somethingElse', code: 'weird', message: 'x' },
        ],
      },
      (p) => personFieldKnown(p, v),
    );
    expect(fields['addresses.0.postalCode']).toEqual({ key: 'validation.required' });
    expect(fields.identityNumber).toEqual({ key: 'validation.identity.duplicate', personId: '00000001-0000-4000-8000-000000000009' });
    expect(fields.effectiveFrom).toEqual({ key: 'validation.effective_before_current', vars: { date: '2025-01-01' } });
    // addresses.5 does not exist on the form: falls back to the section
    expect(fields.addresses).toEqual({ key: 'validation.required' });
    expect(other).toEqual([{ key: 'validation.invalid' }]);
  });

  it('never shows the core\'s English text', () => {
    expect(issueMessage({ field: 'x', code: 'invalid_type', message: 'Expected string, received number' })).toEqual({ key: 'validation.invalid' });
    expect(issueMessage({ field: 'identityNumber', code: 'identity.bad_checksum', message: 'Bad' })).toEqual({ key: 'validation.identity.bad_checksum' });
  });
});

describe('edit: values from a card', () => {
  const card: PersonCard = {
    id: '00000001-0000-4000-8000-000000000001',
    version: 3,
    identity: { kind: 'se_personnummer', country: 'SE', display: `${PNR.slice(0, 8)}-${PNR.slice(8)}` },
    reserveNumber: null,
    birthDate: '2014-03-05',
    sex: 'M',
    preferredLanguage: null,
    messagesAllowed: true,
    status: 'active',
    givenName: 'Olle',
    middleName: null,
    familyName: 'Andersson',
    preferredName: null,
    nationality: 'SE',
    motherTongue: 'sv',
    maalform: null,
    protection: 'none',
    shielded: false,
    addresses: [
      { id: '00000002-0000-4000-8000-000000000001', kind: 'registered', careOf: null, street: 'Gamla vägen 1', postalCode: '123 45', city: 'Ekdala', country: 'SE', validFrom: '2015-01-01', validTo: '2020-01-01' },
      { id: '00000002-0000-4000-8000-000000000002', kind: 'registered', careOf: null, street: 'Storgatan 1', postalCode: '123 45', city: 'Ekdala', country: 'SE', validFrom: '2020-01-02', validTo: null },
    ],
    contacts: [],
    nameHistory: [],
    roles: ['child'],
    duties: [],
    memberships: [],
    guardians: [],
    children: [],
    history: [],
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    updatedBy: 'x',
    updatedByName: null,
  };

  it('edits only current addresses, keeping their ids', () => {
    const v = valuesFromCard(card, TODAY);
    expect(v.addresses.map((a) => a.street)).toEqual(['Storgatan 1']);
    expect(toPersonInput(v, ctx).addresses?.[0]?.id).toBe('00000002-0000-4000-8000-000000000002');
    expect(contract['person.update'].input.safeParse({ id: card.id, version: 3, mode: 'change', effectiveFrom: TODAY, person: toPersonInput(v, ctx) }).success).toBe(true);
  });

  it('tracks dirtiness and what changed', () => {
    const a = valuesFromCard(card, TODAY);
    const b = { ...a, familyName: 'Berg', addresses: [] };
    expect(isDirty(a, valuesFromCard(card, TODAY))).toBe(false);
    expect(isDirty(a, b)).toBe(true);
    expect(changedFields(a, b)).toEqual(['familyName', 'addresses']);
  });
});

describe('unit form', () => {
  it('checks codes per country and sends only that country\'s code', () => {
    const v = { ...emptyUnitValues('00000010-0000-4000-8000-000000000001'), name: 'Björkskolan', schoolUnitCode: '1234567', gsiCode: '12345', orgNumber: '212000-1354', schoolForms: ['GR' as const, 'BHG' as const] };
    const e = validateUnit(v, 'SE');
    expect(e.schoolUnitCode?.key).toBe('validation.school_unit_code');
    expect(e.orgNumber?.key).toBe('validation.org_number.bad_checksum');
    expect(e.schoolForms?.key).toBe('validation.school_form_country');
    expect(e.gsiCode).toBeUndefined();
    const ok = { ...v, schoolUnitCode: '12345678', orgNumber: '212000-1355', schoolForms: ['GR' as const] };
    expect(validateUnit(ok, 'SE')).toEqual({});
    const input = toUnitInput(ok, 'SE');
    expect(input.gsiCode).toBeNull();
    expect(contract['unit.create'].input.safeParse(input).success).toBe(true);
  });
});

describe('conflict rebase', () => {
  it('keeps the other user\'s changes and re-applies mine', () => {
    const base = filled();
    const theirs = { ...base, givenName: 'Olle Andra', nationality: 'NO' };
    const mine = { ...base, familyName: 'Berg', nationality: 'FI' };
    const { values, both } = rebasePerson(base, mine, theirs);
    expect(values.givenName).toBe('Olle Andra'); // only they changed it: not reverted
    expect(values.familyName).toBe('Berg'); // only I changed it
    expect(values.nationality).toBe('FI'); // both changed: mine shown, flagged
    expect(both).toEqual(['nationality']);
  });
});
