import { isLeft, isRight } from 'fp-ts/Either';
import { WORKER_STATES } from './series';
import { formatSummary, RunSummary, summaryJson, summaryPassed } from './summary';

const valid: RunSummary = {
  seed: 7,
  scenario: 'khala-day',
  blocks: 7200,
  events: 131_140,
  store: 'sqlite:runs/khala-day/ledger.db',
  head: { number: 7200, hash: `0x${'ab'.repeat(32)}`, stateRoot: `0x${'0c'.repeat(32)}` },
  workers: { Unbound: 1, Ready: 2, WorkerIdle: 300, WorkerUnresponsive: 4, WorkerCoolingDown: 5 },
  rewards: { payout: '55933.647714096125', treasury: '13983.4' },
  checks: [
    { name: 'stake conserved', passed: true },
    { name: 'gatekeepers agree', passed: false, block: 4032, detail: 'gatekeeper 2 disagrees' },
  ],
  durationMs: 83_412.5,
};

describe('run summary codec', () => {
  it('accepts a valid summary, and JSON round-trips through it', () => {
    expect(isRight(RunSummary.decode(valid))).toBe(true);
    const back = RunSummary.decode(JSON.parse(summaryJson(valid)));
    expect(isRight(back) && back.right).toEqual(valid);
  });

  it.each([
    ['a short hash', { ...valid, head: { ...valid.head, hash: '0xab' } }],
    ['a hash without 0x', { ...valid, head: { ...valid.head, stateRoot: 'ab'.repeat(32) } }],
    ['a missing worker state', { ...valid, workers: { Ready: 1, WorkerIdle: 1, WorkerUnresponsive: 1, WorkerCoolingDown: 1 } }],
    ['an unknown worker state', { ...valid, workers: { ...valid.workers, Offline: 3 } }],
    ['an unknown top-level key', { ...valid, ledgerHash: 'x' }],
    ['PHA as a number', { ...valid, rewards: { payout: 1.5, treasury: '0' } }],
    ['PHA with 13 decimals', { ...valid, rewards: { payout: '1.0000000000001', treasury: '0' } }],
    ['a fractional seed', { ...valid, seed: 1.5 }],
    ['a check without passed', { ...valid, checks: [{ name: 'x' }] }],
    ['a negative block count', { ...valid, blocks: -1 }],
  ])('rejects %s', (_what, wrong) => {
    expect(isLeft(RunSummary.decode(wrong))).toBe(true);
  });

  it('has one worker key per worker state of the series', () => {
    const workers = Object.fromEntries(WORKER_STATES.map((s) => [s, 0]));
    expect(isRight(RunSummary.decode({ ...valid, workers }))).toBe(true);
  });

  it('passes only when every check passed and there is one', () => {
    expect(summaryPassed(valid)).toBe(false);
    expect(summaryPassed({ ...valid, checks: [{ name: 'a', passed: true }] })).toBe(true);
    expect(summaryPassed({ ...valid, checks: [] })).toBe(false);
  });

  it('formats the verdict, head and each failed check with its block', () => {
    const text = formatSummary(valid);
    expect(text.split('\n')[0]).toBe('FAILED (1 of 2 checks): scenario khala-day, seed 7, 7200 blocks, 131140 events in 83.4 s');
    expect(text).toContain(`head #7200 0x${'ab'.repeat(32)}`);
    expect(text).toContain('✗ gatekeepers agree at block 4032: gatekeeper 2 disagrees');
    expect(text).not.toContain('stake conserved');
  });
});
