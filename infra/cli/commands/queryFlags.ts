/**
 * The flags of `phalanet query`, decoded with io-ts: every value is checked (numbers, `0x` + 64
 * hex, limit ≤ 1000) and every filter must apply to the resource asked for; anything else is a
 * `UsageError` (exit 2) naming the flag.
 */
import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';
import { UsageError } from '../errors';

/** Resources with a read model, in the order `--help` lists them. */
export const AVAILABLE = ['head', 'blocks', 'block', 'events', 'accounts', 'account', 'rewards'] as const;
/** A resource with a read model. */
export type Resource = (typeof AVAILABLE)[number];
/** Resources named by issue 7 whose read models do not exist yet. */
export const PLANNED = ['workers', 'worker', 'finance', 'gatekeepers', 'pools', 'pool', 'clusters', 'contracts', 'contract'] as const;

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

/** The raw flags as commander hands them over. */
export interface RawQueryFlags {
  readonly store?: string;
  readonly atBlock?: string;
  readonly limit?: string;
  readonly after?: string;
  readonly pallet?: string;
  readonly name?: string;
  readonly account?: string;
  readonly worker?: string;
  readonly pool?: string;
  readonly fromBlock?: string;
  readonly toBlock?: string;
  readonly json?: boolean;
}

type FilterFlag = 'atBlock' | 'limit' | 'after' | 'pallet' | 'name' | 'account' | 'worker' | 'pool' | 'fromBlock' | 'toBlock';

/** Which flags each resource accepts (`events` takes them all). */
const APPLIES: Record<Resource, readonly FilterFlag[]> = {
  head: ['atBlock'],
  blocks: ['atBlock', 'limit', 'after', 'fromBlock', 'toBlock'],
  block: [],
  events: ['atBlock', 'limit', 'after', 'pallet', 'name', 'account', 'worker', 'pool', 'fromBlock', 'toBlock'],
  accounts: ['atBlock', 'limit', 'after'],
  account: ['atBlock'],
  rewards: ['atBlock', 'limit', 'after', 'fromBlock', 'toBlock'],
};

const flagName = (f: FilterFlag): string => `--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The decoded flags. `after` stays a string: its codec depends on the resource. */
export interface QueryFlags {
  readonly atBlock?: number;
  readonly limit: number;
  readonly after?: string;
  readonly pallet?: string;
  readonly name?: string;
  readonly account?: string;
  readonly worker?: string;
  readonly pool?: number;
  readonly fromBlock?: number;
  readonly toBlock?: number;
}

/** Decodes one flag value or throws a `UsageError` naming the flag and what it expects. */
export function decodeFlag<A>(codec: t.Decoder<unknown, A>, flag: string, value: string): A {
  const r = codec.decode(value);
  if (isLeft(r)) throw new UsageError(`query: ${flag} ${JSON.stringify(value)} is not ${codec.name}`);
  return r.right;
}

const CURSOR_CODEC: Record<Resource, t.Decoder<unknown, unknown> | undefined> = {
  head: undefined,
  block: undefined,
  account: undefined,
  blocks: BlockNumberFlag,
  rewards: BlockNumberFlag,
  events: EventCursorFlag,
  accounts: Hex32Flag,
};

/** Checks that every flag given applies to `resource` and decodes each value. */
export function decodeQueryFlags(resource: Resource, raw: RawQueryFlags): QueryFlags {
  for (const f of APPLIES.events) {
    if (raw[f] !== undefined && !APPLIES[resource].includes(f)) throw new UsageError(`query: ${flagName(f)} does not apply to ${resource} (it takes ${APPLIES[resource].map(flagName).join(', ') || 'no filters'})`);
  }
  const opt = <A>(codec: t.Decoder<unknown, A>, f: FilterFlag): A | undefined => {
    const v = raw[f];
    return v === undefined ? undefined : decodeFlag(codec, flagName(f), v);
  };
  const cursor = CURSOR_CODEC[resource];
  if (raw.after !== undefined && cursor !== undefined) decodeFlag(cursor, '--after', raw.after);
  const flags: QueryFlags = {
    atBlock: opt(BlockNumberFlag, 'atBlock'),
    limit: opt(LimitFlag, 'limit') ?? 50,
    after: raw.after === undefined ? undefined : raw.after.toLowerCase(),
    pallet: opt(NameFlag, 'pallet'),
    name: opt(NameFlag, 'name'),
    account: opt(Hex32Flag, 'account'),
    worker: opt(Hex32Flag, 'worker'),
    pool: opt(BlockNumberFlag, 'pool'),
    fromBlock: opt(BlockNumberFlag, 'fromBlock'),
    toBlock: opt(BlockNumberFlag, 'toBlock'),
  };
  if (flags.fromBlock !== undefined && flags.toBlock !== undefined && flags.fromBlock > flags.toBlock) {
    throw new UsageError(`query: --from-block ${flags.fromBlock} is after --to-block ${flags.toBlock}`);
  }
  return flags;
}
