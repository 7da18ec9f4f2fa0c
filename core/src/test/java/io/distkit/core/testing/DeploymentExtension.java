package io.distkit.core.testing;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/** Runs a {@link ContractTest} once per {@link Deployment}. */
public final class DeploymentExtension implements TestTemplateInvocationContextProvider {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DeploymentExtension.class);

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return context.getTestMethod().map(m -> m.isAnnotationPresent(ContractTest.class)).orElse(false);
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
    return kinds(context).stream().map(Invocation::new);
  }

  private static List<Deployment.Kind> kinds(ExtensionContext context) {
    Method method = context.getRequiredTestMethod();
    Deployments onMethod = method.getAnnotation(Deployments.class);
    Deployments onClass = context.getRequiredTestClass().getAnnotation(Deployments.class);
    Deployments chosen = onMethod != null ? onMethod : onClass;
    return chosen == null ? List.of(Deployment.Kind.values()) : Arrays.asList(chosen.value());
  }

  /** One run: its display name and the resolver that hands out its deployment. */
  private record Invocation(Deployment.Kind kind) implements TestTemplateInvocationContext {

    @Override
    public String getDisplayName(int invocationIndex) {
      return "[" + kind.label() + "]";
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
      return List.of(new Resolver(kind));
    }
  }

  /** Gives every parameter of type {@link Deployment} in one run the same deployment, closed after the run. */
  private record Resolver(Deployment.Kind kind) implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == Deployment.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      ExtensionContext run = context.getTestMethod().isPresent() ? context : context.getRoot();
      try {
        return run.getStore(NAMESPACE).getOrComputeIfAbsent(Closing.class, k -> new Closing(open(kind)),
            Closing.class).deployment;
      } catch (RuntimeException e) {
        throw new ParameterResolutionException("Cannot provide a " + kind.label() + " deployment for "
            + context.getDisplayName() + ": " + e.getMessage(), e);
      }
    }

    private static Deployment open(Deployment.Kind kind) {
      switch (kind) {
        case STANDALONE -> RedisServers.standalone(); // start (or fail) before the test, not inside it
        case CLUSTER -> RedisServers.cluster();
        case LOCAL -> { }
      }
      return new Deployment(kind);
    }
  }

  /** Closes a run's deployment when JUnit closes the run's store (JUnit 5.13+ closes AutoCloseable values). */
  private record Closing(Deployment deployment) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      deployment.close();
    }
  }
}
