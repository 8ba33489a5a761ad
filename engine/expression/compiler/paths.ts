/**
 * Location paths: each step maps over the sequence the previous one produced, and the results are
 * flattened one level. Steps that bind focus (`@$v`), index (`#$i`) or are reached by the parent
 * operator (`%`) carry tuples instead of plain items. A path of plain field names over plain
 * objects (most of any mapping) short-circuits all of that, falling back to the general walk as
 * soon as an array shows up.
 */
import { compileFilter, tupleEnv, type Filter } from './filters.js';
import { fault } from './faults.js';
import { depthExceeded, tick } from './guards.js';
import type { Code, Env } from './scope.js';
import { collapse, createSequence, isSequence, sequenceOf, type Sequence } from './sequences.js';
import { mergeSort } from './sort.js';
import { isFunction } from './values.js';

export type Ast = Record<string, any>;

/** What a path needs from the node compiler. */
export interface PathCompiler {
  node(n: Ast, depth: number): Code;
  /** How a variable of that name is read (the path's first step). */
  variable(name: string, own?: 'none' | 'collapse' | 'keep'): Code;
  readonly inBody: boolean;
  readonly maxDepth: number;
}

type Stage = { kind: 'filter'; apply: Filter } | { kind: 'index'; name: string };

interface SortTerm {
  code: Code;
  descending: boolean;
}

interface Step {
  code: Code;
  isSort: boolean;
  terms: SortTerm[];
  stages: Stage[] | undefined;
  filters: Filter[];
  tuple: boolean;
  consarray: boolean;
  focus: string | undefined;
  index: string | undefined;
  ancestor: string | undefined;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function compileStages(stages: Ast[] | undefined, depth: number, c: PathCompiler): Stage[] | undefined {
  if (stages === undefined) return undefined;
  return stages.map((stage): Stage => {
    if (stage.type === 'index') return { kind: 'index', name: stage.value };
    const literal = stage.expr.type === 'number' ? (stage.expr.value as number) : undefined;
    return { kind: 'filter', apply: compileFilter(c.node(stage.expr, depth), literal) };
  });
}

function applyStages(stages: Stage[], input: any, env: Env): any {
  let result = input;
  for (const stage of stages) {
    if (stage.kind === 'filter') {
      result = stage.apply(result, env);
    } else {
      for (let i = 0; i < result.length; i++) result[i][stage.name] = i;
    }
  }
  return result;
}

function sortStep(step: Step, input: any, env: Env): any {
  const tupleSort = !!input.tupleStream;
  const swap = (a: any, b: any): boolean => {
    let comp = 0;
    for (let index = 0; comp === 0 && index < step.terms.length; index++) {
      const term = step.terms[index];
      const aa = tupleSort ? term.code(a['@'], tupleEnv(env, a)) : term.code(a, env);
      const bb = tupleSort ? term.code(b['@'], tupleEnv(env, b)) : term.code(b, env);
      const atype = typeof aa;
      const btype = typeof bb;
      if (atype === 'undefined') {
        comp = btype === 'undefined' ? 0 : 1;
        continue;
      }
      if (btype === 'undefined') {
        comp = -1;
        continue;
      }
      if (!(atype === 'string' || atype === 'number') || !(btype === 'string' || btype === 'number')) {
        throw fault('T2008', { value: !(atype === 'string' || atype === 'number') ? aa : bb });
      }
      if (atype !== btype) throw fault('T2007', { value: aa, value2: bb });
      if (aa === bb) continue;
      comp = aa < bb ? -1 : 1;
      if (term.descending) comp = -comp;
    }
    return comp === 1;
  };
  if (input === undefined) return undefined;
  if (input.length <= 1) return input;
  return mergeSort(input, swap, env.run);
}

function plainStep(step: Step, input: any, env: Env, lastStep: boolean): any {
  if (step.isSort) {
    const sorted = sortStep(step, input, env);
    return step.stages ? applyStages(step.stages, sorted, env) : sorted;
  }
  const resultSequence = createSequence();
  let count = 0;
  let first: any;
  const filters = step.filters;
  for (let i = 0; i < input.length; i++) {
    tick(env.run);
    let res = step.code(input[i], env);
    for (let s = 0; s < filters.length; s++) res = filters[s](res, env);
    if (res === undefined) continue;
    if (count++ === 0) first = res;
    if (!Array.isArray(res) || (res as { cons?: boolean }).cons) {
      resultSequence.push(res);
    } else {
      for (let j = 0; j < res.length; j++) resultSequence.push(res[j]);
    }
  }
  // A lone array at the end of a path is the answer itself, not flattened into a sequence.
  if (lastStep && count === 1 && Array.isArray(first) && !isSequence(first)) return first;
  return resultSequence;
}

function tupleStep(step: Step, input: any, tupleBindings: any, env: Env): any {
  let result: any;
  if (step.isSort) {
    if (tupleBindings) {
      result = sortStep(step, tupleBindings, env);
    } else {
      const sorted = sortStep(step, input, env);
      result = createSequence();
      result.tupleStream = true;
      for (let i = 0; i < sorted.length; i++) {
        const tuple: Record<string, unknown> = { '@': sorted[i] };
        tuple[step.index as string] = i;
        result.push(tuple);
      }
    }
    return step.stages ? applyStages(step.stages, result, env) : result;
  }
  result = createSequence();
  result.tupleStream = true;
  if (tupleBindings === undefined) tupleBindings = input.map((item: unknown) => ({ '@': item }));
  for (let ee = 0; ee < tupleBindings.length; ee++) {
    tick(env.run);
    const binding = tupleBindings[ee];
    let res = step.code(binding['@'], tupleEnv(env, binding));
    if (res === undefined) continue;
    if (!Array.isArray(res)) res = [res];
    for (let bb = 0; bb < res.length; bb++) {
      const tuple = Object.assign(Object.create(null), binding);
      if (res.tupleStream) {
        Object.assign(tuple, res[bb]);
      } else {
        if (step.focus) {
          tuple[step.focus] = res[bb];
          tuple['@'] = binding['@'];
        } else {
          tuple['@'] = res[bb];
        }
        if (step.index) tuple[step.index] = bb;
        if (step.ancestor) tuple[step.ancestor] = binding['@'];
      }
      result.push(tuple);
    }
  }
  return step.stages ? applyStages(step.stages, result, env) : result;
}

function compileStep(n: Ast, depth: number, c: PathCompiler): Step {
  const isSort = n.type === 'sort';
  const stages = compileStages(n.stages, depth, c);
  return {
    // A sort step is never evaluated as a node; its terms are, one level below the path.
    code: isSort ? () => undefined : c.node(n, depth),
    isSort,
    terms: isSort ? n.terms.map((t: Ast) => ({ code: c.node(t.expression, depth), descending: t.descending === true })) : [],
    stages,
    filters: stages && !isSort ? stages.map((s) => (s.kind === 'filter' ? s.apply : (x: any) => x)) : [],
    tuple: n.tuple === true,
    consarray: n.consarray === true,
    focus: n.focus,
    index: n.index,
    ancestor: n.ancestor?.label,
  };
}

function isPlainName(n: Ast): boolean {
  return (
    n.type === 'name' &&
    !hasOwn(n, 'predicate') &&
    !hasOwn(n, 'group') &&
    n.stages === undefined &&
    n.keepArray !== true &&
    n.tuple !== true &&
    n.focus === undefined &&
    n.index === undefined &&
    n.ancestor === undefined
  );
}

function isPlainVariable(n: Ast): boolean {
  return (
    n.type === 'variable' &&
    !hasOwn(n, 'predicate') &&
    !hasOwn(n, 'group') &&
    n.stages === undefined &&
    n.keepArray !== true &&
    n.tuple !== true &&
    n.focus === undefined &&
    n.index === undefined
  );
}

/** How a path is evaluated: always the general walk (collapsed as asked); for a path of plain field names, a shortcut. */
export interface PathPlan {
  /** The general walk with the path's own collapse. */
  collapsed: Code;
  /** A path of plain names over plain objects: read them in turn, and take `collapsed` as soon as an array shows up. */
  plain?: {
    /** Undefined: the input is the start; `''`: `$`; else the variable read first. */
    variable: string | undefined;
    names: string[];
    readVariable: Code | undefined;
    /** Depth above which the path fails with D1011 (Infinity at top level). */
    guardDepth: number;
  };
}

export function planPath(n: Ast, depth: number, c: PathCompiler, group: Code | undefined, own: 'none' | 'collapse' | 'keep'): PathPlan {
  const steps = (n.steps as Ast[]).map((s) => compileStep(s, depth + 1, c));
  const firstIsVariable = n.steps[0].type === 'variable';
  const last = steps.length - 1;
  const keepSingletonArray = n.keepSingletonArray === true;
  const keepTuples = n.tuple === true;

  const general: Code = (input, env) => {
    let inputSequence: any = Array.isArray(input) && !firstIsVariable ? input : sequenceOf(input);
    let resultSequence: any;
    let isTupleStream = false;
    let tupleBindings: any;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      if (step.tuple) isTupleStream = true;
      if (i === 0 && step.consarray) resultSequence = step.code(inputSequence, env);
      else if (isTupleStream) tupleBindings = tupleStep(step, inputSequence, tupleBindings, env);
      else resultSequence = plainStep(step, inputSequence, env, i === last);
      if (!isTupleStream && (resultSequence === undefined || resultSequence.length === 0)) break;
      if (step.focus === undefined) inputSequence = resultSequence;
    }
    if (isTupleStream) {
      if (keepTuples) {
        resultSequence = tupleBindings;
      } else {
        resultSequence = createSequence();
        for (let i = 0; i < tupleBindings.length; i++) resultSequence.push(tupleBindings[i]['@']);
      }
    }
    if (keepSingletonArray) {
      // The interpreter marks whatever the walk ended with; in strict mode that fails on nothing, or on a string.
      if (resultSequence === null || resultSequence === undefined) throw new TypeError(`Cannot set properties of ${resultSequence} (setting 'keepSingleton')`);
      if (typeof resultSequence !== 'object') throw new TypeError(`Cannot create property 'keepSingleton' on ${typeof resultSequence} '${String(resultSequence)}'`);
      if (Array.isArray(resultSequence) && (resultSequence as { cons?: boolean }).cons && !isSequence(resultSequence)) {
        resultSequence = sequenceOf(resultSequence);
      }
      // Only sequences made by this walk are marked; an array from the input is left untouched.
      if (Array.isArray(resultSequence) && isSequence(resultSequence)) (resultSequence as Sequence).keepSingleton = true;
    }
    if (group) resultSequence = group(isTupleStream ? tupleBindings : resultSequence, env);
    return resultSequence;
  };

  const collapsed: Code = own === 'none' ? general : own === 'keep' ? (input, env) => collapse(general(input, env), true) : (input, env) => collapse(general(input, env), false);
  const plain =
    own !== 'keep' &&
    !keepSingletonArray &&
    !keepTuples &&
    !group &&
    // At top level the steps' depth is known: beyond the limit, the walk's own steps fail as the interpreter's do.
    (c.inBody || depth + 1 <= c.maxDepth) &&
    n.steps.every((s: Ast, i: number) => isPlainName(s) || (i === 0 && isPlainVariable(s)));
  if (!plain) return { collapsed };

  const variable: string | undefined = firstIsVariable ? n.steps[0].value : undefined;
  const names: string[] = (n.steps as Ast[]).slice(firstIsVariable ? 1 : 0).map((s) => s.value);
  const guardDepth = c.inBody ? c.maxDepth - depth - 1 : Infinity;
  const readVariable = variable !== undefined && variable !== '' ? c.variable(variable, 'collapse') : undefined;
  return { collapsed, plain: { variable, names, readVariable, guardDepth } };
}

export function compilePath(n: Ast, depth: number, c: PathCompiler, group: Code | undefined, own: 'none' | 'collapse' | 'keep'): Code {
  const { collapsed, plain } = planPath(n, depth, c, group, own);
  if (!plain) return collapsed;
  const { variable, names, readVariable, guardDepth } = plain;
  return (input, env) => {
    // The first step is evaluated once, one level down (so checked here), except over an array, which
    // the general walk takes: none at all when it is empty.
    if (env.run.base > guardDepth && (variable !== undefined || !Array.isArray(input))) depthExceeded(env.run);
    let v: any;
    if (variable === undefined) v = input;
    else if (variable === '') v = input && input.outerWrapper ? input[0] : input;
    else v = (readVariable as Code)(input, env);
    for (let i = 0; i < names.length; i++) {
      if (v === null || typeof v !== 'object') return undefined;
      if (Array.isArray(v)) return collapsed(input, env);
      const next = v[names[i]];
      if (next === undefined || !hasOwn(v, names[i]) || isFunction(v)) return undefined;
      v = next;
    }
    if (Array.isArray(v) && isSequence(v)) return collapsed(input, env);
    return v;
  };
}
