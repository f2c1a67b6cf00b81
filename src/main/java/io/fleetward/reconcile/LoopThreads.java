package io.fleetward.reconcile;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loop's threads. Only the pass thread touches the fleet state; probes and deployments only
 * return what they found, as values or events.
 *
 * @param passes   the pass thread and the loop's timers
 * @param probes   probes a pass waits for
 * @param reprobes probes of machines last seen unreachable, which a pass does not wait for
 * @param deploys     deployments, at most parallelism at once
 * @param evaluations exact mode: evaluations of desired paths, which a pass does not wait for
 */
public record LoopThreads(PassScheduler passes, ExecutorService probes, ExecutorService reprobes,
                          ExecutorService deploys, ExecutorService evaluations) {

    /** {@link #standard(int, int, int)} with two evaluations at once. */
    public static LoopThreads standard(int probeParallelism, int parallelism) {
        return standard(probeParallelism, parallelism, 2);
    }

    /**
     * Bounded daemon pools: {@code probeParallelism} probes, a quarter of that for re-probes,
     * {@code parallelism} deploys, {@code evaluateParallelism} evaluations.
     */
    public static LoopThreads standard(int probeParallelism, int parallelism, int evaluateParallelism) {
        return new LoopThreads(new PassThread(),
                Executors.newFixedThreadPool(probeParallelism, named("fleetward-probe")),
                Executors.newFixedThreadPool(Math.max(1, probeParallelism / 4), named("fleetward-reprobe")),
                Executors.newFixedThreadPool(parallelism, named("fleetward-deploy")),
                Executors.newFixedThreadPool(evaluateParallelism, named("fleetward-evaluate")));
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
