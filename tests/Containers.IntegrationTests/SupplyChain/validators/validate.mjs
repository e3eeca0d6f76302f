// Validates an SBOM with independent validators, offline: CycloneDX 1.6 with the CycloneDX library's own strict
// validator (it ships the official schemas), SPDX 2.3 with ajv and the official schema kept beside this file.
// Usage: node validate.mjs cyclonedx|spdx FILE   -> prints "valid", or the schema errors and exits 1.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const [kind, file] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
let errors = null;
if (kind === 'cyclonedx') {
  const { Spec, Validation } = await import('@cyclonedx/cyclonedx-library');
  errors = await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text);
} else if (kind === 'spdx') {
  const { default: Ajv } = await import('ajv');
  const { default: addFormats } = await import('ajv-formats');
  const here = dirname(fileURLToPath(import.meta.url));
  const schema = JSON.parse(readFileSync(join(here, 'spdx-2.3-schema.json'), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  errors = validate(JSON.parse(text)) ? null : validate.errors;
} else {
  console.error(`unknown kind '${kind}'`);
  process.exit(2);
}
if (errors === null || errors === undefined) {
  console.log('valid');
} else {
  console.log(JSON.stringify(errors, null, 2));
  process.exit(1);
}
