/** Test tiers (STYLE.md "Names"): unit *.test.ts, integration *.int.test.ts (real PostgreSQL/Kafka),
 * simulations *.sim.test.ts, end-to-end *.e2e.test.ts (CLI, browser). One run covers them all.
 * The failover suite's slow scenarios, *.chaos.test.ts (they restart the test servers, so nothing
 * else may run beside them), form a tier of their own, only with PHALANET_CHAOS=1
 * (`npm run test:chaos`). */
const transform = {
  '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};
// @noble/*, @scure/* and cookie (fastify's inject) are ESM-only: let swc turn them into CommonJS for jest.
const transformIgnorePatterns = ['/node_modules/(?!(@noble|@scure|cookie)/)'];
const common = {
  transform,
  transformIgnorePatterns,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/runs/', '/.cache/'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/**/*.test.ts'], testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.(int|sim|e2e|chaos)\\.test\\.ts$'] },
    {
      ...common,
      displayName: 'int',
      testMatch: ['<rootDir>/**/*.int.test.ts'],
      // starts a throw-away PostgreSQL (scripts/postgres.cjs) and Kafka broker (scripts/kafka.cjs)
      // when PHALANET_TEST_PG_URL / PHALANET_TEST_KAFKA_BROKERS are unset
      globalSetup: '<rootDir>/test/support/int.globalSetup.cjs',
      globalTeardown: '<rootDir>/test/support/int.globalTeardown.cjs',
    },
    { ...common, displayName: 'sim', testMatch: ['<rootDir>/**/*.sim.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/**/*.e2e.test.ts'] },
    ...(process.env.PHALANET_CHAOS === '1' ? [{ ...common, displayName: 'chaos', testMatch: ['<rootDir>/**/*.chaos.test.ts'] }] : []),
  ],
};
