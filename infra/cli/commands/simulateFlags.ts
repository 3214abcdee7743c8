/**
 * The flags of `phalanet simulate`, decoded with io-ts (issue 6 §4): `--seed` is a non-negative
 * integer below 2^53 (random from the OS when absent), `--blocks` a positive integer, `--out`
 * defaults to `runs/<scenario>-<seed>` and `--store` to `sqlite:<out>/ledger.db`. Anything else is
 * a `UsageError` (exit 2) naming the flag.
 */
import { randomBytes } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';
import { parseStoreUrl, type StoreUrl } from '../../store';
import { UsageError } from '../errors';

/** Seeds are below 2^53 so that JSON readers (numbers are doubles) get them exactly. */
export const SEED_LIMIT = 2 ** 53;

/** A seed: decimal digits only, below 2^53. */
export const SeedFlag = new t.Type<number, string, unknown>(
  'a non-negative integer below 2^53 (9007199254740992)',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
  (u, c) => (typeof u === 'string' && /^\d{1,16}$/.test(u) && Number(u) < SEED_LIMIT ? t.success(Number(u)) : t.failure(u, c)),
  String,
);

/** A block count: a positive integer (`--blocks 0` would produce nothing). */
export const BlocksFlag = new t.Type<number, string, unknown>(
  'a positive integer',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 1,
  (u, c) => (typeof u === 'string' && /^\d{1,15}$/.test(u) && Number(u) >= 1 ? t.success(Number(u)) : t.failure(u, c)),
  String,
);

/** Signature-verification threads: an integer from 0 to 64. */
export const VerifyThreadsFlag = new t.Type<number, string, unknown>(
  'an integer from 0 to 64',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= 64,
  (u, c) => (typeof u === 'string' && /^\d{1,2}$/.test(u) && Number(u) <= 64 ? t.success(Number(u)) : t.failure(u, c)),
  String,
);

/** The raw flags as commander hands them over. */
export interface RawSimulateFlags {
  readonly seed?: string;
  readonly blocks?: string;
  readonly store?: string;
  readonly out?: string;
  readonly force?: boolean;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly verifyThreads?: string;
}

/** The decoded flags, defaults filled in. */
export interface SimulateFlags {
  readonly seed: number;
  /** where the seed came from (printed, so that a random run can be repeated) */
  readonly seedFrom: 'flag' | 'random';
  readonly blocks?: number;
  /** `--out` as given (or its default), for printing */
  readonly out: string;
  /** `--out` resolved against the working directory */
  readonly outPath: string;
  /** `--store` as given (or its default) */
  readonly store: string;
  readonly storeUrl: StoreUrl;
  /** true when `--store` was not given (the ledger lives in `--out`) */
  readonly storeDefaulted: boolean;
  readonly force: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  /** worker threads verifying signatures ahead of the chain; absent: the default for this machine */
  readonly verifyThreads?: number;
}

function decodeFlag<A>(codec: t.Type<A, string, unknown>, flag: string, text: string): A {
  const decoded = codec.decode(text);
  if (isLeft(decoded)) throw new UsageError(`simulate: ${flag} must be ${codec.name}, got "${text}"`);
  return decoded.right;
}

/** A seed from the OS's random source: 53 random bits. */
export function osRandomSeed(): number {
  return Number(randomBytes(8).readBigUInt64BE() >> 11n);
}

/**
 * The name `--out` defaults to: a built-in scenario's name, or a file's base name without
 * `.yaml`/`.yml` (so `runs/` never gains nested directories from a path).
 */
export function scenarioLabel(scenarioArg: string): string {
  const base = basename(scenarioArg).replace(/\.ya?ml$/, '');
  const safe = base.replace(/[^A-Za-z0-9._-]+/g, '_');
  return safe === '' || safe === '.' || safe === '..' ? 'scenario' : safe;
}

/** Decodes the flags; `randomSeed` is called only when `--seed` is absent; relative paths resolve against `cwd`. */
export function decodeSimulateFlags(scenarioArg: string, raw: RawSimulateFlags, randomSeed: () => number, cwd: string): SimulateFlags {
  const seed = raw.seed === undefined ? randomSeed() : decodeFlag(SeedFlag, '--seed', raw.seed);
  if (!SeedFlag.is(seed) || seed >= SEED_LIMIT) throw new RangeError(`random seed out of range: ${seed}`);
  const blocks = raw.blocks === undefined ? undefined : decodeFlag(BlocksFlag, '--blocks', raw.blocks);
  const verifyThreads = raw.verifyThreads === undefined ? undefined : decodeFlag(VerifyThreadsFlag, '--verify-threads', raw.verifyThreads);
  if (raw.out === '') throw new UsageError('simulate: --out must name a directory, got ""');
  const out = raw.out ?? join('runs', `${scenarioLabel(scenarioArg)}-${seed}`);
  const store = raw.store ?? `sqlite:${join(out, 'ledger.db')}`;
  // the URL's syntax is checked now, before anything is written; opening it comes later
  const storeUrl = parseStoreUrl(store, cwd);
  if (typeof storeUrl === 'string') throw new UsageError(`simulate: --store: ${storeUrl}`);
  return {
    seed,
    seedFrom: raw.seed === undefined ? 'random' : 'flag',
    ...(blocks === undefined ? {} : { blocks }),
    ...(verifyThreads === undefined ? {} : { verifyThreads }),
    out,
    outPath: resolve(cwd, out),
    store,
    storeUrl,
    storeDefaulted: raw.store === undefined,
    force: raw.force === true,
    json: raw.json === true,
    quiet: raw.quiet === true,
  };
}
