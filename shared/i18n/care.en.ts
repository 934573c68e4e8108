import type { careSv } from './care.sv';

export const careEn: Record<keyof typeof careSv, string> = {
};
