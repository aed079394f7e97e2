import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  WORKFLOWS,
  missingSubstitutions,
  placeholdersOf,
  readDefinitionText,
  substitute,
  type WorkflowSpec,
} from '../../functions/workflows/registry';
import { SAMPLE_WORKFLOW } from '../support/workflows/sample-workflow';

// asl-validator is CommonJS without type declarations.
type AslValidator = (definition: unknown) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

const specs: WorkflowSpec[] = [...WORKFLOWS, SAMPLE_WORKFLOW];

/** What CDK substitutes: task keys become function ARNs, other keys a plausible value. */
function deployedLike(spec: WorkflowSpec): unknown {
  const text = readDefinitionText(spec);
  const values = Object.fromEntries(
    placeholdersOf(text).map((key) => [
      key,
      key in spec.tasks ? `arn:aws:lambda:ap-southeast-1:123456789012:function:${spec.name}-${key}` : `value-of-${key}`,
    ]),
  );
  return JSON.parse(substitute(text, values));
}

describe.each(specs.map((spec) => [spec.name, spec] as const))('workflow definition %s', (_name, spec) => {
  it('is valid JSON before substitution (placeholders only inside strings)', () => {
    expect(() => JSON.parse(readDefinitionText(spec))).not.toThrow();
  });

  it('passes asl-validator once substituted', () => {
    const { isValid, errorsText } = aslValidator(deployedLike(spec));
    expect(isValid, errorsText('\n')).toBe(true);
  });

  it('has a task or a declared substitution for every placeholder, and uses every task', () => {
    const text = readDefinitionText(spec);
    expect(missingSubstitutions(spec, text)).toEqual([]);
    expect(Object.keys(spec.tasks).filter((key) => !placeholdersOf(text).includes(key))).toEqual([]);
  });

  it('uses JSONPath, not JSONata (the local interpreter ignores JSONata silently)', () => {
    expect(readDefinitionText(spec)).not.toMatch(/"QueryLanguage"\s*:\s*"JSONata"|\{%/);
  });

  it('gives every callback task a TimeoutSeconds', () => {
    const callbacks = callbackStates(deployedLike(spec) as { States: Record<string, any> });
    for (const [name, state] of callbacks) {
      expect(state.TimeoutSeconds ?? state.TimeoutSecondsPath, name).toBeDefined();
    }
  });
});

describe('workflow registry', () => {
  it('has unique names', () => {
    const names = specs.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('substitutes ${…} like definitionSubstitutions and refuses unknown keys', () => {
    expect(substitute('{"a":"${X}"}', { X: 'x"y' })).toBe('{"a":"x\\"y"}');
    expect(() => substitute('{"a":"${Y}"}', {})).toThrow(/Y/);
  });
});

function callbackStates(definition: { States: Record<string, any> }): [string, any][] {
  return Object.entries(definition.States).flatMap(([name, state]) => [
    ...(String(state.Resource ?? '').endsWith('.waitForTaskToken') ? [[name, state] as [string, any]] : []),
    ...[...(state.Branches ?? []), state.Iterator, state.ItemProcessor]
      .filter(Boolean)
      .flatMap((nested: { States: Record<string, any> }) => callbackStates(nested)),
  ]);
}
