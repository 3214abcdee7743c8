/**
 * The producer role's loop over a memory ledger and a scripted lease: it writes genesis, produces
 * under its epoch, and when its fence refuses (the lease was lost) it counts the refusal, drops
 * to standby and rebuilds its state from the ledger. The PostgreSQL side of the fence is
 * `lease.int.test.ts`.
 */
import { readFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/Either';
import { CHAIN_STREAM } from '../../../domain/chain/ledger';
import { createPhalaRuntime } from '../../../domain/chain/phalaRuntime';
import { FencedWrite } from '../../../domain/ports/eventStoreErrors';
import { scenarioGenesis } from '../../../simulations/run/scenarioGenesis';
import { builtInScenarioPath, loadScenario, resolveScenario } from '../../../simulations/scenario';
import { initCrypto } from '../../crypto/initCrypto';
import { memoryEventStore } from '../../store/memoryEventStore';
import type { PostgresEventStore } from '../../store/postgresEventStore';
import type { HeldLease, ProducerLease } from '../lease';
import { localChain } from './localChain';
import { nodeMetrics } from './nodeMetrics';
import { startProducerRole } from './producerRole';

beforeAll(() => initCrypto());

async function until(what: string, probe: () => boolean | Promise<boolean>) {
  const started = performance.now();
  while (!(await probe())) {
    if (performance.now() - started > 20_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A lease that this node holds (epoch 1) until `revoke`, then never again. */
function scriptedLease() {
  let revoked = false;
  const lease: ProducerLease = {
    acquire: async () => (revoked ? undefined : { epoch: 1n, validUntil: Number.POSITIVE_INFINITY }),
    // renewals keep working: the loss is discovered only by the fence, as for a paused leader
    renew: async (held: HeldLease) => held,
    release: async () => undefined,
    read: async () => ({ holder: revoked ? 'other' : 'me', epoch: revoked ? 2n : 1n, remainingMs: 1000 }),
    fence: (held, stream) => async () => {
      if (revoked) throw new FencedWrite(stream, `producer lease epoch ${held.epoch} of node me is no longer held`);
    },
  };
  return { lease, revoke: () => (revoked = true) };
}

describe('producer role', () => {
  it('writes genesis, produces under its lease, and on a fenced refusal stands by with its state rebuilt from the ledger', async () => {
    const decoded = loadScenario(readFileSync(builtInScenarioPath('quickstart'), 'utf8'), 'quickstart.yaml');
    if (isLeft(decoded)) throw new Error('quickstart does not decode');
    const scenario = resolveScenario(decoded.right, { seed: 3n });
    const memory = memoryEventStore();
    // the memory store has no fences: run the fence first, as the PostgreSQL store does in its transaction
    const store = {
      ...memory,
      append: async (stream, events, expected, options) => {
        await options?.fence?.({ query: async () => [] });
        return memory.append(stream, events, expected);
      },
    } as PostgresEventStore;
    const local = localChain(store, createPhalaRuntime());
    const { lease, revoke } = scriptedLease();
    const metrics = nodeMetrics({ height: () => local.height, lag: () => 0, isProducer: () => false });
    const lines: string[] = [];
    const role = startProducerRole({ nodeId: 'me', store, lease, local, metrics, genesis: () => scenarioGenesis(scenario), followMs: 5, renewMs: 5, pool: [], log: (l) => lines.push(l), now: () => performance.now() * 1000 });
    try {
      await until('three blocks', async () => ((await memory.streamVersion(CHAIN_STREAM)) ?? -1) >= 3);
      expect(role.status()).toMatchObject({ role: 'leader', epoch: 1n });
      const records = [];
      for await (const r of memory.readStream(CHAIN_STREAM)) records.push(r);
      expect(records.every((r) => r.metadata?.producer === 'me' && r.metadata.leaseEpoch === '1')).toBe(true);
      revoke();
      await until('standby', () => role.status().role === 'standby');
      const height = (await memory.streamVersion(CHAIN_STREAM))!;
      await until('the state rebuilt to the ledger head', () => local.height === height);
      expect(lines.some((l) => /node me: producer lease epoch 1 lost \(append to chain refused by its fence/.test(l))).toBe(true);
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/phalanet_node_fenced_writes_refused_total 1\n/);
      expect(text).toMatch(/phalanet_node_lease_acquisitions_total 1\n/);
      expect(text).toMatch(new RegExp(`phalanet_node_blocks_produced_total ${height + 1}\\n`));
    } finally {
      await role.stop();
    }
    expect(role.status().role).toBe('stopped');
  }, 60_000);
});
