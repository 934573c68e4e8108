/**
 * The core's single entry point: method names, permissions (deny by default), input validation and
 * the promise that nothing thrown inside the core leaves it as anything but a typed error.
 */
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES, PERMISSIONS, type MethodName } from '../../shared/api/contract';
import { ERROR_CODES } from '../../shared/api/errors';
import type { CallResult } from '../../shared/api/transport';
import { makeTestCore, type TestCore } from '../../test/util/core';
import { OWN_SESSION_METHODS, UUID, VALID_INPUT } from '../../test/util/inputs';
import { LOCAL_ADMIN } from '../app';
import type { Actor } from '../context';
import { createHandlers } from './handlers';

const NOBODY: Actor = { id: 'x', name: 'x', permissions: new Set() };
let core: TestCore;
beforeAll(() => {
  core = makeTestCore({ persons: 60 });
});
afterAll(() => core.dispose());

function expectTypedError(r: CallResult, code?: string): void {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(ERROR_CODES).toContain(r.error.code);
  expect(typeof r.error.message).toBe('string');
  if (code) expect(r.error.code).toBe(code);
}

describe('the contract and the handler map', () => {
  it('every contract method has a handler, and there are no extra handlers', () => {
    const handlers = createHandlers(core.ctx, core.auth);
    expect(Object.keys(handlers).sort()).toEqual([...METHOD_NAMES].sort());
    for (const m of METHOD_NAMES) expect(typeof handlers[m], m).toBe('function');
  });

  it('every method declares a permission from PERMISSIONS and only known error codes', () => {
    for (const m of METHOD_NAMES) {
      expect(PERMISSIONS, m).toContain(contract[m].permission);
      for (const e of contract[m].errors) expect(ERROR_CODES, `${m}: ${e}`).toContain(e);
      expect(typeof contract[m].personal).toBe('boolean');
    }
  });

  it('write methods never hang off a read-only permission; reads of personal data are marked personal', () => {
    const readOnly = new Set(['register.search', 'register.read', 'org.read', 'audit.read', 'protected.reveal']);
    for (const m of METHOD_NAMES) {
      if (/\.(create|update)$/.test(m)) expect(contract[m].writes, m).toBe(true);
      if (contract[m].writes) expect(readOnly.has(contract[m].permission), m).toBe(false);
      if (m.startsWith('person.') || m === 'search.query') expect(contract[m].personal, m).toBe(true);
    }
  });

  it('exactly the own-session methods are open to every signed-in user', () => {
    const open = METHOD_NAMES.filter((m) => contract[m].permission === 'public' || contract[m].permission === 'session');
    expect([...open].sort()).toEqual([...OWN_SESSION_METHODS].sort());
  });

  it('the VALID_INPUT table covers every method and passes its schema', () => {
    expect(Object.keys(VALID_INPUT).sort()).toEqual([...METHOD_NAMES].sort());
    for (const m of METHOD_NAMES) expect(contract[m].input.safeParse(VALID_INPUT[m]).success, m).toBe(true);
  });

  it('the local administrator holds every permission explicitly', () => {
    expect([...LOCAL_ADMIN.permissions].sort()).toEqual([...PERMISSIONS].sort());
  });
});

describe('authorisation', () => {
  for (const m of METHOD_NAMES.filter((x) => !OWN_SESSION_METHODS.includes(x))) {
    it(`${m}: an actor without permissions gets forbidden (before the input is even looked at)`, async () => {
      for (const input of [VALID_INPUT[m], { junk: true }, null]) {
        const r = await core.callAsync(m, input, NOBODY);
        expectTypedError(r, 'forbidden');
        if (!r.ok) expect(r.error.message).toContain(contract[m].permission);
      }
    });

    it(`${m}: holding only that method's permission is enough to pass the gate`, async () => {
      const actor: Actor = { id: 'y', name: 'y', permissions: new Set([contract[m].permission]) };
      const r = await core.callAsync(m, VALID_INPUT[m], actor);
      if (!r.ok) expect(r.error.code, JSON.stringify(r.error)).not.toBe('forbidden');
    });

    it(`${m}: a connection that has not signed in is unauthenticated`, async () => {
      expectTypedError(await core.connect('test').callAsync(m, VALID_INPUT[m]), 'unauthenticated');
    });
  }

  it('a permission for something else does not open a method', () => {
    const reader: Actor = { id: 'r', name: 'r', permissions: new Set(['session', 'register.search', 'register.read', 'org.read']) };
    expectTypedError(core.call('person.create', VALID_INPUT['person.create'], reader), 'forbidden');
    expectTypedError(core.call('unit.create', VALID_INPUT['unit.create'], reader), 'forbidden');
    expect(core.call('person.list', {}, reader).ok).toBe(true);
  });

  it('session.info reports exactly the actor and its permissions', () => {
    const actor: Actor = { id: 'u1', name: 'Ulla', permissions: new Set(['session', 'org.read']) };
    const r = core.call('session.info', {}, actor);
    expect(r).toMatchObject({ ok: true, data: { user: { id: 'u1', name: 'Ulla' }, demo: true, today: '2026-11-23', municipality: { country: 'SE' }, idleMinutes: 10 } });
    if (r.ok) expect((r.data as { permissions: string[] }).permissions.sort()).toEqual(['org.read', 'session']);
  });
});

describe('method names', () => {
  for (const m of ['nope', 'person.delete', '', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'person.get ', 'PERSON.GET', 42, null, undefined, {}, ['person.get']]) {
    it(`unknown method ${JSON.stringify(m) ?? String(m)}`, () => {
      expectTypedError(core.call(m, {}), 'unknown_method');
    });
  }

  it('an unknown method is refused before authentication (nothing to authorise)', () => {
    expectTypedError(core.connect('test').call('nope', {}), 'unknown_method');
  });

  it('a very long unknown method name is not echoed in full', () => {
    const r = core.call('x'.repeat(10_000), {});
    expectTypedError(r, 'unknown_method');
    if (!r.ok) expect(r.error.message.length).toBeLessThan(200);
  });
});

describe('input validation', () => {
  const cases: [MethodName, unknown, string][] = [
    ['person.get', { id: 'not-a-uuid' }, 'id'],
    ['person.get', { id: 42 }, 'id'],
    ['person.get', {}, 'id'],
    ['person.get', { id: UUID, extra: 1 }, 'extra'],
    ['person.update', { id: UUID, version: 1, person: { givenName: 'A', familyName: 'B', familyname: 'typo' } }, 'person.familyname'],
    ['person.list', { limit: 0 }, 'limit'],
    ['person.list', { limit: 501 }, 'limit'],
    ['person.list', { limit: 1.5 }, 'limit'],
    ['person.list', { offset: -1 }, 'offset'],
    ['person.list', { role: 'admin' }, 'role'],
    ['search.query', { q: 5 }, 'q'],
    ['search.query', {}, 'q'],
    ['search.query', { q: 'a', limit: '5' }, 'limit'],
    ['search.query', { q: 'a', types: ['person', 'file'] }, 'types.1'],
    ['person.create', { givenName: 'A' }, 'familyName'],
    ['person.create', { givenName: 'A', familyName: 'B', birthDate: '2015-13-01' }, 'birthDate'],
    ['person.create', { givenName: 'A', familyName: 'B', birthDate: '2015-1-01' }, 'birthDate'],
    ['person.create', { givenName: 'A', familyName: 'B', protection: 'top_secret' }, 'protection'],
    ['person.create', { givenName: 'A', familyName: 'B', addresses: [{ kind: 'registered' }] }, 'addresses.0.street'],
    ['person.create', { givenName: 'A', familyName: 'B', contacts: [{ kind: 'phone', value: 'call me' }] }, 'contacts.0.value'],
    ['person.create', { givenName: 'A', familyName: 'B', nationality: 'swe' }, 'nationality'],
    ['person.create', { givenName: 'x'.repeat(101), familyName: 'B' }, 'givenName'],
    ['person.update', { id: UUID, version: 0, person: { givenName: 'A', familyName: 'B' } }, 'version'],
    ['person.update', { id: UUID, version: 1, mode: 'rewrite', person: { givenName: 'A', familyName: 'B' } }, 'mode'],
    ['person.update', { id: UUID, version: 1 }, 'person'],
    ['unit.create', { parentId: UUID, name: 'X', schoolForms: [] }, 'schoolForms'],
    ['unit.create', { parentId: UUID, name: 'X', schoolForms: ['GR'], schoolUnitCode: '1234' }, 'schoolUnitCode'],
    ['unit.get', { id: UUID, date: '2026-02-30' }, 'date'],
    ['session.info', { anything: true }, 'anything'],
  ];
  for (const [m, input, field] of cases) {
    it(`${m} ${JSON.stringify(input).slice(0, 80)} → validation at "${field}"`, () => {
      const r = core.call(m, input);
      expectTypedError(r, 'validation');
      if (r.ok) return;
      expect(r.error.issues?.length).toBeGreaterThan(0);
      expect(r.error.issues!.map((i) => i.field)).toContain(field);
      expect(r.error.field).toBe(field);
      for (const i of r.error.issues!) expect(i.code).toMatch(/^[a-z_]+$/);
    });
  }

  it('non-object inputs are validation errors, not crashes', () => {
    for (const input of [42, 'x', true, [], [1, 2]]) expectTypedError(core.call('person.get', input), 'validation');
  });

  it('null or undefined input is treated as an empty object', () => {
    expect(core.call('session.info', null).ok).toBe(true);
    expect(core.call('session.info', undefined).ok).toBe(true);
    expectTypedError(core.call('person.get', null), 'validation');
  });
});

describe('internal errors', () => {
  it('a closed database gives `internal` with a reference; the log has the stack, the caller has nothing else', () => {
    const c = makeTestCore();
    try {
      c.ok('person.create', { givenName: 'A', familyName: 'B', birthDate: '2015-01-01' });
      c.db.sqlite.close();
      const r = c.call('person.list', {});
      expectTypedError(r, 'internal');
      if (r.ok) return;
      const m = /^Internal error \(reference ([0-9a-f]{8})\)$/.exec(r.error.message);
      expect(m, r.error.message).not.toBeNull();
      expect(Object.keys(r.error).sort()).toEqual(['code', 'message']);
      const text = JSON.stringify(r);
      for (const leak of ['SELECT', 'sqlite', 'database', 'at ', '.ts', 'Error', 'stack', 'person p']) expect(text).not.toContain(leak);

      const logFile = join(c.dir, 'logs', 'kansli.log');
      expect(existsSync(logFile)).toBe(true);
      const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const entry = lines.find((l) => l.event === 'internal_error' && l.ref === m![1]);
      expect(entry).toMatchObject({ level: 'error', method: 'person.list', ref: m![1] });
      expect(String(entry!.stack)).toContain('dispatch.ts');
      expect(String(entry!.error)).toMatch(/not open/);
      // Each failure gets its own reference.
      const r2 = c.call('person.list', {});
      expect(!r2.ok && r2.error.message).not.toBe(r.error.message);
    } finally {
      c.dispose();
    }
  });

  it('the log never records inputs (they carry personal data)', () => {
    const c = makeTestCore();
    try {
      c.db.sqlite.close();
      c.call('person.create', { givenName: 'Secretname', familyName: 'B', birthDate: '2015-01-01', identityNumber: '191212121212' });
      const log = readFileSync(join(c.dir, 'logs', 'kansli.log'), 'utf8');
      expect(log).toContain('internal_error');
      expect(log).not.toContain('Secretname');
      expect(log).not.toContain('191212121212');
    } finally {
      c.dispose();
    }
  });
});

describe('property: junk never throws', () => {
  const junk = fc.oneof(
    fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }),
    fc.record({ id: fc.oneof(fc.uuid(), fc.string()), q: fc.string(), limit: fc.integer(), version: fc.integer() }, { requiredKeys: [] }),
    fc.record({ givenName: fc.string(), familyName: fc.string(), identityNumber: fc.string(), birthDate: fc.string() }, { requiredKeys: [] }),
  );

  it('every method answers random inputs with ok or a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...METHOD_NAMES), junk, async (m, input) => {
        let r: CallResult;
        try {
          r = await core.callAsync(m, input);
        } catch (e) {
          throw new Error(`${m} threw: ${String(e)}`, { cause: e });
        }
        if (!r!.ok) {
          expect(ERROR_CODES).toContain(r!.error.code);
          expect(r!.error.code).not.toBe('internal');
        }
        // Every answer survives the trip over a transport.
        expect(() => JSON.stringify(r!)).not.toThrow();
      }),
      { numRuns: 600 },
    );
  });

  it('identity-number and search strings never cause internal errors', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: 'grapheme' }), (s) => {
        for (const [m, input] of [
          ['person.checkIdentity', { identityNumber: s }],
          ['search.query', { q: s.slice(0, 100) }],
          ['person.create', { givenName: 'A', familyName: 'B', identityNumber: s.slice(0, 20), birthDate: '2015-01-01' }],
        ] as const) {
          const r = core.call(m, input);
          if (!r.ok) expect(r.error.code, `${m} ${JSON.stringify(s)}: ${r.error.message}`).not.toBe('internal');
        }
      }),
      { numRuns: 400 },
    );
  });
});
