// Parses the RFC 8448 traces pasted verbatim in test/vectors/rfc8448/: each step is a
// `{client}` or `{server}` line with a title, followed by `label (N octets):  hex …` fields whose
// hex may continue over following lines and across the RFC's page breaks (as Go's parseVector).
import { readFileSync } from 'node:fs';

export interface TraceStep {
  readonly role: 'client' | 'server';
  readonly title: string;
  readonly fields: ReadonlyMap<string, Uint8Array>;
}

const stepLine = /^ {3}\{(client|server)\} {2}(.*)$/;
const fieldLine = /^ {6}(\S.*?) \((\d+) octets\):\s*(.*)$/;
const hexLine = /^\s+((?:[0-9a-f]{2}\s*)+)$/;

function hexBytes(text: string): number[] {
  return text
    .trim()
    .split(/\s+/)
    .filter((token) => token.length > 0 && token !== '(empty)')
    .map((token) => {
      if (!/^[0-9a-f]{2}$/.test(token)) throw new Error(`not a hex byte: ${token}`);
      return Number.parseInt(token, 16);
    });
}

export function loadTrace(file: string): TraceStep[] {
  const lines = readFileSync(new URL(`../vectors/rfc8448/${file}`, import.meta.url), 'utf8').split('\n');
  const steps: { role: 'client' | 'server'; title: string; fields: Map<string, Uint8Array> }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const step = stepLine.exec(line);
    if (step) {
      let title = step[2]!.trim();
      // Titles wrap onto the next line until they end with ':' or ')'.
      while (
        !/[:)]$/.test(title) &&
        i + 1 < lines.length &&
        /^ {6}\S/.test(lines[i + 1]!) &&
        !fieldLine.test(lines[i + 1]!)
      ) {
        title += ` ${lines[++i]!.trim()}`;
      }
      steps.push({ role: step[1] as 'client' | 'server', title: title.replace(/:$/, ''), fields: new Map() });
      continue;
    }
    const field = fieldLine.exec(line);
    if (field && steps.length > 0) {
      const length = Number(field[2]);
      const bytes = hexBytes(field[3]!);
      // Keep reading hex lines (skipping page footers, headers and blank lines) until N bytes.
      while (bytes.length < length) {
        i++;
        if (i >= lines.length)
          throw new Error(`${field[1]}: trace ended after ${bytes.length}/${length} bytes`);
        const next = hexLine.exec(lines[i]!);
        if (next) bytes.push(...hexBytes(next[1]!));
      }
      if (bytes.length !== length) throw new Error(`${field[1]}: ${bytes.length} bytes, expected ${length}`);
      steps.at(-1)!.fields.set(field[1]!, Uint8Array.from(bytes));
    }
  }
  return steps;
}

/** The `n`th step (0-based) titled exactly `title`, optionally for one role. */
export function step(
  steps: readonly TraceStep[],
  title: string,
  role?: 'client' | 'server',
  n = 0,
): TraceStep {
  const found = steps.filter((s) => s.title === title && (role === undefined || s.role === role));
  const result = found[n];
  if (result === undefined)
    throw new Error(`no step "${title}" #${n} (${role ?? 'any'}), found ${found.length}`);
  return result;
}

/** A field of a step; throws when it is absent. */
export function field(s: TraceStep, label: string): Uint8Array {
  const value = s.fields.get(label);
  if (value === undefined)
    throw new Error(`step "${s.title}" has no field "${label}" (has ${[...s.fields.keys()].join(', ')})`);
  return value;
}

/** A handshake message printed in a `construct a X handshake message` step. */
export function message(
  steps: readonly TraceStep[],
  name: string,
  role?: 'client' | 'server',
  n = 0,
): Uint8Array {
  const s = step(steps, `construct a${/^[AEIOU]/.test(name) ? 'n' : ''} ${name} handshake message`, role, n);
  return field(s, name);
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(text: string): Uint8Array {
  return Uint8Array.from(hexBytes(text.replace(/(..)/g, '$1 ')));
}
