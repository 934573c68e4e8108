/**
 * Anchors: copies of the audit chain's head kept outside the database, so that a forger who holds the
 * database file can no longer make a shortened, emptied or rewritten log verify as intact.
 *
 * The chain (chain.ts) proves that the entries in the file belong together; it cannot prove that the file
 * still holds every entry ever written, because whoever can delete the tail can also rewrite app_meta
 * `audit.head`, and whoever can rewrite one entry can recompute every later hash. An anchor is a pair
 * (seq, hash) recorded somewhere else at the time. Since each hash covers every earlier entry through
 * prev_hash, one matching anchor vouches for the whole log up to its seq, and any anchor the log no longer
 * matches reveals the tampering:
 *
 * - **truncation**: an anchored seq is missing (the log ends before the last anchor);
 * - **wipe**: the log is empty but anchors exist;
 * - **rewrite**: an anchored seq is present with another hash.
 *
 * Two kinds of file carry anchors:
 *
 * 1. The **anchor file** beside the database (default `<dataDir>/kansli.audit-anchor`, see
 *    auditSidecarPaths in sink.ts), one line per committed transaction that appended audit entries:
 *
 *        <seq> <hash> <at>\n        e.g.  1234 9f86d08…(64 hex) 2026-11-23T12:00:00.000Z
 *
 *    `at` is the wall-clock time the line was written (not the entry's own time). Lines are written after
 *    the commit, never before (an anchor for a rolled-back entry would be a false alarm), by one write(2)
 *    on a descriptor opened with O_APPEND, so lines from several connections or processes interleave but
 *    never tear or overwrite each other; their order in the file does not matter. Lines are not fsynced:
 *    after a power failure (not an application crash) both the database's last commits (synchronous =
 *    NORMAL) and anchor lines can be lost, and an anchor can survive its entry, which verify then reports
 *    as a truncation of the last entries.
 * 2. Every **audit CSV export** (query.ts): its final line is the chain head at export time,
 *
 *        #audit-head,seq=<seq>,hash=<hash>,exported=<at>,,,,,,,,,
 *
 *    padded to the export's 13 columns. Only the final line counts, so text typed into a reason cannot
 *    plant an anchor.
 *
 * The anchor file is only as safe as the place it is kept: copy it (and exports) off the machine, or point
 * `auditAnchorPath` at storage the database's users cannot rewrite (an append-only share, `chattr +a`).
 */
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import type Database from 'better-sqlite3';

export interface AnchorPoint {
  seq: number;
  hash: string;
  /** When the anchor was taken (ISO 8601 UTC). */
  at: string;
}

export type AnchorProblemKind = 'truncation' | 'wipe' | 'rewrite' | 'unreadable';

export interface AnchorReport {
  /** Anchors compared with the log. */
  checked: number;
  /** The highest seq any anchor names; null when there was none. */
  lastAnchoredSeq: number | null;
  /** The problem at the lowest seq (unreadable anchors have no seq). */
  problem: { kind: AnchorProblemKind; seq: number | null; message: string } | null;
}

const LINE = /^(\d{1,15}) ([0-9a-f]{64}) (\S{1,40})$/;
const EXPORT_HEAD = /^#audit-head,seq=(\d{1,15}),hash=([0-9a-f]{64}),exported=([^,\s]{1,40}),*$/;
/** What an export's header row starts with (after the byte order mark). */
const EXPORT_START = 'seq,at,';
export const EXPORT_HEAD_MARK = '#audit-head';

export function anchorLine(p: AnchorPoint): string {
  return `${p.seq} ${p.hash} ${p.at}\n`;
}

/**
 * Appends one anchor line. Opened per write rather than kept open: a rotated or deleted anchor file is then
 * recreated instead of silently receiving lines in an unlinked inode, at the cost of an open and a close
 * (microseconds, against the milliseconds of the call being audited).
 */
export function appendAnchor(path: string, p: AnchorPoint): void {
  const buf = Buffer.from(anchorLine(p), 'utf8');
  // 'a' is O_APPEND (FILE_APPEND_DATA on Windows): every write lands at the end of the file as it is then.
  const fd = openSync(path, 'a');
  try {
    const n = writeSync(fd, buf);
    // A short write to a regular file means the disk is full; the fragment is skipped by the reader.
    if (n !== buf.length) throw new Error(`Short write to the audit anchor file ${path} (${n} of ${buf.length} bytes)`);
  } finally {
    closeSync(fd);
  }
}

/** An anchor file or export, fixed at the size it had when verification began. */
export interface AnchorSource {
  path: string;
  /**
   * Bytes to read. Lines appended after this point may name entries committed after the verifier's read
   * snapshot began, which would look like a truncated log.
   */
  size: number;
  kind: 'anchor' | 'export';
}

/** The source at `path` as it is now, or null when there is no such file. */
export function anchorSource(path: string): AnchorSource | null {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error(`${path} is not a file`);
    size = st.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const head = readRange(path, 0, Math.min(size, 16)).toString('utf8').replace(/^\uFEFF/, '');
  return { path, size, kind: head.startsWith(EXPORT_START) ? 'export' : 'anchor' };
}

function readRange(path: string, start: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  if (length === 0) return buf;
  const fd = openSync(path, 'r');
  try {
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, start + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** One anchor as read, or a line that is not one. */
export type ReadAnchor = (AnchorPoint & { line: number }) | { line: number; unreadable: string };

/**
 * Lines of the source up to its fixed size, streamed in 64 KiB chunks so that an anchor file of millions
 * of lines needs no more memory than one chunk. An unterminated last line is skipped: it may be a line
 * another process is writing right now. NUL bytes are dropped first (a power failure can leave a run of
 * them where the file was extended but its data never reached the disk); blank lines are skipped.
 */
function* anchorFileLines(src: AnchorSource): Generator<ReadAnchor> {
  const fd = openSync(src.path, 'r');
  try {
    const chunk = Buffer.alloc(64 * 1024);
    let rest = Buffer.alloc(0);
    let pos = 0;
    let lineNo = 0;
    while (pos < src.size) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, src.size - pos), pos);
      if (n === 0) break;
      pos += n;
      let data = rest.length ? Buffer.concat([rest, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let nl: number;
      while ((nl = data.indexOf(10)) >= 0) {
        lineNo++;
        const text = data.subarray(0, nl).toString('latin1').replace(/\0/g, '').replace(/\r$/, '');
        data = data.subarray(nl + 1);
        if (!text.trim()) continue;
        const m = LINE.exec(text);
        yield m ? { seq: Number(m[1]), hash: m[2]!, at: m[3]!, line: lineNo } : { line: lineNo, unreadable: text.slice(0, 120) };
      }
      // Copied: `data` may point into `chunk`, which the next read overwrites.
      rest = Buffer.from(data);
    }
  } finally {
    closeSync(fd);
  }
}

/** The head an export ends with (its last non-empty line), or an unreadable marker. */
function exportHead(src: AnchorSource): ReadAnchor[] {
  const tailLength = Math.min(src.size, 4096);
  const tail = readRange(src.path, src.size - tailLength, tailLength).toString('utf8');
  const lines = tail.split(/\r?\n/).filter((l) => l.length > 0);
  const last = lines[lines.length - 1] ?? '';
  const m = EXPORT_HEAD.exec(last);
  if (!m) return [{ line: 0, unreadable: `no ${EXPORT_HEAD_MARK} line at the end of the export (cut short, or made before exports carried their head)` }];
  return [{ seq: Number(m[1]), hash: m[2]!, at: m[3]!, line: 0 }];
}

export function readAnchors(src: AnchorSource): Iterable<ReadAnchor> {
  return src.kind === 'export' ? exportHead(src) : anchorFileLines(src);
}

interface Found {
  seq: number;
  hash: string;
  at: string;
  where: string;
}

/**
 * Compares every anchor with the log, inside the caller's read snapshot (verifyAuditChain's), which must
 * have begun after the sources were fixed. One primary-key lookup per anchor.
 */
export function checkAnchors(sqlite: Database.Database, sources: readonly AnchorSource[]): AnchorReport {
  const hashAt = sqlite.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?');
  const lastSeq = (sqlite.prepare<[], { m: number | null }>('SELECT max(seq) AS m FROM audit_log').get() as { m: number | null }).m ?? 0;
  let checked = 0;
  let lastAnchoredSeq: number | null = null;
  let firstMissing: Found | null = null;
  let lastMissing: Found | null = null;
  let firstMismatch: Found | null = null;
  let lastMatch: number | null = null;
  let unreadable: string | null = null;
  for (const src of sources) {
    const name = basename(src.path);
    for (const a of readAnchors(src)) {
      const where = src.kind === 'export' ? `the export ${name}` : `${name} line ${a.line}`;
      if ('unreadable' in a) {
        unreadable ??= `${where} is not an anchor: ${JSON.stringify(a.unreadable)}`;
        continue;
      }
      checked++;
      // An export of an empty log anchors nothing.
      if (a.seq === 0) continue;
      if (lastAnchoredSeq === null || a.seq > lastAnchoredSeq) lastAnchoredSeq = a.seq;
      const found: Found = { seq: a.seq, hash: a.hash, at: a.at, where };
      const row = hashAt.get(a.seq);
      if (!row) {
        if (!firstMissing || a.seq < firstMissing.seq) firstMissing = found;
        if (!lastMissing || a.seq > lastMissing.seq) lastMissing = found;
      } else if (row.hash !== a.hash) {
        if (!firstMismatch || a.seq < firstMismatch.seq) firstMismatch = found;
      } else if (lastMatch === null || a.seq > lastMatch) {
        lastMatch = a.seq;
      }
    }
  }
  return { checked, lastAnchoredSeq, problem: choose() };

  function choose(): AnchorReport['problem'] {
    const short = (h: string) => `${h.slice(0, 12)}…`;
    let missing: NonNullable<AnchorReport['problem']> | null = null;
    if (firstMissing && lastMissing) {
      if (lastSeq === 0) {
        missing = {
          kind: 'wipe',
          seq: 1,
          message: `The log is empty, but ${lastMissing.where} (anchored ${lastMissing.at}) names entry ${lastMissing.seq}: the log was wiped`,
        };
      } else if (firstMissing.seq > lastSeq) {
        const what = lastMissing.seq === lastSeq + 1 ? `Entry ${lastSeq + 1} is missing` : `Entries ${lastSeq + 1} to ${lastMissing.seq} are missing`;
        missing = {
          kind: 'truncation',
          seq: lastSeq + 1,
          message: `${what}: the log ends at entry ${lastSeq}, but ${lastMissing.where} (anchored ${lastMissing.at}) names entry ${lastMissing.seq} (the tail was deleted)`,
        };
      } else {
        missing = {
          kind: 'truncation',
          seq: firstMissing.seq,
          message: `Entry ${firstMissing.seq} is missing, but ${firstMissing.where} (anchored ${firstMissing.at}) names it (entries were deleted)`,
        };
      }
    }
    let rewrite: NonNullable<AnchorReport['problem']> | null = null;
    if (firstMismatch) {
      const since = lastMatch !== null && lastMatch < firstMismatch.seq ? `after entry ${lastMatch}, the last anchored entry that still matches, and ` : '';
      rewrite = {
        kind: 'rewrite',
        seq: firstMismatch.seq,
        message: `Entry ${firstMismatch.seq} is not the entry ${firstMismatch.where} (anchored ${firstMismatch.at}) names: its hash was ${short(firstMismatch.hash)}, so the log was rewritten ${since}at or before entry ${firstMismatch.seq}`,
      };
    }
    const byEntry = [missing, rewrite].filter((p) => p !== null).sort((x, y) => (x.seq ?? 0) - (y.seq ?? 0))[0];
    if (byEntry) return byEntry;
    return unreadable ? { kind: 'unreadable', seq: null, message: unreadable } : null;
  }
}
