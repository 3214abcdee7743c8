import * as E from 'fp-ts/Either';
import { contentRoots } from '../../domain/chain/block';
import { genesis as genesisOf, produceBlock } from '../../domain/chain/executive';
import * as chainForTests from '../../domain/chain/testing/chainForTests';
import { blockHash } from '../../domain/codec/blockHeader.codec';
import { listProof } from '../../domain/codec/listRoot';
import { MessageScale } from '../../domain/codec/mq.codec';
import { createVerifiedChain, verifyBlock, verifyOutboundMessage } from './blockView';
import { challengeMessage, genesisHeader, nextBlock, workerEventMessage } from './testing/pruntimeFixtures';

const pk = new Uint8Array(32).fill(7);
const messages = [
  workerEventMessage(pk, { tag: 'Registered', value: { confidenceLevel: 1 } }),
  { sender: { tag: 'Pallet' as const, value: Uint8Array.of(1) }, destination: new TextEncoder().encode('phala/other'), payload: Uint8Array.of(9) },
  challengeMessage(5n, 10n),
];
const genesis = genesisHeader();
const block = nextBlock(genesis, messages);

const tag = <L extends { _tag: string }, R>(e: E.Either<L, R>) => (E.isLeft(e) ? e.left._tag : 'ok');

describe('verifyBlock', () => {
  it('accepts a linked block and decodes its messages in order, system events once', () => {
    const view = verifyBlock(genesis, block);
    if (E.isLeft(view)) throw new Error(view.left._tag);
    expect(view.right.number).toBe(1);
    expect(view.right.nowMs).toBe(block.header.timestamp);
    expect(view.right.hash).toEqual(blockHash(block.header));
    expect(view.right.messages.map((m) => m.message)).toEqual(messages);
    expect(view.right.messages.map((m) => m.systemEvent?.tag)).toEqual(['WorkerEvent', undefined, 'HeartbeatChallenge']);
  });

  it('refuses a bad parent hash, a gap, a tampered, dropped or reordered outbound message', () => {
    const badParent = { ...block, header: { ...block.header, parentHash: new Uint8Array(32) } };
    expect(tag(verifyBlock(genesis, badParent))).toBe('ParentHashMismatch');
    expect(tag(verifyBlock(genesis, nextBlock(block.header, [])))).toBe('NotContiguous');
    const tampered = block.outbound.map((b, i) => (i === 2 ? MessageScale.encode(challengeMessage(5n, 2n ** 255n)) : b));
    expect(tag(verifyBlock(genesis, { ...block, outbound: tampered }))).toBe('OutboundRootMismatch');
    expect(tag(verifyBlock(genesis, { ...block, outbound: block.outbound.slice(1) }))).toBe('OutboundRootMismatch');
    expect(tag(verifyBlock(genesis, { ...block, outbound: [...block.outbound].reverse() }))).toBe('OutboundRootMismatch');
  });

  it('refuses an undecodable message only once it is authenticated (the producer wrote it)', () => {
    const outbound = [Uint8Array.of(0xfe)];
    const b = nextBlock(genesis, []);
    expect(tag(verifyBlock(genesis, { ...b, outbound }))).toBe('OutboundRootMismatch');
    const header = { ...b.header, outboundRoot: contentRoots({ genesis: undefined, extrinsics: [], events: [], outbound }).outboundRoot };
    expect(tag(verifyBlock(genesis, { ...b, header, outbound }))).toBe('MalformedOutboundMessage');
  });
});

describe('verifyOutboundMessage', () => {
  it('authenticates one message by its inclusion proof, and only at its index', () => {
    const proof = listProof(block.outbound, 2);
    expect(E.isRight(verifyOutboundMessage(block.header, block.outbound[2]!, proof))).toBe(true);
    expect(tag(verifyOutboundMessage(block.header, block.outbound[1]!, proof))).toBe('OutboundRootMismatch');
  });
});

describe('createVerifiedChain', () => {
  it('verifies each block once: every host of the process gets the same view object', () => {
    const chain = createVerifiedChain(genesis);
    const a = chain.advance(block);
    const b = chain.advance(block);
    expect(E.isRight(a) && E.isRight(b) && a.right === b.right).toBe(true);
    expect(chain.head()).toBe(block.header);
    const other = nextBlock(genesis, []);
    expect(tag(chain.advance(other))).toBe('ConflictingBlock');
    expect(tag(chain.advance(nextBlock(block.header, [])))).toBe('ok');
  });
});

describe('blocks of the real executive', () => {
  it('are accepted after the genesis header they link to', () => {
    const { smallRuntime, testAccount, testSpec } = chainForTests;
    const runtime = smallRuntime();
    const g = genesisOf(runtime, testSpec(runtime, testAccount('root'), []));
    const limits = { maxExtrinsics: 10, maxBytes: 1 << 20 };
    const b1 = produceBlock(g.chain, { timestampMs: 1_700_000_012_000, author: new Uint8Array(32), pool: [], limits }).block;
    const view = verifyBlock(g.block.header, b1);
    expect(E.isRight(view) && view.right.nowMs).toBe(1_700_000_012_000n);
    expect(tag(verifyBlock(b1.header, produceBlock(g.chain, { timestampMs: 1_700_000_024_000, author: new Uint8Array(32), pool: [], limits }).block))).toBe('ok');
  });
});
