/**
 * The decision letter and the disclosure log's pure parts: when a request has them, a letter refused for a
 * request granted in full as a notice (in every language), the disclosure's day checked and the core's
 * refusal of it in the dialog's words, the hash shortened.
 */
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../../../shared/api/transport';
import { FOI_STATUSES } from '../../../../shared/domain/foi';
import { LANGUAGES } from '../../../../shared/i18n';
import { catalogText } from '../../lib/catalog-text';
import { canDisclose, letterRefusal, mapDiscloseError, shortHash, validateDisclosure } from './disclosure';

const rule = (r: string, field?: string): ApiError => ({ code: 'rule_violation', message: r, rule: r, ...(field ? { field } : {}) }) as ApiError;
const TODAY = '2026-11-23';

describe('the decision letter and the disclosures', () => {
  it('exist once the request is decided, and stay when it is closed', () => {
    expect(FOI_STATUSES.filter(canDisclose)).toEqual(['decided', 'closed']);
  });

  it('says a request granted in full needs no letter (a notice, in every language); anything else is a failure', () => {
    const full = letterRefusal(rule('foi_granted_in_full', 'requestId'));
    expect(full).toEqual({ kind: 'notice', msg: { key: 'foi.rule.foi_granted_in_full' } });
    expect(catalogText('sv')(full.msg.key)).toBe('Begäran bifalls helt: utdraget är svaret, inget beslut behövs.');
    for (const l of LANGUAGES) expect(catalogText(l)(full.msg.key)).not.toBe(full.msg.key);
    expect(letterRefusal(rule('foi_move', 'requestId'))).toEqual({ kind: 'failure', msg: { key: 'foi.rule.foi_move' } });
    expect(letterRefusal({ code: 'forbidden', message: 'x' } as ApiError)).toEqual({ kind: 'failure', msg: { key: 'error.forbidden' } });
  });

  it('checks the disclosure\'s day: required, a date, from the decision to today', () => {
    expect(validateDisclosure({ disclosedOn: TODAY }, TODAY, '2026-11-20')).toEqual({});
    expect(validateDisclosure({ disclosedOn: '2026-11-20' }, TODAY, '2026-11-20')).toEqual({});
    expect(validateDisclosure({ disclosedOn: ' ' }, TODAY, '2026-11-20')).toEqual({ disclosedOn: { key: 'validation.required' } });
    expect(validateDisclosure({ disclosedOn: '2026-02-30' }, TODAY, '2026-11-20')).toEqual({ disclosedOn: { key: 'validation.date_invalid' } });
    const range = { disclosedOn: { key: 'foi.disclose.onRange', vars: { date: '2026-11-20' } } };
    expect(validateDisclosure({ disclosedOn: '2026-11-19' }, TODAY, '2026-11-20')).toEqual(range);
    expect(validateDisclosure({ disclosedOn: '2026-11-24' }, TODAY, '2026-11-20')).toEqual(range);
    expect(catalogText('sv')('foi.disclose.onRange', { date: '2026-11-20' })).toBe('Dagen för utlämnandet kan inte ligga före beslutsdagen (2026-11-20) eller efter i dag.');
  });

  it('puts the core\'s refusal of the day on the day, in the dialog\'s words; the rest as the FOI forms do', () => {
    expect(mapDiscloseError(rule('foi_decided_on', 'disclosedOn'), '2026-11-20')).toEqual({ fields: { disclosedOn: { key: 'foi.disclose.onRange', vars: { date: '2026-11-20' } } }, top: [] });
    expect(mapDiscloseError(rule('foi_move', 'requestId'), '2026-11-20')).toEqual({ fields: {}, top: [{ key: 'foi.rule.foi_move' }] });
  });

  it('shortens the extract\'s SHA-256 to 12 characters', () => {
    const sha = 'a'.repeat(12) + 'b'.repeat(52);
    expect(shortHash(sha)).toBe('aaaaaaaaaaaa');
  });
});
