// `npm run generate`: reads the server's printed schema and src/operations/*.graphql, and writes
// src/generated/ — typed documents (graphql.ts), the persisted-documents manifest (sha256 hash →
// document text), the operation table the client builds its methods from (operations.ts) and the
// same operations without syntax trees, one file each, for bundles that keep only what they run
// (documents/<Name>.ts).
import { readdirSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';
import * as operationsPlugin from './codegen/operations-plugin.ts';
import { documentsPreset } from './codegen/operations-plugin.ts';

const generated = (file: string) => new URL(`src/generated/${file}`, import.meta.url);

const config: CodegenConfig = {
  schema: '../../apps/server/schema.graphql',
  documents: ['src/operations/**/*.graphql'],
  emitLegacyCommonJSImports: false,
  // Our own plugin lives in this package, not in node_modules.
  pluginLoader: (name) => (name === 'chancery-operations' ? Promise.resolve(operationsPlugin) : import(name)),
  hooks: {
    // The preset also writes a `graphql()` tag for documents written inside TypeScript, and an
    // index re-exporting it. Ours live in .graphql files, so they would only be dead weight.
    // A document file whose operation is gone goes with it.
    afterAllFileWrite: (...written: string[]) => {
      for (const file of ['gql.ts', 'index.ts']) rmSync(generated(file), { force: true });
      const kept = new Set(written.flat().map((file) => basename(file)));
      for (const file of readdirSync(generated('documents/'))) {
        if (!kept.has(file)) rmSync(generated(`documents/${file}`));
      }
    },
  },
  generates: {
    'src/generated/': {
      preset: 'client',
      presetConfig: {
        // Result types spell out every selected field: consumers read data directly.
        fragmentMasking: false,
        persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' },
      },
      config: {
        useTypeImports: true,
        // Types for what the operations select (plus the enums and inputs they take), not the
        // whole schema: consumers name results by operation or fragment (`ActorSummaryFragment`).
        onlyOperationTypes: true,
        importExtension: '.ts',
        enumsAsTypes: true,
        skipTypename: true,
        // A selected field is always in the response (null or not): no `?` on result fields.
        avoidOptionals: { field: true },
        // Scalars the server adds later are `unknown` until they are mapped here.
        defaultScalarType: 'unknown',
        scalars: {
          Date: 'string',
          DateTime: 'string',
        },
      },
    },
    'src/generated/operations.ts': {
      plugins: ['chancery-operations'],
    },
    'src/generated/documents/': {
      preset: documentsPreset,
      plugins: ['chancery-operations'],
    },
  },
};

export default config;
