import * as E from 'fp-ts/Either';
import { pruntimeHashOf } from '../../domain/attestation/quote.codec';
import { verifyAttestation } from '../../domain/attestation/verifyAttestation';
import { runtimeInfoHash } from '../../domain/codec/registration.codec';
import { sr25519Verify } from '../../domain/crypto';
import { seededRandom } from '../../simulations/seededRandom';
import { createAttestationVendor } from '../platform/attestationVendor';
import { measurementOf } from '../platform/measurement';
import { createSimulatedPlatform } from '../platform/platform';
import { createRegistration } from './registration';
import { createWorkerIdentity } from './workerIdentity';
import { createWorkerRuntime } from './workerRuntime';

const root = seededRandom(3).fork('registration-test');
const vendor = createAttestationVendor(root.fork('vendor'));
const platform = createSimulatedPlatform(vendor, root.fork('platform'));
const build = { measurement: measurementOf('pruntime', '2.0.0'), isvProdId: 0, isvSvn: 1, mrSigner: new Uint8Array(32).fill(4) };
const worker = createWorkerRuntime(createWorkerIdentity(root.fork('worker')), { iterationsPer6s: 1000n });
const params = { operator: new Uint8Array(32).fill(1), paraId: 2035, genesisBlockHash: new Uint8Array(32).fill(2), version: 2, maxConsensusVersion: 1 };
const nowSecs = 1_700_000_100n;

const check = (report: ReturnType<typeof createRegistration>['attestation'], hash: Uint8Array, allow = [pruntimeHashOf(build)]) =>
  verifyAttestation({
    report,
    runtimeInfoHash: hash,
    nowSecs: nowSecs + 60n,
    trustedVendorKeys: [vendor.publicKey],
    pruntimeAllowList: allow,
    verifyPRuntime: true,
    verifySignature: sr25519Verify,
  });

describe('worker registration', () => {
  const { info, attestation } = createRegistration(worker, platform, build, params, nowSecs);

  it('describes this worker on this platform', () => {
    expect(info).toEqual({ version: 2, machineId: platform.machineId, pubkey: worker.pubkey, ecdhPubkey: worker.pubkey, genesisBlockHash: params.genesisBlockHash, features: [1, 4], operator: params.operator, paraId: 2035, maxConsensusVersion: 1 });
  });

  it('carries a vendor-signed quote over the runtime info hash that the registry accepts', () => {
    const verdict = check(attestation, runtimeInfoHash(info));
    expect(E.isRight(verdict) && verdict.right).toEqual({ provider: 'Ias', confidenceLevel: 1, runtimeHash: pruntimeHashOf(build) });
  });

  it('is refused for edited info, or a build not on the allow-list', () => {
    const edited = check(attestation, runtimeInfoHash({ ...info, operator: new Uint8Array(32).fill(9) }));
    expect(E.isLeft(edited) && edited.left.type).toBe('InvalidRuntimeInfoHash');
    const unlisted = check(attestation, runtimeInfoHash(info), [pruntimeHashOf({ ...build, isvSvn: 2 })]);
    expect(E.isLeft(unlisted) && unlisted.left.type).toBe('PRuntimeRejected');
  });
});
