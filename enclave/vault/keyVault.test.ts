import * as E from 'fp-ts/Either';
import { sr25519Verify } from '../../domain/crypto';
import { seededRandom } from '../../simulations/seededRandom';
import { createAttestationVendor } from '../platform/attestationVendor';
import { measurementOf } from '../platform/measurement';
import { createSimulatedPlatform } from '../platform/platform';
import { secretsForLeakScan } from '../testing/secretsForLeakScan';
import { type KeyVault, createKeyVault, restoreKeyVault } from './keyVault';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`);
  return e.right;
};
const clusterId = new Uint8Array(32).fill(7);
const contractId = new Uint8Array(32).fill(9);
const master = { kind: 'master' } as const;
const cluster = { kind: 'cluster', clusterId } as const;
const contract = { kind: 'contract', clusterId, contractId } as const;

/** Three GKs sharing one master key (with one rotation) and a worker holding the cluster key. */
function network(seed: number) {
  const r = seededRandom(seed);
  const [gk1, gk2, gk3, worker] = ['gk1', 'gk2', 'gk3', 'worker'].map((l) => createKeyVault(r.fork(l))) as [KeyVault, KeyVault, KeyVault, KeyVault];
  gk1.generateFirstMasterKey();
  for (const entry of gk1.shareMasterKeyHistory(gk2.identityPublicKey, 3, 0n)) right(gk2.acceptMasterKey(entry.key, entry.rotationId, entry.blockHeight));
  const rotation = gk1.encryptFreshMasterKeyTo([gk1.identityPublicKey, gk2.identityPublicKey], 20, 1n);
  right(gk1.acceptMasterKey(rotation[0]!, 1n, 20));
  right(gk2.acceptMasterKey(rotation[1]!, 1n, 20));
  right(worker.acceptClusterKey(clusterId, gk2.shareClusterKey(clusterId, worker.identityPublicKey, 30, 9n)));
  return { r, gk1, gk2, gk3, worker, rotation };
}

describe('key vault', () => {
  const { r, gk1, gk2, gk3, worker } = network(101);

  it('shares and rotates the master key: both GKs hold the same history', () => {
    const history = gk1.masterKeyHistory().map((m) => ({ ...m, publicKey: hex(m.publicKey) }));
    expect(history.map((m) => [m.rotationId, m.blockHeight])).toEqual([
      [0n, 0],
      [1n, 20],
    ]);
    expect(gk2.masterKeyHistory().map((m) => ({ ...m, publicKey: hex(m.publicKey) }))).toEqual(history);
    expect(history[0]!.publicKey).not.toBe(history[1]!.publicKey);
  });

  it('GKs holding the same key emit byte-identical shares for the same (block, ivSeq)', () => {
    const a = gk1.shareMasterKeyHistory(gk3.identityPublicKey, 40, 11n);
    const b = gk2.shareMasterKeyHistory(gk3.identityPublicKey, 40, 11n);
    expect(a.map((x) => hex(x.key.encryptedKey) + hex(x.key.iv))).toEqual(b.map((x) => hex(x.key.encryptedKey) + hex(x.key.iv)));
    expect(hex(a[0]!.key.iv)).not.toBe(hex(a[1]!.key.iv));
    for (const entry of a) right(gk3.acceptMasterKey(entry.key, entry.rotationId, entry.blockHeight));
    expect(hex(gk3.publicKeyOf(master))).toBe(hex(gk1.publicKeyOf(master)));
  });

  it('refuses a non-contiguous rotation id and a share meant for someone else', () => {
    const share = gk1.shareMasterKeyHistory(worker.identityPublicKey, 50, 0n)[1]!;
    expect(gk2.acceptMasterKey(share.key, 5n, 50)).toEqual(E.left({ _tag: 'BadRotationId', expected: 2n, got: 5n }));
    expect(gk2.acceptMasterKey(share.key, 2n, 50)).toEqual(E.left({ _tag: 'AeadDecryptError' }));
  });

  it('derives identical cluster and contract keys on GKs and on the worker that received the cluster key', () => {
    expect(hex(worker.publicKeyOf(cluster))).toBe(hex(gk1.publicKeyOf(cluster)));
    expect(hex(worker.publicKeyOf(contract))).toBe(hex(gk2.publicKeyOf(contract)));
    const message = new TextEncoder().encode('contract output');
    expect(sr25519Verify(message, worker.sign(contract, message), gk1.publicKeyOf(contract))).toBe(true);
    expect(sr25519Verify(message, gk1.sign(master, message), gk2.publicKeyOf(master))).toBe(true);
  });

  it('the random beacon uses the key valid at the block (previous key before the rotation height)', () => {
    const last = new Uint8Array(32).fill(1);
    const onlyKey0 = createKeyVault(r.fork('fresh-gk'));
    for (const entry of gk1.shareMasterKeyHistory(onlyKey0.identityPublicKey, 3, 0n).slice(0, 1)) {
      right(onlyKey0.acceptMasterKey(entry.key, entry.rotationId, entry.blockHeight));
    }
    expect(hex(gk1.randomNumber(15, last))).toBe(hex(onlyKey0.randomNumber(15, last)));
    expect(hex(gk2.randomNumber(20, last))).toBe(hex(gk1.randomNumber(20, last)));
    expect(hex(gk1.randomNumber(20, last))).not.toBe(hex(onlyKey0.randomNumber(20, last)));
  });

  it('encrypts a contract query from a client to the contract key and back', () => {
    const client = createKeyVault(r.fork('client'));
    const iv = new Uint8Array(12).fill(3);
    const query = new TextEncoder().encode('get balance');
    const sealed = right(client.encryptTo({ kind: 'identity' }, worker.publicKeyOf(contract), iv, query));
    expect(right(worker.decryptFrom(contract, client.identityPublicKey, iv, sealed))).toEqual(query);
  });

  it('seals and restores on the same platform and build only', () => {
    const vendor = createAttestationVendor(r.fork('vendor'));
    const platform = createSimulatedPlatform(vendor, r.fork('p1'));
    const m = measurementOf('pruntime', '1');
    const blob = worker.seal(platform, m);
    const restored = right(restoreKeyVault(platform, m, blob, r.fork('worker-restarted')));
    expect(hex(restored.identityPublicKey)).toBe(hex(worker.identityPublicKey));
    expect(hex(restored.publicKeyOf(contract))).toBe(hex(worker.publicKeyOf(contract)));
    const gkRestored = right(restoreKeyVault(platform, m, gk2.seal(platform, m), r.fork('gk2-restarted')));
    expect(gkRestored.masterKeyHistory().map((x) => hex(x.publicKey))).toEqual(gk2.masterKeyHistory().map((x) => hex(x.publicKey)));
    const other = createSimulatedPlatform(vendor, r.fork('p2'));
    expect(restoreKeyVault(other, m, blob, r)).toEqual(E.left({ _tag: 'SealIntegrityFailure' }));
    expect(restoreKeyVault(platform, measurementOf('pruntime', '2'), blob, r)).toMatchObject(E.left({ _tag: 'SealedForAnotherMeasurement' }));
    expect(restoreKeyVault(platform, m, platform.seal(m, Uint8Array.of(1, 2)), r)).toMatchObject(E.left({ _tag: 'SealedVaultMalformed' }));
  });

  it('is reproducible: the same seed gives the same keys, shares and signatures', () => {
    const again = network(101);
    expect(hex(again.gk1.publicKeyOf(master))).toBe(hex(gk1.publicKeyOf(master)));
    const m = new TextEncoder().encode('x');
    expect(hex(network(101).worker.sign(contract, m))).toBe(hex(network(101).worker.sign(contract, m)));
    expect(hex(network(202).gk1.publicKeyOf(master))).not.toBe(hex(gk1.publicKeyOf(master)));
  });
});

describe('no secret leaves a vault', () => {
  const net = network(303);
  const vaults = [net.gk1, net.gk2, net.worker];

  it('the test-only door lists every secret held, in seed, polkadot-js and canonical forms', () => {
    const labels = secretsForLeakScan(net.gk1).map((s) => s.label);
    expect(labels).toEqual(
      expect.arrayContaining(['identity key', 'master key 0', 'rotation candidate', 'master key 1', 'master key 0 / iv_generator', 'master key 0 / master_key_sharing']),
    );
    expect(secretsForLeakScan(net.worker).map((s) => s.label)).toEqual(['identity key', 'ECDH agreement (AES-256-GCM key) of a received key share', 'cluster key']);
    const identity = secretsForLeakScan(net.gk1)[0]!;
    expect(identity.forms.map((f) => [f.form, f.bytes.length])).toEqual([
      ['seed', 32],
      ['polkadot-js', 64],
      ['canonical', 64],
    ]);
  });

  it('no output of the API contains any secret bytes, and the vault object exposes none', () => {
    const message = new TextEncoder().encode('m');
    const outputs: Uint8Array[] = [];
    for (const v of vaults) {
      outputs.push(v.identityPublicKey, v.publicKeyOf(cluster), v.publicKeyOf(contract), v.sign({ kind: 'identity' }, message));
      outputs.push(v.sign(contract, message));
      if (v !== net.worker) {
        outputs.push(v.publicKeyOf(master), v.sign(master, message), v.randomNumber(25, new Uint8Array(32)));
        for (const s of v.shareMasterKeyHistory(net.gk3.identityPublicKey, 60, 0n)) outputs.push(s.key.encryptedKey, s.key.ecdhPubkey, s.key.iv);
        const c = v.shareClusterKey(clusterId, net.gk3.identityPublicKey, 61, 0n);
        outputs.push(c.encryptedKey, c.ecdhPubkey);
      }
      outputs.push(Buffer.from(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x))));
      outputs.push(...Object.values(v).filter((x): x is Uint8Array => x instanceof Uint8Array));
    }
    outputs.push(...net.rotation.flatMap((k) => [k.encryptedKey, k.ecdhPubkey]));
    const haystack = Buffer.concat(outputs.map((o) => Buffer.from(o)));
    const hexHaystack = haystack.toString('hex');
    const secrets = vaults.flatMap((v) => secretsForLeakScan(v)).flatMap((s) => s.forms.map((f) => Buffer.from(f.bytes)));
    expect(secrets.length).toBeGreaterThan(20);
    for (const secret of secrets) {
      expect(haystack.includes(secret.subarray(0, 16))).toBe(false);
      expect(hexHaystack.includes(secret.toString('hex').slice(0, 32))).toBe(false);
    }
    // and the scan itself can fail: a leaked key is found
    const leaked = Buffer.concat([haystack, secrets[0]!]);
    expect(leaked.includes(secrets[0]!.subarray(0, 16))).toBe(true);
  });
});
