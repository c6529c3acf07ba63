package com.crd.workflow.core;

/**
 * Per-step state shown in {@code status.steps[].state}. Queued: the step's Job exists but a queue
 * (Kueue) holds it suspended until admitted.
 */
public enum StepState { Waiting, Queued, Running, Succeeded, Failed }
