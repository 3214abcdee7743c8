/**
 * The keys an event can be filtered by, read off its fields by name: 32-byte ids under a worker
 * or pubkey field are workers, other 32-byte ids are accounts, `pid` is a stake pool. Reading by
 * field name keeps the events projection free of any pallet's event list.
 */
import type { Json } from './store';

/** Filter keys of one event. */
export interface EventKeys {
  readonly accounts: string[];
  readonly workers: string[];
  readonly pools: string[];
}

const ID32 = /^0x[0-9a-f]{64}$/;
const WORKER_FIELD = /worker|pubkey/i;
const POOL_FIELD = /^pid$/;

function walk(name: string, value: Json, out: { accounts: Set<string>; workers: Set<string>; pools: Set<string> }): void {
  if (typeof value === 'string') {
    if (ID32.test(value)) (WORKER_FIELD.test(name) ? out.workers : out.accounts).add(value);
    else if (POOL_FIELD.test(name) && /^\d+$/.test(value)) out.pools.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) walk(name, v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(k, v as Json, out);
  }
}

/** The sorted, de-duplicated filter keys of an event's JSON fields. */
export function eventKeys(fields: Json): EventKeys {
  const out = { accounts: new Set<string>(), workers: new Set<string>(), pools: new Set<string>() };
  walk('', fields, out);
  return { accounts: [...out.accounts].sort(), workers: [...out.workers].sort(), pools: [...out.pools].sort() };
}
