// Time limits for many requests at the cost of one timer per distinct duration. Requests with the
// same limit expire in the order they started, so each duration keeps a doubly linked list in
// deadline order and one timer armed for its head; removing a finished request is O(1) and drops
// every reference to it at once (nothing lingers until its deadline).
export interface Deadline {
  at: number;
  fire: (() => void) | null;
  prev: Deadline | null;
  next: Deadline | null;
  queue: Queue;
}

interface Queue {
  head: Deadline | null;
  tail: Deadline | null;
  timer: NodeJS.Timeout | null;
}

export class Deadlines {
  readonly #queues = new Map<number, Queue>();
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Calls `fire` once `ms` have passed, unless removed first. */
  add(ms: number, fire: () => void): Deadline {
    let queue = this.#queues.get(ms);
    if (!queue) {
      queue = { head: null, tail: null, timer: null };
      this.#queues.set(ms, queue);
    }
    const d: Deadline = { at: this.#now() + ms, fire, prev: queue.tail, next: null, queue };
    if (queue.tail) queue.tail.next = d;
    else queue.head = d;
    queue.tail = d;
    if (!queue.timer) this.#arm(queue);
    return d;
  }

  /** Forgets a deadline (the request finished). Removing twice is harmless. */
  remove(d: Deadline): void {
    if (!d.fire) return;
    d.fire = null;
    const q = d.queue;
    if (d.prev) d.prev.next = d.next;
    else q.head = d.next;
    if (d.next) d.next.prev = d.prev;
    else q.tail = d.prev;
    d.prev = d.next = null;
  }

  /** Stops every timer; pending deadlines never fire. */
  stop(): void {
    for (const q of this.#queues.values()) {
      if (q.timer) clearTimeout(q.timer);
      q.timer = null;
      q.head = q.tail = null;
    }
    this.#queues.clear();
  }

  #arm(q: Queue): void {
    if (!q.head) {
      q.timer = null;
      return;
    }
    q.timer = setTimeout(() => this.#expire(q), Math.max(0, q.head.at - this.#now()) + 1);
    q.timer.unref();
  }

  #expire(q: Queue): void {
    const now = this.#now();
    while (q.head && q.head.at <= now) {
      const d = q.head;
      const fire = d.fire;
      this.remove(d);
      fire?.();
    }
    this.#arm(q);
  }
}
