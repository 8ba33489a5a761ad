/** The Okta definitions loaded three times: interpreted (the reference), compiled, and compiled to closures only (no generated JavaScript). */
import { JsonataInterpreter, CompilingExpressionCompiler, type ExpressionCompiler } from '../../engine/expression/index.js';
import type { LoadedDefinitions, LoadedOperation } from '../../engine/definition/loaded.js';
import { loadDefinitionsOrThrow } from '../../engine/loader/index.js';
import { integrationsDir, schemasDir } from '../support/paths.js';

export async function loadOkta(compiler: ExpressionCompiler): Promise<LoadedDefinitions> {
  return loadDefinitionsOrThrow({ integrationsDir, schemasDir, compiler, only: ['okta'] });
}

export async function bothOkta(): Promise<{ interpreted: LoadedDefinitions; compiled: LoadedDefinitions; closures: LoadedDefinitions }> {
  return {
    interpreted: await loadOkta(new JsonataInterpreter()),
    compiled: await loadOkta(new CompilingExpressionCompiler()),
    closures: await loadOkta(new CompilingExpressionCompiler(undefined, undefined, false)),
  };
}

export function operationsOf(defs: LoadedDefinitions): LoadedOperation[] {
  return [...(defs.integrations.get('okta')?.operations.values() ?? [])].sort((a, b) => a.key.localeCompare(b.key));
}
