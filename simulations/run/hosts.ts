/**
 * The hosts of a simulated network: one worker host (pherry + pRuntime) per worker and one per
 * gatekeeper, each on its own simulated platform, with the accounts that operate and relay for it.
 * Every key, platform secret and per-worker value derives from the run's seed (ARCHITECTURE.md §5:
 * reproducible, and insecure by design). Drawing order is fixed: workers by global index, then
 * gatekeepers, so another scenario section never shifts a worker's draws.
 */
import type * as E from 'fp-ts/Either';
import type { Random } from '../../domain/ports/random';
import type { MasterKeyInfo, RestoreMasterKeysError } from '../../enclave/vault/keyVault';
import type { ResolvedScenario } from '../scenario/resolved.codec';
import { createAttestationVendor, type AttestationVendor } from '../../enclave/platform/attestationVendor';
import { measurementOf, type Measurement } from '../../enclave/platform/measurement';
import { createSimulatedPlatform, type Platform } from '../../enclave/platform/platform';
import { createWorkerIdentity, createWorkerIdentityWithVault } from '../../enclave/pruntime/workerIdentity';
import { createWorkerRuntime, type WorkerRuntime } from '../../enclave/pruntime/workerRuntime';
import { createGatekeeperRuntime, type GatekeeperRuntime } from '../../enclave/gatekeeper/gatekeeperRuntime';
import type { TokenomicParameters } from '../../domain/economics';
import type { SimAccount } from './accounts';
import { accountNames } from './accountNames';
import { drawFrom, type GenesisWorkerDraw } from './genesisDraws';

/** The pRuntime build every host runs (on the chain's allow-list). */
export const PRUNTIME_BUILD = { name: 'pruntime', version: '2.2.0', isvProdId: 0, isvSvn: 1 } as const;

/** What the hosts share: the vendor the chain trusts and the measurement it allows. */
export interface HostEnvironment {
  readonly vendor: AttestationVendor;
  readonly measurement: Measurement;
  readonly mrSigner: Uint8Array;
}

/** One worker: its pRuntime and what pherry and the operator know about it. */
export interface WorkerHost {
  readonly kind: 'worker';
  /** global index over all worker groups */
  readonly index: number;
  readonly name: string;
  readonly group: string;
  readonly platform: Platform;
  runtime: WorkerRuntime;
  /** the identity's Random: a restore must get the same one to re-sign identically */
  readonly identityRandom: Random;
  readonly pubkeyHex: string;
  /** created on first use (a 20,000-worker run would otherwise make 40,000 keys up front) */
  readonly operator: SimAccount;
  /** created on first use */
  readonly relayer: SimAccount;
  readonly confidenceLevel: number;
  readonly stakePha: number;
  readonly computes: boolean;
  readonly registerAtBlock: number;
  /** the pool that takes this worker, set by the topology */
  pool: number | undefined;
  /** not answering (an unresponsive-worker fault): pherry relays nothing */
  silent: boolean;
  /** crashed: neither syncs nor relays until restarted */
  down: boolean;
  /** sealed checkpoint taken when it went down */
  sealedCheckpoint: Uint8Array | undefined;
}

/** One gatekeeper host: a pRuntime with both roles sharing one vault. */
export interface GatekeeperHost {
  readonly kind: 'gatekeeper';
  readonly index: number;
  readonly name: string;
  readonly platform: Platform;
  readonly worker: WorkerRuntime;
  gk: GatekeeperRuntime;
  /** recreates the GK role over the same vault (a pRuntime restart after receiving the master key) */
  readonly restartGatekeeper: () => GatekeeperRuntime;
  readonly pubkeyHex: string;
  readonly operator: SimAccount;
  readonly relayer: SimAccount;
  readonly gkRelayer: SimAccount;
  /** block at which governance registers it (0 = among the first) */
  readonly joinAtBlock: number;
  down: boolean;
  /**
   * A fresh pRuntime of this host on another platform (a cluster node restoring the gatekeeper
   * from its platform vault): the same seeded identity, signing its GK egress with `signing`.
   */
  readonly enclaveOn: (platform: Platform, signing: Random) => GatekeeperEnclave;
}

/** A gatekeeper host's pRuntime as a cluster node runs it: both roles over one fresh key vault. */
export interface GatekeeperEnclave {
  readonly worker: WorkerRuntime;
  /** a fresh GK role over the vault (the first one, or a restart after the master key arrived) */
  startGatekeeper(): GatekeeperRuntime;
  /** `master_key::try_unseal`: loads a sealed master key history into the vault (before the first block) */
  restoreMasterKeys(sealed: Uint8Array): E.Either<RestoreMasterKeysError, readonly MasterKeyInfo[]>;
}

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

/** The vendor and build of a run. */
export function hostEnvironment(random: Random): HostEnvironment {
  return {
    vendor: createAttestationVendor(random.fork('vendor')),
    measurement: measurementOf(PRUNTIME_BUILD.name, PRUNTIME_BUILD.version),
    mrSigner: random.fork('mr-signer').bytes(32),
  };
}

/** Every worker of the scenario's worker groups, in global index order. */
export function createWorkerHosts(
  scenario: ResolvedScenario,
  env: HostEnvironment,
  random: Random,
  account: (name: string) => SimAccount,
  genesisDraws: ReadonlyMap<number, GenesisWorkerDraw> = new Map(),
): WorkerHost[] {
  const hosts: WorkerHost[] = [];
  for (const group of scenario.topology.workerGroups) {
    for (let k = 0; k < group.count; k++) {
      const index = group.firstWorker + k;
      const r = random.fork(`worker/${index}`);
      const draws = r.fork('draws');
      // a worker registered at genesis is what block 0 says it is (its draws made the chain config)
      const g = genesisDraws.get(index);
      const cpuSpeed = g?.cpuSpeedIterationsPerSec ?? drawFrom(group.cpuSpeedIterationsPerSec, draws);
      const confidenceLevel = g?.confidenceLevel ?? Math.round(drawFrom(group.confidenceLevel, draws));
      const stakePha = g?.stakePha ?? drawFrom(group.stakePha, draws);
      const platform = createSimulatedPlatform(env.vendor, r.fork('platform'));
      const identityRandom = r.fork('identity');
      const runtime = createWorkerRuntime(createWorkerIdentity(identityRandom), { iterationsPer6s: BigInt(Math.round(cpuSpeed * 6)) });
      hosts.push({
        kind: 'worker',
        index,
        name: `${group.name}-${k + 1}`,
        group: group.name,
        platform,
        runtime,
        identityRandom,
        pubkeyHex: hex(runtime.pubkey),
        get operator() {
          return account(accountNames.operator(`${group.name}-${k + 1}`));
        },
        get relayer() {
          return account(accountNames.relayer(`${group.name}-${k + 1}`));
        },
        confidenceLevel,
        stakePha,
        computes: group.computing,
        registerAtBlock: group.registerAtBlock,
        pool: undefined,
        silent: false,
        down: false,
        sealedCheckpoint: undefined,
      });
    }
  }
  return hosts;
}

/** The gatekeepers: `count` registered first, then one per `joinAtBlocks` entry. */
export function createGatekeeperHosts(
  scenario: ResolvedScenario,
  env: HostEnvironment,
  random: Random,
  account: (name: string) => SimAccount,
  tokenomicParametersAt: (block: number) => TokenomicParameters | undefined,
): GatekeeperHost[] {
  const { count, joinAtBlocks } = scenario.topology.gatekeepers;
  const joins = [...Array.from({ length: count }, () => 0), ...joinAtBlocks];
  return joins.map((joinAtBlock, i) => {
    const r = random.fork(`gatekeeper/${i}`);
    const platform = createSimulatedPlatform(env.vendor, r.fork('platform'));
    const open = (on: Platform, signing: Random) => {
      // `fork` never consumes: every pRuntime opened for this host gets the same identity
      const { identity, vault } = createWorkerIdentityWithVault(r.fork('identity'));
      const worker = createWorkerRuntime(identity, { iterationsPer6s: 2100n });
      const gkOptions = { vault, random: signing, platform: on, measurement: env.measurement, tokenomicParametersAt };
      return { worker, vault, gkOptions };
    };
    const { worker, gkOptions } = open(platform, r.fork('gk-signing'));
    const gk = createGatekeeperRuntime(gkOptions);
    const name = `gatekeeper-${i + 1}`;
    return {
      kind: 'gatekeeper',
      index: i,
      name,
      platform,
      worker,
      gk,
      restartGatekeeper: () => createGatekeeperRuntime(gkOptions),
      pubkeyHex: hex(worker.pubkey),
      operator: account(accountNames.operator(name)),
      relayer: account(accountNames.relayer(name)),
      gkRelayer: account(accountNames.relayer(name, 'gatekeeper')),
      joinAtBlock,
      down: false,
      enclaveOn: (on, signing) => {
        const fresh = open(on, signing);
        return {
          worker: fresh.worker,
          startGatekeeper: () => createGatekeeperRuntime(fresh.gkOptions),
          restoreMasterKeys: (sealed) => fresh.vault.restoreMasterKeyHistory(on, env.measurement, sealed),
        };
      },
    };
  });
}
