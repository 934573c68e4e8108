/**
 * Where the PDF fonts come from. Every PDF Kansli prints uses DejaVu Sans (regular and bold): it covers
 * Latin with every European diacritic, Vietnamese, Greek and Cyrillic, so a name prints as the register
 * spells it, and its licence (Bitstream Vera + public domain changes) allows embedding and redistribution
 * as long as the licence text travels with the font files.
 *
 * One folder, laid out like the npm package `dejavu-fonts-ttf` (`ttf/*.ttf` + `LICENSE`), is resolved by
 * `fontDir()`:
 * - `KANSLI_FONTS_DIR` when set. The packaged desktop app sets it (electron/main.ts) to
 *   `<resources>/fonts`, which electron-builder fills from the package (electron-builder.yml →
 *   extraResources) with the two files used here and the licence. They are real files outside app.asar,
 *   so the core's utilityProcess reads them with plain `fs`, and the package itself is kept out of the
 *   archive (it holds 20 more faces nobody prints with).
 * - Otherwise the installed package (development under tsx, tests, the browser host, the CLI, and an
 *   unpackaged Electron run), found by Node's own module resolution from this file, so a symlinked or
 *   hoisted node_modules works as well.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type FontFace = 'regular' | 'bold';

/**
 * Path inside the font folder (electron-builder.yml's extraResources filter names the same files) and the
 * face's PostScript name, which the embedded subset's name is built from.
 */
export const FONTS: Record<FontFace, { file: string; postscriptName: string }> = {
  regular: { file: 'ttf/DejaVuSans.ttf', postscriptName: 'DejaVuSans' },
  bold: { file: 'ttf/DejaVuSans-Bold.ttf', postscriptName: 'DejaVuSans-Bold' },
};

export class FontNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FontNotFoundError';
  }
}

/** The folder holding `ttf/DejaVuSans*.ttf` (see the file comment for the order of places tried). */
export function fontDir(): string {
  const configured = process.env.KANSLI_FONTS_DIR;
  if (configured) return configured;
  // In the CommonJS bundle (dist/core/utility.cjs) import.meta.url is shimmed to the bundle's own URL.
  const req = createRequire(import.meta.url);
  try {
    return dirname(req.resolve('dejavu-fonts-ttf/package.json'));
  } catch {
    throw new FontNotFoundError('The package dejavu-fonts-ttf is not installed; set KANSLI_FONTS_DIR to a folder with ttf/DejaVuSans.ttf');
  }
}

const cache = new Map<string, Uint8Array>();

/**
 * The bytes of one face, read once per process: every document embeds (a subset of) the same file, and
 * reading 750 kB per export would cost more than the page layout.
 */
export function fontBytes(face: FontFace): Uint8Array {
  const file = join(fontDir(), FONTS[face].file);
  let bytes = cache.get(file);
  if (!bytes) {
    try {
      bytes = new Uint8Array(readFileSync(file));
    } catch (e) {
      throw new FontNotFoundError(`Font file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); check KANSLI_FONTS_DIR`);
    }
    cache.set(file, bytes);
  }
  return bytes;
}
