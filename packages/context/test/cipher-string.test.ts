// The cipher-list language against the openssl CLI: for each string, `openssl ciphers -s -V`
// (with Node's split of TLS 1.3 names into -ciphersuites) restricted to the suites the
// handshake registry implements must equal what selectCiphers() gives, in the same order.
import { execFileSync } from 'node:child_process';
import { DEFAULT_CIPHERS as nodeDefaultCiphers, getCiphers as nodeGetCiphers } from 'node:tls';
import { cipherSuites, getCipherSuite } from '@tls/handshake';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CIPHERS, getCiphers, selectCiphers } from '../src/index.js';

const implemented = new Set(cipherSuites.map((suite) => suite.id));

/** What OpenSSL selects, as codepoints, restricted to the registry. */
function openssl(ciphers: string): number[] {
  const parts = ciphers.split(':').filter((part) => part.length > 0);
  const tls13 = parts.filter((part) => part.startsWith('TLS_') || part.startsWith('!TLS_'));
  const tls12 = parts.filter((part) => !(part.startsWith('TLS_') || part.startsWith('!TLS_')));
  const args = ['ciphers', '-s', '-V'];
  if (tls13.length > 0) args.push('-ciphersuites', tls13.join(':'));
  args.push(tls12.join(':'));
  const output = execFileSync('openssl', args, { encoding: 'utf8' });
  const ids: number[] = [];
  for (const match of output.matchAll(/0x([0-9A-F]{2}),0x([0-9A-F]{2})/g)) {
    const id = (Number.parseInt(match[1]!, 16) << 8) | Number.parseInt(match[2]!, 16);
    if (implemented.has(id)) ids.push(id);
  }
  return ids;
}

const names = (ids: readonly number[]) => ids.map((id) => getCipherSuite(id)?.opensslName ?? id.toString(16));

const corpus = [
  nodeDefaultCiphers,
  'DEFAULT',
  'ALL',
  'HIGH',
  'HIGH:!aNULL',
  'ALL:COMPLEMENTOFALL',
  'DEFAULT:!ECDSA',
  'DEFAULT:@STRENGTH',
  'ALL:@STRENGTH',
  'HIGH:@SECLEVEL=3',
  'ALL:@SECLEVEL=4',
  'ALL@SECLEVEL=5',
  'DEFAULT:@SECLEVEL=0',
  'ECDHE',
  'EECDH:EDH',
  'kECDHE:kDHE:kRSA',
  'DHE',
  'EDH+AESGCM',
  'ECDHE+AESGCM:ECDHE+CHACHA20',
  'ECDHE+AES256:DHE+AES128',
  'AESGCM:!DHE',
  'AES128',
  'AES256:AES128',
  'AES:-AESGCM',
  'AES:-AESGCM:AESGCM',
  'AES:!AESGCM:AESGCM',
  'AES:+AESGCM',
  'CHACHA20:AESGCM',
  'aRSA',
  'aECDSA:aRSA',
  'RSA',
  'kRSA:+AES256',
  'SHA1',
  'SHA',
  'SHA256:SHA384',
  'SHA384:SHA256:SHA1',
  'TLSv1.2',
  'TLSv1',
  'TLSv1.0:SSLv3',
  'SSLv3',
  'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA:AES128-SHA',
  'AES128-SHA:AES256-SHA:FOO',
  'ALL:-ECDHE:ECDHE',
  'ALL:!ECDHE:ECDHE',
  'HIGH:MEDIUM:!RC4',
  'FIPS',
  'CBC',
  'ECDHE:+SHA1',
  'ALL:+kRSA:+SHA1',
  'DEFAULT:-kRSA:+AES256',
  'AESGCM+ECDHE+aRSA',
  'ECDHE+aECDSA+SHA384',
  'TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256',
  'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:HIGH',
  'TLS_AES_256_GCM_SHA384:TLS_FOO:DEFAULT',
  'HIGH:DEFAULT',
  'ECDHE-RSA-AES128-SHA,DHE-RSA-AES128-SHA;AES128-SHA AES256-SHA',
  'ALL:!SHA1:!SHA256:!SHA384',
  'HIGH+FIPS:AES128',
  'DEFAULT:!AES128:@STRENGTH',
  'ECDHE+ECDSA:ECDHE+RSA:!CHACHA20',
];

// Random rules over the vocabulary (seeded, so every run checks the same strings): words,
// `A+B` combinations, operators, specials and every separator OpenSSL accepts.
const vocabulary = [
  'ALL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'DEFAULT',
  'COMPLEMENTOFDEFAULT',
  'COMPLEMENTOFALL',
  'aNULL',
  'eNULL',
  'NULL',
  'kRSA',
  'RSA',
  'kECDHE',
  'ECDHE',
  'EECDH',
  'kDHE',
  'DHE',
  'EDH',
  'DH',
  'ECDH',
  'aRSA',
  'aECDSA',
  'ECDSA',
  'DSS',
  'aDSS',
  'AES',
  'AES128',
  'AES256',
  'AESGCM',
  'AESCCM',
  'AESCCM8',
  'CHACHA20',
  'CAMELLIA',
  'CAMELLIA128',
  'ARIA',
  'ARIA256',
  'SHA1',
  'SHA',
  'SHA256',
  'SHA384',
  'MD5',
  'TLSv1.2',
  'TLSv1',
  'SSLv3',
  'FIPS',
  'CBC',
  'PSK',
  'kPSK',
  'aPSK',
  'kECDHEPSK',
  'kRSAPSK',
  'SRP',
  'kSRP',
  'ADH',
  'AECDH',
  'RC4',
  '3DES',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'AES128-SHA',
  'DHE-RSA-AES256-SHA',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'AES256-GCM-SHA384',
  'DHE-DSS-AES256-GCM-SHA384',
  'PSK-AES128-CBC-SHA',
  'ECDHE-ECDSA-AES128-CCM8',
  'NULL-SHA256',
  '@STRENGTH',
  '@SECLEVEL=2',
  '@SECLEVEL=3',
  '@SECLEVEL=0',
];
/** openssl's selection, or `undefined` when it refuses the string (no cipher match, bad command). */
function opensslOrError(rule: string): number[] | undefined {
  try {
    return openssl(rule);
  } catch {
    return undefined;
  }
}

function randomRules(count: number, seed: number): string[] {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  const words = vocabulary.filter((word) => !word.startsWith('@'));
  const rules: string[] = [];
  while (rules.length < count) {
    const parts: string[] = [];
    for (let i = 1 + next(5); i > 0; i--) {
      const word = vocabulary[next(vocabulary.length)]!;
      if (word.startsWith('@')) parts.push(word);
      else
        parts.push(
          ['', '', '', '!', '-', '+'][next(6)]! +
            word +
            (next(3) === 0 ? `+${words[next(words.length)]}` : ''),
        );
    }
    const rule = parts.join([':', ',', ' ', ';', ':'][next(5)]!);
    // The CLI would read a leading '-' as an option.
    if (rule.startsWith('-')) continue;
    rules.push(rule);
  }
  return rules;
}

describe('the OpenSSL cipher-list language', () => {
  for (const rule of randomRules(150, 20261124)) {
    it(`selects what openssl selects for the random rule ${JSON.stringify(rule)}`, () => {
      const expected = opensslOrError(rule);
      if (expected === undefined)
        expect(() => selectCiphers(rule)).toThrow(
          expect.objectContaining({ code: expect.stringMatching(/^ERR_SSL_/) }),
        );
      else expect(names(selectCiphers(rule).suites)).toEqual(names(expected));
    });
  }

  it(`has a corpus of at least 40 strings (${corpus.length})`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });
  for (const ciphers of corpus) {
    it(`selects what openssl selects for ${JSON.stringify(ciphers.length > 60 ? `${ciphers.slice(0, 60)}...` : ciphers)}`, () => {
      expect(names(selectCiphers(ciphers).suites)).toEqual(names(openssl(ciphers)));
    });
  }

  it('uses the same default list as node:tls', () => {
    expect(DEFAULT_CIPHERS).toBe(nodeDefaultCiphers);
  });

  it('lists names in lower case as node:tls getCiphers() does, each one Node knows', () => {
    const ours = getCiphers();
    expect(ours).toEqual([...ours].sort());
    expect(ours.length).toBe(cipherSuites.length);
    for (const name of ours) expect(nodeGetCiphers()).toContain(name);
  });
});
