/** Sample task that fails `failTimes` times per reference before succeeding, to exercise Retry. */
const attemptsByReference = new Map<string, number>();

export async function handler(event: { reference: string; failTimes?: number }): Promise<unknown> {
  const attempts = (attemptsByReference.get(event.reference) ?? 0) + 1;
  attemptsByReference.set(event.reference, attempts);
  if (attempts <= (event.failTimes ?? 0)) {
    const error = new Error(`attempt ${attempts} failed`);
    error.name = 'Sample.Transient';
    throw error;
  }
  return { attempts };
}
