/**
 * Test fixture: one gatekeeper, a cluster of `n` workers (each its own vault and platform, all
 * holding the cluster key the GK shared), and a helper to instantiate one contract on each.
 */
import * as E from 'fp-ts/Either';
import { fromHex, toHex } from '../../../domain/codec/hex';
import { contractId as contractIdOf } from '../../../domain/ids/accounts';
import type { Random } from '../../../domain/ports/random';
import { createAttestationVendor } from '../../platform/attestationVendor';
import { type Measurement, measurementOf } from '../../platform/measurement';
import { type Platform, createSimulatedPlatform } from '../../platform/platform';
import { type KeyVault, createKeyVault } from '../../vault/keyVault';
import { type ContractHost, type ContractHostPorts, instantiateContract } from '../contractHost';
import type { ContractProgram } from '../contractProgram';
import type { ContractDeployment } from '../contractState';
import { codeHashOf } from '../programRegistry';

/** One worker of the test cluster. */
export interface TestWorker {
  readonly vault: KeyVault;
  readonly platform: Platform;
  readonly ports: ContractHostPorts;
}

/** The test cluster. */
export interface TestCluster {
  readonly clusterId: Uint8Array;
  readonly workers: readonly TestWorker[];
  readonly measurement: Measurement;
  /** a vault that never received the cluster key */
  readonly outsider: KeyVault;
  deploy(program: ContractProgram, deployer: Uint8Array, salt: number, initData: Uint8Array, block?: number): { deployment: ContractDeployment; hosts: ContractHost[] };
}

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`fixture: ${JSON.stringify(e.left)}`);
  return e.right;
};

/** A GK and `n` workers sharing cluster `clusterId`; every key from `random`. */
export function testCluster(random: Random, n = 3, clusterId = new Uint8Array(32).fill(1)): TestCluster {
  const gk = createKeyVault(random.fork('gk'));
  gk.generateFirstMasterKey();
  const vendor = createAttestationVendor(random.fork('vendor'));
  const workers = Array.from({ length: n }, (_, i) => {
    const r = random.fork(`worker-${i}`);
    const vault = createKeyVault(r.fork('vault'));
    right(vault.acceptClusterKey(clusterId, gk.shareClusterKey(clusterId, vault.identityPublicKey, 10, BigInt(i))));
    return { vault, platform: createSimulatedPlatform(vendor, r.fork('platform')), ports: { vault, random: r.fork('reply-ivs') } };
  });
  return {
    clusterId,
    workers,
    measurement: measurementOf('pruntime', 'contracts-test'),
    outsider: createKeyVault(random.fork('outsider')),
    deploy: (program, deployer, salt, initData, block = 20) => {
      const codeHash = codeHashOf(program.name, program.version);
      // the id the Phat pallet computes (`contract_id_preimage`)
      const contractId = fromHex(contractIdOf(toHex(deployer), toHex(codeHash), toHex(clusterId), toHex(Uint8Array.of(salt))), 'contract id', 32);
      const deployment = { clusterId, contractId, deployer, codeHash };
      return { deployment, hosts: workers.map((w) => right(instantiateContract(w.ports, program, deployment, initData, block))) };
    },
  };
}
