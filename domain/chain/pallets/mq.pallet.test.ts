import { getPublicKey, secretFromSeed, sign } from '@scure/sr25519';
import fc from 'fast-check';
import { type Either, left, right } from 'fp-ts/Either';
import { Enum, Struct, type CodecType, _void } from 'scale-ts';
import { type Message, type MessageOrigin, messageSigningBytes, type SignedMessage } from '../../codec/mq.codec';
import { topicBytes } from '../../codec/topics';
import { createRuntime } from '../../runtime/runtime';
import { Storage } from '../../runtime/storage';
import { decider } from '../../runtime/testing/deciderSpec';
import { type DispatchContext, type DispatchError, definePallet, dispatchError } from '../../runtime/types';
import { checkOffchainMessage, createMqPallet, MQ, type MessageKeyLookup, nextIngressSequence, OffchainIngress, QueuedOutboundMessage, queueGenesisMessage } from './mq.pallet';
import { RuntimePanic } from './runtimePanic';

const secretOf = (n: number) => secretFromSeed(new Uint8Array(32).fill(n));
const worker = { secret: secretOf(1), pubkey: getPublicKey(secretOf(1)) };
const master = { secret: secretOf(9), pubkey: getPublicKey(secretOf(9)) };
const relayer = { type: 'Signed' as const, who: `0x${'11'.repeat(32)}` };
const W: MessageOrigin = { tag: 'Worker', value: worker.pubkey };
const GK: MessageOrigin = { tag: 'Gatekeeper', value: undefined };

/** worker → its own key; gatekeeper → a fixed master key; clusters/contracts unknown */
const lookup: MessageKeyLookup = (_s, o) => {
  switch (o.tag) {
    case 'Worker':
      return right(o.value);
    case 'Gatekeeper':
      return right(master.pubkey);
    case 'Cluster':
      return left(dispatchError('PhalaRegistry', 'UnknownCluster'));
    default:
      return left(dispatchError('PhalaRegistry', 'UnknownContract'));
  }
};

// A probe pallet: its handler on `probe/event` records the message, then fails or panics on demand.
const ProbeEvent = Enum({ Seen: Struct({ payload: _void }) });
const probeHandler = (ctx: DispatchContext, m: Message): Either<DispatchError, void> => {
  ctx.emit('Probe', { tag: 'Seen', value: { payload: undefined } });
  if (m.payload[0] === 0xee) throw new RuntimePanic('ProbePanicked');
  return m.payload[0] === 0xff ? left(dispatchError('Probe', 'HandlerFailed')) : right(undefined);
};
const probe = definePallet<{ tag: 'noop'; value: undefined }, CodecType<typeof ProbeEvent>>({
  name: 'Probe',
  calls: Enum({ noop: _void }),
  events: ProbeEvent,
  dispatch: () => right(undefined),
  evolve: () => {},
  messageHandlers: [{ topic: 'probe/event', handle: probeHandler }, { topic: '^probe/onchain', handle: probeHandler }],
});

const runtime = createRuntime([createMqPallet({ messageKey: lookup }), probe]);
const spec = decider(runtime);

function signed(sender: MessageOrigin, sequence: bigint, secret: Uint8Array, topic = 'probe/event', payload = Uint8Array.of(1)): SignedMessage {
  const message = { sender, destination: topicBytes(topic), payload };
  return { message, sequence, signature: sign(secret, messageSigningBytes(message, sequence)) };
}
const sync = (m: SignedMessage) => ({ tag: MQ, value: { tag: 'sync_offchain_message', value: { signedMessage: m } } });
const accepted = (sender: MessageOrigin, sequence: bigint) => ({ tag: MQ, value: { tag: 'OffchainMessageAccepted', value: { sender, sequence } } });
const seen = { tag: 'Probe', value: { tag: 'Seen', value: { payload: undefined } } };

describe('PhalaMq sync_offchain_message', () => {
  it('accepts the expected sequence, bumps the ingress, routes on-chain and goes off-chain', () => {
    const r = spec.given([]).when(relayer, sync(signed(W, 0n, worker.secret)));
    const s = r.thenEmits([accepted(W, 0n), seen]);
    expect(nextIngressSequence(s, W)).toBe(1n);
    expect(r.outbound).toHaveLength(1);
  });

  it('keeps an on-chain topic out of the outbound list', () => {
    const r = spec.given([]).when(relayer, sync(signed(W, 0n, worker.secret, '^probe/onchain')));
    r.thenEmits([accepted(W, 0n), seen]);
    expect(r.outbound).toEqual([]);
  });

  it('checks in Phala order: BadSender → BadDestination → BadSequence → key → length → signature', () => {
    const pallet: MessageOrigin = { tag: 'Pallet', value: topicBytes('X') };
    spec.given([]).when(relayer, sync(signed(pallet, 5n, worker.secret, '.bad'))).thenRejects('BadSender');
    spec.given([]).when(relayer, sync(signed(W, 5n, worker.secret, '.bad'))).thenRejects('BadDestination');
    spec.given([]).when(relayer, sync(signed(W, 5n, worker.secret, ''))).thenRejects('BadDestination');
    spec.given([]).when(relayer, sync(signed(W, 1n, master.secret))).thenRejects('BadSequence');
    spec.given([accepted(W, 0n)]).when(relayer, sync(signed(W, 0n, worker.secret))).thenRejects('BadSequence');
    const cluster: MessageOrigin = { tag: 'Cluster', value: new Uint8Array(32) };
    spec.given([]).when(relayer, sync({ ...signed(cluster, 0n, worker.secret), signature: new Uint8Array(3) })).thenRejects('UnknownCluster');
    spec.given([]).when(relayer, sync({ ...signed(W, 0n, worker.secret), signature: new Uint8Array(63) })).thenRejects('InvalidSignatureLength');
    spec.given([]).when(relayer, sync(signed(W, 0n, master.secret))).thenRejects('InvalidSignature');
    spec.given([]).when({ type: 'Root' }, sync(signed(W, 0n, worker.secret))).thenRejects('BadOrigin');
  });

  it('verifies gatekeeper messages against the master key', () => {
    spec.given([]).when(relayer, sync(signed(GK, 0n, worker.secret))).thenRejects('InvalidSignature');
    spec.given([]).when(relayer, sync(signed(GK, 0n, master.secret))).thenEmits([accepted(GK, 0n), seen]);
  });

  it('F8: a failing handler is swallowed: sequence consumed, its earlier events kept, message still off-chain', () => {
    const r = spec.given([]).when(relayer, sync(signed(W, 0n, worker.secret, 'probe/event', Uint8Array.of(0xff))));
    const s = r.thenEmits([accepted(W, 0n), seen]);
    expect(nextIngressSequence(s, W)).toBe(1n);
    expect(r.outbound).toHaveLength(1);
  });

  it('F9: a panicking handler makes the whole extrinsic invalid (Panic error, nothing kept)', () => {
    const s = spec.given([]).when(relayer, sync(signed(W, 0n, worker.secret, 'probe/event', Uint8Array.of(0xee)))).thenRejects('ProbePanicked');
    expect(nextIngressSequence(s, W)).toBe(0n);
  });
});

describe('PhalaMq push_message / force_push_pallet_message', () => {
  const push = (tag: string, destination: string) => ({ tag: MQ, value: { tag, value: { destination: topicBytes(destination), payload: Uint8Array.of(7) } } });

  it('push_message sends as AccountId(signer), with no topic check (F8)', () => {
    const r = spec.given([]).when(relayer, push('push_message', 'probe/event'));
    r.thenEmits([seen]);
    expect(r.outbound).toEqual([{ sender: { tag: 'AccountId', value: new Uint8Array(32).fill(0x11) }, destination: topicBytes('probe/event'), payload: Uint8Array.of(7) }]);
    const bad = spec.given([]).when(relayer, push('push_message', '.invalid'));
    bad.thenEmits([]);
    expect(bad.outbound).toEqual([]);
  });

  it('force_push_pallet_message is root only and sends as Pallet("ForcePushed")', () => {
    spec.given([]).when(relayer, push('force_push_pallet_message', 'probe/event')).thenRejects('BadOrigin');
    const r = spec.given([]).when({ type: 'Root' }, push('force_push_pallet_message', 'x/y'));
    r.thenEmits([]);
    expect(r.outbound[0]?.sender).toEqual({ tag: 'Pallet', value: topicBytes('ForcePushed') });
  });
});

describe('PhalaMq genesis queue and pre-check', () => {
  it('dispatches genesis-queued messages in on_initialize, once', () => {
    const storage = new Storage();
    queueGenesisMessage(storage, 'PhalaRegistry', 'probe/event', Uint8Array.of(1));
    queueGenesisMessage(storage, 'PhalaRegistry', 'x/y', Uint8Array.of(2));
    const out = { events: [] as { tag: string; value: { tag: string; value: unknown } }[], outbound: [] as Message[] };
    const ctx = runtime.context(storage, { number: 1, timestampMs: 12_000 }, out);
    runtime.pallet(MQ)?.onInitialize?.(ctx);
    expect(out.events).toEqual([{ tag: MQ, value: { tag: 'QueuedMessagesDispatched', value: { count: 2 } } }, seen]);
    expect(out.outbound.map((m) => m.payload[0])).toEqual([1, 2]);
    expect(QueuedOutboundMessage.get(storage)).toEqual([]);
    runtime.pallet(MQ)?.onInitialize?.(ctx);
    expect(out.outbound).toHaveLength(2);
  });

  it('keeps queue order past the 64 messages of the Vec (the overflow map), and leaves no storage behind', () => {
    const storage = new Storage();
    for (let i = 0; i < 150; i++) queueGenesisMessage(storage, 'PhalaRegistry', 'x/y', Uint8Array.of(i));
    expect(storage.allEntries().filter((e) => e.value !== undefined).length).toBe(1 + 1 + 150 - 64);
    expect(QueuedOutboundMessage.get(storage).map((m) => m.payload[0])).toEqual(Array.from({ length: 150 }, (_, i) => i));
    const out = { events: [] as { tag: string; value: { tag: string; value: unknown } }[], outbound: [] as Message[] };
    runtime.pallet(MQ)?.onInitialize?.(runtime.context(storage, { number: 1, timestampMs: 12_000 }, out));
    expect(out.outbound.map((m) => m.payload[0])).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(storage.allEntries().filter((e) => e.value !== undefined)).toEqual([]);
  });

  it('classifies sequences like CheckMqSequence (stale / ok / future, no cross-sender dependency)', () => {
    const s = new Storage();
    const W2: MessageOrigin = { tag: 'Worker', value: new Uint8Array(32).fill(2) };
    OffchainIngress.set(s, W, 1n);
    OffchainIngress.set(s, W2, 2n);
    const m = (o: MessageOrigin, seq: bigint) => ({ message: { sender: o, destination: topicBytes('a/b'), payload: new Uint8Array() }, sequence: seq, signature: new Uint8Array() });
    expect(checkOffchainMessage(s, m(W, 0n))).toEqual({ stale: { expected: 1n } });
    expect(checkOffchainMessage(s, m(W, 1n))).toBe('ok');
    expect(checkOffchainMessage(s, m(W, 2n))).toEqual({ future: { expected: 1n } });
    expect(checkOffchainMessage(s, m(W2, 2n))).toBe('ok');
    expect(checkOffchainMessage(s, { ...m(W, 1n), message: { ...m(W, 1n).message, destination: new Uint8Array() } })).toEqual({ invalid: 'BadDestination' });
  });
});

describe('PhalaMq codecs and sequence property', () => {
  it('round-trips every call and event through SCALE', () => {
    const items = [
      sync(signed(W, 3n, worker.secret)),
      { tag: MQ, value: { tag: 'push_message', value: { destination: topicBytes('a'), payload: Uint8Array.of(1, 2) } } },
      { tag: MQ, value: { tag: 'force_push_pallet_message', value: { destination: topicBytes('b'), payload: new Uint8Array() } } },
    ];
    for (const c of items) expect(runtime.callCodec.dec(runtime.callCodec.enc(c))).toEqual(c);
    for (const e of [accepted(GK, 2n ** 64n - 1n), { tag: MQ, value: { tag: 'QueuedMessagesDispatched', value: { count: 3 } } }]) {
      expect(runtime.eventCodec.dec(runtime.eventCodec.enc(e))).toEqual(e);
    }
  });

  it('sequences stay contiguous per sender under random valid and invalid submissions', () => {
    // signature verdicts are faked (first byte 1 = valid) so thousands of submissions stay fast
    const fast = createRuntime([createMqPallet({ messageKey: lookup, verify: (_m, sig) => sig[0] === 1 }), probe]);
    const senders: MessageOrigin[] = [W, GK, { tag: 'Worker', value: new Uint8Array(32).fill(3) }];
    const submission = fc.record({ who: fc.integer({ min: 0, max: 2 }), delta: fc.integer({ min: -2, max: 2 }), valid: fc.boolean() });
    fc.assert(
      fc.property(fc.array(submission, { maxLength: 60 }), (subs) => {
        const storage = new Storage();
        const accepted = new Map<number, bigint[]>();
        for (const { who, delta, valid } of subs) {
          const sender = senders[who]!;
          const seq = nextIngressSequence(storage, sender) + BigInt(delta);
          if (seq < 0n) continue;
          const sig = new Uint8Array(64).fill(valid ? 1 : 0);
          const m = { message: { sender, destination: topicBytes('a/b'), payload: new Uint8Array() }, sequence: seq, signature: sig };
          const r = fast.applyCall(storage, { number: 1, timestampMs: 0 }, relayer, sync(m));
          for (const e of r.events) {
            if (e.value.tag === 'OffchainMessageAccepted') accepted.set(who, [...(accepted.get(who) ?? []), seq]);
          }
          expect(r.result._tag === 'Right').toBe(delta === 0 && valid);
        }
        senders.forEach((sender, i) => {
          const seqs = accepted.get(i) ?? [];
          expect(seqs).toEqual(seqs.map((_, k) => BigInt(k)));
          expect(nextIngressSequence(storage, sender)).toBe(BigInt(seqs.length));
        });
      }),
      { numRuns: 200 },
    );
  });
});
