/**
 * Issue 5's leak test: a full run of chain, workers, gatekeepers (with a joining one and key
 * sharing), clusters and contracts (commands and queries), forged and replayed traffic — then
 * every byte it left behind is searched for any secret an enclave held: the ledger database file
 * (blocks, actor snapshots, sealed checkpoints), the projection database every read model was
 * rebuilt into, and every log line. Bus payloads and persisted records were scanned while the run
 * went (the run's own "no secret leaked" check). Secrets: hardware secrets, sealing keys,
 * identity, master, cluster and contract keys (seed, polkadot-js and canonical forms), ECDH
 * agreements (the AES keys); raw, hex or base64.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRight } from 'fp-ts/Either';
import { createPhalaRuntime } from '../domain/chain/phalaRuntime';
import { secretsForLeakScan } from '../enclave/testing/secretsForLeakScan';
import { initCrypto } from '../infra/crypto/initCrypto';
import { openProjectionStore } from '../infra/projections';
import { decodeStoreUrl, openEventStore } from '../infra/store';
import { allProjections, projectAll } from '../projections';
import { leakScanner, type LeakScanner, type SecretHolder } from '../simulations/checks/leakScanner';
import { runSimulation } from '../simulations/run/runSimulation';
import { builtInScenarioPath, loadScenario, resolveScenario } from '../simulations/scenario';

/** The run's scanner, also remembering what it was asked to watch (for the positive control). */
function watchingScanner(): { scanner: LeakScanner; holders: Set<SecretHolder> } {
  const inner = leakScanner();
  const holders = new Set<SecretHolder>();
  return {
    holders,
    scanner: {
      watch: (h) => {
        holders.add(h);
        inner.watch(h);
      },
      refresh: () => inner.refresh(),
      scan: (where, chunk) => inner.scan(where, chunk),
      get needles() {
        return inner.needles;
      },
    },
  };
}

describe('leak test: nothing a full run leaves behind holds an enclave secret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'phalanet-leak-'));
  const url = `sqlite:${join(dir, 'ledger.db')}`;
  const { scanner, holders } = watchingScanner();
  const notes: string[] = [];
  let checks: { name: string; passed: boolean }[] = [];

  beforeAll(async () => {
    await initCrypto();
    const loaded = loadScenario(readFileSync(builtInScenarioPath('byzantine'), 'utf8'), 'byzantine');
    if (!isRight(loaded)) throw new Error('byzantine does not load');
    const store = await openEventStore(url, { create: true });
    try {
      const result = await runSimulation({
        scenario: resolveScenario(loaded.right, { seed: 11n, blocks: 60 }),
        store,
        leakScanner: scanner,
        onNote: (block, line) => notes.push(`#${block} ${line}`),
      });
      checks = result.checks.map((c) => ({ name: c.name, passed: c.passed }));
      const parsed = decodeStoreUrl(url);
      if (typeof parsed === 'string') throw new Error(parsed);
      const projections = await openProjectionStore(parsed);
      try {
        await projectAll(store, allProjections, projections, { eventCodec: createPhalaRuntime().eventCodec, holder: 'leak test', now: Date.now });
      } finally {
        await projections.close();
      }
    } finally {
      await store.close();
    }
    scanner.refresh(); // keys acquired since the run's last re-read
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const files = () => readdirSync(dir).map((f) => ({ name: f, bytes: readFileSync(join(dir, f)) }));

  it('ran every kind of enclave and its own leak check passed while it went', () => {
    expect(checks.find((c) => c.name === 'noSecretLeaked')?.passed).toBe(true);
    expect(holders.size).toBeGreaterThan(60); // vendor, platforms and vaults of 64 workers and 3 gatekeepers
    const labels = new Set([...holders].flatMap((h) => secretsForLeakScan(h).map((s) => s.label.replace(/ .*$/, ''))));
    for (const kind of ['hardware', 'sealing', 'identity', 'master', 'ECDH', 'cluster', 'contract']) expect(labels).toContain(kind);
  });

  it('finds no secret in the ledger database or the projection database, nor in any log line', () => {
    const written = files();
    expect(written.map((f) => f.name)).toEqual(expect.arrayContaining(['ledger.db', expect.stringMatching(/projections/)]));
    for (const f of written) expect(scanner.scan(`file ${f.name}`, f.bytes)).toBeUndefined();
    expect(notes.length).toBeGreaterThan(0);
    for (const line of notes) expect(scanner.scan('log', line)).toBeUndefined();
  });

  it('would find one (positive control): a master key planted in a copy of the projection file, as base64', () => {
    const master = [...holders].flatMap((h) => secretsForLeakScan(h)).find((s) => s.label.startsWith('master key'))!;
    const projection = files().find((f) => /projections/.test(f.name))!;
    const planted = Buffer.concat([projection.bytes, Buffer.from(`{"note":"${Buffer.from(master.forms[1]!.bytes).toString('base64')}"}`)]);
    expect(scanner.scan('planted', planted)).toMatchObject({ label: master.label, encoding: 'base64' });
  });
});
