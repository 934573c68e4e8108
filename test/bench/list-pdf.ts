/**
 * `npx tsx test/bench/list-pdf.ts [--runs N] [--json]`: the time to build a 745-row class-list PDF with the
 * PDF kit (pdf-lib's async API, embedded DejaVu Sans subsets), names only and with guardians' contacts. Figures, not assertions: it prints
 * median and p95 per variant, the file size and the page count.
 *
 * The list is synthetic (no database): the PDF's cost depends on the rows, not on where they came from,
 * and the reader's own cost is measured by `npm run bench`. Names mix Swedish letters with
 * others (Ł, ễ, Cyrillic), as a municipality's register does.
 */
import { PDFDocument } from 'pdf-lib';
import type { ListResult } from '../../shared/api/care';
import { listPdf } from '../../core/lists/pdf';

const argv = process.argv.slice(2);
const runsArg = argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(argv[runsArg + 1]) : 15;
const JSON_OUT = argv.includes('--json');
const NOW = '2026-11-23T12:00:00.000Z';
const ROWS = 745;

const FAMILIES = ['Öberg', 'Ågren', 'Jönsson', 'Lindström', 'Åkesson', 'Nguyễn', 'Żółć', 'Ахмедова', 'Håkansson', 'Æbelø'];
const GIVEN = ['Anna', 'Øystein', 'Łukasz', 'Thị Ánh', 'Åsa', 'Elias', 'Руслан', 'Maja', 'Noah', 'Saga'];

function list(): ListResult {
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    unit: { id: id(1), name: 'Ängsskolan' },
    group: null,
    date: '2026-11-23',
    kind: 'enrolments',
    hiddenProtected: 2,
    rows: Array.from({ length: ROWS }, (_, i) => {
      const family = FAMILIES[i % FAMILIES.length]!;
      const group = `${1 + (i % 9)}${'ABC'[i % 3]}`;
      return {
        person: { id: id(100 + i), name: `${family}, ${GIVEN[(i * 7) % GIVEN.length]}`, protected: false },
        birthDate: `${2011 + (i % 9)}-0${1 + (i % 9)}-1${i % 10}`,
        identity: null,
        groupId: id(10 + (i % 27)),
        groupName: group,
        schoolForm: 'GR' as const,
        grade: 1 + (i % 9),
        weeklyHours: null,
        status: null,
        validFrom: '2026-08-01',
        validTo: null,
        guardians: ['Mor', 'Far'].map((who) => ({
          name: `${family}, ${who}${i}`,
          phones: [`070-${String(100000 + i)}`],
          emails: [`${who.toLowerCase()}${i}@example.se`],
        })),
      };
    }),
  };
}

async function measure(name: string, build: () => Uint8Array | Promise<Uint8Array>) {
  for (let i = 0; i < 2; i++) await build(); // warm-up: JIT, font file read
  const times: number[] = [];
  let bytes: Uint8Array = new Uint8Array();
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    bytes = await build();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const pages = (await PDFDocument.load(bytes, { updateMetadata: false })).getPageCount();
  return { name, p50: times[Math.floor(RUNS / 2)]!, p95: times[Math.min(RUNS - 1, Math.floor(RUNS * 0.95))]!, bytes: bytes.length, pages };
}

const result = list();
const results = [];
for (const withContacts of [false, true]) {
  const opts = { lang: 'sv' as const, withContacts, now: NOW };
  const what = withContacts ? 'with contacts' : 'names only';
  results.push(await measure(`kit (async, DejaVu subsets), ${what}`, () => listPdf(result, { ...opts, municipality: 'Ekdala kommun', printedBy: 'Karin Lind' })));
}
if (JSON_OUT) {
  console.log(JSON.stringify(results));
} else {
  console.log(`class-list PDF, ${ROWS} rows, ${RUNS} runs each after 2 warm-up runs`);
  for (const r of results) {
    console.log(`  ${r.name.padEnd(48)} p50 ${r.p50.toFixed(0).padStart(5)} ms  p95 ${r.p95.toFixed(0).padStart(5)} ms  ${(r.bytes / 1024).toFixed(0).padStart(4)} kB  ${r.pages} pages`);
  }
}
