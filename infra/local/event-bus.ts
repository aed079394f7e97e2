import type { EventEnvelope } from '../../events/envelope';
import { assertValidEvent, type EventPublisher } from '../../events/registry';

export type EventListener = (event: EventEnvelope) => Promise<void> | void;

/**
 * The twin's EventBridge: validates every event against the registry exactly as the
 * EventBridge publisher does, then delivers it to the rules (listeners) whose detail-type
 * pattern matches — after the publishing request's transaction, like the real bus.
 */
export class LocalEventBus implements EventPublisher {
  private readonly rules: { pattern: RegExp; listener: EventListener }[] = [];
  readonly published: EventEnvelope[] = [];

  constructor(private readonly onError: (error: unknown, event: EventEnvelope) => void = (error) => console.error(error)) {}

  /** `pattern` is a detail-type with `*` wildcards, e.g. `dealer.*`. */
  subscribe(pattern: string, listener: EventListener): () => void {
    const rule = { pattern: new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`), listener };
    this.rules.push(rule);
    return () => this.rules.splice(this.rules.indexOf(rule), 1);
  }

  async publish(events: EventEnvelope[]): Promise<void> {
    events.forEach(assertValidEvent);
    this.published.push(...events);
    for (const event of events) {
      for (const rule of this.rules.filter((r) => r.pattern.test(event.type))) {
        // Targets run asynchronously, as on EventBridge: a failing target never fails the publisher.
        queueMicrotask(async () => {
          try {
            await rule.listener(event);
          } catch (error) {
            this.onError(error, event);
          }
        });
      }
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
