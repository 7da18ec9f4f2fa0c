package io.distkit.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public surface of distkit-hashing (issue 13): no public or protected signature of a public type in
 * {@code io.distkit.hashing}, {@code .local} or {@code .redis} mentions an {@code internal} type, and no public
 * class extends one. Found by reading the compiled classes, so a type added later is checked too.
 */
class PublicApiSurfaceTest {

  @Test
  void noInternalTypeLeaksIntoThePublicApi() throws Exception {
    List<Class<?>> types = publicApiTypes();
    assertThat(types).extracting(Class::getSimpleName)
        .contains("NodeLocator", "MembershipBuilder", "LocalMembership", "RedisMembership", "RedisShardRouter");
    List<String> leaks = new ArrayList<>();
    for (Class<?> type : types) {
      check(type + " extends", type.getGenericSuperclass(), leaks);
      for (Type implemented : type.getGenericInterfaces()) {
        check(type + " implements", implemented, leaks);
      }
      List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredConstructors()));
      executables.addAll(List.of(type.getDeclaredMethods()));
      for (Executable executable : executables) {
        if (visible(executable.getModifiers()) && !executable.isSynthetic()) {
          String where = type.getSimpleName() + "." + executable.getName();
          for (Type parameter : executable.getGenericParameterTypes()) {
            check(where + " parameter", parameter, leaks);
          }
          if (executable instanceof Method method) {
            check(where + " returns", method.getGenericReturnType(), leaks);
          }
          for (Type thrown : executable.getGenericExceptionTypes()) {
            check(where + " throws", thrown, leaks);
          }
        }
      }
      for (Field field : type.getDeclaredFields()) {
        if (visible(field.getModifiers())) {
          check(type.getSimpleName() + "." + field.getName(), field.getGenericType(), leaks);
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  /** Whether a type, or any type in its generic arguments and bounds, lives in an internal package. */
  private static void check(String where, Type type, List<String> leaks) {
    if (type != null && type.getTypeName().matches("(?s).*io\\.distkit\\.[a-z]+\\.internal\\..*")) {
      leaks.add(where + ": " + type.getTypeName());
    }
  }

  /** Every public type (nested ones too, when reachable) of the API packages, from the compiled classes. */
  private static List<Class<?>> publicApiTypes() throws IOException, URISyntaxException, ClassNotFoundException {
    Path root = Path.of(Node.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root.resolve("io/distkit/hashing"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        if (name.contains(".internal.") || name.endsWith("package-info")) {
          continue;
        }
        Class<?> type = Class.forName(name, false, PublicApiSurfaceTest.class.getClassLoader());
        if (reachable(type)) {
          types.add(type);
        }
      }
    }
    return types;
  }

  private static boolean reachable(Class<?> type) {
    if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
      return false;
    }
    int modifiers = type.getModifiers();
    Class<?> outer = type.getEnclosingClass();
    if (outer == null) {
      return Modifier.isPublic(modifiers);
    }
    return (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers)) && reachable(outer);
  }
}
