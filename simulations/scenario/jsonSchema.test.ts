import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as t from 'io-ts';
import { editDistance, strict, suggestKey } from './combinators';
import { scenarioJsonSchema, scenarioJsonSchemaText, toJsonSchema } from './jsonSchema';

const schemaFile = join(__dirname, '..', 'scenarios', 'scenario.schema.json');

type Node = { readonly [key: string]: unknown };
const isNode = (u: unknown): u is Node => typeof u === 'object' && u !== null && !Array.isArray(u);

/** every object schema in the tree, with its path */
function objects(node: unknown, path: string, out: [string, Node][] = []): [string, Node][] {
  if (Array.isArray(node)) {
    node.forEach((n, i) => {
      objects(n, `${path}[${i}]`, out);
    });
  }
  else if (isNode(node)) {
    if (node.type === 'object') out.push([path, node]);
    for (const [k, v] of Object.entries(node)) objects(v, `${path}/${k}`, out);
  }
  return out;
}

describe('scenario JSON Schema', () => {
  it('is up to date (regenerate with `node scripts/gen-scenario-schema.mjs`)', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('describes every field and refuses unknown keys on every object', () => {
    const all = objects(scenarioJsonSchema(), '#');
    expect(all.length).toBeGreaterThan(30);
    for (const [path, node] of all) {
      expect([path, node.additionalProperties]).toEqual([path, false]);
      const props = isNode(node.properties) ? node.properties : {};
      for (const [key, prop] of Object.entries(props)) {
        const description = isNode(prop) ? prop.description : undefined;
        expect([`${path}.${key}`, typeof description]).toEqual([`${path}.${key}`, 'string']);
      }
    }
  });

  it('carries the refinements’ bounds', () => {
    const s = JSON.stringify(scenarioJsonSchema());
    expect(s).toContain('"maximum":200');
    expect(s).toContain('"enum":[1,2,3,4,5,128]');
    expect(s).toContain('"minimum":0.01');
  });

  it('throws for a codec outside the supported subset', () => {
    expect(() => toJsonSchema(t.number)).toThrow('no JSON Schema for codec number');
    expect(() => toJsonSchema(strict('x', { a: t.number }, {}, { a: 'an a' }))).toThrow('no JSON Schema for codec number');
  });
});

describe('key suggestions', () => {
  it('measures edit distance', () => {
    expect([editDistance('kitten', 'sitting'), editDistance('', 'abc'), editDistance('same', 'same')]).toEqual([3, 3, 0]);
  });

  it('suggests only a close key', () => {
    expect(suggestKey('workerz', ['workers', 'pools'])).toBe('workers');
    expect(suggestKey('WorkerGroups', ['workerGroups'])).toBe('workerGroups');
    expect(suggestKey('banana', ['workers', 'pools'])).toBeUndefined();
  });
});
