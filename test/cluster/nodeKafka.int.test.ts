/**
 * Transaction intake over a real Kafka broker (`phalanet node --kafka`): a signed transfer
 * published to `phalanet.extrinsics` lands in a block the producer writes to the PostgreSQL
 * ledger; an undecodable payload does not stop it. The broker and PostgreSQL are the int tier's.
 */
import { blockHashHex } from '../../domain/chain/block';
import { account as accountInfo } from '../../domain/chain/pallets/balances.pallet';
import { kafkaBus } from '../../infra/bus/kafkaBus';
import { EXTRINSICS_PARTITIONS, EXTRINSICS_TOPIC } from '../../infra/cluster/node/kafkaIntake';
import { initCrypto } from '../../infra/crypto/initCrypto';
import { callOf, signExtrinsic } from '../../simulations/run/accounts';
import { accountNames } from '../../simulations/run/accountNames';
import { scenarioGenesis } from '../../simulations/run/scenarioGenesis';
import { builtInScenarioPath, loadScenario, resolveScenario } from '../../simulations/scenario';
import { readFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/Either';
import { ensureBuilt, nodeHarness, status, until } from './nodeHarness';

const brokers = process.env.PHALANET_TEST_KAFKA_BROKERS;
let h: ReturnType<typeof nodeHarness>;

beforeAll(async () => {
  if (!brokers) throw new Error(`no Kafka broker for the int tests: PHALANET_TEST_KAFKA_BROKERS is unset (${process.env.PHALANET_TEST_KAFKA_ERROR ?? 'no reason given'})`);
  h = nodeHarness('kafka');
  ensureBuilt();
  await initCrypto();
}, 180_000);
afterAll(async () => h?.cleanup());

function quickstartGenesis() {
  const decoded = loadScenario(readFileSync(builtInScenarioPath('quickstart'), 'utf8'), 'quickstart.yaml');
  if (isLeft(decoded)) throw new Error('quickstart does not decode');
  return scenarioGenesis(resolveScenario(decoded.right, { seed: 1n }));
}

describe('phalanet node --kafka', () => {
  it('includes a signed transfer published to phalanet.extrinsics in a block of the ledger', async () => {
    h.newLedger();
    const node = h.startNode('k', ['--kafka', brokers!]);
    await until('the node to write genesis', async () => ((await status(node)).ledgerHeight >= 0 ? true : undefined));
    const g = quickstartGenesis();
    const [genesisRecord] = await h.ledgerBlocks();
    expect(blockHashHex(genesisRecord!.block.header)).toBe(g.chain.genesisHash);

    const root = g.root;
    const dest = g.account(accountNames.client(0));
    const call = callOf('Balances', 'transfer', { dest: dest.id, value: 1_000_000_000_000n });
    const nonce = accountInfo(g.chain.storage, root.id).nonce;
    const signed = signExtrinsic(g.runtime, root, call, nonce, g.chain.genesisHash, g.random.fork('test-signing'));
    const bus = kafkaBus({ brokers: brokers!.split(','), clientId: 'node-kafka-test' });
    try {
      await bus.ensureTopics([{ name: EXTRINSICS_TOPIC, partitions: EXTRINSICS_PARTITIONS }]);
      await bus.publish([
        { topic: EXTRINSICS_TOPIC, key: 'garbage', value: new Uint8Array([1, 2, 3]), id: 'garbage-1' },
        { topic: EXTRINSICS_TOPIC, key: root.id, value: signed, id: `${root.id}/${nonce}` },
      ]);
    } finally {
      await bus.close();
    }
    const hex = Buffer.from(signed).toString('hex');
    const including = await until('a block with the transfer', async () => (await h.ledgerBlocks()).find((b) => b.block.extrinsics.some((x) => Buffer.from(x).toString('hex') === hex)));
    expect(including.number).toBeGreaterThan(0);
    expect(including.producer).toBe('k');
    const height = including.number;
    await until('more blocks after it', async () => ((await h.ledgerBlocks()).length > height + 2 ? true : undefined));
    // included once: the same bytes appear in no other block
    expect((await h.ledgerBlocks()).filter((b) => b.block.extrinsics.some((x) => Buffer.from(x).toString('hex') === hex))).toHaveLength(1);
    node.child.kill('SIGTERM');
    expect(await node.exit).toBe(0);
    expect(h.replayVerify()).toMatch(/verified:\s+yes/);
  }, 240_000);
});
