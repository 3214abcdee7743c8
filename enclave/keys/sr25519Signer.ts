import { MerlinTranscript, utf8 } from './merlinTranscript';
import { CURVE_ORDER, readLe, writeLe } from './secretForms';
import { expandSeed, type Sr25519Pair } from './sr25519Pair';

// schnorrkel's simple signature under the "substrate" signing context (sign.rs `sign`):
//   t = Transcript("SigningContext"); t.append("", "substrate"); t.append("sign-bytes", msg)
//   t.append("proto-name", "Schnorr-sig"); t.append("sign:pk", A)
//   r = witness(t, "signing", nonce, rng) ; R = r·B ; t.append("sign:R", R) ; k = t.challenge("sign:c")
//   s = k·x + r ; signature = R ‖ s with the top bit of s set (the schnorrkel marker).
// One deliberate difference in how r is drawn (verification never sees it): schnorrkel reduces 64
// witness bytes mod ℓ and multiplies r·B with its basepoint table, which no binding we have exposes
// for a chosen scalar (wasm-crypto's agreement multiplies B as a variable point: 2–3× slower).
// Here the witness transcript — the same one, keyed by the secret nonce, the message and the
// outside randomness — yields a 32-byte seed, and the seed's standard sr25519 expansion (SHA-512,
// clamp, ÷ cofactor: wasm-crypto's `sr25519KeypairFromSeed`, which does use the table) gives both r
// and R = r·B. r is as unpredictable and as bound to (key, message, randomness) as schnorrkel's;
// signatures verify everywhere but are not byte-equal to @scure's `sign` for the same randomness.
// The constant transcript prefix and the public key are computed once per key.
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
/** Merlin's TranscriptRng announces the byte count it fills (u32 LE): a 32-byte seed. */
const SEED_LENGTH = new Uint8Array([32, 0, 0, 0]);

/** A signing function bound to one key pair. */
export type PreparedSigner = (message: Uint8Array, random32: Uint8Array) => Uint8Array;

/** Prepares `pair` for repeated signing; `random32` is the witness randomness (32 bytes). */
export function preparedSigner(pair: Sr25519Pair): PreparedSigner {
  const x = readLe(pair.canonicalSecret.subarray(0, 32));
  const nonce = pair.canonicalSecret.slice(32, 64);
  const publicKey = Uint8Array.from(pair.publicKey);
  return (message, random32) => {
    if (random32.length !== 32) throw new Error('sr25519 signing needs 32 random bytes');
    const t = SUBSTRATE_PREFIX.clone();
    t.appendMessage(LABEL.signBytes, message);
    t.appendMessage(LABEL.protoName, LABEL.schnorrSig);
    t.appendMessage(LABEL.pk, publicKey);
    return finish(t, x, witnessSeed(t, nonce, random32));
  };
}

// TranscriptRng: rekey a clone of the transcript with the secret nonce, then with the outside
// randomness, and draw the 32-byte seed of the nonce key.
function witnessSeed(t: MerlinTranscript, nonce: Uint8Array, random32: Uint8Array): Uint8Array {
  const rng = t.clone();
  rng.key(LABEL.signing, nonce);
  rng.metaAd(LABEL.rng, false);
  rng.key(undefined, random32);
  rng.metaAd(SEED_LENGTH, false);
  return rng.prf(32);
}

function finish(t: MerlinTranscript, x: bigint, seed: Uint8Array): Uint8Array {
  const { secretKey, publicKey: bigR } = expandSeed(seed);
  // The ed25519 form holds 8·r; r and r mod ℓ give the same R (B has order ℓ).
  const r = readLe(secretKey.subarray(0, 32)) >> 3n;
  // r is as secret as the key (with s it gives x): wipe what held it.
  secretKey.fill(0);
  seed.fill(0);
  t.appendMessage(LABEL.r, bigR);
  const k = readLe(t.challengeBytes(LABEL.c, 64)) % CURVE_ORDER;
  const s = (k * x + r) % CURVE_ORDER;
  const signature = new Uint8Array(64);
  signature.set(bigR, 0);
  writeLe(s, signature, 32);
  signature[63]! |= 0x80;
  return signature;
}
