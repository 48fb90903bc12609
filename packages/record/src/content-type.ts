// Record content types (RFC 8446 §5.1, RFC 5246 §6.2.1) and the record size limits of both RFCs.

/** ContentType of TLSPlaintext/TLSCiphertext. */
export const ContentType = {
  ChangeCipherSpec: 20,
  Alert: 21,
  Handshake: 22,
  ApplicationData: 23,
  Heartbeat: 24,
} as const;
export type ContentType = number;

/** Record protocol versions as they appear in record headers. */
export const RecordVersion = {
  Tls10: 0x0301,
  Tls11: 0x0302,
  Tls12: 0x0303,
  /** TLS 1.3 writes 0x0303 in record headers (RFC 8446 §5.1); 0x0304 appears only in extensions. */
  Tls13: 0x0304,
} as const;

export const RecordLimits = {
  /** Length of a record header: type(1) version(2) length(2). */
  HeaderLength: 5,
  /** 2^14: the most plaintext in one record (RFC 8446 §5.1, RFC 5246 §6.2.1). */
  MaxPlaintext: 16384,
  /** TLS 1.3 ciphertext may exceed the plaintext limit by 256 (RFC 8446 §5.2). */
  Tls13MaxExpansion: 256,
  /** TLS 1.2 ciphertext may exceed the plaintext limit by 2048 (RFC 5246 §6.2.3). */
  Tls12MaxExpansion: 2048,
  /** The smallest fragment `setMaxSendFragment` accepts (Node's range is 512..16384). */
  MinFragment: 512,
  /** The smallest record_size_limit a peer may advertise (RFC 8449 §4). */
  MinRecordSizeLimit: 64,
  /** Consecutive empty records tolerated before the peer is cut off (as OpenSSL: 32). */
  MaxConsecutiveEmptyRecords: 32,
  /** Consecutive warning alerts tolerated (as OpenSSL: 5). */
  MaxConsecutiveWarningAlerts: 5,
} as const;
