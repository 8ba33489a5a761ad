import { Ajv, type Format, type FormatDefinition, type Options } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { isDateTime } from './date-time.js';
import { isHostPort } from './host-port.js';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (ajv: Ajv) => Ajv;

/** The formats unimap replaces or adds on top of ajv-formats' full (strict) mode. */
const OWN_FORMATS: Record<string, Format> = {
  // ajv-formats' own date-time check splits the string and runs two regular expressions; this one
  // accepts exactly the same strings (test/runtime/date-time-format.test.ts), about ten times faster.
  // Output is checked on every item, so it matters.
  'date-time': { type: 'string', validate: isDateTime, compare: (fullFormats['date-time'] as FormatDefinition<string>).compare },
  'host-port': { type: 'string', validate: isHostPort },
};

/** Every format a unimap validator knows, by name (what precompiled validators are bound to). */
export const FORMATS: Readonly<Record<string, Format>> = { ...fullFormats, ...OWN_FORMATS };

/**
 * One place that configures ajv for unimap: formats (including `host-port` for account contexts),
 * all errors collected, discriminated unions. Unified schemas and embedded context/credentials schemas
 * are author-written, so unknown keywords are tolerated there (`strict: false`) while meta-schemas run strict.
 */
export function createAjv(options: { strict?: boolean } & Options = {}): Ajv {
  const { strict = false, ...rest } = options;
  const ajv = new Ajv(ajvOptions({ strict, ...rest }));
  addFormats(ajv);
  for (const [name, format] of Object.entries(OWN_FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

/** The options `createAjv` gives ajv (also those the precompiled validators were generated with). */
export function ajvOptions(options: { strict: boolean } & Options): Options {
  const { strict, ...rest } = options;
  return {
    allErrors: true,
    discriminator: true,
    strict,
    strictTypes: strict ? 'log' : false,
    strictRequired: false,
    allowUnionTypes: true,
    logger: strict ? undefined : false,
    ...rest,
  };
}
