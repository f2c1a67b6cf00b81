package io.fleetward.fleet;

/**
 * Something in the desired state that fleetward refused, with where it is.
 *
 * @param path repository path of the offending file or folder
 * @param line 1-based line in that file, or 0 when not applicable
 */
public record InventoryProblem(String path, int line, String message) {
    @Override
    public String toString() {
        return line > 0 ? path + ":" + line + ": " + message : path + ": " + message;
    }
}
