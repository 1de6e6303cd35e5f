import type { CodegenConfig } from '@graphql-codegen/cli';

// Every operation in src/ is checked against the server's committed schema; a schema change
// that breaks one fails `npm run codegen` (and so the build and CI).
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.ts', 'src/**/*.tsx', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  errorsOnly: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { Long: 'string', DateTime: 'string', Date: 'string', JSON: 'unknown' },
      },
    },
  },
};
export default config;
