import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appSchemePrivileges,
  assertSecureWebPreferences,
  buildAppResponse,
  checkCallArgs,
  checkCallOptions,
  isUuid,
  createRootedReader,
  cspHeader,
  isAllowedNavigation,
  isPlainJson,
  isTrustedSender,
  isValidCallArgs,
  menuTemplate,
  permissionDecision,
  resolveAppPath,
  REQUIRED_WEB_PREFERENCES,
  securityHeaders,
  windowOpenDecision,
  downloadDecision,
  safeDownloadName,
  type AppResponse,
  type FileReader,
} from './security';

const ROOT = path.resolve('/srv/kansli/dist/renderer');
const INDEX = path.join(ROOT, 'index.html');

describe('resolveAppPath: serves files of the renderer bundle', () => {
  it.each([
    ['app://kansli/', INDEX],
    ['app://kansli', INDEX],
    ['app://kansli/index.html', INDEX],
    ['app://kansli/assets/index-abc123.js', path.join(ROOT, 'assets', 'index-abc123.js')],
    ['app://kansli/assets/index-abc123.css?v=1#x', path.join(ROOT, 'assets', 'index-abc123.css')],
    ['app://kansli/assets/inter%20latin.woff2', path.join(ROOT, 'assets', 'inter latin.woff2')],
    ['APP://KANSLI/favicon.svg', path.join(ROOT, 'favicon.svg')],
  ])('%s → file', (url, expected) => {
    expect(resolveAppPath(ROOT, url)).toEqual({ ok: true, filePath: expected });
  });

  it.each(['app://kansli/children', 'app://kansli/children/42/guardians', 'app://kansli/settings/'])(
    'extension-less SPA route %s → index.html',
    (url) => {
      expect(resolveAppPath(ROOT, url)).toEqual({ ok: true, filePath: INDEX });
    },
  );

  it.each([
    'app://kansli/missing.exe', // type not in the bundle
    'app://kansli/db.sqlite',
    'app://kansli/.env', // dot-files
    'app://kansli/.git/config',
    'app://kansli/assets/.hidden.js',
  ])('%s → 404', (url) => {
    expect(resolveAppPath(ROOT, url)).toEqual({ ok: false, status: 404 });
  });
});

describe('resolveAppPath: path traversal is refused', () => {
  const attempts = [
    'app://kansli/../etc/passwd',
    'app://kansli/assets/../../etc/passwd',
    'app://kansli/assets/../index.html', // even when it would land inside
    'app://kansli/./index.html',
    'app://kansli/%2e%2e/%2e%2e/etc/passwd',
    'app://kansli/%2E%2E%2Fetc%2Fpasswd',
    'app://kansli/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://kansli/.%2e/etc/passwd',
    'app://kansli/..%5c..%5cwindows%5cwin.ini',
    'app://kansli/..\\..\\windows\\win.ini',
    'app://kansli/assets\\..\\..\\secret.js',
    'app://kansli/%252e%252e/%252e%252e/etc/passwd', // double-encoded
    'app://kansli/%252e%252e%252fetc%252fpasswd',
    'app://kansli/..%255c..%255csecret.js',
    'app://kansli//etc/passwd', // absolute after host
    'app://kansli/%2fetc%2fpasswd',
    'app://kansli/C:/Windows/win.ini',
    'app://kansli/C%3A%5CWindows%5Cwin.ini',
    'app://kansli/index.html%00.png', // null byte
    'app://kansli/index.html\u0000.png',
    'app://kansli/%E0%A4%A', // malformed escape
    'app://kansli/assets/%ZZ.js',
  ];
  it.each(attempts)('%s → 400', (url) => {
    expect(resolveAppPath(ROOT, url)).toEqual({ ok: false, status: 400 });
  });

  it.each([
    'file:///etc/passwd',
    '/etc/passwd',
    '../etc/passwd',
    'app:///etc/passwd', // empty host
    'app://other/index.html',
    'app://kansli.evil.example/index.html',
    'app://kansli:8080/index.html',
    'app://kansli@evil/index.html',
    'https://kansli/index.html',
  ])('foreign or absolute %s → 400', (url) => {
    expect(resolveAppPath(ROOT, url)).toEqual({ ok: false, status: 400 });
  });

  it('never resolves outside the root for any printable single-segment input', () => {
    const samples = ['..', '...', '.../x.js', '..;/x.js', '%2e.', '.%2E', '%c0%ae%c0%ae/x.js', '..%2f', '%00', 'x/..'];
    for (const s of samples) {
      const r = resolveAppPath(ROOT, `app://kansli/${s}`);
      if (r.ok) expect(r.filePath.startsWith(ROOT + path.sep) || r.filePath === INDEX).toBe(true);
    }
  });
});

describe('buildAppResponse: CSP and nosniff on every response', () => {
  const files = new Map<string, Uint8Array>([
    [INDEX, new TextEncoder().encode('<!doctype html><title>Kansli</title>')],
    [path.join(ROOT, 'assets', 'a.js'), new TextEncoder().encode('console.log(1)')],
  ]);
  const reader: FileReader = async (p) => files.get(p) ?? null;
  const failing: FileReader = async () => {
    throw new Error('EIO');
  };

  const cases: [string, Promise<AppResponse>, number][] = [
    ['html 200', buildAppResponse(ROOT, { url: 'app://kansli/', method: 'GET' }, reader), 200],
    ['js 200', buildAppResponse(ROOT, { url: 'app://kansli/assets/a.js', method: 'GET' }, reader), 200],
    ['HEAD 200', buildAppResponse(ROOT, { url: 'app://kansli/assets/a.js', method: 'HEAD' }, reader), 200],
    ['SPA fallback 200', buildAppResponse(ROOT, { url: 'app://kansli/children/1', method: 'GET' }, reader), 200],
    ['missing file 404', buildAppResponse(ROOT, { url: 'app://kansli/assets/b.js', method: 'GET' }, reader), 404],
    ['unknown type 404', buildAppResponse(ROOT, { url: 'app://kansli/x.exe', method: 'GET' }, reader), 404],
    ['traversal 400', buildAppResponse(ROOT, { url: 'app://kansli/../x', method: 'GET' }, reader), 400],
    ['POST 405', buildAppResponse(ROOT, { url: 'app://kansli/', method: 'POST' }, reader), 405],
    ['read error 500', buildAppResponse(ROOT, { url: 'app://kansli/', method: 'GET' }, failing), 500],
  ];

  it.each(cases)('%s', async (_name, promise, status) => {
    const res = await promise;
    expect(res.status).toBe(status);
    expect(res.headers['Content-Security-Policy']).toBe(cspHeader());
    expect(res.headers['X-Content-Type-Options']).toBe('nosniff');
    expect(res.headers['Content-Type']).toMatch(/^(text\/(html|javascript|plain)|application\/json)(; charset=utf-8)?$/);
    for (const [k, v] of Object.entries(securityHeaders())) expect(res.headers[k]).toBe(v);
  });

  it('sets the content type from the extension and omits the body for HEAD', async () => {
    const html = await buildAppResponse(ROOT, { url: 'app://kansli/', method: 'GET' }, reader);
    expect(html.headers['Content-Type']).toBe('text/html; charset=utf-8');
    const js = await buildAppResponse(ROOT, { url: 'app://kansli/assets/a.js', method: 'GET' }, reader);
    expect(js.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    const head = await buildAppResponse(ROOT, { url: 'app://kansli/assets/a.js', method: 'HEAD' }, reader);
    expect(head.body).toBeNull();
  });

  it('error responses reveal no file system path', async () => {
    const res = await buildAppResponse(ROOT, { url: 'app://kansli/', method: 'GET' }, failing);
    expect(String(res.body)).not.toContain(ROOT);
  });

  it('the CSP is the strict policy: scripts self only, no objects, no framing, no forms', () => {
    const csp = cspHeader();
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self' 'unsafe-inline'",
      'img-src': "'self' data:",
      'font-src': "'self'",
      'connect-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
      'form-action': "'none'",
    });
    expect(csp).not.toContain('unsafe-eval');
    expect(directives['script-src']).not.toContain('unsafe-inline');
  });
});

describe('createRootedReader: real file system', () => {
  let dir: string;
  let root: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kansli-sec-'));
    root = path.join(dir, 'renderer');
    mkdirSync(path.join(root, 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
    writeFileSync(path.join(dir, 'secret.js'), 'secret');
    symlinkSync(path.join(dir, 'secret.js'), path.join(root, 'assets', 'link.js'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file inside the root', async () => {
    const res = await buildAppResponse(root, { url: 'app://kansli/', method: 'GET' }, createRootedReader(root));
    expect(res.status).toBe(200);
    expect(new TextDecoder().decode(res.body as Uint8Array)).toBe('<!doctype html>');
  });

  it('refuses a symlink that points outside the root (404)', async () => {
    const res = await buildAppResponse(
      root,
      { url: 'app://kansli/assets/link.js', method: 'GET' },
      createRootedReader(root),
    );
    expect(res.status).toBe(404);
    expect(res.headers['Content-Security-Policy']).toBe(cspHeader());
  });

  it('returns null for a missing file and for a directory', async () => {
    const read = createRootedReader(root);
    expect(await read(path.join(root, 'nope.js'))).toBeNull();
    expect(await read(path.join(root, 'assets'))).toBeNull();
  });
});

describe('navigation', () => {
  it.each(['app://kansli/', 'app://kansli/children/1', 'app://kansli/index.html?x=1#y'])('allows %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(true);
  });

  it.each([
    'https://example.com/',
    'https://kansli/',
    'http://localhost:5173/',
    'file:///etc/passwd',
    'file:///C:/Windows/System32/calc.exe',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'blob:app://kansli/1234',
    'about:blank',
    'app://other/',
    'app://kansli.evil.example/',
    'app://kansli:444/',
    'app://user:pw@kansli/',
    'devtools://devtools/bundled/inspector.html',
    'chrome://settings',
    'smb://server/share',
    'mailto:a@example.com',
    '',
    'not a url',
  ])('denies %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(false);
  });

  it('denies non-strings', () => {
    expect(isAllowedNavigation(undefined)).toBe(false);
    expect(isAllowedNavigation(null)).toBe(false);
    expect(isAllowedNavigation({ toString: () => 'app://kansli/' })).toBe(false);
  });
});

describe('window.open', () => {
  it.each([
    'https://example.com/',
    'http://example.com/',
    'app://kansli/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'about:blank',
    '',
  ])('denies %s and opens nothing with the default (empty) allow-list', (url) => {
    expect(windowOpenDecision(url)).toEqual({ action: 'deny' });
  });

  it('hands only exact allow-listed https hosts to the OS browser, still denying the window', () => {
    const allow = ['help.kansli.se'];
    expect(windowOpenDecision('https://help.kansli.se/guide', allow)).toEqual({
      action: 'deny',
      openExternal: 'https://help.kansli.se/guide',
    });
    for (const url of [
      'http://help.kansli.se/guide',
      'https://evil.help.kansli.se/',
      'https://help.kansli.se.evil.example/',
      'https://help.kansli.se:8443/',
      'https://user@help.kansli.se/',
      'file://help.kansli.se/x',
    ]) {
      expect(windowOpenDecision(url, allow)).toEqual({ action: 'deny' });
    }
  });
});

describe('permissions', () => {
  // Every permission name Electron 45 passes to setPermissionRequestHandler/CheckHandler.
  const ALL = [
    'ar', 'automatic-fullscreen', 'background-fetch', 'background-sync', 'captured-surface-control',
    'clipboard-read', 'clipboard-sanitized-write', 'deprecated-sync-clipboard-read', 'display-capture',
    'fileSystem', 'fullscreen', 'geolocation', 'geolocation-approximate', 'hand-tracking', 'hid',
    'idle-detection', 'keyboardLock', 'local-fonts', 'local-network', 'local-network-access',
    'loopback-network', 'media', 'mediaKeySystem', 'midi', 'midiSysex', 'nfc', 'notifications',
    'openExternal', 'payment-handler', 'periodic-background-sync', 'persistent-storage', 'pointerLock',
    'screen-wake-lock', 'sensors', 'serial', 'smart-card', 'speaker-selection', 'storage-access',
    'system-wake-lock', 'top-level-storage-access', 'usb', 'vr', 'web-app-installation', 'web-printing',
    'window-management', 'unknown', 'some-future-permission',
  ];
  it.each(ALL)('denies %s', (p) => {
    expect(permissionDecision(p)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  const ok = { frameUrl: 'app://kansli/children', isMainFrame: true, frameWindowId: 3, ourWindowId: 3 };
  it('accepts the main frame of our window on app://kansli', () => {
    expect(isTrustedSender(ok)).toBe(true);
  });
  it.each([
    ['a subframe', { ...ok, isMainFrame: false }],
    ['another window', { ...ok, frameWindowId: 4 }],
    ['no window', { ...ok, frameWindowId: undefined }],
    ['our window not created', { ...ok, ourWindowId: null }],
    ['other origin https', { ...ok, frameUrl: 'https://evil.example/' }],
    ['other app host', { ...ok, frameUrl: 'app://evil/' }],
    ['look-alike host', { ...ok, frameUrl: 'app://kansli.evil.example/' }],
    ['file://', { ...ok, frameUrl: 'file:///C:/Users/x/index.html' }],
    ['devtools://', { ...ok, frameUrl: 'devtools://devtools/bundled/inspector.html' }],
    ['about:blank', { ...ok, frameUrl: 'about:blank' }],
    ['data:', { ...ok, frameUrl: 'data:text/html,x' }],
    ['destroyed frame', { ...ok, frameUrl: null }],
    ['empty url', { ...ok, frameUrl: '' }],
  ])('rejects %s', (_name, info) => {
    expect(isTrustedSender(info)).toBe(false);
  });
});

describe('call arguments', () => {
  const names = ['register-child-get', 'register-child-create'];
  it('accepts a known method with JSON input or no input', () => {
    expect(isValidCallArgs('register-child-get', { id: 'a', n: 1, b: true, x: null, l: [1, 'x'] }, names)).toBe(true);
    expect(isValidCallArgs('register-child-get', undefined, names)).toBe(true);
    expect(isValidCallArgs('register-child-get', Object.create(null), names)).toBe(true);
  });
  it.each([
    [42], [null], [undefined], [''], ['constructor'], ['__proto__'], ['toString'], ['register-child-delete'],
    ['x'.repeat(1000)], [{ toString: () => 'register-child-get' }],
  ])('rejects method %j as unknown_method', (method) => {
    const r = checkCallArgs(method, {}, names);
    expect(r).toMatchObject({ ok: false, code: 'unknown_method' });
  });
  it.each([
    ['function', () => 1],
    ['symbol', Symbol('x')],
    ['bigint', 1n],
    ['NaN', Number.NaN],
    ['Infinity', { a: Number.POSITIVE_INFINITY }],
    ['Date', new Date(0)],
    ['Map', new Map()],
    ['typed array', new Uint8Array(2)],
    ['class instance', new (class X { a = 1; })()],
    ['nested undefined', { a: undefined }],
    ['__proto__ key', JSON.parse('{"__proto__": {"polluted": true}}') as unknown],
    ['sparse array', [1, , 3]], // eslint-disable-line no-sparse-arrays
    ['too deep', (() => { let v: unknown = 1; for (let i = 0; i < 100; i++) v = [v]; return v; })()],
  ])('rejects input: %s', (_name, input) => {
    expect(checkCallArgs('register-child-get', input, names)).toMatchObject({ ok: false, code: 'validation' });
  });
  it('call options: only { mutationId: a UUID }, or nothing', () => {
    expect(checkCallOptions(undefined)).toEqual({ ok: true });
    expect(checkCallOptions({})).toEqual({ ok: true });
    expect(checkCallOptions({ mutationId: '9b3c1d2e-4f5a-4b6c-8d7e-0f1a2b3c4d5e' })).toEqual({ ok: true, mutationId: '9b3c1d2e-4f5a-4b6c-8d7e-0f1a2b3c4d5e' });
    for (const bad of [null, 'x', [], { mutationId: 'not-a-uuid' }, { mutationId: 1 }, { other: 1 }, { mutationId: '9b3c1d2e-4f5a-4b6c-8d7e-0f1a2b3c4d5e', x: 1 }, new (class O { mutationId = 'x'; })()]) {
      expect(checkCallOptions(bad), JSON.stringify(bad)).toMatchObject({ ok: false });
    }
    expect(isUuid('9B3C1D2E-4F5A-4B6C-8D7E-0F1A2B3C4D5E')).toBe(false);
  });
  it('rejects a cyclic input without overflowing', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(isPlainJson(a)).toBe(false);
  });
  it('accepts a shared (non-cyclic) sub-object', () => {
    const shared = { street: 'Storgatan 1' };
    expect(isPlainJson({ home: shared, post: shared })).toBe(true);
  });
});

describe('window configuration', () => {
  const good = {
    preload: '/app/dist/electron/preload.cjs',
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
    devTools: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    disableBlinkFeatures: 'Auxclick',
  };
  const opts = { preloadPath: '/app/dist/electron/preload.cjs', isDev: false };

  it('accepts the isolated, sandboxed webPreferences that main.ts uses', () => {
    expect(() => assertSecureWebPreferences(good, opts)).not.toThrow();
    expect(() => assertSecureWebPreferences({ ...good, devTools: true }, { ...opts, isDev: true })).not.toThrow();
  });

  it.each([
    ['contextIsolation off', { contextIsolation: false }],
    ['contextIsolation unset', { contextIsolation: undefined }],
    ['sandbox off', { sandbox: false }],
    ['nodeIntegration on', { nodeIntegration: true }],
    ['nodeIntegrationInWorker on', { nodeIntegrationInWorker: true }],
    ['nodeIntegrationInSubFrames on', { nodeIntegrationInSubFrames: true }],
    ['webSecurity off', { webSecurity: false }],
    ['allowRunningInsecureContent on', { allowRunningInsecureContent: true }],
    ['experimentalFeatures on', { experimentalFeatures: true }],
    ['webviewTag on', { webviewTag: true }],
    ['enableBlinkFeatures set', { enableBlinkFeatures: 'CSSVariables' }],
    ['devTools in a packaged build', { devTools: true }],
    ['another preload', { preload: '/tmp/evil.js' }],
    ['a custom partition', { partition: 'persist:other' }],
    ['drag-and-drop navigation', { navigateOnDragDrop: true }],
  ])('refuses %s', (_name, change) => {
    expect(() => assertSecureWebPreferences({ ...good, ...change }, opts)).toThrow(/insecure webPreferences/);
  });

  it('REQUIRED_WEB_PREFERENCES pins isolation, sandbox and no Node', () => {
    expect(REQUIRED_WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  });

  it('app:// is standard and secure but gets no CSP bypass, CORS, service workers or streaming', () => {
    expect(appSchemePrivileges()).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    });
  });

  it('the packaged menu has no reload and no devtools; the dev menu has them', () => {
    const roles = (isDev: boolean, isMac: boolean): string[] =>
      JSON.stringify(menuTemplate({ isMac, isDev }))
        .match(/"role":"[A-Za-z]+"/g)!
        .map((r) => r.slice(8, -1));
    for (const isMac of [false, true]) {
      expect(roles(false, isMac)).not.toContain('toggleDevTools');
      expect(roles(false, isMac)).not.toContain('reload');
      expect(roles(false, isMac)).toEqual(expect.arrayContaining(['fileMenu', 'editMenu', 'windowMenu']));
      expect(roles(true, isMac)).toContain('toggleDevTools');
    }
    expect(roles(false, true)).toContain('appMenu');
    expect(roles(false, false)).not.toContain('appMenu');
  });
});

describe('downloads', () => {
  it('saves only blobs made by our own page, through the save dialog', () => {
    expect(downloadDecision('blob:app://kansli/4b1c2c7e-2f3a-4c55-9a43-0e6a5b9d7f10')).toBe('save-with-dialog');
    for (const url of [
      'https://evil.example/x.exe',
      'http://127.0.0.1/x',
      'blob:https://evil.example/123',
      'blob:app://kansli.evil/123',
      'data:text/csv,a,b',
      'file:///etc/passwd',
      'app://kansli/index.html',
      'blob:app://kansli/ x',
      '',
    ]) {
      expect(downloadDecision(url), url).toBe('cancel');
    }
  });

  it('file names lose paths and reserved characters', () => {
    expect(safeDownloadName('kansli-audit-2026-11-23.csv')).toBe('kansli-audit-2026-11-23.csv');
    expect(safeDownloadName('../../etc/passwd')).toBe('passwd');
    expect(safeDownloadName('C:\\Windows\\system32\\evil.bat')).toBe('evil.bat');
    expect(safeDownloadName('a<b>c:"d|e?f*.csv')).toBe('a_b_c__d_e_f_.csv');
    expect(safeDownloadName('CON.csv')).toBe('kansli-export-CON.csv');
    expect(safeDownloadName('...')).toBe('kansli-export');
    expect(safeDownloadName('x'.repeat(300)).length).toBe(120);
  });
});
