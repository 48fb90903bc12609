// tls.connect(): every overload of Node's (options; port[, host][, options]; path[, options];
// each with an optional callback), over a new net connection or a given `socket`.

import { isIP, connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { secureContextFor } from '@tls/context';
import { invalidArgType } from './errors.js';
import { TLSSocket, type TLSSocketOptions, forwardConnectEvents } from './tls-socket.js';

export interface ConnectionOptions extends TLSSocketOptions {
  host?: string;
  port?: number;
  path?: string;
  socket?: Duplex;
  timeout?: number;
  lookup?: (...args: never[]) => void;
}

type Callback = () => void;

function normalize(args: unknown[]): { options: ConnectionOptions; callback: Callback | undefined } {
  const rest = [...args];
  const callback = typeof rest[rest.length - 1] === 'function' ? (rest.pop() as Callback) : undefined;
  let options: ConnectionOptions = {};
  const [first, second, third] = rest;
  if (typeof first === 'object' && first !== null) options = { ...(first as ConnectionOptions) };
  else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    options =
      typeof second === 'object' && second !== null
        ? { ...(second as ConnectionOptions) }
        : { ...(third as ConnectionOptions) };
    options.port = Number(first);
    if (typeof second === 'string') options.host = second;
  } else if (typeof first === 'string') {
    options = typeof second === 'object' && second !== null ? { ...(second as ConnectionOptions) } : {};
    options.path = first;
  }
  return { options, callback };
}

/**
 * Opens a TLS connection, as Node's `tls.connect`.
 * @example
 * const socket = connect(443, 'example.com', () => socket.write('GET / HTTP/1.0\r\n\r\n'));
 */
export function connect(...args: unknown[]): TLSSocket {
  const { options, callback } = normalize(args);
  const minDHSize = (options as { minDHSize?: unknown }).minDHSize;
  if (minDHSize !== undefined) {
    // Node asserts the same (as ERR_INTERNAL_ASSERTION); these are the codes its validators use.
    if (typeof minDHSize !== 'number') throw invalidArgType('options.minDHSize', 'of type number', minDHSize);
    if (!(minDHSize > 0)) {
      throw Object.assign(new RangeError(`options.minDHSize is not a positive number: ${minDHSize}`), {
        code: 'ERR_OUT_OF_RANGE',
      });
    }
  }
  const host = options.host ?? 'localhost';
  // RFC 6066 §3: no SNI for IP literals (Node sends none either).
  const servername = options.servername ?? (isIP(host) === 0 ? host : undefined);
  // Options without context options share the default context (Node makes one per connect).
  const secureContext =
    options.secureContext ?? secureContextFor(options as Parameters<typeof secureContextFor>[0]);
  const transport =
    options.socket ??
    (options.path !== undefined
      ? netConnect({ path: options.path })
      : netConnect({
          port: options.port ?? 443,
          host,
          ...(options.lookup === undefined ? {} : { lookup: options.lookup as never }),
        }));
  // Object.assign, not spread: a megamorphic spread gives each result a map of its own, kept
  // for the connection's life.
  const socketOptions: TLSSocketOptions = Object.assign({}, options, {
    isServer: false,
    secureContext,
    host,
  });
  if (servername === undefined) delete socketOptions.servername;
  else socketOptions.servername = servername;
  const socket = new TLSSocket(transport, socketOptions);
  if (options.socket === undefined) forwardConnectEvents(transport);
  if (options.timeout !== undefined) socket.setTimeout(options.timeout);
  if (callback !== undefined) socket.once('secureConnect', callback);
  return socket;
}
