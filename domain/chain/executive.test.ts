import fc from 'fast-check';
import { blockHash } from '../codec/blockHeader.codec';
import { stateTreeFromEntries } from '../stateRoot/stateTree';
import { blockCodec, contentRoots, eventRecordCodec } from './block';
import { executeBlock, genesis, InvalidBlock, produceBlock } from './executive';
import { account } from './pallets/balances.pallet';
import { smallRuntime, testAccount, testSpec } from './testing/chainForTests';

const alice = testAccount('alice');
const bob = testAccount('bob');
const root = testAccount('root');
const limits = { maxExtrinsics: 100, maxBytes: 1 << 20 };
const AUTHOR = new Uint8Array(32).fill(7);
const transfer = (dest: string, value: bigint) => ({ tag: 'Balances', value: { tag: 'transfer', value: { dest, value } } });

function setup() {
  const runtime = smallRuntime();
  const spec = testSpec(runtime, root, [[alice, 1_000n], [bob, 10n]]);
  return { runtime, spec, ...genesis(runtime, spec) };
}

describe('genesis', () => {
  it('is deterministic and applies the recorded genesis calls', () => {
    const a = setup();
    const b = setup();
    expect(a.chain.genesisHash).toBe(b.chain.genesisHash);
    expect(account(a.chain.storage, alice.id).free).toBe(1_000n);
    expect(a.block.genesis).toBeDefined();
    expect(contentRoots(a.block)).toEqual({ extrinsicsRoot: a.block.header.extrinsicsRoot, eventsRoot: a.block.header.eventsRoot, outboundRoot: a.block.header.outboundRoot });
  });

  it('refuses a spec whose genesis call fails', () => {
    const runtime = smallRuntime();
    const spec = testSpec(runtime, root, []);
    const bad = { ...spec, genesisCalls: [runtime.callCodec.enc(transfer(bob.id, 1n))] };
    expect(() => genesis(runtime, bad)).toThrow(/genesis call 0 \(Balances.transfer\) failed: System.BadOrigin/);
  });
});

describe('block production', () => {
  it('applies a transfer, bumps the nonce and links the header to its parent', () => {
    const { runtime, chain } = setup();
    const parent = chain.head;
    const x = alice.sign(runtime, transfer(bob.id, 100n), 0, chain.genesisHash);
    const p = produceBlock(chain, { timestampMs: 1_700_000_012_000, author: AUTHOR, pool: [x], limits });
    expect(p.included).toEqual([0]);
    expect(account(chain.storage, alice.id)).toEqual({ nonce: 1, free: 900n });
    expect(account(chain.storage, bob.id).free).toBe(110n);
    expect(p.block.header.parentHash).toEqual(blockHash(parent));
    expect(p.block.header.stateRoot).not.toEqual(parent.stateRoot);
    expect(contentRoots(p.block).eventsRoot).toEqual(p.block.header.eventsRoot);
  });

  it('a failed call emits ExtrinsicFailed, uses the nonce and changes nothing else', () => {
    const { runtime, chain } = setup();
    const x = bob.sign(runtime, transfer(alice.id, 11n), 0, chain.genesisHash);
    const p = produceBlock(chain, { timestampMs: 1_700_000_012_000, author: AUTHOR, pool: [x], limits });
    expect(p.included).toEqual([0]);
    expect(account(chain.storage, bob.id)).toEqual({ nonce: 1, free: 10n });
    const events = p.block.events.map((e) => eventRecordCodec(runtime.eventCodec).dec(e).event);
    expect(events).toContainEqual({ tag: 'Balances', value: { tag: 'ExtrinsicFailed', value: { who: bob.id, nonce: 0, pallet: 'Balances', error: 'InsufficientBalance' } } });
  });

  it('rejects what can never be valid, with the reason, and keeps what waits', () => {
    const { runtime, chain } = setup();
    const good = alice.sign(runtime, transfer(bob.id, 1n), 0, chain.genesisHash);
    const forged = Uint8Array.from(good);
    forged[forged.length - 1]! ^= 1;
    const otherChain = alice.sign(runtime, transfer(bob.id, 1n), 0, `0x${'11'.repeat(32)}`);
    const future = alice.sign(runtime, transfer(bob.id, 1n), 5, chain.genesisHash);
    const garbage = Uint8Array.of(1, 2, 3);
    const p = produceBlock(chain, { timestampMs: 1_700_000_012_000, author: AUTHOR, pool: [forged, otherChain, future, garbage, good], limits });
    expect(p.included).toEqual([4]);
    expect(p.rejected).toEqual([
      { index: 0, reason: 'BadSignature' },
      { index: 1, reason: 'BadSignature' },
      { index: 3, reason: 'MalformedExtrinsic' },
    ]);
    expect(p.waiting).toEqual([2]);
    const stale = alice.sign(runtime, transfer(bob.id, 1n), 0, chain.genesisHash);
    const q = produceBlock(chain, { timestampMs: 1_700_000_024_000, author: AUTHOR, pool: [stale], limits });
    expect(q.rejected).toEqual([{ index: 0, reason: 'StaleNonce' }]);
  });

  it('puts one sender\'s out-of-order arrivals in nonce order within a block', () => {
    const { runtime, chain } = setup();
    const n1 = alice.sign(runtime, transfer(bob.id, 1n), 1, chain.genesisHash);
    const n0 = alice.sign(runtime, transfer(bob.id, 2n), 0, chain.genesisHash);
    const p = produceBlock(chain, { timestampMs: 1_700_000_012_000, author: AUTHOR, pool: [n1, n0], limits });
    expect(p.included).toEqual([1, 0]);
    expect(account(chain.storage, alice.id).nonce).toBe(2);
  });

  it('respects the per-block count limit', () => {
    const { runtime, chain } = setup();
    const pool = [0, 1, 2].map((n) => alice.sign(runtime, transfer(bob.id, 1n), n, chain.genesisHash));
    const p = produceBlock(chain, { timestampMs: 1_700_000_012_000, author: AUTHOR, pool, limits: { maxExtrinsics: 2, maxBytes: 1 << 20 } });
    expect(p.included).toEqual([0, 1]);
    expect(p.waiting).toEqual([2]);
  });

  it('refuses a timestamp that does not move forward', () => {
    const { chain } = setup();
    expect(() => produceBlock(chain, { timestampMs: 1_700_000_000_000, author: AUTHOR, pool: [], limits })).toThrow(/not after its parent/);
  });
});

describe('governance through the root account', () => {
  const forceEndow = (runtime: ReturnType<typeof smallRuntime>, who: string) =>
    ({ tag: 'Sudo', value: { tag: 'sudo', value: { call: runtime.callCodec.enc({ tag: 'Balances', value: { tag: 'forceEndow', value: { who, amount: 5n, memo: undefined } } }) } } });
  it('sudo dispatches the inner call as Root', () => {
    const { runtime, chain } = setup();
    const p = produceBlock(chain, { timestampMs: 1_700_000_012_000, author: AUTHOR, pool: [root.sign(runtime, forceEndow(runtime, bob.id), 0, chain.genesisHash)], limits });
    expect(p.included).toEqual([0]);
    expect(account(chain.storage, bob.id).free).toBe(15n);
  });
  it('anyone else gets RequireSudo and nothing changes', () => {
    const { runtime, chain } = setup();
    produceBlock(chain, { timestampMs: 1_700_000_012_000, author: AUTHOR, pool: [alice.sign(runtime, forceEndow(runtime, bob.id), 0, chain.genesisHash)], limits });
    expect(account(chain.storage, bob.id).free).toBe(10n);
    expect(account(chain.storage, alice.id).nonce).toBe(1);
  });
});

describe('replay', () => {
  it('executing the produced blocks on a second chain gives byte-identical blocks', () => {
    const a = setup();
    const b = setup();
    for (let n = 1; n <= 5; n++) {
      const pool = [alice.sign(a.runtime, transfer(bob.id, BigInt(n)), n - 1, a.chain.genesisHash)];
      const produced = produceBlock(a.chain, { timestampMs: 1_700_000_000_000 + 12_000 * n, author: AUTHOR, pool, limits }).block;
      const replayed = executeBlock(b.chain, { timestampMs: Number(produced.header.timestamp), author: produced.header.author, extrinsics: produced.extrinsics });
      expect(blockCodec.enc(replayed)).toEqual(blockCodec.enc(produced));
    }
  });
  it('an invalid extrinsic in an imported block names the block and the extrinsic', () => {
    const { chain } = setup();
    expect(() => executeBlock(chain, { timestampMs: 1_700_000_012_000, author: AUTHOR, extrinsics: [Uint8Array.of(9)] })).toThrow(InvalidBlock);
  });
});

describe('state root', () => {
  it('the incremental root equals a from-scratch root, and PHA issuance is constant (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 1_200n })), { maxLength: 12 }), (transfers) => {
        const { runtime, chain } = setup();
        const nonces = new Map<string, number>();
        transfers.forEach(([fromAlice, amount], n) => {
          const [from, to] = fromAlice ? [alice, bob] : [bob, alice];
          const nonce = nonces.get(from.id) ?? 0;
          nonces.set(from.id, nonce + 1);
          produceBlock(chain, { timestampMs: 1_700_000_000_000 + 12_000 * (n + 1), author: AUTHOR, pool: [from.sign(runtime, transfer(to.id, amount), nonce, chain.genesisHash)], limits });
        });
        const fresh = stateTreeFromEntries(chain.storage.allEntries().map((e) => [e.key, e.value!] as const));
        expect(fresh.root()).toEqual(chain.head.stateRoot);
        expect(account(chain.storage, alice.id).free + account(chain.storage, bob.id).free).toBe(1_010n);
      }),
      { numRuns: 25 },
    );
  });
});

describe('panics inside an extrinsic (§14 F9, F25)', () => {
  it('a call that throws is never included, changes nothing, and the next extrinsic still applies', () => {
    const { runtime, chain } = setup();
    const original = runtime.pallet('Balances')!.dispatch;
    let armed = true;
    // the pallet panics on its first dispatch only, after emitting an event (which must not survive)
    (runtime.pallet('Balances') as { dispatch: typeof original }).dispatch = (ctx, origin, call) => {
      if (armed) {
        armed = false;
        original(ctx, origin, call);
        throw new Error('subsidy pool exhausted');
      }
      return original(ctx, origin, call);
    };
    try {
      const before = account(chain.storage, alice.id);
      const first = alice.sign(runtime, transfer(bob.id, 5n), 0, chain.genesisHash);
      const p = produceBlock(chain, { timestampMs: 1_700_000_012_000, author: AUTHOR, pool: [first], limits });
      expect(p.rejected).toEqual([{ index: 0, reason: 'Panic:subsidy pool exhausted' }]);
      expect(account(chain.storage, alice.id)).toEqual(before);
      expect(chain.storage.depth).toBe(0);
      const again = alice.sign(runtime, transfer(bob.id, 5n), 0, chain.genesisHash);
      const q = produceBlock(chain, { timestampMs: 1_700_000_024_000, author: AUTHOR, pool: [again], limits });
      expect(q.included).toEqual([0]);
      expect(account(chain.storage, alice.id).free).toBe(before.free - 5n);
    } finally {
      (runtime.pallet('Balances') as { dispatch: typeof original }).dispatch = original;
    }
  });
});
