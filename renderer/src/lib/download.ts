/**
 * Saving a text file the core produced (the audit export) through the browser's download, without a
 * server round-trip: a Blob, an object URL and an <a download>. Works the same in Electron (it routes
 * downloads through its save dialog) and in the browser host; nothing is written to any cache.
 */

/**
 * A safe file name for a download: no folders, no control or reserved characters (Windows refuses
 * `<>:"/\|?*`), not empty, at most 120 characters, and ending in the wanted extension.
 */
export function downloadName(suggested: string | null | undefined, fallback: string, ext = 'csv'): string {
  const base = (suggested ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  let name = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '').replace(/\s+/g, ' ').trim();
  name = name.replace(/^\.+/, '');
  if (!name) name = fallback;
  const dotExt = `.${ext}`;
  if (!name.toLowerCase().endsWith(dotExt)) name = `${name.replace(/\.+$/, '')}${dotExt}`;
  if (name.length > 120) name = `${name.slice(0, 120 - dotExt.length)}${dotExt}`;
  return name;
}

/** "kansli-audit-2026-11-23" for when the core names no file. */
export function fallbackAuditName(todayIso: string): string {
  return `kansli-audit-${todayIso}`;
}

/**
 * CSV text as a Blob that Excel opens as UTF-8 (å, ä, ö, æ, ø intact): with a byte-order mark unless
 * the text already starts with one.
 */
export function csvBlob(csv: string): Blob {
  const text = csv.startsWith('\ufeff') ? csv : `\ufeff${csv}`;
  return new Blob([text], { type: 'text/csv;charset=utf-8' });
}

/** Starts the download of `blob` as `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser a moment to start reading the blob before it is released.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
