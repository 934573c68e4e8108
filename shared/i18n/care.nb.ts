import type { careSv } from './care.sv';

export const careNb: Record<keyof typeof careSv, string> = {
};
