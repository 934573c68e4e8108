/**
 * Files between the user and the core, as files: an export is saved by its id, an upload streams from
 * the chosen file to the core. In Electron the native dialogs run in main (the page never sees a path);
 * on the browser host the download is a plain link to `/files/<id>` (an attachment bound to the session)
 * and the upload a streamed POST with progress.
 */
import type { UploadKind } from '../../../shared/domain/files';
import type { ApiError } from '../../../shared/api/transport';

export interface FileRefLike {
  fileId: string;
  name: string;
}

export type SaveOutcome = { ok: true; saved: boolean } | { ok: false; error: ApiError };

/** Saves an export the core made; `saved: false` when the user cancelled the save dialog. */
export async function saveExport(file: FileRefLike): Promise<SaveOutcome> {
  const desktop = window.kansliFiles;
  if (desktop) {
    const r = await desktop.save(file.fileId);
    return r.ok ? { ok: true, saved: r.data !== null } : { ok: false, error: r.error };
  }
  const a = document.createElement('a');
  a.href = `/files/${encodeURIComponent(file.fileId)}`;
  a.download = file.name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  return { ok: true, saved: true };
}

export interface Uploaded {
  fileId: string;
  name: string;
  size: number;
}
export type UploadOutcome = { ok: true; file: Uploaded | null } | { ok: false; error: ApiError };

/**
 * Desktop: opens the native file dialog for this kind (main streams the chosen file to the core).
 * Browser host: sends a file the user picked in an <input type=file>, reporting bytes sent.
 */
export async function uploadFile(kind: UploadKind, picked: File | null, onProgress?: (sent: number, total: number) => void): Promise<UploadOutcome> {
  const desktop = window.kansliFiles;
  if (desktop) {
    const r = await desktop.open(kind);
    return r.ok ? { ok: true, file: r.data } : { ok: false, error: r.error };
  }
  if (!picked) return { ok: true, file: null };
  return new Promise((resolve) => {
    // XMLHttpRequest, not fetch: only it reports upload progress for a 200 MB population file.
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/upload?kind=${encodeURIComponent(kind)}&name=${encodeURIComponent(picked.name)}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.total || picked.size);
    xhr.onload = () => {
      try {
        const body = JSON.parse(xhr.responseText) as { ok: true; data: Uploaded } | { ok: false; error: ApiError };
        resolve(body.ok ? { ok: true, file: body.data } : { ok: false, error: body.error });
      } catch {
        resolve({ ok: false, error: { code: 'internal', message: `Upload failed (${xhr.status})` } });
      }
    };
    xhr.onerror = () => resolve({ ok: false, error: { code: 'internal', message: 'The upload was interrupted', transport: true } });
    xhr.send(picked);
  });
}

/** Whether uploads open a native dialog (desktop) instead of a file field in the page. */
export const nativeFileDialogs = (): boolean => window.kansliFiles !== undefined;
