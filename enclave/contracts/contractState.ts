/**
 * The replicated state of one contract and its sealed form. The plaintext is canonical JSON, so
 * every worker of a cluster that applied the same commands seals the same bytes (under its own
 * platform key: the blobs differ, the plaintexts do not). Nothing else about a contract is stored.
 */
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/PathReporter';
import { fromHex, toHex } from '../../domain/codec/hex';
import type { Measurement } from '../platform/measurement';
import type { Platform } from '../platform/platform';
import type { UnsealError } from '../platform/sealing';
import { fromCanonicalJson, toCanonicalJson } from './canonicalJson';
import type { PersistedProgram, ProgramInstance } from './contractProgram';

/** Where a contract lives and who deployed it (32-byte ids). */
export interface ContractDeployment {
  readonly clusterId: Uint8Array;
  readonly contractId: Uint8Array;
  readonly deployer: Uint8Array;
  readonly codeHash: Uint8Array;
}

/** The replicated state of one contract: the program snapshot and two counters. */
export interface ContractHostState {
  readonly instance: ProgramInstance;
  /** next sequence of the contract's egress channel (`Contract(id)` sender) */
  readonly egressSequence: bigint;
  /** commands applied so far (names each command's entropy) */
  readonly appliedCommands: bigint;
}

/** Format version of the sealed contract state. */
export const SEALED_CONTRACT_STATE_VERSION = 1;

/** The sealed plaintext: canonical JSON of the deployment, the counters and the program snapshot. */
export function contractStatePlaintext(deployment: ContractDeployment, state: ContractHostState): Uint8Array {
  const record = {
    version: SEALED_CONTRACT_STATE_VERSION,
    clusterId: toHex(deployment.clusterId),
    contractId: toHex(deployment.contractId),
    deployer: toHex(deployment.deployer),
    codeHash: toHex(deployment.codeHash),
    egressSequence: state.egressSequence,
    appliedCommands: state.appliedCommands,
    program: state.instance.persisted(),
  };
  return new TextEncoder().encode(toCanonicalJson(record));
}

/** {@link contractStatePlaintext} sealed for (platform, m). */
export function sealContractState(platform: Platform, m: Measurement, deployment: ContractDeployment, state: ContractHostState): Uint8Array {
  return platform.seal(m, contractStatePlaintext(deployment, state));
}

const hex32 = new t.Type<Uint8Array, string, unknown>(
  'Hex32',
  (u): u is Uint8Array => u instanceof Uint8Array && u.length === 32,
  (u, c) => (typeof u === 'string' && /^0x[0-9a-f]{64}$/.test(u) ? t.success(fromHex(u, 'id', 32)) : t.failure(u, c)),
  toHex,
);
const sealedRecordType = t.type({
  version: t.literal(SEALED_CONTRACT_STATE_VERSION),
  clusterId: hex32,
  contractId: hex32,
  deployer: hex32,
  codeHash: hex32,
  egressSequence: t.bigint,
  appliedCommands: t.bigint,
  program: t.type({ value: t.unknown, context: t.unknown }),
});

/** An unsealed, validated contract state (the program snapshot not yet restored). */
export interface UnsealedContractState {
  readonly deployment: ContractDeployment;
  readonly egressSequence: bigint;
  readonly appliedCommands: bigint;
  readonly program: PersistedProgram;
}

/** Why a sealed contract state could not be opened. */
export type UnsealContractError = UnsealError | { readonly _tag: 'SealedContractMalformed'; readonly detail: string };

/** Unseals and validates a blob from {@link sealContractState}. */
export function unsealContractState(platform: Platform, m: Measurement, blob: Uint8Array): E.Either<UnsealContractError, UnsealedContractState> {
  return E.flatMap(platform.unseal(m, blob), (bytes): E.Either<UnsealContractError, UnsealedContractState> => {
    const parsed = fromCanonicalJson(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
    if (E.isLeft(parsed)) return E.left({ _tag: 'SealedContractMalformed', detail: parsed.left });
    const record = sealedRecordType.decode(parsed.right);
    if (E.isLeft(record)) return E.left({ _tag: 'SealedContractMalformed', detail: PathReporter.report(record).join('; ') });
    const { clusterId, contractId, deployer, codeHash, egressSequence, appliedCommands, program } = record.right;
    return E.right({ deployment: { clusterId, contractId, deployer, codeHash }, egressSequence, appliedCommands, program });
  });
}
