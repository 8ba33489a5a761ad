/**
 * `unimap serve` logs through bufferedLines: every line of one event-loop turn in one write. It
 * must not lose or reorder lines, not even when the process exits abruptly.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferedLines, jsonLogger } from '../../engine/logger.js';
import { repoRoot } from '../support/paths.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('bufferedLines', () => {
  it('writes the lines of one turn in one write, in order, at the end of the turn', async () => {
    const writes: string[] = [];
    const lines = bufferedLines({ write: (t) => writes.push(t) });
    const logger = jsonLogger(lines.write);
    logger.info({ msg: 'one' });
    logger.warn({ msg: 'two' });
    lines.write('three');
    expect(writes).toEqual([]);
    await turn();
    expect(writes).toHaveLength(1);
    const written = writes[0].split('\n');
    expect(written.pop()).toBe('');
    expect(written.slice(0, 2).map((l) => JSON.parse(l).msg)).toEqual(['one', 'two']);
    expect(written[2]).toBe('three');
    lines.write('four');
    await turn();
    expect(writes).toEqual([writes[0], 'four\n']);
  });

  it('flush() writes at once, and a large batch goes out without waiting for the turn to end', async () => {
    const writes: string[] = [];
    const lines = bufferedLines({ write: (t) => writes.push(t) });
    lines.write('a');
    lines.flush();
    expect(writes).toEqual(['a\n']);
    lines.flush();
    expect(writes).toHaveLength(1);
    const long = 'x'.repeat(1_000);
    for (let i = 0; i < 70; i++) lines.write(long);
    expect(writes.length).toBe(2);
    await turn();
    expect(writes.join('')).toBe('a\n' + `${long}\n`.repeat(70));
  });

  it('a stream that throws loses the lines, not the process', async () => {
    const lines = bufferedLines({
      write: () => {
        throw new Error('EPIPE');
      },
    });
    lines.write('lost');
    expect(() => lines.flush()).not.toThrow();
    lines.write('lost too');
    await turn();
  });

  it('writes what is pending when the process exits: process.exit, an uncaught exception', () => {
    const script = (ending: string) => `
      import { bufferedLines, jsonLogger } from ${JSON.stringify(path.join(repoRoot, 'engine/logger.ts'))};
      const logger = jsonLogger(bufferedLines(process.stdout).write);
      for (let i = 0; i < 1000; i++) logger.info({ msg: 'line', i });
      ${ending}
    `;
    for (const ending of ['process.exit(3);', "throw new Error('boom');", '/* the loop just ends */']) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(ending)], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
      const records = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { i: number });
      expect(records.map((r) => r.i), `${ending}: ${run.stderr}`).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    }
  }, 60_000);
});
