/** Sample task: a plain Lambda invoke whose result the definition reshapes with ResultSelector. */
export const compensations: string[] = [];

export async function handler(event: { reference: string; compensate?: boolean }): Promise<unknown> {
  if (event.compensate) {
    compensations.push(event.reference);
    return { compensated: event.reference };
  }
  return { preparedBy: 'prepare', reference: event.reference };
}
