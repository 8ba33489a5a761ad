import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const integrationsDir = path.join(repoRoot, 'integrations');
export const schemasDir = path.join(repoRoot, 'schemas');
