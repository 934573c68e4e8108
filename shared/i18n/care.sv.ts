/** Swedish messages of the care screens (merged into sv.ts). */
export const careSv = {
} satisfies Record<string, string>;
