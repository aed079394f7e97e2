import { formatDocumentNumber, type DocumentType } from '../../../domain/shared/document-number';
import { ConflictError, type DomainError } from '../../../domain/shared/errors';
import { dms, type DmsService } from './service';
import { conditionFailed, writeTransaction, type CancellationReason } from './transaction';

type TransactionEntities = Parameters<Parameters<DmsService['transaction']['write']>[0]>[0];
type TransactionItems = ReturnType<Parameters<DmsService['transaction']['write']>[0]>;

/** Raised inside an attempt when another writer took the number first; the attempt starts over. */
const NUMBER_TAKEN = 'document_number_taken';

/** Gapless numbers serialize the writers of one series; under a burst each round lets one through. */
const MAX_ATTEMPTS = 200;

/**
 * Gapless numbering: read the series' last number, then commit — in ONE transaction — the
 * counter moving from n to n+1 (condition: still n) together with the document's own writes.
 * If the document's writes fail (their conditions, say an invoice that already exists), the
 * counter does not move, so retries never burn numbers; if another writer took n+1 first, the
 * attempt starts over with the new last number. DynamoDB allows 100 items per transaction; the
 * counter takes one. `explain` sees the cancellation reasons of the caller's items only.
 */
export async function writeNumbered(
  type: DocumentType,
  year: number,
  build: (entities: TransactionEntities, number: string, sequence: number) => TransactionItems,
  explain: (reasons: CancellationReason[]) => DomainError | undefined,
): Promise<{ number: string; sequence: number }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const current = await dms().entities.documentCounter.get({ docType: type, year }).go({ consistent: true });
    const last = current.data?.last ?? 0;
    const sequence = last + 1;
    const number = formatDocumentNumber(type, year, sequence);
    try {
      await writeTransaction(
        (entities) => [
          last === 0
            ? entities.documentCounter.create({ docType: type, year, last: sequence }).commit()
            : entities.documentCounter
                .patch({ docType: type, year })
                .set({ last: sequence })
                .where((attr, op) => op.eq(attr.last, last))
                .commit(),
          ...build(entities, number, sequence),
        ],
        // The counter is item 0; the caller's own items (and reasons) start after it.
        (reasons) => (conditionFailed(reasons, 0) ? new ConflictError(NUMBER_TAKEN, `${number} was just taken`) : explain(reasons.slice(1))),
      );
      return { number, sequence };
    } catch (error) {
      if (error instanceof ConflictError && error.code === NUMBER_TAKEN) {
        // Exponential backoff with full jitter: each round lets one writer through, so spreading
        // the others out saves the transactions they would waste colliding again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(400, 8 * 2 ** Math.min(attempt, 6))));
        continue;
      }
      throw error;
    }
  }
  throw new Error(`Could not allocate a ${type}-${year} number after ${MAX_ATTEMPTS} attempts`);
}

/**
 * The next number of a series that may have gaps (sales orders): one atomic ADD on the counter,
 * outside the document's transaction, so concurrent writers never queue behind each other. A
 * document whose transaction then fails leaves its number unused. Tax documents (invoices,
 * shipping notes) use `writeNumbered` instead.
 */
export async function nextNumber(type: DocumentType, year: number): Promise<{ number: string; sequence: number }> {
  const result = await dms().entities.documentCounter.update({ docType: type, year }).add({ last: 1 }).go({ response: 'updated_new' });
  const sequence = Number(result.data.last);
  return { number: formatDocumentNumber(type, year, sequence), sequence };
}
