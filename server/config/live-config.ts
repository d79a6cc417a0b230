// What is live: the last good snapshot, and the last rejected commit with its errors.
import { EventEmitter } from 'node:events';
import type { ConfigIssue } from './issues.ts';
import type { ConfigSnapshot } from './snapshot.ts';

export interface RejectedCommit {
  commit: string;
  at: string;
  errors: readonly ConfigIssue[];
}

export interface LiveConfigEvents {
  loaded: [ConfigSnapshot];
  rejected: [RejectedCommit];
}

export class LiveConfig extends EventEmitter<LiveConfigEvents> {
  snapshot: ConfigSnapshot | null = null;
  error: RejectedCommit | null = null;

  accept(snapshot: ConfigSnapshot): void {
    this.snapshot = snapshot;
    this.error = null;
    this.emit('loaded', snapshot);
  }

  /** Serves a snapshot without clearing the error (start-up fell back to an older commit). */
  fallBackTo(snapshot: ConfigSnapshot): void {
    this.snapshot = snapshot;
    this.emit('loaded', snapshot);
  }

  reject(rejected: RejectedCommit): void {
    this.error = rejected;
    this.emit('rejected', rejected);
  }
}
