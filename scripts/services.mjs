// Starts and stops the real servers the test suite needs (PostgreSQL, Apache Kafka), and makes
// sure the browser test has its headless Chromium (scripts/chromium.cjs; installed, not started).
// `start` writes .cache/services/env.sh with their addresses; `stop` kills what `start` started
// (by the PIDs in .cache/services/*.json) and removes their data. `start` first stops whatever a
// crashed earlier run left behind. The servers start side by side; if either fails, both stop
// and `start` exits non-zero with the reason.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const postgres = require('./postgres.cjs');
const kafka = require('./kafka.cjs');
const chromium = require('./chromium.cjs');

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '.cache', 'services');
const pgState = join(dir, 'pg.json');
const kafkaState = join(dir, 'kafka.json');
const envFile = join(dir, 'env.sh');

const servers = [
  { name: 'PostgreSQL', start: () => postgres.start(pgState), stop: () => postgres.stop(pgState), env: (s) => `PHALANET_TEST_PG_URL=${s.url} PHALANET_TEST_PG_STATE=${pgState}` },
  { name: 'Kafka', start: () => kafka.start(kafkaState), stop: () => kafka.stop(kafkaState), env: (s) => `PHALANET_TEST_KAFKA_BROKERS=${s.brokers} PHALANET_TEST_KAFKA_STATE=${kafkaState}` },
];

const stopAll = () => Promise.all(servers.map((s) => s.stop().catch((e) => process.stderr.write(`services: stopping ${s.name}: ${e}\n`))));

const cmd = process.argv[2];
if (cmd === 'start') {
  mkdirSync(dir, { recursive: true });
  rmSync(envFile, { force: true });
  // not fatal here: without Chromium only the browser test fails, and it says why
  try {
    chromium.ensure();
  } catch (error) {
    process.stderr.write(`services: Chromium: ${error instanceof Error ? error.message : error}\n`);
  }
  const results = await Promise.allSettled(
    servers.map(async (s) => {
      const t0 = Date.now();
      const started = await s.start();
      process.stderr.write(`services: ${s.name} started in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      return started;
    }),
  );
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${servers[i].name} did not start: ${r.reason instanceof Error ? r.reason.message : r.reason}`] : []));
  if (failed.length > 0) {
    for (const line of failed) process.stderr.write(`services: ${line}\n`);
    await stopAll();
    process.exit(1);
  }
  writeFileSync(envFile, results.map((r, i) => `export ${servers[i].env(r.value)}\n`).join(''));
} else if (cmd === 'stop') {
  await stopAll();
  rmSync(envFile, { force: true });
} else {
  process.stderr.write('usage: node scripts/services.mjs start|stop\n');
  process.exit(2);
}
