/**
 * Quickstart's contract cluster end to end in the driver: governance adds the cluster once its
 * workers are registered and the master key is on chain, the gatekeepers dispatch its key, the
 * deployer instantiates a Balances and a GuessNumber contract whose pubkeys the cluster publishes
 * on chain, clients' encrypted commands reach both workers, their encrypted queries are answered,
 * the workers agree (`contractsAgree`) and every check passes. Same seed ⇒ same head.
 */
import { readFileSync } from 'node:fs';
import { isRight } from 'fp-ts/Either';
import { CHAIN_STREAM, decodeBlockRecord } from '../../domain/chain/ledger';
import { createPhalaRuntime } from '../../domain/chain/phalaRuntime';
import type { RuntimeEvent, Tagged } from '../../domain/runtime/types';
import { memoryEventStore } from '../../infra/store/memoryEventStore';
import { builtInScenarioPath, loadScenario, resolveScenario } from '../scenario';
import { type ClusterTotals, parseClusterTotals } from './clusters';
import { decodeEvents } from './observe';
import { runSimulation } from './runSimulation';

function quickstart(seed: bigint, blocks?: number) {
  const loaded = loadScenario(readFileSync(builtInScenarioPath('quickstart'), 'utf8'), 'quickstart');
  if (!isRight(loaded)) throw new Error('quickstart does not load');
  return resolveScenario(loaded.right, { seed, ...(blocks === undefined ? {} : { blocks }) });
}

/** The Phat pallet's events of every block in the ledger, as `[block, tag, value]`. */
async function phatEvents(store: ReturnType<typeof memoryEventStore>) {
  const runtime = createPhalaRuntime();
  const out: [number, string, Record<string, unknown>][] = [];
  for await (const record of store.readStream(CHAIN_STREAM)) {
    const block = decodeBlockRecord(record);
    for (const e of decodeEvents(runtime, block) as RuntimeEvent[]) {
      if (e.tag === 'PhalaPhatContracts') out.push([block.header.number, (e.value as Tagged).tag, (e.value as Tagged).value as Record<string, unknown>]);
    }
  }
  return out;
}

describe('contract clusters in the quickstart simulation', () => {
  const store = memoryEventStore();
  const notes: [number, string][] = [];
  let result: Awaited<ReturnType<typeof runSimulation>>;
  let events: Awaited<ReturnType<typeof phatEvents>>;
  let totals: ClusterTotals;

  beforeAll(async () => {
    result = await runSimulation({ scenario: quickstart(3n), store, onNote: (b, l) => notes.push([b, l]) });
    events = await phatEvents(store);
    const parsed = notes.map(([, l]) => parseClusterTotals(l)).filter((t) => t !== undefined);
    expect(parsed).toHaveLength(1);
    totals = parsed[0]!;
  }, 180_000);

  it('creates the cluster at its block and the gatekeepers publish its key', () => {
    const added = events.filter(([, tag]) => tag === 'ClusterAdded');
    expect(added).toHaveLength(1);
    expect(added[0]![0]).toBeGreaterThanOrEqual(20);
    expect((added[0]![2].workers as string[]).length).toBe(2);
    expect(events.some(([n, tag]) => tag === 'ClusterPubkeyAvailable' && n > added[0]![0])).toBe(true);
    expect(events.filter(([, tag]) => tag === 'ClusterDeployed')).toHaveLength(2);
  });

  it('instantiates both contracts and puts their pubkeys on chain', () => {
    const pubkeys = events.filter(([, tag]) => tag === 'ContractPubkeyAvailable');
    const instantiated = events.filter(([, tag]) => tag === 'Instantiated');
    expect(pubkeys).toHaveLength(2);
    expect(instantiated).toHaveLength(2);
    expect(new Set(pubkeys.map(([, , v]) => v.contract)).size).toBe(2);
    expect(totals.contracts).toBe(2);
    expect(notes.filter(([, l]) => /^contract (Balances|GuessNumber) 0x[0-9a-f]{64} instantiated/.test(l))).toHaveLength(2);
  });

  it('executes encrypted commands and answers encrypted queries', () => {
    expect(totals.commandsIncluded).toBeGreaterThan(20);
    // some commands are refused by design (a guess after the round is solved, a transfer without funds)
    expect(totals.commandsIncluded - totals.commandsRefused).toBeGreaterThan(10);
    expect(totals.queriesAnswered).toBeGreaterThan(50);
    expect(totals.queriesFailed).toBe(0);
  });

  it('passes every check, contractsAgree included', () => {
    expect(result.checks.map((c) => c.name)).toContain('contractsAgree');
    expect(result.checks.filter((c) => !c.passed)).toEqual([]);
  });

  it('is a function of the seed: same seed ⇒ same head hash', async () => {
    const a = await runSimulation({ scenario: quickstart(3n, 32), store: memoryEventStore() });
    const b = await runSimulation({ scenario: quickstart(3n, 32), store: memoryEventStore() });
    expect(b.head).toEqual(a.head);
  }, 180_000);
});
