// Sample certificates sealed with a key made for the test run, and that key's public half.
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { buildSampleDocument } from '../../fixtures/registry/samples.js';
import { sealDocument } from '../../src/documents/issue-seals.js';
import {
  signDocument,
  type CertificateType,
  type DocumentContent,
  type SignedDocument,
  type SigningKey,
} from '../../src/registry/document.js';

export async function testKey(kid = 'test-registry'): Promise<{ key: SigningKey; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    key: { kid, privateJwk: { ...(await exportJWK(privateKey)), kid } },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
  };
}

/** Signs and seals `content` as the registry does. */
export async function issue(content: DocumentContent, key: SigningKey): Promise<SignedDocument> {
  return sealDocument(await signDocument(content, key), key);
}

/** The sample of `type`, re-issued under `key`. */
export async function sample(type: CertificateType, key: SigningKey): Promise<SignedDocument> {
  const { signature: _s, seals: _seals, ...content } = await buildSampleDocument(type);
  return issue(content, key);
}
