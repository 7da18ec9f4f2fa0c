package io.distkit.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.Clock;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.TimeSource;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.RedisExtension;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.hashing.local.LocalMembership;
import io.distkit.hashing.redis.RedisMembership;
import io.distkit.hashing.redis.RedisShardRouter;
import io.distkit.hashing.redis.WriteQuorumException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

/**
 * Every null argument of the public API (every public constructor and method of every public type, each
 * parameter not marked {@code @Nullable}) is refused with a {@link NullPointerException} whose message is the
 * parameter's name, as {@code Objects.requireNonNull(key, "key")} gives, before anything else happens (issue 10).
 * Found by reflection, so a method added later is checked too.
 */
@ExtendWith(RedisExtension.class)
class PublicApiNullTest {

  /** A parameter name, or an element of one ("nodes[2]"): never the JDK's "Cannot invoke ..." message. */
  private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z0-9]*(\\[\\d+])?");

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  @Test
  void locateNullNamesTheKey() {
    NodeLocator<Node> ring = LocatorConfig.ring().locator(List.of(Node.of("a")));
    assertThatThrownBy(() -> ring.locate((String) null)).isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> ring.locate((byte[]) null, 2)).isInstanceOf(NullPointerException.class)
        .hasMessage("key");
    // issue 12, item 8: a null node in the list
    List<Node> withNull = new ArrayList<>(List.of(Node.of("a")));
    withNull.add(null);
    assertThatThrownBy(() -> LocatorConfig.ring().locator(withNull)).isInstanceOf(NullPointerException.class)
        .hasMessage("nodes[1]");
  }

  @Test
  void everyPublicMethodRefusesNullArgumentsNamingThem(RedisServerProcess redis) throws Exception {
    RedisClient client = redis.newClient();
    opened.add(client);
    Samples samples = new Samples(RedisBackend.create(client));
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<Class<?>, List<Object>> type : samples.receivers().entrySet()) {
      for (Executable executable : publicExecutables(type.getKey())) {
        boolean isStatic = executable instanceof Constructor<?> || Modifier.isStatic(executable.getModifiers());
        List<Object> receivers = isStatic ? java.util.Collections.singletonList(null) : type.getValue();
        Parameter[] parameters = executable.getParameters();
        for (int nulled = 0; nulled < parameters.length; nulled++) {
          if (parameters[nulled].getType().isPrimitive()
              || parameters[nulled].getAnnotatedType().isAnnotationPresent(Nullable.class)) {
            continue;
          }
          for (Object receiver : receivers) {
            Object[] args = new Object[parameters.length];
            for (int i = 0; i < args.length; i++) {
              args[i] = i == nulled ? null : samples.of(parameters[i].getParameterizedType());
            }
            String where = executable.getDeclaringClass().getSimpleName() + "." + executable.getName() + " parameter "
                + nulled + (receiver == null ? "" : " on " + receiver.getClass().getSimpleName());
            checked++;
            Throwable thrown = invoke(executable, receiver, args);
            if (!(thrown instanceof NullPointerException) || thrown.getMessage() == null
                || !NAME.matcher(thrown.getMessage()).matches()) {
              problems.add(where + ": " + thrown);
            }
          }
        }
      }
    }
    assertThat(problems).as("of %s null arguments", checked).isEmpty();
    assertThat(checked).isGreaterThan(130);
  }

  private static List<Executable> publicExecutables(Class<?> type) {
    List<Executable> result = new ArrayList<>();
    for (Constructor<?> c : type.getConstructors()) {
      result.add(c);
    }
    for (Method m : type.getMethods()) {
      boolean ours = m.getDeclaringClass().getPackageName().startsWith("io.distkit.hashing");
      boolean enumHelper = type.isEnum() && m.getName().equals("valueOf");
      boolean equals = m.getName().equals("equals") && m.getParameterCount() == 1;
      if (ours && !m.isSynthetic() && !m.isBridge() && !enumHelper && !equals) {
        result.add(m);
      }
    }
    return result;
  }

  private static @Nullable Throwable invoke(Executable executable, @Nullable Object receiver, Object[] args)
      throws IllegalAccessException, InstantiationException {
    try {
      if (executable instanceof Constructor<?> c) {
        c.newInstance(args);
      } else {
        Method m = (Method) executable;
        m.setAccessible(true); // public methods of non-public implementation classes
        m.invoke(receiver, args);
      }
      return null;
    } catch (InvocationTargetException e) {
      return e.getCause();
    }
  }

  /** A valid value of every parameter type the API takes, and receivers of every public type. */
  private final class Samples {
    private final RedisBackend backend;
    private final ManualClock clock = new ManualClock();
    private final List<Node> nodes = List.of(Node.of("a"), Node.of("b"), Node.of("c"));
    private final NodeLocator<Node> ring = LocatorConfig.ring().locator(nodes);
    private final LocalMembership.Group<Node> group = LocalMembership.Group.create(clock);

    Samples(RedisBackend backend) {
      this.backend = backend;
    }

    Map<Class<?>, List<Object>> receivers() {
      List<Object> locators = new ArrayList<>();
      for (Algorithm algorithm : Algorithm.values()) {
        locators.add(LocatorConfig.builder(algorithm).build().locator(nodes));
      }
      Membership<Node> membership = LocalMembership.builder(group).self(Node.of("me")).build();
      opened.add(membership);
      RedisShardRouter<Node> router = RedisShardRouter.<Node>builder().shard(Node.of("s"), backend).build();
      opened.add(router);
      Map<Class<?>, List<Object>> receivers = new java.util.LinkedHashMap<>();
      receivers.put(Node.class, List.of(Node.of("n")));
      receivers.put(NodeLocator.class, locators);
      receivers.put(LocatorConfig.class, List.of(LocatorConfig.ring()));
      receivers.put(LocatorConfig.Builder.class, List.of(LocatorConfig.builder(Algorithm.MAGLEV)));
      receivers.put(Algorithm.class, List.of(Algorithm.RING));
      receivers.put(LocatorHolder.class, List.of(LocatorHolder.of(ring)));
      receivers.put(LocatorAnalysis.class, List.of());
      receivers.put(LocatorAnalysis.Balance.class, List.of(LocatorAnalysis.balance(ring, List.of("k"))));
      receivers.put(LocatorAnalysis.Movement.class, List.of(new LocatorAnalysis.Movement(1, 0)));
      receivers.put(BoundedLoadAssignment.class, List.of(BoundedLoadAssignment.assign(ring, 1.5, List.of("k"))));
      receivers.put(BoundedLoadBalancer.class, List.of(BoundedLoadBalancer.create(ring, 1.5)));
      receivers.put(Membership.class, List.of(membership));
      receivers.put(MembershipView.class, List.of(membership.view()));
      receivers.put(MembershipStats.class, List.of(membership.stats()));
      receivers.put(MembershipBuilder.class, List.of(LocalMembership.builder(group),
          RedisMembership.builder(backend, "g", TestNodes.CODEC)));
      receivers.put(LocalMembership.class, List.of());
      receivers.put(LocalMembership.Builder.class, List.of(LocalMembership.builder(group)));
      receivers.put(LocalMembership.Group.class, List.of(group));
      receivers.put(RedisMembership.class, List.of());
      receivers.put(RedisMembership.Builder.class, List.of(RedisMembership.builder(backend, "g", TestNodes.CODEC)));
      receivers.put(RedisShardRouter.class, List.of(router));
      receivers.put(RedisShardRouter.Builder.class, List.of(RedisShardRouter.builder()));
      receivers.put(RedisShardRouter.WriteResult.class, List.of(new RedisShardRouter.WriteResult<>(nodes, nodes)));
      receivers.put(RedisShardRouter.Stats.class, List.of(router.stats()));
      receivers.put(WriteQuorumException.class, List.of());
      return receivers;
    }

    Object of(Type type) {
      Class<?> raw = raw(type);
      if (raw == int.class || raw == long.class) {
        return raw == int.class ? (Object) 1 : (Object) 1L;
      }
      if (raw == double.class) {
        return 1.5;
      }
      if (raw == boolean.class) {
        return false;
      }
      if (raw == String.class) {
        return "k";
      }
      if (raw == byte[].class) {
        return new byte[] {1, 2};
      }
      if (raw == Node.class || raw == Object.class) {
        return Node.of("x");
      }
      if (Collection.class.isAssignableFrom(raw)) {
        return elementType(type) == String.class ? List.of("k1", "k2") : List.of(Node.of("x"), Node.of("y"));
      }
      if (raw == Map.class) {
        return Map.of("a", 1L);
      }
      if (raw == Duration.class) {
        return Duration.ofSeconds(1);
      }
      if (raw == NodeLocator.class) {
        return ring;
      }
      if (raw == LocatorConfig.class) {
        return LocatorConfig.ring();
      }
      if (raw == Algorithm.class) {
        return Algorithm.RING;
      }
      if (raw == UnaryOperator.class) {
        return UnaryOperator.identity();
      }
      if (raw == Function.class) {
        return (Function<Object, Object>) input -> input instanceof String ? Node.of("a") : null;
      }
      if (raw == MembershipListener.class) {
        return (MembershipListener<Node>) (previous, current) -> { };
      }
      if (raw == MembershipView.class) {
        return new MembershipView<>(1, nodes, ring);
      }
      if (raw == BoundedLoadAssignment.class) {
        return BoundedLoadAssignment.assign(ring, 1.5, List.of("k"));
      }
      if (raw == RedisShardRouter.Listener.class) {
        return new RedisShardRouter.Listener<Node>() {};
      }
      if (raw == RedisBackend.class) {
        return backend;
      }
      if (raw == Codec.class) {
        return TestNodes.CODEC;
      }
      if (raw == Clock.class) {
        return clock;
      }
      if (raw == TimeSource.class) {
        return TimeSource.CLIENT;
      }
      if (raw == LocalMembership.Group.class) {
        return group;
      }
      if (raw == Throwable.class) {
        return new IllegalStateException("sample");
      }
      throw new IllegalStateException("no sample of " + type + ": add one");
    }

    private Class<?> raw(Type type) {
      if (type instanceof Class<?> c) {
        return c;
      }
      if (type instanceof ParameterizedType p) {
        return (Class<?>) p.getRawType();
      }
      if (type instanceof WildcardType w) {
        return raw(w.getUpperBounds()[0]);
      }
      if (type instanceof java.lang.reflect.TypeVariable<?> v) {
        return raw(v.getBounds()[0]);
      }
      if (type instanceof java.lang.reflect.GenericArrayType) {
        return Object[].class;
      }
      throw new IllegalStateException("no raw type of " + type);
    }

    private Class<?> elementType(Type collection) {
      return collection instanceof ParameterizedType p ? raw(p.getActualTypeArguments()[0]) : Object.class;
    }
  }
}
