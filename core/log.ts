/**
 * The core's operational log. It records method names, error codes and stack traces of internal errors,
 * never inputs or outputs: those carry personal data (and could carry a protected address).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Logger {
  info(event: string, data?: Record<string, string | number | boolean>): void;
  error(event: string, err: unknown, data?: Record<string, string | number | boolean>): void;
}

export function fileLogger(dir: string | null): Logger {
  const file = dir ? join(dir, 'kansli.log') : null;
  if (dir) mkdirSync(dir, { recursive: true });
  const write = (level: string, event: string, extra: Record<string, unknown>) => {
    const line = JSON.stringify({ t: new Date().toISOString(), level, event, ...extra });
    try {
      if (file) appendFileSync(file, line + '\n');
      else if (level === 'error') process.stderr.write(line + '\n');
    } catch {
      // A log that cannot be written (the folder was removed, the disk is full) must not take the core down.
    }
  };
  return {
    info: (event, data = {}) => write('info', event, data),
    error: (event, err, data = {}) =>
      write('error', event, { ...data, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), stack: err instanceof Error ? err.stack : undefined }),
  };
}
