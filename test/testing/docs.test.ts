import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { refreshDoc, renderSchemaReference } from '../../engine/testing/schema-docs.js';
import { repoRoot, schemasDir } from '../support/paths.js';
import { useTempIntegrations } from '../support/temp-integrations.js';
import { cli } from './helpers.js';

const docPath = path.join(repoRoot, 'docs', 'authoring.md');
const doc = readFileSync(docPath, 'utf8');
const makeDir = useTempIntegrations();

describe('docs/authoring.md', () => {
  it('has an up-to-date field reference generated from the meta-schemas', () => {
    const fresh = refreshDoc(doc, renderSchemaReference(schemasDir));
    expect(fresh === doc, 'docs/authoring.md is stale: run `npx tsx engine/testing/schema-docs.ts --write`').toBe(true);
  });

  it('describes every field of every definition schema (no field without a description)', () => {
    const reference = renderSchemaReference(schemasDir);
    // Map values (`each <name>`) are described by the map's own field.
    const undocumented = reference.split('\n').filter((l) => /^\s*- \*\*.+\*\* \([^)]*\)$/.test(l) && !l.includes('each `<name>`'));
    expect(undocumented).toEqual([]);
  });

  it("the walk-through's files pass validate and test as written", async () => {
    // Blocks fenced as ```yaml file=<path> are the walk-through's final files.
    const files: Record<string, string> = {};
    for (const m of doc.matchAll(/```yaml file=(\S+)\n([\s\S]*?)```/g)) files[m[1]] = m[2];
    expect(Object.keys(files)).toEqual([
      'integrations/acme/integration.yaml',
      'integrations/acme/groups.get.yaml',
      'integrations/acme/tests/groups.get.success.yaml',
      'integrations/acme/tests/groups.get.errors.yaml',
    ]);
    const dir = makeDir(files);
    const v = await cli('validate', dir, []);
    expect(v.stdout).toBe('ok: checked 1 integration, 1 operation, 2 fixture files (3 cases): 0 errors, 0 warnings\n');
    const t = await cli('test', dir, []);
    expect(t.stdout).toContain('3 cases: 3 passed, 0 failed');
    expect(t.code).toBe(0);
  });
});
