/**
 * Section 2: one 200-user Okta page (users.list): the operation's own items and mapping
 * expressions and the unified ajv validator, interpreted, compiled and by hand; then the whole
 * `engine.execute` of that list (and of one users.get) on a canned transport, which is the
 * engine's CPU per call.
 */
import { CompilingExpressionCompiler, JsonataInterpreter, type ExpressionCompiler } from '../../engine/expression/index.js';
import { createEngine, type Engine } from '../../engine/index.js';
import { cannedDispatcher } from './canned-dispatcher.js';
import { bothOkta } from './definitions.js';
import { mapUser, oktaUsers } from './okta-samples.js';
import { cpuMicrosPerOp, fmt, microsPerOp, microsPerOpAsync, table } from './timing.js';

const PAGE = 200;

export async function benchPage(budgetMs: number): Promise<string> {
  const { interpreted, compiled, closures } = await bothOkta();
  const users = oktaUsers(PAGE, 'list');
  const bindings = { request: { body: undefined, query: {} }, context: { domain: 'acme.okta.com' }, steps: {}, status: 200, headers: {} };
  const opOf = (defs: typeof compiled) => defs.integrations.get('okta')?.operations.get('user-directory/users/list');
  const ci = opOf(interpreted);
  const cc = opOf(compiled);
  const ck = opOf(closures);
  if (!ci || !cc || !ck) return 'users.list is not defined for Okta; section skipped';
  const validate = cc.unified.validateResource;
  const check = (r: unknown) => {
    if (!validate(r)) throw new Error(`mapped user does not validate: ${JSON.stringify(validate.errors)}`);
  };
  const each = budgetMs / 6;
  const interp = await microsPerOpAsync(async () => {
    const items = (await ci.items?.evaluate(users, { status: 200, headers: {} })) as unknown[];
    for (const u of items) check(await ci.mapping.evaluate(u, bindings));
  }, each);
  const comp = microsPerOp(() => {
    const items = cc.items?.evaluate(users, { status: 200, headers: {} }) as unknown[];
    for (const u of items) check(cc.mapping.evaluate(u, bindings));
  }, each);
  const closuresOnly = microsPerOp(() => {
    const items = ck.items?.evaluate(users, { status: 200, headers: {} }) as unknown[];
    for (const u of items) check(ck.mapping.evaluate(u, bindings));
  }, each);
  const compMapOnly = microsPerOp(() => {
    const items = cc.items?.evaluate(users, { status: 200, headers: {} }) as unknown[];
    for (const u of items) cc.mapping.evaluate(u, bindings);
  }, each);
  const mapped = users.map((u) => cc.mapping.evaluate(u, bindings));
  const validateOnly = microsPerOp(() => {
    for (const r of mapped) validate(r);
  }, each);
  const hand = microsPerOp(() => {
    for (const u of users) check(mapUser(u));
  }, each);
  const pageRows = [
    ['interpreter: items + mapping + validation', fmt(interp / 1000, 3)],
    ['compiled, closures only: items + mapping + validation', fmt(closuresOnly / 1000, 3)],
    ['compiled: items + mapping + validation', fmt(comp / 1000, 3)],
    ['  of which mapping (compiled items + mapping)', fmt(compMapOnly / 1000, 3)],
    ['  of which validation (ajv, unified user schema)', fmt(validateOnly / 1000, 3)],
    ['by hand: mapping + validation', fmt(hand / 1000, 3)],
  ];
  return `${table([`${PAGE}-user Okta page (users.list)`, 'ms per page'], pageRows)}\n\n${await engineCalls(budgetMs)}`;
}

async function engineWith(compiler: ExpressionCompiler, body: (path: string) => unknown): Promise<Engine> {
  return createEngine({ only: ['okta'], compiler, dispatcher: cannedDispatcher((path) => ({ status: 200, body: body(path) })) });
}

async function engineCalls(budgetMs: number): Promise<string> {
  const users = oktaUsers(PAGE, 'list');
  const one = oktaUsers(1, 'full')[0];
  const respond = (path: string) => (path.startsWith('/api/v1/users?') || path === '/api/v1/users' ? users : one);
  const account = { id: 'bench', integration: 'okta', context: { domain: 'acme.okta.com' }, credentials: { api_token: 'bench-token' } };
  const get = { account, model: 'user-directory', resource: 'users', method: 'get', query: { id: one.id as string } };
  const list = { account, model: 'user-directory', resource: 'users', method: 'list', query: {} };
  const rows: string[][] = [];
  for (const [name, compiler] of [
    ['interpreter', new JsonataInterpreter()],
    ['compiled, closures only', new CompilingExpressionCompiler(undefined, undefined, false)],
    ['compiled', new CompilingExpressionCompiler()],
  ] as const) {
    const engine = await engineWith(compiler, respond);
    const getCost = await cpuMicrosPerOp(() => engine.execute(get), budgetMs / 8);
    const listCost = await cpuMicrosPerOp(() => engine.execute(list), budgetMs / 8);
    rows.push([name, fmt(getCost.cpu, 1), fmt(listCost.cpu / 1000, 3)]);
    await engine.close();
  }
  return table(['engine.execute on a canned transport', 'users.get CPU µs/call', `users.list (${PAGE}) CPU ms/call`], rows);
}
