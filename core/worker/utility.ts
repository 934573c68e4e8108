/**
 * Entry of the core inside Electron's utilityProcess: the database and all domain work run here, off the
 * UI thread and outside the main process. It speaks shared/api/ipc.ts over process.parentPort.
 * No electron import: parentPort is a property Electron puts on `process` in a utility process.
 */
import type { CoreToMain, MainToCore } from '../../shared/api/ipc';
import { hostname } from 'node:os';
import { createCore, dataPaths, type Connection, type Core } from '../app';

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
// One sign-in session per window: main fills `origin` from the sender, never from the renderer.
const connections = new Map<number, Connection>();
function connectionFor(c: Core, windowId: number): Connection {
  let conn = connections.get(windowId);
  if (!conn) connections.set(windowId, (conn = c.connect(`${hostname()} window ${windowId}`)));
  return conn;
}
parentPort.on('message', ({ data }) => {
  if (data.type === 'init') {
    const { dbPath, logDir } = dataPaths(data.dataDir);
    core = createCore({ dbPath, logDir, seed: data.seedDemo ? { country: 'SE', persons: 10000 } : false });
    parentPort.postMessage({ type: 'ready' });
    return;
  }
  if (data.type === 'shutdown') {
    core?.close();
    core = null;
    process.exit(0);
  }
  if (data.type === 'lock-all') {
    if (core) for (const conn of connections.values()) core.auth.lock(conn.session);
    return;
  }
  if (data.type === 'call') {
    const result = core
      ? connectionFor(core, data.origin.windowId).call(data.method, data.input)
      : ({ ok: false, error: { code: 'internal', message: 'Core not initialised' } } as const);
    parentPort.postMessage({ type: 'result', id: data.id, result });
  }
});
process.on('exit', () => core?.close());
