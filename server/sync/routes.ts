/**
 * The sync protocol over HTTP (docs/sync.md): sign-in, the calls that must run on the server, push, the
 * feed and the server-sent events stream. Every route but sign-in needs a bearer token; every body is
 * checked here with a message naming the field.
 *
 *   POST /auth/sign-in   { username, password, workstation }  → { token, result }   (rate-limited)
 *   POST /auth/call      { method, input }                    → { result }   auth.*, session.*, the central audit log's reads, documents' content
 *   POST /sync/push      { mutations: [...] }                 → { answers: [...] }   in order, each its own transaction
 *   GET  /sync/feed?subscriber=&cursor=&limit=                → a feed page (server/engine/feed.ts)
 *   POST /sync/records   { aggregates: [...] }                → the current rows of those aggregates (a conflict's "theirs")
 *   POST /sync/audit     { entries: [...] }                   → { shipped, upTo, break }   the workstation's local audit log
 *   POST /sync/job       { method, input }                    → { result, job }   bulk work, answered when the job has started
 *   GET  /sync/jobs/:id                                       → { result }   a server job as it is now
 *   POST /sync/jobs/:id/cancel                                → { result }
 *   POST /sync/files?kind=&name=   application/octet-stream   → { fileId, name, size }   a population file for an import
 *   GET  /sync/files/:id                                      → the file (an export the server made for this user)
 *   GET  /sync/events                                         → text/event-stream: `head` after every commit, `job`
 *                                                               for each step of the user's own server jobs
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isUploadKind } from '../../shared/domain/files';
import { DomainError } from '../../shared/api/errors';
import { domainErrorToApi } from '../../core/api/dispatch';
import { ApiError, type RouteRegistrar } from '../app';
import type { Engine } from '../engine/engine';
import { shippedEntry } from '../engine/audit';
import { Sessions, type SyncSession } from './sessions';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');
const signInBody = z
  .object({
    username: z.string().min(1).max(200),
    password: z.string().min(1).max(1000),
    workstation: z.string().min(1).max(100),
  })
  .strict();
/** What a workstation may ask the server to run outside a push: its own session's steps. */
const SERVER_CALLS = new Set([
  'auth.status',
  'auth.verifyTotp',
  'auth.totpBegin',
  'auth.totpConfirm',
  'auth.totpDisable',
  'auth.changePassword',
  'auth.signOut',
  'session.info',
  // The auditor's screen reads the central log (every workstation's reads), not the cache's own.
  'audit.query',
  'audit.export',
  'audit.verify',
  // An import's dry run and its bookkeeping are on the server (the replica), where its job ran.
  'import.list',
  'import.get',
  'import.changes',
  'import.problems',
  'import.problemsExport',
  'import.discard',
  // A fee run's preview, its lines and warnings are on the server too (its jobs ran there).
  'fee.runList',
  'fee.runGet',
  'fee.runLines',
  'fee.runWarnings',
  'fee.runDiscard',
  // A card's change history: the replica's change log holds every workstation's changes.
  'person.history',
  // A document's content is kept on the server (never in the feed): attached there from the upload that
  // reached it, opened there under the user's grants for the person (docs/foi.md "Documents").
  'document.add',
  'document.open',
  // The FOI extract, its decision letter and the disclosure render documents: made where their content is;
  // so is a gathered document's page shown for the review.
  'foi.extract',
  'foi.documentPage',
  'foi.decisionLetter',
  'foi.disclose',
]);
const auditBody = z.object({ entries: z.array(shippedEntry).min(1).max(2000) }).strict();
const callBody = z.object({ method: z.string().max(100), input: z.unknown().optional() }).strict();
/**
 * Bulk work a joined workstation hands to the server (docs/sync.md "Bulk work"): run there as a job, to its
 * end, in one PostgreSQL transaction. An import's file reaches the server first (POST /sync/files).
 */
export const SERVER_JOBS = new Set(['rollover.commit', 'import.start', 'import.apply', 'fee.runStart', 'fee.runLock']);
const baseEntry = z.union([z.object({ seq: z.number().int().min(0) }).strict(), z.object({ mutation: uuid }).strict()]);
const pushBody = z
  .object({
    mutations: z
      .array(
        z
          .object({
            id: uuid,
            method: z.string().max(100),
            input: z.unknown(),
            base: z.record(z.string().max(200), baseEntry),
          })
          .strict(),
      )
      .min(1)
      .max(500),
  })
  .strict();
const jobParams = z.object({ id: uuid }).strict();
const fileQuery = z
  .object({
    kind: z.string().refine(isUploadKind, 'must be navet, freg or csv'),
    name: z.string().min(1).max(255),
  })
  .strict();
const recordsBody = z.object({ aggregates: z.array(z.string().min(1).max(200)).min(1).max(200) }).strict();
const feedQuery = z
  .object({
    subscriber: z.string().min(8).max(100),
    cursor: z.coerce.number().int().min(0),
    limit: z.coerce.number().int().min(1).max(20_000).optional(),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const first = r.error.issues[0]!;
  const at = first.path.join('.') || 'body';
  throw new ApiError(400, 'malformed', `${at}: ${first.message}`);
}

export interface SyncRouteOptions {
  engine: Engine;
  sessions?: Sessions;
  /** Sign-in attempts per client address per minute (default 10). */
  signInPerMinute?: number;
  /** Seconds between keep-alive comments on the event stream (default 15). */
  heartbeatSeconds?: number;
  /** Least milliseconds between two head announcements on one event stream (default 20). */
  announceMs?: number;
}

export function syncRoutes(opts: SyncRouteOptions): RouteRegistrar {
  return (app: FastifyInstance) => {
    const { engine } = opts;
    const sessions = opts.sessions ?? new Sessions();
    const limiter = new AttemptLimiter(opts.signInPerMinute ?? 10, 60_000);

    const session = (request: FastifyRequest): SyncSession => {
      const h = request.headers.authorization;
      const token = h?.startsWith('Bearer ') ? h.slice(7).trim() : null;
      const s = token ? sessions.get(token) : null;
      if (!s) throw new ApiError(401, 'unauthenticated', 'Sign in first.');
      request.accountId = s.conn.session.actor?.id ?? s.conn.session.account?.id ?? null;
      return s;
    };

    /** The signed-in user of a session (a locked or half-signed-in session may not move files). */
    const signedIn = (s: SyncSession): string => {
      engine.core.auth.refresh(s.conn.session);
      const id = s.conn.session.state === 'signed_in' ? s.conn.session.actor?.id : undefined;
      if (!id) throw new ApiError(401, 'unauthenticated', 'Sign in first.');
      return id;
    };

    app.post('/auth/sign-in', async (request, reply) => {
      const ip = request.ip;
      const wait = limiter.take(ip);
      if (wait) {
        void reply.header('retry-after', String(wait));
        throw new ApiError(429, 'rate_limited', `Too many sign-in attempts; try again in ${wait} s.`);
      }
      const body = parse(signInBody, request.body);
      const conn = engine.core.connect(body.workstation);
      const result = await engine.call(conn, 'auth.signIn', { username: body.username, password: body.password });
      if (!result.ok) return { token: null, result };
      return { token: sessions.open(conn), result };
    });

    app.post('/auth/call', async (request) => {
      const s = session(request);
      const body = parse(callBody, request.body);
      s.touch();
      if (!SERVER_CALLS.has(body.method)) throw new ApiError(400, 'malformed', `method: ${body.method.slice(0, 60)} is not a server call`);
      const result = await engine.call(s.conn, body.method, body.input ?? {});
      if (body.method === 'auth.signOut' || s.conn.session.state === 'signed_out') sessions.close(s);
      return { result };
    });

    app.post('/sync/job', async (request) => {
      const s = session(request);
      const body = parse(callBody, request.body);
      s.touch();
      if (!SERVER_JOBS.has(body.method)) throw new ApiError(400, 'malformed', `method: ${body.method.slice(0, 60)} does not run as a server job`);
      const { result, job } = await engine.startJob(s.conn, body.method, body.input ?? {});
      return { result, job };
    });

    app.get('/sync/jobs/:id', async (request) => {
      const s = session(request);
      const { id } = parse(jobParams, request.params);
      s.touch();
      return { result: await engine.jobView(s.conn, id) };
    });

    app.post('/sync/jobs/:id/cancel', async (request) => {
      const s = session(request);
      const { id } = parse(jobParams, request.params);
      s.touch();
      return { result: await engine.cancelJob(s.conn, id) };
    });

    // A population file, streamed to the server's file store as the user's own upload (the import job reads
    // it there). Its size limit is its kind's, checked while it streams.
    app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
    app.post('/sync/files', async (request, reply) => {
      const s = session(request);
      const q = parse(fileQuery, request.query);
      s.touch();
      const owner = signedIn(s);
      if ((request.headers['content-type'] ?? '').split(';')[0]!.trim() !== 'application/octet-stream') {
        throw new ApiError(415, 'malformed', 'content-type: a file is sent as application/octet-stream');
      }
      try {
        const f = await engine.core.services.files.receive({ kind: q.kind, ownerId: owner, name: q.name, source: request.body as AsyncIterable<Buffer> });
        return { fileId: f.id, name: f.name, size: f.size };
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        void reply.header('connection', 'close');
        const err = domainErrorToApi(e);
        throw new ApiError(e.field === 'file' ? 413 : 400, err.code === 'validation' && e.field === 'file' ? 'too_large' : err.code, err.message);
      }
    });

    // A file the server made for this user (an import's problem list): only its owner, as an attachment.
    app.get('/sync/files/:id', async (request, reply) => {
      const s = session(request);
      const { id } = parse(jobParams, request.params);
      s.touch();
      const owner = signedIn(s);
      let opened: ReturnType<typeof engine.core.services.files.read>;
      try {
        opened = engine.core.services.files.read(id, owner);
      } catch (e) {
        if (e instanceof DomainError) throw new ApiError(404, 'not_found', 'No such file');
        throw e;
      }
      void reply
        .header('content-type', opened.file.mime)
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(opened.file.name)}`);
      return reply.send(opened.stream);
    });

    app.post('/sync/push', async (request) => {
      const s = session(request);
      const body = parse(pushBody, request.body);
      s.touch();
      const answers = [];
      for (const m of body.mutations) answers.push(await engine.push(s.conn, m));
      return { answers };
    });

    app.get('/sync/feed', async (request) => {
      const s = session(request);
      const q = parse(feedQuery, request.query);
      s.touch();
      const page = await engine.feed(s.conn, q);
      if ('error' in page) throw new ApiError(page.error.code === 'forbidden' ? 403 : 401, page.error.code, page.error.message);
      return page;
    });

    app.post('/sync/records', async (request) => {
      const s = session(request);
      const body = parse(recordsBody, request.body);
      s.touch();
      const r = await engine.records(s.conn, body.aggregates);
      if ('error' in r) throw new ApiError(401, r.error.code, r.error.message);
      return r;
    });

    app.post('/sync/audit', async (request) => {
      const s = session(request);
      const body = parse(auditBody, request.body);
      s.touch();
      // The workstation is the one the session signed in from, never a name the body could choose.
      const r = await engine.shipWorkstationAudit(s.conn, { workstation: s.conn.session.workstation, entries: body.entries });
      if ('error' in r) throw new ApiError(401, r.error.code, r.error.message);
      return r;
    });

    app.get('/sync/events', (request: FastifyRequest, reply: FastifyReply) => {
      const s = session(request);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        // Reverse proxies (nginx) buffer responses by default; the stream must pass at once.
        'x-accel-buffering': 'no',
      });
      const write = (head: number) => res.write(`event: head\ndata: ${JSON.stringify({ head })}\n\n`);
      void engine.head().then(write, () => undefined);
      // A quiet stream hears of a commit at once; a burst of commits (a job's batches, many clerks saving)
      // at most every `announceMs`, with the latest head: a workstation pulls to the head anyway. Kept short:
      // at 100 ms a clerk's save waited for the interval behind the one before (sync bench: round trip
      // p50 97 ms against 25 ms without it).
      const announce = new Throttle(opts.announceMs ?? 20, write);
      const offHead = engine.onCommit((head) => announce.push(head));
      // The user's own server jobs, step by step (counts and phases, no personal data: shared/domain/events.ts).
      const offJob = engine.onJob((userId, job) => {
        if (userId === s.conn.session.actor?.id) res.write(`event: job\ndata: ${JSON.stringify(job)}\n\n`);
      });
      const off = () => {
        offHead();
        offJob();
      };
      const beat = setInterval(() => {
        s.touch();
        res.write(': keep-alive\n\n');
      }, (opts.heartbeatSeconds ?? 15) * 1000);
      const end = () => {
        off();
        announce.stop();
        clearInterval(beat);
      };
      request.raw.on('close', end);
      s.onClose(() => {
        end();
        res.end();
      });
    });
  };
}

/**
 * Passes the latest value on at once when the last one went out at least `ms` ago, else once `ms` after
 * it (leading and trailing): values in between are replaced by the newest.
 */
export class Throttle<T> {
  private last = 0;
  private timer: NodeJS.Timeout | null = null;
  private latest: { v: T } | null = null;
  constructor(
    private readonly ms: number,
    private readonly out: (v: T) => void,
  ) {}

  push(v: T, now = Date.now()): void {
    if (this.timer) {
      this.latest = { v };
      return;
    }
    const wait = this.last + this.ms - now;
    if (wait <= 0) {
      this.last = now;
      this.out(v);
      return;
    }
    this.latest = { v };
    this.timer = setTimeout(() => {
      this.timer = null;
      const l = this.latest;
      this.latest = null;
      if (l) {
        this.last = Date.now();
        this.out(l.v);
      }
    }, wait);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.latest = null;
  }
}

/** A sliding count of attempts per key (client address): at most `max` per `windowMs`. */
class AttemptLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Records an attempt; returns 0 when allowed, else the seconds until the next one is. */
  take(key: string, now = Date.now()): number {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length >= this.max) {
      this.hits.set(key, list);
      return Math.ceil((list[0]! + this.windowMs - now) / 1000);
    }
    list.push(now);
    this.hits.set(key, list);
    if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (!v.some((t) => t > now - this.windowMs)) this.hits.delete(k);
    return 0;
  }
}
