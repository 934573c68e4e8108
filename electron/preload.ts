/**
 * Sandboxed preload: the renderer's only door to the application.
 * Exposes exactly `window.kansli.call(method, input, opts?)`, `window.kansliEvents.onOsLock(cb)` /
 * `onEvent(cb)` and `window.kansliFiles.open(kind)` / `save(fileId)` (native dialogs run in main).
 * No ipcRenderer, no Node, no Electron objects cross the bridge (the IPC event object, which
 * carries `sender`, is dropped before the callback runs).
 *
 * Bundled to one CommonJS file for the browser platform (scripts/build-electron.mjs): a sandboxed
 * preload can `require('electron')` and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { METHOD_NAMES } from '../shared/api/methods';
import { IPC_CHANNEL_CALL } from '../shared/api/ipc';
import type { CallResult, KansliBridge } from '../shared/api/transport';
import {
  checkCallArgs,
  checkCallOptions,
  IPC_CHANNEL_EVENT,
  IPC_CHANNEL_FILE_OPEN,
  IPC_CHANNEL_FILE_SAVE,
  IPC_CHANNEL_OS_LOCK,
  isUuid,
  type KansliEvents,
  type KansliFiles,
  type OsLockReason,
} from './call-guard';

async function call(method: string, input: unknown, opts?: { mutationId?: string }): Promise<CallResult> {
  // Checked here for a fast, clear error; main checks again because it trusts nothing from here.
  const check = checkCallArgs(method, input, METHOD_NAMES);
  if (!check.ok) return { ok: false, error: { code: check.code, message: check.message } };
  const o = checkCallOptions(opts);
  if (!o.ok) return { ok: false, error: { code: 'validation', message: o.message } };
  try {
    return (await ipcRenderer.invoke(IPC_CHANNEL_CALL, method, input, o.mutationId ? { mutationId: o.mutationId } : undefined)) as CallResult;
  } catch {
    return { ok: false, error: { code: 'internal', message: 'the call could not be delivered' } };
  }
}

const kansli: KansliBridge = { call };

const undelivered = { ok: false as const, error: { code: 'internal', message: 'the request could not be delivered' } };
const kansliFiles: KansliFiles = {
  async open(kind) {
    if (typeof kind !== 'string' || kind.length > 20) return { ok: false, error: { code: 'validation', message: 'unknown upload kind' } };
    try {
      return (await ipcRenderer.invoke(IPC_CHANNEL_FILE_OPEN, kind)) as Awaited<ReturnType<KansliFiles['open']>>;
    } catch {
      return undelivered;
    }
  },
  async save(fileId) {
    if (!isUuid(fileId)) return { ok: false, error: { code: 'validation', message: 'not a file id' } };
    try {
      return (await ipcRenderer.invoke(IPC_CHANNEL_FILE_SAVE, fileId)) as Awaited<ReturnType<KansliFiles['save']>>;
    } catch {
      return undelivered;
    }
  },
};

const kansliEvents: KansliEvents = {
  onOsLock(cb) {
    if (typeof cb !== 'function') throw new TypeError('onOsLock expects a function');
    const listener = (_event: unknown, reason: unknown): void => {
      cb((reason === 'suspend' ? 'suspend' : 'lock-screen') satisfies OsLockReason);
    };
    ipcRenderer.on(IPC_CHANNEL_OS_LOCK, listener);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNEL_OS_LOCK, listener);
    };
  },
  onEvent(cb) {
    if (typeof cb !== 'function') throw new TypeError('onEvent expects a function');
    // Only the event crosses: never the IPC event object (it carries `sender`).
    const listener = (_event: unknown, e: unknown): void => cb(e);
    ipcRenderer.on(IPC_CHANNEL_EVENT, listener);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNEL_EVENT, listener);
    };
  },
};

contextBridge.exposeInMainWorld('kansli', kansli);
contextBridge.exposeInMainWorld('kansliEvents', kansliEvents);
contextBridge.exposeInMainWorld('kansliFiles', kansliFiles);
