// Errors thrown by createSecureContext. Node-facing errors copy Node's class (TypeError,
// RangeError, Error), `code` and message text, so code written against `node:tls` that matches
// on either keeps working. Errors are identified by `code` (STYLE.md §5.6).

import { inspect } from 'node:util';

/** An error with a stable `code` and, for OpenSSL-style errors, Node's `library` and `reason`. */
export interface ContextError extends Error {
  readonly code: string;
  readonly library?: string;
  readonly reason?: string;
}

type ErrorClass = ErrorConstructor | TypeErrorConstructor | RangeErrorConstructor;

function withCode(Class: ErrorClass, code: string, message: string, extra?: object): ContextError {
  const error = new Class(message) as ContextError & { code: string };
  Object.defineProperty(error, 'code', { value: code, enumerable: true, writable: true, configurable: true });
  if (extra !== undefined) Object.assign(error, extra);
  return error;
}

/** Node's description of the received value in ERR_INVALID_ARG_TYPE (`determineSpecificType`). */
function describeReceived(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return `function ${(value as { name?: string }).name ?? ''}`;
  if (typeof value === 'object') {
    const constructorName = (value as { constructor?: { name?: string } }).constructor?.name;
    if (constructorName) return `an instance of ${constructorName}`;
    return inspect(value, { depth: -1 });
  }
  let shown = inspect(value, { colors: false });
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return `type ${typeof value} (${shown})`;
}

/** Node's numbers in range messages: `9_007_199_254_740_992` beyond 2^32. */
function formatNumber(value: number): string {
  if (!Number.isInteger(value) || Math.abs(value) <= 2 ** 32) return String(value);
  const digits = String(Math.abs(value));
  let grouped = '';
  for (let end = digits.length; end > 0; end -= 3) {
    grouped = digits.slice(Math.max(0, end - 3), end) + (grouped === '' ? '' : `_${grouped}`);
  }
  return value < 0 ? `-${grouped}` : grouped;
}

/** The phrase Node uses for `options.key`-like values. */
export const keyOrCertTypes = 'of type string or an instance of Buffer, TypedArray, or DataView';

/**
 * `TypeError` `ERR_INVALID_ARG_TYPE`, worded as Node words it (`expected` is the part after "must be").
 * @example invalidArgType('options.ciphers', 'of type string', 1)
 */
export function invalidArgType(name: string, expected: string, value: unknown): ContextError {
  const kind = name.includes('.') ? 'property' : 'argument';
  return withCode(
    TypeError,
    'ERR_INVALID_ARG_TYPE',
    `The "${name}" ${kind} must be ${expected}. Received ${describeReceived(value)}`,
  );
}

/**
 * `TypeError` `ERR_INVALID_ARG_VALUE` (Node: "The property 'x' is invalid. Received ...").
 * @example invalidArgValue('options.sigalgs', '')
 */
export function invalidArgValue(name: string, value: unknown, reason = 'is invalid'): ContextError {
  const kind = name.includes('.') ? 'property' : 'argument';
  let shown = inspect(value);
  if (shown.length > 128) shown = `${shown.slice(0, 128)}...`;
  return withCode(TypeError, 'ERR_INVALID_ARG_VALUE', `The ${kind} '${name}' ${reason}. Received ${shown}`);
}

/**
 * `RangeError` `ERR_OUT_OF_RANGE`.
 * @example outOfRange('options.sessionTimeout', '>= 0 && <= 2147483647', -1)
 */
export function outOfRange(name: string, range: string, value: number): ContextError {
  return withCode(
    RangeError,
    'ERR_OUT_OF_RANGE',
    `The value of "${name}" is out of range. It must be ${range}. Received ${formatNumber(value)}`,
  );
}

/**
 * A `TypeError` with a code of Node's TLS family (ERR_TLS_INVALID_PROTOCOL_VERSION, ...).
 * @example tlsTypeError('ERR_TLS_INVALID_PROTOCOL_METHOD', 'Unknown method: foo')
 */
export function tlsTypeError(code: string, message: string): ContextError {
  return withCode(TypeError, code, message);
}

/**
 * An `Error` shaped like Node's OpenSSL errors: `code` `ERR_OSSL_*`, the OpenSSL message, `library`
 * and `reason`.
 * @example opensslError('ERR_OSSL_PEM_NO_START_LINE', '0480006C', 'PEM routines', 'no start line')
 */
export function opensslError(code: string, hexCode: string, library: string, reason: string): ContextError {
  return withCode(Error, code, `error:${hexCode}:${library}::${reason}`, { library, reason });
}

/**
 * A plain `Error` with a code, for failures Node reports as ERR_CRYPTO_OPERATION_FAILED and for
 * our own codes (features not supported yet).
 * @example contextError('ERR_CRYPTO_OPERATION_FAILED', 'Failed to set ECDH curve')
 */
export function contextError(code: string, message: string, cause?: unknown): ContextError {
  const error = withCode(Error, code, message);
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, configurable: true });
  return error;
}
