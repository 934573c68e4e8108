/**
 * One module per domain: each domain's contract is shared/api/<domain>.ts, its handler map is
 * core/<domain>/handlers.ts, the contract only merges the modules, and a method's prefix names its domain
 * (through DOMAIN_PREFIXES, see shared/domain/domains.ts for why the table and not a rename).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, DOMAIN_CONTRACTS, METHOD_NAMES } from '../../shared/api/contract';
import { DOMAIN_PREFIXES, DOMAINS, domainOf, type Domain } from '../../shared/domain/domains';
import { makeTestCore, type TestCore } from '../../test/util/core';
import { createDomainHandlers } from './handlers';

const ROOT = join(__dirname, '..', '..');

let core: TestCore;
beforeAll(() => {
  core = makeTestCore({ persons: 20 });
});
afterAll(() => core?.dispose());

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

describe('one module per domain', () => {
  it('each domain has its contract module and its handler map in its own folder', () => {
    for (const d of DOMAINS) {
      expect(existsSync(join(ROOT, 'shared', 'api', `${d}.ts`)), `shared/api/${d}.ts`).toBe(true);
      expect(existsSync(join(ROOT, 'core', d, 'handlers.ts')), `core/${d}/handlers.ts`).toBe(true);
    }
    // The old handler files in core/api are gone: the registry only merges.
    expect(readdirSync(join(ROOT, 'core', 'api')).filter((f) => /^handlers-/.test(f))).toEqual([]);
  });

  it('every prefix belongs to exactly one domain', () => {
    const seen = new Map<string, Domain>();
    for (const d of DOMAINS)
      for (const p of DOMAIN_PREFIXES[d]) {
        expect(seen.get(p), `prefix ${p} in ${d} and ${seen.get(p)}`).toBeUndefined();
        seen.set(p, d);
      }
  });

  it('the contract is exactly the union of the domain modules, none overlapping', () => {
    const all: string[] = [];
    for (const d of DOMAINS) all.push(...Object.keys(DOMAIN_CONTRACTS[d]));
    expect(new Set(all).size, 'a method declared by two domains').toBe(all.length);
    expect(all.sort()).toEqual(Object.keys(contract).sort());
    expect([...METHOD_NAMES].sort()).toEqual(all);
  });

  it('a method’s prefix names the domain whose module declares it', () => {
    for (const d of DOMAINS) for (const m of Object.keys(DOMAIN_CONTRACTS[d])) expect(domainOf(m), m).toBe(d);
    expect(domainOf('nosuch.method')).toBeNull();
  });

  it('each domain’s handler map answers exactly its own module’s methods', () => {
    const maps = createDomainHandlers(core.ctx, core.auth);
    expect(Object.keys(maps).sort()).toEqual([...DOMAINS].sort());
    for (const d of DOMAINS) {
      const handlers = maps[d] as Record<string, unknown>;
      expect(Object.keys(handlers).sort(), d).toEqual(Object.keys(DOMAIN_CONTRACTS[d]).sort());
      for (const m of Object.keys(handlers)) expect(typeof handlers[m], m).toBe('function');
    }
  });

  it('no domain module imports the registry or the dispatcher at run time (no cycle through core/api)', () => {
    const offenders: string[] = [];
    for (const d of DOMAINS) {
      for (const file of sourceFiles(join(ROOT, 'core', d))) {
        const src = readFileSync(file, 'utf8');
        for (const m of src.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
          const typeOnly = Boolean(m[1]);
          const target = m[2]!;
          if (/\/api\/handlers$/.test(target) || (!typeOnly && /\/api\/dispatch$/.test(target))) offenders.push(`${relative(ROOT, file)} → ${target}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
