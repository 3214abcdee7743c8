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

/** A filter parameter's name (camelCase, as in JSON and HTTP query strings). */
export type FilterFlag = 'atBlock' | 'limit' | 'after' | 'pallet' | 'name' | 'account' | 'worker' | 'pool' | 'fromBlock' | 'toBlock';

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

/** The id a resource takes (`block 12`, `account 0x…`, `GET /api/block/12`); undefined: none. */
export const ID_CODEC: Record<Resource, t.Decoder<unknown, number | string> | undefined> = {
  head: undefined,
  blocks: undefined,
  block: BlockNumberFlag,
  events: undefined,
  accounts: undefined,
  account: Hex32Flag,
  rewards: undefined,
};

/** Every filter parameter, in the order errors are looked for. */
export const FILTER_PARAMETERS: readonly FilterFlag[] = APPLIES.events;

/** Why a parameter was refused; the io-ts error's `message` carries it. */
export type BadParameterReason = 'unknown' | 'not-applicable' | 'invalid' | 'order';

/** One refused parameter, worded by each surface (CLI `--to-block`, HTTP `toBlock`). */
export interface BadParameter {
  readonly parameter: string;
  readonly value: unknown;
  readonly reason: BadParameterReason;
  /** what a valid value looks like (`invalid`), or the parameters the resource takes (`not-applicable`) */
  readonly expected: string;
}

const REASONS: readonly BadParameterReason[] = ['unknown', 'not-applicable', 'invalid', 'order'];

/** The first refused parameter of a failed `queryParamsDecoder` decode. */
export function badParameterOf(errors: t.Errors): BadParameter {
  const e = errors[0];
  if (e === undefined) return { parameter: '', value: undefined, reason: 'invalid', expected: 'valid parameters' };
  const last = e.context[e.context.length - 1];
  const reason = REASONS.find((r) => r === e.message) ?? 'invalid';
  return { parameter: last?.key ?? '', value: e.value, reason, expected: last?.type.name ?? '' };
}

const applicableNames = (resource: Resource): t.Decoder<unknown, unknown> => new t.Type<unknown>(APPLIES[resource].join(',') || 'none', (_u): _u is unknown => true, t.success, t.identity);

/**
 * The one decoder of query parameters, shared by `phalanet query` (its flags, camel-cased the way
 * commander hands them over) and `phalanet serve` (the URL's query string): strings in,
 * `QueryFlags` out. It refuses an unknown parameter, one that does not apply to `resource`, a
 * value its codec rejects, and `fromBlock > toBlock`; `badParameterOf` reads which and why.
 */
export function queryParamsDecoder(resource: Resource): t.Decoder<unknown, QueryFlags> {
  return new t.Type<QueryFlags, unknown, unknown>(
    `query parameters of ${resource}`,
    (u): u is QueryFlags => typeof u === 'object' && u !== null,
    (u, c) => {
      if (!t.UnknownRecord.is(u)) return t.failure(u, c, 'invalid');
      const raw = u;
      const given = Object.keys(raw).filter((k) => raw[k] !== undefined);
      const known: readonly string[] = FILTER_PARAMETERS;
      const unknown = given.find((k) => !known.includes(k));
      if (unknown !== undefined) return t.failure(raw[unknown], t.appendContext(c, unknown, t.unknown, raw[unknown]), 'unknown');
      const stray = FILTER_PARAMETERS.find((f) => raw[f] !== undefined && !APPLIES[resource].includes(f));
      if (stray !== undefined) return t.failure(raw[stray], t.appendContext(c, stray, applicableNames(resource), raw[stray]), 'not-applicable');
      let failed: t.Errors | undefined;
      const opt = <A>(f: FilterFlag, codec: t.Decoder<unknown, A>): A | undefined => {
        const v = raw[f];
        if (v === undefined || failed !== undefined) return undefined;
        const context = t.appendContext(c, f, codec, v);
        const r = codec.validate(v, context);
        if (!isLeft(r)) return r.right;
        failed = [{ value: v, context, message: 'invalid' }];
        return undefined;
      };
      // `after` stays the string given (lower-cased): its codec only checks it is this resource's cursor
      const cursor = CURSOR_CODEC[resource];
      if (cursor !== undefined) opt('after', cursor);
      const after = opt('after', t.string)?.toLowerCase();
      const flags: QueryFlags = {
        atBlock: opt('atBlock', BlockNumberFlag),
        limit: opt('limit', LimitFlag) ?? 50,
        after,
        pallet: opt('pallet', NameFlag),
        name: opt('name', NameFlag),
        account: opt('account', Hex32Flag),
        worker: opt('worker', Hex32Flag),
        pool: opt('pool', BlockNumberFlag),
        fromBlock: opt('fromBlock', BlockNumberFlag),
        toBlock: opt('toBlock', BlockNumberFlag),
      };
      if (failed !== undefined) return t.failures(failed);
      if (flags.fromBlock !== undefined && flags.toBlock !== undefined && flags.fromBlock > flags.toBlock) {
        const notAfter = new t.Type<unknown>(`a block number not after toBlock ${flags.toBlock}`, (_u): _u is unknown => true, t.success, t.identity);
        return t.failure(raw.fromBlock, t.appendContext(c, 'fromBlock', notAfter, raw.fromBlock), 'order');
      }
      return t.success(flags);
    },
    t.identity,
  );
}

/** A parameter's CLI spelling: `fromBlock` → `--from-block`. */
export const flagName = (f: string): string => `--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Checks that every flag given applies to `resource` and decodes each value (CLI wording, exit 2). */
export function decodeQueryFlags(resource: Resource, raw: RawQueryFlags): QueryFlags {
  const { store: _store, json: _json, ...params } = raw;
  const r = queryParamsDecoder(resource).decode(params);
  if (!isLeft(r)) return r.right;
  const bad = badParameterOf(r.left);
  const flag = flagName(bad.parameter);
  switch (bad.reason) {
    case 'not-applicable':
      throw new UsageError(`query: ${flag} does not apply to ${resource} (it takes ${APPLIES[resource].map(flagName).join(', ') || 'no filters'})`);
    case 'order':
      throw new UsageError(`query: --from-block ${raw.fromBlock} is after --to-block ${raw.toBlock}`);
    case 'unknown':
      throw new UsageError(`query: unknown flag ${flag}`);
    case 'invalid':
      throw new UsageError(`query: ${flag} ${JSON.stringify(bad.value)} is not ${bad.expected}`);
    default: {
      const never: never = bad.reason;
      return never;
    }
  }
}
