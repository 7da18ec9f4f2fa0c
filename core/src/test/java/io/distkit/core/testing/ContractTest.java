package io.distkit.core.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that runs once per {@link Deployment}: local, Redis standalone and Redis Cluster, or those that
 * {@link Deployments} names on the method or its class. One suite, every backend, no subclass per backend.
 *
 * <p>The test method, and the class's {@code @BeforeEach} / {@code @AfterEach} methods, may take a
 * {@link Deployment} parameter. Runs show as {@code [local]}, {@code [standalone]}, {@code [cluster]}.
 * Redis runs use the JVM's shared servers and never skip: no Redis fails the build.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@TestTemplate
@ExtendWith(DeploymentExtension.class)
public @interface ContractTest {}
