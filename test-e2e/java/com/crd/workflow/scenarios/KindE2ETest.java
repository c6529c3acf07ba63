package com.crd.workflow.scenarios;

import com.crd.workflow.e2e.KubeContextCluster;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The scenario suite on a real cluster (Kind, set up by {@code make e2e}) with the operator
 * deployed in it from deploy/: real Jobs, real pods, the operator restarted by deleting its pod.
 *
 * <p>It lives in ScenarioSuite's package because the suite's test methods are package-private:
 * only a class in the same package can override (and so disable) one of them.
 */
@EnabledIfSystemProperty(named = "e2e", matches = "true",
    disabledReason = "real-cluster suite: run it with make e2e")
class KindE2ETest extends ScenarioSuite {
  @Override
  protected TestCluster createCluster() throws Exception {
    return KubeContextCluster.fromCurrentContext();
  }

  @Override
  @Test
  @Disabled("500 pods is a load test, not a laptop e2e")
  @DisplayName("50 workflows of 10 steps at once (not on Kind: a load test)")
  void fiftyWorkflows() {
  }
}
