import { initialTransition, type SnapshotFrom, transition } from 'xstate';
import { memoryEventStore } from '../infra/store/memoryEventStore';
import { createActorSystem } from './actorSystem';
import { type ContractEvent, contractMachine } from './contract.machine';
import { testClock } from './testing/testClock';

const input = { contractId: '0xc0ffee00112233445566', clusterId: '0x0c', workerId: '0xw1', codeHash: '0xabcdef0123456789' };
type Snap = SnapshotFrom<typeof contractMachine>;

function run(events: readonly ContractEvent[], start?: Snap): Snap {
  let [snap] = start === undefined ? initialTransition(contractMachine, input) : [start];
  for (const e of events) [snap] = transition(contractMachine, snap, e);
  return snap;
}

describe('contract machine', () => {
  it('instantiates, then counts commands per block batch and queries', () => {
    const [s0] = initialTransition(contractMachine, input);
    expect(s0.context.statusMessage).toBe('instantiating contract 0xc0ffee00… (code 0xabcdef01…) in cluster 0x0c');
    const s = run([
      { type: 'INSTANTIATED', block: 10 },
      { type: 'COMMAND_BATCH', block: 11, count: 3 },
      { type: 'COMMAND_BATCH', block: 12, count: 2, refused: 1 },
      { type: 'QUERY_ANSWERED', block: 12 },
      { type: 'QUERY_REFUSED', block: 12, reason: 'QuerySignatureRejected' },
    ]);
    expect(s.value).toBe('running');
    expect(s.context).toMatchObject({ instantiatedAtBlock: 10, commandsApplied: 4, commandsRefused: 1, lastCommandBlock: 12, queriesAnswered: 1, queriesRefused: 1 });
    expect(s.context.statusMessage).toBe('running: 4 commands applied (1 refused), last command block 12; 1 queries answered (1 refused)');
  });

  it('ignores a duplicate or out-of-order batch, and a malformed one (guard)', () => {
    const base = run([
      { type: 'INSTANTIATED', block: 10 },
      { type: 'COMMAND_BATCH', block: 11, count: 3 },
    ]);
    for (const bad of [
      { type: 'COMMAND_BATCH', block: 11, count: 3 },
      { type: 'COMMAND_BATCH', block: 9, count: 1 },
      { type: 'COMMAND_BATCH', block: 13, count: 1, refused: 2 },
      { type: 'COMMAND_BATCH', block: 13, count: -1 },
    ] as const) {
      const s = run([bad], base);
      expect(s.context.commandsApplied).toBe(3);
      expect(s.context.ignoredBatches).toBe(1);
    }
  });

  it('commands before instantiation are not counted', () => {
    const s = run([{ type: 'COMMAND_BATCH', block: 5, count: 1 }]);
    expect([s.value, s.context.commandsApplied]).toEqual(['instantiating', 0]);
  });

  it('stops, and a failed instantiation says why', () => {
    const stopped = run([
      { type: 'INSTANTIATED', block: 10 },
      { type: 'COMMAND_BATCH', block: 11, count: 2 },
      { type: 'STOPPED', block: 20, reason: 'cluster destroyed' },
      { type: 'COMMAND_BATCH', block: 21, count: 2 },
    ]);
    expect(stopped.value).toBe('stopped');
    expect(stopped.context.statusMessage).toBe('stopped at block 20: cluster destroyed; 2 commands applied in all');
    const failed = run([{ type: 'INSTANTIATION_FAILED', reason: 'unknown program GuessNumber v9' }]);
    expect([failed.value, failed.context.statusMessage]).toEqual(['failed', 'failed to instantiate: unknown program GuessNumber v9']);
  });

  it('restores its bookkeeping in the actor system', async () => {
    const clock = testClock();
    const store = memoryEventStore();
    const kind = { kind: 'contract', machine: contractMachine, maxRestarts: 0, backoffMs: () => 0 };
    const a = createActorSystem({ store, clock });
    a.spawn(kind, 'c1@w1', input);
    a.send('contract-c1@w1', { type: 'INSTANTIATED', block: 3 });
    a.send('contract-c1@w1', { type: 'COMMAND_BATCH', block: 4, count: 5 });
    a.send('contract-c1@w1', { type: 'STATE_SEALED', block: 4 });
    await a.persist('contract-c1@w1');
    a.stop();
    const b = createActorSystem({ store, clock });
    await b.restore(kind, 'c1@w1');
    const snap = b.ref('contract-c1@w1')!.getSnapshot() as Snap;
    expect(snap.context).toMatchObject({ commandsApplied: 5, sealedAtBlock: 4, lastCommandBlock: 4 });
    b.send('contract-c1@w1', { type: 'COMMAND_BATCH', block: 4, count: 5 });
    expect((b.ref('contract-c1@w1')!.getSnapshot() as Snap).context.commandsApplied).toBe(5);
    b.stop();
  });
});
