/**
 * `null` in a change means "clear this field"; stored objects hold neither null nor undefined.
 * Drops both from the top level.
 */
export function withoutEmpty<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}
