import { describe, expect, it } from 'vitest';
import { catalogs, LANGUAGES, placeholders } from './index';

const ids = (l: (typeof LANGUAGES)[number]) => Object.keys(catalogs[l]).sort();

describe('message catalogs', () => {
  it('has the same ids in every language (none missing, none extra)', () => {
    const reference = ids('sv');
    for (const l of LANGUAGES) {
      const mine = ids(l);
      expect(mine.filter((k) => !reference.includes(k)), `${l}: ids not in sv`).toEqual([]);
      expect(reference.filter((k) => !mine.includes(k)), `${l}: ids missing`).toEqual([]);
    }
  });

  it('uses the same {{placeholders}} for a message in every language', () => {
    const problems: string[] = [];
    for (const id of ids('sv')) {
      const want = placeholders(catalogs.sv[id as keyof typeof catalogs.sv]);
      for (const l of LANGUAGES) {
        const got = placeholders(catalogs[l][id as keyof typeof catalogs.sv]);
        if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${l} ${id}: ${got.join(',')} ≠ ${want.join(',')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has no empty messages and no stray braces', () => {
    const problems: string[] = [];
    for (const l of LANGUAGES) {
      for (const [id, text] of Object.entries(catalogs[l])) {
        if (!text.trim()) problems.push(`${l} ${id}: empty`);
        const stripped = text.replace(/\{\{\s*[\w.]+\s*\}\}/g, '');
        if (/[{}]/.test(stripped)) problems.push(`${l} ${id}: unbalanced braces`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('pairs every plural form (_one with _other)', () => {
    const all = ids('sv');
    const orphans = all.filter((k) => (k.endsWith('_one') && !all.includes(k.replace(/_one$/, '_other'))) || (k.endsWith('_other') && !all.includes(k.replace(/_other$/, '_one'))));
    expect(orphans).toEqual([]);
  });

  it('uses the register terms in Swedish and Norwegian', () => {
    expect(catalogs.sv['idKind.se_personnummer']).toBe('Personnummer');
    expect(catalogs.sv['idKind.se_samordningsnummer']).toBe('Samordningsnummer');
    expect(catalogs.sv['role.guardian']).toBe('Vårdnadshavare');
    expect(catalogs.sv['protected.badge']).toBe('Skyddad');
    expect(catalogs.nb['field.identityNumber']).toBe('Fødselsnummer');
    expect(catalogs.nb['idKind.no_d_nummer']).toBe('D-nummer');
    expect(catalogs.nb['role.guardian']).toBe('Foresatt');
    expect(catalogs.nb['protected.badge']).toBe('Beskyttet');
    expect(catalogs.nb['field.maalform']).toBe('Målform');
  });
});
