/**
 * khala-day's genesis at full size: 20,000 workers computing in 100 pools, 3 gatekeepers. Block 0
 * executes within bounded memory; block 1 carries the gatekeepers' messages (the first one's
 * launch) and the first heartbeat challenge, while the workers' 60,000 messages wait in the mq's
 * genesis hold for the master pubkey (so the gatekeepers' economics sees them).
 */
import { readFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/Either';
import { blake2b256 } from '../../domain/codec/hash';
import { messageCodec } from '../../domain/codec/mq.codec';
import { compileChainSpec, executeBlock, genesis } from '../../domain/chain';
import { OnlineWorkers } from '../../domain/chain/pallets/computationState';
import { HeldOutboundMessages } from '../../domain/chain/pallets/mq.pallet';
import { createPhalaRuntime } from '../../domain/chain/phalaRuntime';
import { builtInScenarioPath, loadScenario, resolveScenario } from '../scenario';
import { type GenesisKeys, genesisConfigOf } from './genesisConfig';

const hash = (label: string) => `0x${Buffer.from(blake2b256(new TextEncoder().encode(label))).toString('hex')}`;
const keys: GenesisKeys = {
  workerKeys: (i) => ({ pubkey: hash(`worker/${i}`), ecdhPubkey: hash(`worker-ecdh/${i}`) }),
  gatekeeperKeys: (i) => ({ pubkey: hash(`gk/${i}`), ecdhPubkey: hash(`gk-ecdh/${i}`) }),
  account: (name) => hash(`account/${name}`),
};
const HEAP_LIMIT_BYTES = 1.5 * 2 ** 30;

test('khala-day genesis executes with 20,000 computing workers in bounded memory', () => {
  const loaded = loadScenario(readFileSync(builtInScenarioPath('khala-day'), 'utf8'), 'khala-day.yaml');
  if (isLeft(loaded)) throw new Error('khala-day does not load');
  const s = resolveScenario(loaded.right, { seed: 42n });
  const runtime = createPhalaRuntime();
  const { chain, block } = genesis(runtime, compileChainSpec(genesisConfigOf(s, keys), runtime));
  expect(OnlineWorkers.get(chain.storage)).toBe(20_000);
  expect(block.outbound).toEqual([]);
  expect(process.memoryUsage().heapUsed).toBeLessThan(HEAP_LIMIT_BYTES);
  const b1 = executeBlock(chain, { timestampMs: Number(chain.head.timestamp) + s.chain.blockTimeMs, author: new Uint8Array(32), extrinsics: [] });
  const topics = b1.outbound.map((m) => Buffer.from(messageCodec.dec(m).destination).toString('latin1'));
  expect(topics.filter((t) => t === 'phala/gatekeeper/launch')).toHaveLength(1);
  expect(topics.filter((t) => t === 'phala/gatekeeper/change')).toHaveLength(2);
  // the gatekeepers' 3 × Registered and 3 × BenchStart, and block 1's challenge
  expect(topics.filter((t) => t === 'phala/system/event')).toHaveLength(7);
  // held: 20,000 × Registered, 20,000 × BenchScore, 20,000 × Started, genesis's own challenge
  expect(HeldOutboundMessages.get(chain.storage).length).toBe(60_001);
  expect(process.memoryUsage().heapUsed).toBeLessThan(HEAP_LIMIT_BYTES);
}, 900_000);
