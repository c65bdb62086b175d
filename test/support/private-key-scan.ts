// Finds private key material in text: PEM private keys with a body (PKCS#1, PKCS#8, EC, encrypted
// or OpenSSH), and JWKs carrying a private member (the EC/RSA "d", an "oct" "k"), quoted as JSON
// or written as a JavaScript object literal. Names of such things in code ("PRIVATE KEY" as a
// PEM label argument, a property named d) are not key material and are not reported.
export interface KeyMaterialHit {
  kind: 'pem' | 'jwk';
  /** Where in the text, and a short excerpt with the secret itself cut off. */
  index: number;
  excerpt: string;
}

/** The body may sit in a string literal, its line breaks written as \n. */
const PEM =
  /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----(?:[A-Za-z0-9+/=\s:,-]|\\[rn]){32,}-----END \1-----/g;
/** "d": "<43+ base64url>" in JSON, or d: '<…>' in code; P-256 has 43 characters, RSA more. */
const JWK_PRIVATE = /(?:"(?:d|k|p|q|dp|dq|qi)"|\b(?:d|k|dp|dq|qi))\s*:\s*["'`]([A-Za-z0-9_-]{40,})["'`]/g;
/** A JWK private member only counts beside the members of a key, so minified code does not trip it. */
const KEY_CONTEXT = /["']?kty["']?\s*:|["']?crv["']?\s*:|\.\.\.[A-Z_]*JWK/;

export function findPrivateKeyMaterial(text: string): KeyMaterialHit[] {
  const hits: KeyMaterialHit[] = [];
  for (const m of text.matchAll(PEM))
    hits.push({ kind: 'pem', index: m.index, excerpt: `-----BEGIN ${m[1]}----- …` });
  for (const m of text.matchAll(JWK_PRIVATE)) {
    const around = text.slice(Math.max(0, m.index - 400), m.index + m[0].length + 400);
    if (KEY_CONTEXT.test(around))
      hits.push({
        kind: 'jwk',
        index: m.index,
        excerpt: `${m[0].slice(0, m[0].length - m[1]!.length - 1)}…`,
      });
  }
  return hits;
}
