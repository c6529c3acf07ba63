package com.crd.workflow.core;

/** {@code status.steps[]}: one entry per step, sorted by name. Null fields are omitted. */
public record StepStatus(
    String name, StepState state, String job, String message, String startedAt, String finishedAt) {}
