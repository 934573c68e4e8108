/** The streaming helper: pull-based reading (backpressure), bounded records, the sequence checks. */
import { describe, expect, it } from 'vitest';
import { makeSwedishPersonnummer } from '../../shared/identity';
import { readNavet } from './navet';
import { RecordContext, seq, type XmlNode } from './xml';
import { bytes, collect } from './fixtures/collect';

const post = (nr: string, extra = '') => `<Folkbokforingspost><Personpost><PersonId><PersonNr>${nr}</PersonNr></PersonId>${extra}</Personpost></Folkbokforingspost>\n`;

describe('reading pulls the input only as the consumer goes', () => {
  it('a consumer that stops after one record has caused only the first chunks to be read', async () => {
    let pulled = 0;
    async function* source() {
      yield Buffer.from('<Navetavisering><Folkbokforingsposter>\n');
      for (let i = 0; i < 10_000; i++) {
        pulled++;
        yield Buffer.from(post(makeSwedishPersonnummer('1980-01-01', (i % 999) + 1)));
      }
      yield Buffer.from('</Folkbokforingsposter></Navetavisering>');
    }
    for await (const it of readNavet(source(), { today: '2026-12-03' })) if (it.type === 'record') break;
    // The encoding sniffer waits for 512 bytes; then one chunk completes the first record.
    expect(pulled).toBeLessThan(10);
  });
});

describe('a record far larger than any person', () => {
  it('is reported and skipped without holding it; the next record is read', async () => {
    const huge = '<Relationer>' + '<Relation/>'.repeat(25_000) + '</Relationer>';
    const text = `<Navetavisering><Folkbokforingsposter>\n${post('201605172384', huge)}${post('198402294022')}</Folkbokforingsposter></Navetavisering>`;
    const c = await collect(readNavet(bytes(text), { today: '2026-12-03' }));
    expect(c.records.map((r) => r.identity!.canonical)).toEqual(['198402294022']);
    expect(c.problems).toEqual([expect.objectContaining({ code: 'record_too_large', line: 2, recordIndex: 1 })]);
  });
});

describe('sequence checks', () => {
  const node = (name: string, children: XmlNode[] = [], text = ''): XmlNode => ({ name, ns: '', attrs: {}, nil: false, text, children, line: 1, column: 1 });
  const s = seq('A', 'B?', '(C|D)', 'E*', '*');

  it('accepts a valid sequence, with a choice and a wildcard at the end', () => {
    const ctx = new RecordContext('', false);
    const kids = ctx.children(node('P', [node('A'), node('D'), node('E'), node('E'), node('Other')]), s);
    expect(ctx.issues).toEqual([]);
    expect(kids.all('E')).toHaveLength(2);
    expect(kids.one('D')!.name).toBe('D');
  });

  it('reports both alternatives of a choice, a missing element and a misplaced one', () => {
    const ctx = new RecordContext('', false);
    ctx.children(node('P', [node('B'), node('A'), node('C'), node('D')]), s);
    expect(ctx.issues.map((i) => [i.code, i.element])).toEqual([
      ['element_order', 'A'],
      ['repeated_element', 'D'],
    ]);
    const missing = new RecordContext('', false);
    missing.children(node('P', [node('A')]), s);
    expect(missing.issues.map((i) => i.reason)).toEqual(['<P> lacks one of <C>, <D>']);
  });

  it('refuses xsi:nil where the schema does not allow it', () => {
    const ctx = new RecordContext('', false);
    expect(ctx.str({ ...node('A'), nil: true })).toBeNull();
    expect(ctx.issues.map((i) => i.code)).toEqual(['bad_value']);
  });
});
