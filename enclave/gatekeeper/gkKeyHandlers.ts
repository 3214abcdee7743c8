import * as E from 'fp-ts/Either';
import {
  type EncryptedKey,
  type GatekeeperChange,
  type GatekeeperLaunch,
  type KeyDistribution,
  type WorkerIdentity,
  batchRotateSigningBytes,
  KeyDistributionScale,
} from '../../domain/codec/gatekeeperEvents.codec';
import { type MessageOrigin, SignedContentType, wrapContentToSign } from '../../domain/codec/mq.codec';
import { GatekeeperRegistryEventScale, RegistryEventScale } from '../../domain/codec/systemEvents.codec';
import { topics } from '../../domain/codec/topics';
import { sr25519Verify } from '../../domain/crypto';
import { type GkContext, type GkRole, isMe, keyHex, resealMasterKeys } from './gkContext';

type Launch<T extends GatekeeperLaunch['tag']> = Extract<GatekeeperLaunch, { tag: T }>['value'];
type BatchRotate = Extract<KeyDistribution, { tag: 'MasterKeyRotation' }>['value'];

function reject(ctx: GkContext, reason: 'BadOrigin' | 'BadSenderSignature' | 'MasterKeyLeakage', detail: string): void {
  ctx.rejected.push({ blockNumber: ctx.block.number, reason, detail });
}

/** `process_gatekeeper_launch_event` (system/mod.rs). */
export function onGatekeeperLaunch(ctx: GkContext, origin: MessageOrigin, event: GatekeeperLaunch): void {
  if (origin.tag !== 'Pallet') {
    reject(ctx, 'BadOrigin', `${event.tag} from ${origin.tag}`);
    return;
  }
  switch (event.tag) {
    case 'FirstGatekeeper':
      onFirstGatekeeper(ctx, event.value);
      return;
    case 'MasterPubkeyOnChain':
      if (ctx.role !== undefined) {
        if (keyHex(ctx.vault.activeMasterKey().publicKey) !== keyHex(event.value.masterPubkey)) {
          throw new Error('local and on-chain master key mismatch');
        }
        ctx.role.onChain = true;
      }
      return;
    case 'RotateMasterKey':
      if (ctx.role !== undefined) onRotateMasterKey(ctx, ctx.role, event.value);
      return;
    case 'MasterPubkeyRotated':
      return;
    default: {
      const unknown: never = event;
      throw new Error(`unknown launch event ${JSON.stringify(unknown)}`);
    }
  }
}

// The first GK generates the master key (unless it already holds one: a reboot); any pRuntime
// holding a sealed history (a later GK replaying from genesis) starts its GK role here, silently.
function onFirstGatekeeper(ctx: GkContext, first: WorkerIdentity): void {
  ctx.gatekeepers.add(keyHex(first.pubkey));
  const me = isMe(ctx, first.pubkey);
  if (me && ctx.vault.masterKeyHistory().length === 0) {
    ctx.vault.generateFirstMasterKey();
    resealMasterKeys(ctx);
  }
  const history = ctx.vault.masterKeyHistory();
  if (me) {
    const firstKey = history[0];
    if (firstKey === undefined) throw new Error('first gatekeeper without a master key');
    ctx.workerEgress.push({
      sender: { tag: 'Worker', value: ctx.vault.identityPublicKey },
      destination: new TextEncoder().encode(topics.registryEvent),
      payload: RegistryEventScale.encode({ tag: 'MasterPubkey', value: { masterPubkey: firstKey.publicKey } }),
    });
  }
  if (history.length > 0) {
    const role = ctx.initRole();
    if (me) registerOnChain(role);
  }
}

function registerOnChain(role: GkRole): void {
  role.registered = true;
  role.egress.setDummy(false);
}

// Every GK draws its own random key; they collide on one sequence and the chain keeps the first.
function onRotateMasterKey(ctx: GkContext, role: GkRole, request: Launch<'RotateMasterKey'>): void {
  const recipients = request.gkIdentities;
  const encrypted = ctx.vault.encryptFreshMasterKeyTo(
    recipients.map((r) => r.ecdhPubkey),
    ctx.block.number,
    role.ivSeq,
  );
  role.ivSeq += BigInt(recipients.length);
  const secretKeys = recipients.map((r, i): [Uint8Array, EncryptedKey] => [r.pubkey, encrypted[i] as EncryptedKey]);
  const unsigned = { rotationId: request.rotationId, secretKeys, sender: ctx.vault.identityPublicKey, sig: new Uint8Array() };
  const toSign = wrapContentToSign(batchRotateSigningBytes(unsigned), SignedContentType.MasterKeyRotation);
  const sig = ctx.vault.sign({ kind: 'identity' }, toSign, ctx.random.fork(`rotation/${request.rotationId}`));
  role.egress.push(topics.gatekeeperKey, KeyDistributionScale.encode({ tag: 'MasterKeyRotation', value: { ...unsigned, sig } }));
}

/** `process_gatekeeper_change_event` (system/mod.rs). */
export function onGatekeeperChange(ctx: GkContext, origin: MessageOrigin, event: GatekeeperChange): void {
  if (origin.tag !== 'Pallet') {
    reject(ctx, 'BadOrigin', `${event.tag} from ${origin.tag}`);
    return;
  }
  switch (event.tag) {
    case 'Registered': {
      ctx.gatekeepers.add(keyHex(event.value.pubkey));
      const role = ctx.role;
      if (role === undefined) return;
      shareMasterKey(ctx, role, event.value);
      if (isMe(ctx, event.value.pubkey)) registerOnChain(role);
      return;
    }
    case 'Unregistered':
      ctx.gatekeepers.delete(keyHex(event.value.pubkey));
      // silent sync until the next rotation drops the role (it will not be in the rotation's map)
      if (isMe(ctx, event.value.pubkey) && ctx.role !== undefined) {
        ctx.role.registered = false;
        ctx.role.egress.setDummy(true);
      }
      return;
    default: {
      const unknown: never = event;
      throw new Error(`unknown change event ${JSON.stringify(unknown)}`);
    }
  }
}

// One key → `MasterKeyDistribution`; a history → `MasterKeyHistory` (gk.rs `share_master_key`).
function shareMasterKey(ctx: GkContext, role: GkRole, to: WorkerIdentity): void {
  const shared = ctx.vault.shareMasterKeyHistory(to.ecdhPubkey, ctx.block.number, role.ivSeq);
  role.ivSeq += BigInt(shared.length);
  const only = shared[0];
  if (shared.length === 1 && only !== undefined) {
    const value = { dest: to.pubkey, ecdhPubkey: only.key.ecdhPubkey, encryptedMasterKey: only.key.encryptedKey, iv: only.key.iv };
    role.egress.push(topics.gatekeeperKey, KeyDistributionScale.encode({ tag: 'MasterKeyDistribution', value }));
    return;
  }
  const encryptedMasterKeyHistory = shared.map((s): [bigint, number, EncryptedKey] => [s.rotationId, s.blockHeight, s.key]);
  role.egress.push(topics.gatekeeperKey, KeyDistributionScale.encode({ tag: 'MasterKeyHistory', value: { dest: to.pubkey, encryptedMasterKeyHistory } }));
}

/** `process_key_distribution_event` (system/mod.rs): only a `Gatekeeper` origin may distribute keys. */
export function onKeyDistribution(ctx: GkContext, origin: MessageOrigin, event: KeyDistribution): void {
  if (origin.tag !== 'Gatekeeper') {
    reject(ctx, 'BadOrigin', `${event.tag} from ${origin.tag}`);
    return;
  }
  switch (event.tag) {
    case 'MasterKeyDistribution': {
      const v = event.value;
      if (isMe(ctx, v.dest)) receiveHistory(ctx, [[0n, 0, { ecdhPubkey: v.ecdhPubkey, encryptedKey: v.encryptedMasterKey, iv: v.iv }]]);
      return;
    }
    case 'MasterKeyHistory':
      if (isMe(ctx, event.value.dest)) receiveHistory(ctx, event.value.encryptedMasterKeyHistory);
      return;
    case 'MasterKeyRotation':
      onBatchRotate(ctx, event.value);
      return;
    default: {
      const unknown: never = event;
      throw new Error(`unknown key distribution ${JSON.stringify(unknown)}`);
    }
  }
}

function acceptOrThrow(ctx: GkContext, key: EncryptedKey, rotationId: bigint, blockHeight: number): void {
  const accepted = ctx.vault.acceptMasterKey(key, rotationId, blockHeight);
  if (E.isLeft(accepted)) throw new Error(`Gatekeeper master key history corrupted: ${JSON.stringify(accepted.left, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
}

// `set_master_key_history`: a pRuntime without the role seals the history and must restart to
// replay from genesis as a GK; a GK only takes a longer history (and keeps the key in use).
function receiveHistory(ctx: GkContext, entries: ReadonlyArray<readonly [bigint, number, EncryptedKey]>): void {
  const held = ctx.vault.masterKeyHistory().length;
  if (entries.length <= held) return;
  for (const [rotationId, blockHeight, key] of entries.slice(held)) acceptOrThrow(ctx, key, rotationId, blockHeight);
  resealMasterKeys(ctx);
  if (ctx.role === undefined) ctx.restartRequired = true;
}

// `process_batch_rotate_master_key`: verify the sender, take our key, then switch (F36: every
// pRuntime holding the role switches, in the map or not; one that lacks the key drops the role).
function onBatchRotate(ctx: GkContext, event: BatchRotate): void {
  const signed = wrapContentToSign(batchRotateSigningBytes(event), SignedContentType.MasterKeyRotation);
  if (!sr25519Verify(signed, event.sig, event.sender)) {
    reject(ctx, 'BadSenderSignature', `rotation ${event.rotationId}`);
    return;
  }
  if (!ctx.gatekeepers.has(keyHex(event.sender))) {
    reject(ctx, 'MasterKeyLeakage', `rotation ${event.rotationId} from ${keyHex(event.sender)}`);
    return;
  }
  const mine = event.secretKeys.find(([pk]) => isMe(ctx, pk))?.[1];
  const role = ctx.role;
  if (role === undefined) {
    if (mine !== undefined) throw new Error('Batch rotate master key to a normal worker');
    return;
  }
  if (mine !== undefined) {
    const held = ctx.vault.masterKeyHistory().find((k) => k.rotationId === event.rotationId);
    if (held === undefined) {
      acceptOrThrow(ctx, mine, event.rotationId, ctx.block.number);
      resealMasterKeys(ctx);
    }
  }
  switchMasterKey(ctx, role, event.rotationId);
}

function switchMasterKey(ctx: GkContext, role: GkRole, rotationId: bigint): void {
  const entry = ctx.vault.masterKeyHistory().find((k) => k.rotationId === rotationId);
  if (entry === undefined) {
    ctx.role = undefined;
    return;
  }
  if (entry.blockHeight !== ctx.block.number) throw new Error('Gatekeeper master key history corrupted');
  // announced under the old key: the chain still verifies the Gatekeeper origin against it
  const value = { rotationId, masterPubkey: entry.publicKey };
  role.egress.push(topics.registryGatekeeperEvent, GatekeeperRegistryEventScale.encode({ tag: 'RotatedMasterPubkey', value }));
  ctx.vault.useMasterKey(rotationId);
}
