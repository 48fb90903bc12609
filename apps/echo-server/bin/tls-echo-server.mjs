#!/usr/bin/env node
// tls-echo-server: a TLS echo server on @tls/socket. With no arguments it listens on
// 127.0.0.1:8000 with a certificate it makes in memory, prints the certificate's fingerprint and
// the openssl command that reaches it, and logs one line per connection.
import { appendFileSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createNodeCryptoProvider } from '@tls/crypto/node';
import tls from '@tls/socket';
import { createCertificate, decodePem, encodePem, parseCertificate, toPeerCertificate } from '@tls/x509';

const usage = `usage: tls-echo-server [--port N] [--host ADDR] [--cert FILE --key FILE] [--pfx FILE [--passphrase P]]
                       [--ca FILE] [--request-cert] [--alpn a,b] [--sni host=cert,key]...
                       [--min-version TLSv1.2] [--max-version TLSv1.3] [--ciphers LIST] [--keylog FILE]`;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8000' },
    host: { type: 'string', default: '127.0.0.1' },
    cert: { type: 'string' },
    key: { type: 'string' },
    pfx: { type: 'string' },
    passphrase: { type: 'string' },
    ca: { type: 'string', multiple: true },
    'request-cert': { type: 'boolean', default: false },
    alpn: { type: 'string' },
    sni: { type: 'string', multiple: true },
    'min-version': { type: 'string' },
    'max-version': { type: 'string' },
    ciphers: { type: 'string' },
    keylog: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}

/** A fresh P-256 key and a self-signed certificate for localhost and 127.0.0.1, in memory. */
function embeddedIdentity() {
  const provider = createNodeCryptoProvider();
  const { privateKey, publicKey } = provider.generateKeyPair({ type: 'ec', curve: 'P-256' });
  const { pem } = createCertificate(
    {
      subject: { CN: 'localhost', O: 'tls-echo-server' },
      publicKey,
      signingKey: privateKey,
      subjectAltNames: [
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ],
      extKeyUsage: ['serverAuth'],
      notAfter: provider.now() + 7 * 86_400_000,
    },
    provider,
  );
  return { cert: pem, key: encodePem('PRIVATE KEY', provider.exportPrivateKey(privateKey)) };
}

/** `--sni host=cert,key` entries as [host, { cert, key }]. */
const sniContexts = (values.sni ?? []).map((entry) => {
  const match = /^([^=]+)=([^,]+),(.+)$/.exec(entry);
  if (match === null) {
    console.error(`tls-echo-server: --sni takes host=cert,key, got ${entry}\n${usage}`);
    process.exit(2);
  }
  return [match[1], { cert: readFileSync(match[2]), key: readFileSync(match[3]) }];
});

const options = {};
if (values.pfx) Object.assign(options, { pfx: readFileSync(values.pfx), passphrase: values.passphrase });
else if (values.cert || values.key) {
  if (!values.cert || !values.key) {
    console.error(`tls-echo-server: --cert and --key go together\n${usage}`);
    process.exit(2);
  }
  Object.assign(options, {
    cert: readFileSync(values.cert),
    key: readFileSync(values.key),
    passphrase: values.passphrase,
  });
} else Object.assign(options, embeddedIdentity());
if (values.ca) options.ca = values.ca.map((file) => readFileSync(file));
if (values['request-cert']) Object.assign(options, { requestCert: true, rejectUnauthorized: false });
if (values.alpn) options.ALPNProtocols = values.alpn.split(',');
if (values['min-version']) options.minVersion = values['min-version'];
if (values['max-version']) options.maxVersion = values['max-version'];
if (values.ciphers) options.ciphers = values.ciphers;

const server = tls.createServer(options, (socket) => {
  const started = Date.now();
  const peerAddress = `${socket.remoteAddress}:${socket.remotePort}`;
  let bytes = 0;
  socket.on('data', (chunk) => {
    bytes += chunk.length;
  });
  socket.pipe(socket);
  socket.on('error', () => {});
  socket.on('close', () => {
    const cipher = socket.getCipher();
    const peer = socket.getPeerCertificate();
    const info = [
      peerAddress,
      `sni=${socket.servername || '-'}`,
      `alpn=${socket.alpnProtocol || '-'}`,
      socket.getProtocol(),
      cipher?.name,
      `group=${socket.getNegotiatedGroup() ?? '-'}`,
      socket.isSessionReused() ? 'resumed' : 'full',
      `client=${peer?.subject?.CN ?? '-'}`,
      `bytes=${bytes}`,
      `${Date.now() - started}ms`,
    ];
    console.log(info.join(' '));
  });
});
for (const [host, context] of sniContexts) server.addContext(host, context);
if (values.keylog) server.on('keylog', (line) => appendFileSync(values.keylog, line));
server.on('tlsClientError', (error, socket) => {
  console.log(
    `${socket.remoteAddress}:${socket.remotePort} handshake failed: ${error.code ?? ''} ${error.message}`,
  );
});
server.listen(Number(values.port), values.host, () => {
  const { port } = server.address();
  console.log(`tls-echo-server listening on ${values.host}:${port}`);
  const fingerprint = leafFingerprint(options.cert);
  if (fingerprint) console.log(`certificate SHA-256 fingerprint: ${fingerprint}`);
  console.log(`try: openssl s_client -connect ${values.host}:${port} -servername localhost`);
});

/** The SHA-256 fingerprint of the first certificate in a PEM string or Buffer, as Node prints it. */
function leafFingerprint(cert) {
  if (cert === undefined) return undefined;
  const [block] = decodePem(String(cert));
  if (block === undefined) return undefined;
  return toPeerCertificate(parseCertificate(block.der), createNodeCryptoProvider()).fingerprint256;
}

function shutdown() {
  // close() stops accepting; each open connection gets close_notify through end().
  server.close();
  for (const socket of openSockets) socket.end();
  setTimeout(() => process.exit(0), 1000).unref();
}
const openSockets = new Set();
server.on('secureConnection', (socket) => {
  openSockets.add(socket);
  socket.on('close', () => openSockets.delete(socket));
});
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
