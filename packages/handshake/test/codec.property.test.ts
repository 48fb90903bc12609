// Property tests: decode(encode(x)) equals x for every message codec, and arbitrary or mutated
// bytes only ever produce a TlsError with a known code, never another exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTlsError } from '@tls/record';
import {
  type CertificateEntryExtension,
  type CertificateRequestExtension,
  type ClientHello,
  type ClientHelloExtension,
  type EncryptedExtensionsExtension,
  type Extension,
  type HelloRetryRequest,
  type ServerHello,
  decodeCertificate,
  decodeCertificateRequest,
  decodeCertificateVerify,
  decodeClientHello,
  decodeEncryptedExtensions,
  decodeFinished,
  decodeKeyUpdate,
  decodeNewSessionTicket,
  decodeServerHello,
  encodeCertificate,
  encodeCertificateRequest,
  encodeCertificateVerify,
  encodeClientHello,
  encodeEncryptedExtensions,
  encodeFinished,
  encodeKeyUpdate,
  encodeNewSessionTicket,
  encodeServerHello,
  extensionType,
  helloRetryRequestRandom,
  isExtensionAllowed,
  reasonCode,
} from '@tls/handshake';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (minLength: number, maxLength: number) => fc.uint8Array({ minLength, maxLength });
const list = <T>(item: fc.Arbitrary<T>, minLength: number, maxLength = 4) =>
  fc.array(item, { minLength, maxLength });

/** Extension types this stack does not decode (GREASE and unassigned ones). */
const unknownType = fc
  .oneof(
    fc.integer({ min: 0, max: 15 }).map((i) => i * 0x1010 + 0x0a0a),
    fc.integer({ min: 0x2000, max: 0x3000 }),
  )
  .filter((type) => isExtensionAllowed(type, 'client-hello') && ![13172].includes(type));
const unknown = fc.record({ kind: fc.constant('unknown' as const), type: unknownType, data: bytes(0, 12) });

const ocspRequest = fc.record({
  kind: fc.constant('status_request' as const),
  statusType: fc.constant(1 as const),
  responderIdList: list(bytes(1, 8), 0),
  requestExtensions: bytes(0, 8),
});
const alpn = (min: number, max: number) =>
  fc.record({
    kind: fc.constant('application_layer_protocol_negotiation' as const),
    protocolNameList: list(bytes(1, 8), min, max),
  });
const sigalgs = (kind: 'signature_algorithms' | 'signature_algorithms_cert') =>
  fc.record({ kind: fc.constant(kind), supportedSignatureAlgorithms: list(u16, 1) });
const empty = <K extends string>(kind: K) => fc.constant({ kind } as { readonly kind: K });
const recordSizeLimit = fc.record({
  kind: fc.constant('record_size_limit' as const),
  recordSizeLimit: fc.integer({ min: 64, max: 0xffff }),
});
const certificateAuthorities = fc.record({
  kind: fc.constant('certificate_authorities' as const),
  authorities: list(bytes(1, 10), 1),
});

const clientHelloExtension: fc.Arbitrary<ClientHelloExtension> = fc.oneof(
  fc.record({
    kind: fc.constant('server_name' as const),
    serverNameList: fc.uniqueArray(fc.record({ nameType: u8, name: bytes(1, 12) }), {
      minLength: 1,
      maxLength: 3,
      selector: (entry) => entry.nameType,
    }),
  }),
  fc.record({
    kind: fc.constant('max_fragment_length' as const),
    maxFragmentLength: fc.integer({ min: 1, max: 4 }),
  }),
  ocspRequest,
  fc.record({ kind: fc.constant('supported_groups' as const), namedGroupList: list(u16, 1) }),
  fc.record({ kind: fc.constant('ec_point_formats' as const), ecPointFormatList: list(u8, 1) }),
  sigalgs('signature_algorithms'),
  sigalgs('signature_algorithms_cert'),
  alpn(1, 4),
  empty('signed_certificate_timestamp'),
  empty('early_data'),
  empty('post_handshake_auth'),
  empty('extended_master_secret'),
  empty('encrypt_then_mac'),
  fc.record({ kind: fc.constant('padding' as const), padding: bytes(0, 16) }),
  recordSizeLimit,
  fc.record({ kind: fc.constant('session_ticket' as const), ticket: bytes(0, 16) }),
  fc
    .array(fc.record({ identity: bytes(1, 16), obfuscatedTicketAge: u32, binder: bytes(32, 48) }), {
      minLength: 1,
      maxLength: 3,
    })
    .map((psks) => ({
      kind: 'pre_shared_key' as const,
      identities: psks.map(({ identity, obfuscatedTicketAge }) => ({ identity, obfuscatedTicketAge })),
      binders: psks.map((p) => p.binder),
    })),
  fc.record({ kind: fc.constant('supported_versions' as const), versions: list(u16, 1) }),
  fc.record({ kind: fc.constant('cookie' as const), cookie: bytes(1, 16) }),
  fc.record({ kind: fc.constant('psk_key_exchange_modes' as const), keModes: list(u8, 1) }),
  certificateAuthorities,
  fc.record({
    kind: fc.constant('key_share' as const),
    clientShares: fc.uniqueArray(fc.record({ group: u16, keyExchange: bytes(1, 16) }), {
      maxLength: 3,
      selector: (entry) => entry.group,
    }),
  }),
  fc.record({ kind: fc.constant('renegotiation_info' as const), renegotiatedConnection: bytes(0, 12) }),
  unknown,
);

/** Unique types, and pre_shared_key moved last as RFC 8446 §4.2.11 requires. */
function extensionList<E extends Extension>(item: fc.Arbitrary<E>, maxLength = 8): fc.Arbitrary<E[]> {
  return fc
    .uniqueArray(item, { maxLength, selector: (e) => extensionType(e) })
    .map((extensions) => [
      ...extensions.filter((e) => e.kind !== 'pre_shared_key'),
      ...extensions.filter((e) => e.kind === 'pre_shared_key'),
    ]);
}

const clientHello: fc.Arbitrary<ClientHello> = fc.record({
  legacyVersion: u16,
  random: bytes(32, 32),
  legacySessionId: bytes(0, 32),
  cipherSuites: list(u16, 1, 8),
  legacyCompressionMethods: bytes(1, 3),
  extensions: extensionList(clientHelloExtension, 10),
});

const serverHello13: fc.Arbitrary<ServerHello> = fc.record({
  kind: fc.constant('server-hello' as const),
  legacyVersion: u16,
  random: bytes(32, 32).filter((r) => r.some((b, i) => b !== helloRetryRequestRandom[i])),
  legacySessionIdEcho: bytes(0, 32),
  cipherSuite: u16,
  legacyCompressionMethod: u8,
  extensions: fc
    .tuple(
      fc.record({ kind: fc.constant('supported_versions' as const), selectedVersion: u16 }),
      fc.option(
        fc.record({
          kind: fc.constant('key_share' as const),
          serverShare: fc.record({ group: u16, keyExchange: bytes(1, 16) }),
        }),
        { nil: undefined },
      ),
      fc.option(fc.record({ kind: fc.constant('pre_shared_key' as const), selectedIdentity: u16 }), {
        nil: undefined,
      }),
      fc.option(unknown, { nil: undefined }),
    )
    .chain((parts) =>
      fc.shuffledSubarray(
        parts.filter((p) => p !== undefined),
        { minLength: parts.filter((p) => p !== undefined).length },
      ),
    ),
});

const helloRetryRequest: fc.Arbitrary<HelloRetryRequest> = fc.record({
  kind: fc.constant('hello-retry-request' as const),
  legacyVersion: u16,
  legacySessionIdEcho: bytes(0, 32),
  cipherSuite: u16,
  legacyCompressionMethod: u8,
  extensions: fc
    .tuple(
      fc.record({ kind: fc.constant('supported_versions' as const), selectedVersion: u16 }),
      fc.record({ kind: fc.constant('key_share' as const), selectedGroup: u16 }),
      fc.record({ kind: fc.constant('cookie' as const), cookie: bytes(1, 16) }),
    )
    .chain((parts) => fc.subarray(parts)),
});

const encryptedExtensions = fc.record({
  extensions: extensionList<EncryptedExtensionsExtension>(
    fc.oneof(
      empty('server_name'),
      empty('early_data'),
      fc.record({
        kind: fc.constant('max_fragment_length' as const),
        maxFragmentLength: fc.integer({ min: 1, max: 4 }),
      }),
      fc.record({ kind: fc.constant('supported_groups' as const), namedGroupList: list(u16, 1) }),
      alpn(1, 1),
      recordSizeLimit,
      unknown,
    ),
  ),
});

const certificateEntryExtension: fc.Arbitrary<CertificateEntryExtension> = fc.oneof(
  fc.record({
    kind: fc.constant('status_request' as const),
    statusType: fc.constant(1 as const),
    response: bytes(1, 16),
  }),
  fc.record({ kind: fc.constant('signed_certificate_timestamp' as const), sctList: list(bytes(1, 8), 1) }),
  unknown,
);
const certificate = fc.record({
  certificateRequestContext: bytes(0, 8),
  certificateList: list(
    fc.record({ certData: bytes(1, 32), extensions: extensionList(certificateEntryExtension) }),
    0,
  ),
});

const certificateRequest = fc.record({
  certificateRequestContext: bytes(0, 8),
  extensions: fc
    .tuple(
      sigalgs('signature_algorithms'),
      extensionList<CertificateRequestExtension>(
        fc.oneof(
          empty('status_request'),
          sigalgs('signature_algorithms_cert'),
          empty('signed_certificate_timestamp'),
          certificateAuthorities,
          unknown,
        ),
      ).map((rest) => rest.filter((e) => e.kind !== 'signature_algorithms')),
    )
    .map(([required, rest]) => [...rest, required]),
});

const newSessionTicket = fc.record({
  ticketLifetime: u32,
  ticketAgeAdd: u32,
  ticketNonce: bytes(0, 8),
  ticket: bytes(1, 32),
  extensions: fc
    .option(fc.record({ kind: fc.constant('early_data' as const), maxEarlyDataSize: u32 }), {
      nil: undefined,
    })
    .map((e) => (e ? [e] : [])),
});

function withoutOriginal<T extends { original: Uint8Array }>(
  decoded: T,
): Omit<T, 'original' | 'bindersOffset'> {
  const { original: _original, bindersOffset: _offset, ...rest } = decoded as T & { bindersOffset?: number };
  return rest;
}

interface Codec {
  readonly name: string;
  readonly type: number;
  readonly arbitrary: fc.Arbitrary<unknown>;
  readonly encode: (value: never) => Uint8Array;
  readonly decode: (bytes: Uint8Array) => { original: Uint8Array };
}

const codecs: Codec[] = [
  {
    name: 'ClientHello',
    type: 1,
    arbitrary: clientHello,
    encode: encodeClientHello,
    decode: decodeClientHello,
  },
  {
    name: 'ServerHello',
    type: 2,
    arbitrary: serverHello13,
    encode: encodeServerHello,
    decode: decodeServerHello,
  },
  {
    name: 'HelloRetryRequest',
    type: 2,
    arbitrary: helloRetryRequest,
    encode: encodeServerHello,
    decode: decodeServerHello,
  },
  {
    name: 'EncryptedExtensions',
    type: 8,
    arbitrary: encryptedExtensions,
    encode: encodeEncryptedExtensions,
    decode: decodeEncryptedExtensions,
  },
  {
    name: 'Certificate',
    type: 11,
    arbitrary: certificate,
    encode: encodeCertificate,
    decode: decodeCertificate,
  },
  {
    name: 'CertificateRequest',
    type: 13,
    arbitrary: certificateRequest,
    encode: encodeCertificateRequest,
    decode: decodeCertificateRequest,
  },
  {
    name: 'CertificateVerify',
    type: 15,
    arbitrary: fc.record({ algorithm: u16, signature: bytes(0, 64) }),
    encode: encodeCertificateVerify,
    decode: decodeCertificateVerify,
  },
  {
    name: 'Finished',
    type: 20,
    arbitrary: fc.record({ verifyData: bytes(32, 32) }),
    encode: encodeFinished,
    decode: (b) => decodeFinished(b, 32),
  },
  {
    name: 'NewSessionTicket',
    type: 4,
    arbitrary: newSessionTicket,
    encode: encodeNewSessionTicket,
    decode: decodeNewSessionTicket,
  },
  {
    name: 'KeyUpdate',
    type: 24,
    arbitrary: fc.record({ requestUpdate: fc.integer({ min: 0, max: 1 }) }),
    encode: encodeKeyUpdate,
    decode: decodeKeyUpdate,
  },
];

/** Every code a decoder may throw comes from the reason table (alert-mapping.ts). */
const knownCodes = new Set(Object.values(reasonCode));

/** Runs `decode`; anything thrown must be a TlsError with a known code and an alert. */
function decodesOrRejects(decode: (bytes: Uint8Array) => unknown, input: Uint8Array): void {
  try {
    decode(input);
  } catch (error) {
    expect(isTlsError(error), String(error)).toBe(true);
    expect(knownCodes).toContain((error as { code: string }).code);
    expect(typeof (error as { alert: unknown }).alert).toBe('number');
  }
}

describe.each(codecs)('$name codec', (codec) => {
  it('decodes what it encodes to the same value, and re-encodes the same bytes', () => {
    fc.assert(
      fc.property(codec.arbitrary, (value) => {
        const encoded = codec.encode(value as never);
        const decoded = codec.decode(encoded);
        expect(withoutOriginal(decoded)).toEqual(value);
        expect(decoded.original).toEqual(encoded);
        expect(codec.encode(decoded as never)).toEqual(encoded);
      }),
      { numRuns: 150 },
    );
  });

  it('only ever throws TlsError for random bodies behind a valid header', () => {
    fc.assert(
      fc.property(bytes(0, 200), (body) => {
        const message = new Uint8Array([codec.type, 0, body.length >> 8, body.length & 0xff, ...body]);
        decodesOrRejects(codec.decode, message);
      }),
      { numRuns: 300 },
    );
  });

  it('only ever throws TlsError for truncated, extended or bit-flipped encodings', () => {
    fc.assert(
      fc.property(
        codec.arbitrary,
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        fc.nat({ max: 3 }),
        (value, at, bit, how) => {
          const encoded = codec.encode(value as never).slice();
          const index = at % encoded.length;
          const mutated =
            how === 0
              ? encoded.subarray(0, index)
              : how === 1
                ? new Uint8Array([...encoded, bit])
                : (() => {
                    encoded[index]! ^= 1 << bit;
                    return encoded;
                  })();
          decodesOrRejects(codec.decode, mutated);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('arbitrary bytes', () => {
  it('never make any decoder throw anything but a TlsError', () => {
    fc.assert(
      fc.property(bytes(0, 300), (input) => {
        for (const codec of codecs) decodesOrRejects(codec.decode, input);
      }),
      { numRuns: 500 },
    );
  });
});
