// @tls/record: the TLS record layer. Pure: no node:*, no Buffer; crypto comes from a provider.

export type { Alert } from './alert.js';
export { AlertDescription, AlertLevel, alertName, encodeAlert } from './alert.js';
export { Reader } from './codec/reader.js';
export { Writer } from './codec/writer.js';
export { TlsError, decodeError, describeAlert, isTlsError } from './errors.js';
