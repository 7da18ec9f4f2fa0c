package io.distkit.examples;

import io.distkit.pool.object.Lease;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.PoolStats;
import io.distkit.pool.object.PooledObjectFactory;
import io.distkit.pool.object.local.LocalObjectPool;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Pools Netty client channels with a {@link LocalObjectPool}: a factory that connects, validates with
 * {@link Channel#isActive()} and closes; then four senders share two channels to an echo server, the server drops
 * every connection, and the next borrow is lent a fresh channel instead of a dead one. Starts its own echo server
 * on a loopback port, needs nothing else, and exits when done.
 *
 * <pre>{@code
 * mvn -q -B -DskipTests -pl examples -am package exec:java -Dexec.mainClass=io.distkit.examples.NettyChannelPool
 * }</pre>
 */
public final class NettyChannelPool {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final int SENDERS = 4;
  private static final int LINES_PER_SENDER = 2;

  private NettyChannelPool() {}

  /**
   * Runs the example, printing to standard output.
   *
   * @param args none
   * @throws Exception when the echo server cannot start or a line is not echoed within 5 s
   */
  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /**
   * Runs the example.
   *
   * @param out where to print
   * @throws Exception when the echo server cannot start or a line is not echoed within 5 s
   */
  static void run(PrintStream out) throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try (EchoServer server = new EchoServer(group)) {
      out.println("echo server on " + server.address());
      ChannelFactory channels = new ChannelFactory(group, server.address());
      ObjectPool<Channel> pool = LocalObjectPool.builder("echo", channels)
          .maxSize(2)
          .validateAfterIdle(Duration.ZERO) // isActive() is a field read: check every channel on its way out
          .build();
      try {
        sendConcurrently(out, pool);
        PoolStats stats = pool.stats();
        out.println(SENDERS * LINES_PER_SENDER + " lines from " + SENDERS + " senders over " + stats.created()
            + " channel(s): acquired " + stats.acquired() + ", waited " + stats.waited() + ", idle now "
            + stats.idle());

        server.dropConnections();
        channels.awaitAllClosed(TIMEOUT); // until each client channel has seen the server close it
        try (Lease<Channel> lease = pool.acquire(TIMEOUT)) {
          out.println("the server dropped every connection; next borrow: '" + echo(lease.get(), "still there?")
              + "' via a new channel (local port " + localPort(lease.get()) + ")");
        }
        stats = pool.stats();
        out.println("validation on borrow found " + stats.validationFailures() + " closed channel(s) and the pool "
            + "connected a new one: created " + stats.created() + ", lent " + stats.acquired());
      } finally {
        pool.close();
      }
      PoolStats closed = pool.stats();
      out.println("closed: the pool closed " + closed.destroyed() + " channel(s) of " + closed.created()
          + " created, " + closed.size() + " left");
    } finally {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }
  }

  /** Each sender borrows a channel per line: the pool's two channels serve all four. */
  private static void sendConcurrently(PrintStream out, ObjectPool<Channel> pool) throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    try {
      List<Future<List<String>>> sent = new ArrayList<>();
      for (int s = 1; s <= SENDERS; s++) {
        String sender = "sender-" + s;
        sent.add(senders.submit(() -> {
          List<String> lines = new ArrayList<>();
          for (int i = 1; i <= LINES_PER_SENDER; i++) {
            String line = "hello " + i + " from " + sender;
            try (Lease<Channel> lease = pool.acquire(TIMEOUT)) {
              try {
                lines.add(sender + ": '" + line + "' -> '" + echo(lease.get(), line) + "' (local port "
                    + localPort(lease.get()) + ")");
              } catch (IOException | RuntimeException e) {
                lease.invalidate(); // a channel whose reply went missing is in an unknown state: never lend it again
                throw e;
              }
            }
          }
          return lines;
        }));
      }
      for (Future<List<String>> lines : sent) {
        lines.get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS).forEach(out::println);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("a sender failed", e);
    } finally {
      senders.shutdownNow();
    }
  }

  /** Sends a line and waits for its echo: one request at a time per channel, which the lease guarantees. */
  private static String echo(Channel channel, String line) throws IOException, InterruptedException {
    Replies replies = channel.pipeline().get(Replies.class);
    channel.writeAndFlush(line + "\n").sync();
    @Nullable String reply = replies.queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (reply == null) {
      throw new IOException("no echo of '" + line + "' within " + TIMEOUT.toMillis() + " ms");
    }
    return reply;
  }

  private static int localPort(Channel channel) {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Connects client channels, validates them with {@code isActive()} and closes them. */
  private static final class ChannelFactory implements PooledObjectFactory<Channel> {
    private final Bootstrap bootstrap;
    private final InetSocketAddress server;
    private final ChannelGroup made = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    ChannelFactory(EventLoopGroup group, InetSocketAddress server) {
      this.server = server;
      this.bootstrap = new Bootstrap()
          .group(group)
          .channel(NioSocketChannel.class)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TIMEOUT.toMillis())
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
              channel.pipeline().addLast(new LineBasedFrameDecoder(1024), new StringDecoder(StandardCharsets.UTF_8),
                  new StringEncoder(StandardCharsets.UTF_8), new Replies());
            }
          });
    }

    @Override
    public Channel create() throws InterruptedException {
      Channel channel = bootstrap.connect(server).sync().channel(); // on the pool's scheduler, never a borrower
      made.add(channel);
      return channel;
    }

    @Override
    public boolean validate(Channel channel) {
      return channel.isActive();
    }

    @Override
    public void destroy(Channel channel) throws InterruptedException {
      channel.close().sync();
    }

    void awaitAllClosed(Duration timeout) throws InterruptedException {
      if (!made.newCloseFuture().await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("client channels still open " + timeout.toMillis() + " ms after the server "
            + "closed them");
      }
    }
  }

  /** The replies of one client channel, in order. */
  private static final class Replies extends SimpleChannelInboundHandler<String> {
    final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

    @Override
    protected void channelRead0(ChannelHandlerContext context, String reply) {
      queue.add(reply);
    }
  }

  /** Echoes each line back, prefixed with {@code echo: }. */
  private static final class EchoServer implements AutoCloseable {
    private final Channel listening;
    private final ChannelGroup accepted = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    EchoServer(EventLoopGroup group) throws InterruptedException {
      this.listening = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
              accepted.add(channel);
              channel.pipeline().addLast(new LineBasedFrameDecoder(1024), new StringDecoder(StandardCharsets.UTF_8),
                  new StringEncoder(StandardCharsets.UTF_8), new SimpleChannelInboundHandler<String>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext context, String line) {
                      context.writeAndFlush("echo: " + line + "\n");
                    }
                  });
            }
          })
          .bind(InetAddress.getLoopbackAddress(), 0)
          .sync()
          .channel();
    }

    InetSocketAddress address() {
      return (InetSocketAddress) listening.localAddress();
    }

    void dropConnections() throws InterruptedException {
      accepted.close().sync();
    }

    @Override
    public void close() {
      listening.close().syncUninterruptibly();
      accepted.close().syncUninterruptibly();
    }
  }
}
