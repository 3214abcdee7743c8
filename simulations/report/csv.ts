/**
 * RFC 4180 CSV: records end with CRLF, a field holding a comma, a double quote, CR or LF is
 * quoted and its quotes doubled. The parser accepts CRLF or bare LF line ends (files edited on
 * other systems) and an optional final line end.
 */

const NEEDS_QUOTES = /[",\r\n]/;

/** One field, quoted only when RFC 4180 requires it. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One record with its CRLF terminator. */
export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** All records of `text`; throws a `SyntaxError` with the line number on a malformed quote. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let i = 0;
  const endField = () => {
    fields.push(field);
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === '') {
      const close = parseQuoted(text, i, line);
      field = close.value;
      line += close.newlines;
      i = close.next;
      const after = text[i];
      if (after !== undefined && after !== ',' && after !== '\r' && after !== '\n') {
        throw new SyntaxError(`CSV line ${line}: text after a closing quote`);
      }
      continue;
    }
    if (c === ',') endField();
    else if (c === '\r' || c === '\n') {
      endField();
      records.push(fields);
      fields = [];
      line++;
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (field !== '' || fields.length > 0) {
    endField();
    records.push(fields);
  }
  return records;
}

function parseQuoted(text: string, open: number, line: number): { value: string; next: number; newlines: number } {
  let value = '';
  let newlines = 0;
  let i = open + 1;
  for (;;) {
    const close = text.indexOf('"', i);
    if (close < 0) throw new SyntaxError(`CSV line ${line}: unterminated quoted field`);
    const chunk = text.slice(i, close);
    value += chunk;
    newlines += chunk.split('\n').length - 1;
    if (text[close + 1] === '"') {
      value += '"';
      i = close + 2;
    } else return { value, next: close + 1, newlines };
  }
}
