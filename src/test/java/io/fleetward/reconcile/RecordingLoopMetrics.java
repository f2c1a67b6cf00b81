package io.fleetward.reconcile;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the loop reports about its source (the last stall gauge value, every refusal counted) and its rollout. */
final class RecordingLoopMetrics implements LoopMetrics {
    /** The last value of the stall gauge; null until a pass published. */
    volatile Boolean stalled;
    final List<Refusal> refusals = new CopyOnWriteArrayList<>();
    /** Every decision of the source checks counted, by result. */
    final List<String> verifications = new CopyOnWriteArrayList<>();

    @Override
    public void sourceVerified(String result) {
        verifications.add(result);
    }

    /** The last values of the rollout gauges; -1 until a pass planned. */
    volatile int rolloutWave = -1;
    volatile boolean rolloutHalted;

    @Override
    public void rollout(int runningWave, boolean halted) {
        this.rolloutWave = runningWave;
        this.rolloutHalted = halted;
    }

    @Override
    public void sourceStalled(boolean stalled) {
        this.stalled = stalled;
    }

    @Override
    public void sourceRefused(Refusal refusal) {
        refusals.add(refusal);
    }
}
