// GraphQL Code Generator: the client preset reads Steward's schema.graphql
// and the operations written with graphql(`...`) in src/, and writes typed
// documents to src/generated/ (gitignored, regenerated on every run).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['src/**/*.ts', '!src/generated/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // Plain strings (TypedDocumentString) for fetch: no graphql runtime.
        documentMode: 'string',
        // ESM output for Node: relative imports end in .js.
        importExtension: '.js',
        useTypeImports: true,
        enumsAsTypes: true,
        // Every custom scalar travels as a JSON string; no silent `any`.
        strictScalars: true,
        scalars: {
          DateTime: 'string',
          Decimal: 'string',
          NaiveDate: 'string',
        },
      },
    },
  },
};

export default config;
