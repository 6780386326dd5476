// Types for every operation the adapter sends, generated from the server's printed schema (repo root)
// and the app's four contract operations (verbatim, shared with the server's contract tests) plus the
// adapter's own. `npm run build` regenerates before tsc, so a schema change that breaks one fails the build.
import type { CodegenConfig } from '@graphql-codegen/cli'

const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['../../tests/Peregrine.Graph.Tests/contract/*.graphql', 'src/operations/*.graphql'],
  generates: {
    'src/generated/graphql.ts': {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        scalars: {
          uuid: 'string',
          timestamptz: 'string',
          jsonb: 'unknown',
          geography: '{ type: string; coordinates: unknown }',
          geometry: '{ type: string; coordinates: unknown }',
          bigint: 'string',
          numeric: 'number',
        },
        enumsAsTypes: true,
        avoidOptionals: false,
        onlyOperationTypes: true,
        useTypeImports: true,
      },
    },
  },
  hooks: {},
}

export default config
