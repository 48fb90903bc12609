// HTTP on top of our TLS: Node's http server fed with our TLSSockets serves curl and Node's https
// client; Node's https client uses our connect() to fetch from a native https server.
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import * as https from 'node:https';
import { promisify } from 'node:util';
import tls from '@tls/socket';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, listenOnLoopback, localhostPki } from '@tls/test-kit';

const pki = localhostPki();

const run = promisify(execFile);
const closers = cleanupAfterEach();

async function ourHttpsServer(): Promise<number> {
  const app = http.createServer((request, response) => {
    response.end(
      `hello ${request.url} over ${(request.socket as unknown as { getProtocol(): string }).getProtocol()}`,
    );
  });
  const server = tls.createServer(
    { key: pki.server.key, cert: pki.server.cert, ALPNProtocols: ['http/1.1'] },
    (socket) => {
      app.emit('connection', socket);
    },
  );
  return listenOnLoopback(server, closers);
}

describe('HTTPS over @tls/socket', () => {
  it('serves curl', async () => {
    const port = await ourHttpsServer();
    const { stdout } = await run('curl', [
      '-sS',
      '--cacert',
      pki.caFile,
      '--resolve',
      `localhost:${port}:127.0.0.1`,
      `https://localhost:${port}/curl`,
    ]);
    expect(stdout).toBe('hello /curl over TLSv1.3');
  });

  it("serves Node's https client", async () => {
    const port = await ourHttpsServer();
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(
          { host: '127.0.0.1', port, path: '/node', servername: 'localhost', ca: pki.ca, agent: false },
          (response) => {
            let text = '';
            response.on('data', (chunk) => {
              text += chunk;
            });
            response.on('end', () => resolve(text));
          },
        )
        .on('error', reject);
    });
    expect(body).toBe('hello /node over TLSv1.3');
  });

  it('fetches from a native https server through our connect()', async () => {
    const server = https.createServer({ key: pki.server.key, cert: pki.server.cert }, (request, response) => {
      response.end(`native saw ${request.url}`);
    });
    const port = await listenOnLoopback(server, closers);
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(
          {
            host: '127.0.0.1',
            port,
            path: '/ours',
            // Without an agent, Node's http client takes its socket from createConnection.
            createConnection: () =>
              tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca }) as never,
          },
          (response) => {
            let text = '';
            response.on('data', (chunk) => {
              text += chunk;
            });
            response.on('end', () => resolve(text));
          },
        )
        .on('error', reject);
    });
    expect(body).toBe('native saw /ours');
  });
});
