/**
 * Readiness probe of scripts/kafka.cjs, run with tsx: `probe.ts <brokers> <timeoutMs>` exits 0
 * once the cluster answers a describe-cluster request, 1 with the last error otherwise. It goes
 * through the Kafka adapter because kafkajs may be imported there only.
 */
import { probeCluster } from '../../infra/bus/kafkaBus';

const [brokers = '', timeoutMs = '60000'] = process.argv.slice(2);
probeCluster(brokers.split(','), Number(timeoutMs)).then(
  (count) => {
    process.stdout.write(`cluster answered: ${count} broker(s)\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
