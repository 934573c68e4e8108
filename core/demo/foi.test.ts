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
import { inspectDocument, openPdf } from '../documents/content';

/** The text pdfjs reads from a PDF's pages. */
async function pdfText(bytes: Buffer): Promise<string> {
  const doc = await openPdf(new Uint8Array(bytes));
  try {
    let out = '';
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      out += content.items.map((i) => ('str' in i ? i.str : '')).join(' ') + '\n';
    }
    return out;
  } finally {
    await doc.destroy();
  }
}

const TODAY = '2026-11-23';

function open(country: 'SE' | 'NO', foiRequests: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'kansli-demo-foi-'));
  const { dbPath, logDir } = dataPaths(dir);
  const make = () => createCore({ dbPath, logDir, clock: fixedClock(TODAY), seed: { country, persons: 300, seed: 5, today: TODAY, deterministicIds: true, foiRequests } });
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

  for (const country of ['SE', 'NO'] as const) {
    it(`${country}: the guardian's child has two documents that open, and the officer's review shows their pages`, async () => {
      const core = open(country, true).make();
      try {
        const s = core.ctx.sqlite;
        const child = s.prepare(`SELECT person_id FROM foi_request_person l JOIN foi_request r ON r.id = l.request_id WHERE r.requester_kind = 'guardian'`).pluck().get() as string;
        const docs = s.prepare(`SELECT d.title, d.classification, d.classification_ground AS ground, c.bytes FROM person_document d JOIN document_content c ON c.sha256 = d.content_sha256 WHERE d.person_id = ? ORDER BY d.classification`).all(child) as {
          title: string;
          classification: string;
          ground: string | null;
          bytes: Buffer;
        }[];
        expect(docs.map((d) => [d.classification, d.ground])).toEqual([
          ['confidential', country === 'SE' ? 'OSL 23:2' : 'offl. § 13'],
          ['open', null],
        ]);
        // Each is a real PDF: the same check an upload gets (pdfjs opens it, one page, not encrypted).
        for (const d of docs) expect(await inspectDocument(new Uint8Array(d.bytes))).toMatchObject({ mime: 'application/pdf', pages: 1 });
        // The demo officer gathers the guardian's request and sees a document's page with the child's name on it.
        const conn = core.connect('demo-docs');
        const signed = conn.call('auth.signIn', { username: 'foi', password: DEMO_PASSWORD });
        if (!signed.ok) throw new Error(JSON.stringify(signed.error));
        const request = s.prepare(`SELECT id FROM foi_request WHERE requester_kind = 'guardian'`).pluck().get() as string;
        expect(conn.call('foi.gather', { requestId: request }).ok).toBe(true);
        const items = conn.call('foi.items', { requestId: request, category: 'document' });
        if (!items.ok) throw new Error(JSON.stringify(items.error));
        const list = (items.data as MethodOutput<'foi.items'>).items;
        expect(list).toHaveLength(2);
        // The confidential decision is proposed withheld, its ground for the officer to choose.
        expect(list.find((i) => i.fields.some((f) => f.name === 'classification' && f.value === 'confidential'))!.proposal.outcome).toBe('withhold');
        const page = await conn.callAsync('foi.documentPage', { itemId: list[0]!.id, page: 1 });
        expect(page).toMatchObject({ ok: true, data: { pages: 1, width: 827, height: 1170 } });
        const text = await pdfText(docs[0]!.bytes);
        const p = s.prepare('SELECT given_name, family_name FROM person WHERE id = ?').get(child) as { given_name: string; family_name: string };
        expect(text).toContain(`${p.given_name} ${p.family_name}`);
      } finally {
        core.close();
      }
    });
  }

  it('is not seeded unless asked (the tests\' registers)', () => {
    const core = open('SE', false).make();
    try {
      expect(core.ctx.sqlite.prepare('SELECT count(*) FROM foi_request').pluck().get()).toBe(0);
      expect(core.ctx.sqlite.prepare('SELECT count(*) FROM person_document').pluck().get()).toBe(0);
    } finally {
      core.close();
    }
  });
});
