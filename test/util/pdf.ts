/**
 * Reading generated PDFs back in tests with poppler-utils (pdftotext, pdffonts, pdfinfo): what a reader,
 * a search index or a screen reader gets out of the file, not what we think we drew.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const run = (tool: string, args: string[]) => execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

export interface PdfWord {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface PdfFontInfo {
  name: string;
  type: string;
  encoding: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** A PDF written to `dir/name`, with readers for its text, words, fonts and document information. */
export class PdfFile {
  readonly path: string;

  constructor(dir: string, name: string, readonly bytes: Uint8Array) {
    this.path = join(dir, name);
    writeFileSync(this.path, bytes);
  }

  /** pdftotext's reading-order text (UTF-8), pages separated by "\f". */
  text(): string {
    return run('pdftotext', ['-enc', 'UTF-8', this.path, '-']);
  }

  /** pdftotext -layout: lines as laid out on the page, so a table row is one line. */
  layout(): string {
    return run('pdftotext', ['-enc', 'UTF-8', '-layout', this.path, '-']);
  }

  /** Pages of the layout text (a trailing empty one after the last "\f" dropped). */
  pages(): string[] {
    const pages = this.layout().split('\f');
    return pages.at(-1)?.trim() === '' ? pages.slice(0, -1) : pages;
  }

  /** Every word with its box (points, origin top left), from pdftotext -bbox. */
  words(): PdfWord[] {
    const html = run('pdftotext', ['-enc', 'UTF-8', '-bbox', this.path, '-']);
    const words: PdfWord[] = [];
    let page = 0;
    for (const m of html.matchAll(/<page [^>]*>|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
      if (m[0].startsWith('<page')) page++;
      else words.push({ page, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: unescape(m[5]!) });
    }
    return words;
  }

  fonts(): PdfFontInfo[] {
    const lines = run('pdffonts', [this.path]).split('\n').slice(2).filter(Boolean);
    return lines.map((line) => {
      const m = /^(\S+)\s+(.+?)\s{2,}(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(line);
      if (!m) throw new Error(`Unexpected pdffonts line: ${line}`);
      return { name: m[1]!, type: m[2]!, encoding: m[3]!, embedded: m[4] === 'yes', subset: m[5] === 'yes', unicode: m[6] === 'yes' };
    });
  }

  /** pdfinfo's fields (dates in ISO form). */
  info(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of run('pdfinfo', ['-isodates', '-enc', 'UTF-8', this.path]).split('\n')) {
      const m = /^([^:]+):\s*(.*)$/.exec(line);
      if (m) out[m[1]!] = m[2]!;
    }
    return out;
  }
}
