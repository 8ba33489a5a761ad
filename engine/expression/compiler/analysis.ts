/** What the compiler learns from the whole syntax tree before compiling a node of it. */
import type { Ast } from './paths.js';

const SKIPPED = new Set(['signature', 'slot', 'ancestor', 'seekingParent']);

/** Every variable name the expression binds: assignments, parameters, focus and index variables, parent slots. */
export function boundNames(ast: Ast): Set<string> {
  const names = new Set<string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const node = n as Ast;
    if (node.type === 'bind') names.add(node.lhs.value);
    if (node.type === 'lambda') for (const a of node.arguments ?? []) names.add(a.value);
    if (typeof node.focus === 'string') names.add(node.focus);
    if (typeof node.index === 'string') names.add(node.index);
    if (node.type === 'parent') names.add(node.slot.label);
    if (node.ancestor) names.add(node.ancestor.label);
    if (node.type === 'index') names.add(node.value);
    for (const key of Object.keys(node)) if (!SKIPPED.has(key)) walk(node[key]);
  };
  walk(ast);
  return names;
}

/** Whether evaluating `n` can bind a variable in the scope it runs in (blocks and lambdas have their own). */
export function bindsHere(n: unknown): boolean {
  if (Array.isArray(n)) return n.some(bindsHere);
  if (!n || typeof n !== 'object') return false;
  const node = n as Ast;
  if (node.type === 'bind') return true;
  if (node.type === 'block' || node.type === 'lambda') return false;
  for (const key of Object.keys(node)) if (!SKIPPED.has(key) && bindsHere(node[key])) return true;
  return false;
}

export const CONCURRENT_BIND =
  'a variable bound inside an array or object constructor (the interpreter evaluates the members concurrently, so which members see the binding depends on its scheduling)';
