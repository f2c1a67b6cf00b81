/**
 * The web dashboard served at {@code /}: server-rendered Qute pages (fleet, target, deployment, plan)
 * that read the loop's published snapshot and the deployment store, one bounded event stream per
 * open page for live updates, and a small script that sends actions to the REST API with the
 * operator's bearer token. Nothing imports this package; it never writes fleet state itself.
 */
package io.fleetward.ui;
