package com.crd.workflow.core;

/** A standard Kubernetes-style condition; {@code status} is "True" or "False". */
public record Condition(
    String type,
    String status,
    String reason,
    String message,
    String lastTransitionTime,
    long observedGeneration) {}
