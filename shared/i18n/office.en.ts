import type { officeSv } from './office.sv';

export const officeEn: Record<keyof typeof officeSv, string> = {
};
