import { CHECK_NAMES, createCheckers } from './index';
import { CheckChain, keys, settleFor } from './testing/checkChain';

describe('the checkers on a real chain', () => {
  it('all pass through launch, registration, staking, heartbeat, settlement and reward', () => {
    const checkers = createCheckers({ fullScanEvery: 3 });
    const c = new CheckChain(checkers);
    c.startWorker();
    // the worker started in block 5; the gatekeeper pays it in its block 6 for one block of budget
    const paid = c.produce([c.report(6, [settleFor(keys.worker.pubkey, 1)])]);
    expect(paid.events.length).toBeGreaterThan(5);
    c.produce([c.report(8, [settleFor(keys.worker.pubkey, 2)])], true);
    const results = checkers.map((k) => k.finish());
    expect(results.map((r) => r.name)).toEqual([...CHECK_NAMES]);
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });
});
