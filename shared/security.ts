/**
 * The renderer's Content-Security-Policy and response headers, one definition for both hosts of the UI:
 * the desktop app's app:// protocol (electron/security.ts) and the browser host (core/host/security.ts).
 * `style-src 'unsafe-inline'` is the one concession: Mantine writes CSS variables through inline `style`
 * attributes and injected <style> elements. Scripts stay 'self' only, so an injected string never runs.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
};
