import { Bytes, Struct, Tuple, Vector, u32, u64, u8 } from 'scale-ts';

/**
 * What a vault seals (SCALE): the identity secret and the master-key history in Phala's own
 * shapes (`runtime-data.seal` identity key; `RotatedMasterKey{rotation_id u64, block_height u32,
 * secret [u8;64]}`), plus the cluster keys a worker received. Secrets in canonical form.
 */
export const sealedVaultCodec = Struct({
  version: u8,
  identity: Bytes(64),
  masterKeyHistory: Vector(Struct({ rotationId: u64, blockHeight: u32, secret: Bytes(64) })),
  clusterKeys: Vector(Tuple(Bytes(32), Bytes(64))),
});

/** Decoded sealed vault contents. */
export type SealedVault = ReturnType<(typeof sealedVaultCodec)['dec']>;

/** Current sealed-vault format version. */
export const SEALED_VAULT_VERSION = 1;
