package com.crd.workflow;
public final class Main { public static void main(String[] a) {} }
