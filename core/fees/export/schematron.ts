/**
 * Runs the EN 16931 business rules (CEN/TC 434's Schematron for UBL, compiled to XSLT 2.0 upstream) over a
 * UBL invoice or credit note, for the tests of ubl.ts.
 *
 * The XSLT needs an XSLT 2.0+ processor; SaxonJS (npm `saxon-js`) runs it under plain Node, but only
 * from its compiled form (SEF, a JSON export). Compiling the 0.9 MB stylesheet takes ~30 s, so the SEF is
 * made once with the `xslt3` command (a development dependency: `xslt3 -xsl:… -export:… -nogo`) and cached
 * in the temp folder under the XSLT's content hash and the SaxonJS version (a changed stylesheet or
 * processor compiles anew); concurrent test workers wait for one compile through a lock file. A packaged
 * app, which has no `xslt3`, passes a prebuilt SEF (`sef` or KANSLI_EN16931_SEF). Within a process the
 * parsed SEF is kept, and one validation takes a few hundred milliseconds.
 *
 * The result is the SVRL's svrl:failed-assert elements (and svrl:successful-report, which these rules do
 * not use) split by flag: "fatal" makes a document invalid, anything else is a warning to report.
 *
 * SaxonJS is a development dependency: the tests validate with it; the packaged app does not run it.
 * Where the schemas are (ublSchemaDir): KANSLI_UBL_SCHEMAS, else test/fixtures/schemas/ubl in the
 * repository, else the workspace's shared/schemas/ubl beside the repository.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One failed assertion of the Schematron. */
export interface Assert {
  /** The rule's id (BR-CO-16, BR-O-10, …). */
  id: string;
  /** "fatal" or "warning" (as the rule says). */
  flag: string;
  /** An XPath to the element the rule fired on. */
  location: string;
  /** The rule's XPath test. */
  test: string;
  /** The rule's message ("[BR-CO-16]-Amount due for payment …"). */
  text: string;
}

export interface En16931Result {
  fatal: Assert[];
  warnings: Assert[];
}

export interface En16931Options {
  /** The Schematron's XSLT (default: <ublSchemaDir>/en16931/xslt/EN16931-UBL-validation.xslt). */
  xslt?: string;
  /** A prebuilt SEF to use as it is (default: KANSLI_EN16931_SEF, else compiled and cached). */
  sef?: string;
  /** Where compiled SEFs are cached (default: the OS temp folder). */
  cacheDir?: string;
}

/** The part of SaxonJS used here (the package ships no types). */
interface SaxonJs {
  transform(options: { stylesheetInternal: object; sourceText: string; destination: 'document' }, mode: 'async'): Promise<{ principalResult: unknown }>;
  XPath: { evaluate(xpath: string, context: unknown, options: { namespaceContext: Record<string, string> }): unknown };
}

// In the CommonJS bundles import.meta.url is shimmed to the bundle's own URL (scripts/build-electron.mjs).
const req = createRequire(import.meta.url);
const SVRL = 'http://purl.oclc.org/dsdl/svrl';
const XSLT_IN_UBL_DIR = join('en16931', 'xslt', 'EN16931-UBL-validation.xslt');

/** The folder with the UBL 2.1 XSDs (xsdrt/) and the EN 16931 artefacts (en16931/); see the file comment. */
export function ublSchemaDir(): string {
  const configured = process.env.KANSLI_UBL_SCHEMAS;
  if (configured) return configured;
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const candidates = [join(repo, 'test', 'fixtures', 'schemas', 'ubl'), join(repo, '..', 'shared', 'schemas', 'ubl')];
  const found = candidates.find((d) => existsSync(join(d, XSLT_IN_UBL_DIR)));
  if (!found) throw new Error(`The UBL schemas are not found (tried ${candidates.join(', ')}); set KANSLI_UBL_SCHEMAS to a folder with xsdrt/ and en16931/`);
  return found;
}

let saxon: SaxonJs | null = null;
function saxonJs(): SaxonJs {
  saxon ??= req('saxon-js') as SaxonJs;
  return saxon;
}

/** The cache file name: the XSLT's content hash and the SaxonJS version (an SEF is tied to both). */
function sefCacheFile(xslt: string, cacheDir: string): string {
  const version = (JSON.parse(readFileSync(req.resolve('saxon-js/package.json'), 'utf8')) as { version: string }).version;
  const hash = createHash('sha256').update(readFileSync(xslt)).update(`saxon-js@${version}`).digest('hex').slice(0, 24);
  return join(cacheDir, `kansli-en16931-${hash}.sef.json`);
}

/** How long ago a lock file was written (null: there is none). */
function lockAge(lock: string): number | null {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Compiles an XSLT to SEF with the `xslt3` command (written to a temporary name, then renamed, so a reader
 * never sees half a file). Node runs it: under Electron process.execPath is Electron, which
 * ELECTRON_RUN_AS_NODE turns into plain Node.
 */
export async function compileSef(xslt: string, out: string): Promise<void> {
  let cli: string;
  try {
    cli = req.resolve('xslt3/xslt3.js');
  } catch {
    throw new Error('Compiling the EN 16931 Schematron needs the xslt3 package (a development dependency); pass a prebuilt SEF instead (KANSLI_EN16931_SEF)');
  }
  const tmp = `${out}.${process.pid}.${Date.now()}.tmp`;
  await new Promise<void>((ok, fail) => {
    execFile(
      process.execPath,
      [cli, `-xsl:${xslt}`, `-export:${tmp}`, '-nogo'],
      { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
      (err, _stdout, stderr) => (err ? fail(new Error(`xslt3 could not compile ${xslt}: ${stderr.slice(0, 2000) || err.message}`, { cause: err })) : ok()),
    );
  });
  if (!existsSync(tmp)) throw new Error(`xslt3 wrote no SEF for ${xslt}`);
  renameSync(tmp, out);
}

/**
 * The SEF for an XSLT from the cache, compiled when missing. One process compiles at a time per file: the
 * others wait on its lock file (a lock older than ten minutes is taken to be left by a killed process).
 */
export async function cachedSef(xslt: string, cacheDir = tmpdir()): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const out = sefCacheFile(xslt, cacheDir);
  const lock = `${out}.lock`;
  for (;;) {
    if (existsSync(out)) return out;
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
    } catch {
      const since = lockAge(lock);
      if (since === null) continue; // the lock went away between the two calls: look again
      if (since > 600_000) rmSync(lock, { force: true });
      else await sleep(500);
      continue;
    }
    try {
      if (!existsSync(out)) await compileSef(xslt, out);
      return out;
    } finally {
      rmSync(lock, { force: true });
    }
  }
}

/** Parsed SEFs by path (6–7 MB of JSON: parsed once per process). */
const loaded = new Map<string, Promise<object>>();

async function stylesheet(options: En16931Options): Promise<object> {
  const sef = options.sef ?? process.env.KANSLI_EN16931_SEF ?? (await cachedSef(options.xslt ?? join(ublSchemaDir(), XSLT_IN_UBL_DIR), options.cacheDir));
  let p = loaded.get(sef);
  if (!p) {
    p = Promise.resolve().then(() => JSON.parse(readFileSync(sef, 'utf8')) as object);
    loaded.set(sef, p);
    p.catch(() => loaded.delete(sef));
  }
  return p;
}

/** Prepares the stylesheet ahead of the first validation (compiles it when not cached, then parses it). */
export async function prepareEn16931(options: En16931Options = {}): Promise<void> {
  await stylesheet(options);
}

/**
 * The EN 16931 Schematron's verdict on one UBL document: its failed assertions split into fatal ones
 * (the document is not a valid EN 16931 invoice) and warnings. Throws when the XML is not well formed or
 * the rules cannot be run (that is no verdict).
 */
export async function validateEn16931(xml: string, options: En16931Options = {}): Promise<En16931Result> {
  const sheet = await stylesheet(options);
  const s = saxonJs();
  const { principalResult } = await s.transform({ stylesheetInternal: sheet, sourceText: xml, destination: 'document' }, 'async');
  const found = s.XPath.evaluate(
    `array { //(svrl:failed-assert | svrl:successful-report) ! map {
       'id': string(@id), 'flag': string(@flag), 'location': string(@location), 'test': string(@test), 'text': normalize-space(svrl:text) } }`,
    principalResult,
    { namespaceContext: { svrl: SVRL } },
  );
  if (!Array.isArray(found)) throw new Error('EN 16931: the SVRL could not be read');
  const asserts = (found as Record<string, unknown>[]).map(
    (a): Assert => ({ id: String(a.id ?? ''), flag: String(a.flag ?? ''), location: String(a.location ?? ''), test: String(a.test ?? ''), text: String(a.text ?? '') }),
  );
  return { fatal: asserts.filter((a) => a.flag === 'fatal'), warnings: asserts.filter((a) => a.flag !== 'fatal') };
}
