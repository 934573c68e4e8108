#!/usr/bin/env node
// The `kansli` command: runs the TypeScript CLI through tsx so the repository needs no build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

process.env.KANSLI_CLI = '1';
register();
await import(join(dirname(fileURLToPath(import.meta.url)), '..', 'core', 'cli', 'main.ts'));
