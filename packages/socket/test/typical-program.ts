// Not run: type-checked with the package (tsc -p tsconfig.json). A typical node:tls program with
// only its import changed must compile against our declarations (issue: "close enough to
// @types/node's that swapping the import type-checks").
import { readFileSync } from 'node:fs';
import tls, { type TLSSocket } from '@tls/socket';

export function typicalProgram(): void {
  const options = {
    key: readFileSync('server-key.pem'),
    cert: readFileSync('server-cert.pem'),
    requestCert: true,
  };
  const server = tls.createServer(options, (socket: TLSSocket) => {
    console.log('server connected', socket.authorized ? 'authorized' : 'unauthorized');
    socket.write('welcome!\n');
    socket.setEncoding('utf8');
    socket.pipe(socket);
  });
  server.listen(8000, () => console.log('server bound'));
  server.on('tlsClientError', (error: Error) => console.log(error.message));

  const socket = tls.connect(8000, { ca: [readFileSync('server-cert.pem')], servername: 'localhost' }, () => {
    console.log('client connected', socket.authorized ? 'authorized' : 'unauthorized');
    const cert = socket.getPeerCertificate();
    console.log(
      cert.subject.CN,
      cert.valid_to,
      cert.fingerprint256,
      socket.getCipher().name,
      socket.getProtocol(),
    );
    const detailed = socket.getPeerCertificate(true);
    console.log(detailed.issuerCertificate?.subject);
    process.stdin.pipe(socket);
  });
  socket.setEncoding('utf8');
  socket.on('data', (data: string) => console.log(data));
  socket.on('session', (session: Buffer) => console.log(session.length));
  socket.on('end', () => server.close());
  const context = tls.createSecureContext({ ciphers: tls.DEFAULT_CIPHERS, minVersion: 'TLSv1.2' });
  tls.connect({ port: 443, host: 'example.com', secureContext: context, rejectUnauthorized: true });
  console.log(
    tls.getCiphers().length,
    tls.rootCertificates.length,
    tls.checkServerIdentity('x', socket.getPeerCertificate()),
  );
}
