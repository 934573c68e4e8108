/**
 * Every security decision of the desktop shell, as plain functions of their inputs.
 * main.ts only wires these into Electron's hooks; electron/security.test.ts proves them under
 * plain Node. Keep `electron` out of this file's imports.
 */
import { CSP, SECURITY_HEADERS } from '../shared/security';
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
// Type-only: erased at build time, so this file still loads under plain Node.
import type { CustomScheme, MenuItemConstructorOptions, WebPreferences } from 'electron';

export { checkCallArgs, checkCallOptions, isUuid, isValidCallArgs, isPlainJson, IPC_CHANNEL_EVENT, IPC_CHANNEL_FILE_OPEN, IPC_CHANNEL_FILE_SAVE, IPC_CHANNEL_OS_LOCK } from './call-guard';

export const APP_SCHEME = 'app';
export const APP_HOST = 'kansli';
/** Where the window loads the renderer from. */
export const APP_ORIGIN_URL = `${APP_SCHEME}://${APP_HOST}/`;

// ---------------------------------------------------------------------------------------------
// Window, scheme and menu configuration
// ---------------------------------------------------------------------------------------------

/**
 * webPreferences the Kansli window must have. main.ts writes its literal inline (so reviewers and
 * static scanners such as electronegativity see it) and passes it through
 * assertSecureWebPreferences() before creating the window, so a weakened edit stops the app.
 * Most values equal Electron's defaults; spelled out, a future default change cannot weaken them.
 */
export const REQUIRED_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
} as const satisfies WebPreferences;

/** Throws unless `prefs` has every required value and no feature switches or custom session. */
export function assertSecureWebPreferences(prefs: WebPreferences, opts: { preloadPath: string; isDev: boolean }): void {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(REQUIRED_WEB_PREFERENCES)) {
    if (prefs[key as keyof WebPreferences] !== value) problems.push(`${key} must be ${String(value)}`);
  }
  if (prefs.preload !== opts.preloadPath) problems.push('preload must be the bundled preload');
  if (prefs.enableBlinkFeatures !== undefined) problems.push('enableBlinkFeatures must not be set');
  if (prefs.devTools !== opts.isDev) problems.push(`devTools must be ${String(opts.isDev)}`);
  // The permission, download and request handlers are installed on the default session only.
  if (prefs.partition !== undefined || prefs.session !== undefined) problems.push('the default session must be used');
  if (problems.length > 0) throw new Error(`insecure webPreferences: ${problems.join('; ')}`);
}

/**
 * The app:// scheme: standard (real origin, relative URLs), secure (a secure context, like
 * https), fetch-able. Deliberately not bypassCSP, corsEnabled, allowServiceWorkers or stream.
 */
export function appSchemePrivileges(): CustomScheme {
  return { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } };
}

/** Standard Edit/View/Window roles; reload and devtools only in development builds. */
export function menuTemplate(opts: { isMac: boolean; isDev: boolean }): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    ...(opts.isDev
      ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
      : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(opts.isMac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
}

// ---------------------------------------------------------------------------------------------
// Content-Security-Policy and response headers
// ---------------------------------------------------------------------------------------------

/** The renderer's policy (shared/security.ts: the same for the browser host). */
export function cspHeader(): string {
  return CSP;
}

/** Headers every app:// response carries, whatever its status. */
export function securityHeaders(): Record<string, string> {
  return { ...SECURITY_HEADERS };
}

// ---------------------------------------------------------------------------------------------
// app:// path resolution
// ---------------------------------------------------------------------------------------------

export type ResolveResult = { ok: true; filePath: string } | { ok: false; status: 400 | 404 };

/** The only file types the renderer bundle contains. Anything else is not served (404). */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(filePath: string): string | undefined {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()];
}

/** True when `candidate` (absolute) is `root` itself or lies below it. */
export function isInsideRoot(root: string, candidate: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(candidate));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

// Control characters (incl. NUL), backslash, colon (drive letters, ADS), percent left after one
// decode (double encoding) and slash inside a segment (encoded %2f) are never in our file names.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_SEGMENT = /[\u0000-\u001f\u007f\\:%/]/;

/**
 * Maps an `app://kansli/...` URL to a file under `rootDir`, refusing anything that could leave it.
 *
 * Chromium canonicalises standard-scheme URLs before the handler sees them (`/a/../b` → `/b`),
 * but this function does not rely on that: it inspects the raw path as received, so a traversal
 * attempt is refused (400) rather than silently normalised. Unknown file types, dot-files and
 * files that turn out not to exist are 404. A path without a file extension is a client-side
 * route of the SPA and resolves to index.html.
 */
export function resolveAppPath(rootDir: string, requestUrl: string): ResolveResult {
  const prefix = `${APP_SCHEME}://${APP_HOST}`;
  if (typeof requestUrl !== 'string' || requestUrl.length > 4096) return { ok: false, status: 400 };
  if (requestUrl.slice(0, prefix.length).toLowerCase() !== prefix) return { ok: false, status: 400 };

  let rest = requestUrl.slice(prefix.length);
  // Anything between host and path (port, `@`, further host characters) is not our origin.
  if (rest !== '' && !rest.startsWith('/') && !rest.startsWith('?') && !rest.startsWith('#')) {
    return { ok: false, status: 400 };
  }
  const cut = rest.search(/[?#]/);
  if (cut >= 0) rest = rest.slice(0, cut);
  if (rest === '' || rest === '/') return { ok: true, filePath: path.join(rootDir, 'index.html') };

  // Raw (undecoded) checks: backslashes are separators on Windows, control chars never legal.
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(rest)) return { ok: false, status: 400 };

  const rawSegments = rest.slice(1).split('/');
  const segments: string[] = [];
  for (let i = 0; i < rawSegments.length; i++) {
    const raw = rawSegments[i]!;
    // An empty segment means `//` (an absolute path after the host); a trailing slash is allowed.
    if (raw === '') {
      if (i === rawSegments.length - 1) continue;
      return { ok: false, status: 400 };
    }
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400 }; // malformed escape
    }
    if (seg === '.' || seg === '..' || FORBIDDEN_IN_SEGMENT.test(seg)) return { ok: false, status: 400 };
    if (seg.startsWith('.')) return { ok: false, status: 404 }; // dot-files are never part of the bundle
    segments.push(seg);
  }
  if (segments.length === 0) return { ok: true, filePath: path.join(rootDir, 'index.html') };

  const last = segments[segments.length - 1]!;
  const root = path.resolve(rootDir);
  if (path.extname(last) === '') {
    return { ok: true, filePath: path.join(root, 'index.html') }; // SPA route
  }
  if (contentTypeFor(last) === undefined) return { ok: false, status: 404 };

  const filePath = path.resolve(root, ...segments);
  if (!isInsideRoot(root, filePath) || filePath === root) return { ok: false, status: 400 };
  return { ok: true, filePath };
}

// ---------------------------------------------------------------------------------------------
// The app:// protocol response
// ---------------------------------------------------------------------------------------------

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string | null;
}

/** Reads a file's bytes, or returns null when it does not exist (or is not a regular file). */
export type FileReader = (filePath: string) => Promise<Uint8Array | null>;

/**
 * Reads `filePath` only if its real path (symlinks resolved) stays inside `rootDir`'s real path.
 * Electron's fs understands paths inside app.asar, so this works packaged and unpacked.
 */
export function createRootedReader(rootDir: string): FileReader {
  let realRoot: Promise<string> | undefined;
  return async (filePath) => {
    try {
      realRoot ??= realpath(rootDir);
      const [rootReal, fileReal] = await Promise.all([realRoot, realpath(filePath)]);
      if (!isInsideRoot(rootReal, fileReal)) return null;
      return await readFile(fileReal);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return null;
      throw err;
    }
  };
}

function textResponse(status: number, text: string): AppResponse {
  return {
    status,
    headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' },
    body: text,
  };
}

/**
 * Everything the app:// handler answers, for any request. Every branch carries securityHeaders().
 * `readFileFn` is injected so tests need no Electron; main passes createRootedReader(root).
 */
export async function buildAppResponse(
  rootDir: string,
  request: { url: string; method: string },
  readFileFn: FileReader,
): Promise<AppResponse> {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    const res = textResponse(405, 'Method Not Allowed');
    res.headers['Allow'] = 'GET, HEAD';
    return res;
  }
  const resolved = resolveAppPath(rootDir, request.url);
  if (!resolved.ok) {
    return textResponse(resolved.status, resolved.status === 400 ? 'Bad Request' : 'Not Found');
  }
  const contentType = contentTypeFor(resolved.filePath);
  if (contentType === undefined) return textResponse(404, 'Not Found');
  let bytes: Uint8Array | null;
  try {
    bytes = await readFileFn(resolved.filePath);
  } catch {
    return textResponse(500, 'Internal Error');
  }
  if (bytes === null) return textResponse(404, 'Not Found');
  return {
    status: 200,
    headers: {
      ...securityHeaders(),
      'Content-Type': contentType,
      'Content-Length': String(bytes.byteLength),
      'Cache-Control': 'no-cache',
    },
    body: method === 'HEAD' ? null : bytes,
  };
}

// ---------------------------------------------------------------------------------------------
// Navigation, new windows, permissions
// ---------------------------------------------------------------------------------------------

function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for URLs on our own origin, `app://kansli/` (no credentials, no port). */
export function isAppUrl(url: unknown): boolean {
  const u = parseUrl(url);
  return (
    u !== null &&
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname === APP_HOST &&
    u.host === APP_HOST &&
    u.username === '' &&
    u.password === ''
  );
}

/** `will-navigate` / `will-frame-navigate` / `will-redirect`: stay on app://kansli/ or go nowhere. */
export function isAllowedNavigation(url: unknown): boolean {
  return isAppUrl(url);
}

/**
 * Hosts whose https pages may be opened in the user's own browser from a link in the app.
 * Empty: nothing leaves the app until a concrete need (e.g. a help site) is reviewed.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = [];

export type WindowOpenDecision = { action: 'deny'; openExternal?: string };

/**
 * `setWindowOpenHandler`: the app never opens a second Electron window. An https link to an
 * allow-listed host (exact match, default port, no credentials) is handed to the OS browser.
 */
export function windowOpenDecision(
  url: unknown,
  allowedHosts: readonly string[] = EXTERNAL_LINK_HOSTS,
): WindowOpenDecision {
  const u = parseUrl(url);
  if (
    u !== null &&
    u.protocol === 'https:' &&
    u.port === '' &&
    u.username === '' &&
    u.password === '' &&
    allowedHosts.includes(u.hostname)
  ) {
    return { action: 'deny', openExternal: u.href };
  }
  return { action: 'deny' };
}

/**
 * Session permission requests and checks (camera, microphone, geolocation, notifications,
 * clipboard-read, HID/USB/serial, fullscreen API, …): all refused. The records app needs none.
 */
export function permissionDecision(_permission: unknown): false {
  return false;
}

// ---------------------------------------------------------------------------------------------
// IPC sender validation
// ---------------------------------------------------------------------------------------------

export interface SenderInfo {
  /** `event.senderFrame.url`; null/undefined when the frame is gone. */
  frameUrl: string | null | undefined;
  /** The sender frame is the top frame of its page (not an iframe). */
  isMainFrame: boolean;
  /** Id of the BrowserWindow hosting the sender's webContents, if any. */
  frameWindowId: number | null | undefined;
  /** Id of the one window we created. */
  ourWindowId: number | null | undefined;
}

/** An IPC call is accepted only from the main frame of our window, showing app://kansli/. */
export function isTrustedSender(s: SenderInfo): boolean {
  if (s.isMainFrame !== true) return false;
  if (typeof s.ourWindowId !== 'number' || typeof s.frameWindowId !== 'number') return false;
  if (s.frameWindowId !== s.ourWindowId) return false;
  return isAppUrl(s.frameUrl);
}

/**
 * `will-download`: only files the page itself assembled from a core answer (a `blob:` URL on our own
 * origin — the audit CSV export, whose production the core has already logged) may be saved, and only
 * through the save dialog; any other download (a link, a redirect, a remote file) is cancelled.
 */
export function downloadDecision(url: string): 'save-with-dialog' | 'cancel' {
  return url.startsWith(`blob:${APP_SCHEME}://${APP_HOST}/`) && !/[\s\\]/.test(url) ? 'save-with-dialog' : 'cancel';
}

/** A file name safe on Windows and macOS: no path, no reserved characters, at most 120 characters. */
export function safeDownloadName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const printable = [...base].map((c) => (c.charCodeAt(0) < 0x20 ? '_' : c)).join('');
  const clean = printable.replace(/[<>:"|?*]/g, '_').replace(/^[.\s]+|[.\s]+$/g, '').slice(0, 120);
  return /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(clean) || clean === '' ? `kansli-export${clean ? `-${clean}` : ''}` : clean;
}
