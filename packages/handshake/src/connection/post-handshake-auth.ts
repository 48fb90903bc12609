// TLS 1.3 post-handshake client authentication (RFC 8446 §4.2.6, §4.6.2). The client offers it
// with an empty post_handshake_auth extension; afterwards the server may send a CertificateRequest
// with a non-empty certificate_request_context, which the client answers with Certificate,
// CertificateVerify (when it sends a chain) and Finished. Each exchange is hashed over the
// handshake transcript through the client Finished plus its own messages (RFC 8446 §4.4), and
// the Finished key comes from the current client_application_traffic_secret (RFC 8446 §4.4.4).
//
// The client answers at once (`answerCertificateRequest`); the server waits for the answer in
// one state per message (`ExpectPostHandshakeCertificate` …), as the handshake states do.

import type { CryptoProvider } from '@tls/crypto';
import { chooseClientCertificate, copyBytes, requireMessage } from '../client/common.js';
import { HandshakeType } from '../enums.js';
import { handshakeError, illegalParameter, missingExtension } from '../errors.js';
import { Tls13KeySchedule } from '../key-schedule/tls13.js';
import { decodeCertificate, encodeCertificate } from '../messages/certificate.js';
import { decodeCertificateRequest, encodeCertificateRequest } from '../messages/certificate-request.js';
import {
  certificateVerifyContent,
  decodeCertificateVerify,
  encodeCertificateVerify,
} from '../messages/certificate-verify.js';
import { getExtension } from '../messages/extensions/extension-list.js';
import { decodeFinished, encodeFinished } from '../messages/finished.js';
import type { HandshakeFrame } from '../reassembler.js';
import type { AeadSuite } from '../suites.js';
import type { Transcript } from '../transcript.js';
import {
  type ConnectionConfig,
  defaultSignatureSchemes,
  isTls13SignatureScheme,
  tls13CertificateRequestExtensions,
} from './config.js';
import { importPeerKey } from './spki.js';

/** What an exchange needs from the connection. */
export interface PostHandshakeAuthContext {
  readonly config: ConnectionConfig;
  readonly provider: CryptoProvider;
  readonly suite: AeadSuite;
  /** The handshake transcript through the client Finished; cloned for each exchange. */
  readonly transcript: Transcript;
  /** The SNI name of the connection, for the verifier. */
  readonly serverName: string | undefined;
}

/**
 * Client: the answer to a post-handshake CertificateRequest, as one run of handshake messages
 * (Certificate, [CertificateVerify], Finished).
 */
export function answerCertificateRequest(
  context: PostHandshakeAuthContext,
  frame: HandshakeFrame,
  clientApplicationTrafficSecret: Uint8Array,
): Uint8Array[] {
  const { config, provider, suite } = context;
  const request = decodeCertificateRequest(frame.bytes);
  // RFC 8446 §4.3.2: the context is what ties the answer to this request (it is only empty in the handshake).
  if (request.certificateRequestContext.length === 0) {
    throw illegalParameter(
      'post-handshake CertificateRequest has an empty certificate_request_context (RFC 8446 §4.3.2)',
    );
  }
  const algorithms = getExtension(request.extensions, 'signature_algorithms');
  // RFC 8446 §4.3.2: "The "signature_algorithms" extension MUST be specified".
  if (algorithms === undefined)
    throw missingExtension('CertificateRequest without signature_algorithms (RFC 8446 §4.3.2)');
  const transcript = context.transcript.clone();
  transcript.add(frame.bytes);
  const chosen = chooseClientCertificate(config, provider, algorithms.supportedSignatureAlgorithms);
  const messages: Uint8Array[] = [];
  const certificate = encodeCertificate({
    certificateRequestContext: request.certificateRequestContext,
    certificateList: (chosen?.key.chain ?? []).map((certData) => ({ certData, extensions: [] })),
  });
  transcript.add(certificate);
  messages.push(certificate);
  if (chosen !== undefined) {
    const signature = provider.sign(
      chosen.scheme,
      chosen.key.privateKey,
      certificateVerifyContent('client', transcript.currentHash()),
    );
    const verify = encodeCertificateVerify({ algorithm: chosen.scheme, signature });
    transcript.add(verify);
    messages.push(verify);
  }
  const schedule = new Tls13KeySchedule(provider, suite.hash);
  messages.push(
    encodeFinished({
      verifyData: schedule.finishedVerifyData(clientApplicationTrafficSecret, transcript.currentHash()),
    }),
  );
  return messages;
}

/** Server: a post-handshake CertificateRequest with a fresh context, and the state awaiting its answer. */
export function startCertificateRequest(context: PostHandshakeAuthContext): {
  readonly message: Uint8Array;
  readonly state: PostHandshakeAuthState;
} {
  const requestContext = context.provider.random(32);
  const schemes = (context.config.signatureSchemes ?? defaultSignatureSchemes).filter(isTls13SignatureScheme);
  const message = encodeCertificateRequest({
    certificateRequestContext: requestContext,
    extensions: tls13CertificateRequestExtensions(context.config),
  });
  const transcript = context.transcript.clone();
  transcript.add(message);
  return {
    message,
    state: new ExpectPostHandshakeCertificate({ context, requestContext, schemes, transcript }),
  };
}

/** The client authenticated itself: its chain (empty when it sent none) and signature scheme. */
export interface PostHandshakeAuthResult {
  readonly peerCertificates: readonly Uint8Array[];
  readonly peerSignatureScheme: number | undefined;
}

/** A server state of one exchange: the next state, or the result once the client Finished verifies. */
export interface PostHandshakeAuthState {
  readonly name: string;
  /** Whether the client's answer has begun (a KeyUpdate may only come before it). */
  readonly started: boolean;
  handle(
    frame: HandshakeFrame,
    clientApplicationTrafficSecret: Uint8Array,
  ): PostHandshakeAuthState | PostHandshakeAuthResult;
}

interface Exchange {
  readonly context: PostHandshakeAuthContext;
  readonly requestContext: Uint8Array;
  readonly schemes: readonly number[];
  readonly transcript: Transcript;
  readonly peerCertificates?: readonly Uint8Array[];
  readonly peerSignatureScheme?: number;
}

/** Waits for the client's Certificate (RFC 8446 §4.4.2). */
class ExpectPostHandshakeCertificate implements PostHandshakeAuthState {
  readonly name = 'ExpectPostHandshakeCertificate';
  readonly started = false;
  readonly #exchange: Exchange;

  constructor(exchange: Exchange) {
    this.#exchange = exchange;
  }

  handle(frame: HandshakeFrame): PostHandshakeAuthState {
    requireMessage(frame, HandshakeType.Certificate);
    const exchange = this.#exchange;
    const { context } = exchange;
    const certificate = decodeCertificate(frame.bytes);
    // RFC 8446 §4.4.2: the context of the CertificateRequest being answered.
    if (!context.provider.timingSafeEqual(certificate.certificateRequestContext, exchange.requestContext)) {
      throw illegalParameter(
        'client Certificate does not carry the certificate_request_context of the request (RFC 8446 §4.4.2)',
      );
    }
    exchange.transcript.add(frame.bytes);
    const chain = certificate.certificateList.map((entry) => copyBytes(entry.certData));
    // RFC 8446 §4.4.2.4: the verifier decides whether an empty chain is acceptable.
    const failure = context.config.verifyPeer?.(chain, { peer: 'client', serverName: context.serverName });
    if (failure !== undefined) throw failure;
    if (chain.length === 0) return new ExpectPostHandshakeFinished({ ...exchange, peerCertificates: chain });
    return new ExpectPostHandshakeCertificateVerify({ ...exchange, peerCertificates: chain });
  }
}

/** Waits for the client's CertificateVerify (RFC 8446 §4.4.3). */
class ExpectPostHandshakeCertificateVerify implements PostHandshakeAuthState {
  readonly name = 'ExpectPostHandshakeCertificateVerify';
  readonly started = true;
  readonly #exchange: Exchange;

  constructor(exchange: Exchange) {
    this.#exchange = exchange;
  }

  handle(frame: HandshakeFrame): PostHandshakeAuthState {
    requireMessage(frame, HandshakeType.CertificateVerify);
    const exchange = this.#exchange;
    const { provider } = exchange.context;
    const verify = decodeCertificateVerify(frame.bytes);
    if (!exchange.schemes.includes(verify.algorithm)) {
      throw handshakeError(
        'WrongSignatureType',
        'client signed with a scheme that was not offered (RFC 8446 §4.4.3)',
      );
    }
    const publicKey = importPeerKey(provider, exchange.peerCertificates![0]!, 'client');
    if (!provider.isSchemeCompatible(verify.algorithm, publicKey)) {
      throw illegalParameter("client's signature scheme does not fit its certificate key (RFC 8446 §4.4.3)");
    }
    const content = certificateVerifyContent('client', exchange.transcript.currentHash());
    if (!provider.verify(verify.algorithm, publicKey, content, verify.signature)) {
      throw handshakeError(
        'BadSignature',
        'client CertificateVerify signature does not verify (RFC 8446 §4.4.3)',
      );
    }
    exchange.transcript.add(frame.bytes);
    return new ExpectPostHandshakeFinished({ ...exchange, peerSignatureScheme: verify.algorithm });
  }
}

/** Waits for the client's Finished (RFC 8446 §4.4.4), keyed by the current client traffic secret. */
class ExpectPostHandshakeFinished implements PostHandshakeAuthState {
  readonly name = 'ExpectPostHandshakeFinished';
  readonly started = true;
  readonly #exchange: Exchange;

  constructor(exchange: Exchange) {
    this.#exchange = exchange;
  }

  handle(frame: HandshakeFrame, clientApplicationTrafficSecret: Uint8Array): PostHandshakeAuthResult {
    requireMessage(frame, HandshakeType.Finished);
    const exchange = this.#exchange;
    const schedule = new Tls13KeySchedule(exchange.context.provider, exchange.context.suite.hash);
    const finished = decodeFinished(frame.bytes, schedule.hashLength);
    if (
      !schedule.verifyFinished(
        clientApplicationTrafficSecret,
        exchange.transcript.currentHash(),
        finished.verifyData,
      )
    ) {
      throw handshakeError(
        'DigestCheckFailed',
        'client post-handshake Finished does not verify (RFC 8446 §4.4.4)',
      );
    }
    return {
      peerCertificates: exchange.peerCertificates ?? [],
      peerSignatureScheme: exchange.peerSignatureScheme,
    };
  }
}
