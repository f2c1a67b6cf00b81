package io.fleetward.bench;

import io.fleetward.reconcile.FleetControl;
import io.fleetward.reconcile.SourceView;
import io.fleetward.reconcile.TargetView;
import io.fleetward.ui.FleetGrid;
import io.fleetward.ui.FleetPage;
import io.fleetward.ui.GridFilter;
import io.fleetward.ui.SyntheticFleet;
import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.ReflectionValueResolver;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateLocator;
import io.quarkus.qute.Variant;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * How long the fleet page takes to build and render at 1,000 targets (666 hosts, 334 home users):
 * the grid built from the published target views, then the page's Qute template rendered with HTML
 * escaping, as the daemon does per request (a standalone Qute engine with the same templates).
 * Prints the median and the 95th percentile of 200 renders after 100 warm-up renders, and the page size.
 *
 * <p>{@code mvn -Pbench test-compile exec:java -Dbench.main=io.fleetward.bench.FleetPageBench}
 */
public final class FleetPageBench {
    private static final int HOSTS = 666; // + 2 home users on every fourth host = 1,000 targets
    private static final int WARMUP = 100;
    private static final int RUNS = 200;

    private FleetPageBench() {
    }

    public static void main(String[] args) throws IOException {
        Path templates = Path.of("src/main/resources/templates");
        Engine engine = Engine.builder().addDefaults().addValueResolver(new ReflectionValueResolver())
                .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML)))
                .addLocator(locator(templates)).build();
        Template page = engine.getTemplate("ui/fleet.html");
        Instant now = Instant.now();
        List<TargetView> views = SyntheticFleet.of(HOSTS, now);
        SourceView source = new SourceView("https://example.org/fleet.git", "main",
                "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", "galena: open port 443", now, "fetched", null,
                "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", null, List.of(), false, null, null, null);
        String html = "";
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < WARMUP + RUNS; i++) {
            long start = System.nanoTime();
            FleetPage fleet = new FleetPage(source, FleetPage.shortRevision(source.revision()), FleetControl.RUNNING,
                    FleetGrid.of(views, GridFilter.NONE), GridFilter.NONE);
            html = page.data("page", fleet).data("stream", "/ui/events?page=fleet").render();
            if (i >= WARMUP) {
                nanos.add(System.nanoTime() - start);
            }
        }
        Collections.sort(nanos);
        long cells = html.split("class=\"cell ", -1).length - 1;
        System.out.printf("fleet page at %d targets (%d cells rendered): median %.2f ms, p95 %.2f ms, %d KiB of HTML%n",
                views.size(), cells, nanos.get(RUNS / 2) / 1e6, nanos.get(RUNS * 95 / 100) / 1e6, html.length() / 1024);
        if (cells != views.size()) {
            throw new IllegalStateException("rendered " + cells + " cells for " + views.size() + " targets");
        }
    }

    private static TemplateLocator locator(Path root) {
        return id -> {
            Path file = root.resolve(id.endsWith(".html") ? id : id + ".html");
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            return Optional.of(new TemplateLocator.TemplateLocation() {
                @Override
                public Reader read() {
                    try {
                        return new StringReader(Files.readString(file));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }

                @Override
                public Optional<Variant> getVariant() {
                    return Optional.of(Variant.forContentType(Variant.TEXT_HTML));
                }
            });
        };
    }
}
