/**
 * Tracks a session's message sequence (PRODUCT "Hub": every server message carries the session's
 * sequence; consecutive messages are consecutive unless some were missed). A snapshot resets it.
 */
export type SequenceVerdict = 'apply' | 'stale' | 'gap';

export class SequenceTracker {
  private last: number | null = null;

  /** The sequence of the last applied message or snapshot; null before the first snapshot. */
  get current(): number | null {
    return this.last;
  }

  /** A snapshot includes every message up to its sequence. */
  reset(snapshotSequence: number): void {
    this.last = snapshotSequence;
  }

  /**
   * What to do with a message: apply it (the next one), drop it (already in the state), or resync
   * (one or more were missed). Before any snapshot everything is a gap: the client must join first.
   */
  observe(sequence: number): SequenceVerdict {
    if (this.last === null) return 'gap';
    if (sequence <= this.last) return 'stale';
    if (sequence === this.last + 1) {
      this.last = sequence;
      return 'apply';
    }
    return 'gap';
  }
}
