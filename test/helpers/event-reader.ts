// Reads a Server-Sent Events body event by event, as EventSource would.
export class EventReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  /** The next event named `name` whose data passes `until`; fails if the stream ends first. */
  async next<T>(name: string, until: (data: T) => boolean = () => true): Promise<T> {
    for (;;) {
      let end: number;
      while ((end = this.#buffer.indexOf('\n\n')) !== -1) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === name && data !== undefined) {
          const parsed = JSON.parse(data) as T;
          if (until(parsed)) return parsed;
        }
      }
      const { value, done } = await this.#reader.read();
      if (done) throw new Error(`the stream ended before the ${name} event we waited for`);
      this.#buffer += this.#decoder.decode(value, { stream: true });
    }
  }

  /** Resolves when the server ends the stream. */
  async end(): Promise<void> {
    for (;;) {
      const { done } = await this.#reader.read();
      if (done) return;
    }
  }
}
