import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type EventEnvelope } from '../../../events/envelope';
import { assertValidEvent, type EventPublisher } from '../../../events/registry';
import { ENV } from '../dynamo/table-schema';
import { tracer } from '../../shared/observability';

const MAX_ENTRIES_PER_CALL = 10;

/**
 * Publishes to the EventBridge custom bus: Source `dms`, DetailType = event type, Detail = envelope.
 * The SDK client is loaded on the first publish, so functions that never publish do not pay
 * for it at cold start.
 */
export class EventBridgePublisher implements EventPublisher {
  private client: Promise<{ client: EventBridgeClient; PutEventsCommand: typeof import('@aws-sdk/client-eventbridge').PutEventsCommand }> | undefined;

  constructor(private readonly busName: string = process.env[ENV.eventBusName] ?? '') {}

  private sdk() {
    this.client ??= import('@aws-sdk/client-eventbridge').then(({ EventBridgeClient, PutEventsCommand }) => ({
      client: tracer.captureAWSv3Client(new EventBridgeClient({})),
      PutEventsCommand,
    }));
    return this.client;
  }

  async publish(events: EventEnvelope[]): Promise<void> {
    events.forEach(assertValidEvent);
    const { client, PutEventsCommand } = await this.sdk();
    for (let i = 0; i < events.length; i += MAX_ENTRIES_PER_CALL) {
      const entries: PutEventsRequestEntry[] = events.slice(i, i + MAX_ENTRIES_PER_CALL).map((event) => ({
        EventBusName: this.busName,
        Source: EVENT_SOURCE,
        DetailType: event.type,
        Time: new Date(event.occurredAt),
        Detail: JSON.stringify(event),
      }));
      const result = await client.send(new PutEventsCommand({ Entries: entries }));
      if (result.FailedEntryCount) {
        const failed = result.Entries?.filter((e) => e.ErrorCode).map((e) => `${e.ErrorCode}: ${e.ErrorMessage}`);
        throw new Error(`EventBridge rejected ${result.FailedEntryCount} event(s): ${failed?.join('; ')}`);
      }
    }
  }
}
