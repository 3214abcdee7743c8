import * as E from 'fp-ts/Either';

/**
 * The JSON a contract's state is sealed as. bigints become `{"$bigint":"<decimal>"}`, object keys
 * are sorted, so two workers holding equal states produce byte-identical text whatever order
 * their keys were inserted in.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { readonly [key: string]: JsonValue };

const BIGINT_TAG = '$bigint';

/** A plain value (with bigints) as canonical JSON text. Throws on anything JSON cannot carry (a bug in a program). */
export function toCanonicalJson(value: unknown): string {
  return JSON.stringify(toJsonValue(value, '$'));
}

function toJsonValue(value: unknown, path: string): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`contract state ${path}: ${value} is not JSON`);
    return value;
  }
  if (typeof value === 'bigint') return { [BIGINT_TAG]: value.toString() };
  if (Array.isArray(value)) return value.map((v, i) => toJsonValue(v, `${path}[${i}]`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = toJsonValue(v, `${path}.${key}`);
    }
    return out;
  }
  throw new Error(`contract state ${path}: ${typeof value} is not storable (plain data and bigints only)`);
}

/** Parses canonical JSON back, turning tagged bigints into bigints; the result still needs validating. */
export function fromCanonicalJson(text: string): E.Either<string, unknown> {
  try {
    return E.right(JSON.parse(text, (_key, v: unknown) => untagBigint(v)));
  } catch (e) {
    return E.left(`not JSON: ${(e as Error).message}`);
  }
}

function untagBigint(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const keys = Object.keys(v);
  const digits = (v as Record<string, unknown>)[BIGINT_TAG];
  if (keys.length === 1 && typeof digits === 'string' && /^-?\d+$/.test(digits)) return BigInt(digits);
  return v;
}
