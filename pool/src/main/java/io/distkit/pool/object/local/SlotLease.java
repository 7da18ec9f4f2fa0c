package io.distkit.pool.object.local;

import io.distkit.pool.object.Lease;

/** One loan of a slot: the slot and the loan's number, which the slot's word must still carry. */
final class SlotLease<T> implements Lease<T> {

  private final SlotPool<T> pool;
  private final Slot<T> slot;
  private final long loan;

  SlotLease(SlotPool<T> pool, Slot<T> slot, long loan) {
    this.pool = pool;
    this.slot = slot;
    this.loan = loan;
  }

  @Override
  public T get() {
    if (!isOpen()) {
      throw new IllegalStateException("this lease of pool " + pool.name() + " has ended");
    }
    return slot.object;
  }

  @Override
  public boolean isOpen() {
    return slot.word() == Slot.word(loan, Slot.BORROWED);
  }

  @Override
  public void close() {
    pool.giveBack(slot, loan);
  }

  @Override
  public void invalidate() {
    pool.invalidate(slot, loan);
  }

  @Override
  public String toString() {
    return "Lease[" + pool.name() + ", " + (isOpen() ? slot.object : "ended") + "]";
  }
}
