package com.crd.workflow.scenarios;

import com.crd.workflow.kube.KubeApi;
import java.util.OptionalLong;

/**
 * What the scenario suite needs from a cluster, whatever runs it: the in-process API, k3s, or
 * the current kube context (Kind). The operator may run as a local process or in the cluster.
 */
public interface TestCluster extends AutoCloseable {
  /** A client to the cluster's API. */
  KubeApi api();

  /** A fresh namespace for one test (created if the cluster needs it). */
  String newNamespace(String prefix) throws Exception;

  /** An image that has {@code sh} and {@code sleep} (busybox on real clusters). */
  String image();

  /** How many times slower than the in-process API this cluster runs Jobs (pods take seconds). */
  int slowdown();

  /** Runs exactly {@code n} operator instances (0 stops them; may kill them abruptly). */
  void setOperators(int n) throws Exception;

  /** Mutating calls the API served to the operator, except Leases; empty if it cannot count. */
  OptionalLong operatorWrites() throws Exception;

  /** Operator ticks run so far, read from its metrics; empty if the cluster cannot tell. */
  OptionalLong ticks() throws Exception;

  @Override
  void close() throws Exception;
}
