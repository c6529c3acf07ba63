package com.crd.workflow.fakeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeApiJobScriptTest {
  private static JobScript.Outcome sh(String script) {
    return JobScript.ofArgv(List.of("/bin/sh", "-c", script));
  }

  @Test
  void sequencesAndSleeps() {
    assertEquals(new JobScript.Outcome(Duration.ofMillis(1500), 0), sh("sleep 1; echo 'a;b' && sleep 0.5"));
    assertEquals(new JobScript.Outcome(Duration.ofSeconds(1), 1), sh("sleep 1; exit 1; sleep 5"));
    assertEquals(new JobScript.Outcome(Duration.ZERO, 3), sh("exit 3"));
    assertEquals(new JobScript.Outcome(Duration.ZERO, 0), sh("true\ntrue"));
    assertEquals(new JobScript.Outcome(Duration.ofMinutes(2), 0), sh("sleep 2m"));
  }

  @Test
  void shellOperatorsAndStatuses() {
    assertEquals(1, sh("false && sleep 5").exitCode());
    assertEquals(Duration.ZERO, sh("false && sleep 5").duration());
    assertEquals(0, sh("false || true").exitCode());
    assertEquals(0, sh("nope; true").exitCode(), "a shell carries on after an unknown command");
    assertEquals(127, sh("nope").exitCode());
    assertEquals(1, sh("set -e; false; sleep 9").exitCode());
    assertEquals(Duration.ZERO, sh("set -e; false; sleep 9").duration());
    assertEquals(1, JobScript.ofArgv(List.of("sh", "-ec", "false; true")).exitCode());
    assertEquals(1, sh("sleep abc").exitCode());
  }

  @Test
  void plainArgvAndDefaults() {
    assertEquals(new JobScript.Outcome(Duration.ofSeconds(2), 0), JobScript.ofArgv(List.of("sleep", "2")));
    assertEquals(127, JobScript.ofArgv(List.of("python", "main.py")).exitCode());
    assertEquals(JobScript.DEFAULT_ENTRYPOINT,
        JobScript.of(Json.parse("{\"image\":\"busybox\"}").getAsJsonObject()).duration());
    assertEquals(4, JobScript.of(Json.parse(
        "{\"image\":\"busybox\",\"command\":[\"sh\",\"-c\"],\"args\":[\"exit 4\"]}").getAsJsonObject()).exitCode());
    assertTrue(sh("sleep infinity").runsForever());
  }
}
