package io.fleetward.reconcile;

import io.fleetward.execute.DeployMetrics;
import io.fleetward.fleet.TargetKind;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what the deployer reports, by name and labels ({@code health system passed}, ...). */
final class RecordingDeployMetrics implements DeployMetrics {
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    @Override
    public void deploymentFinished(TargetKind kind, String outcome, Duration duration) {
        add("deployment " + kind.label() + " " + outcome, 1);
    }

    @Override
    public void healthCheck(TargetKind kind, String result) {
        add("health " + kind.label() + " " + result, 1);
    }

    @Override
    public void rollback(TargetKind kind, String result) {
        add("rollback " + kind.label() + " " + result, 1);
    }

    @Override
    public void uncommittedGeneratedFiles(int count) {
        add("uncommitted", count);
    }

    int count(String key) {
        AtomicInteger count = counts.get(key);
        return count == null ? 0 : count.get();
    }

    private void add(String key, int n) {
        counts.computeIfAbsent(key, k -> new AtomicInteger()).addAndGet(n);
    }
}
