package io.fleetward.e2e;

/**
 * How a program run by the test infrastructure ended (ssh, git, a stand-in tool).
 *
 * @param exit its exit status
 * @param out  everything it wrote on stdout
 * @param err  everything it wrote on stderr
 */
public record ProcessOutcome(int exit, String out, String err) {
    public boolean succeeded() {
        return exit == 0;
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
