import fc from 'fast-check';
import { csvField, csvRecord, parseCsv } from './csv';

describe('RFC 4180 CSV', () => {
  it('quotes only fields that need it and ends records with CRLF', () => {
    expect(csvRecord(['a', 'b,c', 'say "hi"', 'x\ny', ''])).toBe('a,"b,c","say ""hi""","x\ny",\r\n');
    expect(csvField('12.5')).toBe('12.5');
  });

  it('parses back any records it writes', () => {
    const record = fc.array(fc.string({ unit: fc.constantFrom('a', '1', ',', '"', '\r', '\n', ' ', 'é') }), { minLength: 2, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 8 }), (records) => {
        expect(parseCsv(records.map(csvRecord).join(''))).toEqual(records);
      }),
    );
  });

  it('accepts LF line ends and a missing final line end; rejects an open quote', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(() => parseCsv('a,"b\r\n')).toThrow(/line 1: unterminated/);
    expect(() => parseCsv('"a"b,c')).toThrow(/after a closing quote/);
  });
});
