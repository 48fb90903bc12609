import { describe, expect, it } from 'vitest';
import {
  type ClientHelloExtension,
  decodeClientHello,
  decodeNewSessionTicket,
  getExtension,
  greaseValue,
  isGrease,
  obfuscateTicketAge,
  requireTls13ClientHello,
  ticketAgeFromObfuscated,
} from '@tls/handshake';
import { field, loadTrace, message, step } from './helpers/rfc8448.js';

const traces = [
  'section3-simple-1rtt.txt',
  'section5-hello-retry-request.txt',
  'section6-client-authentication.txt',
  'section7-compatibility-mode.txt',
].map(loadTrace);
const resumed = loadTrace('section4-resumed-0rtt.txt');
const resumedHello = decodeClientHello(field(step(resumed, 'send handshake record', 'client'), 'payload'));
const simpleHello = decodeClientHello(message(traces[0]!, 'ClientHello'));

const without = (kind: ClientHelloExtension['kind']) => ({
  ...simpleHello,
  extensions: simpleHello.extensions.filter((e) => e.kind !== kind),
});

describe('requireTls13ClientHello (RFC 8446 §4.1.2, §9.2)', () => {
  it('accepts every ClientHello of RFC 8448', () => {
    const hellos = [...traces.map((t) => decodeClientHello(message(t, 'ClientHello'))), resumedHello];
    hellos.push(decodeClientHello(message(traces[1]!, 'ClientHello', 'client', 1)));
    for (const hello of hellos) expect(() => requireTls13ClientHello(hello)).not.toThrow();
  });

  it.each(['supported_versions', 'signature_algorithms', 'supported_groups', 'key_share'] as const)(
    'rejects a hello without %s with missing_extension',
    (kind) => {
      expect(() => requireTls13ClientHello(without(kind))).toThrow(
        expect.objectContaining({ code: 'ERR_SSL_MISSING_EXTENSION', alert: 109 }),
      );
    },
  );

  it('requires psk_key_exchange_modes with pre_shared_key, and lets a PSK stand in for signature_algorithms', () => {
    const pskOnly = {
      ...resumedHello,
      extensions: resumedHello.extensions.filter((e) => e.kind !== 'signature_algorithms'),
    };
    expect(() => requireTls13ClientHello(pskOnly)).not.toThrow();
    const noModes = {
      ...resumedHello,
      extensions: resumedHello.extensions.filter((e) => e.kind !== 'psk_key_exchange_modes'),
    };
    expect(() => requireTls13ClientHello(noModes)).toThrow(/psk_key_exchange_modes/);
  });

  it('rejects compression methods other than null with illegal_parameter', () => {
    expect(() =>
      requireTls13ClientHello({ ...simpleHello, legacyCompressionMethods: Uint8Array.of(1, 0) }),
    ).toThrow(expect.objectContaining({ code: 'ERR_SSL_ILLEGAL_PARAMETER', alert: 47 }));
  });
});

describe('ticket age (RFC 8446 §4.2.11.1)', () => {
  it('reproduces the obfuscated age of RFC 8448 §4 from the §3 ticket', () => {
    const ticket = decodeNewSessionTicket(message(traces[0]!, 'NewSessionTicket'));
    const offered = getExtension(resumedHello.extensions, 'pre_shared_key')!.identities[0]!;
    const age = ticketAgeFromObfuscated(offered.obfuscatedTicketAge, ticket.ticketAgeAdd);
    expect(obfuscateTicketAge(age, ticket.ticketAgeAdd)).toBe(offered.obfuscatedTicketAge);
    expect(age).toBeLessThan(1000);
  });

  it('wraps modulo 2^32', () => {
    expect(obfuscateTicketAge(10, 0xfffffffa)).toBe(4);
    expect(ticketAgeFromObfuscated(4, 0xfffffffa)).toBe(10);
  });
});

describe('greaseValue (RFC 8701 §2)', () => {
  it('yields the sixteen GREASE values for indices 0..15 and wraps beyond', () => {
    const values = Array.from({ length: 16 }, (_, i) => greaseValue(i));
    expect(new Set(values).size).toBe(16);
    expect(values.every(isGrease)).toBe(true);
    expect(greaseValue(0x1f)).toBe(0xfafa);
  });
});
