/**
 * The {@code fleetward} command: a client of a running daemon's REST API (JDK HttpClient, picocli),
 * started by {@code deploy/fleetward} with its own main class, so the daemon's jar still starts the
 * daemon. Nothing in the daemon imports this package, and it imports nothing of the daemon.
 */
package io.fleetward.cli;
