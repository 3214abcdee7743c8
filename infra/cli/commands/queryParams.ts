/**
 * The query resources and their parameters, and the one io-ts decoder of those parameters that
 * both surfaces share: `phalanet query`'s flags (camel-cased the way commander hands them over)
 * and `phalanet serve`'s URL query strings. Which parameters each resource takes, which id it
 * takes and what its `after` cursor looks like are tables here, so a resource is added in one
 * place and both the CLI and the HTTP API learn it.
 */
import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';
import {
  BlockNumberFlag,
  EventCursorFlag,
  FinanceCursorFlag,
  FinanceKindFlag,
  Hex32Flag,
  LimitFlag,
  NameFlag,
  PoolKindFlag,
  WorkerStateFlag,
} from './queryCodecs';

/** Every resource, in the order `--help` lists them. */
export const AVAILABLE = ['head', 'blocks', 'block', 'events', 'accounts', 'account', 'workers', 'worker', 'finance', 'gatekeepers', 'pools', 'pool', 'rewards', 'clusters', 'contracts', 'contract'] as const;
/** A resource. */
export type Resource = (typeof AVAILABLE)[number];

/** A filter parameter's name (camelCase, as in JSON and HTTP query strings). */
export type FilterFlag = 'atBlock' | 'limit' | 'after' | 'pallet' | 'name' | 'account' | 'worker' | 'pool' | 'fromBlock' | 'toBlock' | 'state' | 'kind' | 'owner' | 'cluster';

/** Every filter parameter, in the order errors are looked for. */
export const FILTER_PARAMETERS: readonly FilterFlag[] = ['atBlock', 'limit', 'after', 'pallet', 'name', 'account', 'worker', 'pool', 'fromBlock', 'toBlock', 'state', 'kind', 'owner', 'cluster'];

/** Which parameters each resource takes. */
export const APPLIES: Readonly<Record<Resource, readonly FilterFlag[]>> = {
  head: ['atBlock'],
  blocks: ['atBlock', 'limit', 'after', 'fromBlock', 'toBlock'],
  block: [],
  events: ['atBlock', 'limit', 'after', 'pallet', 'name', 'account', 'worker', 'pool', 'fromBlock', 'toBlock'],
  accounts: ['atBlock', 'limit', 'after'],
  account: ['atBlock'],
  workers: ['atBlock', 'limit', 'after', 'pool', 'state'],
  worker: ['atBlock'],
  finance: ['atBlock', 'limit', 'after', 'fromBlock', 'toBlock', 'kind'],
  gatekeepers: ['atBlock', 'limit', 'after'],
  pools: ['atBlock', 'limit', 'after', 'owner', 'kind'],
  pool: ['atBlock'],
  rewards: ['atBlock', 'limit', 'after', 'fromBlock', 'toBlock'],
  clusters: ['atBlock', 'limit', 'after'],
  contracts: ['atBlock', 'limit', 'after', 'cluster'],
  contract: ['atBlock'],
};

/** The decoded parameters. `after` stays a string: its codec depends on the resource. */
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
  readonly state?: string;
  readonly kind?: string;
  readonly owner?: string;
  readonly cluster?: string;
}

/** What `after` must look like for each paged resource (the `next` that resource hands out). */
const CURSOR_CODEC: Record<Resource, t.Decoder<unknown, unknown> | undefined> = {
  head: undefined,
  block: undefined,
  account: undefined,
  worker: undefined,
  pool: undefined,
  contract: undefined,
  blocks: BlockNumberFlag,
  rewards: BlockNumberFlag,
  pools: BlockNumberFlag,
  events: EventCursorFlag,
  finance: FinanceCursorFlag,
  accounts: Hex32Flag,
  workers: Hex32Flag,
  gatekeepers: Hex32Flag,
  clusters: Hex32Flag,
  contracts: Hex32Flag,
};

/** `kind` means a pool kind for pools and an entry kind for finance (and applies nowhere else). */
const KIND_CODEC: Partial<Record<Resource, t.Decoder<unknown, string>>> = { pools: PoolKindFlag, finance: FinanceKindFlag };

/** The id a resource takes (`block 12`, `finance 0x…`, `GET /api/pool/3`); undefined: none. */
export const ID_CODEC: Record<Resource, t.Decoder<unknown, number | string> | undefined> = {
  head: undefined,
  blocks: undefined,
  block: BlockNumberFlag,
  events: undefined,
  accounts: undefined,
  account: Hex32Flag,
  workers: undefined,
  worker: Hex32Flag,
  finance: Hex32Flag,
  gatekeepers: undefined,
  pools: undefined,
  pool: BlockNumberFlag,
  rewards: undefined,
  clusters: undefined,
  contracts: undefined,
  contract: Hex32Flag,
};

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

/** A decoder that accepts anything: it only carries a name into an error's context. */
const named = (name: string): t.Decoder<unknown, unknown> => new t.Type<unknown>(name, (_u): _u is unknown => true, t.success, t.identity);

/** Refuses a parameter no resource knows, or one this resource does not take. */
function strayParameter(resource: Resource, raw: Record<string, unknown>, c: t.Context): t.Validation<never> | undefined {
  const known: readonly string[] = FILTER_PARAMETERS;
  const unknown = Object.keys(raw).find((k) => raw[k] !== undefined && !known.includes(k));
  if (unknown !== undefined) return t.failure(raw[unknown], t.appendContext(c, unknown, t.unknown, raw[unknown]), 'unknown');
  const stray = FILTER_PARAMETERS.find((f) => raw[f] !== undefined && !APPLIES[resource].includes(f));
  if (stray !== undefined) return t.failure(raw[stray], t.appendContext(c, stray, named(APPLIES[resource].join(',') || 'none'), raw[stray]), 'not-applicable');
  return undefined;
}

/** Decodes every parameter this resource takes; the first value a codec rejects fails the lot. */
function decodeValues(resource: Resource, raw: Record<string, unknown>, c: t.Context): t.Validation<QueryFlags> {
  let failed: t.Errors | undefined;
  const opt = <A>(f: FilterFlag, codec: t.Decoder<unknown, A> | undefined): A | undefined => {
    const v = raw[f];
    if (v === undefined || codec === undefined || failed !== undefined) return undefined;
    const context = t.appendContext(c, f, codec, v);
    const r = codec.validate(v, context);
    if (!isLeft(r)) return r.right;
    failed = [{ value: v, context, message: 'invalid' }];
    return undefined;
  };
  // `after` stays the string given (lower-cased): its codec only checks it is this resource's cursor
  opt('after', CURSOR_CODEC[resource]);
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
    state: opt('state', WorkerStateFlag),
    kind: opt('kind', KIND_CODEC[resource]),
    owner: opt('owner', Hex32Flag),
    cluster: opt('cluster', Hex32Flag),
  };
  return failed === undefined ? t.success(flags) : t.failures(failed);
}

/**
 * The one decoder of query parameters, shared by `phalanet query` and `phalanet serve`: strings
 * in, `QueryFlags` out. It refuses an unknown parameter, one that does not apply to `resource`,
 * a value its codec rejects, and `fromBlock > toBlock`; `badParameterOf` reads which and why.
 */
export function queryParamsDecoder(resource: Resource): t.Decoder<unknown, QueryFlags> {
  return new t.Type<QueryFlags, unknown, unknown>(
    `query parameters of ${resource}`,
    (u): u is QueryFlags => typeof u === 'object' && u !== null,
    (u, c) => {
      if (!t.UnknownRecord.is(u)) return t.failure(u, c, 'invalid');
      const stray = strayParameter(resource, u, c);
      if (stray !== undefined) return stray;
      const decoded = decodeValues(resource, u, c);
      if (isLeft(decoded)) return decoded;
      const { fromBlock, toBlock } = decoded.right;
      if (fromBlock !== undefined && toBlock !== undefined && fromBlock > toBlock) {
        return t.failure(u.fromBlock, t.appendContext(c, 'fromBlock', named(`a block number not after toBlock ${toBlock}`), u.fromBlock), 'order');
      }
      return decoded;
    },
    t.identity,
  );
}
