/** The reader for each import format: all turn a file into the same stream of PopulationReadItems. */
import type { Readable } from 'node:stream';
import type { ImportFormat } from '../../shared/domain/imports';
import type { CoreContext } from '../context';
import { readFreg } from './freg';
import type { PopulationReadItem, ReadOptions } from './model';
import { readNavet } from './navet';

export type Reader = (input: Readable, opts: ReadOptions) => AsyncIterable<PopulationReadItem>;

export function readerFor(_ctx: CoreContext, format: ImportFormat, _mapping: string | null): Reader {
  if (format === 'navet') return readNavet;
  if (format === 'freg') return readFreg;
  throw new Error('CSV imports are read by core/imports/csv.ts');
}
