import type { Reporter, TestModule } from 'vitest/node';
import { API_KEY_PATTERN, TEST_SECRETS } from './test-secrets.js';

/**
 * Fails the run when any test secret appears in its output: every console line written by a test or
 * a server it started, and every error message and diff vitest would print.
 */
export default class SecretScanReporter implements Reporter {
  private readonly hits: string[] = [];

  onUserConsoleLog(log: { content: string; type: string; taskId?: string }): void {
    this.scan(log.content, `console ${log.type}`);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<{ message?: string; stack?: string }>): void {
    for (const e of unhandled) this.scan(`${e.message ?? ''}\n${e.stack ?? ''}`, 'unhandled error');
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        for (const error of test.result().errors ?? []) this.scan(JSON.stringify(error), `${module.moduleId} › ${test.fullName}`);
      }
    }
    if (this.hits.length) {
      process.stderr.write(`\n[secret scan] test secrets appeared in the run's output:\n  ${this.hits.slice(0, 20).join('\n  ')}\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(`[secret scan] no test secret in the run's output (${TEST_SECRETS.length} secrets and the API-key shape checked)\n`);
    }
  }

  private scan(text: string, where: string): void {
    for (const secret of TEST_SECRETS) if (text.includes(secret)) this.hits.push(`${where}: contains ${secret.slice(0, 6)}… (redacted)`);
    if (API_KEY_PATTERN.test(text)) this.hits.push(`${where}: contains an API key`);
  }
}
