/**
 * Sandboxed preload: the renderer's only door to the application.
 * Exposes exactly `window.kansli.call(method, input)` and `window.kansliEvents.onOsLock(cb)`.
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
import { checkCallArgs, IPC_CHANNEL_OS_LOCK, type KansliEvents, type OsLockReason } from './call-guard';

async function call(method: string, input: unknown): Promise<CallResult> {
  // Checked here for a fast, clear error; main checks again because it trusts nothing from here.
  const check = checkCallArgs(method, input, METHOD_NAMES);
  if (!check.ok) return { ok: false, error: { code: check.code, message: check.message } };
  try {
    return (await ipcRenderer.invoke(IPC_CHANNEL_CALL, method, input)) as CallResult;
  } catch {
    return { ok: false, error: { code: 'internal', message: 'the call could not be delivered' } };
  }
}

const kansli: KansliBridge = { call };

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
};

contextBridge.exposeInMainWorld('kansli', kansli);
contextBridge.exposeInMainWorld('kansliEvents', kansliEvents);
