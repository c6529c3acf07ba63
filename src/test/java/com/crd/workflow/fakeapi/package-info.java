/**
 * An in-process fake Kubernetes API server for tests ({@link com.crd.workflow.fakeapi.FakeApiServer}).
 *
 * <p>It speaks real HTTP, so the operator under test uses the real client-java unchanged. It
 * serves Workflows (workflow.crd.com/v1, a custom resource), Jobs (batch/v1), Leases
 * (coordination.k8s.io/v1) and Events (v1) with the API server's observable rules: one global
 * resourceVersion, watch streams with history, bookmarks and 410 Expired, optimistic
 * concurrency, status subresources, generation, finalizers, owner-reference garbage collection,
 * defaulting and the common validation errors. A simulated Job controller "runs" each Job's first container by
 * interpreting simple shell commands (sleep, true, false, exit, echo) against an injectable clock.
 *
 * <p>It grows only when a test of the operator needs it. Known differences from a real cluster:
 * no Pods, Namespaces, authentication, admission webhooks, dry-run, discovery or CRD schema
 * pruning/defaulting; field selectors (400) and every patch but JSON merge patch (415) are refused
 * as not emulated; namespaces always exist; failed Job attempts are retried at once instead of
 * with exponential back-off; and the garbage collector only removes dependents whose owner it saw
 * deleted (not owners that never existed).
 */
package com.crd.workflow.fakeapi;
