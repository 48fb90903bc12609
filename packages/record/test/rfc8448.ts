// Reads the labelled hex dumps of RFC 8448 (test/vectors/rfc8448.txt, the RFC verbatim):
// `section(3, '{client}  send application_data record')` then `.get('complete record')`.
import { readFileSync } from 'node:fs';

const text = readFileSync(new URL('./vectors/rfc8448.txt', import.meta.url), 'utf8')
  // Drop the page footers and headers so hex dumps continue across pages.
  .replace(
    /\n\n*Thomson {2,}Informational {2,}\[Page \d+\]\n\f?\nRFC 8448 {2,}TLS 1.3 Traces {2,}January 2019\n\n/g,
    '\n',
  );

function chapter(number: number): string {
  const start = text.search(new RegExp(`\\n${number}\\.  [A-Z]`));
  const end = text.search(new RegExp(`\\n${number + 1}\\.  [A-Z]`));
  if (start < 0) throw new Error(`RFC 8448 has no section ${number}`);
  return text.slice(start, end < 0 ? undefined : end);
}

export interface Rfc8448Step {
  get(label: string): Uint8Array;
}

/** The `occurrence`-th step of section `number` whose heading starts with `heading`. */
export function rfc8448Step(number: number, heading: string, occurrence = 0): Rfc8448Step {
  const body = chapter(number);
  const steps = body.split(/\n {3}(?=\{(?:client|server)\})/);
  const matching = steps.filter((step) => step.replace(/\s+/g, ' ').startsWith(heading.replace(/\s+/g, ' ')));
  const step = matching[occurrence];
  if (step === undefined) throw new Error(`RFC 8448 §${number} has no step "${heading}" #${occurrence}`);
  return {
    get(label: string): Uint8Array {
      const match = new RegExp(
        `\\n {6}${label.replace(/[()]/g, '\\$&')} \\((\\d+) octets\\):((?:\\s+[0-9a-f]{2}(?![0-9A-Za-z]))+)`,
      ).exec(step);
      if (match === null) throw new Error(`step "${heading}" has no "${label}"`);
      const bytes = Uint8Array.from(match[2]!.trim().split(/\s+/), (hex) => Number.parseInt(hex, 16));
      if (bytes.length !== Number(match[1]))
        throw new Error(`"${label}": ${bytes.length} bytes, RFC says ${match[1]}`);
      return bytes;
    },
  };
}

/** Hex of bytes whatever their class (Buffer or Uint8Array), for readable comparisons. */
export function hex(bytes: Uint8Array | undefined): string | undefined {
  return bytes === undefined
    ? undefined
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}
