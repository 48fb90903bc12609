// @tls/record: the TLS record layer. Pure: no node:*, no Buffer; crypto comes from a provider.

export type { Alert } from './alert.js';
export { AlertDescription, AlertLevel, alertName, decodeAlert, encodeAlert } from './alert.js';
export { Reader } from './codec/reader.js';
export { Writer } from './codec/writer.js';
export { concatBytes, copyBytes } from './bytes.js';
export { ContentType, RecordLimits, RecordVersion } from './content-type.js';
export { TlsError, decodeError, describeAlert, isTlsError } from './errors.js';
export { plaintextProtection } from './protection/plaintext.js';
export type { OpenedRecord, RecordProtection } from './protection/protection.js';
export { recordHeader } from './protection/protection.js';
export type { Tls12AeadKeys } from './protection/tls12-aead.js';
export { createTls12AeadProtection } from './protection/tls12-aead.js';
export type { Tls12CbcKeys } from './protection/tls12-cbc.js';
export { createTls12CbcProtection } from './protection/tls12-cbc.js';
export type { PaddingPolicy, Tls13CipherSpec, Tls13ProtectionOptions } from './protection/tls13.js';
export {
  createTls13Protection,
  createTls13ProtectionFromKey,
  nextTls13TrafficSecret,
} from './protection/tls13.js';
export type { PlainRecord, RecordEvent, RecordFailure, RecordReaderOptions } from './reader.js';
export { RecordReader } from './reader.js';
export type { RecordWriterOptions } from './writer.js';
export { RecordWriter } from './writer.js';
export { SequenceNumber } from './sequence.js';
