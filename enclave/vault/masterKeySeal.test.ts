import * as E from 'fp-ts/Either';
import { seededRandom } from '../../simulations/seededRandom';
import { createAttestationVendor } from '../platform/attestationVendor';
import { measurementOf } from '../platform/measurement';
import { createSimulatedPlatform } from '../platform/platform';
import { createKeyVault, restoreKeyVault } from './keyVault';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const m = measurementOf('pruntime', 'seal-test');
const infos = (h: ReadonlyArray<{ rotationId: bigint; blockHeight: number; publicKey: Uint8Array }>) => h.map((k) => `${k.rotationId}@${k.blockHeight}:${hex(k.publicKey)}`);

function setup(seed: string) {
  const r = seededRandom(0, seed);
  const vendor = createAttestationVendor(r.fork('vendor'));
  const platform = createSimulatedPlatform(vendor, r.fork('p1'));
  const otherPlatform = createSimulatedPlatform(vendor, r.fork('p2'));
  const gk = createKeyVault(r.fork('gk'));
  const identitySeal = gk.seal(platform, m);
  gk.generateFirstMasterKey();
  const [rotated] = gk.encryptFreshMasterKeyTo([gk.identityPublicKey], 40, 0n);
  if (E.isLeft(gk.acceptMasterKey(rotated!, 1n, 41))) throw new Error('rotation not accepted');
  return { r, platform, otherPlatform, gk, identitySeal, sealed: gk.sealMasterKeyHistory(platform, m) };
}

describe('master key seal (MasterKeySeal::V2)', () => {
  it('restores the history into the same identity on the same platform and build', () => {
    const { r, platform, gk, identitySeal, sealed } = setup('seal');
    const restored = restoreKeyVault(platform, m, identitySeal, r.fork('restart'));
    if (E.isLeft(restored)) throw new Error('identity unseal failed');
    expect(restored.right.masterKeyHistory()).toEqual([]);
    const history = restored.right.restoreMasterKeyHistory(platform, m, sealed);
    expect(E.isRight(history) && infos(history.right)).toEqual(infos(gk.masterKeyHistory()));
    expect(restored.right.useMasterKey(0n)).toBe(true);
    expect(hex(restored.right.activeMasterKey().publicKey)).toBe(hex(gk.masterKeyHistory()[0]!.publicKey));
    expect(restored.right.useMasterKey(5n)).toBe(false);
  });

  it('refuses a history signed by another identity, even on the right platform', () => {
    const { r, platform, sealed } = setup('seal-identity');
    const stranger = createKeyVault(r.fork('stranger'));
    const result = stranger.restoreMasterKeyHistory(platform, m, sealed);
    expect(E.isLeft(result) && result.left._tag).toBe('MasterKeySealInvalid');
    expect(stranger.masterKeyHistory()).toEqual([]);
  });

  it('refuses a blob from another platform or a tampered blob', () => {
    const { r, platform, otherPlatform, identitySeal, sealed } = setup('seal-platform');
    const restored = restoreKeyVault(platform, m, identitySeal, r.fork('restart'));
    if (E.isLeft(restored)) throw new Error('identity unseal failed');
    const elsewhere = restored.right.restoreMasterKeyHistory(otherPlatform, m, sealed);
    expect(E.isLeft(elsewhere) && elsewhere.left._tag).toBe('SealIntegrityFailure');
    const tampered = Uint8Array.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    const edited = restored.right.restoreMasterKeyHistory(platform, m, tampered);
    expect(E.isLeft(edited) && edited.left._tag).toBe('SealIntegrityFailure');
  });
});
