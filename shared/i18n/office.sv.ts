/** Swedish messages of the office screens (merged into sv.ts). */
export const officeSv = {
} satisfies Record<string, string>;
