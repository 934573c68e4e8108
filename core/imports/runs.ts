/**
 * Import runs: the row that follows an import from upload through dry run to apply, and what the review
 * screens read of it. Reading the dry run masks what a reader may not see: the address or contact values
 * of a shielded person (protected, or linked to a protected person) stay hidden unless the reader may open
 * protected details for the whole municipality.
 */
import type Database from 'better-sqlite3';
import type { MethodOutput } from '../../shared/api/contract';
import { DomainError } from '../../shared/api/errors';
import { formatIdentityNumber } from '../../shared/identity';
import type { ImportFormat, ImportState } from '../../shared/domain/imports';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CoreContext } from '../context';
import type { FileOrdering, ProblemCode, ReadProblem } from './model';
import { PROBLEM_SUMMARY, problemReason, type MessageLang } from './messages';
import { Staging, stagingPath } from './staging';

export interface RunRow {
  id: string;
  format: ImportFormat;
  kind: 'full' | 'delta' | null;
  file_id: string;
  file_name: string;
  file_sha256: string | null;
  stream: string | null;
  ordering: string | null;
  covers: string | null;
  state: ImportState;
  counts: string;
  records: number;
  problems: number;
  skipped: number;
  blocked_code: string | null;
  blocked_message: string | null;
  mapping: string | null;
  read_job_id: string | null;
  apply_job_id: string | null;
  created_by: string;
  created_by_name: string;
  created_at: string;
  applied_at: string | null;
}

export function runRow(sqlite: Database.Database, id: string): RunRow {
  const r = sqlite.prepare('SELECT * FROM import_run WHERE id = ?').get(id) as RunRow | undefined;
  if (!r) throw new DomainError('not_found', 'No such import', 'id');
  return r;
}

export function runView(r: RunRow): MethodOutput<'import.get'> {
  return {
    id: r.id,
    format: r.format,
    kind: r.kind,
    fileName: r.file_name,
    state: r.state,
    counts: JSON.parse(r.counts) as Record<string, number>,
    records: r.records,
    problems: r.problems,
    skipped: r.skipped,
    covers: r.covers,
    blocked: r.blocked_code ? { code: r.blocked_code, message: r.blocked_message ?? '' } : null,
    createdBy: r.created_by_name,
    createdAt: r.created_at,
    appliedAt: r.applied_at,
    readJobId: r.read_job_id,
    applyJobId: r.apply_job_id,
  };
}

/** How a file names its place in the register's sequence, for people. */
export function coversText(o: FileOrdering | null): string | null {
  if (!o) return null;
  const ymd = (n: number) => {
    const s = String(n).padStart(8, '0');
    return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
  };
  const part = o.parts > 1 ? ` (${o.part}/${o.parts})` : '';
  if (o.basis === 'navet_selection_dates') return `${o.from !== null ? `${ymd(o.from)} – ` : ''}${ymd(o.to)}${part}`;
  return `${o.from !== null ? `${o.from}–` : '≤ '}${o.to}${part}`;
}

/** Where an import's scratch files go: beside the database (a temporary folder for an in-memory one). */
export function dataDirOf(ctx: CoreContext): string {
  return ctx.sqlite.memory ? join(tmpdir(), 'kansli-imports') : dirname(ctx.sqlite.name);
}

export function openStaging(ctx: CoreContext, runId: string): Staging {
  try {
    return new Staging(stagingPath(dataDirOf(ctx), runId), 'read');
  } catch {
    throw new DomainError('not_found', 'The dry run of this import is no longer there (it was applied or discarded)', 'id');
  }
}

interface ChangeDb {
  seq: number;
  kind: string;
  person_id: string | null;
  identity: string | null;
  name: string;
  shielded: number;
  sensitive: number;
  before: string | null;
  after: string | null;
  from_date: string | null;
  line: number;
}

/** A page of the dry run; `mayReveal`: the reader may see shielded persons' values. */
export function changesPage(
  ctx: CoreContext,
  runId: string,
  q: { kind?: string; offset: number; limit: number },
  mayReveal: boolean,
): { out: MethodOutput<'import.changes'>; personIds: string[] } {
  const st = openStaging(ctx, runId);
  try {
    const where = q.kind ? 'WHERE kind = ?' : '';
    const args = q.kind ? [q.kind] : [];
    const total = (st.db.prepare(`SELECT count(*) FROM change ${where}`).pluck().get(...args) as number) ?? 0;
    const rows = st.db.prepare(`SELECT * FROM change ${where} ORDER BY seq LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset) as ChangeDb[];
    const today = ctx.clock.today();
    const items = rows.map((r) => {
      const masked = r.shielded === 1 && r.sensitive === 1 && !mayReveal;
      return {
        seq: r.seq,
        kind: r.kind as MethodOutput<'import.changes'>['items'][number]['kind'],
        person: { id: r.person_id, name: r.name, identity: r.identity ? safeFormat(r.identity, today) : null, protected: r.shielded === 1 },
        before: masked ? null : r.before,
        after: masked ? null : r.after,
        masked,
        from: r.from_date,
        line: r.line,
      };
    });
    return { out: { items, total }, personIds: rows.map((r) => r.person_id).filter((x): x is string => x !== null) };
  } finally {
    st.close();
  }
}

/**
 * A page of the problems, their reasons in `lang`. A problem about an address or contact cell may quote it
 * (a legacy file's bad postal code); the row it was in may be a protected person's, and the row could not
 * be read far enough to know. For a reader without protected.reveal such reasons lose their quoted values.
 */
export function problemsPage(ctx: CoreContext, runId: string, q: { offset: number; limit: number; lang: MessageLang }, mayReveal: boolean): MethodOutput<'import.problems'> & { problems: ReadProblem[] } {
  const st = openStaging(ctx, runId);
  try {
    const total = st.db.prepare('SELECT count(*) FROM problem').pluck().get() as number;
    const rows = st.db.prepare('SELECT line, col, element, reason, code, severity, subject, args FROM problem ORDER BY seq LIMIT ? OFFSET ?').all(q.limit, q.offset) as {
      line: number;
      col: number;
      element: string;
      reason: string;
      code: string;
      severity: 'record' | 'file';
      subject: string | null;
      args: string | null;
    }[];
    const problems: ReadProblem[] = rows.map((p) => {
      const sensitive = !mayReveal && SENSITIVE_ELEMENT.test(p.element);
      return {
        line: p.line,
        column: p.col,
        element: p.element,
        reason: sensitive ? PROBLEM_SUMMARY[p.code as ProblemCode]?.en ?? p.code : p.reason,
        code: p.code as ProblemCode,
        severity: p.severity,
        subject: p.subject,
        recordIndex: null,
        ...(p.args && !sensitive ? { args: JSON.parse(p.args) as Record<string, string | number> } : {}),
      };
    });
    const items = problems.map((p) => ({
      line: p.line,
      column: p.column,
      element: p.element,
      reason: SENSITIVE_ELEMENT.test(p.element) && !mayReveal ? (PROBLEM_SUMMARY[p.code]?.[q.lang] ?? p.code) : problemReason(p, q.lang),
      code: p.code,
      severity: p.severity,
      subject: p.subject,
    }));
    return { items, total, problems };
  } finally {
    st.close();
  }
}

/** Elements (XML) and headings (CSV fields) that hold an address or a contact. */
const SENSITIVE_ELEMENT = /adress|address|street|careof|care_of|postal|postnummer|postort|city|utdelning|coadress|email|e-post|epost|phone|mobile|telefon|mobil|vegadresse|postboks|adressenavn|husnummer/i;

function safeFormat(canonical: string, today: string): string {
  try {
    return formatIdentityNumber(canonical, { today });
  } catch {
    return canonical;
  }
}
