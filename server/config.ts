/**
 * The central server's configuration, from the environment and the command line (a flag wins over its
 * variable). Every value is checked here, once, with a message that names the setting, so a wrong setting
 * stops the server before it touches a database rather than failing later with a library's error.
 *
 *   DATABASE_URL               the municipality's PostgreSQL (postgres://…); without it an embedded PostgreSQL
 *                              runs in <data>/pg. Deliberately no flag: a password on the command line is
 *                              visible to every local user in the process list.
 *   --data, KANSLI_SERVER_DATA             data folder (default .kansli-server in the working directory)
 *   --host, KANSLI_SERVER_HOST             listen address (default 127.0.0.1)
 *   --port, KANSLI_SERVER_PORT             default 8443 with TLS, 8080 without; 0 lets the OS choose
 *   --tls-cert, --tls-key, KANSLI_SERVER_TLS_CERT, KANSLI_SERVER_TLS_KEY   PEM files, both or neither
 *   --body-limit, KANSLI_SERVER_BODY_LIMIT  request body limit: bytes, or with KiB/MiB (default 8 MiB)
 *   --trust-proxy, KANSLI_SERVER_TRUST_PROXY  comma-separated proxy addresses or CIDR ranges (off by default)
 *   --log-level, KANSLI_SERVER_LOG_LEVEL   fatal, error, warn, info (default), debug, trace, silent
 */
import { accessSync, constants, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;

export interface ServerConfig {
  /** The municipality's PostgreSQL, or the embedded one in `<dataDir>/pg`. */
  database: { kind: 'url'; url: string } | { kind: 'embedded' };
  dataDir: string;
  host: string;
  port: number;
  tls: { certPath: string; keyPath: string } | null;
  bodyLimit: number;
  /** Addresses or CIDR ranges of the reverse proxies whose X-Forwarded-* headers are believed; false = none. */
  trustProxy: false | string[];
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  constructor(
    /** The flag or variable at fault, e.g. `--port` or `DATABASE_URL`. */
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** Flag name → environment variable. */
const SETTINGS = {
  data: 'KANSLI_SERVER_DATA',
  host: 'KANSLI_SERVER_HOST',
  port: 'KANSLI_SERVER_PORT',
  'tls-cert': 'KANSLI_SERVER_TLS_CERT',
  'tls-key': 'KANSLI_SERVER_TLS_KEY',
  'body-limit': 'KANSLI_SERVER_BODY_LIMIT',
  'trust-proxy': 'KANSLI_SERVER_TRUST_PROXY',
  'log-level': 'KANSLI_SERVER_LOG_LEVEL',
} as const;
type Setting = keyof typeof SETTINGS;

/** Named ranges proxy-addr (Fastify's trustProxy) understands besides addresses and CIDRs. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(s: string): boolean {
  if (PROXY_NAMES.has(s) || isIP(s) !== 0) return true;
  const m = /^(.+)\/(\d{1,3})$/.exec(s);
  if (!m) return false;
  const family = isIP(m[1]!);
  const bits = Number(m[2]);
  return (family === 4 && bits <= 32) || (family === 6 && bits <= 128);
}

const UNITS: Record<string, number> = { '': 1, B: 1, KIB: 1024, MIB: 1024 * 1024 };

const schema = z.object({
  databaseUrl: z
    .string()
    .optional()
    // The message never repeats the value: it carries the database password.
    .refine((v) => v === undefined || /^postgres(ql)?:\/\/[^/]/.test(v) && URL.canParse(v), 'must be a postgres:// or postgresql:// URL'),
  data: z.string().min(1, 'must not be empty'),
  host: z.string().refine((v) => isIP(v) !== 0 || /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(v), 'must be an IP address or a host name'),
  port: z
    .string()
    .regex(/^\d{1,5}$/, 'must be an integer from 0 to 65535')
    .transform(Number)
    .refine((n) => n <= 65535, 'must be an integer from 0 to 65535')
    .optional(),
  'tls-cert': z.string().min(1).optional(),
  'tls-key': z.string().min(1).optional(),
  'body-limit': z
    .string()
    .transform((v, ctx) => {
      const m = /^(\d+)\s*(B|KiB|MiB)?$/i.exec(v.trim());
      const n = m ? Number(m[1]) * UNITS[(m[2] ?? '').toUpperCase()]! : NaN;
      if (!(n >= 1024 && n <= 1024 * 1024 * 1024)) {
        ctx.addIssue({ code: 'custom', message: 'must be a size from 1 KiB to 1024 MiB, e.g. 8388608, 512KiB or 8MiB' });
        return z.NEVER;
      }
      return n;
    })
    .optional(),
  'trust-proxy': z
    .string()
    .transform((v, ctx) => {
      const list = v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
      if (list.length === 0 || v.trim() === 'off') return false as const;
      const bad = list.filter((s) => !isProxyAddress(s));
      if (bad.length) {
        ctx.addIssue({ code: 'custom', message: `not an IP address, CIDR range or one of loopback, linklocal, uniquelocal: ${bad.join(', ')}` });
        return z.NEVER;
      }
      return list;
    })
    .optional(),
  'log-level': z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
});

/** The value of a flag (`--name value` or `--name=value`), else its environment variable. */
function pick(flags: Map<string, string>, env: NodeJS.ProcessEnv, name: Setting): string | undefined {
  return flags.get(name) ?? (env[SETTINGS[name]] !== undefined && env[SETTINGS[name]] !== '' ? env[SETTINGS[name]] : undefined);
}

export function parseServerFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new ConfigError(a, 'unexpected argument');
    const eq = a.indexOf('=');
    const name = a.slice(2, eq > 0 ? eq : undefined);
    if (!(name in SETTINGS)) throw new ConfigError(`--${name}`, `unknown option (known: ${Object.keys(SETTINGS).map((k) => `--${k}`).join(', ')})`);
    const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new ConfigError(`--${name}`, 'needs a value');
    if (flags.has(name)) throw new ConfigError(`--${name}`, 'given twice');
    flags.set(name, v);
  }
  return flags;
}

function readableFile(setting: string, path: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
    accessSync(path, constants.R_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(setting, code === 'ENOENT' ? `file not found: ${path}` : `file not readable (${code}): ${path}`);
  }
  if (!isFile) throw new ConfigError(setting, `not a file: ${path}`);
}

/** Reads and checks the configuration; throws a ConfigError naming the first setting at fault. */
export function loadServerConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  const flags = parseServerFlags(argv);
  const raw = {
    databaseUrl: env.DATABASE_URL !== undefined && env.DATABASE_URL !== '' ? env.DATABASE_URL : undefined,
    data: pick(flags, env, 'data') ?? '.kansli-server',
    host: pick(flags, env, 'host') ?? '127.0.0.1',
    port: pick(flags, env, 'port'),
    'tls-cert': pick(flags, env, 'tls-cert'),
    'tls-key': pick(flags, env, 'tls-key'),
    'body-limit': pick(flags, env, 'body-limit'),
    'trust-proxy': pick(flags, env, 'trust-proxy'),
    'log-level': pick(flags, env, 'log-level'),
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0]);
    const setting = key === 'databaseUrl' ? 'DATABASE_URL' : flags.has(key) ? `--${key}` : `${SETTINGS[key as Setting]} (or --${key})`;
    throw new ConfigError(setting, issue.message);
  }
  const c = parsed.data;
  const certFlag = flags.has('tls-cert') ? '--tls-cert' : SETTINGS['tls-cert'];
  const keyFlag = flags.has('tls-key') ? '--tls-key' : SETTINGS['tls-key'];
  if ((c['tls-cert'] === undefined) !== (c['tls-key'] === undefined)) {
    // Named after the one missing, in its flag form (the message says what each is for).
    throw new ConfigError(c['tls-cert'] === undefined ? '--tls-cert' : '--tls-key', 'TLS needs both a certificate (--tls-cert) and its key (--tls-key), or neither');
  }
  let tls: ServerConfig['tls'] = null;
  if (c['tls-cert'] !== undefined && c['tls-key'] !== undefined) {
    tls = { certPath: resolve(cwd, c['tls-cert']), keyPath: resolve(cwd, c['tls-key']) };
    readableFile(certFlag, tls.certPath);
    readableFile(keyFlag, tls.keyPath);
  }
  return {
    database: c.databaseUrl !== undefined ? { kind: 'url', url: c.databaseUrl } : { kind: 'embedded' },
    dataDir: resolve(cwd, c.data),
    host: c.host,
    port: c.port ?? (tls ? 8443 : 8080),
    tls,
    bodyLimit: c['body-limit'] ?? DEFAULT_BODY_LIMIT,
    trustProxy: c['trust-proxy'] ?? false,
    logLevel: c['log-level'] ?? 'info',
  };
}
