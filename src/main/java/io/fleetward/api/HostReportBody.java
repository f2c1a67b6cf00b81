package io.fleetward.api;

import java.util.Map;

/**
 * What a host sends when it checks in ({@code deploy/fleetward-report}).
 *
 * @param system                {@code readlink /run/current-system}
 * @param booted                {@code readlink /run/booted-system}, or null (darwin)
 * @param configurationRevision from {@code nixos-version --json} / {@code darwin-version --json}, or null
 * @param homes                 user name to current home-manager generation path, for the users it reports
 */
public record HostReportBody(String system, String booted, String configurationRevision, Map<String, String> homes) {
}
