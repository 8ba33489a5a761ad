/** Every expression the integrations define, by where it sits, loaded the way the runtime loads them. */
import { JsonataInterpreter, type Expression } from '../../../engine/expression/index.js';
import { loadDefinitions } from '../../../engine/loader/index.js';
import { integrationsDir, schemasDir } from '../../support/paths.js';

export interface SourcedExpression {
  where: string;
  source: string;
}

export async function integrationExpressions(): Promise<SourcedExpression[]> {
  const { definitions } = await loadDefinitions({ integrationsDir, schemasDir, compiler: new JsonataInterpreter() });
  const found: SourcedExpression[] = [];
  const add = (where: string, expr: Expression | undefined) => {
    if (expr) found.push({ where, source: expr.source });
  };
  for (const [name, integration] of definitions.integrations) {
    add(`${name} errors.message`, integration.errorMessage);
    add(`${name} errors.code`, integration.errorCode);
    integration.errorRules.forEach((rule, i) => {
      add(`${name} errors.rules[${i}].when`, rule.when);
      add(`${name} errors.rules[${i}].message`, rule.message);
    });
    add(`${name} rate_limit.detect`, integration.rateLimitDetect);
    add(`${name} pagination.next`, integration.pagination?.next);
    add(`${name} pagination.total`, integration.pagination?.total);
    for (const [key, op] of integration.operations) {
      const at = `${name} ${key}`;
      for (const step of op.steps) {
        for (const [param, expr] of step.pathParams) add(`${at} steps[${step.index}].path_params.${param}`, expr);
        add(`${at} steps[${step.index}].when`, step.when);
        add(`${at} steps[${step.index}].query`, step.query);
        add(`${at} steps[${step.index}].headers`, step.headers);
        add(`${at} steps[${step.index}].body`, step.body);
        add(`${at} steps[${step.index}].success_when`, step.successWhen);
      }
      add(`${at} response.mapping`, op.mapping);
      add(`${at} response.items`, op.items);
      add(`${at} pagination.next`, op.pagination?.next);
      add(`${at} pagination.total`, op.pagination?.total);
    }
  }
  const seen = new Set<string>();
  return found.filter((e) => !seen.has(e.source) && seen.add(e.source));
}
