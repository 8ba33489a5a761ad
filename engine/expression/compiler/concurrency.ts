/**
 * Handing an evaluation over to the interpreter at run time (`DELEGATE`): what the compiler cannot
 * decide when it compiles, it decides per evaluation, on the rare inputs where the interpreter's
 * behaviour depends on things compiled code does not reproduce. The interpreter's answer is then the
 * answer (a promise, as interpreted evaluations give). Besides the concurrency below: an object
 * constructor given an empty array from the data (the interpreter writes into it), a data object
 * passing for a tuple or for a function (`tupleStream`, `_jsonata_lambda` fields), a built-in
 * partially applied to arguments its signature would not take as they are, `$spread` of a built-in,
 * a regex handed an object, a function as a string replacement or as a transform's update.
 *
 * Concurrency. The interpreter evaluates the members of an array constructor, and the values of an object
 * constructor's groups, concurrently (`Promise.all` over async evaluations). Compiled code evaluates
 * them one after the other, which gives the same values but can differ in two ways:
 *
 * - Which error wins when more than one member fails: in the interpreter, the first to fail in time,
 *   which depends on how many microtask turns each member takes. Compiled code does not try to
 *   predict that. The closures evaluate every member even after one has failed (as the interpreter
 *   does): a single failure is the answer, as it is the interpreter's; with several, the evaluation
 *   is handed over. Generated code (emit.ts) only counts the regions it is in (`Run.concurrent`): an
 *   error raised inside one reruns the evaluation with the closures, which sort it out.
 * - The depth guard: the interpreter's depth counter is shared by every evaluation in progress, so
 *   concurrent members add up. Members take turns only where an evaluation awaits: a node evaluated
 *   without awaiting anything (a field name, a literal, a variable, …) is entered and left within
 *   one turn. So while one member runs, every other holds at most the deepest node it can be
 *   suspended in, and the one running at most one level more than that. An upper bound of what the
 *   counter can reach is then the constructor's own depth, plus for each member the deepest depth
 *   it can be suspended at beyond it, plus one: static depths known at compile time
 *   (`NodeCompiler.measure`), and, where a member applies a lambda, the peak seen at run time
 *   (`Run.peak`, raised at each application). Within the limit, the interpreter cannot have tripped
 *   its guard; beyond it, it may have, and the evaluation is handed to the interpreter (`DELEGATE`).
 *
 * Errors and over-deep evaluations are rare; the common path costs a counter and, for members that
 * call lambdas, a few comparisons.
 */
import { UNSAFE_RANGE } from './operators.js';
import type { Code, Run } from './scope.js';

/** Thrown to hand the evaluation to the interpreter (no `code`: nothing labels or converts it on the way up). */
export const DELEGATE: { readonly delegated: true } = Object.freeze({ delegated: true as const });

export function isDelegation(thrown: unknown): boolean {
  return thrown === DELEGATE;
}

/** A member of a concurrent region: its code, the deepest static depth it reaches, and whether it applies lambdas. */
export interface Member {
  code: Code;
  height: number;
  applies: boolean;
}

/**
 * The depth bound of members evaluated concurrently under an owner at static depth `owner`: the
 * owner's depth plus what each member reaches beyond it.
 */
export function staticReach(owner: number, heights: number[]): number {
  let total = owner;
  for (const h of heights) total += Math.max(h, owner) - owner;
  return total;
}

/*
 * A region whose members apply lambdas, evaluated as (no closures, it is on the path of every such constructor):
 *
 *   const saved = enterMeasured(run); let total = run.base + owner;
 *   for each member i: run.peak = 0; …evaluate it…; total += memberReach(run, base, owner, heights[i]);
 *   leaveMeasured(run, total, saved);
 */

/** Opens a region whose members' depths are measured; returns the peak to restore. */
export function enterMeasured(run: Run): number {
  run.concurrent++;
  return run.peak;
}

/** How far beyond its owner the member just evaluated reached: its static height, or its run-time peak. */
export function memberReach(run: Run, base: number, owner: number, height: number): number {
  const reach = base + height;
  return (run.peak > reach ? run.peak : reach) - base - owner;
}

/** Closes a measured region: beyond the limit the interpreter may have failed where we did not. */
export function leaveMeasured(run: Run, total: number, saved: number): void {
  if (total + 1 > run.maxDepth) throw DELEGATE;
  run.peak = total > saved ? total : saved;
  run.concurrent--;
}

/**
 * A member's failure the region does not wait for: a hand-over, the time-box (the interpreter's
 * timing is not ours anyway), a range the interpreter would never finish.
 */
export function fatal(thrown: unknown): boolean {
  if (thrown === DELEGATE) return true;
  if (thrown instanceof RangeError) return thrown.message === UNSAFE_RANGE;
  return typeof thrown === 'object' && thrown !== null && (thrown as { code?: unknown }).code === 'D1012';
}

/**
 * After every member was evaluated: one failed, and that is the interpreter's answer too; several,
 * and which it reports depends on its scheduling, so it is handed over. Restores the region count.
 */
export function settle(run: Run, concurrent: number, failure: unknown, failures: number): never {
  run.concurrent = concurrent;
  if (failures > 1) throw DELEGATE;
  throw failure;
}

/** A lambda (or transform clause) about to run at `run.base` reaches `height` levels below it. */
export function reach(run: Run, height: number): void {
  const top = run.base + height;
  if (top > run.peak) run.peak = top;
}
