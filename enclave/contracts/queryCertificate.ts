/**
 * Query signatures and certificates (`crates/phactory/api/src/crypto.rs`, `Signature::verify`),
 * sr25519 only. A user's account key signs a certificate body naming a short-lived key; that key
 * signs the query (`encoded_encrypted_data`); the chain root (the account) becomes the query
 * origin. Depth ≤ 2; a body whose `ttl` is below the current block is expired.
 */
import * as E from 'fp-ts/Either';
import { toHex } from '../../domain/codec/hex';
import { bytes, concatBytes, decodeExact, struct, u32 } from '../../domain/codec/scale';
import { sr25519Verify } from '../../domain/crypto';

/** `CertificateBody { pubkey: Vec<u8>, ttl: u32, config_bits: u32 }`. */
export const certificateBodyCodec = struct({ pubkey: bytes(), ttl: u32, configBits: u32 });
/** A decoded certificate body. */
export type CertificateBody = ReturnType<(typeof certificateBodyCodec)['dec']>;

/**
 * The signature types phalanet verifies (prpc `SignatureType` numbers 1 and 4). Ed25519, ECDSA
 * and the EVM kinds are refused as `InvalidSignatureType`.
 */
export type QuerySignatureType = 'Sr25519' | 'Sr25519WrapBytes';

/** `Signature { signed_by, signature_type, signature }` (`signed_by` is required to verify). */
export interface QuerySignature {
  readonly signedBy: Certificate | undefined;
  readonly signatureType: QuerySignatureType | 'Unsupported';
  readonly signature: Uint8Array;
}

/** `Certificate { encoded_body: SCALE(CertificateBody), signature: Option<Signature> }`. */
export interface Certificate {
  readonly encodedBody: Uint8Array;
  readonly signature: QuerySignature | undefined;
}

/** `SignatureVerifyError`, sr25519 subset. */
export type SignatureVerifyError =
  | { readonly _tag: 'InvalidSignatureType' }
  | { readonly _tag: 'InvalidSignature' }
  | { readonly _tag: 'CertificateMissing' }
  | { readonly _tag: 'CertificateExpired'; readonly ttl: number; readonly currentBlock: number }
  | { readonly _tag: 'TooLongCertificateChain' }
  | { readonly _tag: 'DecodeFailed'; readonly detail: string }
  | { readonly _tag: 'InvalidPublicKey' };

/** The maximum certificate chain depth of a contract query (`prpc_service.rs`: `verify(…, 2)`). */
export const QUERY_CERTIFICATE_DEPTH = 2;

const utf8 = new TextEncoder();

/** polkadot-js `wrapBytes`: `<Bytes>msg</Bytes>`, what the browser extension signs. */
export function wrapBytes(message: Uint8Array): Uint8Array {
  return concatBytes(utf8.encode('<Bytes>'), message, utf8.encode('</Bytes>'));
}

function decodeBody(encoded: Uint8Array): E.Either<SignatureVerifyError, CertificateBody> {
  try {
    return E.right(decodeExact(certificateBodyCodec, encoded, 'CertificateBody'));
  } catch (e) {
    return E.left({ _tag: 'DecodeFailed', detail: (e as Error).message });
  }
}

function recover(body: CertificateBody, message: Uint8Array, type: QuerySignature['signatureType'], signature: Uint8Array): E.Either<SignatureVerifyError, string> {
  if (type === 'Unsupported') return E.left({ _tag: 'InvalidSignatureType' });
  if (body.pubkey.length !== 32) return E.left({ _tag: 'InvalidPublicKey' });
  const signed = type === 'Sr25519WrapBytes' ? wrapBytes(message) : message;
  return sr25519Verify(signed, signature, body.pubkey) ? E.right(toHex(body.pubkey)) : E.left({ _tag: 'InvalidSignature' });
}

/**
 * `Signature::verify`: the signer chain, root first (`0x` hex accounts). Checks in Phala's order:
 * depth, certificate present, body decodes, ttl, this signature, then the parent certificate.
 */
export function verifyQuerySignature(sig: QuerySignature, message: Uint8Array, currentBlock: number, maxDepth = QUERY_CERTIFICATE_DEPTH): E.Either<SignatureVerifyError, string[]> {
  if (maxDepth === 0) return E.left({ _tag: 'TooLongCertificateChain' });
  if (sig.signatureType === 'Unsupported') return E.left({ _tag: 'InvalidSignatureType' });
  const cert = sig.signedBy;
  if (cert === undefined) return E.left({ _tag: 'CertificateMissing' });
  return E.flatMap(decodeBody(cert.encodedBody), (body) => {
    if (body.ttl < currentBlock) return E.left({ _tag: 'CertificateExpired', ttl: body.ttl, currentBlock });
    return E.flatMap(recover(body, message, sig.signatureType, sig.signature), (signer) => {
      if (cert.signature === undefined) return E.right([signer]);
      return E.map((parents: string[]) => [...parents, signer])(verifyQuerySignature(cert.signature, certificateBodyCodec.enc(body), currentBlock, maxDepth - 1));
    });
  });
}
