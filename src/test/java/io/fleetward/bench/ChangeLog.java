package io.fleetward.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A changed-paths log ({@code git log --first-parent --name-only} shaped): '#' comment lines, then per
 * commit a line {@code @@<commit id>} followed by the paths it changed against its parent.
 *
 * @param commits newest first, as in the file
 */
record ChangeLog(List<Commit> commits) {
    /** One commit and the paths it changed against its first parent. */
    record Commit(String id, Set<String> changed) {
    }

    static ChangeLog read(Path file) throws IOException {
        List<Commit> commits = new ArrayList<>();
        String id = null;
        Set<String> changed = null;
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("@@")) {
                if (id != null) {
                    commits.add(new Commit(id, Set.copyOf(changed)));
                }
                id = line.substring(2).trim();
                changed = new HashSet<>();
            } else if (changed == null) {
                throw new IOException(file + ": path before the first @@<commit id> line: " + line);
            } else {
                changed.add(line.trim());
            }
        }
        if (id != null) {
            commits.add(new Commit(id, Set.copyOf(changed)));
        }
        return new ChangeLog(List.copyOf(commits));
    }
}
