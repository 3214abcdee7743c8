import { multiplyBase } from './baseMultiply';
import { MerlinTranscript, utf8 } from './merlinTranscript';
import { CURVE_ORDER, readLe, writeLe } from './secretForms';
import type { Sr25519Pair } from './sr25519Pair';

// schnorrkel's simple signature under the "substrate" signing context (sign.rs `sign`):
//   t = Transcript("SigningContext"); t.append("", "substrate"); t.append("sign-bytes", msg)
//   t.append("proto-name", "Schnorr-sig"); t.append("sign:pk", A)
//   r = witness(t, "signing", nonce, rng) ; R = r·B ; t.append("sign:R", R) ; k = t.challenge("sign:c")
//   s = k·x + r ; signature = R ‖ s with the top bit of s set (the schnorrkel marker).
// Byte-identical to @scure/sr25519's `sign(secretKey, message, random)` (see the property test),
// but the constant transcript prefix and the public key are computed once per key, and r·B goes
// through `multiplyBase` (wasm after initWasmCrypto, @scure's getPublicKey before).
const SUBSTRATE_PREFIX = (() => {
  const t = new MerlinTranscript(utf8('SigningContext'));
  t.appendMessage(utf8(''), utf8('substrate'));
  return t;
})();
const LABEL = {
  signBytes: utf8('sign-bytes'),
  protoName: utf8('proto-name'),
  schnorrSig: utf8('Schnorr-sig'),
  pk: utf8('sign:pk'),
  signing: utf8('signing'),
  rng: utf8('rng'),
  r: utf8('sign:R'),
  c: utf8('sign:c'),
};
const WIDE = new Uint8Array([64, 0, 0, 0]);

/** A signing function bound to one key pair. */
export type PreparedSigner = (message: Uint8Array, random32: Uint8Array) => Uint8Array;

/** Prepares `pair` for repeated signing; `random32` is the witness randomness (32 bytes). */
export function preparedSigner(pair: Sr25519Pair): PreparedSigner {
  const x = readLe(pair.canonicalSecret.subarray(0, 32));
  const nonce = pair.canonicalSecret.slice(32, 64);
  const publicKey = Uint8Array.from(pair.publicKey);
  const rScalarBuffer = new Uint8Array(64);
  return (message, random32) => {
    if (random32.length !== 32) throw new Error('sr25519 signing needs 32 random bytes');
    const t = SUBSTRATE_PREFIX.clone();
    t.appendMessage(LABEL.signBytes, message);
    t.appendMessage(LABEL.protoName, LABEL.schnorrSig);
    t.appendMessage(LABEL.pk, publicKey);
    return finish(t, x, rScalarBuffer, witness(t, nonce, random32));
  };
}

// TranscriptRng: rekey a clone of the transcript with the secret nonce, then with the outside
// randomness, and draw 64 bytes reduced mod ℓ.
function witness(t: MerlinTranscript, nonce: Uint8Array, random32: Uint8Array): bigint {
  const rng = t.clone();
  rng.key(LABEL.signing, nonce);
  rng.metaAd(LABEL.rng, false);
  rng.key(undefined, random32);
  rng.metaAd(WIDE, false);
  return readLe(rng.prf(64)) % CURVE_ORDER;
}

function finish(t: MerlinTranscript, x: bigint, buffer: Uint8Array, r: bigint): Uint8Array {
  // multiplyBase takes the cofactor-multiplied form, so hand it r << 3 (r < ℓ < 2^253 fits).
  writeLe(r << 3n, buffer, 0);
  const bigR = multiplyBase(buffer);
  buffer.fill(0); // r is as secret as the key: with s it gives x
  t.appendMessage(LABEL.r, bigR);
  const k = readLe(t.challengeBytes(LABEL.c, 64)) % CURVE_ORDER;
  const s = (k * x + r) % CURVE_ORDER;
  const signature = new Uint8Array(64);
  signature.set(bigR, 0);
  writeLe(s, signature, 32);
  signature[63]! |= 0x80;
  return signature;
}
