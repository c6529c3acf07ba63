package com.crd.workflow.scenarios;

/** The scenario suite on the in-process API: runs everywhere, in {@code make test}. */
class InProcessScenariosTest extends ScenarioSuite {
  @Override
  protected TestCluster createCluster() throws Exception {
    return new InProcessCluster();
  }
}
