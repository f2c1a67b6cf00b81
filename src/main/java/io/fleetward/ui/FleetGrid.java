package io.fleetward.ui;

import io.fleetward.fleet.Host;
import io.fleetward.fleet.TargetKind;
import io.fleetward.reconcile.TargetStatus;
import io.fleetward.reconcile.TargetView;
import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The fleet page's grid, built from the targets as the last pass left them: one row per host with
 * its system target and its standalone home targets, the counts per status over the whole fleet,
 * and the choices the filters offer. Pure: the page and the render benchmark build it the same way.
 */
@TemplateData
public record FleetGrid(List<Row> rows, List<Count> counts, int targets, int shownTargets, List<String> tags,
                        List<String> platforms, List<String> statuses) {

    /** One host: its system cell (null when the host has none) and its home cells, by user. */
    @TemplateData
    public record Row(String host, String platform, List<String> tags, Cell system, List<Cell> homes) {
    }

    /** One target's cell: the status colour, the status and the short reason (the whole one on hover). */
    @TemplateData
    public record Cell(String id, String label, String status, String reason, String shortReason, boolean suspended) {
        static Cell of(TargetView view) {
            String reason = view.reason() == null ? "" : view.reason();
            return new Cell(view.target().id().toString(),
                    view.target().kind() == TargetKind.SYSTEM ? "system" : view.target().user(),
                    view.status().name(), reason, FleetGrid.shortReason(reason), view.suspended());
        }
    }

    /** How many targets are in one status. */
    @TemplateData
    public record Count(String status, int count) {
    }

    /** A reason cut to what fits in a cell. */
    static final int SHORT_REASON = 48;

    /** The grid of {@code views} (sorted by id, as the loop publishes them) under {@code filter}. */
    public static FleetGrid of(List<TargetView> views, GridFilter filter) {
        Map<String, List<TargetView>> byHost = new LinkedHashMap<>();
        Map<TargetStatus, Integer> counts = new EnumMap<>(TargetStatus.class);
        TreeSet<String> tags = new TreeSet<>();
        TreeSet<String> platforms = new TreeSet<>();
        for (TargetView view : views) {
            byHost.computeIfAbsent(view.target().host().name(), h -> new ArrayList<>()).add(view);
            counts.merge(view.status(), 1, Integer::sum);
            tags.addAll(view.target().host().tags());
            platforms.add(view.target().platform().label());
        }
        List<Row> rows = new ArrayList<>();
        int shown = 0;
        for (List<TargetView> hostViews : new java.util.TreeMap<>(byHost).values()) {
            Host host = hostViews.get(0).target().host();
            if (!filter.tag().isEmpty() && !host.tags().contains(filter.tag())
                    || !filter.platform().isEmpty() && !host.platform().label().equals(filter.platform())
                    || hostViews.stream().noneMatch(v -> filter.statusMatches(v.status()))
                    || !host.name().contains(filter.text().toLowerCase(java.util.Locale.ROOT))
                    && hostViews.stream().noneMatch(filter::textMatches)) {
                continue;
            }
            Cell system = null;
            List<Cell> homes = new ArrayList<>();
            for (TargetView view : hostViews) {
                if (view.target().kind() == TargetKind.SYSTEM) {
                    system = Cell.of(view);
                } else {
                    homes.add(Cell.of(view));
                }
            }
            shown += hostViews.size();
            rows.add(new Row(host.name(), host.platform().label(), host.tags(), system, homes));
        }
        List<Count> countList = new ArrayList<>();
        for (TargetStatus status : TargetStatus.values()) {
            countList.add(new Count(status.name(), counts.getOrDefault(status, 0)));
        }
        return new FleetGrid(rows, countList, views.size(), shown, List.copyOf(tags), List.copyOf(platforms),
                java.util.Arrays.stream(TargetStatus.values()).map(Enum::name).toList());
    }

    static String shortReason(String reason) {
        return reason.length() <= SHORT_REASON ? reason : reason.substring(0, SHORT_REASON - 1) + "…";
    }
}
