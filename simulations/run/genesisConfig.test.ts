/** A scenario's genesis config: deterministic per seed, and a chain that starts from it. */
import { readFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/Either';
import { blake2b256 } from '../../domain/codec/hash';
import { compileChainSpec, genesis } from '../../domain/chain';
import { OnlineWorkers } from '../../domain/chain/pallets/computationState';
import { Gatekeeper } from '../../domain/chain/pallets/registryState';
import { createPhalaRuntime } from '../../domain/chain/phalaRuntime';
import { builtInScenarioPath, loadScenario, resolveScenario } from '../scenario';
import type { ResolvedScenario } from '../scenario/resolved.codec';
import { type GenesisKeys, genesisConfigOf } from './genesisConfig';

const hash = (label: string) => `0x${Buffer.from(blake2b256(new TextEncoder().encode(label))).toString('hex')}`;
const testKeys: GenesisKeys = {
  workerKeys: (i) => ({ pubkey: hash(`worker/${i}`), ecdhPubkey: hash(`worker-ecdh/${i}`) }),
  gatekeeperKeys: (i) => ({ pubkey: hash(`gk/${i}`), ecdhPubkey: hash(`gk-ecdh/${i}`) }),
  account: (name) => hash(`account/${name}`),
};

function scenario(yaml: string, seed: bigint): ResolvedScenario {
  const s = loadScenario(yaml, 'test.yaml');
  if (isLeft(s)) throw new Error(s.left.map((e) => JSON.stringify(e)).join('\n'));
  return resolveScenario(s.right, { seed });
}

const small = `
name: small
durationBlocks: 50
topology:
  gatekeepers: { count: 2 }
  workerGroups:
    - name: g
      count: 12
      atGenesis: true
      initialScore: { uniform: { min: 1000, max: 3000 } }
      confidenceLevel: { choice: [{ value: 1, weight: 1 }, { value: 5, weight: 1 }] }
      stakePha: { normal: { mean: 15000, sd: 5000, min: 100, max: 40000 } }
    - name: later
      count: 3
  pools:
    - name: p
      count: 3
      workerGroup: g
      workersPerPool: 4
      commissionPercent: 20
      stakers: { perPool: 2, contributionPha: { uniform: { min: 1000, max: 50000 } } }
  clients: 2
`;

test('the same seed gives the same config; another seed another one', () => {
  const a = genesisConfigOf(scenario(small, 7n), testKeys);
  const b = genesisConfigOf(scenario(small, 7n), testKeys);
  const c = genesisConfigOf(scenario(small, 8n), testKeys);
  const bytes = (cfg: typeof a) => Buffer.from(compileChainSpec(cfg).genesisCalls.flatMap((x) => [...x])).toString('hex');
  expect(bytes(a)).toBe(bytes(b));
  expect(bytes(a)).not.toBe(bytes(c));
});

test('the small scenario starts: workers, gatekeepers, pools, every pooled worker computing', () => {
  const s = scenario(small, 1n);
  const cfg = genesisConfigOf(s, testKeys);
  expect(cfg.genesisWorkers).toHaveLength(12);
  expect(cfg.genesisPools?.map((p) => p.workers.length)).toEqual([4, 4, 4]);
  const runtime = createPhalaRuntime();
  const { chain } = genesis(runtime, compileChainSpec(cfg, runtime));
  expect(OnlineWorkers.get(chain.storage)).toBe(12);
  expect(Gatekeeper.get(chain.storage)).toEqual([testKeys.gatekeeperKeys(0).pubkey, testKeys.gatekeeperKeys(1).pubkey]);
  // clients, 3 owners, 6 stakers (relayers need no balance: no fees)
  expect(new Set(cfg.endowments.map((e) => e.who)).size).toBe(2 + 3 + 6);
});

test('khala-day maps to 20,000 genesis workers in 100 pools, all computing', () => {
  const s = scenario(readFileSync(builtInScenarioPath('khala-day'), 'utf8'), 3n);
  const cfg = genesisConfigOf(s, testKeys);
  expect(cfg.genesisWorkers).toHaveLength(20_000);
  expect(cfg.genesisPools).toHaveLength(100);
  expect(cfg.genesisPools!.reduce((n, p) => n + p.computing.length, 0)).toBe(20_000);
  expect(cfg.genesisGatekeepers).toHaveLength(3);
  expect(cfg.heartbeatPaused).toBe(false);
});
