import { toJson } from './output';

describe('toJson', () => {
  it('writes bigints as decimal strings, even beyond 2^53', () => {
    expect(toJson({ a: 2n ** 64n, b: [1n, -3n] })).toBe('{"a":"18446744073709551616","b":["1","-3"]}');
  });
  it('writes byte arrays as 0x hex', () => {
    expect(toJson({ h: new Uint8Array([0, 255, 16]) })).toBe('{"h":"0x00ff10"}');
  });
});
