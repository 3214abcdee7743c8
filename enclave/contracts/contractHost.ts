/**
 * One contract on one worker (DOMAIN.md §9): instantiated from the cluster key the worker holds,
 * it runs chain-ordered commands (decrypted with the contract key), answers off-chain queries
 * (decrypted with the worker key, optionally certified), signs its egress with the contract key
 * and persists only as a sealed blob. The program itself is pure; this object holds the current
 * snapshot and the two counters that are part of the replicated state.
 */
import * as E from 'fp-ts/Either';
import { ContractQueryResponseScale } from '../../domain/codec/contractEvents.codec';
import { toHex } from '../../domain/codec/hex';
import { type MessageOrigin, type SignedMessage, messageSigningBytes } from '../../domain/codec/mq.codec';
import { str, tuple, u32, u64 } from '../../domain/codec/scale';
import { topicBytes } from '../../domain/codec/topics';
import type { Random } from '../../domain/ports/random';
import type { Measurement } from '../platform/measurement';
import type { Platform } from '../platform/platform';
import type { ContractKeyRef, KeyVault } from '../vault/keyVault';
import type { CommandCall, ContractProgram, ProgramError, ProgramInstance, ProgramOutput } from './contractProgram';
import { type QuerySignature, type SignatureVerifyError, verifyQuerySignature } from './queryCertificate';
import { type EnvelopeError, openCommandPayload, openQuery, sealReply } from './secretChannel';
import { type ContractDeployment, type ContractHostState, type UnsealContractError, sealContractState, unsealContractState } from './contractState';
import type { ProgramRegistry } from './programRegistry';

/** The enclave services a host uses: the vault (keys) and a Random for reply IVs. */
export interface ContractHostPorts {
  readonly vault: KeyVault;
  readonly random: Random;
}

/** prpc `ContractQueryRequest`. */
export interface ContractQueryRequest {
  readonly encodedEncryptedData: Uint8Array;
  readonly signature: QuerySignature | undefined;
}

/** prpc `ContractQueryResponse`: SCALE `EncryptedData` of `ContractQueryResponse{nonce, result}`. */
export interface ContractQueryReply {
  readonly encodedEncryptedData: Uint8Array;
  readonly blocknum: number;
}

/** Why a command was not applied (the state is unchanged in every case). */
export type CommandError = EnvelopeError | ProgramError;

/** Why a query was not answered. */
export type QueryError =
  | EnvelopeError
  | ProgramError
  | { readonly _tag: 'QuerySignatureRejected'; readonly reason: SignatureVerifyError }
  | { readonly _tag: 'WrongContract'; readonly expected: string; readonly got: string };

/** An applied command: the contract's egress, signed with the contract key, in order. */
export interface CommandReceipt {
  readonly egress: readonly SignedMessage[];
}

/** A contract on one worker. */
export interface ContractHost {
  readonly contractId: string;
  readonly codeHash: string;
  /** the contract's public (and ECDH) key: clients encrypt commands to it */
  readonly publicKey: Uint8Array;
  handleCommand(origin: MessageOrigin, payload: Uint8Array, block: number): E.Either<CommandError, CommandReceipt>;
  handleQuery(request: ContractQueryRequest, currentBlock: number): E.Either<QueryError, ContractQueryReply>;
  /** the replicated state, sealed for (platform, m): the only form it is ever stored in */
  sealState(platform: Platform, m: Measurement): Uint8Array;
}

const entropyContext = tuple(str, u32, u64);

function entropyOf(vault: KeyVault, key: ContractKeyRef, label: string, block: number, n: bigint): string {
  return toHex(vault.contractRandomness(key, entropyContext.enc([label, block, n])));
}

function callOf(origin: MessageOrigin, block: number, entropy: string): CommandCall {
  return { sender: origin.tag === 'AccountId' ? toHex(origin.value) : undefined, fromPallet: origin.tag === 'Pallet', block, entropy };
}

/** Instantiates `program` for `deployment` on this worker (its vault must hold the cluster key). */
export function instantiateContract(ports: ContractHostPorts, program: ContractProgram, deployment: ContractDeployment, instantiateData: Uint8Array, block: number): E.Either<ProgramError, ContractHost> {
  const key: ContractKeyRef = { kind: 'contract', clusterId: deployment.clusterId, contractId: deployment.contractId };
  const call = { deployer: toHex(deployment.deployer), contractId: toHex(deployment.contractId), block, entropy: entropyOf(ports.vault, key, 'instantiate', block, 0n) };
  return E.map((instance: ProgramInstance) => hostOver(ports, deployment, { instance, egressSequence: 0n, appliedCommands: 0n }))(program.instantiate(instantiateData, call));
}

/** A host over an existing state (instantiation, or a restore from a sealed blob). */
function hostOver(ports: ContractHostPorts, deployment: ContractDeployment, initial: ContractHostState): ContractHost {
  const { vault } = ports;
  const key: ContractKeyRef = { kind: 'contract', clusterId: deployment.clusterId, contractId: deployment.contractId };
  const contractId = toHex(deployment.contractId);
  let state = initial;
  const sign = (egress: ReadonlyArray<Extract<ProgramOutput, { type: 'egress' }>>): SignedMessage[] =>
    egress.map((out, i) => {
      const message = { sender: { tag: 'Contract' as const, value: deployment.contractId }, destination: topicBytes(out.topic), payload: out.payload };
      const sequence = state.egressSequence + BigInt(i);
      return { message, sequence, signature: vault.sign(key, messageSigningBytes(message, sequence)) };
    });
  return {
    contractId,
    codeHash: toHex(deployment.codeHash),
    publicKey: vault.publicKeyOf(key),
    handleCommand: (origin, payload, block) =>
      E.flatMap(openCommandPayload(vault, key, payload), (command) => {
        const call = callOf(origin, block, entropyOf(vault, key, 'command', block, state.appliedCommands));
        return E.map(({ next, egress }: { next: ProgramInstance; egress: ReadonlyArray<Extract<ProgramOutput, { type: 'egress' }>> }) => {
          const signed = sign(egress);
          state = { instance: next, egressSequence: state.egressSequence + BigInt(signed.length), appliedCommands: state.appliedCommands + 1n };
          return { egress: signed };
        })(state.instance.command(command, call));
      }),
    handleQuery: (request, currentBlock) => answerQuery(ports, contractId, state.instance, request, currentBlock),
    sealState: (platform, m) => sealContractState(platform, m, deployment, state),
  };
}

function answerQuery(ports: ContractHostPorts, contractId: string, instance: ProgramInstance, request: ContractQueryRequest, currentBlock: number): E.Either<QueryError, ContractQueryReply> {
  let caller: string | undefined;
  if (request.signature !== undefined) {
    const chain = verifyQuerySignature(request.signature, request.encodedEncryptedData, currentBlock);
    if (E.isLeft(chain)) return E.left({ _tag: 'QuerySignatureRejected', reason: chain.left });
    caller = chain.right[0];
  }
  return E.flatMap(openQuery(ports.vault, request.encodedEncryptedData), ({ query, replyTo }): E.Either<QueryError, ContractQueryReply> => {
    const got = toHex(query.head.id);
    if (got !== contractId) return E.left({ _tag: 'WrongContract', expected: contractId, got });
    return E.map((result: Uint8Array) => {
      const plaintext = ContractQueryResponseScale.encode({ nonce: query.head.nonce, result });
      return { encodedEncryptedData: sealReply(ports.vault, ports.random, replyTo, plaintext), blocknum: currentBlock };
    })(instance.query(query.data, { caller, block: currentBlock }));
  });
}

/** Why a sealed contract could not be brought back. */
export type RestoreContractError = UnsealContractError | ProgramError | { readonly _tag: 'UnknownProgram'; readonly codeHash: string };

/** Rebuilds a host from {@link ContractHost.sealState}'s blob (same platform and build). */
export function restoreContractHost(ports: ContractHostPorts, registry: ProgramRegistry, platform: Platform, m: Measurement, blob: Uint8Array): E.Either<RestoreContractError, ContractHost> {
  return E.flatMap(unsealContractState(platform, m, blob), (sealed): E.Either<RestoreContractError, ContractHost> => {
    const program = registry.lookup(sealed.deployment.codeHash);
    if (program === undefined) return E.left({ _tag: 'UnknownProgram', codeHash: toHex(sealed.deployment.codeHash) });
    return E.map((instance: ProgramInstance) =>
      hostOver(ports, sealed.deployment, { instance, egressSequence: sealed.egressSequence, appliedCommands: sealed.appliedCommands }),
    )(program.restore(sealed.program));
  });
}
