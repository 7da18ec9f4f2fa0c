package io.distkit.core.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Narrows the deployments a {@link ContractTest} runs on, e.g. {@code @Deployments({STANDALONE, CLUSTER})}
 * for a Redis-only piece. On a method it wins over its class's.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Deployments {

  /**
   * Where to run.
   *
   * @return the kinds of deployment, in run order
   */
  Deployment.Kind[] value();
}
