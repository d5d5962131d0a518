/**
 * Per-session event store for resumable SSE streams (Last-Event-ID). Bounded: only the newest events are kept,
 * so a client that reconnects much later resumes from what is left, and memory stays flat.
 * Structurally matches the SDK's EventStore.
 */
export class MemoryEventStore {
  readonly #events = new Map<string, { streamId: string; message: unknown }>();
  readonly #limit: number;
  #counter = 0;

  constructor(limit = 1000) {
    this.#limit = limit;
  }

  async storeEvent(streamId: string, message: unknown): Promise<string> {
    const eventId = `${streamId}_${(++this.#counter).toString().padStart(12, '0')}`;
    this.#events.set(eventId, { streamId, message });
    if (this.#events.size > this.#limit) this.#events.delete(this.#events.keys().next().value as string);
    return eventId;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.#events.get(eventId)?.streamId ?? eventId.slice(0, eventId.lastIndexOf('_'));
  }

  async replayEventsAfter(lastEventId: string, { send }: { send: (eventId: string, message: never) => Promise<void> }): Promise<string> {
    const streamId = lastEventId.slice(0, lastEventId.lastIndexOf('_'));
    let after = false;
    for (const [eventId, event] of this.#events) {
      if (event.streamId !== streamId) continue;
      if (after) await send(eventId, event.message as never);
      else if (eventId === lastEventId) after = true;
    }
    return streamId;
  }
}
