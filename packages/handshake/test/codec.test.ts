// Strict parsing of handshake messages and extensions (RFC 8446 §4): each check names the rule.
import { describe, expect, it } from 'vitest';
import type { Writer } from '@tls/record';
import {
  type ClientHello,
  type ClientHelloExtension,
  ExtensionType,
  HandshakeType,
  NamedGroup,
  ProtocolVersion,
  decodeCertificate,
  decodeCertificateRequest,
  decodeClientHello,
  decodeEncryptedExtensions,
  decodeFinished,
  decodeKeyUpdate,
  decodeNewSessionTicket,
  decodeServerHello,
  downgradeSentinel,
  downgradeSentinelTls12,
  encodeCertificate,
  encodeClientHello,
  encodeHandshake,
  encodeServerHello,
  extensionTypeName,
  getExtension,
  getHostName,
  helloRetryRequestRandom,
  isGrease,
  isGreasePskMode,
  pskBindersLength,
  replacePskBinders,
  serverNameList,
} from '@tls/handshake';

const random = new Uint8Array(32).fill(0x11);

function hello(extensions: ClientHelloExtension[]): ClientHello {
  return {
    legacyVersion: ProtocolVersion.Tls12,
    random,
    legacySessionId: new Uint8Array(32).fill(0x22),
    cipherSuites: [0x1301, 0x0a0a],
    legacyCompressionMethods: Uint8Array.of(0),
    extensions,
  };
}

/** A message whose extensions block is written by hand: `[type, body]` pairs in order. */
function withRawExtensions(
  type: number,
  prefix: (w: Writer) => void,
  extensions: [number, number[]][],
): Uint8Array {
  return encodeHandshake(type, (w) => {
    prefix(w);
    w.lengthPrefixed(2, (block) => {
      for (const [extensionType, body] of extensions)
        block.u16(extensionType).vector(2, Uint8Array.from(body));
    });
  });
}

const clientHelloPrefix = (w: Writer) => {
  w.u16(0x0303)
    .bytes(random)
    .vector(1, new Uint8Array(0))
    .vector(2, Uint8Array.of(0x13, 0x01))
    .vector(1, Uint8Array.of(0));
};
const encryptedExtensionsPrefix = () => {};

const tls13Versions: [number, number[]] = [ExtensionType.SupportedVersions, [2, 3, 4]];
const psk: [number, number[]] = [
  ExtensionType.PreSharedKey,
  [0, 7, 0, 1, 0xee, 0, 0, 0, 0, 0, 33, 32, ...new Array<number>(32).fill(0xbb)],
];

const alert = (code: string, value: number) => expect.objectContaining({ code, alert: value });

describe('ClientHello', () => {
  it('round-trips GREASE and unknown extensions unchanged', () => {
    const message = hello([
      { kind: 'unknown', type: 0x1a1a, data: new Uint8Array(0) },
      serverNameList('example.com'),
      { kind: 'unknown', type: 0xbeef, data: Uint8Array.of(1, 2, 3) },
      { kind: 'supported_versions', versions: [0x2a2a, ProtocolVersion.Tls13] },
    ]);
    const bytes = encodeClientHello(message);
    const decoded = decodeClientHello(bytes);
    expect(decoded.extensions).toEqual(message.extensions);
    expect(encodeClientHello(decoded)).toEqual(bytes);
    expect(getHostName(getExtension(decoded.extensions, 'server_name')!)).toBe('example.com');
  });

  it('rejects a duplicate extension with illegal_parameter (RFC 8446 §4.2)', () => {
    const bytes = withRawExtensions(HandshakeType.ClientHello, clientHelloPrefix, [
      [ExtensionType.ExtendedMasterSecret, []],
      [ExtensionType.ExtendedMasterSecret, []],
    ]);
    expect(() => decodeClientHello(bytes)).toThrow(alert('ERR_SSL_BAD_EXTENSION', 47));
    expect(() => decodeClientHello(bytes)).toThrow(/ExtendedMasterSecret extension twice/);
  });

  it('rejects pre_shared_key anywhere but last with illegal_parameter (RFC 8446 §4.2.11)', () => {
    const last = withRawExtensions(HandshakeType.ClientHello, clientHelloPrefix, [tls13Versions, psk]);
    const decoded = decodeClientHello(last);
    expect(decoded.bindersOffset).toBe(last.length - 35);
    const notLast = withRawExtensions(HandshakeType.ClientHello, clientHelloPrefix, [psk, tls13Versions]);
    expect(() => decodeClientHello(notLast)).toThrow(alert('ERR_SSL_BAD_EXTENSION', 47));
  });

  it('rejects as many binders as identities only (RFC 8446 §4.2.11)', () => {
    const twoBinders: [number, number[]] = [
      ExtensionType.PreSharedKey,
      [
        0,
        7,
        0,
        1,
        0xee,
        0,
        0,
        0,
        0,
        0,
        66,
        ...[32, ...new Array<number>(32).fill(1)],
        ...[32, ...new Array<number>(32).fill(2)],
      ],
    ];
    const bytes = withRawExtensions(HandshakeType.ClientHello, clientHelloPrefix, [twoBinders]);
    expect(() => decodeClientHello(bytes)).toThrow(alert('ERR_SSL_ILLEGAL_PARAMETER', 47));
  });

  it('rejects two key shares for one group (RFC 8446 §4.2.8)', () => {
    const share = [0, 0x1d, 0, 1, 9];
    const bytes = withRawExtensions(HandshakeType.ClientHello, clientHelloPrefix, [
      [ExtensionType.KeyShare, [0, 10, ...share, ...share]],
    ]);
    expect(() => decodeClientHello(bytes)).toThrow(alert('ERR_SSL_ILLEGAL_PARAMETER', 47));
  });

  it('rejects an extension body with trailing bytes or a short one with decode_error', () => {
    const trailing = withRawExtensions(HandshakeType.ClientHello, clientHelloPrefix, [
      [ExtensionType.SupportedGroups, [0, 2, 0, 0x1d, 0xff]],
    ]);
    expect(() => decodeClientHello(trailing)).toThrow(alert('ERR_SSL_DECODE_ERROR', 50));
    const odd = withRawExtensions(HandshakeType.ClientHello, clientHelloPrefix, [
      [ExtensionType.SupportedGroups, [0, 3, 0, 0x1d, 0]],
    ]);
    expect(() => decodeClientHello(odd)).toThrow(alert('ERR_SSL_DECODE_ERROR', 50));
    const nonEmpty = withRawExtensions(HandshakeType.ClientHello, clientHelloPrefix, [
      [ExtensionType.PostHandshakeAuth, [0]],
    ]);
    expect(() => decodeClientHello(nonEmpty)).toThrow(/post_handshake_auth: extension_data must be empty/);
  });

  it('rejects a session id longer than 32 bytes and an empty cipher suite list', () => {
    const longId = encodeHandshake(HandshakeType.ClientHello, (w) => {
      w.u16(0x0303).bytes(random).vector(1, new Uint8Array(33)).vector(2, Uint8Array.of(0x13, 0x01));
      w.vector(1, Uint8Array.of(0)).u16(0);
    });
    expect(() => decodeClientHello(longId)).toThrow(alert('ERR_SSL_DECODE_ERROR', 50));
    const noSuites = encodeHandshake(HandshakeType.ClientHello, (w) => {
      w.u16(0x0303).bytes(random).vector(1, new Uint8Array(0)).vector(2, new Uint8Array(0));
      w.vector(1, Uint8Array.of(0)).u16(0);
    });
    expect(() => decodeClientHello(noSuites)).toThrow(/cipher_suites/);
  });

  it('accepts a TLS 1.2 ClientHello without an extensions block', () => {
    const bytes = encodeHandshake(HandshakeType.ClientHello, clientHelloPrefix);
    expect(decodeClientHello(bytes).extensions).toEqual([]);
  });

  it('rejects a server name type that repeats and a host name that is not ASCII (RFC 6066 §3)', () => {
    const twice = withRawExtensions(HandshakeType.ClientHello, clientHelloPrefix, [
      [ExtensionType.ServerName, [0, 8, 0, 0, 1, 0x61, 0, 0, 1, 0x62]],
    ]);
    expect(() => decodeClientHello(twice)).toThrow(alert('ERR_SSL_ILLEGAL_PARAMETER', 47));
    const nonAscii = decodeClientHello(
      withRawExtensions(HandshakeType.ClientHello, clientHelloPrefix, [
        [ExtensionType.ServerName, [0, 4, 0, 0, 1, 0xc3]],
      ]),
    );
    expect(() => getHostName(getExtension(nonAscii.extensions, 'server_name')!)).toThrow(
      alert('ERR_SSL_ILLEGAL_PARAMETER', 47),
    );
  });

  it('replaces placeholder binders in an encoded hello', () => {
    const placeholder = new Uint8Array(32);
    const message = hello([
      {
        kind: 'pre_shared_key',
        identities: [{ identity: Uint8Array.of(1, 2, 3), obfuscatedTicketAge: 5 }],
        binders: [placeholder],
      },
    ]);
    const bytes = encodeClientHello(message);
    const binder = new Uint8Array(32).fill(0x5a);
    const filled = replacePskBinders(bytes, [binder]);
    expect(filled.subarray(0, bytes.length - pskBindersLength([binder]))).toEqual(
      bytes.subarray(0, bytes.length - 35),
    );
    expect(getExtension(decodeClientHello(filled).extensions, 'pre_shared_key')!.binders[0]).toEqual(binder);
    expect(bytes.subarray(-32)).toEqual(placeholder);
    expect(() => replacePskBinders(bytes, [new Uint8Array(48)])).toThrow(RangeError);
  });
});

describe('ServerHello', () => {
  const shPrefix = (randomBytes: Uint8Array) => (w: Writer) => {
    w.u16(0x0303).bytes(randomBytes).vector(1, new Uint8Array(0)).u16(0x1301).u8(0);
  };

  it('detects a HelloRetryRequest by its random and reads its selected group', () => {
    const bytes = withRawExtensions(HandshakeType.ServerHello, shPrefix(helloRetryRequestRandom), [
      [ExtensionType.KeyShare, [0, 0x17]],
      tls13Versions.slice(0, 1).concat([[3, 4]]) as [number, number[]],
      [ExtensionType.Cookie, [0, 2, 7, 7]],
    ]);
    const decoded = decodeServerHello(bytes);
    expect(decoded.kind).toBe('hello-retry-request');
    if (decoded.kind !== 'hello-retry-request') return;
    expect(getExtension(decoded.extensions, 'key_share')?.selectedGroup).toBe(NamedGroup.Secp256r1);
    expect(encodeServerHello(decoded)).toEqual(bytes);
  });

  it('rejects extensions a ServerHello may not carry (RFC 8446 §4.2 table)', () => {
    const bytes = withRawExtensions(HandshakeType.ServerHello, shPrefix(random), [
      [ExtensionType.SupportedVersions, [3, 4]],
      [ExtensionType.ApplicationLayerProtocolNegotiation, [0, 3, 2, 0x68, 0x32]],
    ]);
    expect(() => decodeServerHello(bytes)).toThrow(alert('ERR_SSL_BAD_EXTENSION', 47));
    expect(() => decodeServerHello(bytes)).toThrow(
      /ApplicationLayerProtocolNegotiation extension in a TLS 1.3 ServerHello/,
    );
    const cookieInHrrOnly = withRawExtensions(HandshakeType.ServerHello, shPrefix(random), [
      [ExtensionType.SupportedVersions, [3, 4]],
      [ExtensionType.Cookie, [0, 1, 1]],
    ]);
    expect(() => decodeServerHello(cookieInHrrOnly)).toThrow(alert('ERR_SSL_BAD_EXTENSION', 47));
  });

  it('reads a TLS 1.2 ServerHello with TLS 1.2 extensions', () => {
    const bytes = withRawExtensions(HandshakeType.ServerHello, shPrefix(random), [
      [ExtensionType.RenegotiationInfo, [0]],
      [ExtensionType.ExtendedMasterSecret, []],
      [ExtensionType.EcPointFormats, [1, 0]],
      [ExtensionType.ApplicationLayerProtocolNegotiation, [0, 3, 2, 0x68, 0x32]],
    ]);
    const decoded = decodeServerHello(bytes);
    expect(decoded.kind).toBe('server-hello');
    expect(decoded.extensions.map((e) => e.kind)).toEqual([
      'renegotiation_info',
      'extended_master_secret',
      'ec_point_formats',
      'application_layer_protocol_negotiation',
    ]);
    const keyShareIn12 = withRawExtensions(HandshakeType.ServerHello, shPrefix(random), [
      [ExtensionType.KeyShare, [0, 0x1d, 0, 1, 1]],
    ]);
    expect(() => decodeServerHello(keyShareIn12)).toThrow(alert('ERR_SSL_BAD_EXTENSION', 47));
  });

  it('finds the downgrade sentinels (RFC 8446 §4.1.3)', () => {
    const r = new Uint8Array(32);
    expect(downgradeSentinel(r)).toBeUndefined();
    r.set(downgradeSentinelTls12, 24);
    expect(downgradeSentinel(r)).toBe('tls12');
    r[31] = 0;
    expect(downgradeSentinel(r)).toBe('tls11');
  });
});

describe('EncryptedExtensions and ALPN', () => {
  it('requires exactly one protocol in a server ALPN reply (RFC 7301 §3.1)', () => {
    const two = withRawExtensions(HandshakeType.EncryptedExtensions, encryptedExtensionsPrefix, [
      [ExtensionType.ApplicationLayerProtocolNegotiation, [0, 6, 2, 0x68, 0x32, 2, 0x68, 0x33]],
    ]);
    expect(() => decodeEncryptedExtensions(two)).toThrow(alert('ERR_SSL_ILLEGAL_PARAMETER', 47));
    const one = withRawExtensions(HandshakeType.EncryptedExtensions, encryptedExtensionsPrefix, [
      [ExtensionType.ApplicationLayerProtocolNegotiation, [0, 3, 2, 0x68, 0x32]],
      [ExtensionType.ServerName, []],
      [ExtensionType.RecordSizeLimit, [0x40, 0x01]],
    ]);
    const decoded = decodeEncryptedExtensions(one);
    expect(
      getExtension(decoded.extensions, 'application_layer_protocol_negotiation')?.protocolNameList,
    ).toEqual([Uint8Array.of(0x68, 0x32)]);
  });

  it('rejects key_share and TLS 1.2-only extensions in EncryptedExtensions', () => {
    for (const type of [
      ExtensionType.KeyShare,
      ExtensionType.RenegotiationInfo,
      ExtensionType.ExtendedMasterSecret,
    ]) {
      const bytes = withRawExtensions(HandshakeType.EncryptedExtensions, encryptedExtensionsPrefix, [
        [type, [0]],
      ]);
      expect(() => decodeEncryptedExtensions(bytes), extensionTypeName(type)).toThrow(
        alert('ERR_SSL_BAD_EXTENSION', 47),
      );
    }
  });

  it('rejects a record_size_limit below 64 and a max_fragment_length outside 1..4', () => {
    const small = withRawExtensions(HandshakeType.EncryptedExtensions, encryptedExtensionsPrefix, [
      [ExtensionType.RecordSizeLimit, [0, 63]],
    ]);
    expect(() => decodeEncryptedExtensions(small)).toThrow(alert('ERR_SSL_ILLEGAL_PARAMETER', 47));
    const mfl = withRawExtensions(HandshakeType.EncryptedExtensions, encryptedExtensionsPrefix, [
      [ExtensionType.MaxFragmentLength, [5]],
    ]);
    expect(() => decodeEncryptedExtensions(mfl)).toThrow(alert('ERR_SSL_ILLEGAL_PARAMETER', 47));
  });
});

describe('Certificate, CertificateRequest and post-handshake messages', () => {
  it('round-trips per-entry OCSP and SCT extensions', () => {
    const message = {
      certificateRequestContext: new Uint8Array(0),
      certificateList: [
        {
          certData: Uint8Array.of(0x30, 0x03, 1, 2, 3),
          extensions: [
            { kind: 'status_request' as const, statusType: 1 as const, response: Uint8Array.of(0x30, 0) },
            { kind: 'signed_certificate_timestamp' as const, sctList: [Uint8Array.of(0, 1, 2)] },
          ],
        },
        { certData: Uint8Array.of(0x30, 0), extensions: [] },
      ],
    };
    const decoded = decodeCertificate(encodeCertificate(message));
    expect(decoded.certificateList).toEqual(message.certificateList);
  });

  it('encodes messages far larger than the initial buffer byte for byte', () => {
    const certData = (seed: number) => Uint8Array.from({ length: 40_000 }, (_, i) => (i * seed) & 0xff);
    const message = {
      certificateRequestContext: Uint8Array.of(1),
      certificateList: [1, 3, 7].map((seed) => ({
        certData: certData(seed),
        extensions: [
          { kind: 'status_request' as const, statusType: 1 as const, response: certData(seed + 1) },
        ],
      })),
    };
    const encoded = encodeCertificate(message);
    expect(encoded.length).toBe(4 + 2 + 3 + 3 * (3 + 40_000 + 2 + 4 + 1 + 3 + 40_000));
    expect(decodeCertificate(encoded).certificateList).toEqual(message.certificateList);
  });

  it('rejects a key_share in a CertificateEntry and an empty cert_data', () => {
    const prefix = (w: Writer) => w.u8(0);
    const withKeyShare = encodeHandshake(HandshakeType.Certificate, (w) => {
      prefix(w);
      w.lengthPrefixed(3, (list) => {
        list.vector(3, Uint8Array.of(0x30, 0));
        list.lengthPrefixed(2, (e) => e.u16(ExtensionType.KeyShare).vector(2, Uint8Array.of(0, 0x1d)));
      });
    });
    expect(() => decodeCertificate(withKeyShare)).toThrow(alert('ERR_SSL_BAD_EXTENSION', 47));
    const empty = encodeHandshake(HandshakeType.Certificate, (w) => {
      prefix(w);
      w.lengthPrefixed(3, (list) => list.vector(3, new Uint8Array(0)).u16(0));
    });
    expect(() => decodeCertificate(empty)).toThrow(alert('ERR_SSL_DECODE_ERROR', 50));
  });

  it('requires signature_algorithms in a CertificateRequest (RFC 8446 §4.3.2)', () => {
    const bytes = withRawExtensions(HandshakeType.CertificateRequest, (w) => w.u8(0), [
      [ExtensionType.CertificateAuthorities, [0, 3, 0, 1, 0x30]],
    ]);
    expect(() => decodeCertificateRequest(bytes)).toThrow(alert('ERR_SSL_MISSING_EXTENSION', 109));
  });

  it('rejects a KeyUpdate request other than 0 or 1 with illegal_parameter (RFC 8446 §4.6.3)', () => {
    expect(decodeKeyUpdate(Uint8Array.of(24, 0, 0, 1, 1)).requestUpdate).toBe(1);
    expect(() => decodeKeyUpdate(Uint8Array.of(24, 0, 0, 1, 2))).toThrow(
      alert('ERR_SSL_ILLEGAL_PARAMETER', 47),
    );
    expect(() => decodeKeyUpdate(Uint8Array.of(24, 0, 0, 2, 0, 0))).toThrow(
      alert('ERR_SSL_DECODE_ERROR', 50),
    );
  });

  it('rejects a Finished of the wrong length and a message of another type', () => {
    expect(() => decodeFinished(Uint8Array.of(20, 0, 0, 2, 1, 2), 32)).toThrow(
      alert('ERR_SSL_DECODE_ERROR', 50),
    );
    expect(() => decodeFinished(Uint8Array.of(24, 0, 0, 1, 0), 1)).toThrow(
      alert('ERR_SSL_UNEXPECTED_MESSAGE', 10),
    );
    expect(() => decodeFinished(Uint8Array.of(20, 0, 0, 3, 0), 1)).toThrow(alert('ERR_SSL_DECODE_ERROR', 50));
  });

  it('rejects an empty ticket and an early_data extension without max_early_data_size', () => {
    const ticket = (t: number[], ext: number[]) =>
      encodeHandshake(HandshakeType.NewSessionTicket, (w) => {
        w.u32(60)
          .u32(1)
          .vector(1, new Uint8Array(0))
          .vector(2, Uint8Array.from(t))
          .vector(2, Uint8Array.from(ext));
      });
    expect(decodeNewSessionTicket(ticket([1], [0, 42, 0, 4, 0, 0, 1, 0])).extensions).toEqual([
      { kind: 'early_data', maxEarlyDataSize: 256 },
    ]);
    expect(() => decodeNewSessionTicket(ticket([], []))).toThrow(alert('ERR_SSL_DECODE_ERROR', 50));
    expect(() => decodeNewSessionTicket(ticket([1], [0, 42, 0, 0]))).toThrow(
      alert('ERR_SSL_DECODE_ERROR', 50),
    );
  });
});

describe('GREASE (RFC 8701)', () => {
  it('recognizes exactly the sixteen 16-bit values and eight PSK mode values', () => {
    const values = Array.from({ length: 0x10000 }, (_, i) => i).filter(isGrease);
    expect(values).toEqual(Array.from({ length: 16 }, (_, i) => i * 0x1010 + 0x0a0a));
    const modes = Array.from({ length: 256 }, (_, i) => i).filter(isGreasePskMode);
    expect(modes).toEqual([0x0b, 0x2a, 0x49, 0x68, 0x87, 0xa6, 0xc5, 0xe4]);
  });
});

describe('status_request by message', () => {
  it('is empty in a TLS 1.3 CertificateRequest (RFC 8446 §4.4.2.1) and refuses a body there', () => {
    const request = (body: number[]) =>
      withRawExtensions(HandshakeType.CertificateRequest, (w) => w.u8(0), [
        [ExtensionType.SignatureAlgorithms, [0, 2, 8, 4]],
        [ExtensionType.StatusRequest, body],
      ]);
    expect(decodeCertificateRequest(request([])).extensions[1]).toEqual({ kind: 'status_request' });
    expect(() => decodeCertificateRequest(request([1, 0, 0, 0, 0]))).toThrow(
      expect.objectContaining({ code: 'ERR_SSL_DECODE_ERROR', alert: 50 }),
    );
  });

  it('is an OCSP CertificateStatusRequest in a ClientHello', () => {
    const bytes = withRawExtensions(HandshakeType.ClientHello, clientHelloPrefix, [
      [ExtensionType.StatusRequest, [1, 0, 0, 0, 0]],
    ]);
    expect(getExtension(decodeClientHello(bytes).extensions, 'status_request')).toEqual({
      kind: 'status_request',
      statusType: 1,
      responderIdList: [],
      requestExtensions: new Uint8Array(0),
    });
  });
});
