package com.crd.workflow.core;

/**
 * Per-step state shown in {@code status.steps[].state}. Queued: the step's Job exists but a queue
 * (Kueue) holds it suspended until admitted. Retrying: an attempt failed and the next one waits
 * for its backoff. Skipped: the workflow failed, so the step will never run.
 */
public enum StepState { Waiting, Queued, Running, Retrying, Succeeded, Failed, Skipped }
