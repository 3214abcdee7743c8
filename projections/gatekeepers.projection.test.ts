import { gatekeepersProjection, queryGatekeepers, queryMasterKeyEpochs } from './gatekeepers.projection';
import { expectIdempotent, foldInto } from './testing/projectionSpec';
import { ev, syntheticChain } from './testing/syntheticChain';

const key = (byte: number) => `0x${byte.toString(16).padStart(2, '0').repeat(32)}`;
const [g1, g2, m0, m1] = [key(0x11), key(0x12), key(0x21), key(0x22)];
const R = 'PhalaRegistry';
const blocks = syntheticChain([
  [ev(R, 'GatekeeperAdded', { pubkey: g1 }), ev(R, 'GatekeeperMasterPubkeySet', { masterPubkey: m0 }), ev(R, 'GatekeeperLaunched')],
  [ev(R, 'GatekeeperAdded', { pubkey: g2 })],
  [ev(R, 'MasterKeyRotationStarted', { rotationId: 1n })],
  [ev(R, 'MasterKeyRotated', { rotationId: 1n, masterPubkey: m1 })],
  [ev(R, 'MasterKeyRotationStarted', { rotationId: 2n }), ev(R, 'MasterKeyRotationFailed', { rotationLock: 2n, gatekeeperRotationId: 1n })],
  [ev(R, 'GatekeeperRemoved', { pubkey: g1 })],
]);

describe('gatekeepers projection', () => {
  it('records master-key epochs: the first key, a rotation and a failed one', async () => {
    const store = await foldInto(gatekeepersProjection, blocks);
    expect(await queryMasterKeyEpochs(store)).toEqual([
      { rotationId: 0, masterPubkey: m0, requestedAtBlock: null, fromBlock: 0, toBlock: 3, failed: false },
      { rotationId: 1, masterPubkey: m1, requestedAtBlock: 2, fromBlock: 3, toBlock: null, failed: false },
      { rotationId: 2, masterPubkey: null, requestedAtBlock: 4, fromBlock: null, toBlock: null, failed: true },
    ]);
  });

  it('lists gatekeepers with their membership and epochs, filtered by active', async () => {
    const store = await foldInto(gatekeepersProjection, blocks);
    const all = await queryGatekeepers(store);
    expect(all.map((g) => [g.pubkey, g.active, g.addedAtBlock, g.removedAtBlock])).toEqual([
      [g1, false, 0, 5],
      [g2, true, 1, null],
    ]);
    expect(all[1]!.masterKeyEpochs.map((e) => e.rotationId)).toEqual([0, 1, 2]);
    expect((await queryGatekeepers(store, { active: true })).map((g) => g.pubkey)).toEqual([g2]);
    expect((await queryGatekeepers(store, { after: g1 })).map((g) => g.pubkey)).toEqual([g2]);
  });

  it('is idempotent: the same block twice changes nothing', async () => {
    await expectIdempotent(gatekeepersProjection, blocks);
  });
});
