import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package-root.js';

/**
 * Turns the paths an author gives on the command line (an integrations folder, one integration,
 * a definition file, a tests folder, a fixture file) into what to load and which fixtures to run.
 */

export interface Selection {
  integrationsDir: string;
  /** Integration folder names to load; `all` for every one. */
  integrations: Set<string> | 'all';
  /** Absolute paths of fixture files, in a stable order. */
  fixtures: string[];
}

export interface WorkspaceOptions {
  cwd: string;
  integrationsDir?: string;
  schemasDir?: string;
}

const FIXTURE_DIR = 'tests';
const YAML = /\.ya?ml$/;

/** The schemas folder: `--schemas-dir`, else ./schemas when it holds the meta-schemas, else the package's. */
export function resolveSchemasDir(options: WorkspaceOptions): string {
  if (options.schemasDir) return path.resolve(options.cwd, options.schemasDir);
  const local = path.join(options.cwd, 'schemas');
  if (existsSync(path.join(local, 'definition', 'operation.schema.json'))) return local;
  return path.join(packageRoot(), 'schemas');
}

export function resolveIntegrationsDir(options: WorkspaceOptions): string {
  if (options.integrationsDir) return path.resolve(options.cwd, options.integrationsDir);
  const local = path.join(options.cwd, 'integrations');
  return isDir(local) ? local : path.join(packageRoot(), 'integrations');
}

export function selectTargets(paths: readonly string[], options: WorkspaceOptions): { selections: Selection[]; problems: string[] } {
  const byDir = new Map<string, Selection>();
  const problems: string[] = [];
  const selection = (dir: string) => {
    let s = byDir.get(dir);
    if (!s) byDir.set(dir, (s = { integrationsDir: dir, integrations: new Set(), fixtures: [] }));
    return s;
  };
  const addIntegration = (dir: string, name: string, fixtures: string[]) => {
    const s = selection(dir);
    if (s.integrations !== 'all') s.integrations.add(name);
    s.fixtures.push(...fixtures);
  };

  const targets = paths.length ? paths.map((p) => path.resolve(options.cwd, p)) : [resolveIntegrationsDir(options)];
  for (const target of targets) {
    if (!existsSync(target)) {
      problems.push(`${path.relative(options.cwd, target) || target}: no such file or folder`);
      continue;
    }
    if (isDir(target)) {
      if (isIntegrationDir(target)) {
        addIntegration(path.dirname(target), path.basename(target), fixturesOf(target));
      } else if (path.basename(target) === FIXTURE_DIR && isIntegrationDir(path.dirname(target))) {
        const integration = path.dirname(target);
        addIntegration(path.dirname(integration), path.basename(integration), yamlFilesUnder(target));
      } else {
        const s = selection(options.integrationsDir ? path.resolve(options.cwd, options.integrationsDir) : target);
        s.integrations = 'all';
        for (const name of listDir(target)) {
          const dir = path.join(target, name);
          if (isIntegrationDir(dir)) s.fixtures.push(...fixturesOf(dir));
        }
      }
      continue;
    }
    const owner = owningIntegration(target);
    if (owner?.kind === 'fixture') {
      addIntegration(options.integrationsDir ? path.resolve(options.cwd, options.integrationsDir) : path.dirname(owner.dir), path.basename(owner.dir), [target]);
    } else if (owner?.kind === 'definition') {
      const stem = path.basename(target).replace(YAML, '');
      const all = fixturesOf(owner.dir);
      const fixtures = stem === 'integration' ? all : all.filter((f) => path.basename(f).startsWith(`${stem}.`));
      addIntegration(path.dirname(owner.dir), path.basename(owner.dir), fixtures);
    } else if (YAML.test(target)) {
      // A fixture kept outside integrations/<name>/tests/ names its integration itself.
      const s = selection(resolveIntegrationsDir(options));
      s.integrations = 'all';
      s.fixtures.push(target);
    } else {
      problems.push(`${path.relative(options.cwd, target)}: not a YAML definition or fixture`);
    }
  }
  for (const s of byDir.values()) s.fixtures = [...new Set(s.fixtures)].sort();
  return { selections: [...byDir.values()], problems };
}

/** The integration folder a file belongs to, and whether it is a fixture (under tests/) or a definition. */
export function owningIntegration(file: string): { dir: string; kind: 'fixture' | 'definition' } | undefined {
  let dir = path.dirname(file);
  if (isIntegrationDir(dir)) return { dir, kind: 'definition' };
  for (let i = 0; i < 6 && dir !== path.dirname(dir); i++) {
    if (path.basename(dir) === FIXTURE_DIR && isIntegrationDir(path.dirname(dir))) return { dir: path.dirname(dir), kind: 'fixture' };
    dir = path.dirname(dir);
  }
  return undefined;
}

export function fixturesOf(integrationDir: string): string[] {
  return yamlFilesUnder(path.join(integrationDir, FIXTURE_DIR));
}

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of listDir(dir)) {
    const full = path.join(dir, name);
    if (isDir(full)) out.push(...yamlFilesUnder(full));
    else if (YAML.test(name)) out.push(full);
  }
  return out;
}

function isIntegrationDir(dir: string): boolean {
  return existsSync(path.join(dir, 'integration.yaml'));
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
