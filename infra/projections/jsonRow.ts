/**
 * A stored row's JSON text back to a `Json` value: checked, not cast, because the file can be
 * damaged by other tools; a bad row is named by table and key.
 */
import type { Json } from '../../projections/store';

function isJson(v: unknown): v is Json {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return true;
  if (Array.isArray(v)) return v.every(isJson);
  if (typeof v === 'object') return Object.values(v).every(isJson);
  return false;
}

/** Parses a row's JSON text or throws naming the row. */
export function parseJsonRow(text: string, where: string): Json {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error(`CorruptProjectionRow: row ${where} is not JSON; rebuild the projections`);
  }
  if (!isJson(v)) throw new Error(`CorruptProjectionRow: row ${where} is not JSON; rebuild the projections`);
  return v;
}
