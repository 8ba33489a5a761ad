import { Ajv, type Options } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { isHostPort } from './host-port.js';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (ajv: Ajv) => Ajv;

/**
 * One place that configures ajv for unimap: formats (including `host-port` for account contexts),
 * all errors collected, discriminated unions. Unified schemas and embedded context/credentials schemas
 * are author-written, so unknown keywords are tolerated there (`strict: false`) while meta-schemas run strict.
 */
export function createAjv(options: { strict?: boolean } & Options = {}): Ajv {
  const { strict = false, ...rest } = options;
  const ajv = new Ajv({
    allErrors: true,
    discriminator: true,
    strict,
    strictTypes: strict ? 'log' : false,
    strictRequired: false,
    allowUnionTypes: true,
    logger: strict ? undefined : false,
    ...rest,
  });
  addFormats(ajv);
  ajv.addFormat('host-port', { type: 'string', validate: isHostPort });
  return ajv;
}
