package io.fleetward.fleet;

import java.util.List;
import java.util.Optional;

/**
 * A read-only view of the files of one revision: what the inventory is read from. It lives here,
 * with its consumer; {@code source/} implements it straight from the git object database.
 */
public interface RevisionFiles {
    /** The full commit id this view reads. */
    String revision();

    /** Names of the direct sub-folders of {@code dir} ("" is the root), sorted; empty when {@code dir} is absent. */
    List<String> subdirectories(String dir);

    /** Names of the direct files of {@code dir}, sorted; empty when {@code dir} is absent. */
    List<String> files(String dir);

    /** The UTF-8 text of the file at {@code path}, or empty when there is none. */
    Optional<String> read(String path);
}
