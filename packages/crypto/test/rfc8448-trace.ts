// Reads the steps of an RFC 8448 trace: `{client}  derive secret "tls13 c hs traffic":` followed by
// fields such as `PRK (32 octets):  1d c8 ...`, with hex that wraps over lines and page breaks.
import { readFileSync } from 'node:fs';

export interface TraceStep {
  readonly actor: 'client' | 'server';
  readonly action: string;
  readonly fields: ReadonlyMap<string, Uint8Array>;
}

export function readTrace(path: URL): TraceStep[] {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.replace(/\f/g, ''))
    .filter((line) => !/^Thomson\s+Informational/.test(line) && !/^RFC 8448\s+TLS 1\.3 Traces/.test(line));
  const steps: Array<{ actor: 'client' | 'server'; action: string; fields: Map<string, Uint8Array> }> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header = /^ {3}\{(client|server)\}\s+(.*?):?$/.exec(line);
    if (header) {
      steps.push({ actor: header[1] as 'client' | 'server', action: header[2]!, fields: new Map() });
      continue;
    }
    const field = /^ {6}([A-Za-z][A-Za-z ]*?) \((\d+) octets\):\s*(.*)$/.exec(line);
    if (field && steps.length > 0) {
      const length = Number(field[2]);
      const tokens = hexTokens(field[3]!);
      while (tokens.length < length && i + 1 < lines.length) {
        const next = lines[i + 1]!;
        if (next.trim() !== '' && !/^\s+([0-9a-f]{2})( [0-9a-f]{2})*\s*$/.test(next)) break;
        tokens.push(...hexTokens(next));
        i++;
      }
      if (tokens.length !== length && !(length === 0 && field[3] === '(empty)')) {
        throw new Error(`trace field ${field[1]} wants ${length} octets, found ${tokens.length}`);
      }
      steps.at(-1)!.fields.set(field[1]!, Uint8Array.from(tokens.map((token) => Number.parseInt(token, 16))));
    }
  }
  return steps;
}

function hexTokens(text: string): string[] {
  return text.trim() === '' || text.trim() === '(empty)' ? [] : text.trim().split(/\s+/);
}

/** The one step with printed values whose action starts with `action` (and, if given, of `actor`). */
export function step(steps: readonly TraceStep[], action: string, actor?: 'client' | 'server'): TraceStep {
  const found = steps.filter(
    (s) => s.fields.size > 0 && s.action.startsWith(action) && (actor === undefined || s.actor === actor),
  );
  if (found.length !== 1) throw new Error(`expected one step "${action}", found ${found.length}`);
  return found[0]!;
}

export function field(s: TraceStep, name: string): Uint8Array {
  const value = s.fields.get(name);
  if (value === undefined) throw new Error(`step "${s.action}" has no field ${name}`);
  return value;
}
