package com.crd.workflow.operator;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SettingsTest {
  static Settings parse(Map<String, String> env, String... args) throws Settings.BadFlag {
    return Settings.parse(args, env::get);
  }

  @Test
  @DisplayName("defaults: all namespaces, 10s ticks, port 8080, leader election on, text logs")
  void defaults() throws Exception {
    Settings s = parse(Map.of());
    assertEquals(List.of(), s.namespaces());
    assertEquals(Duration.ofSeconds(10), s.tickPeriod());
    assertEquals(8080, s.metricsPort());
    assertTrue(s.leaderElect());
    assertEquals("default", s.leaseNamespace());
    assertFalse(s.jsonLogs());
    assertNull(s.kubeconfig());
  }

  @Test
  @DisplayName("environment variables set defaults and flags override them")
  void envThenFlags() throws Exception {
    Map<String, String> env = Map.of("WATCH_NAMESPACES", "a, b", "TICK_PERIOD", "500ms",
        "LEADER_ELECT", "false", "POD_NAMESPACE", "ops", "LOG_FORMAT", "json", "POD_NAME", "pod-1");
    Settings s = parse(env, "--tick-period", "3s", "--metrics-port=9090");
    assertEquals(List.of("a", "b"), s.namespaces());
    assertEquals(Duration.ofSeconds(3), s.tickPeriod());
    assertEquals(9090, s.metricsPort());
    assertFalse(s.leaderElect());
    assertEquals("ops", s.leaseNamespace());
    assertTrue(s.jsonLogs());
    assertEquals("pod-1", s.identity());
  }

  @Test
  @DisplayName("--namespace and WATCH_NAMESPACE are accepted as the operator-sdk spells them")
  void namespaceAliases() throws Exception {
    assertEquals(List.of("a"), parse(Map.of("WATCH_NAMESPACE", "a")).namespaces());
    assertEquals(List.of("b", "c"), parse(Map.of(), "--namespace", "b,c").namespaces());
    assertEquals(List.of("d"), parse(Map.of(), "--namespace=d").namespaces());
  }

  @Test
  @DisplayName("KUBECONFIG listing several files uses the first that exists, as kubectl does")
  void kubeconfigList() throws Exception {
    java.nio.file.Path real = java.nio.file.Files.createTempFile("kubeconfig", ".yaml");
    Settings s = parse(Map.of("KUBECONFIG", "/no/such/file:" + real));
    assertEquals(real.toString(), s.kubeconfig());
  }

  @Test
  @DisplayName("bad flags and values get one clear message")
  void badInput() {
    assertEquals("unknown flag --bogus",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--bogus", "1")).getMessage());
    assertEquals("unknown flag --bogus",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--bogus")).getMessage());
    assertEquals("--tick-period: not a positive duration: soon (use e.g. 10s, 500ms, 2m or 1h)",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--tick-period", "soon")).getMessage());
    assertEquals("--log-level: expected debug, info, warn or error, got loud",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of("LOG_LEVEL", "loud"))).getMessage());
    assertEquals("--lease-duration must be at least 2s, got 1s",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--lease-duration", "1s")).getMessage());
    assertEquals("flag --namespaces needs a value",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--namespaces")).getMessage());
  }

  @Test
  @DisplayName("--max-running-steps: unlimited by default, set by flag or MAX_RUNNING_STEPS, at least 1")
  void maxRunningSteps() throws Exception {
    assertNull(parse(Map.of()).maxRunningSteps());
    assertEquals(20, parse(Map.of(), "--max-running-steps", "20").maxRunningSteps());
    assertEquals(5, parse(Map.of("MAX_RUNNING_STEPS", "5")).maxRunningSteps());
    assertEquals("--max-running-steps must be at least 1, got 0",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--max-running-steps", "0")).getMessage());
    assertEquals("--max-running-steps: not an integer: many",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--max-running-steps=many")).getMessage());
    assertTrue(Settings.usage().contains("$MAX_RUNNING_STEPS"));
  }

  @Test
  @DisplayName("--help lists every flag with its environment variable")
  void usageListsFlags() {
    String usage = Settings.usage();
    for (String f : List.of("--namespaces", "--tick-period", "--metrics-port", "--leader-elect",
        "--log-level", "--log-format", "--kubeconfig", "$WATCH_NAMESPACES", "$LOG_FORMAT")) {
      assertTrue(usage.contains(f), f);
    }
  }
}
