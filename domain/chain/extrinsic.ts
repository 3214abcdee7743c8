/**
 * Signed extrinsics. Every extrinsic is signed (sr25519) by its sender over
 * SCALE({call, nonce, genesisHash}); the genesis hash binds it to one chain. The call travels as
 * bytes, so a malformed call is told apart from a malformed envelope.
 */
import { Bytes, Struct, u32, type CodecType } from 'scale-ts';
import { scale } from '../codec/scale';
import { sr25519Verify } from '../crypto/sr25519Verify';
import { AccountId, fixedHex } from '../runtime/codecs';

export const extrinsicCodec = Struct({
  signer: AccountId,
  nonce: u32,
  call: Bytes(),
  signature: fixedHex(64),
});
/** A signed extrinsic; `call` is the SCALE-encoded runtime call. */
export type Extrinsic = CodecType<typeof extrinsicCodec>;
/** Strict codec of `Extrinsic` (throws `DecodeError` on anything but canonical bytes). */
export const ExtrinsicScale = scale('Extrinsic', extrinsicCodec);

const payloadCodec = Struct({ call: Bytes(), nonce: u32, genesisHash: fixedHex(32) });

/** The bytes a sender signs. */
export function extrinsicSigningPayload(call: Uint8Array, nonce: number, genesisHash: string): Uint8Array {
  return payloadCodec.enc({ call, nonce, genesisHash });
}

/** True if the extrinsic's signature is its signer's over its payload on this chain. */
export function verifyExtrinsic(x: Extrinsic, genesisHash: string): boolean {
  return sr25519Verify(
    extrinsicSigningPayload(x.call, x.nonce, genesisHash),
    Buffer.from(x.signature.slice(2), 'hex'),
    Buffer.from(x.signer.slice(2), 'hex'),
  );
}

/** Decodes extrinsic bytes strictly; throws on malformed input. */
export const decodeExtrinsic = (bytes: Uint8Array): Extrinsic => ExtrinsicScale.decode(bytes);
