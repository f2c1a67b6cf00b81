package io.fleetward;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Flake references that a host can fetch, pinned to a revision. */
final class FlakeRefs {
    /** scp-like git URLs: {@code git@host:owner/repo.git}. */
    private static final Pattern SCP_LIKE = Pattern.compile("([A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+):(?!//)(.+)");

    private FlakeRefs() {
    }

    /** {@code git+<url>?ref=<branch>&rev={rev}} for the source URL, with local paths as {@code file://}. */
    static String pinned(String sourceUrl, String branch) {
        String url;
        Matcher scp = SCP_LIKE.matcher(sourceUrl);
        if (sourceUrl.startsWith("/")) {
            url = "file://" + sourceUrl;
        } else if (sourceUrl.contains("://")) {
            url = sourceUrl;
        } else if (scp.matches()) {
            url = "ssh://" + (scp.group(1) == null ? "" : scp.group(1)) + scp.group(2) + "/" + scp.group(3);
        } else {
            url = "file://" + java.nio.file.Path.of(sourceUrl).toAbsolutePath().normalize();
        }
        return "git+" + url + "?ref=" + URLEncoder.encode(branch, StandardCharsets.UTF_8) + "&rev={rev}";
    }
}
