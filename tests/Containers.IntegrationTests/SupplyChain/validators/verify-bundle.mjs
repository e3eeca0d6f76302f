// Verifies a Sigstore bundle offline with sigstore's own verification library and a public key (no transparency log,
// no certificate: a key given by the user, as `cosign verify --key` does).
// Usage: node verify-bundle.mjs BUNDLE ARTIFACT PUBLIC_KEY_PEM  -> prints "verified", or the error and exits 1.
import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { bundleFromJSON } from '@sigstore/bundle';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';

const [bundleFile, artifactFile, keyFile] = process.argv.slice(2);
const bundle = bundleFromJSON(JSON.parse(readFileSync(bundleFile, 'utf8')));
const key = createPublicKey(readFileSync(keyFile, 'utf8'));
const noAuthorities = { mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] };
const trust = toTrustMaterial(noAuthorities, () => ({ publicKey: key, validFor: () => true }));
try {
  new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(toSignedEntity(bundle, readFileSync(artifactFile)));
  console.log('verified');
} catch (e) {
  console.log(`rejected: ${e.code ?? ''} ${e.message}`);
  process.exit(1);
}
