/**
 * Event fields as JSON: bigints become decimal strings (exact, unlike numbers), bytes become `0x`
 * hex, `undefined` (an absent SCALE option) becomes null, so rows and query answers are plain
 * JSON.
 */
import type { Json } from './store';

/** A JSON object. */
export type JsonObject = { readonly [key: string]: Json };

/** Converts a decoded SCALE value to JSON; a non-object value is wrapped as `{ value }`. */
export function toJson(value: unknown): JsonObject {
  const j = jsonOf(value);
  return j !== null && typeof j === 'object' && !Array.isArray(j) ? (j as JsonObject) : { value: j };
}

function jsonOf(value: unknown): Json {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return value.map(jsonOf);
  if (typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonOf(v);
    return out;
  }
  throw new Error(`event field of type ${typeof value} has no JSON form`);
}
