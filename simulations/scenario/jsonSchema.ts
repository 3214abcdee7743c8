/**
 * JSON Schema (draft 2020-12) from the scenario codecs, for the subset of io-ts they use: strict
 * objects, one-key unions, arrays, tuples, keyof, literals, unions, and refined leaves whose
 * bounds sit in a side table (`combinators.ts`). A codec outside the subset is a bug and throws.
 */
import * as t from 'io-ts';
import { fieldDescriptions, type JsonSchema, leafSchemas, OneKeyType, refinementSchemas, StrictType } from './combinators';
import { Scenario } from './scenario.codec';

function strictSchema(codec: StrictType<t.Props, t.Props, unknown>, docs: Readonly<Record<string, string>>): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, field] of [...Object.entries(codec.required), ...Object.entries(codec.optional)]) {
    const description = docs[key];
    if (description === undefined) throw new Error(`field ${codec.name}.${key} has no description`);
    properties[key] = { ...toJsonSchema(field), description };
  }
  const required = Object.keys(codec.required);
  return { type: 'object', description: codec.name, properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

function oneKeySchema(codec: OneKeyType<t.Props>): JsonSchema {
  const oneOf = Object.entries(codec.members).map(([key, member]) => ({
    type: 'object',
    properties: { [key]: { ...toJsonSchema(member), description: codec.docs[key] } },
    required: [key],
    additionalProperties: false,
  }));
  return { description: codec.name, oneOf };
}

/** The JSON Schema of one codec */
export function toJsonSchema(codec: t.Any): JsonSchema {
  const leaf = leafSchemas.get(codec);
  if (leaf !== undefined) return leaf;
  const refined = refinementSchemas.get(codec);
  if (refined !== undefined) return { ...toJsonSchema(refined.base), ...refined.schema };
  if (codec instanceof StrictType) {
    const docs = fieldDescriptionsOf(codec);
    return strictSchema(codec, docs);
  }
  if (codec instanceof OneKeyType) return oneKeySchema(codec);
  if (codec instanceof t.ArrayType) return { type: 'array', description: codec.name, items: toJsonSchema(codec.type) };
  if (codec instanceof t.TupleType) {
    const items = codec.types.map((c: t.Any) => toJsonSchema(c));
    return { type: 'array', description: codec.name, prefixItems: items, minItems: items.length, maxItems: items.length };
  }
  if (codec instanceof t.KeyofType) return { description: codec.name, enum: Object.keys(codec.keys) };
  if (codec instanceof t.LiteralType) return { const: codec.value };
  if (codec instanceof t.UnionType) return { description: codec.name, anyOf: codec.types.map((c: t.Any) => toJsonSchema(c)) };
  throw new Error(`no JSON Schema for codec ${codec.name}`);
}

function fieldDescriptionsOf(codec: t.Any): Readonly<Record<string, string>> {
  const docs = fieldDescriptions.get(codec);
  if (docs === undefined) throw new Error(`strict codec ${codec.name} has no field descriptions`);
  return docs;
}

/** The schema of a whole scenario file, as checked in at `simulations/scenarios/scenario.schema.json` */
export function scenarioJsonSchema(): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://phalanet.invalid/scenario.schema.json',
    title: 'phalanet simulation scenario',
    ...toJsonSchema(Scenario),
  };
}

/** the schema file's exact text (what the generator writes and the test compares) */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
