/**
 * Joining a workstation to a central server (`kansli server join URL`, and the first-start screen):
 * the workstation's database becomes a cache of the server's register (docs/sync.md "Shape").
 *
 * - The server must answer its health check (so a typo in the address is caught now, not at sign-in).
 * - A cache is a new database, encrypted from its first page with the keystore's `cache-db` key (an
 *   existing plain file cannot be made to forget what it held: freed pages keep old data).
 * - A workstation that holds a standalone register is not silently emptied: the clerk moves it into the
 *   server once (`kansli server import` on the server), then joins with `replaceLocal`, which keeps the old
 *   file beside the cache under a dated name rather than deleting it.
 */
import { closeSync, existsSync, openSync, readSync, renameSync } from 'node:fs';
import { openDatabase } from '../../db/open';
import { KEY_NAMES, keyFor, type KeyStore } from '../keys/keystore';

export class JoinError extends Error {
  constructor(
    readonly problem: 'unreachable' | 'not_kansli' | 'has_register' | 'already_joined' | 'bad_url',
    message: string,
  ) {
    super(message);
    this.name = 'JoinError';
  }
}

export interface JoinOptions {
  dbPath: string;
  server: string;
  keyStore: KeyStore;
  /** Keep an existing standalone database aside (renamed) instead of refusing. */
  replaceLocal?: boolean;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** The server's origin if it answers its health check as a Kansli server that is up; else a JoinError. */
export async function checkServer(address: string, fetchFn: typeof fetch = fetch): Promise<{ server: string; epoch: string }> {
  let url: URL;
  try {
    url = new URL(address);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol');
  } catch {
    throw new JoinError('bad_url', `Not a server address: ${address.slice(0, 200)} (expected https://host[:port])`);
  }
  const server = url.origin;
  let res: Response;
  try {
    res = await fetchFn(new URL('/health', server), { signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new JoinError('unreachable', `The server at ${server} does not answer (${(e as Error).message})`);
  }
  // Something answered: a Kansli server's health check is JSON with its status and epoch.
  let health: { status?: string; epoch?: string } = {};
  try {
    health = (await res.json()) as { status?: string; epoch?: string };
  } catch {
    // Not JSON: not a Kansli server (a router's page, another service).
  }
  if (health.status !== 'ok' || !health.epoch) throw new JoinError('not_kansli', `${server} is not a Kansli server that is up (its /health said ${JSON.stringify(health).slice(0, 200)})`);
  return { server, epoch: health.epoch };
}

export async function joinServer(o: JoinOptions): Promise<{ server: string; epoch: string; keptAside: string | null }> {
  const { server, epoch } = await checkServer(o.server, o.fetch);
  let keptAside: string | null = null;
  if (existsSync(o.dbPath)) {
    const o2 = openDatabase(o.dbPath, { backup: false, ...databaseKey(o.dbPath, o.keyStore) });
    try {
      const joined = o2.sqlite.prepare(`SELECT value FROM app_meta WHERE key = 'sync.server'`).pluck().get() as string | undefined;
      if (joined) throw new JoinError('already_joined', `This workstation is already joined to ${joined}`);
      const persons = (o2.sqlite.prepare('SELECT count(*) AS n FROM person').get() as { n: number }).n;
      if (persons > 0 && !o.replaceLocal) {
        throw new JoinError(
          'has_register',
          `This workstation holds a standalone register (${persons} persons). Move it into the server once (kansli server import ${o.dbPath} on the server), then join again with --replace-local, which keeps this file aside.`,
        );
      }
    } catch (e) {
      o2.close();
      throw e;
    }
    o2.close();
    const stamp = (o.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    keptAside = o.dbPath.replace(/\.sqlite$/, '') + `.standalone-${stamp}.sqlite`;
    renameSync(o.dbPath, keptAside);
    for (const ext of ['-wal', '-shm']) if (existsSync(o.dbPath + ext)) renameSync(o.dbPath + ext, keptAside + ext);
  }
  const cache = openDatabase(o.dbPath, { backup: false, key: keyFor(o.keyStore, KEY_NAMES.cacheDb) });
  try {
    cache.sqlite.prepare(`INSERT INTO app_meta (key, value) VALUES ('sync.server', ?)`).run(server);
  } finally {
    cache.close();
  }
  return { server, epoch, keptAside };
}

/** Whether the file is a plain SQLite database (its header is readable), not an encrypted one. */
export function isPlainDatabase(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(16);
    readSync(fd, b, 0, 16, 0);
    return b.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}

/** The key to open `path` with: the cache key for an encrypted file, none for a plain one or a new file. */
export function databaseKey(path: string, store: KeyStore): { key?: Buffer } {
  if (!existsSync(path) || isPlainDatabase(path)) return {};
  const key = store.get(KEY_NAMES.cacheDb);
  return key ? { key } : {};
}
