import { Accounts } from '../../domain/chain/pallets/balances.pallet';
import { OffchainIngress } from '../../domain/chain/pallets/mq.pallet';
import { UnmintableDust } from '../../domain/chain/pallets/wrappedBalances.pallet';
import { WPHA_ACCOUNT } from '../../domain/ids/accounts';
import type { Checker } from './api';
import { chainNeverForks } from './chainNeverForks';
import { emissionAudit } from './emissionAudit';
import { mqSequencesContiguous } from './mqSequencesContiguous';
import { noDoublePayout } from './noDoublePayout';
import { phaIssuanceConstant } from './phaIssuanceConstant';
import { wphaBacked } from './wphaBacked';
import { CheckChain, keys, settleFor, who } from './testing/checkChain';

const PHA = 10n ** 12n;
const endow = (c: CheckChain) => c.sudo({ tag: 'Balances', value: { tag: 'forceEndow', value: { who: who.owner.id, amount: PHA, memo: undefined } } });

/** A chain with the worker started and paid once, checked by `checker`. */
function paidOnce(checker: Checker): CheckChain {
  const c = new CheckChain([checker]);
  c.startWorker();
  c.produce([c.report(6, [settleFor(keys.worker.pubkey, 1)])]);
  expect(checker.finish()).toEqual({ name: checker.name, passed: true });
  return c;
}

describe('noDoublePayout', () => {
  it('fails when a report for an already paid block is applied again (re-sequenced replay)', () => {
    const k = noDoublePayout();
    const c = paidOnce(k);
    c.produce([c.report(6, [settleFor(keys.worker.pubkey, 1)])]);
    expect(k.finish()).toMatchObject({ passed: false, block: 8, detail: expect.stringMatching(/report for block 6 .*applied after the report for block 6/) });
  });

  it('fails when one report settles a worker twice', () => {
    const k = noDoublePayout();
    const c = paidOnce(k);
    c.produce([c.report(7, [settleFor(keys.worker.pubkey, 1), settleFor(keys.worker.pubkey, 1)])]);
    expect(k.finish()).toMatchObject({ passed: false, block: 8, detail: expect.stringContaining(`settles worker ${keys.worker.hex} twice`) });
  });
});

describe('emissionAudit', () => {
  it('fails on Phala #676: payouts at about half of what the shares give', () => {
    const k = emissionAudit();
    const c = paidOnce(k);
    c.produce([c.report(8, [settleFor(keys.worker.pubkey, 2, 530)])]);
    expect(k.finish()).toMatchObject({ passed: false, block: 8, detail: expect.stringMatching(/report for block 8 pays 106\.0+ PHA where the workers' shares give 200\.0+ PHA \(ratio 0\.5300/) });
  });

  it('fails when a report pays more than the budget', () => {
    const k = emissionAudit();
    const c = paidOnce(k);
    c.produce([c.report(7, [settleFor(keys.worker.pubkey, 3)])]);
    expect(k.finish()).toMatchObject({ passed: false, block: 8, detail: expect.stringMatching(/report for block 7 pays 3\.0000 × the per-block budget/) });
  });

  it('fails when payout and treasury are not the treasury-ratio split of one budget', () => {
    const k = emissionAudit();
    const c = paidOnce(k);
    const e = settleFor(keys.worker.pubkey, 1);
    c.produce([c.report(7, [{ ...e, treasury: e.treasury + 5n }])]);
    expect(k.finish()).toMatchObject({ passed: false, block: 8, detail: expect.stringContaining('not the treasury-ratio split') });
  });
});

describe('phaIssuanceConstant', () => {
  it('fails when PHA is endowed after genesis', () => {
    const k = phaIssuanceConstant();
    const c = new CheckChain([k]);
    c.produce([endow(c)]);
    expect(k.finish()).toMatchObject({ passed: false, block: 1, detail: expect.stringMatching(/^1 PHA endowed to 0x[0-9a-f]{64} after genesis/) });
  });

  it('fails at the next full scan when storage gains PHA without an event', () => {
    const k = phaIssuanceConstant({ fullScanEvery: 4 });
    const c = new CheckChain([k]);
    c.produce([]);
    const a = Accounts.get(c.chain.storage, who.staker.id)!;
    Accounts.set(c.chain.storage, who.staker.id, { ...a, free: a.free + 7n });
    c.produce([]);
    c.produce([]);
    expect(k.finish().passed).toBe(true);
    c.produce([]);
    expect(k.finish()).toMatchObject({ passed: false, block: 4, detail: expect.stringContaining('(difference 0.000000000007 PHA; full scan)') });
  });
});

describe('wphaBacked', () => {
  it('fails when unmintable dust appears that the W-PHA account does not hold', () => {
    const k = wphaBacked();
    const c = paidOnce(k);
    UnmintableDust.set(c.chain.storage, 3n);
    c.produce([]);
    const held = Accounts.get(c.chain.storage, WPHA_ACCOUNT)!.free;
    expect(k.finish()).toMatchObject({ passed: false, block: 8, detail: expect.stringContaining(`unmintable dust 0.000000000003 PHA = `) });
    expect(k.finish().detail).toContain(`but the W-PHA account holds ${held / PHA}`);
  });
});

describe('mqSequencesContiguous', () => {
  it('fails when an accepted sequence repeats', () => {
    const k = mqSequencesContiguous();
    const c = paidOnce(k);
    const facts = c.factsOf(c.blocks[6]!);
    k.onBlock({ ...facts, block: { ...facts.block, header: { ...facts.block.header, number: 8 } } });
    expect(k.finish()).toMatchObject({ passed: false, block: 8, detail: expect.stringMatching(/^Worker\(0x[0-9a-f]{64}\): sequence 1 accepted where 2 was next \(repeats/) });
  });

  it('fails at the full scan when OffchainIngress moved without an accepted message', () => {
    const k = mqSequencesContiguous({ fullScanEvery: 8 });
    const c = paidOnce(k);
    OffchainIngress.set(c.chain.storage, { tag: 'Gatekeeper', value: undefined }, 5n);
    c.produce([]);
    expect(k.finish()).toMatchObject({ passed: false, block: 8, detail: 'Gatekeeper: OffchainIngress is 5 in storage, the accepted messages say 1 (full scan)' });
  });
});

describe('chainNeverForks', () => {
  it('fails on a second block at the same height', () => {
    const k = chainNeverForks();
    const c = new CheckChain([k]);
    c.produce([]);
    k.onBlock(c.factsOf(c.blocks[1]!));
    expect(k.finish()).toMatchObject({ passed: false, block: 1, detail: 'block #1 follows #1: a second block at that height (two heads)' });
  });

  it('fails when a block does not extend the previous one or its content was altered', () => {
    const k = chainNeverForks();
    const c = new CheckChain([k]);
    const b1 = c.produce([endow(c)]);
    const b2 = c.produce([]);
    const forged = { ...b2, header: { ...b2.header, parentHash: b1.header.eventsRoot } };
    const k2 = chainNeverForks();
    k2.onBlock(c.factsOf(c.blocks[0]!));
    k2.onBlock(c.factsOf(b1));
    k2.onBlock(c.factsOf(forged));
    expect(k2.finish()).toMatchObject({ passed: false, block: 2, detail: expect.stringMatching(/^parent hash 0x[0-9a-f]{64} is not the hash of block #1/) });
    const k3 = chainNeverForks();
    k3.onBlock(c.factsOf(c.blocks[0]!));
    k3.onBlock(c.factsOf({ ...b1, events: b1.events.slice(1) }));
    expect(k3.finish()).toMatchObject({ passed: false, block: 1, detail: expect.stringMatching(/^header does not commit to its content: eventsRoot/) });
    expect(k.finish().passed).toBe(true);
  });
});
