package io.fleetward.notify;

import io.fleetward.reconcile.FleetEvent;
import io.fleetward.reconcile.Notifications;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Delivers the loop's events to the configured notifiers without ever holding the loop up.
 * {@link #post} (the pass thread) only filters and enqueues: each notifier has a bounded queue and a
 * thread of its own, so a slow or dead receiver delays only its own events, and each notifier gets
 * its events in the order they happened (a commit status never goes from success back to pending).
 * A request has a time limit; a refused connection, a timeout, 408, 429 or 5xx is tried again after
 * a growing wait, up to the attempts allowed; another answer fails at once. Every event ends
 * delivered, failed or dropped, counted per notifier, and a failed or dropped one is logged (WARN)
 * with the reason, secrets hidden. At {@link #close} queued events get the shutdown grace to go out.
 */
public final class NotificationOutbox implements Notifications, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NotificationOutbox.class);
    /** Ends a notifier's thread; queued behind the events that are still to go. */
    private static final Object STOP = new Object();

    private final List<Lane> lanes = new ArrayList<>();
    private final DeliverySettings settings;
    private final NotifyMetrics metrics;
    private final HttpClient client;
    private volatile boolean closing;
    /** When queued events stop being sent at shutdown ({@link System#nanoTime()}). */
    private volatile long deadline = Long.MAX_VALUE;

    NotificationOutbox(List<Notifier> notifiers, DeliverySettings settings, NotifyMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        for (Notifier notifier : notifiers) {
            metrics.notifierConfigured(notifier.name());
            Lane lane = new Lane(notifier);
            lanes.add(lane);
            lane.thread.start();
        }
    }

    /** Hands {@code event} to every notifier whose filter takes it; a full queue drops it. Never blocks. */
    @Override
    public void post(FleetEvent event) {
        for (Lane lane : lanes) {
            if (lane.notifier.filter().accepts(event)) {
                lane.offer(event);
            }
        }
    }

    /** How many events wait for {@code notifier} now (for tests and the shutdown log). */
    int waiting(String notifier) {
        return lanes.stream().filter(l -> l.notifier.name().equals(notifier)).mapToInt(l -> l.waiting.get()).sum();
    }

    /**
     * Stops taking events; those queued get the shutdown grace to be delivered (a retry that would
     * wait past it is given up), then the threads are stopped and what is left is dropped.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        long graceNanos = settings.shutdownGrace().toNanos();
        deadline = System.nanoTime() + graceNanos;
        closing = true;
        lanes.forEach(lane -> lane.queue.add(STOP));
        for (Lane lane : lanes) {
            lane.wake();
        }
        try {
            for (Lane lane : lanes) {
                long left = deadline - System.nanoTime();
                lane.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            for (Lane lane : lanes) {
                if (lane.thread.isAlive()) {
                    LOG.warnf("notify %s: shutdown grace of %dms over; stopping with %d event(s) left",
                            lane.notifier.name(), settings.shutdownGrace().toMillis(), lane.waiting.get());
                    lane.thread.interrupt();
                    lane.thread.join(TimeUnit.SECONDS.toMillis(5));
                }
                if (!lane.thread.isAlive()) {
                    lane.dropRest(); // posted while close began, behind the stop
                }
            }
        } catch (InterruptedException e) {
            lanes.forEach(lane -> lane.thread.interrupt());
            Thread.currentThread().interrupt();
        }
    }

    private boolean pastDeadline() {
        return closing && System.nanoTime() - deadline >= 0;
    }

    /** One notifier's queue and thread. */
    private final class Lane implements Runnable {
        final Notifier notifier;
        final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        /** Events queued and not yet taken: bounded by the queue size. */
        final AtomicInteger waiting = new AtomicInteger();
        final Thread thread;
        private final Object pause = new Object();

        Lane(Notifier notifier) {
            this.notifier = notifier;
            this.thread = new Thread(this, "fleetward-notify-" + notifier.name());
            this.thread.setDaemon(true);
        }

        void offer(FleetEvent event) {
            if (closing) {
                dropped(event, "fleetward is shutting down");
                return;
            }
            if (waiting.incrementAndGet() > settings.queueSize()) {
                waiting.decrementAndGet();
                dropped(event, "its queue is full (" + settings.queueSize() + " waiting)");
                return;
            }
            queue.add(event);
        }

        @Override
        public void run() {
            while (true) {
                Object item;
                try {
                    item = queue.take();
                } catch (InterruptedException e) {
                    dropRest();
                    return;
                }
                if (item == STOP) {
                    return;
                }
                waiting.decrementAndGet();
                FleetEvent event = (FleetEvent) item;
                if (pastDeadline() || Thread.currentThread().isInterrupted()) {
                    dropped(event, "fleetward is shutting down");
                    continue;
                }
                try {
                    deliver(event);
                } catch (RuntimeException e) {
                    // Never let one event end the notifier's thread.
                    failed(event, 0, "unexpected " + e);
                }
            }
        }

        void dropRest() {
            for (Object item : queue) {
                if (item instanceof FleetEvent event) {
                    dropped(event, "fleetward is shutting down");
                }
            }
            queue.clear();
        }

        private void deliver(FleetEvent event) {
            Optional<HttpCall> call;
            try {
                call = notifier.channel().call(event);
            } catch (RuntimeException e) {
                failed(event, 0, "could not be written: " + e.getMessage());
                return;
            }
            if (call.isEmpty()) {
                LOG.debugf("notify %s: nothing to send for %s", notifier.name(), describe(event));
                return;
            }
            for (int attempt = 1; ; attempt++) {
                Attempt result = send(call.get());
                if (result.delivered()) {
                    metrics.notification(notifier.name(), NotifyMetrics.DELIVERED);
                    LOG.debugf("notify %s: %s delivered (%s, attempt %d)", notifier.name(), describe(event),
                            result.what(), attempt);
                    return;
                }
                if (result.interrupted()) {
                    failed(event, attempt, result.what() + "; fleetward is shutting down");
                    return;
                }
                if (!result.retry() || attempt >= settings.maxAttempts()) {
                    failed(event, attempt, result.what());
                    return;
                }
                Duration delay = settings.delayAfter(attempt);
                if (closing && System.nanoTime() + delay.toNanos() - deadline > 0) {
                    failed(event, attempt, result.what() + "; no time left to retry before shutdown");
                    return;
                }
                LOG.infof("notify %s: %s: attempt %d of %d failed (%s); next in %dms", notifier.name(),
                        describe(event), attempt, settings.maxAttempts(), result.what(), delay.toMillis());
                if (!pause(delay)) {
                    failed(event, attempt, result.what() + "; fleetward is shutting down");
                    return;
                }
            }
        }

        /**
         * One request, within the time limit: connecting, sending and the whole answer (a receiver
         * that answers its headers and then trickles the body is cut off too).
         */
        private Attempt send(HttpCall call) {
            CompletableFuture<HttpResponse<Void>> answer;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(call.uri())
                        .timeout(settings.timeout())
                        .header("User-Agent", "fleetward")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(call.body()));
                call.headers().forEach(request::header);
                answer = client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
            } catch (RuntimeException e) {
                return new Attempt(false, false, false, "could not be sent: " + e.getMessage());
            }
            String noAnswer = "no answer within " + settings.timeout().toMillis() + "ms";
            try {
                int status = answer.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS).statusCode();
                boolean retry = status == 408 || status == 429 || status >= 500;
                return new Attempt(status / 100 == 2, retry, false, "HTTP " + status);
            } catch (TimeoutException e) {
                answer.cancel(true);
                return new Attempt(false, true, false, noAnswer);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof HttpTimeoutException) {
                    return new Attempt(false, true, false, noAnswer);
                }
                return new Attempt(false, cause instanceof IOException, false, cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            } catch (InterruptedException e) {
                answer.cancel(true);
                Thread.currentThread().interrupt();
                return new Attempt(false, false, true, "interrupted");
            }
        }

        /** Waits before a retry; false when fleetward stops meanwhile. */
        private boolean pause(Duration delay) {
            long until = System.nanoTime() + delay.toNanos();
            synchronized (pause) {
                for (long left = delay.toNanos(); left > 0; left = until - System.nanoTime()) {
                    if (closing && until - deadline > 0) {
                        return false; // shutting down: no time left for this retry
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(pause, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
            return !pastDeadline();
        }

        void wake() {
            synchronized (pause) {
                pause.notifyAll();
            }
        }

        // The line is logged before the counter moves: whoever sees the count change finds the line.
        private void failed(FleetEvent event, int attempts, String why) {
            LOG.warnf("notify %s (%s, %s): %s not delivered after %d attempt(s): %s", notifier.name(),
                    notifier.type().name().toLowerCase(java.util.Locale.ROOT), notifier.redaction().url(),
                    describe(event), attempts, notifier.redaction().apply(why));
            metrics.notification(notifier.name(), NotifyMetrics.FAILED);
        }

        private void dropped(FleetEvent event, String why) {
            LOG.warnf("notify %s: %s dropped: %s", notifier.name(), describe(event), why);
            metrics.notification(notifier.name(), NotifyMetrics.DROPPED);
        }
    }

    /** {@code deployment-failed of system:galena}. */
    private static String describe(FleetEvent event) {
        return event.kind().id() + " of " + EventText.subject(event);
    }

    /**
     * How one request went.
     *
     * @param what what happened, for the log ({@code HTTP 503}, {@code no answer within 10000ms})
     */
    private record Attempt(boolean delivered, boolean retry, boolean interrupted, String what) {
    }
}
