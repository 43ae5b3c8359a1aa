package io.nanoclaw.runner.provider.sse;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A pull parser for text/event-stream (the WHATWG rules): {@code field: value} lines, one optional space after
 * the colon, comments starting with ':', several data lines joined by '\n', dispatch on a blank line, and an
 * unterminated event at end of stream dropped. CR, LF and CRLF all end a line.
 */
public final class SseReader implements Closeable {
    private final BufferedReader reader;

    public SseReader(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 8192);
    }

    /** The next event, or null at end of stream. Blocks until an event is complete. */
    public SseEvent next() throws IOException {
        String event = null;
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new SseEvent(event == null || event.isEmpty() ? "message" : event, data.toString());
                }
                event = null; // an event without data is not dispatched
                continue;
            }
            if (line.charAt(0) == ':') {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("event")) {
                event = value;
            } else if (field.equals("data")) {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            // id and retry matter for reconnecting EventSource clients only; a model stream is never resumed
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
