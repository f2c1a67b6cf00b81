package io.fleetward.transport.ssh;

/**
 * What the SSH transport reports to Prometheus. Labels are bounded: results only, never a revision,
 * a path or error text. Every method does nothing by default, so a test double overrides only what
 * it records.
 */
public interface SshMetrics {

    /** Counts an SSH connection attempt; {@code result} is ok, host_key_refused, auth_failed or unreachable. */
    default void sshConnect(String result) {
    }

    /** Sets the number of pooled SSH sessions that are open now. */
    default void sshSessionsOpen(int open) {
    }

    /** Counts nothing: for plain unit tests and benchmarks. */
    SshMetrics NOOP = new SshMetrics() {
    };
}
