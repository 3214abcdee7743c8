/**
 * The driver end to end on the quickstart scenario: the ledger it writes is reproducible from the
 * seed (same seed ⇒ same head hash, another seed ⇒ another), and the run does what quickstart
 * promises: gatekeepers launch and join, workers register with attestations, compute, heartbeat
 * and get paid, one goes unresponsive and recovers.
 */
import { readFileSync } from 'node:fs';
import { isRight } from 'fp-ts/Either';
import { memoryEventStore } from '../../infra/store/memoryEventStore';
import type { SeriesRow } from '../report/series';
import { builtInScenarioPath, loadScenario, resolveScenario } from '../scenario';
import { runSimulation } from './runSimulation';

function quickstart(seed: bigint, blocks?: number) {
  const loaded = loadScenario(readFileSync(builtInScenarioPath('quickstart'), 'utf8'), 'quickstart');
  if (!isRight(loaded)) throw new Error('quickstart does not load');
  return resolveScenario(loaded.right, { seed, ...(blocks === undefined ? {} : { blocks }) });
}

describe('runSimulation on quickstart', () => {
  const rows: SeriesRow[] = [];
  let first: Awaited<ReturnType<typeof runSimulation>>;

  beforeAll(async () => {
    first = await runSimulation({ scenario: quickstart(7n), store: memoryEventStore(), onSeriesRow: (r) => rows.push(r) });
  }, 120_000);

  it('produces every block and reports the head of the ledger it wrote', () => {
    expect(first.head.number).toBe(120);
    expect(first.head.hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(rows.map((r) => r.block)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
  });

  it('gets workers computing, heartbeating and paid, with one unresponsive worker that recovers', () => {
    expect(first.workers.WorkerIdle).toBe(8);
    expect(rows.reduce((t, r) => t + r.heartbeats, 0)).toBeGreaterThan(50);
    expect(first.rewards.payout).toBeGreaterThan(0n);
    expect(first.rewards.treasury).toBeGreaterThan(0n);
    const offline = rows.find((r) => r.offline > 0);
    const recovered = rows.find((r) => r.recovered > 0);
    expect(offline?.block).toBeGreaterThanOrEqual(40);
    expect(recovered!.block).toBeGreaterThan(offline!.block);
  });

  it('is a function of the seed: same seed ⇒ same head hash, another seed ⇒ another', async () => {
    const again = await runSimulation({ scenario: quickstart(7n), store: memoryEventStore() });
    expect(again.head).toEqual(first.head);
    const other = await runSimulation({ scenario: quickstart(8n, 20), store: memoryEventStore() });
    const short = await runSimulation({ scenario: quickstart(7n, 20), store: memoryEventStore() });
    expect(other.head.hash).not.toBe(short.head.hash);
  }, 120_000);
});
