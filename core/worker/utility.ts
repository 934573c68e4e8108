/**
 * Entry of the core inside Electron's utilityProcess: the database and all domain work run here, off the
 * UI thread and outside the main process (long jobs run in worker threads of this process). It speaks
 * shared/api/ipc.ts over process.parentPort.
 * No electron import: parentPort is a property Electron puts on `process` in a utility process.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { hostname } from 'node:os';
import type { CoreToMain, MainToCore } from '../../shared/api/ipc';
import type { CallResult } from '../../shared/api/transport';
import { DomainError } from '../../shared/api/errors';
import { isUploadKind } from '../../shared/domain/files';
import { domainErrorToApi } from '../api/dispatch';
import { createCore, dataPaths, type Connection, type Core } from '../app';
import { seedDemoPopulationFiles } from '../imports/demo';
import { HandedKeyStore } from '../keys/keystore';
import { databaseKey, joinServer } from '../sync/join';

interface ParentPort {
  on(event: 'message', listener: (e: { data: MainToCore }) => void): void;
  postMessage(message: CoreToMain): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  process.stderr.write('core/worker/utility: must run inside an Electron utilityProcess\n');
  process.exit(1);
}

let core: Core | null = null;
let swapping: Promise<void> | null = null;
// One sign-in session per window: main fills `origin` from the sender, never from the renderer.
const connections = new Map<number, Connection>();
function connectionFor(c: Core, windowId: number): Connection {
  let conn = connections.get(windowId);
  if (!conn) {
    connections.set(windowId, (conn = c.connect(`${hostname()} window ${windowId}`)));
    conn.onEvent((event) => parentPort!.postMessage({ type: 'event', windowId, event }));
  }
  return conn;
}

/** The window's signed-in user, for file operations (which are not contract calls). */
function ownerOf(c: Core, windowId: number): string {
  const s = connectionFor(c, windowId).session;
  if (s.state !== 'signed_in' || !s.actor) throw new DomainError('unauthenticated', 'Sign in first');
  return s.actor.id;
}

async function fileOp(c: Core, data: Extract<MainToCore, { type: 'file' }>): Promise<CallResult> {
  try {
    const owner = ownerOf(c, data.origin.windowId);
    if (data.op === 'upload') {
      if (!isUploadKind(data.kind)) throw new DomainError('validation', 'Unknown upload kind', 'kind');
      const f = await c.services.files.receivePath({ kind: data.kind, ownerId: owner, path: data.path, name: basename(data.path) });
      return { ok: true, data: { fileId: f.id, name: f.name, size: f.size } };
    }
    if (data.op === 'info') {
      const f = c.services.files.get(data.fileId, owner);
      return { ok: true, data: { fileId: f.id, name: f.name, mime: f.mime, size: f.size } };
    }
    const f = await c.services.files.copyTo(data.fileId, owner, data.path);
    return { ok: true, data: { fileId: f.id, name: f.name, size: f.size } };
  } catch (e) {
    if (e instanceof DomainError) return { ok: false, error: domainErrorToApi(e) };
    c.logger.error('file_op_failed', e, { op: data.op });
    return { ok: false, error: { code: 'internal', message: 'The file could not be handled' } };
  }
}

const port: ParentPort = parentPort;
port.on('message', ({ data }) => handle(data));

function handle(data: MainToCore): void {
  const parentPort = port;
  if (data.type === 'init') {
    const { dbPath, logDir } = dataPaths(data.dataDir);
    const keyStore = new HandedKeyStore(data.keys);
    // A joined workstation's cache is encrypted with the keystore's cache key; nothing is seeded there.
    const open = (dbKey: Buffer | undefined): Core =>
      createCore({
        dbPath,
        logDir,
        keyStore,
        ...(dbKey ? { dbKey } : { onJoin }),
        seed: data.seedDemo && !dbKey ? { country: 'SE', persons: 10000, incomes: true, foiRequests: true } : false,
      });
    // Joining from the first-start screen (sync.join): once the call has answered, this core closes, the
    // encrypted cache is made (the empty standalone file kept aside) and the core opens on it; calls wait.
    const onJoin = (server: string) => {
      swapping = (async () => {
        await new Promise((r) => setTimeout(r, 50));
        core?.close();
        core = null;
        connections.clear();
        try {
          await joinServer({ dbPath, server, keyStore, replaceLocal: true });
        } catch (e) {
          process.stderr.write(`core/worker/utility: joining ${server} failed: ${e instanceof Error ? e.message : String(e)}\n`);
        }
        core = open(databaseKey(dbPath, keyStore).key);
      })().finally(() => {
        swapping = null;
      });
    };
    const c = (core = open(databaseKey(dbPath, keyStore).key));
    // A new demo database also gets the population register's files (the applied full file and a delta).
    const files = c.ctx.demo && !existsSync(join(data.dataDir, 'demo-population')) ? seedDemoPopulationFiles(c.ctx.sqlite, { dataDir: data.dataDir, today: c.ctx.clock.today(), now: c.ctx.clock.now() }) : Promise.resolve();
    void files.catch((e: unknown) => c.logger.error('demo_population_files_failed', e)).then(() => parentPort.postMessage({ type: 'ready' }));
    return;
  }
  if (data.type === 'shutdown') {
    core?.close();
    core = null;
    process.exit(0);
  }
  if (data.type === 'lock-all') {
    core?.lockAll('os');
    return;
  }
  if (data.type === 'call' && swapping) {
    // The core is being swapped (joining a server): the call goes to the new one.
    void swapping.then(() => handle(data));
    return;
  }
  if (data.type === 'call') {
    const c = core;
    if (!c) {
      parentPort.postMessage({ type: 'result', id: data.id, result: { ok: false, error: { code: 'internal', message: 'Core not initialised' } } });
      return;
    }
    void connectionFor(c, data.origin.windowId)
      .callAsync(data.method, data.input, data.mutationId ? { mutationId: data.mutationId } : {})
      .then((result) => parentPort.postMessage({ type: 'result', id: data.id, result }));
    return;
  }
  if (data.type === 'file') {
    const c = core;
    if (!c) {
      parentPort.postMessage({ type: 'result', id: data.id, result: { ok: false, error: { code: 'internal', message: 'Core not initialised' } } });
      return;
    }
    void fileOp(c, data).then((result) => parentPort.postMessage({ type: 'result', id: data.id, result }));
  }
}
process.on('exit', () => core?.close());
