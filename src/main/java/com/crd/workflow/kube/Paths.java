package com.crd.workflow.kube;

import com.crd.workflow.core.Names;

/** REST paths of the resources the operator touches. */
public final class Paths {
  private Paths() {}

  public static String workflows(String ns) {
    String base = "/apis/" + Names.GROUP + "/" + Names.VERSION;
    return ns == null ? base + "/" + Names.PLURAL : base + "/namespaces/" + ns + "/" + Names.PLURAL;
  }

  public static String workflow(String ns, String name) {
    return workflows(ns) + "/" + name;
  }

  public static String jobs(String ns) {
    return ns == null ? "/apis/batch/v1/jobs" : "/apis/batch/v1/namespaces/" + ns + "/jobs";
  }

  public static String job(String ns, String name) {
    return jobs(ns) + "/" + name;
  }

  public static String pods(String ns) {
    return ns == null ? "/api/v1/pods" : "/api/v1/namespaces/" + ns + "/pods";
  }

  public static String events(String ns) {
    return "/api/v1/namespaces/" + ns + "/events";
  }
}
