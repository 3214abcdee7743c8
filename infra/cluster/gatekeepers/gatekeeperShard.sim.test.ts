/**
 * A cluster node restores gatekeepers from a simulated ledger (quickstart: the first gatekeeper
 * launches the master key, a second joins at block 15 and receives it, the key rotates at block
 * 60): a fresh pRuntime of each on this node's platform, replayed from genesis, ends where the
 * simulation's gatekeepers were — both active, in agreement on the `Gatekeeper` channel's sequence
 * and the random beacon, the receiver's GK role restarted once. Their sealed master keys, written
 * to the store, restore them again without a restart, and another platform vault cannot open them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockRecord, CHAIN_STREAM } from '../../../domain/chain/ledger';
import { nextIngressSequence } from '../../../domain/chain/pallets/mq.pallet';
import { createPhalaRuntime } from '../../../domain/chain/phalaRuntime';
import { scenarioGenesis } from '../../../simulations/run/scenarioGenesis';
import { seededRandom } from '../../../simulations/seededRandom';
import { quickstartScenario, simulatedLedger } from '../../../simulations/testing/tamperedReport';
import { memoryEventStore } from '../../store/memoryEventStore';
import { localChain } from '../node/localChain';
import { openPlatformVault } from '../workers/platformVault';
import { type GatekeeperShard, restoreGatekeeperShard } from './gatekeeperShard';

const scenario = quickstartScenario(11n, 80);
const store = memoryEventStore();
const dirs: string[] = [];
const vaultDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'phalanet-gk-vault-'));
  dirs.push(d);
  return d;
};
const genesis = scenarioGenesis(scenario);
const vendor = genesis.env.vendor;
const vault = openPlatformVault(vaultDir(), vendor, seededRandom(1));
let gkNext: bigint;
let shard: GatekeeperShard;

beforeAll(async () => {
  const blocks = await simulatedLedger(scenario);
  await store.append(
    CHAIN_STREAM,
    blocks.map((b) => blockRecord(b)),
    'no-stream',
  );
  const local = localChain(store, createPhalaRuntime());
  await local.catchUp();
  gkNext = nextIngressSequence(local.chain!.storage, { tag: 'Gatekeeper', value: undefined });
  shard = await restoreGatekeeperShard({ store, vault, signing: seededRandom(2) }, 0, genesis.gatekeepers);
}, 180_000);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('replayed from genesis, both gatekeepers are active and agree with each other and with the chain', () => {
  expect(shard.syncedBlock).toBe(80);
  const [first, second] = shard.gatekeepers;
  expect(first!.gk.status()).toMatchObject({ registered: true, onChain: true });
  expect(second!.gk.status()).toMatchObject({ registered: true });
  expect([first!.restoredFrom, first!.restarts, second!.restoredFrom, second!.restarts]).toEqual(['genesis', 0, 'genesis', 1]);
  const [a, b] = [first!.gk.status()!, second!.gk.status()!];
  expect(b.nextSequence).toBe(a.nextSequence);
  expect(Buffer.from(b.lastRandomNumber).toString('hex')).toBe(Buffer.from(a.lastRandomNumber).toString('hex'));
  // what the chain accepted, they emitted too; what they hold beyond it is the last blocks' output
  expect(a.nextSequence).toBeGreaterThanOrEqual(gkNext);
  expect(a.nextSequence - gkNext).toBeLessThan(20n);
  const pending = first!.pending.filter((e) => e.sequence >= gkNext).map((e) => e.sequence);
  expect(pending).toEqual(Array.from({ length: Number(a.nextSequence - gkNext) }, (_, i) => gkNext + BigInt(i)));
  // both sealed their master key history (generated, received, rotated)
  expect(first!.unsaved).toBeInstanceOf(Uint8Array);
  expect(second!.unsaved).toBeInstanceOf(Uint8Array);
});

test('sealed master keys written to the store restore both without a GK-role restart; another vault cannot open them', async () => {
  for (const { gatekeeper, event } of shard.unsavedSeals()) await store.append(gatekeeper.stream, [event], 'no-stream');
  const again = await restoreGatekeeperShard({ store, vault, signing: seededRandom(3) }, 0, genesis.gatekeepers);
  expect(again.gatekeepers.map((g) => [g.restoredFrom, g.restarts])).toEqual([
    ['sealed master keys', 0],
    ['sealed master keys', 0],
  ]);
  expect(again.gatekeepers.map((g) => g.gk.status()?.nextSequence)).toEqual(shard.gatekeepers.map((g) => g.gk.status()?.nextSequence));
  const foreign = openPlatformVault(vaultDir(), vendor, seededRandom(1));
  await expect(restoreGatekeeperShard({ store, vault: foreign, signing: seededRandom(4) }, 0, genesis.gatekeepers)).rejects.toThrow(/cannot unseal its master keys .*is not the one that sealed them/);
}, 120_000);
