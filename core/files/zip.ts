/**
 * A small ZIP writer (PKWARE APPNOTE 6.3: local headers, deflated data, central directory, end record; no
 * ZIP64, so at most 65 535 entries and 4 GiB): a fee run's UBL documents travel to the finance system as
 * one file. Names are UTF-8 (flag bit 11). Deterministic for the same entries and date.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Uint8Array | string;
}

/** MS-DOS date and time of an ISO timestamp (local fields taken as written: the archive has no time zone). */
function dosDateTime(iso: string): { date: number; time: number } {
  const y = Number(iso.slice(0, 4));
  const mo = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  const h = Number(iso.slice(11, 13) || 0);
  const mi = Number(iso.slice(14, 16) || 0);
  const s = Number(iso.slice(17, 19) || 0);
  return { date: ((Math.max(1980, y) - 1980) << 9) | (mo << 5) | d, time: (h << 11) | (mi << 5) | Math.floor(s / 2) };
}

export function writeZip(entries: readonly ZipEntry[], modifiedAt: string): Buffer {
  if (entries.length > 0xffff) throw new Error('A ZIP without ZIP64 holds at most 65 535 entries');
  const { date, time } = dosDateTime(modifiedAt);
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const names = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name)) throw new Error(`Two entries are named ${e.name}`);
    names.add(e.name);
    const name = Buffer.from(e.name, 'utf8');
    const raw = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : Buffer.from(e.data);
    const packed = deflateRawSync(raw, { level: 9 });
    const crc = crc32(raw) >>> 0;
    if (offset + 30 + name.length + packed.length > 0xffffffff) throw new Error('A ZIP without ZIP64 holds at most 4 GiB');
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    h.writeUInt16LE(0x0800, 6); // UTF-8 names
    h.writeUInt16LE(8, 8); // deflate
    h.writeUInt16LE(time, 10);
    h.writeUInt16LE(date, 12);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(packed.length, 18);
    h.writeUInt32LE(raw.length, 22);
    h.writeUInt16LE(name.length, 26);
    h.writeUInt16LE(0, 28);
    local.push(h, name, packed);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4); // made by
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt16LE(time, 12);
    c.writeUInt16LE(date, 14);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(packed.length, 20);
    c.writeUInt32LE(raw.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + packed.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, dir, end]);
}
