/**
 * Pool benchmarks: a borrow and return of one pooled object from distkit's {@code LocalObjectPool} beside
 * Apache Commons Pool 2's {@code GenericObjectPool} and Stormpot; a load balancer's pick; no-op jobs run end to end
 * by distkit's {@code LocalJobQueue} beside a bare {@code ThreadPoolExecutor}; no-op jobs through distkit's Redis job
 * queue beside Redisson's {@code RExecutorService}, end to end and at a fixed load (enqueue-to-start latency).
 */
@NullMarked
package io.distkit.benchmarks.pool;

import org.jspecify.annotations.NullMarked;
