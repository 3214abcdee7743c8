/**
 * The io-ts combinators the scenario codecs are built from. Each one keeps what the JSON Schema
 * generator needs (field descriptions, numeric bounds, the one-key union) in side tables, so the
 * schema and the decoder cannot drift apart.
 */
import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';

/** A JSON Schema fragment (draft 2020-12 subset) */
export type JsonSchema = { readonly [key: string]: unknown };

/** schema constraints of refined codecs, merged over their base's schema */
export const refinementSchemas = new WeakMap<t.Any, { readonly base: t.Any; readonly schema: JsonSchema }>();
/** schemas of the primitive leaf codecs */
export const leafSchemas = new WeakMap<t.Any, JsonSchema>();
/** per-field descriptions of strict object codecs */
export const fieldDescriptions = new WeakMap<t.Any, Readonly<Record<string, string>>>();

/** Levenshtein distance, for "did you mean" suggestions */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** the known key nearest to `key`, when it is close enough to be a likely typo */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function isRecord(u: unknown): u is Record<string, unknown> {
  return typeof u === 'object' && u !== null && !Array.isArray(u);
}

/** a primitive leaf codec whose name reads as the end of "must be …" */
export function leaf<A>(name: string, is: (u: unknown) => u is A, schema: JsonSchema): t.Type<A, A, unknown> {
  const codec = new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c, `must be ${name}`)), (a) => a);
  leafSchemas.set(codec, { description: name, ...schema });
  return codec;
}

/** A strict object codec: the `_tag` the schema generator recognises */
export class StrictType<P extends t.Props, O extends t.Props, A> extends t.Type<A, unknown, unknown> {
  readonly _tag = 'StrictType' as const;
  constructor(
    name: string,
    readonly required: P,
    readonly optional: O,
    readonly inner: t.Type<A, unknown, unknown>,
  ) {
    super(name, inner.is, (u, c) => validateStrict(this, u, c), inner.encode);
  }
}

function validateStrict<A>(codec: StrictType<t.Props, t.Props, A>, u: unknown, c: t.Context): t.Validation<A> {
  if (!isRecord(u)) return t.failure(u, c, `must be a mapping of keys (${codec.name})`);
  const known = [...Object.keys(codec.required), ...Object.keys(codec.optional)];
  const errors: t.ValidationError[] = [];
  for (const key of Object.keys(u)) {
    if (known.includes(key)) continue;
    const hint = suggestKey(key, known);
    const where = [...c, { key, type: t.unknown, actual: u[key] }];
    const advice = hint === undefined ? `; known keys: ${known.join(', ')}` : ` (did you mean "${hint}"?)`;
    errors.push({ value: u[key], context: where, message: `unknown key "${key}"${advice}` });
  }
  const missing = Object.keys(codec.required).filter((key) => u[key] === undefined);
  for (const key of missing) {
    {
      const where = [...c, { key, type: codec.required[key]!, actual: undefined }];
      errors.push({ value: undefined, context: where, message: `is required (${codec.required[key]!.name})` });
    }
  }
  const inner = codec.inner.validate(u, c);
  // a missing key is reported once, above, not again by the field's own codec
  // (the intersection inside adds one context entry of its own before the field's)
  if (isLeft(inner)) errors.push(...inner.left.filter((e) => !e.context.slice(c.length, c.length + 2).some((x) => missing.includes(x.key))));
  return errors.length > 0 ? t.failures(errors) : inner;
}

/**
 * An object codec that refuses unknown keys (io-ts `exact` only strips them), with a description
 * for every field. `docs` must name every field: the type makes a missing description an error.
 */
export function strict<P extends t.Props, O extends t.Props>(
  name: string,
  required: P,
  optional: O,
  docs: { readonly [K in keyof P | keyof O]: string },
): StrictType<P, O, t.TypeOf<t.TypeC<P>> & t.TypeOf<t.PartialC<O>>> {
  const inner = t.exact(t.intersection([t.type(required), t.partial(optional)]));
  const codec = new StrictType(name, required, optional, inner as t.Type<t.TypeOf<t.TypeC<P>> & t.TypeOf<t.PartialC<O>>, unknown, unknown>);
  fieldDescriptions.set(codec, docs as Record<string, string>);
  return codec;
}

/**
 * A refinement of `base` with a message saying what is wrong and what to do, a brand in the type
 * and the JSON Schema constraints that express the same rule.
 */
export function refine<C extends t.Any, B extends { readonly [K in keyof B]: symbol }>(
  base: C,
  name: string,
  check: (a: t.TypeOf<C>) => string | undefined,
  schema: JsonSchema,
  typeHint?: string,
): t.Type<t.TypeOf<C> & t.Brand<B>, t.OutputOf<C>, unknown> {
  const codec = new t.Type<t.TypeOf<C> & t.Brand<B>, t.OutputOf<C>, unknown>(
    name,
    (u): u is t.TypeOf<C> & t.Brand<B> => base.is(u) && check(u) === undefined,
    (u, c) => {
      const decoded = base.validate(u, c);
      // a structured base reports its own errors, deeper in the path; a leaf gets this message
      if (isLeft(decoded) && !leafSchemas.has(base)) return decoded;
      if (isLeft(decoded)) return t.failure(u, c, `must be ${name} (got ${showValue(u)})${typeHint === undefined ? '' : `; ${typeHint}`}`);
      const problem = check(decoded.right);
      // the brand is what this check establishes
      return problem === undefined ? t.success(decoded.right as t.TypeOf<C> & t.Brand<B>) : t.failure(u, c, problem);
    },
    (a) => base.encode(a),
  );
  refinementSchemas.set(codec, { base, schema: { description: name, ...schema } });
  return codec;
}

function showValue(u: unknown): string {
  if (typeof u === 'string') return JSON.stringify(u);
  if (Array.isArray(u)) return 'a list';
  return typeof u === 'object' && u !== null ? 'a mapping' : String(u);
}

/** A union told apart by which single key is present (`{ fixed: 3 }`, `{ uniform: {…} }`) */
export class OneKeyType<M extends t.Props> extends t.Type<OneKeyOf<M>, unknown, unknown> {
  readonly _tag = 'OneKeyType' as const;
  constructor(
    name: string,
    readonly members: M,
    readonly docs: { readonly [K in keyof M]: string },
  ) {
    super(
      name,
      (u): u is OneKeyOf<M> => isRecord(u) && Object.keys(u).length === 1 && Object.keys(u)[0]! in members && members[Object.keys(u)[0]!]!.is(u[Object.keys(u)[0]!]),
      (u, c) => this.validateOne(u, c),
      (a) => a,
    );
  }

  private validateOne(u: unknown, c: t.Context): t.Validation<OneKeyOf<M>> {
    const names = Object.keys(this.members);
    const keys = isRecord(u) ? Object.keys(u) : [];
    if (!isRecord(u) || keys.length !== 1) return t.failure(u, c, `must have exactly one of the keys ${names.join(', ')}`);
    const key = keys[0]!;
    const member = this.members[key];
    if (member === undefined) {
      const hint = suggestKey(key, names);
      const where = [...c, { key, type: t.unknown, actual: u[key] }];
      const advice = hint === undefined ? `; use one of ${names.join(', ')}` : ` (did you mean "${hint}"?)`;
      return t.failures([{ value: u[key], context: where, message: `unknown key "${key}"${advice}` }]);
    }
    const decoded = member.validate(u[key], [...c, { key, type: member, actual: u[key] }]);
    return isLeft(decoded) ? decoded : t.success({ [key]: decoded.right } as OneKeyOf<M>);
  }
}

/** `{ k: A_k }` for exactly one key of `M` */
export type OneKeyOf<M extends t.Props> = { [K in keyof M]: { readonly [P in K]: t.TypeOf<M[K]> } }[keyof M];

/** a one-key union codec; `docs` describes each alternative */
export function oneKeyOf<M extends t.Props>(name: string, members: M, docs: { readonly [K in keyof M]: string }): OneKeyType<M> {
  return new OneKeyType(name, members, docs);
}
