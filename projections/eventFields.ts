/**
 * Typed reads of an event's JSON fields for the read models. The ledger decoded with the
 * runtime's codecs, so a field of the wrong shape is a bug in a projection (it names the event
 * and the field) and throws inside the block's transaction, which then rolls back.
 */
import type { DecodedEvent } from './decodedBlock';
import type { Json } from './store';

const where = (e: DecodedEvent, key: string) => `${e.pallet}.${e.name}.${key}`;

function field(e: DecodedEvent, key: string): Json {
  const v = e.fields[key];
  if (v === undefined) throw new Error(`event field ${where(e, key)} is missing`);
  return v;
}

/** A string field (`0x` ids, bigints as decimal strings, enum names). */
export function str(e: DecodedEvent, key: string): string {
  const v = field(e, key);
  if (typeof v !== 'string') throw new Error(`event field ${where(e, key)} is ${JSON.stringify(v)}, expected a string`);
  return v;
}

/** A bigint field (u64, u128), written as a decimal string in the JSON fields. */
export const big = (e: DecodedEvent, key: string): bigint => BigInt(str(e, key));

/** A small number field (u8, u16, u32). */
export function num(e: DecodedEvent, key: string): number {
  const v = field(e, key);
  if (typeof v !== 'number') throw new Error(`event field ${where(e, key)} is ${JSON.stringify(v)}, expected a number`);
  return v;
}

/** An optional field (a SCALE `Option`): null when absent. */
export const opt = (e: DecodedEvent, key: string): Json => e.fields[key] ?? null;

/** A nested object field. */
export function obj(e: DecodedEvent, key: string): { readonly [k: string]: Json } {
  const v = field(e, key);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`event field ${where(e, key)} is ${JSON.stringify(v)}, expected an object`);
  return v as { readonly [k: string]: Json };
}

/** Whether an event is `pallet.name`. */
export const is = (e: DecodedEvent, pallet: string, name: string): boolean => e.pallet === pallet && e.name === name;
