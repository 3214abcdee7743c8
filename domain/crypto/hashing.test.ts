import { blake2AsU8a } from '@polkadot/util-crypto';
import fc from 'fast-check';
import { blake2_128, blake2_256 } from './hashing';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('blake2 hashing', () => {
  it('matches the published blake2b-256 and blake2b-128 digests of the empty string', () => {
    expect(hex(blake2_256(new Uint8Array()))).toBe('0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8');
    expect(hex(blake2_128(new Uint8Array()))).toBe('cae66941d9efbd404e4d88758ea67670');
  });

  it('agrees with @polkadot/util-crypto blake2AsU8a (Substrate blake2_256 / blake2_128)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(hex(blake2_256(data))).toBe(hex(blake2AsU8a(data, 256)));
        expect(hex(blake2_128(data))).toBe(hex(blake2AsU8a(data, 128)));
      }),
    );
  });
});
