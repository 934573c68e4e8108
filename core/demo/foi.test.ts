/**
 * The demo's FOI requests (core/demo/foi.ts): seeded with the demo accounts at the first start when the
 * generator asked for them, once; every dashboard tab has something in it in both countries; each request
 * keeps the rules a request registered through the contract keeps.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore, dataPaths } from '../app';
import { fixedClock } from '../context';
import { DEMO_PASSWORD } from '../access/auth';
import type { MethodOutput } from '../../shared/api/contract';
import { checkCustody } from '../foi/requests';
import { DEMO_FOI_PENDING } from './foi';

const TODAY = '2026-11-23';

function open(country: 'SE' | 'NO', foiRequests: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'kansli-demo-foi-'));
  const { dbPath, logDir } = dataPaths(dir);
  const make = () => createCore({ dbPath, logDir, clock: fixedClock(TODAY), seed: { country, persons: 300, seed: 5, today: TODAY, foiRequests } });
  return { make };
}

function dashboard(core: ReturnType<ReturnType<typeof open>['make']>) {
  const conn = core.connect('demo-foi');
  const r = conn.call('auth.signIn', { username: 'foi', password: DEMO_PASSWORD });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const all = conn.call('foi.requests', { filter: 'all' });
  if (!all.ok) throw new Error(JSON.stringify(all.error));
  return all.data as MethodOutput<'foi.requests'>;
}

describe('the demo FOI requests', () => {
  it('a Swedish demo has a request in every tab but "counts as refused", all assigned but the new ones, seeded once', () => {
    const { make } = open('SE', true);
    const core = make();
    try {
      const d = dashboard(core);
      expect(d.counts).toEqual({ due_today: 1, overdue: 1, deemed_refused: 0, review: 1, decision: 1, open: 4, all: 6 });
      expect(d.items.map((i) => i.status).sort()).toEqual(['closed', 'decision', 'gathering', 'registered', 'review', 'withdrawn']);
      expect(d.items.filter((i) => i.assigneeName === 'Fia Insyn (demo)').map((i) => i.status).sort()).toEqual(['closed', 'decision', 'gathering', 'review']);
      const gdpr = d.items.filter((i) => i.kind === 'gdpr_access');
      expect(gdpr.map((i) => i.requesterKind).sort()).toEqual(['guardian', 'subject']);
      // The guardian asking has custody of the child concerned, as the contract would have checked.
      const s = core.ctx.sqlite;
      const g = s.prepare(`SELECT requester_person_id AS guardian, received_on AS on_ FROM foi_request WHERE requester_kind = 'guardian'`).get() as { guardian: string; on_: string };
      const child = s.prepare(`SELECT person_id FROM foi_request_person l JOIN foi_request r ON r.id = l.request_id WHERE r.requester_kind = 'guardian'`).pluck().get() as string;
      expect(() => checkCustody(core.ctx, g.guardian, [child], g.on_)).not.toThrow();
      // Nobody protected is named in the demo's requests.
      expect(s.prepare(`SELECT count(*) FROM foi_request_person l JOIN person p ON p.id = l.person_id WHERE p.protection <> 'none' OR p.shielded = 1`).pluck().get()).toBe(0);
      expect(s.prepare('SELECT 1 FROM app_meta WHERE key = ?').get(DEMO_FOI_PENDING)).toBeUndefined();
    } finally {
      core.close();
    }
    // A second start seeds nothing again.
    const again = make();
    try {
      expect(again.ctx.sqlite.prepare('SELECT count(*) FROM foi_request').pluck().get()).toBe(6);
    } finally {
      again.close();
    }
  });

  it('a Norwegian demo has an innsynskrav that counts as refused', () => {
    const core = open('NO', true).make();
    try {
      const d = dashboard(core);
      expect(d.counts).toEqual({ due_today: 1, overdue: 0, deemed_refused: 1, review: 1, decision: 1, open: 5, all: 7 });
      expect(d.counts.all).toBe(7);
      expect(d.items.every((i) => i.kind !== 'se_public_document')).toBe(true);
    } finally {
      core.close();
    }
  });

  it('is not seeded unless asked (the tests\' registers)', () => {
    const core = open('SE', false).make();
    try {
      expect(core.ctx.sqlite.prepare('SELECT count(*) FROM foi_request').pluck().get()).toBe(0);
    } finally {
      core.close();
    }
  });
});
