/**
 * Record ids: UUID version 7 (RFC 9562 §5.7): 48 bits of Unix time in milliseconds, then a 12-bit counter
 * (rand_a used as a monotonic sequence, method 1 of §6.2), then 62 random bits.
 *
 * Why not random (v4) ids: every table's primary key and every `person_id` index is a B-tree over these
 * strings. Random ids land on random pages, so a large import touches the whole index for each row and
 * slows down as the register grows (measured: the native inserts were a third of the 100 000-person
 * load's apply time, the largest single part).
 * Time-ordered ids land at the right edge, page after page. They also sort in creation order, which the
 * sync outbox and the central server's indexes benefit from in the same way.
 *
 * What they reveal: the creation time to the millisecond, which every record already stores in
 * `created_at`. Ids that are capabilities (sessions, file ids in a download URL) stay fully random
 * (`randomUUID`), since 62 random bits are fewer than a secret should have.
 */
import { createHash, randomFillSync } from 'node:crypto';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const POOL_SIZE = 8 * 1024;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolAt = POOL_SIZE;
let lastMs = -1;
let seq = 0;

function random8(): Buffer {
  if (poolAt + 8 > POOL_SIZE) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const b = pool.subarray(poolAt, poolAt + 8);
  poolAt += 8;
  return b;
}

/**
 * A new UUIDv7, strictly increasing within this process: ids made in the same millisecond count up in the
 * 12-bit sequence; when it runs out (4 096 in one millisecond) the timestamp moves on by one, and a clock
 * that steps back keeps the last timestamp, so the order never goes backwards.
 */
export function newId(now: number = Date.now()): string {
  if (seeded) return seededId(seeded);
  if (now > lastMs) {
    lastMs = now;
    // Start each millisecond at a random point in the lower half, leaving room to count up.
    seq = random8()[0]! << 3;
  } else if (++seq > 0xfff) {
    lastMs++;
    seq = 0;
  }
  const r = random8();
  const ms = lastMs;
  const hi = Math.floor(ms / 2 ** 16);
  const lo = ms % 2 ** 16;
  return (
    HEX[(hi >>> 24) & 0xff]! +
    HEX[(hi >>> 16) & 0xff]! +
    HEX[(hi >>> 8) & 0xff]! +
    HEX[hi & 0xff]! +
    '-' +
    HEX[(lo >>> 8) & 0xff]! +
    HEX[lo & 0xff]! +
    '-' +
    HEX[0x70 | (seq >>> 8)]! +
    HEX[seq & 0xff]! +
    '-' +
    HEX[0x80 | (r[0]! & 0x3f)]! +
    HEX[r[1]!]! +
    '-' +
    HEX[r[2]!]! +
    HEX[r[3]!]! +
    HEX[r[4]!]! +
    HEX[r[5]!]! +
    HEX[r[6]!]! +
    HEX[r[7]!]!
  );
}

/**
 * Ids made while a mutation runs are derived from its id (docs/sync.md "Deterministic ids"): the central
 * server re-runs the workstation's mutation with the same handler code, and must create the records under
 * the ids the workstation already used, or a later offline mutation that refers to one of them (register
 * a child, then place it) would refer to nothing. UUID version 8 (RFC 9562 §5.8): the first 16 bytes of
 * SHA-256(mutation id, counter), version and variant bits set. The n-th id of a mutation is the same on
 * every machine that runs it, and a retry of a rolled-back attempt makes the same ids again.
 *
 * They are not time-ordered like v7: an interactive mutation creates a handful of records, so the B-tree
 * locality that v7 buys for bulk loads does not matter here, and jobs (which do bulk loads) run unseeded.
 */
let seeded: { seed: string; n: number } | null = null;

function seededId(s: { seed: string; n: number }): string {
  const h = createHash('sha256').update(s.seed).update(':').update(String(s.n++)).digest();
  h[6] = 0x80 | (h[6]! & 0x0f);
  h[8] = 0x80 | (h[8]! & 0x3f);
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/**
 * An id derived from what makes a record unique (UUIDv8 from SHA-256 of the parts), for a record a
 * mutation may create in a different order, or beside different records, on a workstation's cache than on
 * the server's replica: a gathered FOI item, one per request, record and person. A counter-seeded id would
 * then name one record here and another there (the cache's gathering may not see a protected person's
 * documents that the server's does), and a review saved on the workstation would reach the wrong item.
 */
export function derivedId(...parts: string[]): string {
  return seededId({ seed: `derived|${parts.join('|')}`, n: 0 });
}

/**
 * Runs `fn` (synchronous: a handler or a transaction body) with ids derived from `mutationId`. Nested
 * calls keep the outer seed; the previous state is restored however `fn` ends.
 */
export function withMutationIds<T>(mutationId: string | null, fn: () => T): T {
  if (!mutationId || seeded) return fn();
  seeded = { seed: mutationId, n: 0 };
  try {
    return fn();
  } finally {
    seeded = null;
  }
}
