/**
 * The flags of `phalanet query`, decoded with the decoder the HTTP API shares
 * (`queryParamsDecoder`): every value is checked (numbers, `0x` + 64 hex, limit ≤ 1000, closed
 * word sets) and every filter must apply to the resource asked for; anything else is a
 * `UsageError` (exit 2) naming the flag as the user typed it.
 */
import { isLeft } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { UsageError } from '../errors';
import { APPLIES, badParameterOf, FILTER_PARAMETERS, type FilterFlag, type QueryFlags, queryParamsDecoder, type Resource } from './queryParams';

export { BlockNumberFlag, EventCursorFlag, Hex32Flag, LimitFlag, NameFlag } from './queryCodecs';
export {
  APPLIES,
  AVAILABLE,
  type BadParameter,
  type BadParameterReason,
  badParameterOf,
  FILTER_PARAMETERS,
  type FilterFlag,
  ID_CODEC,
  type QueryFlags,
  queryParamsDecoder,
  type Resource,
} from './queryParams';

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
  /** `--filter key=value`, repeatable: the same filters under their HTTP parameter names */
  readonly filter?: readonly string[];
  readonly json?: boolean;
}

/** The filters `--filter key=value` may set: every parameter but the paging ones. */
const FILTER_KEYS: readonly FilterFlag[] = FILTER_PARAMETERS.filter((f) => f !== 'limit' && f !== 'after' && f !== 'atBlock');
const camel = (key: string): string => key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * Folds each `--filter key=value` into the flag of that name (`key` as in the HTTP API's query
 * string, `fromBlock`, or as the flag is spelled, `from-block`). A malformed pair, an unknown key
 * or a filter given twice is a `UsageError`.
 */
export function withFilterPairs(raw: RawQueryFlags): RawQueryFlags {
  const { filter = [], ...rest } = raw;
  const out: Record<string, unknown> = { ...rest };
  for (const pair of filter) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`query: --filter ${JSON.stringify(pair)} is not key=value (e.g. --filter pallet=PhalaComputation)`);
    const key = camel(pair.slice(0, at));
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      throw new UsageError(`query: --filter ${JSON.stringify(pair)}: unknown filter "${pair.slice(0, at)}"; filters: ${FILTER_KEYS.join(', ')}`);
    }
    if (out[key] !== undefined) throw new UsageError(`query: the ${key} filter is given twice (${flagName(key)} or --filter ${key}=…)`);
    out[key] = pair.slice(at + 1);
  }
  return out as RawQueryFlags;
}

/** A flag as the user types it: `atBlock` → `--at-block`. */
export const flagName = (f: string): string => `--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Decodes one flag value or throws a `UsageError` naming the flag and what it expects. */
export function decodeFlag<A>(codec: t.Decoder<unknown, A>, flag: string, value: string): A {
  const r = codec.decode(value);
  if (isLeft(r)) throw new UsageError(`query: ${flag} ${JSON.stringify(value)} is not ${codec.name}`);
  return r.right;
}

/** Checks that every flag given applies to `resource` and decodes each value (CLI wording, exit 2). */
export function decodeQueryFlags(resource: Resource, given: RawQueryFlags): QueryFlags {
  const raw = withFilterPairs(given);
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
