import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'core/**/*.test.ts', 'db/**/*.test.ts', 'server/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts', 'renderer/**/*.test.tsx', 'test/integration/**/*.test.ts', 'test/leak/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30000,
    // Setups that seed a register or start PostgreSQL share two cores with the other test files.
    hookTimeout: 60000,
    env: { KANSLI_VALIDATE_OUTPUTS: '1' },
  },
});
