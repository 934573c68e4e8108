/** The contract's shape of a file the core produced: the UI downloads it by id (never base64 in JSON). */
import { z } from 'zod';
import { uuid } from './schemas';

export const fileRef = z.object({ fileId: uuid, name: z.string(), mime: z.string(), size: z.number().int() });
