/**
 * Guards of the browser host, as pure functions so tests can state every rule.
 * The host is a development and test host, but it serves real personal data, so: loopback only,
 * Host and Origin pinned to the loopback address (DNS rebinding), a per-start secret exchanged once for
 * an HttpOnly SameSite=Strict cookie, JSON-only API (no form posts), and the same CSP as the desktop app.
 */
import { timingSafeEqual } from 'node:crypto';
import { isAbsolute, normalize, relative, resolve, sep } from 'node:path';

export { CSP, SECURITY_HEADERS } from '../../shared/security';

export function isLoopbackAddress(addr: string | undefined): boolean {
  if (!addr) return false;
  return addr === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(addr);
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

/** Origin must be absent (same-origin GET) or exactly our loopback origin. For API calls it is required. */
export function isAllowedOrigin(origin: string | undefined, port: number, required: boolean): boolean {
  if (origin === undefined) return !required;
  return allowedHosts(port).some((h) => origin === `http://${h}`);
}

export function secretsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/** Maps a URL path to a file inside `root`, or null for anything that tries to leave it. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /(^|\/)\.\.(\/|$)/.test(decoded) || /%2e|%2f|%5c/i.test(decoded)) return null;
  const rel = normalize(decoded.replace(/^\/+/, '')) || 'index.html';
  if (isAbsolute(rel)) return null;
  const full = resolve(root, rel === '.' ? 'index.html' : rel);
  const r = relative(root, full);
  if (r.startsWith('..') || isAbsolute(r) || r.split(sep).includes('..')) return null;
  return full;
}
