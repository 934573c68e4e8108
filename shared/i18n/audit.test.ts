/** The audit screen names every call in every language, never by its method id. */
import { describe, expect, it } from 'vitest';
import { contract } from '../api/contract';
import { METHOD_NAMES } from '../api/methods';
import { auditMethodKey } from './history-labels';
import { catalogs, LANGUAGES } from './index';

describe('audit method labels', () => {
  it('every method of the contract has a label in sv, nb and en, and no two methods share one', () => {
    const missing: string[] = [];
    for (const m of Object.keys(contract)) {
      const key = auditMethodKey(m);
      if (!key) {
        missing.push(`${m}: not in METHOD_NAMES`);
        continue;
      }
      for (const l of LANGUAGES) if (!catalogs[l][key]?.trim()) missing.push(`${l} ${m}`);
    }
    expect(missing).toEqual([]);
    for (const l of LANGUAGES) {
      const labels = METHOD_NAMES.map((m) => catalogs[l][auditMethodKey(m)!]);
      const twice = labels.filter((x, i) => labels.indexOf(x) !== i);
      expect(twice, `${l}: labels used for two methods`).toEqual([]);
    }
  });

  it('a method the contract does not know has no label (the screen shows its id)', () => {
    expect(auditMethodKey('no.such')).toBeNull();
  });
});
