/**
 * The EN 16931 Schematron runner itself: the official EN 16931 examples pass, a broken invoice and a
 * generic (non-EN 16931) UBL invoice are reported fatal with the rule's id, location and text, warnings are
 * told apart from fatal assertions, and compiled stylesheets are cached by content (one compile even when
 * asked for twice at once).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedSef, prepareEn16931, ublSchemaDir, validateEn16931 } from './schematron';

beforeAll(async () => {
  await prepareEn16931();
}, 600_000);

describe('validateEn16931', () => {
  const examples = join(ublSchemaDir(), 'en16931', 'examples');

  it('passes the official example ubl-tc434-example1.xml with no fatal assertion and no warning', async () => {
    const r = await validateEn16931(readFileSync(join(examples, 'ubl-tc434-example1.xml'), 'utf8'));
    expect(r).toEqual({ fatal: [], warnings: [] });
  });

  it('passes every shipped EN 16931 example', async () => {
    const files = readdirSync(examples).filter((f) => /\.xml$/i.test(f));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) {
      const r = await validateEn16931(readFileSync(join(examples, f), 'utf8'));
      expect({ file: f, fatal: r.fatal.map((a) => a.id) }).toEqual({ file: f, fatal: [] });
    }
  }, 120_000);

  it('reports an invoice with wrong totals as fatal, with the rule, where and why', async () => {
    const xml = readFileSync(join(examples, 'ubl-tc434-example1.xml'), 'utf8').replace(/(<cbc:PayableAmount currencyID="EUR">)[^<]*/, '$11.00');
    const r = await validateEn16931(xml);
    const a = r.fatal.find((x) => x.id === 'BR-CO-16');
    expect(a).toBeDefined();
    expect(a!.flag).toBe('fatal');
    expect(a!.text).toMatch(/^\[BR-CO-16\]-Amount due for payment/);
    expect(a!.location).toMatch(/LegalMonetaryTotal/);
    expect(a!.test).toContain('PayableAmount');
  });

  it('reports a generic UBL invoice (not EN 16931) as fatal', async () => {
    const r = await validateEn16931(readFileSync(join(ublSchemaDir(), 'xml', 'UBL-Invoice-2.1-Example.xml'), 'utf8'));
    expect(r.fatal.length).toBeGreaterThan(10);
    expect(r.fatal.map((a) => a.id)).toContain('BR-01'); // no specification identifier
  });

  it('throws on XML that is not well formed (that is no verdict)', async () => {
    await expect(validateEn16931('<Invoice><unclosed></Invoice>')).rejects.toThrow();
  });
});

describe('the compiled stylesheet cache', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kansli-sef-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A tiny Schematron-style XSLT: one fatal assertion and one warning, as SVRL. */
  const tiny = (marker: string) => `<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:svrl="http://purl.oclc.org/dsdl/svrl">
  <!-- ${marker} -->
  <xsl:template match="/">
    <svrl:schematron-output>
      <xsl:if test="not(/doc/@ok)">
        <svrl:failed-assert test="@ok" id="T-1" flag="fatal" location="/doc"><svrl:text>  [T-1] ok is   missing </svrl:text></svrl:failed-assert>
      </xsl:if>
      <svrl:failed-assert test="false()" id="T-2" flag="warning" location="/doc"><svrl:text>[T-2] always</svrl:text></svrl:failed-assert>
    </svrl:schematron-output>
  </xsl:template>
</xsl:stylesheet>`;

  it('compiles once per content, also when asked twice at the same time, and splits fatal from warnings', async () => {
    const xslt = join(dir, 'tiny.xslt');
    writeFileSync(xslt, tiny('one'));
    const [a, b] = await Promise.all([cachedSef(xslt, dir), cachedSef(xslt, dir)]);
    expect(a).toBe(b);
    expect(readdirSync(dir).filter((f) => f.endsWith('.sef.json'))).toHaveLength(1);
    expect(readdirSync(dir).filter((f) => f.endsWith('.lock') || f.endsWith('.tmp'))).toEqual([]);

    const r = await validateEn16931('<doc/>', { xslt, cacheDir: dir });
    expect(r.fatal).toEqual([{ id: 'T-1', flag: 'fatal', location: '/doc', test: '@ok', text: '[T-1] ok is missing' }]);
    expect(r.warnings.map((w) => [w.id, w.flag])).toEqual([['T-2', 'warning']]);
    expect((await validateEn16931('<doc ok="1"/>', { xslt, cacheDir: dir })).fatal).toEqual([]);

    // Changed content: a new compile under a new name; the same content again: the cached file.
    writeFileSync(xslt, tiny('two'));
    const c = await cachedSef(xslt, dir);
    expect(c).not.toBe(a);
    writeFileSync(xslt, tiny('one'));
    const t0 = performance.now();
    expect(await cachedSef(xslt, dir)).toBe(a);
    expect(performance.now() - t0).toBeLessThan(1000);
  }, 120_000);

  it('takes over a lock left by a killed process and uses a prebuilt SEF as it is', async () => {
    const xslt = join(dir, 'stale.xslt');
    writeFileSync(xslt, tiny('stale'));
    const sef = await cachedSef(xslt, dir);
    rmSync(sef);
    const lock = `${sef}.lock`;
    writeFileSync(lock, '999999');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(lock, old, old);
    expect(await cachedSef(xslt, dir)).toBe(sef);
    const r = await validateEn16931('<doc/>', { sef });
    expect(r.fatal.map((a) => a.id)).toEqual(['T-1']);
  }, 120_000);
});
