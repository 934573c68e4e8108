/**
 * The workstation's sync client (docs/sync.md): joined mode's link to the central server, inside the core
 * (plain Node, no Electron), beside the core's own database, which in joined mode is the user's cache.
 *
 * - Sign-in and its steps go to the server; the local session follows the server's answer
 *   (Auth.followRemote). A successful password sign-in leaves an unlock verifier (argon2id of the password,
 *   valid for `verifierDays`), so a locked session can be unlocked while the server is unreachable.
 * - Writes run locally (the same core, the same rules) and the dispatcher puts each in the outbox in the
 *   same transaction (core/sync/outbox.ts). The loop pushes the outbox in commit order, then pulls the
 *   feed; a server-sent event (another workstation's commit) or a local commit starts it at once.
 * - A write the server answers with a conflict or a refusal is set aside as a conflict copy: its change
 *   records and the server's current rows ("theirs") are kept on its outbox row, later writes of this
 *   workstation that built on it go with it, and the cache is put back to the server's state for the
 *   aggregates concerned. Nothing is merged and nothing is overwritten; the clerk resolves it.
 * - A feed page is applied in one transaction together with its cursor: a crash repeats the page.
 */
import type Database from 'better-sqlite3';
import type { CallResult } from '../../shared/api/transport';
import { Readable } from 'node:stream';
import type { JobView } from '../../shared/domain/events';
import type { FileRef } from '../../shared/domain/files';
import { contract, isMethodName, type MethodOutput } from '../../shared/api/contract';
import { ERROR_CODES, type ErrorCode } from '../../shared/api/errors';
import type { Auth, Session } from '../access/auth';
import { hashPassword, verifyPassword } from '../access/password';
import type { CoreContext } from '../context';
import type { EventHub } from '../events';
import type { Logger } from '../log';
import type { FileStore } from '../files/store';
import { recomputeAllShielding } from '../register/shielding';
import type { RecordTable, Row } from '../write/records';
import type { SyncLink, SyncLinkState } from './handlers';
import { nextAuditBatch } from './audit-ship';
import { recordOutbox, type BaseEntry } from './outbox';
import { aggregateOf, isSyncTable, removeRecord, SYNC_TABLES, writeRecord } from './records';

/** Auth methods that happen at the server in joined mode. */
/** The auditor's reads of the log: in joined mode the central log (every workstation's reads), at the server. */
const CENTRAL_READS = new Set(['audit.query', 'audit.export', 'audit.verify']);
/**
 * Reads the cache cannot answer in full, asked at the server when it can be reached (core/app.ts falls back
 * to the cache's own answer offline): a card's change history (the feed carries records, not the change log).
 */
export const SERVER_READS = new Set(['person.history']);
/** Bulk work that runs as a job on the server (server/sync/routes.ts SERVER_JOBS). */
const SERVER_JOBS = new Set(['rollover.commit', 'import.start', 'import.apply', 'fee.runStart', 'fee.runLock']);
/**
 * An import's dry run and bookkeeping live on the server, where its jobs ran: its views are read there
 * (each audited in the central chain by the server's own dispatch), and a dry run is discarded there.
 */
/**
 * Calls that need documents' content, which is kept on the server and never travels in the feed (docs/foi.md
 * "Documents"): a document is attached there (from the upload sent ahead) and opened there under the user's
 * grants for the person; a gathered document's page for the review, an FOI extract, its decision letter and the disclosure (which makes the extract
 * again to log its hash) are made there too, where the documents they render are.
 */
const CONTENT_CALLS = new Set(['document.add', 'document.open', 'foi.extract', 'foi.documentPage', 'foi.decisionLetter', 'foi.disclose']);
/** Views of work that ran on the server (an import's dry run, a fee run's preview), answered there. */
const SERVER_IMPORT_CALLS = new Set([
  'import.list',
  'import.get',
  'import.changes',
  'import.problems',
  'import.problemsExport',
  'import.discard',
  'fee.runList',
  'fee.runGet',
  'fee.runLines',
  'fee.runWarnings',
  'fee.runDiscard',
]);
/** A job waits for the engine's queue (another job may hold it): starting one may take this long. */
const SERVER_JOB_START_TIMEOUT_MS = 30 * 60_000;
/** A population file of up to 2 GB may take long to reach the server. */
const UPLOAD_TIMEOUT_MS = 60 * 60_000;
const JOB_ENDED = new Set<JobView['state']>(['succeeded', 'failed', 'cancelled']);
const REMOTE_AUTH = new Set(['auth.signIn', 'auth.verifyTotp', 'auth.totpBegin', 'auth.totpConfirm', 'auth.totpDisable', 'auth.changePassword', 'auth.signOut', 'auth.unlock', 'auth.setup']);

export interface SyncClientOptions {
  ctx: CoreContext;
  auth: Auth;
  events: EventHub;
  logger: Logger;
  /** The workstation's file store: an import's upload leaves from it, a server-made export lands in it. */
  files: FileStore;
  /** The server's base URL, e.g. https://kansli.kommun.se */
  server: string;
  workstation: string;
  fetch?: typeof fetch;
  /** How long an unlock verifier stays valid after an online sign-in (default 7 days). */
  verifierDays?: number;
  /** The server refused the session: lock the user's open sessions (core/app.ts). */
  onExpired?: (userId: string) => void;
  /** Seconds between syncs while nobody writes, which ship the local audit log (default 10). */
  auditSeconds?: number;
  /** Feed page size (default 5000). */
  pageSize?: number;
}

interface FeedPage {
  reset: boolean;
  reason?: string;
  epoch: string;
  cursor: number;
  head: number;
  more: boolean;
  records: { entity: string; id: string; seq: number; data: Row }[];
  removals: { entity: string; id: string }[];
  removedPersons: string[];
  removedCare: string[];
  hiddenPersons: string[];
  settings: { key: string; value: string | null }[];
  aggregates: { key: string; seq: number }[];
}

type Answer = { id: string; status: 'applied'; seq: number; result: unknown } | { id: string; status: 'rejected'; error: Record<string, unknown> } | { id: string; status: 'conflict'; aggregates: string[] };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const PERSON_TABLES: { table: RecordTable; col: string }[] = [
  { table: 'person_name', col: 'person_id' },
  { table: 'person_address', col: 'person_id' },
  { table: 'person_contact', col: 'person_id' },
  { table: 'person_document', col: 'person_id' },
  { table: 'person_identity', col: 'person_id' },
  { table: 'guardianship', col: 'child_id' },
  { table: 'household_member', col: 'person_id' },
  { table: 'staff_duty', col: 'person_id' },
  { table: 'work_item', col: 'person_id' },
];
const CARE_TABLES: { table: RecordTable; col: string }[] = [
  { table: 'placement', col: 'child_id' },
  { table: 'application', col: 'child_id' },
  { table: 'enrolment', col: 'pupil_id' },
  { table: 'group_membership', col: 'person_id' },
];

/** The records of one aggregate in this database (docs/sync.md "Aggregates"). */
export function rowsOfAggregate(sqlite: Database.Database, key: string): { entity: RecordTable; id: string }[] {
  const i = key.indexOf(':');
  const kind = i < 0 ? key : key.slice(0, i);
  const id = i < 0 ? '' : key.slice(i + 1);
  const q = (table: RecordTable, where: string, ...args: unknown[]) =>
    (sqlite.prepare(`SELECT id FROM ${table} WHERE ${where}`).pluck().all(...args) as string[]).map((x) => ({ entity: table, id: x }));
  switch (kind) {
    case 'person':
      return [...q('person', 'id = ?', id), ...['person_name', 'person_address', 'person_contact', 'person_identity'].flatMap((t) => q(t as RecordTable, 'person_id = ?', id))];
    case 'care':
      return [
        ...q('guardianship', 'child_id = ?', id),
        ...q('placement', 'child_id = ?', id),
        ...q('application', 'child_id = ?', id),
        ...q('enrolment', 'pupil_id = ?', id),
        ...(['group_membership', 'household_member', 'staff_duty', 'work_item'] as RecordTable[]).flatMap((t) => q(t, 'person_id = ?', id)),
      ];
    case 'household':
      return q('household', 'id = ?', id);
    case 'income':
      return [...q('income_declaration', 'household_id = ?', id), ...q('income_check', 'household_id = ?', id)];
    case 'feerun':
      return [...q('fee_run', 'id = ?', id), ...q('fee_line', 'run_id = ?', id)];
    case 'feereduction':
      return q('fee_reduction', 'child_id = ?', id);
    case 'persondoc':
      return q('person_document', 'person_id = ?', id);
    case 'foi':
      return [...q('foi_request', 'id = ?', id), ...q('foi_request_person', 'request_id = ?', id), ...q('foi_item', 'request_id = ?', id), ...q('foi_disclosure', 'request_id = ?', id)];
    case 'unit':
      return [...q('org_unit', 'id = ?', id), ...q('school_group', 'unit_id = ?', id)];
    case 'municipality':
      return q('municipality', '1 = 1');
    case 'account':
      return [...q('user_account', 'id = ?', id), ...q('role_assignment', 'user_id = ?', id)];
    case 'work':
      return q('work_item', 'id = ?', id);
    default:
      return [];
  }
}

export class SyncClient implements SyncLink {
  private readonly sqlite: Database.Database;
  private readonly http: typeof fetch;
  private token: string | null = null;
  private userId: string | null = null;
  private online = false;
  private lastSyncAt: string | null = null;
  private lastError: string | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private auditTimer: NodeJS.Timeout | null = null;
  private shipping: Promise<void> | null = null;
  private stream: AbortController | null = null;
  /** Aborts every request in flight when the core closes. */
  private readonly closing = new AbortController();
  /** Aggregates whose feed rows were held back while a write of ours to them waited for its answer. */
  private readonly heldBack = new Set<string>();
  /** Persons whose records changed in the cache since the last sync event (it names them: open cards re-read). */
  private readonly touched = new Set<string>();

  constructor(private readonly opts: SyncClientOptions) {
    this.sqlite = opts.ctx.sqlite;
    this.http = opts.fetch ?? fetch;
    opts.auth.joined = true;
  }

  /** The dispatcher's hooks (CoreServices.outbox). */
  readonly outbox = {
    record: (sqlite: Database.Database, mutationId: string, actorId: string, method: string, input: unknown, at: string) => recordOutbox(sqlite, mutationId, actorId, method, input, at),
    committed: () => this.kick(),
  };

  state(): SyncLinkState {
    return { server: this.opts.server, online: this.online, lastSyncAt: this.lastSyncAt, lastError: this.lastError };
  }

  handles(method: string, input?: unknown): boolean {
    if (method === 'job.get' || method === 'job.cancel') return this.serverJobs.has(String((input as { id?: unknown } | null)?.id ?? ''));
    return REMOTE_AUTH.has(method) || CENTRAL_READS.has(method) || SERVER_JOBS.has(method) || SERVER_IMPORT_CALLS.has(method) || CONTENT_CALLS.has(method);
  }

  /**
   * The server jobs this user started from this workstation, as last heard (the job runs and is kept on
   * the server; its view is answered here for the screens that show it, and refreshed from the server while
   * it runs). At most the last 50.
   */
  private readonly serverJobs = new Map<string, JobView>();

  /** The server jobs of the signed-in user, newest first (job.list adds them to the workstation's own). */
  remoteJobs(session: Session): JobView[] {
    if (session.state !== 'signed_in' || session.account?.id !== this.userId) return [];
    return [...this.serverJobs.values()].reverse();
  }

  /**
   * A server job's new view (its start, the event stream's steps, a read): kept, and announced to the
   * user's sessions like a local job's. Its successful end is announced once the feed has brought what it
   * wrote, so the screen that shows the end reads a cache that already holds its result.
   */
  private async jobSeen(view: JobView): Promise<JobView> {
    const prev = this.serverJobs.get(view.id);
    if (prev && JOB_ENDED.has(prev.state)) return (await this.endings.get(view.id)) ?? prev;
    this.serverJobs.delete(view.id);
    this.serverJobs.set(view.id, view);
    if (this.serverJobs.size > 50) this.serverJobs.delete(this.serverJobs.keys().next().value!);
    const announce = () => this.opts.events.emit({ type: 'job', job: view }, (s) => s.account?.id === this.userId);
    if (!JOB_ENDED.has(view.state)) {
      announce();
      return view;
    }
    const ending = (async () => {
      if (view.state === 'succeeded') {
        this.kick();
        await this.idle();
      }
      announce();
      return view;
    })().finally(() => this.endings.delete(view.id));
    this.endings.set(view.id, ending);
    return ending;
  }

  /** Server jobs whose end is being announced (their work still being pulled): whoever asks waits for it. */
  private readonly endings = new Map<string, Promise<JobView>>();

  private signedIn(session: Session): boolean {
    return session.state === 'signed_in' && session.account?.id === this.userId;
  }

  /**
   * Bulk work on the server (docs/sync.md "Bulk work"). The answer is the job's id as a local job's would
   * be, as soon as the server has started it; its progress comes over the event stream (and `job.get`
   * asks the server while it runs). An import's file goes to the server first.
   */
  private async serverJob(session: Session, method: string, input: unknown): Promise<CallResult> {
    if (!this.signedIn(session)) return { ok: false, error: { code: 'unauthenticated', message: 'Sign in first' } };
    await this.ownWritesPushed();
    let body = (input ?? {}) as Record<string, unknown>;
    const localFile = method === 'import.start' ? String(body.fileId ?? '') : null;
    if (localFile !== null) {
      const up = await this.uploadForImport(session, localFile);
      if (!up.ok) return up;
      body = { ...body, fileId: up.data };
    }
    const r = await this.request<{ result: CallResult; job: JobView | null }>('POST', '/sync/job', { method, input: body }, this.token, SERVER_JOB_START_TIMEOUT_MS);
    // The population file now lives on the server (its store sweeps it like any upload); the workstation
    // keeps no copy once the import has started. Refused, the clerk may correct the input and start again.
    if (localFile !== null && r.result.ok) this.opts.files.remove(localFile);
    if (r.job) await this.jobSeen(r.job);
    return r.result;
  }

  /** A file the clerk uploaded here, streamed on to the server as their upload there; its id there. */
  private async uploadForImport(session: Session, fileId: string): Promise<CallResult> {
    const owner = session.account!.id;
    let local: ReturnType<FileStore['read']>;
    try {
      local = this.opts.files.read(fileId, owner);
    } catch {
      return { ok: false, error: { code: 'validation', message: 'No such uploaded file', field: 'fileId' } };
    }
    if (local.file.purpose !== 'upload') {
      local.stream.destroy();
      return { ok: false, error: { code: 'validation', message: 'Not an uploaded file', field: 'fileId' } };
    }
    const q = new URLSearchParams({ kind: local.file.kind, name: local.file.name });
    const token = this.token;
    let res: Response;
    try {
      res = await this.http(new URL(`/sync/files?${q.toString()}`, this.opts.server), {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(local.file.size), authorization: `Bearer ${token}` },
        body: Readable.toWeb(local.stream) as ReadableStream<Uint8Array>,
        duplex: 'half',
        signal: AbortSignal.any([AbortSignal.timeout(UPLOAD_TIMEOUT_MS), this.closing.signal]),
      } as RequestInit);
    } catch (e) {
      local.stream.destroy();
      throw new HttpError(0, 'offline', (e as Error).message);
    }
    const json = (await res.json().catch(() => null)) as { fileId?: string; error?: { code?: string; message?: string } } | null;
    if (!res.ok || !json?.fileId) {
      if (res.status === 401 && token === this.token) this.expire();
      throw new HttpError(res.status, json?.error?.code ?? 'server_error', json?.error?.message ?? `upload: HTTP ${res.status}`);
    }
    return { ok: true, data: json.fileId };
  }

  /** A server job as it is now: asked at the server while it runs, the kept view once it has ended. */
  private async serverJobView(session: Session, method: 'job.get' | 'job.cancel', id: string): Promise<CallResult> {
    if (!this.signedIn(session)) return { ok: false, error: { code: 'unauthenticated', message: 'Sign in first' } };
    const kept = this.serverJobs.get(id);
    if (kept && JOB_ENDED.has(kept.state)) return { ok: true, data: (await this.endings.get(id)) ?? kept };
    try {
      const path = method === 'job.get' ? `/sync/jobs/${encodeURIComponent(id)}` : `/sync/jobs/${encodeURIComponent(id)}/cancel`;
      const r = await this.request<{ result: CallResult }>(method === 'job.get' ? 'GET' : 'POST', path, method === 'job.get' ? undefined : {});
      if (!r.result.ok) return r.result;
      return { ok: true, data: await this.jobSeen(r.result.data as JobView) };
    } catch (e) {
      // Offline: the last view heard (the screen asks again); a cancel needs the server.
      if (kept && method === 'job.get' && e instanceof HttpError && e.code === 'offline') return { ok: true, data: kept };
      throw e;
    }
  }

  /**
   * A call about an import's dry run, at the server. A problem list exported there is fetched and kept
   * here as the user's export, so the screen downloads it like any other.
   */
  private async importCall(session: Session, method: string, input: unknown): Promise<CallResult> {
    if (!this.signedIn(session)) return { ok: false, error: { code: 'unauthenticated', message: 'Sign in first' } };
    const r = (await this.request<{ result: CallResult }>('POST', '/auth/call', { method, input: input ?? {} })).result;
    if (!r.ok || method !== 'import.problemsExport') return r;
    const out = r.data as { file: FileRef; rows: number };
    return { ok: true, data: { ...out, file: await this.download(session, out.file) } };
  }

  /**
   * document.add: the clerk's upload goes to the server first, the document is attached there (its record
   * and content in one PostgreSQL transaction), and the call answers once the feed has brought the record.
   * The others run on the server under its own check of the user's grants; a file they make (an opened
   * document, an extract, a letter) comes back as an export of the user's here; a write (a disclosure)
   * answers once the feed has brought it.
   */
  private async contentCall(session: Session, method: string, input: unknown): Promise<CallResult> {
    if (!this.signedIn(session)) return { ok: false, error: { code: 'unauthenticated', message: 'Sign in first' } };
    await this.ownWritesPushed();
    let body = (input ?? {}) as Record<string, unknown>;
    if (method === 'document.add') {
      const localFile = String(body.fileId ?? '');
      const up = await this.uploadForImport(session, localFile);
      if (!up.ok) return up;
      body = { ...body, fileId: up.data };
      const r = (await this.request<{ result: CallResult }>('POST', '/auth/call', { method, input: body })).result;
      if (r.ok) {
        this.opts.files.remove(localFile);
        this.kick();
        await this.idle();
      }
      return r;
    }
    const r = (await this.request<{ result: CallResult }>('POST', '/auth/call', { method, input: body })).result;
    if (!r.ok) return r;
    const data = r.data as { file?: FileRef };
    if (data.file) return { ok: true, data: { ...data, file: await this.download(session, data.file) } };
    // A read (a document's page for the review) changed nothing: no pull to wait for. A write (the
    // disclosure) answers once its records are in this cache.
    if (!(isMethodName(method) && contract[method].writes)) return r;
    this.kick();
    await this.idle();
    return r;
  }

  /** A file the server made for this user (an export, an opened document), fetched into this workstation's store. */
  private async download(session: Session, ref: FileRef): Promise<FileRef> {
    const res = await this.http(new URL(`/sync/files/${encodeURIComponent(ref.fileId)}`, this.opts.server), {
      headers: { authorization: `Bearer ${this.token}` },
      signal: AbortSignal.any([AbortSignal.timeout(UPLOAD_TIMEOUT_MS), this.closing.signal]),
    }).catch((e: unknown) => {
      throw new HttpError(0, 'offline', (e as Error).message);
    });
    if (!res.ok) throw new HttpError(res.status, res.status === 404 ? 'not_found' : 'server_error', `file: HTTP ${res.status}`);
    return this.opts.files.writeExport(session.account!.id, ref.name, ref.mime, new Uint8Array(await res.arrayBuffer()));
  }

  private meta(key: string): string | null {
    return (this.sqlite.prepare('SELECT value FROM app_meta WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  }

  private setMeta(key: string, value: string | null): void {
    if (value === null) this.sqlite.prepare('DELETE FROM app_meta WHERE key = ?').run(key);
    else this.sqlite.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, token = this.token, timeoutMs = 60_000): Promise<T> {
    let res: Response;
    try {
      res = await this.http(new URL(path, this.opts.server), {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.closing.signal]),
      });
    } catch (e) {
      throw new HttpError(0, 'offline', (e as Error).message);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      throw new HttpError(res.status, 'server_error', `The server answered ${res.status} with something that is not JSON`);
    }
    if (!res.ok) {
      // The server no longer knows this session (it restarted, or the session was closed there).
      if (res.status === 401 && token && token === this.token) this.expire();
      const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
      throw new HttpError(res.status, err?.code ?? (res.status >= 500 ? 'server_error' : 'refused'), err?.message ?? `HTTP ${res.status}`);
    }
    return json as T;
  }

  // ---- sign-in ----------------------------------------------------------------------------------------

  /** An auth method in joined mode: at the server, and the local session follows. */
  async call(session: Session, method: string, input: unknown): Promise<CallResult> {
    try {
      const i = (input ?? {}) as Record<string, unknown>;
      if (method === 'auth.setup') return { ok: false, error: { code: 'unavailable', message: 'The first administrator is created on the central server (kansli server demo or import)' } };
      if (method === 'auth.unlock') return await this.unlock(session, String(i.password ?? ''));
      if (method === 'auth.signIn') {
        const r = await this.request<{ token: string | null; result: CallResult }>('POST', '/auth/sign-in', {
          username: i.username,
          password: i.password,
          workstation: this.opts.workstation,
        }, null);
        if (!r.result.ok || !r.token) return r.result;
        this.token = r.token;
        const status = r.result.data as MethodOutput<'auth.status'>;
        return await this.follow(session, status, String(i.password ?? ''));
      }
      if (!this.token) return { ok: false, error: { code: 'unauthenticated', message: 'Sign in first' } };
      if (SERVER_JOBS.has(method)) return await this.serverJob(session, method, input);
      if (SERVER_IMPORT_CALLS.has(method)) return await this.importCall(session, method, input);
      if (CONTENT_CALLS.has(method)) return await this.contentCall(session, method, input);
      if (method === 'job.get' || method === 'job.cancel') return await this.serverJobView(session, method, String((input as { id?: unknown } | null)?.id ?? ''));
      if (SERVER_READS.has(method)) {
        if (!this.signedIn(session)) return { ok: false, error: { code: 'unauthenticated', message: 'Sign in first' } };
        await this.ownWritesPushed();
        return (await this.request<{ result: CallResult }>('POST', '/auth/call', { method, input: input ?? {} })).result;
      }
      if (CENTRAL_READS.has(method)) {
        if (session.state !== 'signed_in' || session.account?.id !== this.userId) return { ok: false, error: { code: 'unauthenticated', message: 'Sign in first' } };
        // What this workstation logged is shipped first, so the auditor's answer includes it.
        await this.shipAudit().catch(() => undefined);
        return (await this.request<{ result: CallResult }>('POST', '/auth/call', { method, input: input ?? {} })).result;
      }
      // What this user did here reaches the central log before the session ends.
      if (method === 'auth.signOut') await this.shipAudit().catch(() => undefined);
      const r = await this.request<{ result: CallResult }>('POST', '/auth/call', { method, input: input ?? {} });
      if (method === 'auth.signOut') {
        this.stop();
        this.token = null;
        return { ok: true, data: this.opts.auth.followRemote(session, 'signed_out', null) };
      }
      if (!r.result.ok) return r.result;
      if (method === 'auth.totpBegin') return r.result;
      return await this.follow(session, r.result.data as MethodOutput<'auth.status'>, method === 'auth.changePassword' ? String(i.newPassword ?? '') : null);
    } catch (e) {
      if (e instanceof HttpError) {
        this.online = e.code !== 'offline';
        return { ok: false, error: { code: asErrorCode(e), message: e.code === 'offline' ? 'The central server cannot be reached' : e.message } };
      }
      throw e;
    }
  }

  private async follow(session: Session, status: MethodOutput<'auth.status'>, password: string | null): Promise<CallResult> {
    const user = status.user;
    if (status.state === 'signed_in' && user) {
      if (this.meta('sync.user') !== user.id) this.switchUser(user.id);
      this.userId = user.id;
      // The user's own account and roles, and their register, before the session opens on them.
      await this.syncNow();
      if (password) this.setMeta(`sync.verifier.${user.id}`, JSON.stringify({ hash: hashPassword(password), until: Date.now() + (this.opts.verifierDays ?? 7) * 86_400_000 }));
      this.startStream();
      this.startAuditTimer();
    }
    const state = status.state === 'setup' ? 'signed_out' : status.state;
    return { ok: true, data: this.opts.auth.followRemote(session, state, user) };
  }

  private async unlock(session: Session, password: string): Promise<CallResult> {
    if (session.state !== 'locked' || !session.account) return { ok: false, error: { code: 'unauthenticated', message: 'The session is not locked' } };
    const v = this.meta(`sync.verifier.${session.account.id}`);
    const parsed = v ? (JSON.parse(v) as { hash: string; until: number }) : null;
    const verified = parsed && parsed.until > Date.now() ? verifyPassword(parsed.hash, password) : null;
    if (verified === false) return { ok: false, error: { code: 'auth_failed', message: 'Wrong password' } };
    // With the server's session still open, the verifier is enough. Without it (the server restarted, or
    // the verifier expired by policy) the server checks the password and opens a new session; when it
    // cannot be reached, a valid verifier still unlocks (offline) and sync waits for the next unlock.
    if (verified && this.token) return { ok: true, data: this.opts.auth.unlockVerified(session) };
    let r: { token: string | null; result: CallResult };
    try {
      r = await this.request<{ token: string | null; result: CallResult }>('POST', '/auth/sign-in', { username: session.account.username, password, workstation: this.opts.workstation }, null);
    } catch (e) {
      if (verified && e instanceof HttpError && e.code === 'offline') return { ok: true, data: this.opts.auth.unlockVerified(session) };
      throw e;
    }
    if (!r.result.ok || !r.token) return r.result.ok ? { ok: false, error: { code: 'auth_failed', message: 'Wrong password' } } : r.result;
    this.token = r.token;
    this.setMeta(`sync.verifier.${session.account.id}`, JSON.stringify({ hash: hashPassword(password), until: Date.now() + (this.opts.verifierDays ?? 7) * 86_400_000 }));
    const data = this.opts.auth.unlockVerified(session);
    this.startStream();
    this.startAuditTimer();
    this.kick();
    return { ok: true, data };
  }

  /**
   * The server refused this workstation's session token: sync stops, and the user's open sessions lock, so
   * the clerk's next step is the password, which opens a new session at the server (unlock above).
   */
  private expire(): void {
    this.token = null;
    this.stop();
    this.online = true;
    this.lastError = 'unauthenticated';
    if (this.userId) this.opts.onExpired?.(this.userId);
  }

  /** Another user signs in on this workstation: the cache holds the previous user's projection; drop it. */
  private switchUser(userId: string): void {
    this.serverJobs.clear();
    this.sqlite.transaction(() => {
      this.wipeRegister();
      this.setMeta('sync.user', userId);
      this.setMeta('sync.subscriber', `${this.opts.workstation}:${userId}:${Date.now().toString(36)}`);
    })();
  }

  private wipeRegister(): void {
    const s = this.sqlite;
    for (const t of ['placement_owner', 'application_choice', 'person_name_token', 'recent_person', 'change_log', 'sync_aggregate', ...[...SYNC_TABLES].reverse()]) s.prepare(`DELETE FROM ${t}`).run();
    this.setMeta('sync.cursor', '0');
    this.setMeta('sync.epoch', null);
    // Until the pull has caught up again the user's own account may not be back in the cache: the session
    // must not read that as an account removed (core/access/auth.ts refresh).
    this.setMeta('sync.rebuilding', '1');
    this.opts.ctx.generation.persons++;
  }

  // ---- the loop ---------------------------------------------------------------------------------------

  /** Starts a push and pull soon (coalescing: one runs at a time, and one more follows if asked meanwhile). */
  kick(): void {
    if (!this.token || this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.syncNow()
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** One push of the whole outbox and one pull to the head; records the link's state either way. */
  async syncNow(): Promise<void> {
    if (this.closed) return;
    try {
      await this.push();
      await this.pull();
      // The audit log is not shipped here but on its timer (every `auditSeconds` when it grew), before a
      // sign-out and before an auditor's central read: a shipment after every sync doubled the server's
      // durable commits per save and slowed the next save behind its flush (sync bench).
      this.online = true;
      this.lastError = null;
      this.lastSyncAt = new Date().toISOString();
    } catch (e) {
      if (this.closed) return;
      this.online = !(e instanceof HttpError && e.code === 'offline');
      this.lastError = e instanceof HttpError ? e.code : 'internal';
      if (!(e instanceof HttpError)) this.opts.logger.error('sync_failed', e);
      this.retrySoon();
      throw e;
    } finally {
      if (!this.closed) this.announce();
    }
  }

  private retrySoon(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, 5_000);
    this.timer.unref?.();
  }

  private announce(): void {
    const n = new Map(
      (this.sqlite.prepare(`SELECT state, count(*) AS n FROM sync_outbox WHERE actor_id = ? AND state IN ('pending', 'conflict', 'rejected') GROUP BY state`).all(this.userId ?? '') as {
        state: string;
        n: number;
      }[]).map((r) => [r.state, r.n]),
    );
    // A snapshot or a reset changes everyone: then "many" rather than a list of the whole register.
    const changed = this.touched.size === 0 ? null : this.touched.size > 500 ? ['*'] : [...this.touched];
    this.touched.clear();
    this.opts.events.emit(
      { type: 'sync', online: this.online, pending: n.get('pending') ?? 0, conflicts: n.get('conflict') ?? 0, rejected: n.get('rejected') ?? 0, ...(changed ? { changed } : {}) },
      (s) => s.account?.id === this.userId,
    );
  }

  /**
   * Notes the persons of aggregates whose records changed in the cache (person:<id>, care:<id>). Past 500 the
   * event says "many" anyway: a snapshot of the whole register does not collect every id first.
   */
  private touch(keys: Iterable<string>): void {
    for (const k of keys) {
      if (this.touched.size > 500) return;
      const m = /^(?:person|care):(.+)$/.exec(k);
      if (m) this.touched.add(m[1]!);
    }
  }

  /** Notes the persons a cache row concerns: its aggregate's, and a guardianship's guardian too. */
  private touchRow(entity: RecordTable, id: string, row: Row): void {
    if (this.touched.size > 500) return;
    this.touch([aggregateOf(entity, id, row)]);
    if (entity === 'guardianship' && typeof row.guardian_id === 'string') this.touched.add(row.guardian_id);
  }

  // ---- the central audit -----------------------------------------------------------------------------

  /**
   * Ships the local audit log after the shipped mark to the server's chain (core/sync/audit-ship.ts). Runs
   * on a timer while signed in (every `auditSeconds`, default 10, when the log grew), before a sign-out and
   * before an auditor's central read, so reads from the cache reach the auditor's screen within seconds; a break the server found (the local log was truncated or replaced) is logged here too.
   */
  private shipAudit(): Promise<void> {
    // One shipment at a time (the timer's and a sync's would send the same batch twice).
    this.shipping ??= this.shipAuditNow().finally(() => {
      this.shipping = null;
    });
    return this.shipping;
  }

  private async shipAuditNow(): Promise<void> {
    for (let round = 0; round < 50; round++) {
      const mark = Number(this.meta('sync.audit_shipped') ?? 0);
      const { entries, restart } = nextAuditBatch(this.sqlite, mark);
      if (!entries.length) return;
      const r = await this.request<{ shipped: number; upTo: number; break: unknown }>('POST', '/sync/audit', { entries });
      if (r.break || restart) this.opts.logger.info('audit_chain_break', { restart, problem: (r.break as { problem?: string } | null)?.problem ?? 'none' });
      this.setMeta('sync.audit_shipped', String(entries[entries.length - 1]!.seq));
    }
  }

  /**
   * While signed in: an audit shipment every `auditSeconds` when the local log has grown, even when nobody
   * writes (reads alone). Only the shipment: the feed comes with the server's announcements, and a pull per
   * workstation every few seconds would be load the server does not need.
   */
  private startAuditTimer(): void {
    if (this.auditTimer || this.closed) return;
    const top = this.sqlite.prepare('SELECT coalesce(max(seq), 0) FROM audit_log').pluck();
    this.auditTimer = setInterval(() => {
      if (!this.token || this.closed || this.shipping) return;
      if ((top.get() as number) === Number(this.meta('sync.audit_shipped') ?? 0)) return;
      this.shipAudit().catch(() => undefined);
    }, (this.opts.auditSeconds ?? 10) * 1000);
    this.auditTimer.unref?.();
  }

  // ---- push -------------------------------------------------------------------------------------------

  private async push(): Promise<void> {
    for (;;) {
      const rows = this.sqlite
        .prepare(`SELECT mutation_id, method, input, base FROM sync_outbox WHERE state = 'pending' AND actor_id = ? ORDER BY ordinal LIMIT 100`)
        .all(this.userId ?? '') as { mutation_id: string; method: string; input: string; base: string }[];
      if (!rows.length) return;
      const { answers } = await this.request<{ answers: Answer[] }>('POST', '/sync/push', {
        mutations: rows.map((r) => ({ id: r.mutation_id, method: r.method, input: JSON.parse(r.input) as unknown, base: JSON.parse(r.base) as Record<string, BaseEntry> })),
      });
      const now = new Date().toISOString();
      for (const a of answers) {
        if (a.status === 'applied') {
          this.sqlite.prepare(`UPDATE sync_outbox SET state = 'applied', answered_at = ? WHERE mutation_id = ? AND state = 'pending'`).run(now, a.id);
        } else {
          await this.setAside(a);
        }
      }
      await this.refreshHeldBack();
    }
  }

  /**
   * A write the server did not apply: it and every later pending write that built on it become conflict
   * copies (with their change records and the server's current rows), and the cache gets the server's
   * state of the aggregates they touched.
   */
  private async setAside(a: Exclude<Answer, { status: 'applied' }>): Promise<void> {
    const pending = this.sqlite
      .prepare(`SELECT mutation_id, base, ordinal FROM sync_outbox WHERE state = 'pending' AND actor_id = ? ORDER BY ordinal`)
      .all(this.userId ?? '') as { mutation_id: string; base: string; ordinal: number }[];
    const first = pending.find((p) => p.mutation_id === a.id);
    if (!first) return;
    const group = new Set([a.id]);
    const keys = new Set(Object.keys(JSON.parse(first.base) as object));
    for (const p of pending) {
      if (p.ordinal <= first.ordinal) continue;
      const base = JSON.parse(p.base) as Record<string, BaseEntry>;
      if (Object.values(base).some((b) => 'mutation' in b && group.has(b.mutation))) {
        group.add(p.mutation_id);
        for (const k of Object.keys(base)) keys.add(k);
      }
    }
    const theirs = await this.request<{ records: { entity: string; id: string; seq: number; data: Row }[]; aggregates: { key: string; seq: number }[] }>('POST', '/sync/records', {
      aggregates: [...keys],
    });
    const now = new Date().toISOString();
    this.sqlite.transaction(() => {
      const byKey = new Map<string, { entity: string; id: string; data: Row }[]>();
      for (const r of theirs.records) {
        const k = `${r.entity}|${r.id}`;
        byKey.set(k, [...(byKey.get(k) ?? []), r]);
      }
      for (const id of group) {
        const changes = this.sqlite.prepare('SELECT entity, entity_id, changes, person_id, related_person_id FROM change_log WHERE mutation_id = ? ORDER BY seq').all(id) as {
          entity: string;
          entity_id: string;
        }[];
        const detail = {
          theirs: changes.map((c) => ({ entity: c.entity, id: c.entity_id, data: byKey.get(`${c.entity}|${c.entity_id}`)?.[0]?.data ?? null })),
          changes,
        };
        const state = id === a.id ? a.status : 'conflict';
        const error = id === a.id ? (a.status === 'rejected' ? a.error : { aggregates: a.aggregates }) : { dependsOn: a.id };
        this.sqlite
          .prepare(`UPDATE sync_outbox SET state = ?, error = ?, theirs = ?, answered_at = ? WHERE mutation_id = ?`)
          .run(state, JSON.stringify(error), JSON.stringify(detail), now, id);
        // The history shows what happened in the register; this edit did not happen there.
        this.sqlite.prepare('DELETE FROM change_log WHERE mutation_id = ?').run(id);
      }
      this.touch(keys);
      for (const key of keys) for (const r of rowsOfAggregate(this.sqlite, key)) removeRecord(this.sqlite, r.entity, r.id);
      for (const r of orderForWrite(theirs.records)) if (isSyncTable(r.entity)) writeRecord(this.sqlite, r.entity, cacheRow(r.entity, r.data));
      for (const g of theirs.aggregates) this.sqlite.prepare('INSERT INTO sync_aggregate (key, seq, pending) VALUES (?, ?, NULL) ON CONFLICT(key) DO UPDATE SET seq = excluded.seq').run(g.key, g.seq);
      for (const key of keys) this.resetPending(key);
      recomputeAllShielding(this.sqlite);
      this.opts.ctx.generation.persons++;
    })();
  }

  /** The aggregate's pending pointer: the newest of our writes still waiting that wrote it, or none. */
  private resetPending(key: string): void {
    const rows = this.sqlite.prepare(`SELECT mutation_id, base FROM sync_outbox WHERE state = 'pending' ORDER BY ordinal DESC`).all() as { mutation_id: string; base: string }[];
    const latest = rows.find((r) => key in (JSON.parse(r.base) as object));
    this.sqlite.prepare('UPDATE sync_aggregate SET pending = ? WHERE key = ?').run(latest?.mutation_id ?? null, key);
  }

  /** Aggregates whose feed rows were held back: fetched again once no write of ours to them waits. */
  private async refreshHeldBack(): Promise<void> {
    const ready = [...this.heldBack].filter((k) => {
      const p = this.sqlite.prepare('SELECT pending FROM sync_aggregate WHERE key = ?').pluck().get(k) as string | null | undefined;
      if (!p) return true;
      const st = this.sqlite.prepare('SELECT state FROM sync_outbox WHERE mutation_id = ?').pluck().get(p) as string | undefined;
      return st !== 'pending';
    });
    if (!ready.length) return;
    const theirs = await this.request<{ records: { entity: string; id: string; data: Row }[]; aggregates: { key: string; seq: number }[] }>('POST', '/sync/records', { aggregates: ready });
    this.touch(ready);
    this.sqlite.transaction(() => {
      for (const key of ready) {
        for (const r of rowsOfAggregate(this.sqlite, key)) removeRecord(this.sqlite, r.entity, r.id);
        this.sqlite.prepare('UPDATE sync_aggregate SET pending = NULL WHERE key = ?').run(key);
        this.heldBack.delete(key);
      }
      for (const r of orderForWrite(theirs.records)) if (isSyncTable(r.entity)) writeRecord(this.sqlite, r.entity, cacheRow(r.entity, r.data));
      for (const g of theirs.aggregates) this.sqlite.prepare('INSERT INTO sync_aggregate (key, seq) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET seq = excluded.seq').run(g.key, g.seq);
      recomputeAllShielding(this.sqlite);
      this.opts.ctx.generation.persons++;
    })();
  }

  // ---- pull -------------------------------------------------------------------------------------------

  private async pull(): Promise<void> {
    for (let guard = 0; guard < 10_000; guard++) {
      const subscriber = this.meta('sync.subscriber') ?? `${this.opts.workstation}:${this.userId}`;
      const cursor = Number(this.meta('sync.cursor') ?? 0);
      const page = await this.request<FeedPage>('GET', `/sync/feed?subscriber=${encodeURIComponent(subscriber)}&cursor=${cursor}&limit=${this.opts.pageSize ?? 5000}`);
      const epoch = this.meta('sync.epoch');
      if (page.reset || (epoch && page.epoch !== epoch)) {
        // The server cannot place our cursor (restored from an older backup, a new database, a scope that
        // changed kind): the register is taken again from the start. The outbox stays; what the server had
        // applied is pushed again and answered from its own record of it (or applied again if the backup
        // lost it).
        this.opts.logger.info('sync_reset', { reason: page.reset ? (page.reason ?? 'reset') : 'epoch' });
        this.sqlite.transaction(() => {
          this.wipeRegister();
          this.sqlite.prepare(`UPDATE sync_outbox SET state = 'pending' WHERE state = 'applied'`).run();
        })();
        await this.push();
        continue;
      }
      this.apply(page);
      if (!page.more) {
        if (this.meta('sync.rebuilding')) this.setMeta('sync.rebuilding', null);
        return;
      }
    }
  }

  private apply(page: FeedPage): void {
    const s = this.sqlite;
    s.transaction(() => {
      const del = (table: string, col: string, id: string) => {
        for (const rid of s.prepare(`SELECT id FROM ${table} WHERE ${col} = ?`).pluck().all(id) as string[]) removeRecord(s, table as RecordTable, rid);
      };
      this.touch([...page.removedPersons, ...page.removedCare, ...page.hiddenPersons].map((id) => `person:${id}`));
      for (const id of page.removedPersons) {
        for (const t of [...PERSON_TABLES, ...CARE_TABLES]) del(t.table, t.col, id);
        removeRecord(s, 'person', id);
      }
      for (const id of page.removedCare) for (const t of CARE_TABLES) del(t.table, t.col, id);
      for (const id of page.hiddenPersons) {
        del('person_address', 'person_id', id);
        del('person_contact', 'person_id', id);
        del('person_document', 'person_id', id);
        // A request's contact typed for a requester now hidden (the server's projection withholds it too).
        s.prepare('UPDATE foi_request SET requester_contact = NULL WHERE requester_person_id = ? AND requester_contact IS NOT NULL').run(id);
      }
      for (const r of page.removals) {
        if (!isSyncTable(r.entity)) continue;
        const gone = this.touched.size > 500 ? undefined : (s.prepare(`SELECT * FROM ${r.entity} WHERE id = ?`).get(r.id) as Row | undefined);
        if (gone) this.touchRow(r.entity, r.id, gone);
        removeRecord(s, r.entity, r.id);
      }
      const waiting = new Set(
        (s.prepare(`SELECT a.key FROM sync_aggregate a JOIN sync_outbox o ON o.mutation_id = a.pending WHERE o.state = 'pending'`).pluck().all() as string[]),
      );
      for (const r of orderForWrite(page.records)) {
        if (!isSyncTable(r.entity)) continue;
        // Our own write to this aggregate waits for its answer: the cache keeps showing it; the server's
        // rows come again once it is answered (applied: in the feed; set aside: fetched with theirs).
        const key = aggregateOf(r.entity, r.id, r.data);
        if (waiting.has(key)) {
          this.heldBack.add(key);
          continue;
        }
        writeRecord(s, r.entity, cacheRow(r.entity, r.data));
        this.touchRow(r.entity, r.id, r.data);
      }
      for (const x of page.settings) this.setMeta(x.key, x.value);
      for (const g of page.aggregates) s.prepare('INSERT INTO sync_aggregate (key, seq) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET seq = excluded.seq').run(g.key, g.seq);
      // Applied writes no longer need to be anyone's base once the server's version is here.
      s.prepare(`UPDATE sync_aggregate SET pending = NULL WHERE pending IN (SELECT mutation_id FROM sync_outbox WHERE state <> 'pending')`).run();
      this.setMeta('sync.cursor', String(page.cursor));
      this.setMeta('sync.epoch', page.epoch);
      if (page.records.length || page.removedPersons.length) this.opts.ctx.generation.persons++;
      if (page.settings.some((x) => x.key === 'demo')) this.opts.ctx.demo = this.meta('demo') === '1';
    })();
  }

  // ---- the event stream -------------------------------------------------------------------------------

  /** Follows the server's event stream: each announced head beyond our cursor starts a pull. */
  private startStream(): void {
    if (this.stream || this.closed) return;
    const ac = new AbortController();
    this.stream = ac;
    const run = async () => {
      while (!ac.signal.aborted && this.token) {
        try {
          const token = this.token;
          const res = await this.http(new URL('/sync/events', this.opts.server), { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
          if (res.status === 401) {
            // Only a refusal of the token in use ends the session: one answered for a token replaced meanwhile
            // (a new sign-in, an unlock) says nothing about the session the user has now.
            if (token === this.token) {
              this.expire();
              return;
            }
            continue;
          }
          if (!res.ok || !res.body) throw new HttpError(res.status, 'refused', `events: HTTP ${res.status}`);
          this.online = true;
          const reader = res.body.getReader();
          const dec = new TextDecoder();
          let buf = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buf += dec.decode(value, { stream: true });
            let at: number;
            while ((at = buf.indexOf('\n\n')) >= 0) {
              const block = buf.slice(0, at);
              buf = buf.slice(at + 2);
              const data = /^data: (.*)$/m.exec(block)?.[1];
              if (/^event: head$/m.test(block) && data) {
                const head = Number((JSON.parse(data) as { head: number }).head);
                if (head > Number(this.meta('sync.cursor') ?? 0)) this.kick();
              }
              if (/^event: job$/m.test(block) && data) void this.jobSeen(JSON.parse(data) as JobView);
            }
          }
        } catch {
          if (ac.signal.aborted) return;
          this.online = false;
          this.announce();
        }
        await new Promise((r) => setTimeout(r, 2_000));
      }
    };
    void run();
  }

  private stop(): void {
    this.stream?.abort();
    this.stream = null;
    if (this.auditTimer) clearInterval(this.auditTimer);
    this.auditTimer = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  close(): void {
    this.closed = true;
    this.closing.abort();
    this.stop();
  }

  /**
   * Before a call the server answers from its own state (a content call, a server read): this user's writes
   * waiting in the outbox are pushed first, so the server sees what the clerk just did here (the review
   * saved a moment ago, the items just gathered). Offline or refused, the call goes on with what is there.
   */
  private async ownWritesPushed(): Promise<void> {
    const waiting = this.sqlite.prepare(`SELECT 1 FROM sync_outbox WHERE state = 'pending' AND actor_id = ? LIMIT 1`).get(this.userId ?? '');
    if (!waiting) return;
    this.kick();
    await this.idle();
  }

  /** Resolves when no push or pull is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}

/** Parents before children: units before groups, persons before what hangs on them. */
function orderForWrite<T extends { entity: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => SYNC_TABLES.indexOf(a.entity as RecordTable) - SYNC_TABLES.indexOf(b.entity as RecordTable));
}

/** The server's answer as one of the contract's error codes (the UI maps those). */
function asErrorCode(e: HttpError): ErrorCode {
  if ((ERROR_CODES as readonly string[]).includes(e.code)) return e.code as ErrorCode;
  if (e.code === 'rate_limited') return 'locked_out';
  if (e.code === 'malformed') return 'validation';
  return e.status === 0 || e.status >= 500 ? 'offline' : 'internal';
}

/**
 * A row as the cache stores it. The server never sends an account's secrets; the column is NOT NULL, and
 * a value no password can match keeps it so (sign-in and unlock never read it in joined mode).
 */
function cacheRow(entity: RecordTable, data: Row): Row {
  return entity === 'user_account' ? { ...data, password_hash: '!held-by-server' } : data;
}
