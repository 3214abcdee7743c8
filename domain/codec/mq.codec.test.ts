import { cryptoWaitReady, sr25519PairFromSeed, sr25519Sign, sr25519Verify } from '@polkadot/util-crypto';
import { toHexPlain } from './hex';
import {
  isOffchainOrigin,
  type Message,
  type MessageOrigin,
  MessageOriginScale,
  MessageScale,
  messageSigningBytes,
  originKey,
  SignedContentType,
  SignedMessageScale,
  wrapContentToSign,
} from './mq.codec';
import { commandTopic, isOffchainTopic, isValidTopic, topicBytes, topics } from './topics';

const b32 = (x: number) => new Uint8Array(32).fill(x);
const utf8 = (s: string) => new TextEncoder().encode(s);
const h = (b: Uint8Array) => toHexPlain(b);

beforeAll(async () => {
  await cryptoWaitReady();
});

describe('MessageOrigin', () => {
  const cases: Array<[MessageOrigin, string]> = [
    [{ tag: 'Pallet', value: utf8('PhalaRegistry') }, `0034${h(utf8('PhalaRegistry'))}`],
    [{ tag: 'Contract', value: b32(1) }, `01${'01'.repeat(32)}`],
    [{ tag: 'Worker', value: b32(2) }, `02${'02'.repeat(32)}`],
    [{ tag: 'AccountId', value: b32(3) }, `03${'03'.repeat(32)}`],
    [{ tag: 'MultiLocation', value: Uint8Array.of(0) }, '040400'],
    [{ tag: 'Gatekeeper', value: undefined }, '05'],
    [{ tag: 'Cluster', value: b32(6) }, `06${'06'.repeat(32)}`],
    [{ tag: 'Reserved', value: undefined }, 'ff'],
  ];
  it.each(cases.map(([o, e]) => [o.tag, o, e] as const))('encodes %s with its Phala variant index', (_tag, origin, expected) => {
    expect(h(MessageOriginScale.encode(origin))).toBe(expected);
    expect(MessageOriginScale.decode(Buffer.from(expected, 'hex'))).toEqual(origin);
  });

  it('rejects the unused indices 7..254', () => {
    for (const i of [7, 100, 254]) expect(() => MessageOriginScale.decode(Uint8Array.of(i))).toThrow(/unknown variant index/);
  });

  it('keys origins by their encoding', () => {
    const keys = cases.map(([o]) => originKey(o));
    expect(new Set(keys).size).toBe(cases.length);
    expect(originKey({ tag: 'Worker', value: b32(2) })).toBe(`02${'02'.repeat(32)}`);
  });

  it('knows which origins are off-chain', () => {
    expect(cases.filter(([o]) => isOffchainOrigin(o)).map(([o]) => o.tag)).toEqual(['Contract', 'Worker', 'Gatekeeper', 'Cluster']);
  });
});

describe('Message and SignedMessage', () => {
  const message: Message = { sender: { tag: 'Gatekeeper', value: undefined }, destination: utf8('topic'), payload: utf8('payload') };

  it('lays out a message as sender ‖ topic ‖ payload', () => {
    expect(h(MessageScale.encode(message))).toBe(`05 14${h(utf8('topic'))} 1c${h(utf8('payload'))}`.replace(/ /g, ''));
  });

  it('signs SCALE({message, sequence}) unwrapped, and the signature verifies', () => {
    const signing = messageSigningBytes(message, 7n);
    expect(h(signing)).toBe(`${h(MessageScale.encode(message))}0700000000000000`);
    const pair = sr25519PairFromSeed(utf8('12345678901234567890123456789012'));
    const signature = sr25519Sign(signing, pair);
    const signed = { message, sequence: 7n, signature };
    const back = SignedMessageScale.decode(SignedMessageScale.encode(signed));
    expect(back).toEqual(signed);
    expect(sr25519Verify(messageSigningBytes(back.message, back.sequence), back.signature, pair.publicKey)).toBe(true);
    expect(sr25519Verify(messageSigningBytes(back.message, 8n), back.signature, pair.publicKey)).toBe(false);
  });

  it('encodes a signed message as message ‖ u64 sequence ‖ Vec signature', () => {
    const bytes = SignedMessageScale.encode({ message, sequence: 1n, signature: Uint8Array.of(9, 9) });
    expect(h(bytes)).toBe(`${h(MessageScale.encode(message))}0100000000000000080909`);
  });

  it('wraps non-mq signed content as 0xff ‖ type ‖ data', () => {
    const data = Uint8Array.of(1, 2);
    expect(h(wrapContentToSign(data, SignedContentType.MqMessage))).toBe('0102');
    expect(h(wrapContentToSign(data, SignedContentType.EndpointInfo))).toBe('ff020102');
    expect(h(wrapContentToSign(data, SignedContentType.EventChainBlock))).toBe('ff060102');
  });
});

describe('topics', () => {
  it('validates like Topic::is_valid / is_offchain', () => {
    expect(isValidTopic(utf8('topic'))).toBe(true);
    expect(isOffchainTopic(utf8('topic'))).toBe(true);
    expect(isValidTopic(utf8('^topic'))).toBe(true);
    expect(isOffchainTopic(utf8('^topic'))).toBe(false);
    expect(isValidTopic(new Uint8Array(0))).toBe(false);
    expect(isOffchainTopic(new Uint8Array(0))).toBe(false);
    for (const ch of "~!@#$%&*_+-=|<>?,./;:'") expect(isValidTopic(utf8(`${ch}x`))).toBe(false);
  });

  it('marks exactly the on-chain-only bound topics with ^', () => {
    const onchain = Object.values(topics).filter((t) => !isOffchainTopic(topicBytes(t)));
    expect(onchain.sort()).toEqual(
      ['^phala/mining/update', '^phala/registry/cluster', '^phala/registry/contract', '^phala/registry/event', '^phala/registry/gk_event'].sort(),
    );
  });

  it('builds the command topic as Phala does (helper_fn_works)', () => {
    const expected = `phala/contract/${'01'.repeat(32)}/command`;
    expect(commandTopic(b32(1))).toBe(expected);
    expect(commandTopic(`0x${'01'.repeat(32)}`)).toBe(expected);
    expect(() => commandTopic('0x0101')).toThrow(/32 bytes/);
  });
});
