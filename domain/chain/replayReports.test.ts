/** How replay words a gatekeeper report that differs from its re-derivation. */
import type { WorkingInfoUpdateEvent } from '../codec/systemEvents.codec';
import { reportDifference } from './replayReports';

const key = (b: number) => new Uint8Array(32).fill(b);
const report: WorkingInfoUpdateEvent = {
  blockNumber: 7,
  timestampMs: 84_000n,
  offline: [key(1)],
  recoveredToOnline: [],
  settle: [
    { pubkey: key(2), v: 10n, payout: 5n, treasury: 1n },
    { pubkey: key(3), v: 20n, payout: 0n, treasury: 0n },
  ],
};
const worker3 = `0x${'03'.repeat(32)}`;

test('equal reports have no difference', () => {
  expect(reportDifference(report, structuredClone(report))).toBeUndefined();
});

test('the first differing field is named, with the worker and both values', () => {
  const paid = structuredClone(report);
  paid.settle[1]!.payout = 9n;
  expect(reportDifference(report, paid)).toBe(`settle[1] worker ${worker3} payout: derived 0 (U64F64 bits), recorded 9`);
  expect(reportDifference(report, { ...report, timestampMs: 1n })).toBe('timestamp: derived 84000 ms, recorded 1 ms');
  expect(reportDifference(report, { ...report, offline: [] })).toMatch(/^offline: derived \[0x01010101…\], recorded \[\]$/);
  expect(reportDifference(report, { ...report, settle: report.settle.slice(0, 1) })).toBe('settle: derived 2 entries, recorded 1');
  expect(reportDifference(report, { ...report, settle: [report.settle[0]!, { ...report.settle[1]!, pubkey: key(4) }] })).toBe(`settle[1]: derived worker ${worker3}, recorded 0x${'04'.repeat(32)}`);
});
