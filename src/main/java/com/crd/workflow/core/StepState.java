package com.crd.workflow.core;

/** Per-step state shown in {@code status.steps[].state}. */
public enum StepState { Waiting, Running, Succeeded, Failed }
