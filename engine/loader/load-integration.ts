import type { Ajv } from 'ajv';
import type { LoadedErrorRule, LoadedIntegration } from '../definition/loaded.js';
import type { IntegrationSpec } from '../definition/types.js';
import type { DefinitionIssue } from '../errors.js';
import type { ExpressionCompiler } from '../expression/types.js';
import { parseTemplate } from '../runtime/url.js';
import { compileAt } from './compile-expression.js';
import { loadPagination } from './load-pagination.js';
import type { MetaSchemas } from './meta-schemas.js';
import { validateAgainst } from './schema-issues.js';
import { createAjv } from '../validation/ajv.js';
import { lazyValidator } from './lazy-validator.js';
import { formatPath, positionAt, type YamlSource } from './yaml-source.js';

/** Context schemas may declare defaults (e.g. a provider's public host, overridable for sovereign clouds). */
let contextAjv: Ajv | undefined;
const contextInstance = () => (contextAjv ??= createAjv({ useDefaults: true }));

export function loadIntegration(
  source: YamlSource,
  folderName: string,
  deps: { ajv: () => Ajv; metas: MetaSchemas; compiler: ExpressionCompiler },
  issues: DefinitionIssue[],
  /** The extended integration's spec: fields this file leaves out are taken from it. */
  base?: IntegrationSpec,
): LoadedIntegration | undefined {
  const found = validateAgainst(source, deps.metas.integration.validate, deps.metas.integration.schema);
  issues.push(...found);
  if (found.length) return undefined;
  const spec = (base ? { ...base, ...(source.value as IntegrationSpec) } : source.value) as IntegrationSpec;
  const file = source.file;
  const before = issues.length;
  const issue = (code: string, path: (string | number)[], message: string, hint: string, key = false) =>
    issues.push({ code, file, ...positionAt(source, path, { key }), path: formatPath(path), message, hint, severity: 'error' });

  if (spec.name !== folderName) {
    issue('integration.name', ['name'], `name "${spec.name}" does not match its folder "${folderName}"`, `Set name: ${folderName}, or rename the folder.`);
  }

  const compileSchema = (field: 'context_schema' | 'credentials_schema') => {
    // Compiled on first use (see lazyValidator); what would make compiling fail is reported now.
    const validator = lazyValidator(field === 'context_schema' ? contextInstance : deps.ajv, spec[field]);
    if (validator.problem) {
      issue('integration.invalid-schema', [field], `${field} is not a valid JSON Schema: ${validator.problem}`, 'Write a draft-07 JSON Schema object here.');
      return undefined;
    }
    return validator.get;
  };
  const validateContext = compileSchema('context_schema');
  const validateCredentials = compileSchema('credentials_schema');

  // Every base URL placeholder must be a required context field, or calls would fail at run time.
  const contextProps = (spec.context_schema.properties ?? {}) as Record<string, unknown>;
  const contextRequired = new Set((spec.context_schema.required ?? []) as string[]);
  for (const param of parseTemplate(spec.base_url).params) {
    if (!(param in contextProps) || !contextRequired.has(param)) {
      issue('integration.base-url-param', ['base_url'], `base_url uses {${param}}, which is not a required field of context_schema`, `Add "${param}" to context_schema.properties and context_schema.required.`);
    }
  }

  const credentialProps = (spec.credentials_schema.properties ?? {}) as Record<string, unknown>;
  spec.auth.forEach((scheme, i) => {
    const fields = scheme.type === 'basic' ? [scheme.username, scheme.password] : scheme.type === 'none' ? [] : [scheme.credential];
    for (const f of fields) {
      if (!(f in credentialProps)) {
        issue('integration.auth-credential', ['auth', i], `auth scheme ${i + 1} reads credential "${f}", which credentials_schema does not declare`, `Add "${f}" to credentials_schema.properties, or fix the name.`);
      }
    }
  });

  const c = (path: (string | number)[], text: string | undefined) => (text === undefined ? undefined : compileAt(deps.compiler, source, path, text, issues));
  const errorRules: LoadedErrorRule[] = [];
  (spec.errors?.rules ?? []).forEach((rule, i) => {
    const when = c(['errors', 'rules', i, 'when'], rule.when);
    const message = c(['errors', 'rules', i, 'message'], rule.message);
    if (when) errorRules.push({ when, kind: rule.kind, status: rule.status, message });
  });
  const loaded: LoadedIntegration = {
    name: spec.name,
    file,
    spec,
    get validateContext() {
      return validateContext!();
    },
    get validateCredentials() {
      return validateCredentials!();
    },
    errorMessage: c(['errors', 'message'], spec.errors?.message),
    errorCode: c(['errors', 'code'], spec.errors?.code),
    errorRules,
    rateLimitDetect: c(['rate_limit', 'detect'], spec.rate_limit?.detect),
    pagination: loadPagination(spec.pagination, source, ['pagination'], deps.compiler, issues),
    operations: new Map(),
  };
  return issues.length > before ? undefined : loaded;
}
