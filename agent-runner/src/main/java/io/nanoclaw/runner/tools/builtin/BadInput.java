package io.nanoclaw.runner.tools.builtin;

/** A call the tool refuses (bad input, a path outside the workspace, ...); its message goes back to the model. */
public final class BadInput extends Exception {
    BadInput(String message) {
        super(message, null, false, false);
    }
}
