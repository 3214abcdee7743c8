// jest globalTeardown of the int tier: stops the PostgreSQL that globalSetup started (if it did).
const path = require('node:path');
const postgres = require('../../scripts/postgres.cjs');

const stateFile = path.join(__dirname, '..', '..', '.cache', 'services', 'jest-pg.json');

module.exports = async function globalTeardown() {
  if (process.env.PHALANET_TEST_PG_STARTED !== '1') return;
  await postgres.stop(stateFile);
  delete process.env.PHALANET_TEST_PG_URL;
  delete process.env.PHALANET_TEST_PG_STARTED;
};
