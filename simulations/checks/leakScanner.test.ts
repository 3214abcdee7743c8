import { createAttestationVendor } from '../../enclave/platform/attestationVendor';
import { measurementOf } from '../../enclave/platform/measurement';
import { createSimulatedPlatform } from '../../enclave/platform/platform';
import { createKeyVault } from '../../enclave/vault/keyVault';
import { secretsForLeakScan } from '../../enclave/testing/secretsForLeakScan';
import { seededRandom } from '../seededRandom';
import { gatekeepersAgree } from './gatekeepersAgree';
import { leakScanner } from './leakScanner';
import { noSecretLeaked } from './noSecretLeaked';
import { CheckChain } from './testing/checkChain';

function gatekeeperVault() {
  const vault = createKeyVault(seededRandom(7).fork('vault'));
  vault.generateFirstMasterKey();
  return vault;
}

describe('leakScanner', () => {
  const vault = gatekeeperVault();
  const secret = secretsForLeakScan(vault).find((s) => s.label === 'master key 0')!;
  const seed = Buffer.from(secret.forms[0]!.bytes);
  const scanner = leakScanner();
  scanner.watch(vault);

  it('indexes a key the holder acquired after it was first watched, on the next read', () => {
    const late = createKeyVault(seededRandom(8).fork('vault'));
    const own = leakScanner();
    own.watch(late);
    const before = own.needles;
    late.generateFirstMasterKey();
    const master = Buffer.from(secretsForLeakScan(late).find((s) => s.label === 'master key 0')!.forms[0]!.bytes);
    expect(own.scan('row', master)).toBeUndefined();
    own.refresh();
    expect(own.needles).toBeGreaterThan(before);
    expect(own.scan('row', master)).toMatchObject({ label: 'master key 0', encoding: 'raw' });
    // reading again adds nothing: the holder acquired nothing new
    const after = own.needles;
    own.watch(late);
    expect(own.needles).toBe(after);
  });

  it('finds a secret as raw bytes inside a record, naming label, form and offset', () => {
    expect(scanner.needles).toBeGreaterThan(10);
    const record = Buffer.concat([Buffer.from('header:'), seed, Buffer.from(':trailer')]);
    expect(scanner.scan('store row 3', record)).toEqual({ where: 'store row 3', label: 'master key 0', form: secret.forms[0]!.form, encoding: 'raw', offset: 7 });
  });

  it('finds it as hex text in either case, in a log line', () => {
    const line = `gk: sealed 0x${seed.toString('hex').toUpperCase()} ok`;
    expect(scanner.scan('log:gk-1', line)).toMatchObject({ label: 'master key 0', encoding: 'hex', offset: 13 });
  });

  it.each([0, 1, 2, 3, 17])('finds it as base64 (standard and URL-safe) behind %i bytes of other data', (before) => {
    const data = Buffer.concat([Buffer.alloc(before, 0xab), seed, Buffer.from('tail')]);
    expect(scanner.scan('log:json', `{"blob":"${data.toString('base64')}"}`)).toMatchObject({ label: 'master key 0', encoding: 'base64' });
    expect(scanner.scan('log:url', `GET /x?k=${data.toString('base64url')}`)).toMatchObject({ label: 'master key 0', encoding: 'base64' });
  });

  it('holds the AES keys of ECDH agreements and platform sealing keys (issue 5: every secret an enclave holds)', () => {
    const gk = gatekeeperVault();
    const peer = createKeyVault(seededRandom(9).fork('peer'));
    const [share] = gk.shareMasterKeyHistory(peer.identityPublicKey, 5, 0n);
    const labels = () => secretsForLeakScan(gk).map((s) => s.label);
    expect(labels().some((l) => l.startsWith('ECDH agreement (AES-256-GCM key) of master_key_sharing'))).toBe(true);
    expect(peer.acceptMasterKey(share!.key, 0n, 5)._tag).toBe('Right');
    const aes = secretsForLeakScan(peer).find((s) => s.label.startsWith('ECDH agreement'))!;
    const own = leakScanner();
    own.watch(peer);
    expect(own.scan('row', Buffer.from(aes.forms[0]!.bytes).toString('hex'))).toMatchObject({ label: aes.label, encoding: 'hex' });
    const vendor = createAttestationVendor(seededRandom(3).fork('vendor'));
    const platform = createSimulatedPlatform(vendor, seededRandom(3).fork('p'));
    const m = measurementOf('pruntime', '1');
    platform.seal(m, new Uint8Array([1]));
    platform.seal(m, new Uint8Array([2]));
    expect(secretsForLeakScan(platform).map((s) => s.label)).toEqual(['hardware secret', expect.stringMatching(/^sealing key for measurement [0-9a-f]{16}…$/)]);
  });

  it('finds nothing in public output: public keys, signatures, near misses', () => {
    const nearMiss = Buffer.from(seed);
    nearMiss[20] = nearMiss[20]! ^ 1;
    const chunk = Buffer.concat([vault.identityPublicKey, vault.activeMasterKey().publicKey, nearMiss]);
    expect(scanner.scan('bus', chunk)).toBeUndefined();
    expect(scanner.scan('bus', chunk.toString('hex'))).toBeUndefined();
    expect(scanner.scan('bus', chunk.toString('base64'))).toBeUndefined();
  });
});

describe('noSecretLeaked', () => {
  it('passes on clean blocks, fails on a leaked log line without printing the secret', () => {
    const vault = gatekeeperVault();
    const scanner = leakScanner();
    scanner.watch(vault);
    const k = noSecretLeaked(scanner);
    const c = new CheckChain([k]);
    c.produce([]);
    k.onDriverFacts?.({ block: 1, gatekeeperDigests: [], leakChunks: [{ where: 'log:gk-1', bytes: 'rotation done' }] });
    expect(k.finish()).toEqual({ name: 'noSecretLeaked', passed: true });
    const canonical = secretsForLeakScan(vault)[0]!.forms.find((f) => f.form === 'canonical')!.bytes;
    const hex = Buffer.from(canonical).toString('hex');
    k.onDriverFacts?.({ block: 2, gatekeeperDigests: [], leakChunks: [{ where: 'log:gk-1', bytes: `debug key=${hex}` }] });
    const r = k.finish();
    expect(r).toMatchObject({ passed: false, block: 2, detail: 'secret "identity key" (canonical form, as hex text) found in log:gk-1 at byte 10' });
    expect(r.detail).not.toContain(hex.slice(0, 16));
  });

  it('scans the ledger records of every block', () => {
    const vault = gatekeeperVault();
    const scanner = leakScanner();
    scanner.watch(vault);
    const k = noSecretLeaked(scanner);
    const c = new CheckChain([k]);
    const seed = secretsForLeakScan(vault)[0]!.forms[0]!.bytes;
    const b = c.produce([]);
    k.onBlock(c.factsOf({ ...b, header: { ...b.header, number: 2 }, outbound: [Uint8Array.from([1, 2, ...seed])] }));
    expect(k.finish()).toMatchObject({ passed: false, block: 2, detail: 'secret "identity key" (seed form, as raw bytes) found in block #2 outbound message 0 at byte 2' });
  });
});

describe('gatekeepersAgree', () => {
  it('passes when every gatekeeper reports the same digest and fails naming the dissenter', () => {
    const k = gatekeepersAgree();
    k.onDriverFacts?.({ block: 1, gatekeeperDigests: ['gk-1', 'gk-2', 'gk-3'].map((gatekeeper) => ({ gatekeeper, digest: '0xaa' })) });
    expect(k.finish().passed).toBe(true);
    k.onDriverFacts?.({ block: 2, gatekeeperDigests: [{ gatekeeper: 'gk-1', digest: '0xaa' }, { gatekeeper: 'gk-2', digest: '0xbb' }, { gatekeeper: 'gk-3', digest: '0xaa' }] });
    expect(k.finish()).toEqual({ name: 'gatekeepersAgree', passed: false, block: 2, detail: '1 of 3 gatekeepers disagree with the 2 that reported 0xaa: gk-2 reported 0xbb' });
  });
});
