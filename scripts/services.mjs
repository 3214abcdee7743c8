// Starts and stops the real servers the test suite needs (PostgreSQL; Kafka from issue 8).
// `start` writes .cache/services/env.sh with the URLs; `stop` kills what `start` started.
const cmd = process.argv[2];
if (cmd !== 'start' && cmd !== 'stop') {
  process.stderr.write('usage: node scripts/services.mjs start|stop\n');
  process.exit(2);
}
