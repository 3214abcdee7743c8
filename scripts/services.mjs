// Starts and stops the real servers the test suite needs (PostgreSQL; Kafka from issue 8).
// `start` writes .cache/services/env.sh with the URLs; `stop` kills what `start` started (by the
// PIDs in .cache/services/*.json) and removes their data. `start` first stops whatever a crashed
// earlier run left behind.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const postgres = require('./postgres.cjs');

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '.cache', 'services');
const pgState = join(dir, 'pg.json');
const envFile = join(dir, 'env.sh');

const cmd = process.argv[2];
if (cmd === 'start') {
  mkdirSync(dir, { recursive: true });
  rmSync(envFile, { force: true });
  try {
    const pg = await postgres.start(pgState);
    writeFileSync(envFile, `export PHALANET_TEST_PG_URL=${pg.url}\n`);
  } catch (error) {
    process.stderr.write(`services: PostgreSQL did not start: ${error instanceof Error ? error.message : error}\n`);
    await postgres.stop(pgState);
    process.exit(1);
  }
} else if (cmd === 'stop') {
  await postgres.stop(pgState);
  rmSync(envFile, { force: true });
} else {
  process.stderr.write('usage: node scripts/services.mjs start|stop\n');
  process.exit(2);
}
