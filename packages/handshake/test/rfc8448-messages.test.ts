import { describe, expect, it } from 'vitest';
import {
  ExtensionType,
  NamedGroup,
  ProtocolVersion,
  decodeCertificate,
  decodeCertificateRequest,
  decodeCertificateVerify,
  decodeClientHello,
  decodeEncryptedExtensions,
  decodeEndOfEarlyData,
  decodeFinished,
  decodeNewSessionTicket,
  decodeServerHello,
  encodeCertificate,
  encodeCertificateRequest,
  encodeCertificateVerify,
  encodeClientHello,
  encodeEncryptedExtensions,
  encodeEndOfEarlyData,
  encodeFinished,
  encodeNewSessionTicket,
  encodeServerHello,
  getExtension,
  getHostName,
} from '@tls/handshake';
import { field, hex, loadTrace, message, step } from './helpers/rfc8448.js';

const traces = {
  simple: loadTrace('section3-simple-1rtt.txt'),
  resumed: loadTrace('section4-resumed-0rtt.txt'),
  hrr: loadTrace('section5-hello-retry-request.txt'),
  clientAuth: loadTrace('section6-client-authentication.txt'),
  compat: loadTrace('section7-compatibility-mode.txt'),
};

describe('RFC 8448 trace parser', () => {
  it('reads fields that continue across page breaks', () => {
    const certificate = message(traces.simple, 'Certificate');
    expect(certificate.length).toBe(445);
    expect(hex(certificate.subarray(0, 4))).toBe('0b0001b9');
    expect(hex(certificate.subarray(-8))).toBe('9187b42b4de10000');
    // "… 7a ce 6c" ends page 6 and "1a f1 9e …" starts page 7.
    expect(hex(certificate)).toContain('7ace6c1af19e');
  });

  it('finds every step of section 3', () => {
    expect(step(traces.simple, 'derive secret "tls13 res master"', 'client').fields.size).toBeGreaterThan(0);
  });
});

/** Every message printed in a `construct a … handshake message` step of every trace. */
const printed = Object.entries(traces).flatMap(([trace, steps]) =>
  steps
    .filter((s) => s.title.startsWith('construct a'))
    .map((s) => {
      const name = /construct an? (\S+) handshake message/.exec(s.title)![1]!;
      // §4 prints the ClientHello before its binders are known; the record payload has it whole.
      const whole = trace === 'resumed' && name === 'ClientHello';
      const bytes = whole
        ? field(step(steps, 'send handshake record', 'client'), 'payload')
        : s.fields.get(name)!;
      return { trace, role: s.role, name, bytes };
    }),
);

function roundTrip(name: string, bytes: Uint8Array): Uint8Array {
  switch (name) {
    case 'ClientHello':
      return encodeClientHello(decodeClientHello(bytes));
    case 'ServerHello':
      return encodeServerHello(decodeServerHello(bytes));
    case 'EncryptedExtensions':
      return encodeEncryptedExtensions(decodeEncryptedExtensions(bytes));
    case 'Certificate':
      return encodeCertificate(decodeCertificate(bytes));
    case 'CertificateRequest':
      return encodeCertificateRequest(decodeCertificateRequest(bytes));
    case 'CertificateVerify':
      return encodeCertificateVerify(decodeCertificateVerify(bytes));
    case 'Finished':
      return encodeFinished(decodeFinished(bytes, bytes.length - 4));
    case 'NewSessionTicket':
      return encodeNewSessionTicket(decodeNewSessionTicket(bytes));
    case 'EndOfEarlyData':
      decodeEndOfEarlyData(bytes);
      return encodeEndOfEarlyData();
    default:
      throw new Error(`no codec for ${name}`);
  }
}

describe('RFC 8448 handshake messages', () => {
  it('prints the messages this test expects', () => {
    expect(printed.length).toBeGreaterThanOrEqual(40);
    expect(new Set(printed.map((p) => p.name))).toEqual(
      new Set([
        'ClientHello',
        'ServerHello',
        'EncryptedExtensions',
        'Certificate',
        'CertificateRequest',
        'CertificateVerify',
        'Finished',
        'NewSessionTicket',
        'EndOfEarlyData',
      ]),
    );
  });

  it.each(printed.map((p) => [`${p.trace} ${p.role} ${p.name}`, p] as const))(
    'decodes and re-encodes %s byte for byte',
    (_, p) => {
      expect(hex(roundTrip(p.name, p.bytes))).toBe(hex(p.bytes));
    },
  );

  it('decodes the section 3 ClientHello fields', () => {
    const hello = decodeClientHello(message(traces.simple, 'ClientHello'));
    expect(hello.cipherSuites).toEqual([0x1301, 0x1303, 0x1302]);
    expect(hex(hello.random)).toBe('cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7');
    expect(getHostName(getExtension(hello.extensions, 'server_name')!)).toBe('server');
    const keyShare = getExtension(hello.extensions, 'key_share')!;
    expect(keyShare.clientShares.map((s) => s.group)).toEqual([NamedGroup.X25519]);
    expect(getExtension(hello.extensions, 'supported_versions')?.versions).toEqual([ProtocolVersion.Tls13]);
    expect(getExtension(hello.extensions, 'record_size_limit')?.recordSizeLimit).toBe(0x4001);
    expect(hello.bindersOffset).toBeUndefined();
    expect(hello.original.length).toBe(196);
  });

  it('finds the binders at the end of the section 4 ClientHello', () => {
    const bytes = field(step(traces.resumed, 'send handshake record', 'client'), 'payload');
    const prefix = field(step(traces.resumed, 'calculate PSK binder', 'client'), 'ClientHello prefix');
    const hello = decodeClientHello(bytes);
    const psk = getExtension(hello.extensions, 'pre_shared_key')!;
    expect(psk.identities).toHaveLength(1);
    expect(psk.identities[0]!.obfuscatedTicketAge).toBe(0xfad6aacb);
    expect(hello.bindersOffset).toBe(bytes.length - 35);
    expect(hex(bytes.subarray(0, hello.bindersOffset))).toBe(hex(prefix));
    expect(hex(bytes.subarray(hello.bindersOffset!))).toBe(`002120${hex(psk.binders[0]!)}`);
    expect(getExtension(hello.extensions, 'early_data')).toEqual({ kind: 'early_data' });
  });

  it('recognizes the section 5 HelloRetryRequest and its extensions', () => {
    const hrr = decodeServerHello(message(traces.hrr, 'ServerHello', 'server', 0));
    expect(hrr.kind).toBe('hello-retry-request');
    if (hrr.kind !== 'hello-retry-request') return;
    expect(getExtension(hrr.extensions, 'key_share')?.selectedGroup).toBe(NamedGroup.Secp256r1);
    expect(getExtension(hrr.extensions, 'cookie')?.cookie.length).toBe(114);
    const second = decodeClientHello(message(traces.hrr, 'ClientHello', 'client', 1));
    expect(getExtension(second.extensions, 'cookie')?.cookie).toEqual(
      getExtension(hrr.extensions, 'cookie')?.cookie,
    );
    const serverHello = decodeServerHello(message(traces.hrr, 'ServerHello', 'server', 1));
    expect(serverHello.kind).toBe('server-hello');
  });

  it('decodes the section 6 CertificateRequest and the client certificate', () => {
    const request = decodeCertificateRequest(message(traces.clientAuth, 'CertificateRequest'));
    expect(request.certificateRequestContext.length).toBe(0);
    expect(getExtension(request.extensions, 'signature_algorithms')?.supportedSignatureAlgorithms).toContain(
      0x0804,
    );
    const clientCertificate = decodeCertificate(message(traces.clientAuth, 'Certificate', 'client'));
    expect(clientCertificate.certificateList).toHaveLength(1);
    expect(clientCertificate.certificateList[0]!.certData[0]).toBe(0x30);
  });

  it('keeps the NewSessionTicket early_data extension', () => {
    const ticket = decodeNewSessionTicket(message(traces.simple, 'NewSessionTicket'));
    expect(ticket.ticketLifetime).toBe(30);
    expect(hex(ticket.ticketNonce)).toBe('0000');
    expect(ticket.extensions).toEqual([{ kind: 'early_data', maxEarlyDataSize: 0x400 }]);
    expect(ExtensionType.EarlyData).toBe(42);
  });
});
