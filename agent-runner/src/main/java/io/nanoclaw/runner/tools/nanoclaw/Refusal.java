package io.nanoclaw.runner.tools.nanoclaw;

/** A call the tool turns down; the message goes back to the model as {@code Error: <message>}. */
final class Refusal extends Exception {
    Refusal(String message) {
        super(message, null, false, false);
    }
}
