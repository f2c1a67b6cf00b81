package io.fleetward.evaluate;

import java.util.Objects;

/**
 * What one evaluation of a target's desired path at a revision gave: the store path, or why there
 * is none (non-zero exit, timeout, output that is not a store path, checkout failed).
 *
 * @param path  the evaluated store path, or null when it failed
 * @param error one line saying why it failed (no secrets: the command's first error line), or null
 */
public record Evaluation(String path, String error) {

    public Evaluation {
        if ((path == null) == (error == null)) {
            throw new IllegalArgumentException("an evaluation has a path or an error, not both nor neither");
        }
    }

    public static Evaluation of(String path) {
        return new Evaluation(Objects.requireNonNull(path, "path"), null);
    }

    public static Evaluation failed(String error) {
        return new Evaluation(null, Objects.requireNonNull(error, "error"));
    }

    public boolean succeeded() {
        return path != null;
    }
}
