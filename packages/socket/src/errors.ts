// Node-shaped errors for the socket layer: what node:tls users meet, with the same `code`,
// and for TLS failures the `library`/`reason` fields OpenSSL gives Node.

/** An Error with Node's `code` (and any extra fields) attached. */
export function nodeError(
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): Error & { code: string } {
  return Object.assign(new Error(message), { code, ...extra });
}

/**
 * An Error for a TLS failure from the engine, shaped like Node's OpenSSL errors. Node makes an
 * `ERR_SSL_*` code from OpenSSL's reason string (upper case, spaces to underscores), so the reason
 * is that code read back (`ERR_SSL_NO_SHARED_CIPHER` → 'no shared cipher'); the message keeps the
 * engine's own explanation.
 */
export function tlsFailure(error: {
  code: string;
  message: string;
  reason?: string;
}): Error & { code: string } {
  const reason =
    error.reason ??
    (error.code.startsWith('ERR_SSL_') ? error.code.slice(8).toLowerCase().replaceAll('_', ' ') : undefined);
  // Node's own errors (ERR_TLS_*) carry no OpenSSL fields.
  return reason === undefined
    ? nodeError(error.code, error.message)
    : nodeError(error.code, error.message, { library: 'SSL routines', reason });
}

/**
 * The transport closed before the handshake completed, in Node's words: a client's 'error' says
 * the network socket disconnected, a server's 'tlsClientError' says "socket hang up".
 */
export function disconnectedBeforeSecure(isServer = false): Error & { code: string } {
  return nodeError(
    'ECONNRESET',
    isServer
      ? 'socket hang up'
      : 'Client network socket disconnected before secure TLS connection was established',
  );
}

/** A misuse of the API, thrown synchronously (`TypeError` with `ERR_INVALID_ARG_TYPE` and so on). */
export function invalidArgType(
  name: string,
  expected: string,
  actual: unknown,
): TypeError & { code: string } {
  const received =
    actual === null
      ? 'null'
      : typeof actual === 'object'
        ? `an instance of ${actual?.constructor?.name ?? 'Object'}`
        : `type ${typeof actual} (${String(actual)})`;
  return Object.assign(new TypeError(`The "${name}" argument must be ${expected}. Received ${received}`), {
    code: 'ERR_INVALID_ARG_TYPE',
  });
}
