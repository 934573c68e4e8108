/**
 * The desktop shell: window, app:// protocol, session hardening, IPC relay to the core.
 * No business logic lives here. Every decision is a function in ./security.ts (unit-tested);
 * this file only attaches those functions to Electron's hooks. See docs/security.md.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  shell,
  utilityProcess,
  type MenuItemConstructorOptions,
  type Session,
  type WebContents,
  type BrowserWindowConstructorOptions,
  type IpcMainInvokeEvent,
} from 'electron';
import { isUploadKind, UPLOAD_KINDS } from '../shared/domain/files';
import { METHOD_NAMES } from '../shared/api/methods';
import { IPC_CHANNEL_CALL } from '../shared/api/ipc';
import type { CallResult } from '../shared/api/transport';
import { CoreBridge, type CoreChild } from './core-bridge';
import { coreKeys, SafeStorageKeyStore } from './keystore';
import type { OsLockReason } from './call-guard';
import {
  APP_ORIGIN_URL,
  APP_SCHEME,
  appSchemePrivileges,
  assertSecureWebPreferences,
  buildAppResponse,
  checkCallArgs,
  checkCallOptions,
  downloadDecision,
  safeDownloadName,
  createRootedReader,
  IPC_CHANNEL_EVENT,
  IPC_CHANNEL_FILE_OPEN,
  IPC_CHANNEL_FILE_SAVE,
  IPC_CHANNEL_OS_LOCK,
  isAllowedNavigation,
  isTrustedSender,
  isUuid,
  menuTemplate,
  permissionDecision,
  windowOpenDecision,
} from './security';

// Bundled layout: dist/electron/main.cjs, dist/electron/preload.cjs, dist/renderer/, dist/core/utility.cjs.
const DIST_DIR = path.resolve(__dirname, '..');
const RENDERER_ROOT = path.join(DIST_DIR, 'renderer');
const PRELOAD_PATH = path.join(__dirname, 'preload.cjs');
const CORE_ENTRY = path.join(DIST_DIR, 'core', 'utility.cjs');

const isDev = !app.isPackaged;

// ---- Before ready ---------------------------------------------------------------------------

app.enableSandbox();

// A second instance would open a second writer on the same database: hand over and quit.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Fixed folder name regardless of package.json `name`, so upgrades keep their data.
  app.setPath('userData', path.join(app.getPath('appData'), 'Kansli'));

  protocol.registerSchemesAsPrivileged([appSchemePrivileges()]);

  let mainWindow: BrowserWindow | null = null;
  let bridge: CoreBridge | null = null;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Guards for every webContents the app ever creates (windows, devtools, anything unforeseen).
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));

  app.on('window-all-closed', () => app.quit());

  app.on('before-quit', () => {
    bridge?.dispose();
    bridge = null;
  });

  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession);
    registerAppProtocol();
    Menu.setApplicationMenu(buildMenu());
    // The core's keys come from the OS keystore, which only this process can reach; without a keystore that
    // protects them (Linux's plain-text fallback) Kansli does not start.
    let keys: Record<string, Uint8Array>;
    try {
      const dir = dataDir();
      keys = await coreKeys(new SafeStorageKeyStore(safeStorage, path.join(dir, 'keys')), dir);
    } catch (e) {
      dialog.showErrorBox('Kansli', e instanceof Error ? e.message : String(e));
      app.quit();
      return;
    }
    bridge = startCore(keys, (windowId, event) => {
      // Only to the window the event is for: each window has its own session in the core.
      const win = mainWindow;
      if (win && !win.isDestroyed() && win.id === windowId) win.webContents.send(IPC_CHANNEL_EVENT, event);
    });
    registerIpc(() => mainWindow, () => bridge);
    mainWindow = createWindow();
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    forwardOsLock(() => mainWindow, () => bridge);

    app.on('activate', () => {
      if (mainWindow === null) {
        mainWindow = createWindow();
        mainWindow.on('closed', () => {
          mainWindow = null;
        });
      }
    });
  });
}

// ---- Protocol -------------------------------------------------------------------------------

function registerAppProtocol(): void {
  const reader = createRootedReader(RENDERER_ROOT);
  protocol.handle(APP_SCHEME, async (request) => {
    const res = await buildAppResponse(RENDERER_ROOT, { url: request.url, method: request.method }, reader);
    const body = res.body === null ? null : typeof res.body === 'string' ? res.body : Buffer.from(res.body);
    return new Response(body, { status: res.status, headers: res.headers });
  });
}

// ---- Session --------------------------------------------------------------------------------

function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionDecision(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => permissionDecision(permission));
  ses.setDevicePermissionHandler(() => false);
  if (process.platform !== 'darwin') {
    ses.setBluetoothPairingHandler((_details, callback) => callback({ confirmed: false }));
  }
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  ses.on('select-serial-port', (event, _ports, _wc, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  // Exports are produced and audited by the core; the page may only save such a result (a blob it made),
  // and only where the user chooses in the save dialog.
  ses.on('will-download', (event, item) => {
    if (downloadDecision(item.getURL()) === 'cancel') {
      event.preventDefault();
      return;
    }
    item.setSaveDialogOptions({ title: 'Kansli', defaultPath: safeDownloadName(item.getFilename()) });
  });
  // The renderer talks only to app:// and IPC; no network request may leave the page.
  ses.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'] },
    (_details, callback) => callback({ cancel: true }),
  );
}

function guardWebContents(contents: WebContents): void {
  const denyUnlessApp = (event: { preventDefault(): void }, url: string): void => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => denyUnlessApp(event, event.url));
  contents.on('will-frame-navigate', (event) => denyUnlessApp(event, event.url));
  contents.on('will-redirect', (event) => denyUnlessApp(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternal !== undefined) void shell.openExternal(decision.openExternal);
    return { action: 'deny' };
  });
  contents.on('context-menu', (_event, params) => {
    const items: MenuItemConstructorOptions[] = [];
    for (const suggestion of params.dictionarySuggestions.slice(0, 5)) {
      items.push({ label: suggestion, click: () => contents.replaceMisspelling(suggestion) });
    }
    if (items.length > 0) items.push({ type: 'separator' });
    if (params.isEditable) {
      items.push({ role: 'cut', enabled: params.editFlags.canCut });
      items.push({ role: 'copy', enabled: params.editFlags.canCopy });
      items.push({ role: 'paste', enabled: params.editFlags.canPaste });
      items.push({ role: 'selectAll' });
    } else if (params.selectionText.length > 0) {
      items.push({ role: 'copy' });
    }
    if (items.length > 0) Menu.buildFromTemplate(items).popup();
  });
}

// ---- Window ---------------------------------------------------------------------------------

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(verified({
    width: 1280,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    title: 'Kansli',
    show: false,
    // Written inline for reviewers and static scanners; verified before use (fails closed).
    webPreferences: {
      preload: PRELOAD_PATH,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: true,
      devTools: isDev,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Middle-click would otherwise try to open links in a new window (denied anyway).
      disableBlinkFeatures: 'Auxclick',
    },
  }));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ORIGIN_URL);
  return win;
}

/** Refuses to create a window whose webPreferences were weakened (see security.ts). */
function verified(options: BrowserWindowConstructorOptions): BrowserWindowConstructorOptions {
  assertSecureWebPreferences(options.webPreferences ?? {}, { preloadPath: PRELOAD_PATH, isDev });
  return options;
}

function buildMenu(): Menu {
  return Menu.buildFromTemplate(menuTemplate({ isMac: process.platform === 'darwin', isDev }));
}

function forwardOsLock(getWindow: () => BrowserWindow | null, getBridge: () => CoreBridge | null): void {
  const send = (reason: OsLockReason) => () => {
    getBridge()?.lockAll();
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(IPC_CHANNEL_OS_LOCK, reason);
  };
  powerMonitor.on('lock-screen', send('lock-screen'));
  powerMonitor.on('suspend', send('suspend'));
}

// ---- Core process and IPC -------------------------------------------------------------------

/** Where the core reads SQL migrations: extraResources when packaged, the source tree in dev. */
function migrationsDir(): string {
  return app.isPackaged
    ? path.join(process.resourcesPath, 'migrations')
    : path.join(app.getAppPath(), 'db', 'migrations');
}

/** Where the core reads the PDF fonts (core/pdf/fonts.ts): extraResources when packaged, the npm package in dev. */
function fontsDir(): string {
  return app.isPackaged
    ? path.join(process.resourcesPath, 'fonts')
    : path.join(app.getAppPath(), 'node_modules', 'dejavu-fonts-ttf');
}

function dataDir(): string {
  const dir = path.join(app.getPath('userData'), 'data');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function startCore(keys: Record<string, Uint8Array>, onEvent: (windowId: number, event: unknown) => void): CoreBridge {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // The core must not inherit ways to inject code or debuggers into it.
  delete env.NODE_OPTIONS;
  delete env.ELECTRON_RUN_AS_NODE;
  env.KANSLI_MIGRATIONS_DIR = migrationsDir();
  env.KANSLI_FONTS_DIR = fontsDir();
  env.KANSLI_RUNTIME = 'electron';

  const spawn = (): CoreChild => {
    // No `cwd`: the entry may sit inside app.asar, and a working directory inside an archive
    // cannot exist (electron/electron#41396). The core uses absolute paths from init/env.
    const child = utilityProcess.fork(CORE_ENTRY, [], {
      serviceName: 'Kansli core',
      stdio: 'inherit',
      env,
    });
    return {
      postMessage: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', listener),
      kill: () => void child.kill(),
    };
  };
  const bridge = new CoreBridge({
    spawn,
    // Demo data only in development, or when explicitly asked for (training installations).
    init: { type: 'init', dataDir: dataDir(), seedDemo: isDev || process.env.KANSLI_SEED_DEMO === '1', keys },
    onEvent,
  });
  bridge.start();
  return bridge;
}

function errorResult(code: 'forbidden' | 'validation' | 'unknown_method' | 'internal', message: string): CallResult {
  return { ok: false, error: { code, message } };
}

/** The window an IPC request came from, if it is our window's main frame on app://kansli; else null. */
function trustedWindow(event: IpcMainInvokeEvent, getWindow: () => BrowserWindow | null): BrowserWindow | null {
  const win = getWindow();
  const frame = event.senderFrame;
  const main = win && !win.isDestroyed() ? win.webContents.mainFrame : null;
  const trusted =
    win !== null &&
    main !== null &&
    frame !== null &&
    event.sender === win.webContents &&
    isTrustedSender({
      frameUrl: frame.url,
      isMainFrame: frame.parent === null && frame.processId === main.processId && frame.routingId === main.routingId,
      frameWindowId: BrowserWindow.fromWebContents(event.sender)?.id,
      ourWindowId: win.id,
    });
  return trusted ? win : null;
}

function registerIpc(getWindow: () => BrowserWindow | null, getBridge: () => CoreBridge | null): void {
  ipcMain.handle(IPC_CHANNEL_CALL, async (event, ...args: unknown[]): Promise<CallResult> => {
    const win = trustedWindow(event, getWindow);
    if (!win) return errorResult('forbidden', 'untrusted sender');
    if (args.length > 3) return errorResult('validation', 'call takes (method, input, options)');
    const [method, input, options] = args;
    const check = checkCallArgs(method, input, METHOD_NAMES);
    if (!check.ok) return errorResult(check.code, check.message);
    const o = checkCallOptions(options);
    if (!o.ok) return errorResult('validation', o.message);
    const bridge = getBridge();
    if (!bridge) return errorResult('internal', 'the core process is not running');
    return bridge.call(method as string, input, { kind: 'electron', windowId: win.id }, o.mutationId);
  });

  // Uploads: the path comes from the native dialog here, never from the page; the core streams the file
  // into its store (with the kind's size limit) and answers its id.
  ipcMain.handle(IPC_CHANNEL_FILE_OPEN, async (event, ...args: unknown[]) => {
    const win = trustedWindow(event, getWindow);
    if (!win) return errorResult('forbidden', 'untrusted sender');
    const [kind] = args;
    if (args.length !== 1 || !isUploadKind(kind)) return errorResult('validation', 'unknown upload kind');
    const bridge = getBridge();
    if (!bridge) return errorResult('internal', 'the core process is not running');
    const chosen = await dialog.showOpenDialog(win, {
      properties: ['openFile'],
      filters: [{ name: kind.toUpperCase(), extensions: [...UPLOAD_KINDS[kind].extensions] }],
    });
    if (chosen.canceled || chosen.filePaths.length !== 1) return { ok: true, data: null };
    return bridge.file({ op: 'upload', kind, path: chosen.filePaths[0]!, origin: { kind: 'electron', windowId: win.id } });
  });

  // Exports: the core made the file; main asks where to save it and the core copies it there.
  ipcMain.handle(IPC_CHANNEL_FILE_SAVE, async (event, ...args: unknown[]) => {
    const win = trustedWindow(event, getWindow);
    if (!win) return errorResult('forbidden', 'untrusted sender');
    const [fileId] = args;
    if (args.length !== 1 || !isUuid(fileId)) return errorResult('validation', 'not a file id');
    const bridge = getBridge();
    if (!bridge) return errorResult('internal', 'the core process is not running');
    const origin = { kind: 'electron' as const, windowId: win.id };
    const info = await bridge.file({ op: 'info', fileId, origin });
    if (!info.ok) return info;
    const name = safeDownloadName((info.data as { name: string }).name);
    const target = await dialog.showSaveDialog(win, { defaultPath: path.join(app.getPath('downloads'), name) });
    if (target.canceled || !target.filePath) return { ok: true, data: null };
    return bridge.file({ op: 'save', fileId, path: target.filePath, origin });
  });
}
