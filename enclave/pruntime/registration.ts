/**
 * What pherry submits with `register_worker_v2` (DOMAIN.md §4.2): the pRuntime's
 * `WorkerRegistrationInfoV2` and an attestation quote whose report data is the runtime info hash,
 * signed by the platform's vendor (the simulated IAS).
 */
import { type AttestationReport, pruntimeHashOf, type QuoteBody, quoteBodyCodec, reportDataOf } from '../../domain/attestation/quote.codec';
import { runtimeInfoHash, type WorkerRegistrationInfoV2 } from '../../domain/codec/registration.codec';
import type { Measurement } from '../platform/measurement';
import type { Platform } from '../platform/platform';
import type { WorkerRuntime } from './workerRuntime';

/** The operator's and the build's choices that go into a registration. */
export interface RegistrationParams {
  readonly operator: Uint8Array | undefined;
  readonly paraId: number;
  /** relay-chain genesis hash (phalanet: the chain's block 0 hash) */
  readonly genesisBlockHash: Uint8Array;
  /** pRuntime version (`version`) and `max_consensus_version` */
  readonly version: number;
  readonly maxConsensusVersion: number;
  /** deprecated in Phala; real pRuntimes send `[1, 4]` */
  readonly features?: readonly number[];
}

/** The pRuntime build as the allow-list names it. */
export interface BuildIdentity {
  readonly measurement: Measurement;
  readonly isvProdId: number;
  readonly isvSvn: number;
  readonly mrSigner: Uint8Array;
}

/** A registration ready for `register_worker_v2`. */
export interface WorkerRegistration {
  readonly info: WorkerRegistrationInfoV2;
  readonly attestation: AttestationReport;
}

/** `WorkerRegistrationInfoV2` of this worker on `platform` (machine id = the platform's). */
export function registrationInfo(rt: WorkerRuntime, platform: Platform, params: RegistrationParams): WorkerRegistrationInfoV2 {
  return {
    version: params.version,
    machineId: platform.machineId,
    pubkey: rt.pubkey,
    ecdhPubkey: rt.pubkey,
    genesisBlockHash: params.genesisBlockHash,
    features: [...(params.features ?? [1, 4])],
    operator: params.operator,
    paraId: params.paraId,
    maxConsensusVersion: params.maxConsensusVersion,
  };
}

/**
 * The info and a quote over it. `nowSecs` = the latest synced block's time (the quote timestamp
 * the registry checks for freshness); `quoteStatus` is what the simulated CPU's TCB reports.
 */
export function createRegistration(
  rt: WorkerRuntime,
  platform: Platform,
  build: BuildIdentity,
  params: RegistrationParams,
  nowSecs: bigint,
  quoteStatus = 'OK',
): WorkerRegistration {
  const info = registrationInfo(rt, platform, params);
  const body: QuoteBody = {
    pruntimeHash: pruntimeHashOf(build),
    reportData: reportDataOf(runtimeInfoHash(info)),
    timestampSecs: nowSecs,
    quoteStatus,
    advisoryIds: [],
  };
  const report = quoteBodyCodec.enc(body);
  return {
    info,
    attestation: { tag: 'SimulatedIas', value: { report, signature: platform.vendor.signQuoteBody(report), vendorPubkey: platform.vendor.publicKey } },
  };
}
