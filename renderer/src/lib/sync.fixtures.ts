/**
 * Synthetic answers of the sync methods for a joined workstation, typed by the contract: the component tests
 * (lib/sync.test.ts, components/SyncStatus.test.tsx, screens/Sync.test.tsx) and the e2e screenshots of the
 * joined screens (test/e2e/sync.e2e.ts, until the two-workstation e2e drives a real server) use the same ones.
 * Not imported by the app. Every name and number here is made up.
 */
import type { MethodOutput } from '../../../shared/api/contract';

export const PERSON_ID = '0190a000-0000-7000-8000-000000000001';
export const PROTECTED_ID = '0190a000-0000-7000-8000-000000000002';
export const ADDRESS_ID = '0190a000-0000-7000-8000-0000000000a1';
export const CONFLICT_ID = '0190a000-0000-7000-8000-00000000c001';
export const REJECTED_ID = '0190a000-0000-7000-8000-00000000c002';
export const PENDING_ID = '0190a000-0000-7000-8000-00000000c003';
export const PLACEMENT_CONFLICT_ID = '0190a000-0000-7000-8000-00000000c004';

export const joinedStatus = (over: Partial<MethodOutput<'sync.status'>> = {}): MethodOutput<'sync.status'> => ({
  mode: 'joined',
  server: 'https://kansli.exempel.se',
  online: true,
  pending: 1,
  conflicts: 2,
  rejected: 1,
  lastSyncAt: '2026-11-23T13:02:00.000Z',
  lastError: null,
  ...over,
});

export const standaloneStatus: MethodOutput<'sync.status'> = {
  mode: 'standalone',
  server: null,
  online: false,
  pending: 0,
  conflicts: 0,
  rejected: 0,
  lastSyncAt: null,
  lastError: null,
};

const ada = { id: PERSON_ID, name: 'Testsson, Ada', protected: false };
const hidden = { id: PROTECTED_ID, name: '', protected: true };

export const changes: MethodOutput<'sync.changes'> = {
  items: [
    { mutationId: PENDING_ID, method: 'guardianship.update', at: '2026-11-23T13:10:00.000Z', state: 'pending', error: null, persons: [ada] },
    { mutationId: CONFLICT_ID, method: 'person.update', at: '2026-11-23T13:05:00.000Z', state: 'conflict', error: null, persons: [ada] },
    {
      mutationId: REJECTED_ID,
      method: 'placement.create',
      at: '2026-11-23T12:58:00.000Z',
      state: 'rejected',
      error: { code: 'rule_violation', message: 'overlap', rule: 'placement_overlap', field: 'validFrom' },
      persons: [hidden],
    },
    { mutationId: PLACEMENT_CONFLICT_ID, method: 'placement.update', at: '2026-11-23T12:40:00.000Z', state: 'conflict', error: null, persons: [hidden] },
  ],
};

/** The clerk changed the given name, the family name and the address while the server changed the given name and the address. */
export const personConflict: MethodOutput<'sync.conflict'> = {
  ...changes.items[1]!,
  input: {
    id: PERSON_ID,
    version: 3,
    mode: 'change',
    effectiveFrom: '2026-11-23',
    person: {
      identityNumber: '20190314-2386',
      reserveNumber: null,
      birthDate: '2019-03-14',
      sex: 'F',
      givenName: 'Adeline',
      middleName: null,
      familyName: 'Testberg',
      preferredName: null,
      status: 'active',
      nationality: 'SE',
      motherTongue: 'sv',
      maalform: null,
      preferredLanguage: null,
      messagesAllowed: false,
      protection: 'none',
      addresses: [{ id: ADDRESS_ID, kind: 'registered', careOf: null, street: 'Provgatan 9', postalCode: '123 45', city: 'Exempelby', country: 'SE' }],
      contacts: [],
    },
  },
  fields: [
    { entity: 'person', id: PERSON_ID, field: 'givenName', base: 'Ada', theirs: 'Adela', mine: 'Adeline' },
    { entity: 'person', id: PERSON_ID, field: 'familyName', base: 'Testsson', theirs: 'Testsson', mine: 'Testberg' },
    { entity: 'person', id: PERSON_ID, field: 'messagesAllowed', base: 1, theirs: 1, mine: 0 },
    { entity: 'person', id: PERSON_ID, field: 'sortKey', base: 'testsson ada', theirs: 'testsson adela', mine: 'testberg adeline' },
    { entity: 'person_name', id: '0190a000-0000-7000-8000-0000000000b1', field: 'givenName', base: 'Ada', theirs: 'Adela', mine: 'Adeline' },
    { entity: 'person_address', id: ADDRESS_ID, field: 'street', base: 'Provgatan 1', theirs: 'Provgatan 5', mine: 'Provgatan 9' },
  ],
};

/** The person's card as it is now, after the server's change arrived (version 4). */
export const cardNow: MethodOutput<'person.get'> = {
  id: PERSON_ID,
  version: 4,
  identity: { kind: 'se_personnummer', country: 'SE', display: '20190314-2386' },
  reserveNumber: null,
  birthDate: '2019-03-14',
  sex: 'F',
  status: 'active',
  givenName: 'Adela',
  middleName: null,
  familyName: 'Testsson',
  preferredName: null,
  nationality: 'SE',
  motherTongue: 'sv',
  maalform: null,
  preferredLanguage: null,
  messagesAllowed: true,
  protection: 'none',
  shielded: false,
  addresses: [{ id: ADDRESS_ID, kind: 'registered', careOf: null, street: 'Provgatan 5', postalCode: '123 45', city: 'Exempelby', country: 'SE', validFrom: '2019-03-14', validTo: null }],
  contacts: [],
  nameHistory: [],
  roles: ['child'],
  duties: [],
  memberships: [],
  guardians: [],
  children: [],
  history: [],
  createdAt: '2019-03-14T08:00:00.000Z',
  updatedAt: '2026-11-23T13:04:00.000Z',
  updatedBy: 'u2',
  updatedByName: 'Test Kollega',
};

export const rejectedConflict: MethodOutput<'sync.conflict'> = {
  ...changes.items[2]!,
  input: { childId: PROTECTED_ID },
  fields: [{ entity: 'placement', id: '0190a000-0000-7000-8000-0000000000d1', field: 'validFrom', base: null, theirs: null, mine: '2026-12-01' }],
};

export const placementConflict: MethodOutput<'sync.conflict'> = {
  ...changes.items[3]!,
  input: { id: '0190a000-0000-7000-8000-0000000000d2', version: 2 },
  fields: [{ entity: 'placement', id: '0190a000-0000-7000-8000-0000000000d2', field: 'weeklyHours', base: 30, theirs: 35, mine: 40 }],
};
