/** The reader for each import format: all turn a file into the same stream of PopulationReadItems. */
import type { Readable } from 'node:stream';
import { DomainError } from '../../shared/api/errors';
import type { ImportFormat } from '../../shared/domain/imports';
import type { CoreContext } from '../context';
import { readCsv } from './csv';
import { getMapping } from './csv-mappings';
import { readFreg } from './freg';
import type { PopulationReadItem, ReadOptions } from './model';
import { readNavet } from './navet';

export type Reader = (input: Readable, opts: ReadOptions) => AsyncIterable<PopulationReadItem>;

export function readerFor(ctx: CoreContext, format: ImportFormat, mappingName: string | null): Reader {
  if (format === 'navet') return readNavet;
  if (format === 'freg') return readFreg;
  const mapping = mappingName ? getMapping(ctx.sqlite, mappingName) : null;
  if (!mapping) throw new DomainError('not_found', `No saved CSV mapping named ${mappingName ?? ''}`, 'mapping');
  const country = (ctx.sqlite.prepare('SELECT country FROM municipality LIMIT 1').pluck().get() as 'SE' | 'NO' | undefined) ?? 'SE';
  // A legacy file is matched against the register like a register file: same item stream, same compare.
  return (input, opts) => readCsv(input, { ...opts, country, mapping });
}
