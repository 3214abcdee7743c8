import { isLeft, isRight } from 'fp-ts/Either';
import { PathReporter } from 'io-ts/PathReporter';
import { SignedMessageScale } from './mq.codec';
import { scaleHexIo } from './scaleHex.io';

describe('scaleHexIo', () => {
  const io = scaleHexIo(SignedMessageScale);
  const value = { message: { sender: { tag: 'Gatekeeper' as const, value: undefined }, destination: Uint8Array.of(0x61), payload: Uint8Array.of() }, sequence: 3n, signature: Uint8Array.of(1) };

  it('round-trips a value through hex text', () => {
    const text = io.encode(value);
    expect(text).toBe('0x0504610003000000000000000401');
    const back = io.decode(text);
    expect(isRight(back) && back.right).toEqual(value);
  });

  it('fails with the decoder reason on bad input', () => {
    const trailing = io.decode('0x050461000300000000000000040100');
    expect(isLeft(trailing)).toBe(true);
    expect(PathReporter.report(trailing).join('\n')).toMatch(/1 trailing byte/);
    expect(isLeft(io.decode('0xzz'))).toBe(true);
    expect(isLeft(io.decode(5))).toBe(true);
  });
});
