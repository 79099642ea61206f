// The generator over negative/unknown-field.graphql: must FAIL validation
// against ../../schema.graphql (checked by check-negative.mjs).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['negative/*.graphql'],
  generates: {
    'negative/generated/': { preset: 'client', config: { documentMode: 'string' } },
  },
};

export default config;
