/**
 * A scenario's genesis: the seeded accounts, host environment, worker and gatekeeper hosts whose
 * keys the chain config names, the chain config, and block 0. Shared by the simulation driver
 * (which goes on running those hosts) and `phalanet node` (which only needs block 0: the first
 * producer of an empty cluster ledger writes it).
 */
import { compileChainSpec, type PhalaChainConfig } from '../../domain/chain/chainConfig';
import { type Chain, genesis } from '../../domain/chain/executive';
import type { Block } from '../../domain/chain/block';
import { TokenomicParametersStore } from '../../domain/chain/pallets/computationState';
import { createPhalaRuntime } from '../../domain/chain/phalaRuntime';
import type { Random } from '../../domain/ports/random';
import type { Runtime } from '../../domain/runtime/runtime';
import { seededRandom } from '../seededRandom';
import type { ResolvedScenario } from '../scenario/resolved.codec';
import { accountFactory, type SimAccount } from './accounts';
import { accountNames } from './accountNames';
import { pruntimeHash } from './chainSetup';
import { genesisConfigOf } from './genesisConfig';
import { drawGenesisWorkers } from './genesisDraws';
import { createGatekeeperHosts, createWorkerHosts, type GatekeeperHost, type HostEnvironment, hostEnvironment, type WorkerHost } from './hosts';

/** Everything block 0 is built from, and the hosts it names. */
export interface ScenarioGenesis {
  /** the run's seeded Random (fork it by purpose) */
  readonly random: Random;
  readonly account: (name: string) => SimAccount;
  readonly root: SimAccount;
  readonly env: HostEnvironment;
  readonly workers: readonly WorkerHost[];
  readonly gatekeepers: readonly GatekeeperHost[];
  readonly config: PhalaChainConfig;
  readonly runtime: Runtime;
  readonly chain: Chain;
  readonly block: Block;
}

/** Builds a scenario's hosts, chain config and genesis (block 0 and the chain state after it). */
export function scenarioGenesis(scenario: ResolvedScenario): ScenarioGenesis {
  const random = seededRandom(scenario.seed, 'phalanet-simulation');
  const account = accountFactory(random.fork('accounts'));
  const env = hostEnvironment(random.fork('environment'));
  const root = account(accountNames.root);
  const genesisRandom = random.fork('genesis');
  const genesisDraws = new Map(drawGenesisWorkers(scenario, genesisRandom).map((d) => [d.globalIndex, d]));
  const workers = createWorkerHosts(scenario, env, random.fork('workers'), account, genesisDraws);
  // the gatekeepers read the tokenomic parameters of the chain that exists only further down
  let chainRef: Chain | undefined;
  const tokenomicAt = () => (chainRef === undefined ? undefined : TokenomicParametersStore.get(chainRef.storage));
  const gatekeepers = createGatekeeperHosts(scenario, env, random.fork('gatekeepers'), account, tokenomicAt);
  const byIndex = new Map(workers.map((w) => [w.index, w]));
  const keys = {
    workerKeys: (i: number) => {
      const pubkey = byIndex.get(i)?.pubkeyHex;
      if (pubkey === undefined) throw new Error(`no worker with global index ${i}`);
      return { pubkey, ecdhPubkey: pubkey };
    },
    gatekeeperKeys: (i: number) => ({ pubkey: gatekeepers[i]!.pubkeyHex, ecdhPubkey: gatekeepers[i]!.pubkeyHex }),
    account: (name: string) => account(name).id,
    trustedVendorKeys: [env.vendor.publicKey],
    pruntimeAllowList: [pruntimeHash(env)],
  };
  const base = genesisConfigOf(scenario, keys, genesisRandom);
  const needsNoneAttestation = scenario.topology.workerGroups.some((g) => 'fixed' in g.confidenceLevel && g.confidenceLevel.fixed === 128);
  const config = {
    ...base,
    registry: { ...base.registry, noneAttestationEnabled: needsNoneAttestation },
    computation: { ...base.computation, expectedBlockTimeSec: scenario.chain.expectedBlockTimeSec },
  };
  const runtime = createPhalaRuntime();
  const spec = compileChainSpec(config, runtime);
  const { chain, block } = genesis(runtime, spec);
  chainRef = chain;
  return { random, account, root, env, workers, gatekeepers, config, runtime, chain, block };
}
