package io.nanoclaw.host.containers.images;

import java.util.List;

/**
 * An agent group's image could not be built. The message is meant for the agent (and the admin): what failed,
 * then the last lines of the build's output, which usually name the package apt or npm could not find.
 */
public class ImageBuildException extends RuntimeException {
    private final List<String> outputTail;

    public ImageBuildException(String message, List<String> outputTail) {
        super(outputTail.isEmpty() ? message : message + "\n" + String.join("\n", outputTail));
        this.outputTail = List.copyOf(outputTail);
    }

    public ImageBuildException(String message, Throwable cause) {
        super(message, cause);
        this.outputTail = List.of();
    }

    /** The last lines of the build output (empty when the build never started). */
    public List<String> outputTail() {
        return outputTail;
    }
}
