/**
 * The leak scanner behind "no secret leaked": it holds every secret the watched enclave objects
 * (key vaults, platforms, attestation vendors) have ever held — read through the test-only door
 * `enclave/testing/secretsForLeakScan.ts` — and searches byte chunks (ledger records, bus
 * payloads, log lines) for any of them, as raw bytes, as hex text (either case) or as base64
 * (standard or URL-safe alphabet, at any byte alignment). A finding names
 * the secret by its label and form and the place by `where` and byte offset: the secret itself is
 * never printed or stored outside the scanner.
 *
 * Speed: a run holds tens of thousands of secrets (every worker's keys in several forms), so the
 * needles are indexed by a 30-bit hash of their first 8 bytes behind a 1 MiB bit filter: the raw
 * pass costs one hash and one filter probe per byte position, the hex and base64 passes look only
 * inside runs of their alphabets long enough to hold a needle, and only a filter hit consults the
 * index and compares in full.
 */
import { type LeakScanSecret, secretsForLeakScan } from '../../enclave/testing/secretsForLeakScan';

/** Anything the door lists secrets for. */
export type SecretHolder = Parameters<typeof secretsForLeakScan>[0];

/** Where a secret was found (never the secret). */
export interface LeakFinding {
  readonly where: string;
  readonly label: string;
  readonly form: LeakScanSecret['forms'][number]['form'];
  readonly encoding: 'raw' | 'hex' | 'base64';
  readonly offset: number;
}

/** The scanner. */
export interface LeakScanner {
  /** watches a holder and (re-)reads its secrets; call again after it acquired a key */
  watch(holder: SecretHolder): void;
  /** re-reads every watched holder's secrets */
  refresh(): void;
  /** the first secret found in `chunk`, if any */
  scan(where: string, chunk: Uint8Array | string): LeakFinding | undefined;
  /** how many needles (secret forms × encodings) are indexed */
  readonly needles: number;
}

interface Needle {
  readonly bytes: Uint8Array;
  readonly label: string;
  readonly form: LeakFinding['form'];
}

/** Shortest secret form indexed: shorter byte strings would match by chance. */
const MIN_SECRET_BYTES = 8;
/** Base64 characters wholly inside the shortest secret at its worst alignment. */
const MIN_BASE64_RUN = Math.floor((8 * (2 + MIN_SECRET_BYTES)) / 6) - Math.ceil(16 / 6);

const hashAt = (b: Uint8Array, i: number): number => {
  const lo = (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
  const hi = (b[i + 4]! | (b[i + 5]! << 8) | (b[i + 6]! << 16) | (b[i + 7]! << 24)) >>> 0;
  // 30 bits: a small integer for V8 (no heap number per lookup)
  return (lo ^ Math.imul(hi, 0x9e3779b1)) & 0x3fffffff;
};

function matchesAt(chunk: Uint8Array, at: number, needle: Uint8Array): boolean {
  if (at + needle.length > chunk.length) return false;
  for (let k = 0; k < needle.length; k++) if (chunk[at + k] !== needle[k]) return false;
  return true;
}

/** ASCII A–F folded to a–f, so hex text of either case matches the lowercase needles. */
function foldHexCase(chunk: Uint8Array): Uint8Array {
  let copy: Uint8Array | undefined;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i]!;
    if (c >= 0x41 && c <= 0x46) {
      copy ??= Uint8Array.from(chunk);
      copy[i] = c + 0x20;
    }
  }
  return copy ?? chunk;
}

/** 2^23-bit filter over needle hashes (1 MiB) */
const FILTER_MASK = (1 << 20) - 1;
/** lowercase hex digits (the case is folded before the hex pass) */
const IS_HEX = new Uint8Array(256);
for (const c of '0123456789abcdef') IS_HEX[c.charCodeAt(0)] = 1;

/** the base64 alphabet (URL-safe `-` and `_` are folded to `+` and `/` before the pass) */
const IS_BASE64 = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') IS_BASE64[c.charCodeAt(0)] = 1;

/** URL-safe base64 folded to the standard alphabet, so one set of needles serves both. */
function foldBase64Url(chunk: Uint8Array): Uint8Array {
  let copy: Uint8Array | undefined;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk[i]!;
    if (c === 0x2d || c === 0x5f) {
      copy ??= Uint8Array.from(chunk);
      copy[i] = c === 0x2d ? 0x2b : 0x2f;
    }
  }
  return copy ?? chunk;
}

/**
 * The base64 text a secret shows inside any base64 encoding of data that contains it: for each of
 * the three byte alignments, the characters made only of the secret's bits.
 */
export function base64Needles(secret: Uint8Array): Uint8Array[] {
  return [0, 1, 2].map((k) => {
    const text = Buffer.concat([Buffer.alloc(k), Buffer.from(secret)]).toString('base64');
    const first = Math.ceil((8 * k) / 6);
    const end = Math.floor((8 * (k + secret.length)) / 6);
    return Buffer.from(text.slice(first, end), 'latin1');
  });
}

class NeedleIndex {
  readonly byHash = new Map<number, Needle[]>();
  readonly filter = new Uint8Array(FILTER_MASK + 1);
  private readonly seen = new Set<string>();
  count = 0;

  /** Adds a needle unless the same label, form and bytes are already in; true when added. */
  add(needle: Needle): boolean {
    const key = `${needle.label}/${needle.form}/${Buffer.from(needle.bytes).toString('latin1')}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    this.addUnchecked(needle);
    return true;
  }

  /** Adds a needle derived from one `add` accepted (its encodings): no second bookkeeping. */
  addUnchecked(needle: Needle): void {
    const h = hashAt(needle.bytes, 0);
    this.filter[(h >>> 3) & FILTER_MASK]! |= 1 << (h & 7);
    const list = this.byHash.get(h);
    if (list === undefined) this.byHash.set(h, [needle]);
    else list.push(needle);
    this.count++;
  }

  /** the first needle starting in [from, to) of `chunk` */
  find(chunk: Uint8Array, from = 0, to = chunk.length): { needle: Needle; offset: number } | undefined {
    const last = Math.min(to, chunk.length - MIN_SECRET_BYTES + 1);
    for (let i = from; i < last; i++) {
      const h = hashAt(chunk, i);
      // the bit filter spares the map lookup at almost every position
      if ((this.filter[h >>> 3 & FILTER_MASK]! & (1 << (h & 7))) === 0) continue;
      const list = this.byHash.get(h);
      if (list === undefined) continue;
      for (const needle of list) if (matchesAt(chunk, i, needle.bytes)) return { needle, offset: i };
    }
    return undefined;
  }

  /** like `find`, but only inside runs of `alphabet` at least `minRun` long */
  findInRuns(chunk: Uint8Array, alphabet: Uint8Array, minRun: number): { needle: Needle; offset: number } | undefined {
    let start = -1;
    for (let i = 0; i <= chunk.length; i++) {
      if (i < chunk.length && alphabet[chunk[i]!] === 1) {
        if (start < 0) start = i;
        continue;
      }
      if (start >= 0 && i - start >= minRun) {
        const found = this.find(chunk.subarray(0, i), start, i);
        if (found !== undefined) return found;
      }
      start = -1;
    }
    return undefined;
  }
}

/** A scanner with nothing watched yet. */
export function leakScanner(): LeakScanner {
  const holders = new Set<SecretHolder>();
  const raw = new NeedleIndex();
  const hex = new NeedleIndex();
  const b64 = new NeedleIndex();
  // a holder's secrets only ever grow (`heldSecretsOf` appends): re-reading one indexes what is new
  const indexed = new Map<SecretHolder, number>();
  const read = (holder: SecretHolder) => {
    const from = indexed.get(holder) ?? 0;
    const secrets = secretsForLeakScan(holder, from);
    indexed.set(holder, from + secrets.length);
    for (const secret of secrets) {
      for (const { form, bytes } of secret.forms) {
        if (bytes.length < MIN_SECRET_BYTES) continue;
        if (!raw.add({ bytes, label: secret.label, form })) continue;
        hex.addUnchecked({ bytes: Buffer.from(Buffer.from(bytes).toString('hex'), 'latin1'), label: secret.label, form });
        for (const text of base64Needles(bytes)) b64.addUnchecked({ bytes: text, label: secret.label, form });
      }
    }
  };
  return {
    watch(holder) {
      holders.add(holder);
      read(holder);
    },
    refresh() {
      for (const h of holders) read(h);
    },
    scan(where, chunk) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      const r = raw.find(bytes);
      if (r !== undefined) return { where, label: r.needle.label, form: r.needle.form, encoding: 'raw', offset: r.offset };
      const h = hex.findInRuns(foldHexCase(bytes), IS_HEX, 2 * MIN_SECRET_BYTES);
      if (h !== undefined) return { where, label: h.needle.label, form: h.needle.form, encoding: 'hex', offset: h.offset };
      const b = b64.findInRuns(foldBase64Url(bytes), IS_BASE64, MIN_BASE64_RUN);
      if (b !== undefined) return { where, label: b.needle.label, form: b.needle.form, encoding: 'base64', offset: b.offset };
      return undefined;
    },
    get needles() {
      return raw.count + hex.count + b64.count;
    },
  };
}
