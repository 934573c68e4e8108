/** The server's configuration: defaults, flags over variables, and a specific error for every bad value. */
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_BODY_LIMIT, loadServerConfig } from './config';

const dir = mkdtempSync(join(tmpdir(), 'kansli-srv-config-'));
const cert = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');
writeFileSync(cert, 'cert');
writeFileSync(key, 'key');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = (argv: string[], env: NodeJS.ProcessEnv = {}) => loadServerConfig(argv, env, dir);

function refusal(argv: string[], env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    load(argv, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadServerConfig', () => {
  it('defaults: embedded PostgreSQL in .kansli-server, 127.0.0.1:8080 without TLS, 8 MiB, no trusted proxy, info', () => {
    expect(load([])).toEqual({
      database: { kind: 'embedded' },
      dataDir: join(dir, '.kansli-server'),
      host: '127.0.0.1',
      port: 8080,
      tls: null,
      bodyLimit: DEFAULT_BODY_LIMIT,
      trustProxy: false,
      logLevel: 'info',
    });
    expect(DEFAULT_BODY_LIMIT).toBe(8 * 1024 * 1024);
  });

  it('DATABASE_URL selects the municipality PostgreSQL; TLS moves the default port to 8443', () => {
    const c = load(['--tls-cert', 'cert.pem', '--tls-key=key.pem'], { DATABASE_URL: 'postgresql://kansli:s3cret@db.kommun.se:5432/kansli' });
    expect(c.database).toEqual({ kind: 'url', url: 'postgresql://kansli:s3cret@db.kommun.se:5432/kansli' });
    expect(c.tls).toEqual({ certPath: cert, keyPath: key });
    expect(c.port).toBe(8443);
  });

  it('reads every setting from its environment variable, and a flag wins over its variable', () => {
    const env = {
      KANSLI_SERVER_DATA: '/srv/kansli',
      KANSLI_SERVER_HOST: '0.0.0.0',
      KANSLI_SERVER_PORT: '9000',
      KANSLI_SERVER_BODY_LIMIT: '512KiB',
      KANSLI_SERVER_TRUST_PROXY: '10.0.0.5, 192.168.0.0/16,loopback,fd00::/8',
      KANSLI_SERVER_LOG_LEVEL: 'warn',
    };
    const c = load([], env);
    expect(c).toMatchObject({ dataDir: '/srv/kansli', host: '0.0.0.0', port: 9000, bodyLimit: 512 * 1024, trustProxy: ['10.0.0.5', '192.168.0.0/16', 'loopback', 'fd00::/8'], logLevel: 'warn' });
    const f = load(['--data', 'here', '--port', '0', '--host', 'kansli.kommun.se', '--body-limit', '2MiB', '--trust-proxy', 'off', '--log-level', 'debug'], env);
    expect(f).toMatchObject({ dataDir: join(dir, 'here'), port: 0, host: 'kansli.kommun.se', bodyLimit: 2 * 1024 * 1024, trustProxy: false, logLevel: 'debug' });
  });

  it('names the setting at fault', () => {
    expect(refusal(['--port', '70000']).message).toBe('--port: must be an integer from 0 to 65535');
    expect(refusal([], { KANSLI_SERVER_PORT: 'http' }).message).toBe('KANSLI_SERVER_PORT (or --port): must be an integer from 0 to 65535');
    expect(refusal(['--host', 'bad host!']).setting).toBe('--host');
    expect(refusal(['--body-limit', '10']).message).toMatch(/^--body-limit: must be a size from 1 KiB to 1024 MiB/);
    expect(refusal(['--body-limit', '2GiB']).setting).toBe('--body-limit');
    expect(refusal(['--trust-proxy', '10.0.0.5,proxy.kommun.se,10.0.0.0/33']).message).toBe(
      '--trust-proxy: not an IP address, CIDR range or one of loopback, linklocal, uniquelocal: proxy.kommun.se, 10.0.0.0/33',
    );
    expect(refusal(['--log-level', 'verbose']).message).toBe('--log-level: must be one of fatal, error, warn, info, debug, trace, silent');
    expect(refusal(['--prot', '1']).message).toMatch(/^--prot: unknown option/);
    expect(refusal(['--port']).message).toBe('--port: needs a value');
    expect(refusal(['--port', '1', '--port', '2']).message).toBe('--port: given twice');
    expect(refusal(['start']).message).toBe('start: unexpected argument');
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL URL, without repeating it (it carries the password)', () => {
    const e = refusal([], { DATABASE_URL: 'mysql://kansli:hunter2@db/kansli' });
    expect(e.message).toBe('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(e.message).not.toContain('hunter2');
  });

  it('TLS: both files or neither, and each must exist, be a file and be readable', () => {
    expect(refusal(['--tls-cert', cert]).message).toBe('--tls-key: TLS needs both a certificate (--tls-cert) and its key (--tls-key), or neither');
    expect(refusal([], { KANSLI_SERVER_TLS_KEY: key }).setting).toBe('--tls-cert');
    expect(refusal(['--tls-cert', 'missing.pem', '--tls-key', key]).message).toBe(`--tls-cert: file not found: ${join(dir, 'missing.pem')}`);
    mkdirSync(join(dir, 'adir'));
    expect(refusal(['--tls-cert', cert, '--tls-key', 'adir']).message).toBe(`--tls-key: not a file: ${join(dir, 'adir')}`);
  });

  it.skipIf(process.getuid?.() === 0)('TLS: an unreadable key file is refused (root reads every file)', () => {
    const locked = join(dir, 'locked.pem');
    writeFileSync(locked, 'key');
    chmodSync(locked, 0o000);
    expect(refusal(['--tls-cert', cert, '--tls-key', locked]).message).toBe(`--tls-key: file not readable (EACCES): ${locked}`);
  });
});
