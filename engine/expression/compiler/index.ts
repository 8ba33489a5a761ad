export { CompilingExpressionCompiler } from './compiling-compiler.js';
