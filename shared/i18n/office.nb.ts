import type { officeSv } from './office.sv';

export const officeNb: Record<keyof typeof officeSv, string> = {
};
