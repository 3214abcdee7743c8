// jest globalSetup for the Kafka int tests: when PHALANET_TEST_KAFKA_BROKERS is unset (e.g. `npx
// jest bus.kafka` on its own), start a throw-away broker through scripts/kafka.cjs and tell the
// test workers where it is. Skipped when the run's path patterns cannot select a Kafka test (so
// `npx jest eventStore.postgres` does not wait for a JVM). A failure is recorded, not thrown, so
// that the Kafka tests fail loudly with the reason while the other int tests still run.
const path = require('node:path');
const kafka = require('../../scripts/kafka.cjs');

const stateFile = path.join(__dirname, '..', '..', '.cache', 'services', 'jest-kafka.json');
// the int tests that need a broker (a pattern selecting any of them starts one)
const kafkaTests = [
  path.join(__dirname, '..', 'bus.kafka.int.test.ts'),
  path.join(__dirname, '..', 'cluster', 'nodeKafka.int.test.ts'),
  path.join(__dirname, '..', 'cluster', 'nodeWorkers.int.test.ts'),
  path.join(__dirname, '..', 'cluster', 'clusterChaos.int.test.ts'),
  path.join(__dirname, '..', 'cluster', 'nodeReadSide.int.test.ts'),
  path.join(__dirname, '..', 'cluster', 'nodeScenario.int.test.ts'),
  path.join(__dirname, '..', 'cluster', 'nodePinned.int.test.ts'),
  path.join(__dirname, '..', '..', 'infra', 'cluster', 'placementAssigner.int.test.ts'),
  path.join(__dirname, '..', '..', 'infra', 'cluster', 'placementHost.int.test.ts'),
  path.join(__dirname, '..', '..', 'infra', 'cluster', 'placementHost.paused.int.test.ts'),
];

function selectsKafka(globalConfig) {
  const patterns = globalConfig?.testPathPatterns?.patterns;
  if (!Array.isArray(patterns) || patterns.length === 0) return true;
  try {
    return patterns.some((p) => kafkaTests.some((file) => new RegExp(p, 'i').test(file)));
  } catch {
    return true;
  }
}

module.exports = async function globalSetup(globalConfig) {
  if (process.env.PHALANET_TEST_KAFKA_BROKERS || !selectsKafka(globalConfig)) return;
  try {
    const broker = await kafka.start(stateFile);
    process.env.PHALANET_TEST_KAFKA_BROKERS = broker.brokers;
    process.env.PHALANET_TEST_KAFKA_STARTED = '1';
  } catch (error) {
    process.env.PHALANET_TEST_KAFKA_ERROR = error instanceof Error ? error.message : String(error);
    await kafka.stop(stateFile).catch(() => undefined);
  }
};

module.exports.stop = async function stop() {
  if (process.env.PHALANET_TEST_KAFKA_STARTED !== '1') return;
  await kafka.stop(stateFile);
  delete process.env.PHALANET_TEST_KAFKA_BROKERS;
  delete process.env.PHALANET_TEST_KAFKA_STARTED;
};
