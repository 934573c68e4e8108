/**
 * What the leak tests share for looking outside the answers (leak.test.ts, feed-leak.test.ts,
 * fees-no-leak.test.ts): the marker prefix as bytes, the files of a data folder, a table's cells as text,
 * and a ZIP's entries inflated (the fee run's UBL documents are handed out zipped).
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import { PREFIX } from './world';

/** The markers' prefix, in both cases, as UTF-8 and as UTF-16 (a file may hold either). */
export const NEEDLES = [PREFIX, PREFIX.toLowerCase()].flatMap((t) => [Buffer.from(t, 'utf8'), Buffer.from(t, 'utf16le')]);

/** Every file below `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...filesUnder(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

/** The database itself, its WAL/SHM and its backups (`kansli.sqlite.before-….bak`) hold the markers by design. */
export const isDatabaseFile = (p: string) => basename(p).startsWith('kansli.sqlite');

/** A cell as text; a blob both as single bytes and as UTF-16, so a marker is found in either. */
export const cellText = (v: unknown): string => (Buffer.isBuffer(v) ? `${v.toString('latin1')} ${v.toString('utf16le')}` : String(v));

/** Every row of `table` as text, a line per row. */
export function dumpTable(db: Database.Database, table: string): string {
  const rows = db.prepare(`SELECT * FROM "${table.replace(/"/g, '""')}"`).raw().all() as unknown[][];
  return rows.map((r) => r.map(cellText).join('\u0001')).join('\n');
}

/** The entries of a ZIP (local headers; deflated or stored) as text, one after another. */
export function unzipText(bytes: Buffer): string {
  const parts: string[] = [];
  for (let at = 0; at + 30 <= bytes.length && bytes.readUInt32LE(at) === 0x04034b50; ) {
    const method = bytes.readUInt16LE(at + 8);
    const size = bytes.readUInt32LE(at + 18);
    const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
    const body = bytes.subarray(start, start + size);
    parts.push((method === 8 ? inflateRawSync(body) : body).toString('utf8'));
    at = start + size;
  }
  return parts.join('\n');
}
