#!/usr/bin/env node
// The `kansli` command: runs the TypeScript CLI through tsx so the repository needs no build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

process.env.KANSLI_CLI = '1';
register();
// `kansli server …` runs the central server's own CLI: the core (and its CLI) never imports the server.
const entry = process.argv[2] === 'server' ? ['server', 'cli.ts'] : ['core', 'cli', 'main.ts'];
await import(join(dirname(fileURLToPath(import.meta.url)), '..', ...entry));
