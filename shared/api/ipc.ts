/**
 * Messages between the Electron main process and the core running in a utilityProcess.
 * The core side lives in core/worker/utility.ts; the main side in electron/.
 * The renderer never sees these: it talks to `window.kansli.call()` (preload → ipcMain → core).
 */
import type { CallResult } from './transport';

/** IPC channel the preload invokes; main validates the sender frame before relaying. */
export const IPC_CHANNEL_CALL = 'kansli:call';

export interface CoreRequest {
  type: 'call';
  id: number;
  method: string;
  input: unknown;
  /** Identifies the workstation/window for the audit log (filled by main, never by the renderer). */
  origin: { kind: 'electron'; windowId: number };
}
export interface CoreResponse {
  type: 'result';
  id: number;
  result: CallResult;
}
export interface CoreReady {
  type: 'ready';
}
export interface CoreInit {
  type: 'init';
  /** Absolute path to the data folder (Electron: app.getPath('userData')/data). */
  dataDir: string;
  /** Seed demo data into an empty database on first start. */
  seedDemo: boolean;
}
/** Close the database cleanly (checkpoint the WAL) and exit; main kills the process if it has not gone in 2 s. */
export interface CoreShutdown {
  type: 'shutdown';
}
/**
 * The OS locked the screen or went to sleep: the core locks every signed-in session itself, so the lock
 * does not depend on the renderer reacting to its own notice.
 */
export interface CoreLockAll {
  type: 'lock-all';
}
export type MainToCore = CoreRequest | CoreInit | CoreShutdown | CoreLockAll;
export type CoreToMain = CoreResponse | CoreReady;
