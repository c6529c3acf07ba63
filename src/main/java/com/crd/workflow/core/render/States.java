package com.crd.workflow.core.render;

import com.crd.workflow.core.StepState;

/** One symbol and one colour per step state, shared by the terminal, SVG and web views. */
public final class States {
  private States() {}

  /** @param state null for a name that is not a step (a missing dependency) */
  public static String symbol(StepState state, boolean unicode) {
    if (state == null) {
      return "?";
    }
    return switch (state) {
      case Waiting -> unicode ? "\u25cb" : ".";
      case Queued -> unicode ? "\u25d4" : "~";
      case Running -> unicode ? "\u25cf" : "*";
      case Retrying -> unicode ? "\u21bb" : "r";
      case Skipped -> unicode ? "\u2298" : "-";
      case Succeeded -> unicode ? "\u2714" : "+";
      case Failed -> unicode ? "\u2716" : "x";
    };
  }

  /** ANSI SGR colour code for a terminal. */
  public static String ansi(StepState state) {
    if (state == null) {
      return "33";
    }
    return switch (state) {
      case Waiting -> "90";
      case Queued -> "36";
      case Running -> "34";
      case Retrying -> "33";
      case Skipped -> "90";
      case Succeeded -> "32";
      case Failed -> "31";
    };
  }
}
