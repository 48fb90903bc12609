// tlsSocket.enableTrace(): one line per TLS record to stderr, in each direction, as OpenSSL's
// SSL_trace does for node:tls (its format is OpenSSL's own; this one is a line per record, with the
// handshake message named while the handshake is unencrypted).

const contentTypes: Record<number, string> = {
  20: 'ChangeCipherSpec',
  21: 'Alert',
  22: 'Handshake',
  23: 'ApplicationData',
};
const handshakeTypes: Record<number, string> = {
  0: 'HelloRequest',
  1: 'ClientHello',
  2: 'ServerHello',
  4: 'NewSessionTicket',
  5: 'EndOfEarlyData',
  8: 'EncryptedExtensions',
  11: 'Certificate',
  12: 'ServerKeyExchange',
  13: 'CertificateRequest',
  14: 'ServerHelloDone',
  15: 'CertificateVerify',
  16: 'ClientKeyExchange',
  20: 'Finished',
  22: 'CertificateStatus',
  24: 'KeyUpdate',
  67: 'NextProtocol',
};
const versions: Record<number, string> = {
  769: 'TLS 1.0',
  770: 'TLS 1.1',
  771: 'TLS 1.2',
  772: 'TLS 1.3',
};

/** Follows one direction's byte stream record by record, whatever the chunking. */
export class RecordTracer {
  readonly #direction: 'Received' | 'Sent';
  readonly #write: (line: string) => void;
  readonly #header = new Uint8Array(5);
  #headerFill = 0;
  #bodyLeft = 0;
  #bodyLength = 0;
  #contentType = 0;
  /** After a ChangeCipherSpec, or once TLS 1.3 protection starts (records say 23), bodies are opaque. */
  #encrypted = false;

  constructor(direction: 'Received' | 'Sent', write: (line: string) => void) {
    this.#direction = direction;
    this.#write = write;
  }

  feed(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      if (this.#bodyLeft === 0) {
        const take = Math.min(5 - this.#headerFill, bytes.length - offset);
        this.#header.set(bytes.subarray(offset, offset + take), this.#headerFill);
        this.#headerFill += take;
        offset += take;
        if (this.#headerFill < 5) return;
        this.#headerFill = 0;
        const header = this.#header;
        this.#contentType = header[0]!;
        const version = (header[1]! << 8) | header[2]!;
        this.#bodyLength = (header[3]! << 8) | header[4]!;
        this.#bodyLeft = this.#bodyLength;
        const type = contentTypes[this.#contentType] ?? 'unknown';
        const versionName = versions[version] ?? 'unknown';
        this.#write(
          `${this.#direction} Record: ${type} (${this.#contentType}), ${versionName} (0x${version.toString(16).padStart(4, '0')}), length ${this.#bodyLength}`,
        );
        if (this.#contentType === 23) this.#encrypted = true;
        continue;
      }
      const take = Math.min(this.#bodyLeft, bytes.length - offset);
      if (this.#bodyLeft === this.#bodyLength && this.#contentType === 22 && !this.#encrypted) {
        const message = bytes[offset]!;
        this.#write(`  ${handshakeTypes[message] ?? `handshake type ${message}`}`);
      }
      this.#bodyLeft -= take;
      offset += take;
      if (this.#bodyLeft === 0 && this.#contentType === 20) this.#encrypted = true;
    }
  }
}
