// The OpenSSL cipher-list language (ciphers(1)): names and aliases joined with `+`, the `!`, `-`
// and `+` operators, `@STRENGTH` and `@SECLEVEL=n`, over the suites of the @tls/handshake
// registry. The evaluation follows OpenSSL 3.0's ssl/ssl_ciph.c: the same preference order of
// all suites before the string is applied, the same rule semantics (a deleted suite moves to the
// front, a killed one is gone for good), the same security-level filter. TLS 1.3 suites are set
// apart (Node passes `TLS_*` names to SSL_CTX_set_ciphersuites) and come first.

import { type CipherSuiteInfo, cipherSuites as registry } from '@tls/handshake';
import { type ContextError, invalidArgValue, opensslError } from './errors.js';

/**
 * Node's `DEFAULT_CIPHERS` (node:tls of Node 20).
 * @example createSecureContext({ ciphers: `${DEFAULT_CIPHERS}:!kRSA` })
 */
export const DEFAULT_CIPHERS =
  'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA256:HIGH:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA';

/** OpenSSL's default cipher list (OSSL_default_cipher_list), what a leading `DEFAULT` means. */
const opensslDefault = 'ALL:!COMPLEMENTOFDEFAULT:!eNULL';

// Algorithm bits (ssl_local.h SSL_k*, SSL_a*, SSL_* encryption and MAC masks), only as many as
// the aliases need to tell our suites apart from the rest.
const kRSA = 0x1;
const kDHE = 0x2;
const kECDHE = 0x4;
const kOther = 0x8; // PSK, SRP, GOST: no suite here
const aRSA = 0x1;
const aECDSA = 0x2;
const aDSS = 0x4;
const aNULL = 0x8;
const aOther = 0x10;
const eAES128 = 0x1;
const eAES256 = 0x2;
const eAES128GCM = 0x4;
const eAES256GCM = 0x8;
const eCHACHA20 = 0x10;
const eAESCCM = 0x20;
const eNULL = 0x40;
const eOtherCbc = 0x80; // Camellia, ARIA, SEED, 3DES, ...
const eOther = 0x100; // RC4, ...
const everyEnc = 0x1ff;
const mMD5 = 0x1;
const mSHA1 = 0x2;
const mSHA256 = 0x4;
const mSHA384 = 0x8;
const mAEAD = 0x10;
// algo_strength: SSL_STRONG_MASK bits, then SSL_DEFAULT_MASK.
const sLOW = 0x2;
const sMEDIUM = 0x4;
const sHIGH = 0x8;
const sFIPS = 0x10;
const strongMask = 0x1f;
const sNOT_DEFAULT = 0x20;

const SSL3 = 0x0300;
const TLS1 = 0x0301;
const TLS1_2 = 0x0303;

interface Pattern {
  mkey: number;
  auth: number;
  enc: number;
  mac: number;
  minTls: number;
  strength: number;
}

interface SuiteEntry extends Pattern {
  readonly suite: CipherSuiteInfo;
  readonly bits: number;
}

function describe(suite: CipherSuiteInfo): SuiteEntry {
  const mkey = suite.keyExchange === 'ecdhe' ? kECDHE : suite.keyExchange === 'dhe' ? kDHE : kRSA;
  const auth = suite.authentication === 'ecdsa' ? aECDSA : aRSA;
  let enc: number;
  let mac: number;
  if (suite.cipherType === 'aead') {
    enc =
      suite.aead === 'aes-128-gcm'
        ? eAES128GCM
        : suite.aead === 'aes-256-gcm'
          ? eAES256GCM
          : suite.aead === 'chacha20-poly1305'
            ? eCHACHA20
            : eAESCCM;
    mac = mAEAD;
  } else {
    enc = suite.cipher === 'aes-128-cbc' ? eAES128 : suite.cipher === 'aes-256-cbc' ? eAES256 : eOtherCbc;
    mac = suite.mac === 'sha1' ? mSHA1 : suite.mac === 'sha256' ? mSHA256 : mSHA384;
  }
  // OpenSSL's min_tls: the SHA-1 CBC suites of RFC 5246 are SSLv3-era except the ECDHE ones
  // (RFC 4492, TLS 1.0); everything with SHA-256/384 or an AEAD is TLS 1.2.
  const minTls = mac === mSHA1 ? (mkey === kECDHE ? TLS1 : SSL3) : TLS1_2;
  const fips = enc === eCHACHA20 ? 0 : sFIPS;
  return { suite, bits: suite.bits, mkey, auth, enc, mac, minTls, strength: sHIGH | fips };
}

const all = ~0;
const alias = (pattern: Partial<Pattern>): Pattern => ({
  mkey: 0,
  auth: 0,
  enc: 0,
  mac: 0,
  minTls: 0,
  strength: 0,
  ...pattern,
});

// ssl_ciph.c cipher_aliases, restricted to what can select one of our suites or must be known
// so it selects nothing (an unknown word also selects nothing, so the rest can stay out).
const aliases: ReadonlyMap<string, Pattern> = /* @__PURE__ */ new Map([
  ['ALL', alias({ enc: everyEnc & ~eNULL })],
  ['COMPLEMENTOFALL', alias({ enc: eNULL })],
  ['COMPLEMENTOFDEFAULT', alias({ strength: sNOT_DEFAULT })],
  ['kRSA', alias({ mkey: kRSA })],
  ['kEDH', alias({ mkey: kDHE })],
  ['kDHE', alias({ mkey: kDHE })],
  ['DH', alias({ mkey: kDHE })],
  ['kEECDH', alias({ mkey: kECDHE })],
  ['kECDHE', alias({ mkey: kECDHE })],
  ['ECDH', alias({ mkey: kECDHE })],
  ['kPSK', alias({ mkey: kOther })],
  ['aRSA', alias({ auth: aRSA })],
  ['aDSS', alias({ auth: aDSS })],
  ['DSS', alias({ auth: aDSS })],
  ['aNULL', alias({ auth: aNULL })],
  ['aECDSA', alias({ auth: aECDSA })],
  ['ECDSA', alias({ auth: aECDSA })],
  ['aPSK', alias({ auth: aOther })],
  ['EDH', alias({ mkey: kDHE, auth: all & ~aNULL })],
  ['DHE', alias({ mkey: kDHE, auth: all & ~aNULL })],
  ['EECDH', alias({ mkey: kECDHE, auth: all & ~aNULL })],
  ['ECDHE', alias({ mkey: kECDHE, auth: all & ~aNULL })],
  ['NULL', alias({ enc: eNULL })],
  ['eNULL', alias({ enc: eNULL })],
  ['RSA', alias({ mkey: kRSA })],
  ['ADH', alias({ mkey: kDHE, auth: aNULL })],
  ['AECDH', alias({ mkey: kECDHE, auth: aNULL })],
  ['PSK', alias({ mkey: kOther })],
  ['SRP', alias({ mkey: kOther })],
  ['AES128', alias({ enc: eAES128 | eAES128GCM | eAESCCM })],
  ['AES256', alias({ enc: eAES256 | eAES256GCM | eAESCCM })],
  ['AES', alias({ enc: eAES128 | eAES256 | eAES128GCM | eAES256GCM | eAESCCM })],
  ['AESGCM', alias({ enc: eAES128GCM | eAES256GCM })],
  ['AESCCM', alias({ enc: eAESCCM })],
  ['AESCCM8', alias({ enc: eAESCCM })],
  ['CHACHA20', alias({ enc: eCHACHA20 })],
  ['CBC', alias({ enc: eAES128 | eAES256 | eOtherCbc })],
  ['CAMELLIA', alias({ enc: eOtherCbc })],
  ['ARIA', alias({ enc: eOther })],
  ['DES', alias({ enc: eOther })],
  ['3DES', alias({ enc: eOtherCbc })],
  ['RC4', alias({ enc: eOther })],
  ['MD5', alias({ mac: mMD5 })],
  ['SHA1', alias({ mac: mSHA1 })],
  ['SHA', alias({ mac: mSHA1 })],
  ['SHA256', alias({ mac: mSHA256 })],
  ['SHA384', alias({ mac: mSHA384 })],
  ['SSLv3', alias({ minTls: SSL3 })],
  ['TLSv1', alias({ minTls: TLS1 })],
  ['TLSv1.0', alias({ minTls: TLS1 })],
  ['TLSv1.2', alias({ minTls: TLS1_2 })],
  ['LOW', alias({ strength: sLOW })],
  ['MEDIUM', alias({ strength: sMEDIUM })],
  ['HIGH', alias({ strength: sHIGH })],
  ['FIPS', alias({ strength: sFIPS })],
]);

const tls13Entries: readonly CipherSuiteInfo[] = registry.filter((suite) => suite.minVersion === 0x0304);
const tls12Entries: readonly SuiteEntry[] = registry
  .filter((suite) => suite.maxVersion < 0x0304)
  .map(describe)
  // ssl_cipher_collect_ciphers walks OpenSSL's table from the end: highest codepoint first.
  .sort((a, b) => b.suite.id - a.suite.id);
const byName: ReadonlyMap<string, SuiteEntry> = new Map(
  tls12Entries.map((entry) => [entry.suite.opensslName, entry]),
);
// TLS 1.3 names OpenSSL knows that the registry lacks: accepted in `ciphers`, offering nothing.
const knownTls13Names = new Set(['TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256']);

type Operation = 'add' | 'delete' | 'kill' | 'order' | 'bump';

/** One rule application over the ordered list (ssl_cipher_apply_rule). */
class CipherList {
  order: SuiteEntry[];
  readonly active = new Set<SuiteEntry>();

  constructor(entries: readonly SuiteEntry[]) {
    this.order = [...entries];
  }

  apply(operation: Operation, matches: (entry: SuiteEntry) => boolean): void {
    // Deletions and bumps walk the list backwards so the moved suites keep their relative order.
    const walk = operation === 'delete' || operation === 'bump' ? [...this.order].reverse() : [...this.order];
    for (const entry of walk) {
      if (!matches(entry)) continue;
      const isActive = this.active.has(entry);
      switch (operation) {
        case 'add':
          if (!isActive) {
            this.moveToEnd(entry);
            this.active.add(entry);
          }
          break;
        case 'order':
          if (isActive) this.moveToEnd(entry);
          break;
        case 'delete':
          // A deleted suite goes to the front: the best place for a later re-add.
          if (isActive) {
            this.moveToFront(entry);
            this.active.delete(entry);
          }
          break;
        case 'bump':
          if (isActive) this.moveToFront(entry);
          break;
        case 'kill':
          this.order = this.order.filter((other) => other !== entry);
          this.active.delete(entry);
          break;
      }
    }
  }

  /** ssl_cipher_strength_sort: active suites grouped by strength, strongest first, stable. */
  sortByStrength(): void {
    const strengths = [...new Set(this.order.map((entry) => entry.bits))].sort((a, b) => b - a);
    for (const bits of strengths) this.apply('order', (entry) => entry.bits === bits);
  }

  private moveToEnd(entry: SuiteEntry): void {
    this.order = [...this.order.filter((other) => other !== entry), entry];
  }

  private moveToFront(entry: SuiteEntry): void {
    this.order = [entry, ...this.order.filter((other) => other !== entry)];
  }
}

function matcher(pattern: Pattern, id: number | undefined): (entry: SuiteEntry) => boolean {
  return (entry) => {
    // An explicit suite still has to meet the masks of the other words of its rule (A+B).
    if (id !== undefined && entry.suite.id !== id) return false;
    if (pattern.mkey !== 0 && (pattern.mkey & entry.mkey) === 0) return false;
    if (pattern.auth !== 0 && (pattern.auth & entry.auth) === 0) return false;
    if (pattern.enc !== 0 && (pattern.enc & entry.enc) === 0) return false;
    if (pattern.mac !== 0 && (pattern.mac & entry.mac) === 0) return false;
    if (pattern.minTls !== 0 && pattern.minTls !== entry.minTls) return false;
    const strong = pattern.strength & strongMask;
    if (strong !== 0 && (strong & entry.strength) === 0) return false;
    const notDefault = pattern.strength & sNOT_DEFAULT;
    if (notDefault !== 0 && (notDefault & entry.strength) === 0) return false;
    return true;
  };
}

/** The list before any string is applied: OpenSSL's built-in preference order, all inactive. */
function initialList(): CipherList {
  const list = new CipherList(tls12Entries);
  const any = alias({});
  const add = (pattern: Partial<Pattern>) => list.apply('add', matcher(alias(pattern), undefined));
  const order = (pattern: Partial<Pattern>) => list.apply('order', matcher(alias(pattern), undefined));
  const bump = (pattern: Partial<Pattern>) => list.apply('bump', matcher(alias(pattern), undefined));
  // ECDHE first, ECDSA before RSA; then AES-GCM, ChaCha20, other AES; then the rest.
  add({ mkey: kECDHE, auth: aECDSA });
  add({ mkey: kECDHE });
  list.apply('delete', matcher(alias({ mkey: kECDHE }), undefined));
  add({ enc: eAES128GCM | eAES256GCM });
  add({ enc: eCHACHA20 });
  add({ enc: eAES128 | eAES256 | eAESCCM });
  list.apply('add', matcher(any, undefined));
  order({ mac: mMD5 });
  order({ auth: aNULL });
  order({ mkey: kRSA });
  order({ mkey: kOther });
  order({ enc: eOther });
  list.sortByStrength();
  // Prefer TLS 1.2 suites, then (EC)DHE + AEAD > (EC)DHE > AEAD > rest (bumped in reverse).
  bump({ minTls: TLS1_2 });
  bump({ mac: mAEAD });
  bump({ mkey: kDHE | kECDHE });
  bump({ mkey: kDHE | kECDHE, mac: mAEAD });
  list.apply('delete', matcher(any, undefined));
  return list;
}

function noCipherMatch(): ContextError {
  return opensslError('ERR_SSL_NO_CIPHER_MATCH', '0A0000B9', 'SSL routines', 'no cipher match');
}

function invalidCommand(): ContextError {
  return opensslError('ERR_SSL_INVALID_COMMAND', '0A000118', 'SSL routines', 'invalid command');
}

const isSeparator = (ch: string) => ch === ':' || ch === ' ' || ch === ',' || ch === ';';
const isWordChar = (ch: string) => /[A-Za-z0-9.=-]/.test(ch);

/** ssl_cipher_process_rulestr over `text`; returns the last @SECLEVEL seen, if any. */
function processRules(list: CipherList, text: string): number | undefined {
  let level: number | undefined;
  let at = 0;
  while (at < text.length) {
    const first = text[at]!;
    let operation: Operation | 'special' = 'add';
    if (first === '-') operation = 'delete';
    else if (first === '+') operation = 'order';
    else if (first === '!') operation = 'kill';
    else if (first === '@') operation = 'special';
    if (operation !== 'add') at++;
    else if (isSeparator(first)) {
      at++;
      continue;
    }
    const pattern = alias({});
    let id: number | undefined;
    let found = true;
    for (;;) {
      const start = at;
      while (at < text.length && isWordChar(text[at]!)) at++;
      const word = text.slice(start, at);
      if (word.length === 0) throw invalidCommand();
      if (operation === 'special') {
        if (word === 'STRENGTH') list.sortByStrength();
        else if (/^SECLEVEL=[0-5]$/.test(word)) level = Number(word.slice(9));
        else throw invalidCommand();
        found = false;
        break;
      }
      const cipher = byName.get(word);
      const part = cipher ?? aliases.get(word);
      if (part === undefined) {
        found = false;
        break;
      }
      if (cipher !== undefined) id = cipher.suite.id;
      // An explicit suite's protocol version is not part of the pattern (ssl_ciph.c).
      if (!combine(pattern, cipher === undefined ? part : { ...part, minTls: 0 })) {
        found = false;
        break;
      }
      if (text[at] === '+') {
        at++;
        continue;
      }
      break;
    }
    // A rule that applied continues right after its last word (`ALL@SECLEVEL=5` is two rules);
    // a special or an unmatched rule throws the rest of its item away.
    if (found && operation !== 'special') list.apply(operation, matcher(pattern, id));
    else while (at < text.length && !isSeparator(text[at]!)) at++;
  }
  return level;
}

/** Narrows `pattern` by another alias, as `A+B` does; false when nothing can match both. */
function combine(pattern: Pattern, part: Pattern): boolean {
  for (const field of ['mkey', 'auth', 'enc', 'mac'] as const) {
    if (part[field] === 0) continue;
    if (pattern[field] === 0) pattern[field] = part[field];
    else {
      pattern[field] &= part[field];
      if (pattern[field] === 0) return false;
    }
  }
  const strong = part.strength & strongMask;
  if (strong !== 0) {
    if ((pattern.strength & strongMask) !== 0) {
      pattern.strength &= strong | ~strongMask;
      if ((pattern.strength & strongMask) === 0) return false;
    } else pattern.strength |= strong;
  }
  if ((part.strength & sNOT_DEFAULT) !== 0) pattern.strength |= sNOT_DEFAULT;
  if (part.minTls !== 0) {
    if (pattern.minTls !== 0 && pattern.minTls !== part.minTls) return false;
    pattern.minTls = part.minTls;
  }
  return true;
}

/** ssl_security_default_callback for ciphers: minimum bits per level, no SHA-1 MAC above 160 bits, forward secrecy from level 3. */
function allowedAtLevel(suite: CipherSuiteInfo, level: number): boolean {
  const minBits = [0, 80, 112, 128, 192, 256][level] ?? 0;
  if (suite.bits < minBits) return false;
  if (minBits > 160 && suite.cipherType === 'cbc' && suite.mac === 'sha1') return false;
  if (level >= 3 && suite.minVersion < 0x0304 && suite.keyExchange === 'rsa') return false;
  return true;
}

/** The result of a cipher string. */
export interface CipherSelection {
  /** Suite codepoints in preference order: TLS 1.3 first, then TLS 1.2 and below. */
  readonly suites: readonly number[];
  /** The `@SECLEVEL` in force (OpenSSL's default 1 when the string sets none). */
  readonly securityLevel: number;
}

/**
 * Evaluates an OpenSSL cipher list for the TLS 1.2 suites (`openssl ciphers` semantics).
 * @throws Error `ERR_SSL_INVALID_COMMAND` (a character or `@` command OpenSSL rejects).
 * @example evaluateCipherList('ECDHE+AESGCM:!ECDSA').suites.map(getCipherSuite)
 */
export function evaluateCipherList(text: string): {
  suites: CipherSuiteInfo[];
  securityLevel: number | undefined;
} {
  const list = initialList();
  let rest = text;
  let level: number | undefined;
  if (rest.startsWith('DEFAULT')) {
    level = processRules(list, opensslDefault);
    rest = rest.slice(7);
    if (rest.startsWith(':')) rest = rest.slice(1);
  }
  level = processRules(list, rest) ?? level;
  return {
    suites: list.order.filter((entry) => list.active.has(entry)).map((entry) => entry.suite),
    securityLevel: level,
  };
}

/**
 * Evaluates Node's `ciphers` option the way Node hands it to OpenSSL: `TLS_*` entries (and
 * `!TLS_*`) form the TLS 1.3 list (SSL_CTX_set_ciphersuites), the rest the TLS 1.2 list
 * (SSL_CTX_set_cipher_list); without TLS 1.3 entries OpenSSL's TLS 1.3 default stays. Suites
 * the security level forbids are left out, as OpenSSL does when it builds a ClientHello.
 * @throws TypeError `ERR_INVALID_ARG_VALUE` when both lists are empty (Node); Error
 *   `ERR_SSL_NO_CIPHER_MATCH` when a non-empty list matches nothing, or nothing this stack
 *   implements; `ERR_SSL_INVALID_COMMAND` for syntax OpenSSL rejects.
 * @example selectCiphers('TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256').suites // [0x1301, 0xc02f]
 */
export function selectCiphers(ciphers: string, optionName = 'options.ciphers'): CipherSelection {
  // Contexts made per connect() mostly share one string: evaluate it once.
  const cached = selections.get(ciphers);
  if (cached !== undefined) return cached;
  const selection = evaluateSelection(ciphers, optionName);
  if (selections.size >= 64) selections.delete(selections.keys().next().value as string);
  selections.set(ciphers, selection);
  return selection;
}

const selections = new Map<string, CipherSelection>();

function evaluateSelection(ciphers: string, optionName: string): CipherSelection {
  const parts = ciphers.split(':');
  const isTls13 = (part: string) => part.startsWith('TLS_') || part.startsWith('!TLS_');
  const tls13Parts = parts.filter((part) => part.length > 0 && isTls13(part));
  const tls12Parts = parts.filter((part) => part.length > 0 && !isTls13(part));
  if (tls13Parts.length === 0 && tls12Parts.length === 0) throw invalidArgValue(optionName, parts);

  let tls13: CipherSuiteInfo[] = [...tls13Entries];
  if (tls13Parts.length > 0) {
    // SSL_CTX_set_ciphersuites: exact names; unknown ones are skipped; none at all is an error.
    const named = tls13Parts.filter(
      (name) => tls13Entries.some((s) => s.opensslName === name) || knownTls13Names.has(name),
    );
    if (named.length === 0) throw noCipherMatch();
    tls13 = [];
    for (const name of named) {
      const suite = tls13Entries.find((s) => s.opensslName === name);
      if (suite !== undefined && !tls13.includes(suite)) tls13.push(suite);
    }
  }
  let tls12: CipherSuiteInfo[] = [];
  let level: number | undefined;
  if (tls12Parts.length > 0) {
    const evaluated = evaluateCipherList(tls12Parts.join(':'));
    if (evaluated.suites.length === 0) throw noCipherMatch();
    tls12 = evaluated.suites;
    level = evaluated.securityLevel;
  }
  const securityLevel = level ?? 1;
  const suites = [...tls13, ...tls12]
    .filter((suite) => allowedAtLevel(suite, securityLevel))
    .map((s) => s.id);
  if (suites.length === 0) {
    throw Object.assign(noCipherMatch(), {
      message: `no cipher suite this TLS stack implements matches ciphers "${ciphers}"`,
    });
  }
  return Object.freeze({ suites: Object.freeze(suites), securityLevel });
}

/**
 * Every suite name in Node's `tls.getCiphers()` form: the OpenSSL names, lower case, sorted.
 * @example getCiphers().includes('ecdhe-rsa-aes128-gcm-sha256') // true
 */
export function getCiphers(): string[] {
  return [...new Set(registry.map((suite) => suite.opensslName.toLowerCase()))].sort();
}
