/**
 * The chain a scenario runs on: its `PhalaChainConfig` (endowments, registry trust roots and
 * allow-lists, computation constants, the scenario's tokenomic and period overrides). Every account
 * the run will use is endowed at genesis, so the ledger's block 0 says who had what.
 */
import { pruntimeHashOf } from '../../domain/attestation/quote.codec';
import type { PhalaChainConfig } from '../../domain/chain/chainConfig';
import { blake2_256 } from '../../domain/crypto/hashing';
import type { TokenomicParameters } from '../../domain/economics';
import type { ResolvedScenario } from '../scenario/resolved.codec';
import type { SimAccount } from './accounts';
import type { HostEnvironment } from './hosts';
import { PRUNTIME_BUILD } from './hosts';

const PHA = 10n ** 12n;
/** Parachain id every worker registers with (Phala's). */
export const PARA_ID = 2035;
/** Genesis time of every simulated chain: 2026-01-01T00:00:00Z. */
export const GENESIS_TIMESTAMP_MS = 1_767_225_600_000n;

/** The relay-chain genesis hash the simulated workers sync from (on the registry's allow-list). */
export const relaychainGenesisHash = (chainName: string): Uint8Array => blake2_256(new TextEncoder().encode(`phalanet-relaychain:${chainName}`));

/** The allow-listed pRuntime hash of the run's build. */
export function pruntimeHash(env: HostEnvironment): Uint8Array {
  return pruntimeHashOf({ measurement: env.measurement, isvProdId: PRUNTIME_BUILD.isvProdId, isvSvn: PRUNTIME_BUILD.isvSvn, mrSigner: env.mrSigner });
}

/** Tokenomic parameters of a resolved scenario in the engine's shape. */
export function tokenomicOf(s: ResolvedScenario): TokenomicParameters {
  return { ...s.chain.tokenomic };
}

/** The chain configuration of a run. `endow` lists every account with its PHA at genesis. */
export function chainConfigOf(s: ResolvedScenario, env: HostEnvironment, root: SimAccount, endow: readonly (readonly [SimAccount, bigint])[]): PhalaChainConfig {
  const chainName = `phalanet-${s.name}`;
  const needsNoneAttestation = s.topology.workerGroups.some((g) => 'fixed' in g.confidenceLevel && g.confidenceLevel.fixed === 128);
  return {
    chainName,
    blockTimeMs: s.chain.blockTimeMs,
    genesisTimestampMs: GENESIS_TIMESTAMP_MS,
    rootAccount: root.id,
    endowments: endow.map(([a, amount]) => ({ who: a.id, amount })),
    // the computation rewards of the whole run, with room to spare
    subsidyPoolFunding: 1_000_000_000n * PHA,
    registry: { parachainId: PARA_ID, trustedVendorKeys: [env.vendor.publicKey], noneAttestationEnabled: needsNoneAttestation },
    pruntimeAllowList: [pruntimeHash(env)],
    relaychainGenesisBlockHashes: [`0x${Buffer.from(relaychainGenesisHash(chainName)).toString('hex')}`],
    benchmarkDuration: s.chain.benchmarkDurationBlocks,
    coolDownPeriodSec: s.chain.coolDownPeriodSec,
    tokenomicParameters: tokenomicOf(s),
    heartbeatPaused: s.chain.heartbeatsPaused,
    expectedHeartbeatCount: s.chain.expectedHeartbeatCount,
    computation: { expectedBlockTimeSec: s.chain.expectedBlockTimeSec },
    wphaMinBalance: PHA / 100n,
  };
}
