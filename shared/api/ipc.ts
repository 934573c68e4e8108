/**
 * Messages between the Electron main process and the core running in a utilityProcess.
 * The core side lives in core/worker/utility.ts; the main side in electron/.
 * The renderer never sees these: it talks to `window.kansli.call()` (preload → ipcMain → core).
 */
import type { CoreEvent } from '../domain/events';
import type { UploadKind } from '../domain/files';
import type { CallResult } from './transport';

/** IPC channel the preload invokes; main validates the sender frame before relaying. */
export const IPC_CHANNEL_CALL = 'kansli:call';

export interface CoreRequest {
  type: 'call';
  id: number;
  method: string;
  input: unknown;
  /** The renderer's id for a write (see CallMeta in core/api/dispatch.ts); checked to be a UUID by main. */
  mutationId?: string;
  /** Identifies the workstation/window for the audit log (filled by main, never by the renderer). */
  origin: { kind: 'electron'; windowId: number };
}
/**
 * File operations main asks of the core after the user chose a path in a native dialog. The path comes
 * from the dialog in main, never from the renderer; the core checks the file id belongs to the window's user.
 * Answered like a call (a CallResult under the same id).
 */
export type CoreFileRequest =
  | { type: 'file'; id: number; op: 'upload'; kind: UploadKind; path: string; origin: { kind: 'electron'; windowId: number } }
  | { type: 'file'; id: number; op: 'info'; fileId: string; origin: { kind: 'electron'; windowId: number } }
  | { type: 'file'; id: number; op: 'save'; fileId: string; path: string; origin: { kind: 'electron'; windowId: number } };
/** An event for one window's session (job progress, a lock). */
export interface CoreEventMessage {
  type: 'event';
  windowId: number;
  event: CoreEvent;
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
  /**
   * The keys the core needs (by name, 32 bytes each: core/keys/keystore.ts), resolved by main from the OS
   * keystore, which the utility process cannot reach. Only here: never in argv, the environment or a log.
   */
  keys: Record<string, Uint8Array>;
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
export type MainToCore = CoreRequest | CoreFileRequest | CoreInit | CoreShutdown | CoreLockAll;
export type CoreToMain = CoreResponse | CoreReady | CoreEventMessage;
