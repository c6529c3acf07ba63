package com.crd.workflow.scenarios;

import org.junit.jupiter.api.AfterAll;

/** The scenario suite on the in-process API: runs everywhere, in {@code make test}. */
class InProcessScenariosTest extends ScenarioSuite {
  @Override
  protected TestCluster createCluster() throws Exception {
    return new InProcessCluster();
  }

  @AfterAll
  void usageRecorded() {
    ApiUsage.suiteCompleted(); // the cluster hands its requests over as it closes, right after this
  }
}
