package io.fleetward.ui;

/**
 * What the dashboard's live updates report to Prometheus: how many pages follow now and how many
 * were refused a stream. No labels. Does nothing by default, for unit tests and benchmarks.
 */
public interface DashboardMetrics {

    /** The number of dashboard pages with an open event stream now. */
    default void dashboardStreams(int open) {
    }

    /** Counts a page refused a stream because {@code fleetward.ui.max-streams} pages follow already. */
    default void dashboardStreamRefused() {
    }

    DashboardMetrics NOOP = new DashboardMetrics() {
    };
}
