/**
 * DEV ONLY (loaded with `vite` + `?fake`; never in the production bundle): a synthetic in-memory
 * backend over the contract's test fake, so screens can be built before the core runs.
 * 250 000 persons are derived from their index on demand; nothing real, every number synthetic.
 */
import type { MethodOutput } from '../../../shared/api/contract';
import { DomainError } from '../../../shared/api/errors';
import { createFakeBridge } from '../../../shared/api/fake';
import type { KansliBridge } from '../../../shared/api/transport';
import { formatIdentityNumber, makeSwedishPersonnummer, parseIdentityNumber } from '../../../shared/identity';
import type { PersonCard, PersonSummary, UnitCard } from '../lib/domain';

const TOTAL = 250_000;
const TODAY = '2025-11-20';
const GIVEN_F = ['Anna', 'Maja', 'Elsa', 'Astrid', 'Ebba', 'Saga', 'Alice', 'Wilma', 'Selma', 'Ines', 'Nora', 'Leah'];
const GIVEN_M = ['Erik', 'Lars', 'Oscar', 'Liam', 'Hugo', 'Noah', 'William', 'Elias', 'Adam', 'Ali', 'Nils', 'Olle'];
const FAMILY = ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson', 'Hassan', 'Lindqvist', 'Åberg', 'Öberg'];

const uuidOf = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const indexOf = (id: string) => parseInt(id.slice(-12), 16);
const rnd = (n: number, salt: number) => {
  let x = (n * 2654435761 + salt * 40503) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 2246822519) >>> 0;
  x ^= x >>> 13;
  return x >>> 0;
};

interface Stored {
  summary: PersonSummary;
  extra: Partial<PersonCard>;
  version: number;
}
const edits = new Map<number, Stored>();
let created = 0;

function personAt(i: number): Stored {
  const e = edits.get(i);
  if (e) return e;
  const child = i % 5 !== 0;
  const staff = i % 37 === 0;
  const year = child ? 2007 + (rnd(i, 1) % 15) : 1960 + (rnd(i, 1) % 35);
  const month = 1 + (rnd(i, 2) % 12);
  const day = 1 + (rnd(i, 3) % 28);
  const birth = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const serial = 1 + (rnd(i, 4) % 998);
  const canonical = makeSwedishPersonnummer(birth, serial, { samordning: i % 53 === 0 });
  const sex = serial % 2 === 1 ? 'M' : 'F';
  const given = (sex === 'M' ? GIVEN_M : GIVEN_F)[rnd(i, 5) % 12]!;
  const given2 = (sex === 'M' ? GIVEN_M : GIVEN_F)[rnd(i, 9) % 12]!;
  return {
    version: 1,
    extra: {},
    summary: {
      id: uuidOf(1, i),
      givenName: i % 3 === 0 ? `${given} ${given2}` : given,
      reserveNumber: null,
      middleName: null,
      familyName: FAMILY[rnd(i, 6) % FAMILY.length]!,
      preferredName: i % 3 === 0 ? given : null,
      identity: i % 97 === 0 ? null : { kind: i % 53 === 0 ? 'se_samordningsnummer' : 'se_personnummer', country: 'SE', display: formatIdentityNumber(canonical) },
      birthDate: birth,
      sex,
      status: i % 211 === 0 ? 'emigrated' : 'active',
      roles: staff ? ['staff'] : child ? ['child'] : ['guardian'],
      protected: i % 41 === 0,
    },
  };
}

const sortedIndex = (i: number) => i; // the fake's "sort order" is its index

function card(i: number): PersonCard {
  const s = personAt(i);
  const p = s.summary;
  const shielded = p.protected;
  return {
    ...p,
    version: s.version,
    nationality: 'SE',
    motherTongue: i % 7 === 0 ? 'ar' : 'sv',
    maalform: null,
    preferredLanguage: s.extra?.preferredLanguage ?? null,
    messagesAllowed: s.extra?.messagesAllowed ?? true,
    protection: p.protected ? 'se_skyddad_folkbokforing' : 'none',
    shielded,
    addresses: shielded
      ? []
      : [{ id: uuidOf(2, i), kind: 'registered', careOf: null, street: `Storgatan ${1 + (i % 80)}`, postalCode: '123 45', city: 'Ekdala', country: 'SE', validFrom: '2019-08-01', validTo: null }],
    contacts: shielded ? [] : [{ id: uuidOf(3, i), kind: 'mobile', value: `070-${String(1000000 + (i % 8999999)).slice(0, 7)}`, validFrom: '2019-08-01', validTo: null }],
    nameHistory: [{ givenName: p.givenName, middleName: null, familyName: p.familyName, preferredName: p.preferredName, validFrom: p.birthDate ?? '2000-01-01', validTo: null }],
    duties: p.roles.includes('staff') ? [{ id: uuidOf(4, i), unitId: uuidOf(20, 1), unitName: 'Björkskolan', role: 'teacher', percent: 80, validFrom: '2018-08-01', validTo: null }] : [],
    memberships: p.roles.includes('child')
      ? [{ id: uuidOf(5, i), groupId: uuidOf(30, 1), groupName: '3A', groupKind: 'class', unitId: uuidOf(20, 1), unitName: 'Björkskolan', schoolYear: 2025, validFrom: '2025-08-18', validTo: null }]
      : [],
    guardians: p.roles.includes('child') ? [{ personId: uuidOf(1, i + 1), name: 'Karin Andersson', kind: 'vardnadshavare', protected: false, validFrom: p.birthDate ?? '2015-01-01', validTo: null }] : [],
    children: p.roles.includes('guardian') ? [{ personId: uuidOf(1, i + 1), name: 'Olle Andersson', kind: 'vardnadshavare', protected: false, validFrom: '2015-01-01', validTo: null }] : [],
    history: [{ at: '2025-09-01T08:12:00Z', actor: 'Demo Kanslist', actorName: 'Demo Kanslist', op: 'create', fields: [] }, ...(s.version > 1 ? [{ at: new Date().toISOString(), actor: 'Demo Kanslist', actorName: 'Demo Kanslist', op: 'update' as const, fields: ['familyName'] }] : [])],
    createdAt: '2025-09-01T08:12:00Z',
    updatedAt: '2025-09-01T08:12:00Z',
    updatedBy: 'Demo Kanslist',
    updatedByName: 'Demo Kanslist',
    ...s.extra,
  };
}

const UNITS = ['Björkskolan', 'Ekdalaskolan', 'Lönnens förskola', 'Sjöviksskolan', 'Tallbackens fritidshem'].map((name, j) => ({
  id: uuidOf(20, j + 1),
  kind: 'school_unit' as const,
  name,
  code: String(10000000 + j * 1234567).slice(0, 8),
  schoolForms: j === 2 ? (['FS'] as const) : (['FKLASS', 'GR', 'FTH'] as const),
  groupCount: 6,
}));
const ADMINS = [
  { id: uuidOf(10, 1), name: 'Barn- och utbildningsförvaltningen', units: UNITS.slice(0, 3) },
  { id: uuidOf(10, 2), name: 'Kultur- och fritidsförvaltningen', units: UNITS.slice(3) },
];

function unitCard(id: string): UnitCard {
  const admin = ADMINS.find((a) => a.id === id);
  if (admin) return { id, version: 1, kind: 'administration', parentId: null, parentName: null, name: admin.name, schoolUnitCode: null, orgNumber: null, gsiCode: null, schoolForms: [], visitingAddress: null, groups: [], staff: [] };
  const u = UNITS.find((x) => x.id === id);
  if (!u) throw new DomainError('not_found', 'No such unit', 'id');
  const parent = ADMINS.find((a) => a.units.includes(u))!;
  return {
    id,
    version: 1,
    kind: 'school_unit',
    parentId: parent.id,
    parentName: parent.name,
    name: u.name,
    schoolUnitCode: u.code,
    orgNumber: '212000-1355',
    gsiCode: null,
    schoolForms: [...u.schoolForms],
    visitingAddress: 'Skolvägen 4, 123 45 Ekdala',
    groups: [2024, 2025].flatMap((y) =>
      ['1A', '2A', '3A', '3B'].map((g, k) => ({ id: uuidOf(30, y * 10 + k), name: g, kind: 'class' as const, schoolYear: y, schoolForm: 'GR' as const, grade: Number(g[0]), memberCount: 22 + k })),
    ),
    staff: [
      { dutyId: uuidOf(6, 1), personId: uuidOf(1, 37), name: 'Eva Rektorsson', role: 'principal', percent: 100, validFrom: '2020-08-01', validTo: null },
      { dutyId: uuidOf(6, 2), personId: uuidOf(1, 74), name: 'Per Lärare', role: 'teacher', percent: 80, validFrom: '2021-08-01', validTo: null },
    ],
  };
}

// ---- sign-in (dev only): every demo account has the demo password; nothing is checked beyond that.
type AuthStatus = MethodOutput<'auth.status'>;
type Role = MethodOutput<'session.info'>['roles'][number]['role'];
const DEMO_PASSWORD = 'kansli-demo-2026';
const DEMO_USERS: { username: string; name: string; roles: Role[]; permissions: MethodOutput<'session.info'>['permissions'] }[] = [
  { username: 'clerk.all', name: 'Demo Kanslist', roles: ['clerk'], permissions: ['session', 'register.search', 'register.read', 'register.write', 'org.read'] },
  { username: 'protected', name: 'Demo Handläggare', roles: ['protected_handler', 'clerk'], permissions: ['session', 'register.search', 'register.read', 'register.write', 'org.read', 'protected.reveal'] },
  { username: 'registrar', name: 'Demo Registrator', roles: ['registrar'], permissions: ['session', 'register.search', 'register.read', 'org.read', 'org.write'] },
  { username: 'admin', name: 'Demo Systemförvaltare', roles: ['sysadmin'], permissions: ['session', 'access.admin', 'org.read', 'org.write'] },
  { username: 'auditor', name: 'Demo Granskare', roles: ['auditor'], permissions: ['session', 'audit.read'] },
];
const auth: { state: AuthStatus['state']; user: (typeof DEMO_USERS)[number] | null; idleMinutes: number } = { state: 'signed_out', user: null, idleMinutes: 10 };
const authStatus = (): AuthStatus => ({
  state: auth.state,
  user: auth.user ? { id: `u-${auth.user.username}`, name: auth.user.name, username: auth.user.username } : null,
  demo: true,
  demoAccounts: DEMO_USERS.map((u) => ({ username: u.username, roles: u.roles.join(', ') })),
  demoPassword: DEMO_PASSWORD,
  idleMinutes: auth.idleMinutes,
  passwordMinLength: 12,
});
const signedIn = () => {
  if (auth.state === 'locked') throw new DomainError('session_locked', 'locked');
  if (auth.state !== 'signed_in' || !auth.user) throw new DomainError('unauthenticated', 'not signed in');
  return auth.user;
};

export function createDevBridge(): KansliBridge {
  const summaries = (offset: number, limit: number, filter: (p: PersonSummary) => boolean) => {
    const items: PersonSummary[] = [];
    for (let i = offset; i < Math.min(TOTAL, offset + limit); i++) {
      const p = personAt(sortedIndex(i)).summary;
      if (filter(p)) items.push(p);
    }
    return items;
  };
  return createFakeBridge({
    'session.info': () => {
      const u = signedIn();
      return {
        user: { id: `u-${u.username}`, name: u.name, username: u.username },
        permissions: u.permissions,
        roles: u.roles.map((role) => ({ role, unitId: null, unitName: null })),
        idleMinutes: auth.idleMinutes,
        totpEnabled: false,
        totpRequired: u.roles.includes('sysadmin'),
        municipality: { name: 'Ekdala kommun', country: 'SE' },
        today: TODAY,
        demo: true,
      };
    },
    'auth.status': () => authStatus(),
    'auth.signIn': ({ username, password }) => {
      const u = DEMO_USERS.find((x) => x.username === username);
      if (!u || password !== DEMO_PASSWORD) throw new DomainError('auth_failed', 'wrong user name or password');
      Object.assign(auth, { state: 'signed_in', user: u });
      return authStatus();
    },
    'auth.signOut': () => {
      Object.assign(auth, { state: 'signed_out', user: null });
      return authStatus();
    },
    'auth.activity': () => ({ idleMinutes: auth.idleMinutes }),
    'auth.lock': () => {
      if (auth.user) auth.state = 'locked';
      return authStatus();
    },
    'auth.unlock': ({ password }) => {
      if (password !== DEMO_PASSWORD) throw new DomainError('auth_failed', 'wrong password');
      auth.state = 'signed_in';
      return authStatus();
    },
    'auth.changePassword': () => authStatus(),
    'auth.totpBegin': () => ({ secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', uri: 'otpauth://totp/Kansli:demo?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Kansli' }),
    'auth.totpConfirm': () => authStatus(),
    'auth.totpDisable': () => authStatus(),
    'auth.verifyTotp': () => authStatus(),
    'policy.update': ({ idleMinutes }) => {
      auth.idleMinutes = idleMinutes;
      return { idleMinutes };
    },
    'person.reveal': ({ id }) => {
      signedIn();
      const i = indexOf(id);
      return {
        addresses: [{ id: uuidOf(2, i), kind: 'registered', careOf: null, street: `Skyddsvägen ${1 + (i % 40)}`, postalCode: '123 45', city: 'Ekdala', country: 'SE', validFrom: '2019-08-01', validTo: null }],
        contacts: [{ id: uuidOf(3, i), kind: 'mobile', value: '070-000 00 00', validFrom: '2019-08-01', validTo: null }],
      };
    },
    'user.list': () => ({
      items: DEMO_USERS.map((u, k) => ({
        id: uuidOf(40, k + 1),
        version: 1,
        username: u.username,
        displayName: u.name,
        roles: u.roles.map((role) => ({ role, unitId: role === 'clerk' && k === 0 ? UNITS[0]!.id : null, unitName: role === 'clerk' && k === 0 ? UNITS[0]!.name : null })),
        totpEnabled: u.username === 'admin',
        mustChangePassword: false,
        disabled: false,
        lockedUntil: null,
        lastSignInAt: '2025-11-19T07:58:00Z',
      })),
    }),
    'user.create': () => ({ id: uuidOf(40, 99), version: 1 }),
    'user.update': ({ id, version }) => ({ id, version: version + 1 }),
    'user.resetPassword': ({ id }) => ({ id, version: 2 }),
    'user.resetTotp': ({ id }) => ({ id, version: 2 }),
    'audit.query': ({ offset, limit }) => {
      const total = 240;
      const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, k) => {
        const seq = total - offset - k;
        return {
          seq,
          at: new Date(Date.UTC(2025, 10, 20, 8, 0, 0) - seq * 97_000).toISOString(),
          actorId: 'u-clerk.all',
          actorName: 'Demo Kanslist',
          workstation: 'KANSLI-PC-04',
          method: seq % 7 === 0 ? 'person.reveal' : 'person.get',
          action: seq % 7 === 0 ? 'reveal' : 'read',
          outcome: 'ok',
          personIds: [uuidOf(1, seq)],
          details: { fields: ['addresses'] },
          reason: seq % 7 === 0 ? 'Ärende 2025-0412: kallelse till vårdnadshavare' : null,
        };
      });
      return { items, total, persons: Object.fromEntries(items.map((e) => [e.personIds[0]!, 'Andersson, Anna'])), users: [{ id: 'u-clerk.all', name: 'Demo Kanslist' }] };
    },
    'audit.export': () => ({ filename: 'kansli-audit.csv', csv: 'seq;at;user\n1;2025-11-20;Demo\n', rows: 1 }),
    'audit.verify': () => ({ ok: true, entries: 240, firstBroken: null, anchors: { checked: 240, lastAnchoredSeq: 240, problem: null } }),
    'search.query': async ({ q, limit }) => {
      await new Promise((r) => setTimeout(r, 60 + Math.random() * 120));
      const needle = q.toLowerCase().replace(/[-\s]/g, '');
      const items: MethodOutput<'search.query'>['items'] = [];
      for (const u of UNITS) if (u.name.toLowerCase().includes(needle)) items.push({ type: 'unit', id: u.id, name: u.name, code: u.code, schoolForms: [...u.schoolForms] });
      for (let i = 0; i < 20000 && items.length < limit + 1; i++) {
        const p = personAt(i).summary;
        const hay = `${p.givenName} ${p.familyName} ${p.identity?.display ?? ''}`.toLowerCase().replace(/[-\s]/g, '');
        if (hay.includes(needle)) items.push({ ...p, type: 'person' });
      }
      return { items: items.slice(0, limit), more: items.length > limit };
    },
    'person.list': async ({ offset, limit, role, status }) => {
      await new Promise((r) => setTimeout(r, 120));
      const filtered = !!(role || status);
      const f = (p: PersonSummary) => (!role || p.roles.includes(role)) && (!status || p.status === status);
      // Filtering a derived set by offset is approximate in the fake; the total is what matters here.
      return { items: summaries(offset, limit, f).map((p) => ({ ...p, place: null })), total: filtered ? Math.round(TOTAL / (role === 'child' ? 1.25 : 5)) : TOTAL + created };
    },
    'person.get': ({ id }) => {
      const i = indexOf(id);
      if (!id.startsWith('00000001') || i >= TOTAL + created) throw new DomainError('not_found', 'No such person', 'id');
      return card(i);
    },
    'person.checkIdentity': ({ identityNumber, excludePersonId }) => {
      const r = parseIdentityNumber(identityNumber, { today: TODAY, allowSynthetic: true });
      if (!r.ok) return { valid: false as const, code: r.code, message: r.message };
      let existing: string | null = null;
      for (let i = 0; i < 5000; i++) {
        const p = personAt(i).summary;
        if (p.identity && parseIdentityNumber(p.identity.display, { today: TODAY }).ok && (parseIdentityNumber(p.identity.display, { today: TODAY }) as { canonical: string }).canonical === r.canonical) {
          existing = p.id;
          break;
        }
      }
      return { valid: true as const, kind: r.kind, country: r.country, canonical: r.canonical, display: r.display, birthDate: r.birthDate, sex: r.sex, existingPersonId: existing && existing !== excludePersonId ? existing : null };
    },
    'person.create': (input) => {
      const i = TOTAL + created++;
      edits.set(i, {
        version: 1,
        extra: {},
        summary: {
          id: uuidOf(1, i),
          givenName: input.givenName,
          reserveNumber: input.reserveNumber ?? null,
          middleName: input.middleName,
          familyName: input.familyName,
          preferredName: input.preferredName,
          identity: input.identityNumber ? { kind: 'se_personnummer', country: 'SE', display: input.identityNumber } : null,
          birthDate: input.birthDate,
          sex: input.sex,
          status: input.status,
          roles: ['child'],
          protected: input.protection !== 'none',
        },
      });
      return { id: uuidOf(1, i), version: 1 };
    },
    'person.update': ({ id, version, person }) => {
      const i = indexOf(id);
      const cur = personAt(i);
      if (cur.version !== version) throw new DomainError('conflict', 'changed');
      if (person.familyName === 'Konflikt') {
        edits.set(i, { ...cur, version: cur.version + 1, extra: { ...cur.extra, updatedBy: 'Annan Kanslist' } });
        throw new DomainError('conflict', 'changed by someone else');
      }
      if (person.givenName === 'Fel') throw new DomainError('validation', 'bad', 'givenName', [{ field: 'givenName', code: 'too_long', message: 'too_long' }]);
      edits.set(i, {
        version: cur.version + 1,
        extra: { ...cur.extra, nationality: person.nationality, motherTongue: person.motherTongue },
        summary: { ...cur.summary, givenName: person.givenName, familyName: person.familyName, middleName: person.middleName, preferredName: person.preferredName, status: person.status },
      });
      return { id, version: cur.version + 1 };
    },
    'org.tree': () => ({ municipality: { id: uuidOf(9, 1), name: 'Ekdala kommun', country: 'SE', code: '9901' }, administrations: ADMINS.map((a) => ({ ...a, units: a.units.map((u) => ({ ...u, schoolForms: [...u.schoolForms] })) })) }),
    'unit.get': ({ id }) => unitCard(id),
    'unit.create': () => ({ id: UNITS[0]!.id, version: 2 }),
    'unit.update': ({ id, version }) => ({ id, version: version + 1 }),
    'group.get': ({ id, date }) => ({
      id,
      unitId: UNITS[0]!.id,
      unitName: UNITS[0]!.name,
      name: '3A',
      kind: 'class',
      schoolYear: 2025,
      schoolForm: 'GR',
      grade: 3,
      date: date ?? TODAY,
      hiddenProtected: 0,
      members: Array.from({ length: 22 }, (_, k) => ({ membershipId: uuidOf(7, k), person: personAt(k * 5 + 1).summary, validFrom: '2025-08-18', validTo: null })),
    }),
  });
}
