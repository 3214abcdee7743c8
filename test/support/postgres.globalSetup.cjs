// jest globalSetup of the int tier: when PHALANET_TEST_PG_URL is unset (e.g. `npx jest
// eventStore.postgres` on its own), start a throw-away PostgreSQL through scripts/postgres.cjs
// and tell the test workers its URL. A failure is recorded, not thrown, so that the PostgreSQL
// tests fail loudly with the reason while the other int tests still run.
const path = require('node:path');
const postgres = require('../../scripts/postgres.cjs');

const stateFile = path.join(__dirname, '..', '..', '.cache', 'services', 'jest-pg.json');

module.exports = async function globalSetup() {
  if (process.env.PHALANET_TEST_PG_URL) return;
  try {
    const pg = await postgres.start(stateFile);
    process.env.PHALANET_TEST_PG_URL = pg.url;
    process.env.PHALANET_TEST_PG_STARTED = '1';
  } catch (error) {
    process.env.PHALANET_TEST_PG_ERROR = error instanceof Error ? error.message : String(error);
    await postgres.stop(stateFile).catch(() => undefined);
  }
};
