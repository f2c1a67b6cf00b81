package io.fleetward.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Events handed to the pass thread by every other thread; safe from any thread. The pass drains it
 * at its start.
 */
final class EventQueue {
    /**
     * One event, and for an operator's request the answer: completed once the pass that applied it
     * has published its effect (or exceptionally with the {@link ControlException} that refused it).
     */
    record Entry(LoopEvent event, CompletableFuture<Void> answer) {
    }

    private final Queue<Entry> entries = new ConcurrentLinkedQueue<>();

    void add(LoopEvent event) {
        entries.add(new Entry(event, null));
    }

    /** Adds an operator's request; the future is its answer. */
    CompletableFuture<Void> request(LoopEvent event) {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        entries.add(new Entry(event, answer));
        return answer;
    }

    /** Everything queued so far, in arrival order. */
    List<Entry> drain() {
        List<Entry> drained = new ArrayList<>();
        for (Entry entry; (entry = entries.poll()) != null; ) {
            drained.add(entry);
        }
        return drained;
    }
}
