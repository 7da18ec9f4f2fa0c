package io.distkit.examples.snippets;

import io.distkit.pool.object.Lease;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.PooledObjectFactory;
import io.distkit.pool.object.local.LocalObjectPool;
import java.time.Duration;

class PoolQuickStart {
  // what you pool: connections, channels, parsers; here a stand-in for a connection
  static final class Connection {
    private boolean open = true;

    String send(String query) {
      return "ok: " + query;
    }
  }

  public static void main(String[] args) throws InterruptedException {
    PooledObjectFactory<Connection> connections = new PooledObjectFactory<>() {
      @Override
      public Connection create() {
        return new Connection();                 // runs on the pool's scheduler, never on a borrower's thread
      }

      @Override
      public boolean validate(Connection connection) {
        return connection.open;                  // before lending one idle for 500 ms or more
      }

      @Override
      public void destroy(Connection connection) {
        connection.open = false;
      }
    };
    try (ObjectPool<Connection> pool = LocalObjectPool.builder("db", connections)
        .maxSize(10)
        .acquireTimeout(Duration.ofSeconds(2))   // every wait is finite; then PoolTimeoutException names the holders
        .build()) {
      try (Lease<Connection> lease = pool.acquire()) {
        System.out.println(lease.get().send("SELECT 1"));
      }                                          // given back here; invalidate() instead if it broke
      System.out.println("lent now: " + pool.stats().borrowed() + ", acquired: " + pool.stats().acquired());
    }
  }
}
