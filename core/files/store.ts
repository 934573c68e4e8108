/**
 * The core's file store: uploads (population-register files, legacy CSV) and exports (PDFs, CSVs, later
 * archive packages) as files in the data folder, each with a small metadata file beside it. Nothing
 * travels as base64 inside JSON, and nothing is held in memory whole: uploads stream to disk with a size
 * limit per kind; exports are written once and handed out by id.
 *
 * Deliberately not a database table: an upload arrives while a long job may hold the write lock, and a
 * file's metadata must not wait for it. A file belongs to the user who made it (only they may read it)
 * and expires: exports after a day, uploads after a week (an import that used one removes it).
 * The files hold personal data and live under the data folder (0700); file names are random ids.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type ReadStream } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../../shared/api/errors';
import { UPLOAD_KINDS, type FileRef, type UploadKind } from '../../shared/domain/files';
import type { Clock } from '../context';

export interface StoredFile {
  id: string;
  purpose: 'upload' | 'export';
  kind: string;
  /** The name the user gave or the core suggests (never used as a path). */
  name: string;
  mime: string;
  size: number;
  sha256: string;
  ownerId: string;
  createdAt: string;
  expiresAt: string;
}

const DAY = 86_400_000;
const ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class FileTooLarge extends DomainError {
  constructor(limit: number) {
    super('validation', `The file is larger than the limit of ${Math.round(limit / 1024 ** 2)} MB for this kind`, 'file', [
      { field: 'file', code: 'too_large', message: String(limit) },
    ]);
  }
}

export class FileStore {
  constructor(
    readonly dir: string,
    private readonly clock: Clock,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private blob(id: string): string {
    return join(this.dir, `${id}.bin`);
  }
  private meta(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  private commit(f: StoredFile, tmp: string): StoredFile {
    renameSync(tmp, this.blob(f.id));
    // The metadata is written last: a blob without it is an interrupted upload that the sweep removes.
    writeFileSync(this.meta(f.id), JSON.stringify(f), { mode: 0o600 });
    return f;
  }

  /** Streams an upload to disk, refusing it as soon as it passes its kind's limit (nothing is kept then). */
  async receive(opts: { kind: UploadKind; ownerId: string; name: string; source: AsyncIterable<Buffer | Uint8Array | string>; maxBytes?: number }): Promise<StoredFile> {
    const limit = Math.min(opts.maxBytes ?? Infinity, UPLOAD_KINDS[opts.kind].maxBytes);
    const id = randomUUID();
    const tmp = join(this.dir, `${id}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const counted = async function* (src: AsyncIterable<Buffer | Uint8Array | string>) {
      for await (const chunk of src) {
        const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        size += b.length;
        if (size > limit) throw new FileTooLarge(limit);
        hash.update(b);
        yield b;
      }
    };
    await writeOrRemove(tmp, Readable.from(counted(opts.source)));
    const now = this.clock.epochMs();
    return this.commit(
      {
        id,
        purpose: 'upload',
        kind: opts.kind,
        name: safeName(opts.name, `${opts.kind}-upload`),
        mime: 'application/octet-stream',
        size,
        sha256: hash.digest('hex'),
        ownerId: opts.ownerId,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + 7 * DAY).toISOString(),
      },
      tmp,
    );
  }

  /** A file the user chose in the desktop open dialog (main passes the path; the renderer never does). */
  async receivePath(opts: { kind: UploadKind; ownerId: string; path: string; name: string }): Promise<StoredFile> {
    const limit = UPLOAD_KINDS[opts.kind].maxBytes;
    if (statSync(opts.path).size > limit) throw new FileTooLarge(limit);
    return this.receive({ ...opts, source: createReadStream(opts.path) });
  }

  /** Writes an export and returns its reference for the UI. */
  async writeExport(ownerId: string, name: string, mime: string, data: Uint8Array | string | AsyncIterable<Uint8Array | string>): Promise<FileRef> {
    const id = randomUUID();
    const tmp = join(this.dir, `${id}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const src = typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
    const counted = async function* () {
      for await (const chunk of src) {
        const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        size += b.length;
        hash.update(b);
        yield b;
      }
    };
    await writeOrRemove(tmp, Readable.from(counted()));
    const now = this.clock.epochMs();
    const f = this.commit(
      {
        id,
        purpose: 'export',
        kind: 'export',
        name: safeName(name, 'kansli-export'),
        mime,
        size,
        sha256: hash.digest('hex'),
        ownerId,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + DAY).toISOString(),
      },
      tmp,
    );
    return { fileId: f.id, name: f.name, mime: f.mime, size: f.size };
  }

  /** The file, if it exists, has not expired and belongs to `ownerId`; otherwise `not_found` (never "someone else's"). */
  get(id: string, ownerId: string): StoredFile {
    if (!ID_RE.test(id) || !existsSync(this.meta(id))) throw new DomainError('not_found', 'No such file (it may have expired)', 'fileId');
    const f = JSON.parse(readFileSync(this.meta(id), 'utf8')) as StoredFile;
    if (f.ownerId !== ownerId || Date.parse(f.expiresAt) < this.clock.epochMs()) throw new DomainError('not_found', 'No such file (it may have expired)', 'fileId');
    return f;
  }

  pathOf(f: StoredFile): string {
    return this.blob(f.id);
  }

  read(id: string, ownerId: string): { file: StoredFile; stream: ReadStream } {
    const file = this.get(id, ownerId);
    return { file, stream: createReadStream(this.blob(id)) };
  }

  /** Copies a file to a path the user chose in the desktop save dialog. */
  async copyTo(id: string, ownerId: string, target: string): Promise<StoredFile> {
    const file = this.get(id, ownerId);
    await copyFile(this.blob(id), target);
    return file;
  }

  remove(id: string): void {
    if (!ID_RE.test(id)) return;
    rmSync(this.meta(id), { force: true });
    rmSync(this.blob(id), { force: true });
  }

  /** Removes expired files and leftovers of interrupted writes; returns how many went. */
  sweep(): number {
    let n = 0;
    const now = this.clock.epochMs();
    for (const name of readdirSync(this.dir)) {
      const m = /^([0-9a-f-]{36})\.(bin|json|part)$/.exec(name);
      if (!m) continue;
      const id = m[1]!;
      if (m[2] === 'part') {
        // A part file older than a day belongs to a process that died mid-upload.
        if (now - statSync(join(this.dir, name)).mtimeMs > DAY) {
          rmSync(join(this.dir, name), { force: true });
          n++;
        }
        continue;
      }
      if (m[2] === 'bin' && !existsSync(this.meta(id))) {
        rmSync(join(this.dir, name), { force: true });
        n++;
        continue;
      }
      if (m[2] === 'json') {
        try {
          const f = JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as StoredFile;
          if (Date.parse(f.expiresAt) < now) {
            this.remove(id);
            n++;
          }
        } catch {
          this.remove(id);
          n++;
        }
      }
    }
    return n;
  }
}

/**
 * Streams into `tmp`; on failure removes it only once the write stream has closed (it opens the file
 * asynchronously: removed too early, the file would be created again behind our back).
 */
async function writeOrRemove(tmp: string, source: Readable): Promise<void> {
  const out = createWriteStream(tmp, { mode: 0o600 });
  try {
    await pipeline(source, out);
  } catch (e) {
    if (!out.closed) await new Promise<void>((ok) => out.once('close', () => ok()));
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** A display name only (the stored file is named by its id): no folders, no control characters, bounded. */
export function safeName(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '').trim().replace(/^\.+/, '');
  return (clean || fallback).slice(0, 120);
}
