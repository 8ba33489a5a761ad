/** Run in a fresh process by startup.ts: how long importing the engine and `createEngine` take. */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const t0 = performance.now();
const c0 = cpu();
const { createEngine } = await import('../../engine/index.js');
const { CompilingExpressionCompiler, JsonataInterpreter } = await import('../../engine/expression/index.js');
const t1 = performance.now();
const c1 = cpu();
const compiler = process.argv[2] === 'compiled' ? new CompilingExpressionCompiler() : new JsonataInterpreter();
const engine = await createEngine({ compiler });
const t2 = performance.now();
const c2 = cpu();
let operations = 0;
let compiled = 0;
let interpreted = 0;
const count = (e: { mode: string } | undefined) => {
  if (!e) return;
  if (e.mode === 'compiled') compiled++;
  else interpreted++;
};
for (const integration of engine.definitions.integrations.values()) {
  [integration.errorMessage, integration.errorCode, integration.rateLimitDetect, integration.pagination?.next, integration.pagination?.total].forEach(count);
  for (const rule of integration.errorRules) [rule.when, rule.message].forEach(count);
  for (const op of integration.operations.values()) {
    operations++;
    [op.mapping, op.items, op.pagination?.next, op.pagination?.total].forEach(count);
    for (const step of op.steps) {
      [step.when, step.query, step.headers, step.body, step.successWhen].forEach(count);
      for (const [, e] of step.pathParams) count(e);
    }
  }
}
await engine.close();
console.log(JSON.stringify({ importMs: t1 - t0, createMs: t2 - t1, importCpuMs: c1 - c0, createCpuMs: c2 - c1, operations, integrations: engine.definitions.integrations.size, compiled, interpreted }));
