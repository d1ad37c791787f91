import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';

export class CsvSyntaxError extends Error {}

/**
 * Splits one CSV line into fields (RFC 4180 quoting: "a, b" and "" inside quotes). UNHCR's
 * file quotes names with commas ("China, Hong Kong SAR") and has no line breaks in fields.
 */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '"' && field === '') quoted = true;
    else field += char;
  }
  if (quoted) throw new CsvSyntaxError('unterminated quoted field');
  fields.push(field);
  return fields;
}

/** The lines of a stream, numbered from 1, without holding the whole stream in memory. */
export async function* numberedLines(input: Readable): AsyncGenerator<{ number: number; text: string }> {
  let number = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    number += 1;
    yield { number, text: number === 1 ? text.replace(/^\uFEFF/, '') : text };
  }
}
