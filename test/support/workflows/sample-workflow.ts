import type { WorkflowSpec } from '../../../functions/workflows/registry';

/** A registry entry shaped like the real ones, used to exercise the runner and the construct. */
export const SAMPLE_WORKFLOW: WorkflowSpec = {
  name: 'sample',
  definitionFile: 'test/support/workflows/sample.asl.json',
  tasks: {
    PrepareFunctionArn: {
      entry: 'test/support/workflows/prepare.ts',
      load: async () => (await import('./prepare')).handler,
    },
    FlakyFunctionArn: {
      entry: 'test/support/workflows/flaky.ts',
      load: async () => (await import('./flaky')).handler,
    },
    AwaitDecisionFunctionArn: {
      entry: 'test/support/workflows/await-decision.ts',
      load: async () => (await import('./await-decision')).handler,
    },
  },
};
