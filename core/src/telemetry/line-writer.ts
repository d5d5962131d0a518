/**
 * Writes log lines to a stream in batches: the lines of one turn of the event loop go out in one write, at the
 * end of that turn (setImmediate). A write to a pipe or a file is a system call (stderr is synchronous on Linux),
 * and under load every request's access line was one of its own. Lines still queued when the process exits are
 * written then, synchronously.
 */
export class LineWriter {
  readonly #destination: () => NodeJS.WritableStream;
  #lines: string[] = [];
  #scheduled = false;

  constructor(destination: () => NodeJS.WritableStream) {
    this.#destination = destination;
  }

  write(line: string): void {
    this.#lines.push(line);
    if (this.#scheduled) return;
    this.#scheduled = true;
    pending.add(this);
    setImmediate(() => this.flush());
  }

  /** Writes what is queued now (the scheduled flush, or the process's exit). */
  flush(): void {
    this.#scheduled = false;
    pending.delete(this);
    if (this.#lines.length === 0) return;
    const text = this.#lines.join('');
    this.#lines = [];
    this.#destination().write(text);
  }
}

/** Writers with queued lines: one exit listener for the process, however many loggers (kernels) it runs. */
const pending = new Set<LineWriter>();
process.once('exit', () => {
  for (const writer of [...pending]) writer.flush();
});
