/**
 * Replay re-derives the gatekeepers' reports on a real simulated ledger (quickstart): every
 * report the chain recorded matches, and a forged report — re-signed and re-sealed so that every
 * other check passes — is a `gatekeeperReport` mismatch naming the block the report is for.
 */
import { type Block, eventRecordCodec } from '../../domain/chain/block';
import { blockRecord, CHAIN_STREAM } from '../../domain/chain/ledger';
import { createPhalaRuntime } from '../../domain/chain/phalaRuntime';
import { replayLedger } from '../../domain/chain/replay';
import type { RecordedEvent } from '../../domain/ports/eventStore';
import { forgeFirstPaidReport, quickstartScenario, simulatedLedger, type TamperedLedger } from '../testing/tamperedReport';

async function* records(list: readonly Block[]): AsyncIterable<RecordedEvent> {
  for (const [version, b] of list.entries()) yield { ...blockRecord(b), streamId: CHAIN_STREAM, version, globalPosition: BigInt(version + 1) };
}
const runtime = createPhalaRuntime();
const scenario = quickstartScenario(7n, 40);
let blocks: Block[];
let forged: TamperedLedger;

beforeAll(async () => {
  blocks = await simulatedLedger(scenario);
  forged = await forgeFirstPaidReport(scenario, blocks);
}, 120_000);

test('a simulated ledger replays with every recorded gatekeeper report re-derived', async () => {
  const r = await replayLedger(records(blocks), { runtime, stopAtFirst: true });
  expect(r).toMatchObject({ verified: true, mismatches: 0, blocks: 41 });
  expect(r.reportsCompared).toBeGreaterThan(10);
});

test('a forged payout is a gatekeeperReport mismatch at the block the report is for, and nothing else', async () => {
  expect(forged.reportFor).toBeLessThan(forged.carriedIn);
  const r = await replayLedger(records(forged.blocks), { runtime, stopAtFirst: false });
  expect(r).toMatchObject({ verified: false, mismatches: 1, firstMismatch: { block: forged.reportFor, what: 'gatekeeperReport' } });
  expect(r.firstMismatch!.detail).toContain(`worker ${forged.worker} payout`);
  expect(r.firstMismatch!.detail).toContain(`recorded in block ${forged.carriedIn}`);
  const stop = await replayLedger(records(forged.blocks), { runtime, stopAtFirst: true });
  expect(stop.firstMismatch).toEqual(r.firstMismatch);
});

test('the stake pool constants a scenario sets are in block 0: a run that enforced them replays on the default runtime', async () => {
  // MinContribution far above every contribution the workload makes: each one is refused
  const strict = { ...scenario, chain: { ...scenario.chain, minContributionPha: 1_000_000_000, gracePeriodSec: 600 } };
  const ledger = await simulatedLedger(strict);
  const codec = eventRecordCodec(runtime.eventCodec);
  const refused = ledger.flatMap((b) => b.events.map((bytes) => codec.dec(bytes))).filter((r) => JSON.stringify(r.event, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).includes('InsufficientContribution'));
  expect(refused.length).toBeGreaterThan(0);
  const r = await replayLedger(records(ledger), { runtime, stopAtFirst: true });
  expect(r).toMatchObject({ verified: true, mismatches: 0 });
  expect(r.head?.hash).not.toBe((await replayLedger(records(blocks), { runtime, stopAtFirst: true })).head?.hash);
}, 120_000);
