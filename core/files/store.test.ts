/** The file store on a real folder: uploads stream in with their limit, exports belong to their maker, files expire. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../context';
import { FileStore, safeName } from './store';

let dir: string;
let now = Date.parse('2026-11-23T08:00:00Z');
const clock: Clock = { now: () => new Date(now).toISOString(), today: () => '2026-11-23', epochMs: () => now };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kansli-files-'));
  now = Date.parse('2026-11-23T08:00:00Z');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function* chunks(n: number, size: number) {
  for (let i = 0; i < n; i++) yield Buffer.alloc(size, 65 + (i % 26));
}

describe('FileStore', () => {
  it('streams an upload to disk with its size and SHA-256, readable only by its owner', async () => {
    const store = new FileStore(dir, clock);
    const f = await store.receive({ kind: 'navet', ownerId: 'u1', name: '../../etc/Navet.xml', source: chunks(64, 16 * 1024) });
    expect(f).toMatchObject({ purpose: 'upload', kind: 'navet', name: 'Navet.xml', size: 64 * 16 * 1024, ownerId: 'u1' });
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(store.pathOf(f)).length).toBe(f.size);
    expect(store.get(f.id, 'u1').id).toBe(f.id);
    expect(() => store.get(f.id, 'u2')).toThrow(/No such file/);
    expect(() => store.get('../kansli', 'u1')).toThrow(/No such file/);
  });

  it('refuses an upload the moment it passes its limit and keeps nothing of it', async () => {
    const store = new FileStore(dir, clock);
    await expect(store.receive({ kind: 'csv', ownerId: 'u1', name: 'big.csv', source: chunks(100, 1024), maxBytes: 10 * 1024 })).rejects.toMatchObject({ code: 'validation', field: 'file' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('exports expire after a day and uploads after a week; the sweep removes them and interrupted parts', async () => {
    const store = new FileStore(dir, clock);
    const e = await store.writeExport('u1', 'lista.pdf', 'application/pdf', new Uint8Array([37, 80, 68, 70]));
    const u = await store.receive({ kind: 'csv', ownerId: 'u1', name: 'a.csv', source: chunks(1, 10) });
    const part = join(dir, '00000000-0000-4000-8000-000000000000.part');
    writeFileSync(part, 'half');
    utimesSync(part, now / 1000, now / 1000);
    now += 25 * 3600_000;
    expect(() => store.get(e.fileId, 'u1')).toThrow(/expired/);
    expect(store.get(u.id, 'u1').id).toBe(u.id);
    expect(store.sweep()).toBe(2);
    expect(existsSync(join(dir, `${e.fileId}.bin`))).toBe(false);
    now += 7 * 24 * 3600_000;
    expect(store.sweep()).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('display names lose folders and control characters, never become empty', () => {
    expect(safeName('C:\\Users\\x\\klass\u0000lista.pdf', 'f')).toBe('klasslista.pdf');
    expect(safeName('...', 'fallback')).toBe('fallback');
    expect(safeName('a'.repeat(300), 'f')).toHaveLength(120);
  });
});
