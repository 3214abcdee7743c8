/**
 * The workers and gatekeepers roles over a real broker and PostgreSQL: two
 * `phalanet node --roles producer,workers,gatekeepers` share the 12 partitions of
 * `phalanet.workers` (6 each, every genesis worker hosted once) and the 4 of
 * `phalanet.gatekeepers` (the gatekeeper hosted once). The gatekeeper launches the master key,
 * the chain releases the genesis workers' sessions, the workers heartbeat and the gatekeeper's
 * economics reports pay them — all through the outbox, `phalanet.extrinsics` and the producer.
 * Workers seal checkpoints into their streams, the gatekeeper its master key; after kill -9 of one
 * node, the other owns every partition with a higher epoch for the moved ones, restored from the
 * sealed state (through the shared platform vault) and synced to the head, and payouts go on.
 * Prints the measured recovery time. Then a SIGTERM of the survivor seals a final checkpoint of
 * every worker and exits 0.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/Either';
import { eventRecordCodec } from '../../domain/chain/block';
import { decodeExtrinsic } from '../../domain/chain/extrinsic';
import { createPhalaRuntime } from '../../domain/chain/phalaRuntime';
import { initCrypto } from '../../infra/crypto/initCrypto';
import { secretsForLeakScan } from '../../enclave/testing/secretsForLeakScan';
import { kafkaBus } from '../../infra/bus/kafkaBus';
import { EXTRINSICS_TOPIC } from '../../infra/cluster/node/kafkaIntake';
import { openPlatformVault } from '../../infra/cluster/workers/platformVault';
import { WORKERS_TOPIC } from '../../infra/cluster/workers/workerPlacement';
import { GATEKEEPERS_TOPIC } from '../../infra/cluster/gatekeepers/gatekeeperPlacement';
import { restoreGatekeeperShard } from '../../infra/cluster/gatekeepers/gatekeeperShard';
import { leakScanner } from '../../simulations/checks/leakScanner';
import { scenarioGenesis } from '../../simulations/run/scenarioGenesis';
import { seededRandom } from '../../simulations/seededRandom';
import { loadScenario, resolveScenario } from '../../simulations/scenario';
import { ensureBuilt, type NodeProcess, nodeHarness, until } from './nodeHarness';

const brokers = process.env.PHALANET_TEST_KAFKA_BROKERS;
const scenario = join(__dirname, '..', 'fixtures', 'cluster-workers.yaml');
/** the 8 miners (the genesis gatekeeper's worker half runs in its pRuntime, on the gatekeepers role) */
const GENESIS_WORKERS = 8;
/** a seed of its own: another run's extrinsics left in the shared topic are then not valid on this chain */
const seed = 1 + Math.floor(Math.random() * 1_000_000);
let h: ReturnType<typeof nodeHarness>;
/** what the first test leaves for the leak scan: the nodes' output and the survivor's metrics and status */
const leftBehind: { logs: string[]; http: string[] } = { logs: [], http: [] };

interface WorkersView {
  partitions: { partition: number; epoch: string; workers: number; syncedBlock: number | null }[];
  actorsByState: Record<string, number>;
  stats: { fenced: number; applied: number; claims: number };
}
interface GatekeepersView {
  partitions: { partition: number; epoch: string; gatekeepers: number; syncedBlock: number | null }[];
  gatekeepers: { name: string; state: string; syncedBlock: number; restoredFrom: string }[];
}

beforeAll(async () => {
  await initCrypto();
  if (!brokers) throw new Error(`no Kafka broker for the int tests: PHALANET_TEST_KAFKA_BROKERS is unset (${process.env.PHALANET_TEST_KAFKA_ERROR ?? 'no reason given'})`);
  h = nodeHarness('workers');
  ensureBuilt();
}, 180_000);
afterAll(async () => h?.cleanup());

async function view(node: NodeProcess): Promise<{ head: number; workers: WorkersView; gatekeepers: GatekeepersView }> {
  const s = (await (await fetch(`${await node.url}status`)).json()) as { head: { number: number } | null; workers: WorkersView | null; gatekeepers: GatekeepersView | null };
  if (s.workers === null || s.gatekeepers === null || s.head === null) throw new Error('workers and gatekeepers roles not started yet');
  return { head: s.head.number, workers: s.workers, gatekeepers: s.gatekeepers };
}

const hosted = (v: WorkersView) => v.partitions.reduce((n, p) => n + p.workers, 0);

/** The scenario as the nodes resolve it. */
function resolvedScenario() {
  const decoded = loadScenario(readFileSync(scenario, 'utf8'), 'cluster-workers.yaml');
  if (isLeft(decoded)) throw new Error('cluster-workers.yaml does not decode');
  return resolveScenario(decoded.right, { seed: BigInt(seed) });
}

/** The relayer account of the genesis gatekeeper's `Gatekeeper` channel, as the nodes derive it from the scenario. */
function gatekeeperRelayer(): string {
  return scenarioGenesis(resolvedScenario()).gatekeepers[0]!.gkRelayer.id;
}

/** Blocks holding an event `pallet.name`. */
async function blocksWith(pallet: string, name: string): Promise<number[]> {
  const records = eventRecordCodec(createPhalaRuntime().eventCodec);
  const out: number[] = [];
  for (const { block } of await h.ledgerBlocks()) {
    const events = block.events.map((e) => records.dec(e).event as { tag: string; value: { tag: string } });
    if (events.some((e) => e.tag === pallet && e.value.tag === name)) out.push(block.header.number);
  }
  return out;
}

/** Blocks holding a successful extrinsic of `signer`. */
async function acceptedFrom(signer: string): Promise<number[]> {
  const records = eventRecordCodec(createPhalaRuntime().eventCodec);
  const out: number[] = [];
  for (const { block } of await h.ledgerBlocks()) {
    if (!block.extrinsics.some((x) => decodeExtrinsic(x).signer === signer)) continue;
    const events = block.events.map((e) => records.dec(e).event as { tag: string; value: { tag: string; value: { who?: string } } });
    if (events.some((e) => e.value.tag === 'ExtrinsicSuccess' && e.value.value.who === signer)) out.push(block.header.number);
  }
  return out;
}

describe('phalanet node --roles workers', () => {
  it('places the workers on 12 partitions over two nodes, and the survivor of a kill -9 restores them from sealed checkpoints', async () => {
    h.newLedger();
    const vault = join(h.dataDir, 'platform-vault');
    const args = ['--roles', 'producer,workers,gatekeepers', '--kafka', brokers!, '--platform-vault', vault, '--scenario', scenario, '--seed', String(seed)];
    const [a, b] = [h.startNode('wa', args), h.startNode('wb', args)];
    const both = await until(
      'both nodes owning 6 worker partitions and 2 gatekeeper partitions, the gatekeeper active',
      async () => {
        const [va, vb] = await Promise.all([view(a), view(b)]);
        const split = va.workers.partitions.length === 6 && vb.workers.partitions.length === 6 && va.gatekeepers.partitions.length === 2 && vb.gatekeepers.partitions.length === 2;
        const active = [...va.gatekeepers.gatekeepers, ...vb.gatekeepers.gatekeepers].filter((g) => g.state === 'active').length === 1;
        return split && active ? [va, vb] : undefined;
      },
      90_000,
    );
    const owned = both.flatMap((v) => v.workers.partitions.map((p) => p.partition)).sort((x, y) => x - y);
    expect(owned).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(both.flatMap((v) => v.gatekeepers.partitions.map((p) => p.partition)).sort()).toEqual([0, 1, 2, 3]);
    expect(hosted(both[0]!.workers) + hosted(both[1]!.workers)).toBe(GENESIS_WORKERS);
    expect(both.flatMap((v) => v.gatekeepers.gatekeepers.map((g) => g.name))).toEqual(['gatekeeper-1']);
    await until('a sealed checkpoint of every worker and the sealed master key', async () => {
      const rows = await h.sql(`SELECT count(DISTINCT stream_id) FILTER (WHERE stream_id LIKE 'worker-%') AS w, count(*) FILTER (WHERE stream_id LIKE 'gatekeeper-%') AS g FROM $schema.events`);
      return Number(rows[0]!.w) === GENESIS_WORKERS && Number(rows[0]!.g) >= 1 ? true : undefined;
    });
    // the pipeline end to end: the gatekeeper's worker half relays MasterPubkey (the chain then
    // releases the genesis sessions), the workers heartbeat, and the gatekeeper's economics reports
    // (its Gatekeeper channel, relayed by its GK relayer) settle them: payouts to the pools
    const masterKeyAt = await until('the master key on chain', async () => (await blocksWith('PhalaRegistry', 'GatekeeperMasterPubkeySet'))[0], 60_000);
    const settled = await until('sessions settled by the gatekeeper reports', async () => {
      const blocks = await blocksWith('PhalaComputation', 'SessionSettled');
      return blocks.length >= 3 ? blocks : undefined;
    }, 90_000);
    expect(settled[0]).toBeGreaterThan(masterKeyAt);
    expect((await acceptedFrom(gatekeeperRelayer())).length).toBeGreaterThan(0);
    expect((await blocksWith('PhalaBasePool', 'RewardDistributed')).length).toBeGreaterThan(0);
    const before = await view(b);
    const epochs = new Map(before.workers.partitions.map((p) => [p.partition, BigInt(p.epoch)]));

    const logFrom = b.stderr().length;
    const killedAt = performance.now();
    a.child.kill('SIGKILL');
    const after = await until(
      'the survivor owning all 12 worker and 4 gatekeeper partitions, synced near the head, the gatekeeper active',
      async () => {
        const v = await view(b);
        const synced = v.workers.partitions.every((p) => p.syncedBlock !== null && p.syncedBlock >= v.head - 2);
        const gk = v.gatekeepers.gatekeepers[0];
        return v.workers.partitions.length === 12 && synced && v.gatekeepers.partitions.length === 4 && gk?.state === 'active' && gk.syncedBlock >= v.head - 2 ? v : undefined;
      },
      90_000,
    );
    const recoveryMs = performance.now() - killedAt;
    process.stdout.write(`workers failover: 6 worker and 2 gatekeeper partitions moved and restored in ${(recoveryMs / 1000).toFixed(1)} s after kill -9 (session timeout included)\n`);
    // payouts go on after the failover: the gatekeeper (moved or not) keeps reporting
    await until('a session settled after the failover', async () => ((await blocksWith('PhalaComputation', 'SessionSettled')).some((n) => n > after.head) ? true : undefined), 60_000);
    expect(hosted(after.workers)).toBe(GENESIS_WORKERS);
    for (const p of after.workers.partitions) {
      // the survivor's own partitions keep their epoch; the moved ones got a new one
      if (epochs.has(p.partition)) expect(BigInt(p.epoch)).toBe(epochs.get(p.partition));
      else expect(BigInt(p.epoch)).toBeGreaterThanOrEqual(2n);
    }
    const restored = [...b.stderr().slice(logFrom).matchAll(/(\d+) workers restored \((\d+) from sealed checkpoints\)/g)];
    expect(restored.reduce((n, m) => n + Number(m[2]), 0)).toBe(GENESIS_WORKERS - hosted(before.workers));
    const metrics = await (await fetch(`${await b.url}metrics`)).text();
    leftBehind.http.push(metrics, await (await fetch(`${await b.url}status`)).text());
    expect(metrics).toMatch(/^phalanet_node_worker_partitions_owned 12$/m);
    expect(metrics).toMatch(/^phalanet_node_worker_partition_lag_messages\{partition="11"\} \d+$/m);
    expect(metrics).toMatch(/^phalanet_node_worker_partition_fenced_total 0$/m);

    // SIGTERM: the node finishes what it applies, seals a final checkpoint of every worker it hosts
    // (fenced, before leaving the group) and exits 0
    const termFrom = b.stderr().length;
    b.child.kill('SIGTERM');
    expect(await b.exit).toBe(0);
    const head = (await h.ledgerBlocks()).at(-1)!.number;
    const last = await h.sql(`SELECT DISTINCT ON (stream_id) stream_id, metadata FROM $schema.events WHERE stream_id LIKE 'worker-%' ORDER BY stream_id, version DESC`);
    expect(last).toHaveLength(GENESIS_WORKERS);
    // every worker's last checkpoint is fresh: sealed at SIGTERM, or already at that block
    for (const row of last) expect(Number((JSON.parse(String(row.metadata)) as { syncedBlock: string }).syncedBlock)).toBeGreaterThanOrEqual(head - 2);
    const finals = [...b.stderr().slice(termFrom).matchAll(/final checkpoint of (\d+) workers( already sealed)?/g)];
    process.stdout.write(`SIGTERM: final checkpoints sealed for ${finals.filter((m) => m[2] === undefined).reduce((n, m) => n + Number(m[1]), 0)} workers, ${finals.filter((m) => m[2] !== undefined).reduce((n, m) => n + Number(m[1]), 0)} already current\n`);
    expect(finals.reduce((n, m) => n + Number(m[1]), 0)).toBe(GENESIS_WORKERS);
    // the ledger the cluster wrote replays, every gatekeeper report re-derived and matching
    const replay = h.replayVerify();
    process.stdout.write(replay);
    expect(replay).toMatch(/verified:\s+yes/);
    expect(Number(/reports:\s+(\d+) gatekeeper report/.exec(replay)?.[1])).toBeGreaterThanOrEqual(3);
    leftBehind.logs.push(a.stderr(), b.stderr());
  }, 240_000);

  it('leaves no enclave secret in PostgreSQL, Kafka, the logs, /metrics or /status', async () => {
    expect(leftBehind.logs).toHaveLength(2); // the run above happened
    // every secret the nodes' enclaves held: the genesis identities (from the scenario's seed) and
    // the platforms of the shared vault, with their sealing keys for the pRuntime build
    const genesis = scenarioGenesis(resolvedScenario());
    const scanner = leakScanner();
    const vault = openPlatformVault(join(h.dataDir, 'platform-vault'), genesis.env.vendor, seededRandom(1));
    for (const w of genesis.workers) scanner.watch(w.runtime.identity.vault);
    for (const g of genesis.gatekeepers) scanner.watch(g.worker.identity.vault);
    // the master key the gatekeeper generated in the nodes: the same pRuntime restored here from
    // the ledger and its sealed master key (through the shared platform vault) holds it
    const ledger = await h.ledgerStore();
    try {
      const restored = await restoreGatekeeperShard({ store: ledger, vault: openPlatformVault(join(h.dataDir, 'platform-vault'), genesis.env.vendor, seededRandom(1)), signing: seededRandom(2) }, 0, genesis.gatekeepers);
      expect(restored.gatekeepers[0]!.restoredFrom).toBe('sealed master keys');
      for (const g of restored.gatekeepers) scanner.watch(g.runtime.identity.vault);
    } finally {
      await ledger.close();
    }
    for (const pubkey of [...genesis.workers.map((w) => w.pubkeyHex), ...genesis.gatekeepers.map((g) => g.pubkeyHex)]) {
      const platform = vault.platform(pubkey);
      platform.seal(genesis.env.measurement, new Uint8Array([0])); // records its sealing key
      scanner.watch(platform);
    }
    expect(scanner.needles).toBeGreaterThan(100);
    const found: string[] = [];
    const scan = (where: string, chunk: Uint8Array | string) => {
      const f = scanner.scan(where, chunk);
      if (f !== undefined) found.push(`${f.label} (${f.form}, ${f.encoding}) in ${f.where}`);
    };
    // PostgreSQL: every row of every table of the ledger's schema
    const tables = await h.sql(`SELECT table_name FROM information_schema.tables WHERE table_schema = (SELECT nspname FROM pg_namespace WHERE oid = '$schema'::regnamespace)`);
    expect(tables.length).toBeGreaterThan(3);
    let rows = 0;
    for (const { table_name } of tables) {
      for (const row of await h.sql(`SELECT * FROM $schema."${String(table_name)}"`)) {
        rows += 1;
        for (const [column, value] of Object.entries(row)) {
          const where = `postgres ${String(table_name)}.${column}`;
          if (Buffer.isBuffer(value)) scan(where, value);
          else scan(where, typeof value === 'string' ? value : JSON.stringify(value) ?? '');
        }
      }
    }
    expect(rows).toBeGreaterThan(50);
    // Kafka: every message of the topics the nodes wrote, from the beginning
    const bus = kafkaBus({ brokers: brokers!.split(','), clientId: `leak-scan-${seed}` });
    try {
      const topics = [WORKERS_TOPIC, GATEKEEPERS_TOPIC, EXTRINSICS_TOPIC];
      const ends = await Promise.all(topics.map((t) => bus.topicEnds(t)));
      const wanted = ends.reduce((n, m) => n + [...m.values()].reduce((a, b) => a + Number(b), 0), 0);
      let seen = 0;
      const consumer = await bus.consume({
        groupId: `leak-scan-${seed}`,
        topics,
        fromBeginning: true,
        onMessage: async (m) => {
          seen += 1;
          scan(`kafka ${m.topic}/${m.partition}@${m.offset}`, m.value);
        },
      });
      await until('every Kafka message read', async () => (seen >= wanted ? true : undefined), 60_000);
      await consumer.stop();
      expect(seen).toBeGreaterThan(10);
    } finally {
      await bus.close();
    }
    for (const [i, log] of leftBehind.logs.entries()) scan(`node ${i} log`, log);
    for (const [i, text] of leftBehind.http.entries()) scan(`http ${i}`, text);
    expect(found).toEqual([]);
    // and it would have found one: a worker's identity key planted, as hex, in a copy of a log
    const identity = secretsForLeakScan(genesis.workers[0]!.runtime.identity.vault).find((x) => x.label === 'identity key')!;
    const plantedLog = `${leftBehind.logs[0]}\nkey 0x${Buffer.from(identity.forms[0]!.bytes).toString('hex')}`;
    expect(scanner.scan('planted', plantedLog)).toMatchObject({ label: 'identity key', encoding: 'hex' });
  }, 180_000);
});
