// Server-sent events decoder (the WHATWG event-stream format): text or bytes in any chunking in,
// whole events out. Lines end in CRLF, LF or CR; a CR at the end of a chunk waits for the next
// chunk in case an LF follows. Multi-byte UTF-8 characters split across byte chunks are kept.

export interface SseEvent {
  /** `event:` field; `message` when absent. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
}

const LINE_END = /\r\n|\r|\n/g;

export class SseDecoder {
  #utf8 = new TextDecoder('utf-8');
  #buffer = '';
  #event = '';
  #data: string[] = [];
  #started = false;

  push(chunk: string | Uint8Array): SseEvent[] {
    this.#buffer += typeof chunk === 'string' ? chunk : this.#utf8.decode(chunk, { stream: true });
    return this.#drain(false);
  }

  /** The stream ended: an event without its closing blank line is still delivered. */
  end(): SseEvent[] {
    this.#buffer += this.#utf8.decode();
    const out = this.#drain(true);
    this.#dispatch(out);
    return out;
  }

  #drain(final: boolean): SseEvent[] {
    const out: SseEvent[] = [];
    if (!this.#started && this.#buffer.length > 0) {
      this.#started = true;
      if (this.#buffer.charCodeAt(0) === 0xfeff) this.#buffer = this.#buffer.slice(1);
    }
    let start = 0;
    LINE_END.lastIndex = 0;
    for (let m = LINE_END.exec(this.#buffer); m; m = LINE_END.exec(this.#buffer)) {
      if (!final && m[0] === '\r' && m.index === this.#buffer.length - 1) break;
      this.#line(this.#buffer.slice(start, m.index), out);
      start = m.index + m[0].length;
    }
    this.#buffer = this.#buffer.slice(start);
    if (final && this.#buffer.length > 0) {
      this.#line(this.#buffer, out);
      this.#buffer = '';
    }
    return out;
  }

  #line(line: string, out: SseEvent[]): void {
    if (line === '') {
      this.#dispatch(out);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.#event = value;
    else if (field === 'data') this.#data.push(value);
  }

  #dispatch(out: SseEvent[]): void {
    if (this.#data.length > 0) out.push({ event: this.#event || 'message', data: this.#data.join('\n') });
    this.#event = '';
    this.#data = [];
  }
}
