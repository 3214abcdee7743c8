// Writes simulations/scenarios/scenario.schema.json from the scenario codecs
// (simulations/scenario/jsonSchema.ts). A unit test fails when the checked-in file is stale.
import { writeFileSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';

const target = new URL('../simulations/scenarios/scenario.schema.json', import.meta.url);
const mod = await tsImport('../simulations/scenario/jsonSchema.ts', import.meta.url);
const { scenarioJsonSchemaText } = mod.default ?? mod;
writeFileSync(target, scenarioJsonSchemaText());
process.stderr.write(`wrote ${target.pathname}\n`);
