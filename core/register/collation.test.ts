/**
 * The register sorts in the municipality country's alphabetical order everywhere it orders by name: the
 * person list (SQL, paged), search results, the organisation tree and a unit's groups (issue 10's pairs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from '../../test/util/core';

describe.each(['SE', 'NO'] as const)('%s', (country) => {
  let core: TestCore;
  const ids: Record<string, string> = {};
  beforeAll(() => {
    core = makeTestCore({ persons: 40, country });
    for (const [given, family] of [
      ['Åke', 'Lindqvistå'],
      ['Alexander', 'Lindqvistå'],
      ['Åse', 'Zbergå'],
      ['Bjørg', 'Zbergå'],
      ['Ola', 'Ødegårdå'],
      ['Eva', 'Åsenå'],
      ['Per', 'Ärlå'],
    ] as [string, string][]) {
      ids[`${family}, ${given}`] = core.ok('person.create', { givenName: given, familyName: family, birthDate: '2015-01-01' }).id;
    }
  });
  afterAll(() => core.dispose());

  const listed = () => {
    const names: string[] = [];
    const all = core.ok('person.list', { limit: 500 });
    for (const p of all.items) if (p.familyName.endsWith('å')) names.push(`${p.familyName}, ${p.givenName}`);
    return names;
  };

  it('the person list pages in alphabetical order: Å after A; Sweden … Å Ä Ö, Norway … Æ Ø Å', () => {
    expect(listed()).toEqual(
      country === 'SE'
        ? ['Lindqvistå, Alexander', 'Lindqvistå, Åke', 'Zbergå, Bjørg', 'Zbergå, Åse', 'Åsenå, Eva', 'Ärlå, Per', 'Ødegårdå, Ola']
        : ['Lindqvistå, Alexander', 'Lindqvistå, Åke', 'Zbergå, Bjørg', 'Zbergå, Åse', 'Ärlå, Per', 'Ødegårdå, Ola', 'Åsenå, Eva'],
    );
  });

  it('search results for a shared name come in the same order', () => {
    const ours = new Set(Object.values(ids));
    const hits = core.ok('search.query', { q: 'lindqvistå', limit: 100 }).items.filter((h) => h.type === 'person' && ours.has(h.id)).map((h) => h.id);
    expect(hits).toEqual([ids['Lindqvistå, Alexander'], ids['Lindqvistå, Åke']]);
  });

  it('the organisation tree lists units in alphabetical order', () => {
    const tree = core.ok('org.tree', {});
    const admin = tree.administrations[0]!;
    for (const name of ['Ängsbackens skola', 'Björkhagens skola', 'Älvdalens skola', 'Zetas skola', 'Åkerns skola', 'Ørnens skola']) {
      core.ok('unit.create', { parentId: admin.id, name, schoolForms: [country === 'SE' ? 'GR' : 'GSK'] });
    }
    const names = core.ok('org.tree', {}).administrations[0]!.units.map((u) => u.name).filter((n) => / skola$/.test(n) && /^(Ä|Å|Ø|B|Z)/.test(n));
    expect(names).toEqual(
      country === 'SE'
        ? ['Björkhagens skola', 'Zetas skola', 'Åkerns skola', 'Älvdalens skola', 'Ängsbackens skola', 'Ørnens skola']
        : ['Björkhagens skola', 'Zetas skola', 'Älvdalens skola', 'Ängsbackens skola', 'Ørnens skola', 'Åkerns skola'],
    );
  });
});
