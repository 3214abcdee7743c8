/**
 * A child process for the SQLite race test: opens the ledger, says "ready", waits for "go" on
 * stdin, then tries to append version v (expecting v − 1) for every v, and prints its tally.
 * Any error other than the typed conflict makes it exit non-zero.
 */
import { WrongExpectedVersion } from '../../domain/ports/eventStoreErrors';
import { sqliteEventStore } from '../../infra/store/sqliteEventStore';

async function run(path: string, name: string, count: number): Promise<void> {
  const store = sqliteEventStore(path, { create: false, busyTimeoutMs: 30_000 });
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  let wins = 0;
  let conflicts = 0;
  for (let v = 0; v < count; v++) {
    try {
      const data = new TextEncoder().encode(`${name}${v}`);
      await store.append('chain', [{ type: 'Block', schemaVersion: 1, data }], v === 0 ? 'no-stream' : v - 1);
      wins++;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersion)) throw error;
      conflicts++;
    }
  }
  await store.close();
  process.stdout.write(`${JSON.stringify({ wins, conflicts })}\n`);
}

const [path, name, count] = process.argv.slice(2);
run(path!, name!, Number(count)).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
