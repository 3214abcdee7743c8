import { keccakP } from '@noble/hashes/sha3.js';

// STROBE-128 (the subset Merlin uses: meta-AD, AD, KEY, PRF) over keccak-f[1600], and the Merlin
// transcript on top of it, written from the STROBE v1.0.2 and merlin.cool specifications. Kept
// separate from @scure/sr25519's private copy so a transcript prefix can be computed once and
// cloned (a 200-byte copy) for every signature.
const RATE = 166;
const FLAG_I = 1;
const FLAG_A = 2;
const FLAG_C = 4;
const FLAG_M = 16;

/** A Merlin transcript. `clone()` is cheap; every other method mutates. */
export class MerlinTranscript {
  private readonly state = new Uint8Array(200);
  private readonly state32 = new Uint32Array(this.state.buffer);
  private pos = 0;
  private posBegin = 0;
  private curFlags = 0;

  /** `Transcript::new(label)`; pass `undefined` only from {@link clone}. */
  constructor(label: Uint8Array | undefined) {
    if (label === undefined) return;
    this.state.set([1, RATE + 2, 1, 0, 1, 96], 0);
    this.state.set(new TextEncoder().encode('STROBEv1.0.2'), 6);
    keccakP(this.state32);
    this.metaAd(new TextEncoder().encode('Merlin v1.0'), false);
    this.appendMessage(utf8('dom-sep'), label);
  }

  /** An independent copy. */
  clone(): MerlinTranscript {
    const copy = new MerlinTranscript(undefined);
    copy.state.set(this.state);
    copy.pos = this.pos;
    copy.posBegin = this.posBegin;
    copy.curFlags = this.curFlags;
    return copy;
  }

  /** `append_message(label, message)`. */
  appendMessage(label: Uint8Array, message: Uint8Array): void {
    this.metaAd(label, false);
    this.metaAd(u32Le(message.length), true);
    this.beginOp(FLAG_A, false);
    this.absorb(message);
  }

  /** `challenge_bytes(label, len)`. */
  challengeBytes(label: Uint8Array, length: number): Uint8Array {
    this.metaAd(label, false);
    this.metaAd(u32Le(length), true);
    return this.prf(length);
  }

  /** STROBE KEY (used by the witness RNG: rekey with secret nonce and outside randomness). */
  key(label: Uint8Array | undefined, data: Uint8Array): void {
    if (label !== undefined) {
      this.metaAd(label, false);
      this.metaAd(u32Le(data.length), true);
    }
    this.beginOp(FLAG_A | FLAG_C, false);
    for (let i = 0; i < data.length; i++) {
      this.state[this.pos++] = data[i]!;
      if (this.pos === RATE) this.runF();
    }
  }

  /** STROBE meta-AD. */
  metaAd(data: Uint8Array, more: boolean): void {
    this.beginOp(FLAG_M | FLAG_A, more);
    this.absorb(data);
  }

  /** STROBE PRF of `length` bytes. */
  prf(length: number): Uint8Array {
    this.beginOp(FLAG_I | FLAG_A | FLAG_C, false);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      out[i] = this.state[this.pos]!;
      this.state[this.pos++] = 0;
      if (this.pos === RATE) this.runF();
    }
    return out;
  }

  private runF(): void {
    this.state[this.pos]! ^= this.posBegin;
    this.state[this.pos + 1]! ^= 0x04;
    this.state[RATE + 1]! ^= 0x80;
    keccakP(this.state32);
    this.pos = 0;
    this.posBegin = 0;
  }

  private absorb(data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) {
      this.state[this.pos++]! ^= data[i]!;
      if (this.pos === RATE) this.runF();
    }
  }

  private beginOp(flags: number, more: boolean): void {
    if (more) {
      if (flags !== this.curFlags) throw new Error('STROBE: continued operation changed its flags');
      return;
    }
    const oldBegin = this.posBegin;
    this.posBegin = this.pos + 1;
    this.curFlags = flags;
    this.absorb(Uint8Array.of(oldBegin, flags));
    if ((flags & FLAG_C) !== 0 && this.pos !== 0) this.runF();
  }
}

/** UTF-8 bytes of a label. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function u32Le(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`length ${n} is not a u32`);
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
}
