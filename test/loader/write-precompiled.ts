/** `npx tsx test/loader/write-precompiled.ts`: regenerates engine/loader/precompiled-validators.ts (see precompiled-source.ts). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, schemasDir } from '../support/paths.js';
import { GENERATED_FILE, precompiledSource } from './precompiled-source.js';

writeFileSync(path.join(repoRoot, GENERATED_FILE), precompiledSource(schemasDir));
console.log(`wrote ${GENERATED_FILE}`);
