/**
 * Gatekeeper topics, byte-exact with `crates/phala-types/src/lib.rs` (`messaging`):
 * launch, change, key distribution, the GK event channel and the tokenomic parameters.
 * `BlockNumber` is u32; `BTreeMap<K, V>` is a key-sorted list of entries.
 */
import { type Codec, type CodecType, bytes, createCodec, fixedBytes, scale, struct, tuple, u32, u64, u128, unit, variant, vec } from './scale';
import { toHexPlain } from './hex';

const pubkey = fixedBytes(32);
const iv = fixedBytes(12);

/**
 * `BTreeMap<[u8;32], V>` as `[key, value][]`. Encoding sorts by key (Rust iterates in key order);
 * duplicate keys are a bug and throw. A decoded map out of order fails `decodeExact`'s
 * canonical re-encoding check.
 */
export function pubkeyMap<V>(value: Codec<V>): Codec<Array<[Uint8Array, V]>> {
  const entries = vec(tuple(pubkey, value));
  return createCodec((m: Array<[Uint8Array, V]>) => {
    const sorted = [...m].sort((a, b) => compareBytes(a[0], b[0]));
    for (let i = 1; i < sorted.length; i++) {
      if (compareBytes(sorted[i - 1]![0], sorted[i]![0]) === 0) throw new RangeError(`duplicate map key ${toHexPlain(sorted[i]![0])}`);
    }
    return entries.enc(sorted);
  }, entries.dec);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return a.length - b.length;
}

/** `WorkerIdentity { pubkey, ecdh_pubkey }`. */
export const workerIdentityCodec = struct({ pubkey, ecdhPubkey: pubkey });
/** A worker's identity and ECDH public keys. */
export type WorkerIdentity = CodecType<typeof workerIdentityCodec>;

/** `GatekeeperLaunch` on `phala/gatekeeper/launch`. */
export const gatekeeperLaunchCodec = variant('GatekeeperLaunch', {
  FirstGatekeeper: workerIdentityCodec,
  MasterPubkeyOnChain: struct({ masterPubkey: pubkey }),
  RotateMasterKey: struct({ rotationId: u64, gkIdentities: vec(workerIdentityCodec) }),
  MasterPubkeyRotated: struct({ masterPubkey: pubkey }),
});
/** Registry → pRuntimes: gatekeeper launch and master key rotation steps. */
export type GatekeeperLaunch = CodecType<typeof gatekeeperLaunchCodec>;
/** Strict codec of `GatekeeperLaunch`. */
export const GatekeeperLaunchScale = scale('GatekeeperLaunch', gatekeeperLaunchCodec);

/** `GatekeeperChange` on `phala/gatekeeper/change`. */
export const gatekeeperChangeCodec = variant('GatekeeperChange', {
  Registered: workerIdentityCodec,
  Unregistered: struct({ pubkey }),
});
/** Registry → pRuntimes: a gatekeeper joined or left. */
export type GatekeeperChange = CodecType<typeof gatekeeperChangeCodec>;
/** Strict codec of `GatekeeperChange`. */
export const GatekeeperChangeScale = scale('GatekeeperChange', gatekeeperChangeCodec);

/** `EncryptedKey { ecdh_pubkey, encrypted_key, iv }`. */
export const encryptedKeyCodec = struct({ ecdhPubkey: pubkey, encryptedKey: bytes(), iv });
/** A secret key AES-256-GCM-encrypted to a recipient's ECDH key. */
export type EncryptedKey = CodecType<typeof encryptedKeyCodec>;

const batchRotateFields = { rotationId: u64, secretKeys: pubkeyMap(encryptedKeyCodec), sender: pubkey };

/** `KeyDistribution<u32>` on `phala/gatekeeper/key`. */
export const keyDistributionCodec = variant('KeyDistribution', {
  MasterKeyDistribution: struct({ dest: pubkey, ecdhPubkey: pubkey, encryptedMasterKey: bytes(), iv }),
  MasterKeyRotation: struct({ ...batchRotateFields, sig: bytes() }),
  MasterKeyHistory: struct({ dest: pubkey, encryptedMasterKeyHistory: vec(tuple(u64, u32, encryptedKeyCodec)) }),
});
/** Master key sharing and rotation messages. */
export type KeyDistribution = CodecType<typeof keyDistributionCodec>;
/** Strict codec of `KeyDistribution`. */
export const KeyDistributionScale = scale('KeyDistribution', keyDistributionCodec);

const batchRotateDataCodec = struct(batchRotateFields);

/** `BatchRotateMasterKeyEvent::data_be_signed`: SCALE of `{rotation_id, secret_keys, sender}` (sig excluded). */
export function batchRotateSigningBytes(e: Extract<KeyDistribution, { tag: 'MasterKeyRotation' }>['value']): Uint8Array {
  return batchRotateDataCodec.enc({ rotationId: e.rotationId, secretKeys: e.secretKeys, sender: e.sender });
}

/** `TokenomicParameters` (U64F64 bits, `heartbeat_window` u32), field order as in Rust. */
export const tokenomicParametersCodec = struct({
  phaRate: u128,
  rho: u128,
  budgetPerBlock: u128,
  vMax: u128,
  costK: u128,
  costB: u128,
  slashRate: u128,
  treasuryRatio: u128,
  heartbeatWindow: u32,
  rigK: u128,
  rigB: u128,
  re: u128,
  k: u128,
  kappa: u128,
});
/** The gatekeeper economics parameters. */
export type TokenomicParametersRecord = CodecType<typeof tokenomicParametersCodec>;

/** `GatekeeperEvent` on `phala/gatekeeper/event`; indices 2..4 are kept for compatibility. */
export const gatekeeperEventCodec = variant('GatekeeperEvent', {
  NewRandomNumber: struct({ blockNumber: u32, randomNumber: pubkey, lastRandomNumber: pubkey }),
  TokenomicParametersChanged: tokenomicParametersCodec,
  _RepairV: unit,
  _PhalaLaunched: unit,
  _UnrespFix: unit,
});
/** Random beacon and tokenomic parameter changes. */
export type GatekeeperEvent = CodecType<typeof gatekeeperEventCodec>;
/** Strict codec of `GatekeeperEvent`. */
export const GatekeeperEventScale = scale('GatekeeperEvent', gatekeeperEventCodec);
