package io.distkit.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class JedisRequirementTest {

  @Test
  void theJedisOfThisBuildPasses() {
    assertThatCode(JedisRequirement::check).doesNotThrowAnyException();
    assertThat(JedisRequirement.problem(true, "8.0.2")).isNull();
    assertThat(JedisRequirement.problem(true, "9.1.0-SNAPSHOT")).isNull();
  }

  @Test
  void aMissingJedisSaysWhichDependencyToAdd() {
    assertThat(JedisRequirement.problem(false, null))
        .contains("add the dependency redis.clients:jedis, version 8.0 or newer")
        .contains("requires redis.clients.jedis");
  }

  @Test
  void anOlderJedisNamesItsVersionAndTheUsualCulprit() {
    // Spring Boot 3 pins Jedis 5 or 6; distkit needs classes and methods of Jedis 8
    assertThat(JedisRequirement.problem(true, "6.0.0"))
        .contains("need Jedis 8.0 or newer, but the class path has Jedis 6.0.0")
        .contains("Spring Boot's jedis.version property");
    assertThat(JedisRequirement.problem(true, "7.4.1")).contains("Jedis 7.4.1");
  }

  @Test
  void anUnknownVersionIsGivenTheBenefitOfTheDoubt() {
    // a repackaged (shaded) Jedis may carry no pom.properties
    assertThat(JedisRequirement.problem(true, null)).isNull();
    assertThat(JedisRequirement.problem(true, "custom-build")).isNull();
  }
}
