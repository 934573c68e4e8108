/**
 * Where the PDF fonts are read from: the installed npm package in development and tests, KANSLI_FONTS_DIR
 * (set by the packaged desktop app to <resources>/fonts) when given, and a clear error when neither holds them.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FONTS, fontBytes, fontDir, FontNotFoundError } from './fonts';

const saved = process.env.KANSLI_FONTS_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.KANSLI_FONTS_DIR;
  else process.env.KANSLI_FONTS_DIR = saved;
});

describe('fonts', () => {
  it('come from the dejavu-fonts-ttf package when KANSLI_FONTS_DIR is not set', () => {
    delete process.env.KANSLI_FONTS_DIR;
    expect(fontDir()).toMatch(/dejavu-fonts-ttf$/);
    const regular = fontBytes('regular');
    // A TrueType file starts with version 1.0 (00 01 00 00).
    expect([...regular.subarray(0, 4)]).toEqual([0, 1, 0, 0]);
    expect(fontBytes('regular')).toBe(regular);
  });

  it('come from KANSLI_FONTS_DIR when set (the packaged app’s <resources>/fonts, laid out like the package)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kansli-fonts-'));
    try {
      mkdirSync(join(dir, 'ttf'));
      delete process.env.KANSLI_FONTS_DIR;
      const from = fontDir();
      for (const face of ['regular', 'bold'] as const) copyFileSync(join(from, FONTS[face].file), join(dir, FONTS[face].file));
      process.env.KANSLI_FONTS_DIR = dir;
      expect(fontDir()).toBe(dir);
      expect(fontBytes('bold').length).toBeGreaterThan(100_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a folder without the files is an error that names the file and the setting', () => {
    process.env.KANSLI_FONTS_DIR = join(tmpdir(), 'kansli-no-fonts-here');
    expect(() => fontBytes('regular')).toThrow(FontNotFoundError);
    expect(() => fontBytes('regular')).toThrow(/kansli-no-fonts-here.ttf.DejaVuSans\.ttf.*ENOENT.*KANSLI_FONTS_DIR/);
  });
});
