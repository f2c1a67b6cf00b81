package io.fleetward.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.FleetControl;
import io.fleetward.reconcile.PlanView;
import io.fleetward.reconcile.ReconcileLoop;
import io.fleetward.reconcile.SourceView;
import io.fleetward.reconcile.TargetView;
import io.fleetward.store.DeploymentRecord;
import io.fleetward.store.DeploymentStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The dashboard's live updates: one event stream per open page, at most {@code fleetward.ui.max-streams}
 * at once. One thread looks at the loop's published snapshot every {@link #TICK} and sends each
 * stream what changed for its page: the fleet page gets the changed cells and the header, a target
 * page and the plan page a {@code changed} nudge (the page then fetches itself again), a deployment
 * page the new lines of its log and an {@code ended} event. A stream whose client does not keep up
 * is sent nothing until it does, then the whole state once: a slow page costs no memory.
 */
final class LiveUpdates implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LiveUpdates.class);
    /** How often the snapshot is compared; statuses reach a page within this plus the network. */
    static final Duration TICK = Duration.ofMillis(250);
    /** A stream that had nothing to say for this long is sent a ping, so a gone client is noticed. */
    static final Duration PING = Duration.ofSeconds(15);
    /** A stream not subscribed to this long after it was opened gives its place back. */
    static final Duration UNSUBSCRIBED_RELEASE = Duration.ofSeconds(10);
        /** A running deployment's record is checked every this many ticks. */
    static final int TICKS_PER_RECORD_CHECK = 4;
    /** The most log bytes sent to one page per tick. */
    static final int LOG_CHUNK = 64 * 1024;

    /** What a page follows. */
    enum Page { FLEET, TARGET, PLAN, DEPLOYMENT }

    private final ReconcileLoop loop;
    private final DeploymentStore deployments;
    private final ObjectMapper json;
    private final DashboardMetrics metrics;
    private final boolean demo;
    private final int max;
    private final Semaphore places;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker;

    // Touched by the ticker thread only.
    private List<TargetView> lastViews = List.of();
    private Map<String, Map<String, Object>> lastCells = Map.of();
    private Map<String, Object> lastHeader = Map.of();
    private PlanView lastPlan;
    private long ticks;

    LiveUpdates(ReconcileLoop loop, DeploymentStore deployments, ObjectMapper json, DashboardMetrics metrics,
                boolean demo, int maxStreams) {
        if (maxStreams < 1) {
            throw new IllegalArgumentException("fleetward.ui.max-streams: must be at least 1, got " + maxStreams);
        }
        this.loop = loop;
        this.deployments = deployments;
        this.json = json;
        this.metrics = metrics;
        this.demo = demo;
        this.max = maxStreams;
        this.places = new Semaphore(maxStreams);
        this.ticker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "fleetward-ui-live");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    int max() {
        return max;
    }

    /** How many pages are following now. */
    int open() {
        return max - places.availablePermits();
    }

    /**
     * A stream for one page, or empty when {@code max-streams} pages follow already.
     *
     * @param target     the target of a target page, else null
     * @param deployment the deployment of a deployment page with the log offset to follow from, else null
     */
    Optional<Multi<LiveEvent>> open(Page page, TargetId target, DeploymentRecord deployment, long logOffset) {
        if (!places.tryAcquire()) {
            metrics.dashboardStreamRefused();
            LOG.warnf("ui: refused a live stream for a %s page: %d pages follow already (fleetward.ui.max-streams)",
                    page.name().toLowerCase(java.util.Locale.ROOT), max);
            return Optional.empty();
        }
        AtomicBoolean held = new AtomicBoolean(true);
        AtomicBoolean subscribed = new AtomicBoolean();
        // A stream the framework never subscribes to (the client left first) gives its place back.
        ticker.schedule(() -> {
            if (!subscribed.get() && held.getAndSet(false)) {
                places.release();
                metrics.dashboardStreams(open());
            }
        }, UNSUBSCRIBED_RELEASE.toMillis(), TimeUnit.MILLISECONDS);
        return Optional.of(Multi.createFrom().<LiveEvent>emitter(emitter -> {
            if (!subscribed.compareAndSet(false, true) || !held.get()) {
                emitter.complete(); // a second subscriber, or too late: the place is gone
                return;
            }
            Stream stream = new Stream(page, target, deployment, logOffset, emitter);
            emitter.onTermination(() -> {
                streams.remove(stream);
                if (held.getAndSet(false)) {
                    places.release();
                    metrics.dashboardStreams(open());
                    LOG.debugf("ui: a %s page stopped following; %d follow", page, open());
                }
            });
            streams.add(stream);
            metrics.dashboardStreams(open());
            LOG.debugf("ui: a %s page follows; %d follow", page, open());
        }, BackPressureStrategy.BUFFER));
    }

    private void tick() {
        try {
            if (streams.isEmpty()) {
                lastViews = List.of(); // the next page to open gets everything
                return;
            }
            ticks++;
            List<TargetView> views = loop.targets();
            List<Map<String, Object>> changedCells = new ArrayList<>();
            Set<String> changedIds = new java.util.HashSet<>();
            if (views != lastViews) {
                Map<String, Map<String, Object>> cells = new LinkedHashMap<>();
                for (TargetView view : views) {
                    Map<String, Object> cell = cell(view);
                    String id = view.target().id().toString();
                    cells.put(id, cell);
                    if (!cell.equals(lastCells.get(id))) {
                        changedCells.add(cell);
                        changedIds.add(id);
                    }
                }
                lastCells.keySet().stream().filter(id -> !cells.containsKey(id)).forEach(changedIds::add);
                lastCells = cells;
                lastViews = views;
            }
            Map<String, Object> header = header();
            boolean headerChanged = !header.equals(lastHeader);
            lastHeader = header;
            PlanView plan = loop.plan();
            boolean planChanged = !plan.equals(lastPlan);
            lastPlan = plan;
            boolean ping = ticks % (PING.toMillis() / TICK.toMillis()) == 0;
            for (Stream stream : streams) {
                stream.tick(changedCells, changedIds, headerChanged || !changedIds.isEmpty(), planChanged, ping);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "ui: live update failed; trying again in %d ms", TICK.toMillis());
        }
    }

    private static Map<String, Object> cell(TargetView view) {
        Map<String, Object> cell = new LinkedHashMap<>();
        cell.put("id", view.target().id().toString());
        cell.put("status", view.status().name());
        cell.put("reason", view.reason() == null ? "" : view.reason());
        cell.put("shortReason", FleetGrid.shortReason(view.reason() == null ? "" : view.reason()));
        cell.put("suspended", view.suspended());
        return cell;
    }

    /** The fleet page's header: source, last fetch, pause and counts. */
    private Map<String, Object> header() {
        SourceView source = loop.sourceView(demo);
        FleetControl control = loop.fleetControl();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("revision", FleetPage.shortRevision(source.revision()));
        header.put("subject", source.subject());
        header.put("lastFetchAt", source.lastFetchAt() == null ? null : source.lastFetchAt().toString());
        header.put("lastFetchResult", source.lastFetchResult());
        header.put("lastFetchError", source.lastFetchError());
        header.put("paused", control.paused());
        header.put("pauseReason", control.reason());
        Map<String, Integer> counts = new LinkedHashMap<>();
        FleetGrid.of(List.of(), GridFilter.NONE).counts().forEach(c -> counts.put(c.status(), 0));
        for (Map<String, Object> cell : lastCells.values()) {
            counts.merge((String) cell.get("status"), 1, Integer::sum);
        }
        header.put("counts", counts);
        return header;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        streams.forEach(s -> s.emitter.complete());
    }

    /** One open page. Its methods run on the ticker thread. */
    private final class Stream {
        private final Page page;
        private final TargetId target;
        private final DeploymentRecord deployment;
        private final MultiEmitter<? super LiveEvent> emitter;
        private long offset;
        private boolean stale = true; // the first event carries everything
        private boolean ended;
        private boolean fresh = true;

        Stream(Page page, TargetId target, DeploymentRecord deployment, long offset,
               MultiEmitter<? super LiveEvent> emitter) {
            this.page = page;
            this.target = target;
            this.deployment = deployment;
            this.offset = offset;
            this.emitter = emitter;
        }

        void tick(List<Map<String, Object>> changedCells, Set<String> changedIds, boolean fleetChanged,
                  boolean planChanged, boolean ping) {
            if (emitter.isCancelled() || ended) {
                return;
            }
            if (emitter.requested() <= 0) {
                stale = true; // the client is behind: send nothing now, everything once it reads again
                return;
            }
            boolean sent = switch (page) {
                case FLEET -> fleet(changedCells, fleetChanged);
                case TARGET -> nudge(changedIds.contains(target.toString()));
                case PLAN -> nudge(planChanged);
                case DEPLOYMENT -> log();
            };
            if (!sent && ping) {
                emitter.emit(new LiveEvent("ping", "{}"));
            }
        }

        private boolean fleet(List<Map<String, Object>> changedCells, boolean fleetChanged) {
            if (!stale && !fleetChanged) {
                return false;
            }
            Map<String, Object> event = new HashMap<>(lastHeader);
            event.put("cells", stale ? List.copyOf(lastCells.values()) : changedCells);
            event.put("full", stale);
            stale = false;
            emitter.emit(new LiveEvent("fleet", write(event)));
            return true;
        }

        private boolean nudge(boolean changed) {
            if (fresh) { // the page was just rendered from the same snapshot
                fresh = false;
                stale = false;
                return false;
            }
            if (!changed && !stale) {
                return false;
            }
            stale = false;
            emitter.emit(new LiveEvent("changed", "{}"));
            return true;
        }

        /** Sends the log's new complete lines; ends the stream once the deployment ended and all is sent. */
        private boolean log() {
            String text = deployment.logFile() == null ? "" : readLines(Path.of(deployment.logFile()));
            if (!text.isEmpty()) {
                emitter.emit(new LiveEvent("log", write(Map.of("text", AnsiText.strip(text), "offset", offset))));
                return true;
            }
            if (ticks % TICKS_PER_RECORD_CHECK != 0 && !stale) {
                return false;
            }
            stale = false;
            Optional<DeploymentRecord> now = deployments.find(deployment.id());
            if (now.isEmpty() || now.get().outcome() != DeploymentOutcome.RUNNING) {
                String rest = deployment.logFile() == null ? "" : readRest(Path.of(deployment.logFile()));
                if (!rest.isEmpty()) {
                    emitter.emit(new LiveEvent("log", write(Map.of("text", AnsiText.strip(rest), "offset", offset))));
                }
                emitter.emit(new LiveEvent("ended", write(Map.of("outcome",
                        now.map(r -> r.outcome().name()).orElse("GONE")))));
                ended = true;
                emitter.complete();
                return true;
            }
            return false;
        }

        /** The complete lines written since {@code offset} (at most a chunk), moving the offset past them. */
        private String readLines(Path file) {
            byte[] bytes = read(file);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            offset += end;
            return new String(bytes, 0, end, StandardCharsets.UTF_8);
        }

        /** Everything left after the deployment ended, a last line without a newline included. */
        private String readRest(Path file) {
            StringBuilder rest = new StringBuilder();
            byte[] bytes;
            while ((bytes = read(file)).length > 0) {
                offset += bytes.length;
                rest.append(new String(bytes, StandardCharsets.UTF_8));
            }
            return rest.toString();
        }

        private byte[] read(Path file) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = channel.size();
                if (size <= offset) {
                    return new byte[0];
                }
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(LOG_CHUNK, size - offset));
                while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                    // fill the chunk
                }
                return java.util.Arrays.copyOf(buffer.array(), buffer.position());
            } catch (IOException e) {
                return new byte[0]; // not written yet, or gone: the record check ends the stream
            }
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(System.identityHashCode(this));
        }
    }
}
