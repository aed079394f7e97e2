import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidUscc, usccCheckCharacter } from '../../domain/dealers/uscc';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('unified social credit code', () => {
  it('accepts published real codes', () => {
    for (const code of ['91350100M000100Y43', '91110000802100433B', '914403001922038216', '91310000717866186P']) {
      expect(isValidUscc(code)).toBe(true);
    }
  });

  it('rejects a wrong check character, wrong length, forbidden letters and non-digit division codes', () => {
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
    expect(isValidUscc('91350100M000100Y4')).toBe(false);
    expect(isValidUscc('91350100M000100Y433')).toBe(false);
    expect(isValidUscc('91350100I000100Y43')).toBe(false); // I is not in the alphabet
    expect(isValidUscc('9135A100M000100Y43')).toBe(false); // division code must be digits
    expect(isValidUscc('')).toBe(false);
  });

  it('detects every single-character substitution (property)', () => {
    const body = fc.stringMatching(/^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{9}$/);
    fc.assert(
      fc.property(body, fc.nat(16), fc.nat(30), (first17, position, replacementIndex) => {
        const valid = first17 + usccCheckCharacter(first17);
        expect(isValidUscc(valid)).toBe(true);
        const replacement = ALPHABET[replacementIndex]!;
        fc.pre(replacement !== valid[position] && (position < 2 || position > 7 || /[0-9]/.test(replacement)));
        const mutated = valid.slice(0, position) + replacement + valid.slice(position + 1);
        expect(isValidUscc(mutated)).toBe(false);
      }),
    );
  });
});
