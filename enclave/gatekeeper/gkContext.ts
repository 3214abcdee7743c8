import type { Message } from '../../domain/codec/mq.codec';
import type { Economics } from '../../domain/economics';
import type { Random } from '../../domain/ports/random';
import type { Measurement } from '../platform/measurement';
import type { Platform } from '../platform/platform';
import type { KeyVault } from '../vault/keyVault';
import type { GkEgress } from './gkEgress';
import type { GkInbound } from '../../domain/economics/chainMessages';

/**
 * The GK role of one pRuntime (`gk::Gatekeeper`): present once it holds a master key and has seen
 * `FirstGatekeeper`. `registered` = its egress is live (not dummy); `onChain` = the master pubkey is
 * on chain, from when it processes messages and runs the economics.
 */
export interface GkRole {
  onChain: boolean;
  registered: boolean;
  lastRandomNumber: Uint8Array;
  /** per-GK IV counter (`iv_seq`): every GK advances it identically, so ciphertexts match */
  ivSeq: bigint;
  readonly economics: Economics;
  readonly egress: GkEgress;
  /** GK-role messages received before `onChain` in this block; drained when it flips, dropped at block end */
  pending: GkInbound[];
}

/** A message the role refused (Phala logs these and goes on). */
export interface GkRejection {
  readonly blockNumber: number;
  readonly reason: 'BadOrigin' | 'BadSenderSignature' | 'MasterKeyLeakage';
  readonly detail: string;
}

/** Everything the handlers of one block may read and change. */
export interface GkContext {
  readonly vault: KeyVault;
  readonly random: Random;
  readonly platform: Platform;
  readonly measurement: Measurement;
  /** the registry's gatekeeper list as the messages tell it (hex pubkeys) */
  readonly gatekeepers: Set<string>;
  readonly block: { readonly number: number; readonly timestampMs: number };
  role: GkRole | undefined;
  /** pushed on this pRuntime's own `Worker` channel (its owner signs and sequences them) */
  readonly workerEgress: Message[];
  readonly rejected: GkRejection[];
  /** the newest `master_key.seal` written in this block */
  sealedMasterKeys: Uint8Array | undefined;
  restartRequired: boolean;
  /** creates the role (`init_gatekeeper`) */
  initRole(): GkRole;
}

/** Lower-case hex of a pubkey, the key of {@link GkContext.gatekeepers}. */
export function keyHex(pubkey: Uint8Array): string {
  return Buffer.from(pubkey).toString('hex');
}

/** True if `pubkey` is this enclave's identity. */
export function isMe(ctx: GkContext, pubkey: Uint8Array): boolean {
  return keyHex(ctx.vault.identityPublicKey) === keyHex(pubkey);
}

/** Re-seals the master key history (`master_key::seal`). */
export function resealMasterKeys(ctx: GkContext): void {
  ctx.sealedMasterKeys = ctx.vault.sealMasterKeyHistory(ctx.platform, ctx.measurement);
}
