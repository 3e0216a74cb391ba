import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['vigie-source'] },
  ssr: { resolve: { conditions: ['vigie-source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // Every API answer in every test is checked against the schema its route declares (http/response-contract.ts).
    env: { VIGIE_CHECK_RESPONSES: '1' },
  },
});
