/**
 * sync.join, the first-start screen's way to join a server: only on a workstation without accounts, only
 * where the host can restart the core, only to an address that answers as a Kansli server; the host's hook
 * runs after the answer. And the host's part: the browser host swaps its core for one on the encrypted cache.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, dataPaths } from '../app';
import { fixedClock } from '../context';
import { FileKeyStore } from '../keys/keystore';
import { isPlainDatabase } from './join';

let scratch: string;
let health: Server;
let healthUrl: string;
let silent: Server;
let silentUrl: string;
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'kansli-join-'));
  // Something that answers like a Kansli server's /health, and something that answers but is not one.
  health = createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.url === '/health' ? { status: 'ok', epoch: '3f0c1e2a-0000-4000-8000-000000000001', schema: 4 } : {}));
  });
  silent = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>a router</html>');
  });
  await new Promise<void>((r) => health.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}`;
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(() => {
  health.close();
  silent.close();
  rmSync(scratch, { recursive: true, force: true });
});

function fresh(name: string, onJoin?: (server: string) => void, persons = 0) {
  const { dbPath } = dataPaths(join(scratch, name));
  const core = createCore({
    dbPath,
    clock: fixedClock('2026-12-04'),
    seed: persons ? { country: 'SE', persons, seed: 2, today: '2026-12-04' } : false,
    keyStore: new FileKeyStore(join(scratch, name, 'keys')),
    auditAnchorPath: null,
    auditPendingPath: null,
    ...(onJoin ? { onJoin } : {}),
  });
  return { core, conn: core.connect(name), dbPath };
}

describe('sync.join', () => {
  it('on a new workstation: an address that is not a server is named, one that does not answer is offline, a server is joined through the host', async () => {
    const joined: string[] = [];
    const { core, conn } = fresh('new', (s) => joined.push(s));
    try {
      expect(await conn.callAsync('sync.join', { server: 'kansli.kommun.se' })).toMatchObject({ ok: false, error: { code: 'validation', field: 'server' } });
      expect(await conn.callAsync('sync.join', { server: silentUrl })).toMatchObject({ ok: false, error: { code: 'validation', field: 'server' } });
      expect(await conn.callAsync('sync.join', { server: 'http://127.0.0.1:9' })).toMatchObject({ ok: false, error: { code: 'offline', field: 'server' } });
      expect(joined).toEqual([]);
      expect(await conn.callAsync('sync.join', { server: `${healthUrl}/some/path` })).toEqual({ ok: true, data: { server: healthUrl, joined: true } });
      expect(joined).toEqual([healthUrl]);
    } finally {
      core.close();
    }
  });

  it('is refused once the workstation has accounts, and where the host cannot restart the core', async () => {
    const demo = fresh('demo', () => undefined, 30);
    try {
      expect(await demo.conn.callAsync('sync.join', { server: healthUrl })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      demo.core.close();
    }
    const bare = fresh('bare');
    try {
      expect(await bare.conn.callAsync('sync.join', { server: healthUrl })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    } finally {
      bare.core.close();
    }
  });
});

describe('the browser host swaps its core for the joined cache', () => {
  it('answers the call, then serves every session from a core on the encrypted cache', async () => {
    const { startHost } = await import('../host/server');
    const { joinServer, databaseKey } = await import('./join');
    const dir = join(scratch, 'host');
    const keyStore = new FileKeyStore(join(dir, 'keys'));
    const { dbPath } = dataPaths(dir);
    const open = (key?: Buffer) =>
      createCore({ dbPath, clock: fixedClock('2026-12-04'), seed: false, keyStore, auditAnchorPath: null, auditPendingPath: null, ...(key ? { dbKey: key } : { onJoin }) });
    let host: Awaited<ReturnType<typeof startHost>> | null = null;
    let swapped: Promise<void> | null = null;
    function onJoin(server: string) {
      swapped = host!.replaceCore(async (old) => {
        old.close();
        await joinServer({ dbPath, server, keyStore, replaceLocal: true });
        return open(databaseKey(dbPath, keyStore).key);
      });
    }
    host = await startHost({ core: open(), rendererDir: join(scratch, 'no-renderer') });
    try {
      // The one-time link gives the cookie; the API then answers as the browser would call it.
      const auth = await fetch(host.url, { redirect: 'manual' });
      const cookie = auth.headers.get('set-cookie')!.split(';')[0]!;
      const origin = `http://127.0.0.1:${host.port}`;
      const call = async (method: string, input: unknown) =>
        (await (await fetch(`${origin}/api/${method}`, { method: 'POST', headers: { cookie, origin, 'content-type': 'application/json' }, body: JSON.stringify(input) })).json()) as {
          ok: boolean;
          data?: Record<string, unknown>;
        };
      expect((await call('auth.status', {})).data).toMatchObject({ state: 'setup' });
      expect(await call('sync.join', { server: healthUrl })).toEqual({ ok: true, data: { server: healthUrl, joined: true } });
      // The next call waits for the swap and is answered by the joined core.
      expect((await call('sync.status', {})).ok).toBe(false);
      await swapped;
      expect(isPlainDatabase(dbPath)).toBe(false);
      expect(host.core().sync).toBeTruthy();
      expect((await call('auth.status', {})).data).toMatchObject({ state: 'signed_out' });
    } finally {
      await host.close();
      host.core().sync?.close();
      host.core().close();
    }
  });
});
