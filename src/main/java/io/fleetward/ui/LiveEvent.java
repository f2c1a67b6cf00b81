package io.fleetward.ui;

/** One server-sent event of a dashboard stream: its name and its one-line JSON data. */
record LiveEvent(String name, String data) {
}
