import fc from 'fast-check';
import { blockHash, BlockHeaderScale } from './blockHeader.codec';
import { toHexPlain } from './hex';
import { EMPTY_LIST_ROOT, listProof, listRoot, verifyListProof } from './listRoot';

const k = (x: number) => new Uint8Array(32).fill(x);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('block header', () => {
  const header = { number: 7, parentHash: k(1), timestamp: 1_700_000_000_000n, extrinsicsRoot: k(2), eventsRoot: k(3), outboundRoot: k(4), stateRoot: k(5), author: k(6) };

  it('encodes the fields in ARCHITECTURE order, 204 bytes', () => {
    const bytes = BlockHeaderScale.encode(header);
    expect(bytes.length).toBe(204);
    expect(toHexPlain(bytes.subarray(0, 4))).toBe('07000000');
    expect(toHexPlain(bytes.subarray(36, 44))).toBe('0068e5cf8b010000');
    expect(BlockHeaderScale.decode(bytes)).toEqual(header);
  });

  it('hashes with blake2_256 of the encoding (vector computed with Python hashlib)', () => {
    expect(toHexPlain(blockHash(header))).toBe('b5446fe66af8d4289ec627e75397129c17cb2e4dc3ad09fdd58143333e555c06');
    expect(toHexPlain(blockHash({ ...header, number: 8 }))).not.toBe('b5446fe66af8d4289ec627e75397129c17cb2e4dc3ad09fdd58143333e555c06');
  });
});

describe('listRoot', () => {
  it('has fixed roots for small lists (vectors computed with Python hashlib)', () => {
    expect(toHexPlain(listRoot([]))).toBe('55dc175f6194b825b1ca9c93d50df003124eb683dabf91a9e4d8b36066d4297c');
    expect(toHexPlain(EMPTY_LIST_ROOT)).toBe('55dc175f6194b825b1ca9c93d50df003124eb683dabf91a9e4d8b36066d4297c');
    expect(toHexPlain(listRoot([utf8('a')]))).toBe('f7aa4ea380d9926038742b6eba500f33e5e7fa3ec58f8a28fec5afce5d98a081');
    expect(toHexPlain(listRoot([utf8('a'), utf8('b')]))).toBe('28dc9d4e4d6bf756732d643bfb6d3256c5e80a2db97b02c09e9110516be154b1');
    expect(toHexPlain(listRoot([utf8('a'), utf8('b'), utf8('c')]))).toBe('4e1f56c03d1c8cefbde9aca94bbaea491eb71b9cf197aaa953e637394dad5880');
  });

  it('distinguishes order, duplication and concatenation', () => {
    const [a, b] = [utf8('a'), utf8('b')];
    const roots = [listRoot([a, b]), listRoot([b, a]), listRoot([a, b, b]), listRoot([utf8('ab')]), listRoot([a])].map(toHexPlain);
    expect(new Set(roots).size).toBe(roots.length);
  });

  it('proves every member and nothing else', () => {
    const items = fc.uniqueArray(fc.uint8Array({ maxLength: 16 }), { minLength: 1, maxLength: 40, selector: (b) => toHexPlain(b) });
    fc.assert(
      fc.property(items, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 }), (list, n, junk) => {
        const index = n % list.length;
        const root = listRoot(list);
        const proof = listProof(list, index);
        expect(verifyListProof(root, list[index]!, proof)).toBe(true);
        expect(verifyListProof(root, new Uint8Array([...list[index]!, ...junk]), proof)).toBe(false);
        if (list.length > 1) {
          const other = (index + 1) % list.length;
          expect(verifyListProof(root, list[index]!, { ...proof, index: other })).toBe(false);
          expect(verifyListProof(root, list[index]!, { ...proof, size: list.length + 1 })).toBe(false);
        }
        expect(verifyListProof(listRoot([...list, junk]), list[index]!, proof)).toBe(false);
      }),
    );
  });

  it('rejects proofs for impossible positions', () => {
    expect(() => listProof([utf8('a')], 1)).toThrow(RangeError);
    const root = listRoot([utf8('a')]);
    expect(verifyListProof(root, utf8('a'), { index: 0, size: 1, siblings: [] })).toBe(true);
    expect(verifyListProof(root, utf8('a'), { index: 1, size: 1, siblings: [] })).toBe(false);
    expect(verifyListProof(root, utf8('a'), { index: 0, size: 1, siblings: [root] })).toBe(false);
  });
});
