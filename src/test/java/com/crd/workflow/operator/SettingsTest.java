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
  @DisplayName("the web view is on by default; --ui=false, --ui false or UI_ENABLED=false turn it off")
  void uiFlag() throws Exception {
    assertTrue(parse(Map.of()).ui());
    assertFalse(parse(Map.of(), "--ui=false").ui());
    assertFalse(parse(Map.of(), "--ui", "false").ui());
    assertFalse(parse(Map.of("UI_ENABLED", "false")).ui());
    assertTrue(parse(Map.of("UI_ENABLED", "false"), "--ui").ui());
    assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--ui=maybe"));
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
    assertEquals("--tick-period: not a duration: soon (use e.g. 10s, 500ms, 2m or 1h)",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--tick-period", "soon")).getMessage());
    assertEquals("--tick-period: not a duration: 3 has no unit (use e.g. 10s, 500ms, 2m or 1h)",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--tick-period=3")).getMessage());
    assertEquals("--tick-period: at least 100ms, got 1ms",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--tick-period=1ms")).getMessage());
    assertEquals("--tick-period: not a duration: -2s (use e.g. 10s, 500ms, 2m or 1h)",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of("TICK_PERIOD", "-2s"))).getMessage());
    assertEquals("--metrics-port: not a port (0 to 65535, or -1 for off): 99999",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--metrics-port=99999")).getMessage());
    assertEquals("--metrics-port: not a port (0 to 65535, or -1 for off): -2",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--metrics-port", "-2")).getMessage());
    assertEquals("--log-level: expected debug, info, warn or error, got loud",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of("LOG_LEVEL", "loud"))).getMessage());
    assertEquals("--lease-duration must be at least 2s, got 1s",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--lease-duration", "1s")).getMessage());
    assertEquals("flag --namespaces needs a value",
        assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--namespaces")).getMessage());
  }

  @Test
  @DisplayName("durations take ms, s, m and h; ports take 0 to 65535 and -1")
  void goodValues() throws Exception {
    assertEquals(Duration.ofMillis(100), parse(Map.of(), "--tick-period=100ms").tickPeriod());
    assertEquals(Duration.ofMillis(1500), parse(Map.of(), "--tick-period=1.5s").tickPeriod());
    assertEquals(Duration.ofMinutes(2), parse(Map.of(), "--tick-period=2m").tickPeriod());
    assertEquals(Duration.ofHours(1), parse(Map.of(), "--tick-period=1h").tickPeriod());
    assertEquals(65535, parse(Map.of(), "--metrics-port=65535").metricsPort());
    assertEquals(-1, parse(Map.of(), "--metrics-port=-1").metricsPort());
    assertEquals(0, parse(Map.of(), "--metrics-port=0").metricsPort());
  }

  @Test
  @DisplayName("--default-ttl: keep forever by default, a duration by flag or DEFAULT_TTL, in whole seconds rounded up")
  void defaultTtl() throws Exception {
    assertNull(parse(Map.of()).defaultTtl());
    assertNull(parse(Map.of()).defaultTtlSeconds());
    assertEquals(86_400L, parse(Map.of(), "--default-ttl", "24h").defaultTtlSeconds());
    assertEquals(2L, parse(Map.of("DEFAULT_TTL", "1500ms")).defaultTtlSeconds());
    assertTrue(assertThrows(Settings.BadFlag.class, () -> parse(Map.of(), "--default-ttl=3600"))
        .getMessage().startsWith("--default-ttl: not a duration: 3600 has no unit"));
    assertTrue(Settings.usage().contains("$DEFAULT_TTL"));
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
