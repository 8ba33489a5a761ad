/**
 * JSONata compiled to JavaScript closures, with the interpreter as the fallback for what is not
 * compiled. See docs/performance.md for what it covers, how it is proven and what it costs.
 */
export { CompilingExpressionCompiler } from './compiling-compiler.js';
