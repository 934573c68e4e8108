/**
 * `kansli` — the administrators' command line.
 *   kansli id check <number> [--json] [--today YYYY-MM-DD] [--allow-synthetic]
 *   kansli demo seed [--country se|no] [--persons N] [--seed N] [--no-incomes] [--no-foi] [--data-dir DIR]
 *   kansli demo population-files --out DIR [--data-dir DIR] [--today YYYY-MM-DD]     the demo's register files (full + delta)
 *   kansli demo population-files --out DIR --country se|no --persons N               a synthetic full file, no database
 *   kansli db migrate [--data-dir DIR]
 *   kansli db status [--data-dir DIR]
 *   kansli db check [--data-dir DIR]      integrity, foreign keys, search index, shielding flags (exit 1 on a problem)
 *   kansli db reindex [--data-dir DIR]    rebuilds the search index and recomputes the shielding flags
 *   kansli audit verify [--data-dir DIR] [--anchor FILE ...] [--json]
 *                                         checks the audit log's hash chain and compares it with the anchor file
 *                                         beside the database and each FILE (anchor files or audit CSV exports);
 *                                         exit 1 when broken
 *   kansli user list [--data-dir DIR]                 accounts, roles, two-factor and lock state
 *   kansli user reset <username> [--totp]             one-time password (and a fresh TOTP enrolment): recovery, audited
 *   kansli fees explain --person ID --month YYYY-MM [--json]   a child's fee for a month, line by line, and why (audited)
 *   kansli fees run --month YYYY-MM [--preview] [--credit-note] [--export csv|ubl|payment --out DIR]  the month's fee run: preview, lock, export (audited)
 * Exit codes: 0 success, 1 a negative answer or failure (e.g. invalid number), 2 usage error.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { hostname, userInfo } from 'node:os';
import Database from 'better-sqlite3';
import { parseIdentityNumber, formatIdentityNumber } from '../../shared/identity';
import { checkHistoryIsPrefix, loadShippedMigrations, MigrationError, type AppliedMigration } from '../../db/migrate';
import { openDatabase } from '../../db/open';
import { createCore, dataPaths } from '../app';
import type { Actor } from '../context';
import type { MethodOutput } from '../../shared/api/contract';
import { isNoExplanation, month as feeMonth, type NoFeeExplanationView } from '../../shared/api/fees';
import { anchorSource } from '../audit/anchor';
import { verifyAuditChain } from '../audit/chain';
import { isDemoDatabase, seedDemo } from '../demo/generate';
import { writeDemoPopulationFiles, writeSyntheticPopulationFile } from '../demo/population-files';
import { recomputeAllShielding, shieldingDrift } from '../register/shielding';
import { defaultDataDir } from '../paths';
import { countryFlag, dateFlag, intFlag, parseArgs, UsageError } from './args';
import { runImportCli } from './import';
import { runFeeRunCli } from './fees';

const USAGE = `Usage:
  kansli id check <number> [--json] [--today YYYY-MM-DD] [--allow-synthetic]
  kansli demo seed [--country se|no] [--persons N] [--seed N] [--no-incomes] [--no-foi] [--data-dir DIR]
  kansli demo population-files --out DIR [--data-dir DIR] [--today YYYY-MM-DD]
  kansli demo population-files --out DIR --country se|no --persons N [--today YYYY-MM-DD]
  kansli db migrate [--data-dir DIR]
  kansli db status [--data-dir DIR]
  kansli db check [--data-dir DIR]
  kansli db reindex [--data-dir DIR]
  kansli audit verify [--data-dir DIR] [--anchor FILE ...] [--json]
  kansli import navet|freg FILE [--dry-run] [--kind full|delta] [--data-dir DIR] [--json]
  kansli import csv FILE --mapping NAME [--dry-run] [--data-dir DIR] [--json]
  kansli user list [--data-dir DIR]
  kansli user reset <username> [--totp] [--data-dir DIR]
  kansli fees explain --person ID --month YYYY-MM [--json] [--data-dir DIR]
  kansli fees run --month YYYY-MM [--preview] [--credit-note] [--export csv|ubl|payment --out DIR [--layout ID]] [--data-dir DIR]`;

const KIND_LABEL: Record<string, string> = {
  se_personnummer: 'personnummer',
  se_samordningsnummer: 'samordningsnummer',
  no_fodselsnummer: 'fødselsnummer',
  no_d_nummer: 'D-nummer',
  no_h_nummer: 'H-nummer',
  no_synthetic: 'synthetic test number',
};

export function runCli(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n')): number {
  const [group, command, ...rest] = argv;
  if (!group || group === '--help' || group === 'help') {
    out(USAGE);
    return group ? 0 : 2;
  }
  const key = `${group} ${command ?? ''}`;
  switch (key) {
    case 'id check': {
      const args = parseArgs(rest, { boolean: ['json', 'allow-synthetic'], value: ['today'] });
      const input = args.positionals.join(' ');
      if (args.positionals.length !== 1) throw new UsageError('id check takes exactly one number (quote it if it contains spaces)');
      const today = dateFlag(args, 'today');
      const r = parseIdentityNumber(input, { today, allowSynthetic: args.flags.has('allow-synthetic') });
      if (args.flags.has('json')) {
        out(
          JSON.stringify(
            r.ok
              ? { valid: true, input, kind: r.kind, country: r.country, birthDate: r.birthDate, sex: r.sex, canonical: r.canonical, display: formatIdentityNumber(r.canonical, { today }), checkRule: r.checkRule ?? null }
              : { valid: false, input, code: r.code, message: r.message },
          ),
        );
      } else if (r.ok) {
        out(`valid      yes`);
        out(`kind       ${KIND_LABEL[r.kind] ?? r.kind} (${r.country})`);
        out(`birth date ${r.birthDate}`);
        out(`sex        ${r.sex === 'F' ? 'female' : r.sex === 'M' ? 'male' : 'not derivable from the number'}`);
        out(`canonical  ${r.canonical}`);
        out(`display    ${formatIdentityNumber(r.canonical, { today })}`);
      } else {
        out(`valid      no`);
        out(`reason     ${r.message} (${r.code})`);
      }
      return r.ok ? 0 : 1;
    }
    case 'demo seed': {
      const args = parseArgs(rest, { boolean: ['no-incomes', 'no-foi'], value: ['country', 'persons', 'seed', 'data-dir'] });
      const { dbPath } = dataPaths((args.flags.get('data-dir') as string | undefined) ?? defaultDataDir());
      const opened = openDatabase(dbPath);
      try {
        const n = (opened.sqlite.prepare('SELECT count(*) AS n FROM municipality').get() as { n: number }).n;
        if (n > 0) {
          out(`The database at ${dbPath} already holds a municipality; demo data is only seeded into an empty database.`);
          return 1;
        }
        const r = seedDemo(opened.sqlite, {
          country: countryFlag(args, 'SE'),
          persons: intFlag(args, 'persons', 10000, 20, 5_000_000),
          seed: intFlag(args, 'seed', 20261123, 0, 2 ** 31),
          // An explicit seed asks for the same database every time, ids included.
          deterministicIds: args.flags.has('seed'),
          // Households' incomes for the fee screens, as the app's own demo has them (--no-incomes: none).
          incomes: !args.flags.has('no-incomes'),
          // FOI requests for the officer's dashboard, seeded with the demo accounts at the first start (--no-foi: none).
          foiRequests: !args.flags.has('no-foi'),
        });
        out(`Seeded ${r.persons} persons (${r.protectedPersons} protected), ${r.units} units, ${r.groups} groups in ${(r.ms / 1000).toFixed(1)} s into ${dbPath}`);
        return 0;
      } finally {
        opened.close();
      }
    }
    case 'demo population-files': {
      // Navet (SE) / Folkeregisteret (NO) files as the population register would send them (core/demo/population-files.ts).
      const args = parseArgs(rest, { value: ['out', 'data-dir', 'country', 'persons', 'today'] });
      const outDir = args.flags.get('out');
      if (typeof outDir !== 'string') throw new UsageError('demo population-files needs --out DIR');
      const today = dateFlag(args, 'today');
      if (args.flags.has('persons')) {
        if (args.flags.has('data-dir')) throw new UsageError('--persons makes a synthetic file without a database; leave out --data-dir');
        const country = countryFlag(args, 'SE');
        const persons = intFlag(args, 'persons', 1000, 1, 5_000_000);
        mkdirSync(outDir, { recursive: true });
        const path = join(outDir, country === 'SE' ? 'navet-synthetic.xml' : 'freg-synthetic.xml');
        const bytes = writeSyntheticPopulationFile(path, { country, persons, today });
        out(`Wrote ${persons} synthetic persons (${(bytes / 1e6).toFixed(1)} MB) to ${path}`);
        return 0;
      }
      const { dbPath } = dataPaths((args.flags.get('data-dir') as string | undefined) ?? defaultDataDir());
      if (!existsSync(dbPath)) {
        out(`${dbPath} does not exist`);
        return 1;
      }
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        if (!isDemoDatabase(db)) {
          out(`${dbPath} is not a demo database; register files are only made from synthetic data`);
          return 1;
        }
        const demoCountry = (db.prepare(`SELECT country FROM municipality LIMIT 1`).get() as { country: 'SE' | 'NO' }).country;
        if (args.flags.has('country') && countryFlag(args, demoCountry) !== demoCountry) throw new UsageError(`The demo database is ${demoCountry}; leave out --country or match it`);
        const r = writeDemoPopulationFiles(db, { outDir, today });
        out(`Wrote ${r.full} (${r.persons} persons) and ${r.delta} (${r.deltaItems} ${r.country === 'SE' ? 'posts' : 'events'}: ${r.changes.map((c) => c.change).join(', ')})`);
        return 0;
      } finally {
        db.close();
      }
    }
    case 'db migrate': {
      const args = parseArgs(rest, { value: ['data-dir'] });
      const { dbPath } = dataPaths((args.flags.get('data-dir') as string | undefined) ?? defaultDataDir());
      const opened = openDatabase(dbPath);
      opened.close();
      out(
        opened.migration.applied.length
          ? `Applied ${opened.migration.applied.join(', ')} to ${dbPath}${opened.migration.backupPath ? ` (backup: ${opened.migration.backupPath})` : ''}`
          : `${dbPath} is up to date`,
      );
      return 0;
    }
    case 'db check': {
      // Integrity of the file, the foreign keys, and the trigram index against the person table (the index
      // refers to persons by rowid, which a VACUUM or a foreign restore could renumber). The stored shielding
      // flag against the rule: a flag left wrong by a write outside the core would show a protected home.
      const args = parseArgs(rest, { value: ['data-dir'] });
      const { dbPath } = dataPaths((args.flags.get('data-dir') as string | undefined) ?? defaultDataDir());
      if (!existsSync(dbPath)) {
        out(`${dbPath} does not exist`);
        return 1;
      }
      const opened = openDatabase(dbPath);
      try {
        const problems: string[] = [];
        const quick = opened.sqlite.pragma('quick_check', { simple: true }) as string;
        if (quick !== 'ok') problems.push(`quick_check: ${quick}`);
        const fk = opened.sqlite.pragma('foreign_key_check') as unknown[];
        if (fk.length) problems.push(`${fk.length} rows violate foreign keys`);
        try {
          opened.sqlite.exec(`INSERT INTO person_fts(person_fts, rank) VALUES ('integrity-check', 1)`);
        } catch (e) {
          problems.push(`search index does not match the person table (${(e as Error).message}); rebuild with: kansli db reindex`);
        }
        const drift = shieldingDrift(opened.sqlite);
        if (drift.length) problems.push(`${drift.length} person(s) have a shielding flag that disagrees with the protection rule (first: ${drift[0]}); recompute with: kansli db reindex`);
        out(problems.length ? `${dbPath}: ${problems.length} problem(s)\n  ${problems.join('\n  ')}` : `${dbPath}: ok`);
        return problems.length ? 1 : 0;
      } finally {
        opened.close();
      }
    }
    case 'db reindex': {
      const args = parseArgs(rest, { value: ['data-dir'] });
      const { dbPath } = dataPaths((args.flags.get('data-dir') as string | undefined) ?? defaultDataDir());
      const opened = openDatabase(dbPath);
      try {
        opened.sqlite.exec(`INSERT INTO person_fts(person_fts) VALUES ('rebuild')`);
        const flipped = opened.sqlite.transaction(() => recomputeAllShielding(opened.sqlite))();
        out(`Rebuilt the search index of ${dbPath}; ${flipped} shielding flag(s) corrected`);
        return 0;
      } finally {
        opened.close();
      }
    }
    case 'db status': {
      const args = parseArgs(rest, { value: ['data-dir'] });
      const { dbPath } = dataPaths((args.flags.get('data-dir') as string | undefined) ?? defaultDataDir());
      const shipped = loadShippedMigrations();
      if (!existsSync(dbPath)) {
        out(`${dbPath} does not exist; ${shipped.length} migrations would be applied`);
        return 0;
      }
      // Read-only: a status query must not change the file (appliedMigrations would create its table).
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        const hasHistory = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__kansli_migrations'`).get() !== undefined;
        const applied = hasHistory ? (db.prepare('SELECT idx, tag, hash FROM __kansli_migrations ORDER BY idx').all() as AppliedMigration[]) : [];
        out(`${dbPath}: ${applied.length} of ${shipped.length} migrations applied`);
        for (const m of shipped) out(`  ${applied.some((a) => a.tag === m.tag && a.hash === m.hash) ? 'applied' : 'pending'}  ${m.tag}`);
        try {
          checkHistoryIsPrefix(applied, shipped);
        } catch (e) {
          if (!(e instanceof MigrationError)) throw e;
          out(`  refused  ${e.message}`);
          return 1;
        }
      } finally {
        db.close();
      }
      return 0;
    }
    case 'audit verify': {
      const args = parseArgs(rest, { boolean: ['json'], value: ['data-dir'], repeated: ['anchor'] });
      if (args.positionals.length) throw new UsageError('audit verify takes no arguments besides its options');
      const { dbPath, anchorPath, pendingPath } = dataPaths((args.flags.get('data-dir') as string | undefined) ?? defaultDataDir());
      // A file named on the command line must be there: checking against nothing would look like a pass.
      const given = args.lists.get('anchor') ?? [];
      for (const f of given) {
        let ok: boolean;
        try {
          ok = anchorSource(f) !== null;
        } catch (e) {
          throw new UsageError(`--anchor ${f}: ${(e as Error).message}`);
        }
        if (!ok) throw new UsageError(`--anchor ${f}: no such file`);
      }
      if (!existsSync(dbPath)) {
        out(`${dbPath} does not exist`);
        return 1;
      }
      const opened = openDatabase(dbPath);
      try {
        const r = verifyAuditChain(opened.sqlite, { anchorFiles: [anchorPath, ...given] });
        // Read-only about the log: pending entries are counted, not merged (the app merges them).
        const pending = countPending(pendingPath, opened.sqlite);
        if (args.flags.has('json')) out(JSON.stringify(pending ? { ...r, pending } : r));
        else {
          const a = r.anchors;
          if (r.firstBroken) out(`Audit log BROKEN at entry ${r.firstBroken.seq}: ${r.firstBroken.problem}`);
          else if (a.problem) out(`Audit log BROKEN: ${a.problem.message}`);
          else {
            const anchored = a.checked
              ? `, matching ${a.checked} anchor${a.checked === 1 ? '' : 's'}${a.lastAnchoredSeq ? ` (the latest for entry ${a.lastAnchoredSeq})` : ''}`
              : ' (no anchors to compare with)';
            out(`Audit log intact: ${r.entries} entries${anchored}`);
          }
          if (pending) out(`${pending} entr${pending === 1 ? 'y waits' : 'ies wait'} in the pending journal ${pendingPath}; Kansli merges them into the log`);
        }
        return r.ok ? 0 : 1;
      } finally {
        opened.close();
      }
    }
    case 'user list':
    case 'user reset': {
      const args = parseArgs(rest, { boolean: ['totp'], value: ['data-dir'] });
      const { dbPath, logDir } = dataPaths((args.flags.get('data-dir') as string | undefined) ?? defaultDataDir());
      if (!existsSync(dbPath)) {
        out(`${dbPath} does not exist`);
        return 1;
      }
      if (command === 'reset' && args.positionals.length !== 1) throw new UsageError('user reset takes exactly one user name');
      // Whoever can run this already holds the data folder; the command exists so a lost administrator
      // password or phone does not lock the municipality out. It goes through the core, so it is audited.
      const core = createCore({ dbPath, logDir, workstation: `${hostname()} (command line)` });
      const cli: Actor = { id: 'cli', name: `Command line (${userInfo().username})`, permissions: new Set(['access.admin']) };
      try {
        const users = core.call('user.list', {}, cli);
        if (!users.ok) throw new Error(users.error.message);
        const items = (users.data as { items: { id: string; username: string; displayName: string; roles: { role: string; unitName: string | null }[]; totpEnabled: boolean; disabled: boolean; lockedUntil: string | null }[] }).items;
        if (command === 'list') {
          for (const u of items) {
            const roles = u.roles.map((r) => r.role + (r.unitName ? ` @ ${r.unitName}` : '')).join(', ') || '(no roles)';
            out(`${u.username.padEnd(20)} ${u.displayName.padEnd(28)} ${roles}${u.totpEnabled ? '  [2FA]' : ''}${u.disabled ? '  [disabled]' : ''}${u.lockedUntil ? `  [locked until ${u.lockedUntil}]` : ''}`);
          }
          return 0;
        }
        const name = args.positionals[0]!.trim().toLowerCase();
        const user = items.find((u) => u.username === name);
        if (!user) {
          out(`No user ${name}`);
          return 1;
        }
        // A one-time password the user must replace at the next sign-in.
        const password = randomBytes(15).toString('base64url');
        const r = core.call('user.resetPassword', { id: user.id, password }, cli);
        if (!r.ok) throw new Error(r.error.message);
        if (args.flags.has('totp')) {
          const t = core.call('user.resetTotp', { id: user.id }, cli);
          if (!t.ok) throw new Error(t.error.message);
        }
        out(`One-time password for ${user.username}: ${password}`);
        out(`It must be changed at the next sign-in${args.flags.has('totp') ? '; two-factor sign-in is reset and will be set up again' : ''}.`);
        return 0;
      } finally {
        core.close();
      }
    }
    case 'fees explain': {
      const args = parseArgs(rest, { boolean: ['json'], value: ['data-dir', 'person', 'month'] });
      if (args.positionals.length) throw new UsageError('fees explain takes no arguments besides its options');
      const person = args.flags.get('person') as string | undefined;
      const month = args.flags.get('month') as string | undefined;
      if (!person) throw new UsageError('fees explain needs --person ID');
      if (!month || !feeMonth.safeParse(month).success) throw new UsageError('fees explain needs --month YYYY-MM');
      const { dbPath, logDir } = dataPaths((args.flags.get('data-dir') as string | undefined) ?? defaultDataDir());
      if (!existsSync(dbPath)) {
        out(`${dbPath} does not exist`);
        return 1;
      }
      // Through the core as a fee reader: audited like the same question asked on the screen.
      const core = createCore({ dbPath, logDir, workstation: `${hostname()} (command line)` });
      const cli: Actor = { id: 'cli', name: `Command line (${userInfo().username})`, permissions: new Set(['fee.read']) };
      try {
        const r = core.call('fee.explain', { personId: person, month }, cli);
        if (!r.ok) {
          out(`${r.error.field ? `${r.error.field}: ` : ''}${r.error.message}`);
          return 1;
        }
        const e = r.data as MethodOutput<'fee.explain'>;
        if (args.flags.has('json')) {
          out(JSON.stringify(e));
          return 0;
        }
        const kr = (ore: number) => `${(ore / 100).toFixed(2)} kr`;
        for (const l of e.lines) {
          const x = l.explanation;
          out(`${month}  ${kr(l.amount)}  (placement ${l.placementId}, household ${l.householdId}${l.shareBp !== 10_000 ? `, share ${l.shareBp / 100} %` : ''})`);
          if (isNoExplanation(x)) {
            for (const text of noExplainLines(x, kr)) out(`  ${text}`);
            continue;
          }
          out(`  rule set ${x.ruleSet.name} (${x.ruleSet.validFrom}–${x.ruleSet.validTo ?? ''}); ceiling ${kr(x.ceiling)}, not counted ${kr(x.incomeFloor)}`);
          out(`  income ${x.income.monthly === null ? 'not declared (the cap applies)' : `${kr(x.income.monthly)} from ${x.income.from}`}; used ${kr(x.income.used)}; fee base ${kr(x.feeBase)}`);
          out(`  child ${x.rank} of ${x.ranked.length} (youngest first), ${x.family}: ${x.percentBp / 100} %, cap ${kr(x.cap)}, month ${kr(x.full)}`);
          for (const lr of x.local) out(`  local rule ${lr.label}: ${kr(lr.before)} → ${kr(lr.after)}`);
          out(`  ${x.days.charged} of ${x.days.ofMonth} days (${x.days.mode}); rounded to ${x.rounding === 'krona' ? 'whole kronor' : 'öre'}`);
        }
        for (const w of e.warnings) out(`warning: ${w.message}`);
        if (!e.lines.length) out(`${month}: nothing to charge`);
        return 0;
      } finally {
        core.close();
      }
    }
    default:
      throw new UsageError(`Unknown command: ${[group, command].filter(Boolean).join(' ')}\n${USAGE}`);
  }
}

/**
 * `kansli fees explain` for a Norwegian line (SFO/AKS, barnehage): the rule set, the income (monthly,
 * yearly, in G), the place, the reductions granted, each step with the month's fee after it, the days
 * (and the days of documented illness not charged), shared residence, split, rounding.
 */
export function noExplainLines(x: NoFeeExplanationView, kr: (ore: number) => string): string[] {
  const g = (thousandths: number) => `${(thousandths / 1000).toFixed(3).replace(/\.?0+$/, '')} G`;
  const lines = [`rule set ${x.ruleSet.name} (${x.ruleSet.validFrom}–${x.ruleSet.validTo ?? ''}); G ${kr(x.income.g)} a year`];
  const i = x.income;
  lines.push(
    i.monthly === null || i.yearly === null
      ? 'income not declared (the highest band; no income cap, no national rule)'
      : `income ${kr(i.monthly)} a month${i.from ? ` from ${i.from}` : ''}${i.check ? ` (income check ${i.check.year}: taxed ${kr(i.check.taxed)} / 12, declared ${kr(i.check.declared)})` : ''}; ${kr(i.yearly)} a year${i.inGThousandths !== null ? ` = ${g(i.inGThousandths)}` : ''}`,
  );
  const band = x.steps.find((s) => s.band)?.band;
  const hours = x.weeklyHours === null ? 'weekly hours not given' : `${x.weeklyHours} hours a week`;
  lines.push(
    x.family === 'afterschool'
      ? `SFO/AKS, ${x.grade === null ? 'grade unknown' : `grade ${x.grade}`}, ${hours}${band ? `, ${band.part ? 'part-time' : 'full-time'} place` : ''}`
      : `barnehage, ${hours}; child ${x.rank} of ${x.ranked.length} in barnehage (youngest first)`,
  );
  for (const r of x.reductions) lines.push(`reduction ${r.kind.replace('_', ' ')} ${r.from}–${r.to ?? ''}`);
  for (const s of x.steps) {
    const detail =
      s.rule === 'band' && s.band
        ? `band ${s.band.index + 1}, ${s.band.upToGThousandths === null ? 'the highest' : `up to ${g(s.band.upToGThousandths)}`}, ${s.band.part ? 'part-time' : 'full-time'} place`
        : s.rule === 'free_hours'
          ? `${s.hours} free hours a week`
          : s.rule === 'free_core_hours'
            ? `${s.hours} free core hours a week`
            : s.rule === 'national_cap'
              ? `national rule: at most ${(s.bp ?? 0) / 100} % of income = ${kr(s.cap ?? 0)} a month`
              : s.rule === 'income_cap'
                ? `income cap ${(s.bp ?? 0) / 100} % = ${kr(s.cap ?? 0)} a month`
                : s.rule === 'sibling'
                  ? `sibling discount ${(s.bp ?? 0) / 100} %`
                  : s.rule === 'max_price'
                    ? 'maximum price'
                    : s.rule === 'free_month'
                      ? 'a month without a fee'
                      : 'free place (special needs)';
    lines.push(`step ${s.rule}: ${detail} → ${kr(s.amount)}`);
  }
  lines.push(`month ${kr(x.full)}`);
  lines.push(
    `${x.days.charged} of ${x.days.ofMonth} days (${x.days.mode})${x.days.illness ? `, ${x.days.illness} days of documented illness not charged` : ''}; rounded to ${x.rounding === 'krona' ? 'whole kroner' : 'øre'}`,
  );
  if (x.shared) lines.push(`shared residence (${x.shared.mode}): ${x.shared.shareBp / 100} % of ${kr(x.shared.before)}${x.shared.limit !== null ? `, together at most ${kr(x.shared.limit)}` : ''}`);
  if (x.split) lines.push(`invoice share ${x.split.invoiceShare} of ${x.split.sharesTotal} (${kr(x.split.before)})`);
  return lines;
}

/**
 * Entries waiting in the pending journal of read audits (core/audit/sink.ts), read without changing it.
 * A row whose claimed seq already holds its id was merged (its deletion is still due) and is not counted.
 */
function countPending(path: string, log: Database.Database): number {
  if (!existsSync(path)) return 0;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const has = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'pending_audit'`).get() !== undefined;
    if (!has) return 0;
    const merged = log.prepare<[number], { q: string | null }>(`SELECT CASE WHEN json_valid(details) THEN json_extract(details, '$.queued') END AS q FROM audit_log WHERE seq = ?`);
    let n = 0;
    for (const r of db.prepare<[], { id: string; seq: number | null }>('SELECT id, claimed_seq AS seq FROM pending_audit').iterate()) {
      if (r.seq === null || merged.get(r.seq)?.q !== r.id) n++;
    }
    return n;
  } finally {
    db.close();
  }
}

const isMain = process.argv[1] && /core[\\/]cli[\\/]main\.ts$/.test(process.argv[1]);
if (isMain || process.env.KANSLI_CLI === '1') {
  const fail = (e: unknown): void => {
    if (e instanceof UsageError) {
      process.stderr.write(`kansli: ${e.message}\n`);
      process.exitCode = 2;
    } else if (e instanceof MigrationError) {
      process.stderr.write(`kansli: ${e.message}\n`);
      process.exitCode = 1;
    } else throw e;
  };
  const argv = process.argv.slice(2);
  try {
    // Imports and fee runs run jobs: the asynchronous commands.
    if (argv[0] === 'import' || (argv[0] === 'fees' && argv[1] === 'run')) {
      (argv[0] === 'import' ? runImportCli(argv.slice(1)) : runFeeRunCli(argv.slice(2))).then(
        (code) => (process.exitCode = code),
        (e: unknown) => fail(e),
      );
    } else process.exitCode = runCli(argv);
  } catch (e) {
    fail(e);
  }
}
