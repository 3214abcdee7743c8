/**
 * The flags of `phalanet query`, decoded with io-ts: every value is checked (numbers, `0x` + 64
 * hex, limit ≤ 1000, closed word sets) and every filter must apply to the resource asked for;
 * anything else is a `UsageError` (exit 2) naming the flag.
 */
import { isLeft } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { UsageError } from '../errors';
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

export { BlockNumberFlag, EventCursorFlag, Hex32Flag, LimitFlag, NameFlag } from './queryCodecs';

/** Every resource, in the order `--help` lists them. */
export const AVAILABLE = ['head', 'blocks', 'block', 'events', 'accounts', 'account', 'workers', 'worker', 'finance', 'gatekeepers', 'pools', 'pool', 'rewards', 'clusters', 'contracts', 'contract'] as const;
/** A resource. */
export type Resource = (typeof AVAILABLE)[number];

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
  readonly state?: string;
  readonly kind?: string;
  readonly owner?: string;
  readonly cluster?: string;
  readonly json?: boolean;
}

type FilterFlag = 'atBlock' | 'limit' | 'after' | 'pallet' | 'name' | 'account' | 'worker' | 'pool' | 'fromBlock' | 'toBlock' | 'state' | 'kind' | 'owner' | 'cluster';
const ALL_FLAGS: readonly FilterFlag[] = ['atBlock', 'limit', 'after', 'pallet', 'name', 'account', 'worker', 'pool', 'fromBlock', 'toBlock', 'state', 'kind', 'owner', 'cluster'];

/** Which flags each resource accepts. */
const APPLIES: Record<Resource, readonly FilterFlag[]> = {
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

/** A flag as the user types it: `atBlock` → `--at-block`. */
export const flagName = (f: string): string => `--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

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
  readonly state?: string;
  readonly kind?: string;
  readonly owner?: string;
  readonly cluster?: string;
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

/** `--kind` means a pool kind for pools and an entry kind for finance. */
const KIND_CODEC: Partial<Record<Resource, t.Decoder<unknown, string>>> = { pools: PoolKindFlag, finance: FinanceKindFlag };

/** Checks that every flag given applies to `resource` and decodes each value. */
export function decodeQueryFlags(resource: Resource, raw: RawQueryFlags): QueryFlags {
  for (const f of ALL_FLAGS) {
    if (raw[f] !== undefined && !APPLIES[resource].includes(f)) throw new UsageError(`query: ${flagName(f)} does not apply to ${resource} (it takes ${APPLIES[resource].map(flagName).join(', ') || 'no filters'})`);
  }
  const opt = <A>(codec: t.Decoder<unknown, A> | undefined, f: FilterFlag): A | undefined => {
    const v = raw[f];
    return v === undefined || codec === undefined ? undefined : decodeFlag(codec, flagName(f), v);
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
    state: opt(WorkerStateFlag, 'state'),
    kind: opt(KIND_CODEC[resource], 'kind'),
    owner: opt(Hex32Flag, 'owner'),
    cluster: opt(Hex32Flag, 'cluster'),
  };
  if (flags.fromBlock !== undefined && flags.toBlock !== undefined && flags.fromBlock > flags.toBlock) {
    throw new UsageError(`query: --from-block ${flags.fromBlock} is after --to-block ${flags.toBlock}`);
  }
  return flags;
}
