import { describe, expect, it } from 'vitest';
import { csvBlob, downloadName, fallbackAuditName } from './download';

describe('download file names', () => {
  it('keeps a good name as it is', () => {
    expect(downloadName('kansli-audit-2026-11-23.csv', 'x')).toBe('kansli-audit-2026-11-23.csv');
  });

  it('adds the extension and strips folders and reserved characters', () => {
    expect(downloadName('audit', 'x')).toBe('audit.csv');
    expect(downloadName('../../etc/passwd', 'x')).toBe('passwd.csv');
    expect(downloadName('C:\\Users\\x\\logg.csv', 'x')).toBe('logg.csv');
    expect(downloadName('a<b>:c"d|e?f*.csv', 'x')).toBe('abcdef.csv');
    expect(downloadName('rad\nbrytning\t.csv', 'x')).toBe('radbrytning.csv');
    expect(downloadName('.hidden', 'x')).toBe('hidden.csv');
    expect(downloadName('AUDIT.CSV', 'x')).toBe('AUDIT.CSV');
  });

  it('falls back when nothing usable is left, and bounds the length', () => {
    expect(downloadName('', fallbackAuditName('2026-11-23'))).toBe('kansli-audit-2026-11-23.csv');
    expect(downloadName(null, 'fallback')).toBe('fallback.csv');
    expect(downloadName('///', 'fallback')).toBe('fallback.csv');
    const long = downloadName('x'.repeat(500), 'f');
    expect(long.length).toBe(120);
    expect(long.endsWith('.csv')).toBe(true);
  });
});

describe('CSV blob', () => {
  it('starts with one byte-order mark so Excel reads å ä ö as UTF-8', async () => {
    const b = csvBlob('namn;ort\nÅsa;Göteborg\n');
    expect(b.type).toBe('text/csv;charset=utf-8');
    const bytes = new Uint8Array(await b.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const again = new Uint8Array(await csvBlob('\ufeffx').arrayBuffer());
    expect([...again.slice(3, 6)]).not.toEqual([0xef, 0xbb, 0xbf]);
  });
});
