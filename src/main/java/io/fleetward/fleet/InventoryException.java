package io.fleetward.fleet;

/**
 * The inventory input (the overlay or the inventory command output) is malformed as a whole and was
 * refused; the caller keeps the last good inventory. A typo must never silently change deployments.
 */
public final class InventoryException extends Exception {
    private final InventoryProblem problem;

    public InventoryException(InventoryProblem problem) {
        super(problem.toString());
        this.problem = problem;
    }

    /** Which file and line was refused, and why. */
    public InventoryProblem problem() {
        return problem;
    }
}
