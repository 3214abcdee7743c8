/**
 * The value codecs of `phalanet query`'s flags and ids (io-ts): block numbers, page sizes,
 * `0x` keys, names, cursors, worker states and kinds. Each codec's name is what the one-line
 * error says the value "is not".
 */
import * as t from 'io-ts';

const intFromString = (name: string, max: number) =>
  new t.Type<number, string, unknown>(
    name,
    (u): u is number => typeof u === 'number',
    (u, c) => {
      if (typeof u !== 'string' || !/^\d{1,10}$/.test(u)) return t.failure(u, c, `${name}`);
      const n = Number(u);
      return n <= max ? t.success(n) : t.failure(u, c, name);
    },
    String,
  );

/** A block number (u32). */
export const BlockNumberFlag = intFromString('a block number (0 to 4294967295)', 0xffff_ffff);
/** A page size, 1 to 1000. */
export const LimitFlag = new t.Type<number, string, unknown>(
  'a page size from 1 to 1000',
  (u): u is number => typeof u === 'number',
  (u, c) => (typeof u === 'string' && /^\d{1,4}$/.test(u) && Number(u) >= 1 && Number(u) <= 1000 ? t.success(Number(u)) : t.failure(u, c, 'a page size from 1 to 1000')),
  String,
);
/** An account or worker public key: `0x` + 64 hex digits, lower-cased. */
export const Hex32Flag = new t.Type<string, string, unknown>(
  '0x followed by 64 hex digits',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' && /^0x[0-9a-fA-F]{64}$/.test(u) ? t.success(u.toLowerCase()) : t.failure(u, c, '0x followed by 64 hex digits')),
  (s) => s,
);
/** A pallet or event name: an identifier, optionally `Pallet.Name`. */
export const NameFlag = new t.Type<string, string, unknown>(
  'a name such as Balances or Balances.Transfer',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' && /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/.test(u) ? t.success(u) : t.failure(u, c, 'a name such as Balances or Balances.Transfer')),
  (s) => s,
);
/** An event cursor as `next` gives it: `<block>:<index>`, both zero-padded to 10 digits. */
export const EventCursorFlag = new t.Type<string, string, unknown>(
  'an event cursor such as 0000000003:0000000001',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' && /^\d{10}:\d{10}$/.test(u) ? t.success(u) : t.failure(u, c, 'an event cursor such as 0000000003:0000000001')),
  (s) => s,
);

/** A finance-log cursor as `next` gives it (the same shape as an event cursor). */
export const FinanceCursorFlag = new t.Type<string, string, unknown>(
  'a finance cursor such as 0000000003:0000000001',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' && /^\d{10}:\d{10}$/.test(u) ? t.success(u) : t.failure(u, c, 'a finance cursor such as 0000000003:0000000001')),
  (s) => s,
);

/** A closed set of words (a worker state, a pool kind, a finance entry kind). */
export const oneOf = <W extends string>(words: readonly W[]) =>
  new t.Type<W, string, unknown>(
    `one of ${words.join(', ')}`,
    (u): u is W => typeof u === 'string' && (words as readonly string[]).includes(u),
    (u, c) => (typeof u === 'string' && (words as readonly string[]).includes(u) ? t.success(u as W) : t.failure(u, c, `one of ${words.join(', ')}`)),
    (s) => s,
  );

/** Worker states `--state` accepts. */
export const WorkerStateFlag = oneOf(['Registered', 'Ready', 'WorkerIdle', 'WorkerUnresponsive', 'WorkerCoolingDown'] as const);
/** Pool kinds `--kind` accepts for pools. */
export const PoolKindFlag = oneOf(['StakePool', 'Vault'] as const);
/** Finance entry kinds `--kind` accepts for finance. */
export const FinanceKindFlag = oneOf(['started', 'heartbeat', 'settled', 'enterUnresponsive', 'exitUnresponsive', 'stopped', 'reclaimed'] as const);
