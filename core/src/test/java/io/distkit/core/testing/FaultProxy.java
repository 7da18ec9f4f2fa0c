package io.distkit.core.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.HostAndPort;

/**
 * A TCP proxy between a client and a server that can add latency, black-hole traffic, or cut every
 * connection, and then heal. Built on Netty.
 *
 * <p>Point a client at {@link #hostAndPort()} instead of the server. Faults:
 * <ul>
 *   <li>{@link #delay(Duration)}: every chunk of bytes, both ways, is held this long (order is kept);
 *   <li>{@link #blackhole()}: connections stay open but bytes vanish both ways, as with a dead peer behind a
 *       firewall; clients see timeouts, not errors;
 *   <li>{@link #cut()}: every connection is closed at once and new ones are closed as soon as they are
 *       accepted, as with a crashed server;
 *   <li>{@link #disconnectAll()}: closes the current connections once; new ones work;
 *   <li>{@link #heal()}: back to a faithful pipe. Connections that lost bytes to a black hole are closed,
 *       since their streams are corrupt.
 * </ul>
 *
 * <p>For one server. A cluster tells clients its nodes' real addresses, so a proxy in front of one node is
 * bypassed after the first redirect: put a {@link ClusterFaultProxy} in front of a cluster instead.
 */
public final class FaultProxy implements AutoCloseable {

  private static final AttributeKey<Boolean> LOST_BYTES = AttributeKey.valueOf("distkit.lostBytes");
  private static final AttributeKey<Long> LAST_DEADLINE = AttributeKey.valueOf("distkit.lastDeadline");

  private final HostAndPort target;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Channel server;

  private final java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
  private volatile long delayNanos;
  private volatile boolean blackholed;
  private volatile boolean cut;

  private FaultProxy(HostAndPort target) {
    this.target = target;
    this.server = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            channel.pipeline().addLast(new ClientSide());
          }
        })
        .bind(RedisServerProcess.HOST, 0)
        .syncUninterruptibly()
        .channel();
  }

  /**
   * Starts a proxy on a free loopback port in front of {@code target}.
   *
   * @param target the server to forward to
   * @return a running proxy with no faults
   */
  public static FaultProxy start(HostAndPort target) {
    return new FaultProxy(target);
  }

  /**
   * Where clients should connect.
   *
   * @return the proxy's loopback address
   */
  public HostAndPort hostAndPort() {
    return new HostAndPort(RedisServerProcess.HOST, ((InetSocketAddress) server.localAddress()).getPort());
  }

  /**
   * How many client connections the proxy has accepted and forwarded (refused ones during a cut excluded).
   *
   * @return the count since the proxy started
   */
  public long acceptedConnections() {
    return accepted.get();
  }

  /**
   * The server the proxy forwards to.
   *
   * @return the target given at start
   */
  public HostAndPort target() {
    return target;
  }

  /**
   * Holds every chunk of bytes this long before passing it on, both ways.
   *
   * @param latency the added one-way delay; zero for none
   * @return this proxy
   */
  public FaultProxy delay(Duration latency) {
    this.delayNanos = latency.toNanos();
    return this;
  }

  /**
   * Keeps connections open but drops every byte, both ways.
   *
   * @return this proxy
   */
  public FaultProxy blackhole() {
    this.blackholed = true;
    return this;
  }

  /**
   * Closes every connection now and every new one as soon as it is accepted, until {@link #heal()}.
   *
   * @return this proxy
   */
  public FaultProxy cut() {
    this.cut = true;
    connections.close().syncUninterruptibly();
    return this;
  }

  /**
   * Closes every current connection once; new connections work.
   *
   * @return this proxy
   */
  public FaultProxy disconnectAll() {
    connections.close().syncUninterruptibly();
    return this;
  }

  /**
   * Removes every fault. Connections that lost bytes to a black hole are closed.
   *
   * @return this proxy
   */
  public FaultProxy heal() {
    this.cut = false;
    this.blackholed = false;
    this.delayNanos = 0;
    connections.close(channel -> Boolean.TRUE.equals(channel.attr(LOST_BYTES).get())).syncUninterruptibly();
    return this;
  }

  /** Closes every connection and stops listening. */
  @Override
  public void close() {
    connections.close().syncUninterruptibly();
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Passes bytes from {@code source} to {@code peer}, applying the current faults. */
  private void relay(ChannelHandlerContext source, Channel peer, Object message) {
    if (blackholed) {
      ReferenceCountUtil.release(message);
      source.channel().attr(LOST_BYTES).set(true);
      peer.attr(LOST_BYTES).set(true);
      source.read();
      return;
    }
    long delay = delayNanos;
    if (delay <= 0) {
      forward(source, peer, message);
    } else {
      // never before an earlier chunk of the same connection, even if the delay was just shortened:
      // tasks on one event loop with equal deadlines run in submission order
      long now = System.nanoTime();
      Long previous = source.channel().attr(LAST_DEADLINE).get();
      long deadline = previous == null ? now + delay : Math.max(now + delay, previous);
      source.channel().attr(LAST_DEADLINE).set(deadline);
      source.executor().schedule(() -> forward(source, peer, message), deadline - now, TimeUnit.NANOSECONDS);
      source.read();
    }
  }

  private static void forward(ChannelHandlerContext source, Channel peer, Object message) {
    if (!peer.isActive()) {
      ReferenceCountUtil.release(message);
      return;
    }
    peer.writeAndFlush(message).addListener((ChannelFutureListener) written -> {
      if (written.isSuccess()) {
        source.channel().read();
      } else {
        written.channel().close();
        source.channel().close();
      }
    });
  }

  /** The client's connection: opens one to the server and pipes bytes to it. */
  private final class ClientSide extends ChannelInboundHandlerAdapter {
    private volatile Channel serverSide;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel client = ctx.channel();
      if (cut) {
        client.close();
        return;
      }
      connections.add(client);
      accepted.incrementAndGet();
      new Bootstrap()
          .group(client.eventLoop())
          .channel(NioSocketChannel.class)
          .option(ChannelOption.AUTO_READ, false)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new ServerSide(client))
          .connect(target.getHost(), target.getPort())
          .addListener((ChannelFutureListener) connected -> {
            if (connected.isSuccess()) {
              serverSide = connected.channel();
              connections.add(serverSide);
              client.read();
              serverSide.read();
            } else {
              client.close();
            }
          });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      Channel peer = serverSide;
      if (peer == null) {
        ReferenceCountUtil.release(message);
        ctx.close();
        return;
      }
      relay(ctx, peer, message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      Channel peer = serverSide;
      if (peer != null) {
        peer.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** The server's connection: pipes its bytes back to the client. */
  private final class ServerSide extends ChannelInboundHandlerAdapter {
    private final Channel client;

    ServerSide(Channel client) {
      this.client = client;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      if (!(message instanceof ByteBuf)) {
        ReferenceCountUtil.release(message);
        return;
      }
      relay(ctx, client, message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      client.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  @Override
  public String toString() {
    return "FaultProxy[" + hostAndPort() + " -> " + target + (cut ? ", cut" : "") + (blackholed ? ", blackhole" : "")
        + (delayNanos > 0 ? ", delay " + Duration.ofNanos(delayNanos).toMillis() + " ms" : "") + "]";
  }
}
