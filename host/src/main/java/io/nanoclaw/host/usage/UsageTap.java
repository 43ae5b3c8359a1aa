package io.nanoclaw.host.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Watches the bytes of one model API answer as the credential proxy passes them on, and picks out the usage the
 * API reports. It never holds the answer: an event stream goes through a line splitter that keeps only the current
 * {@code data:} line (at most {@link #MAX_LINE} bytes), and a plain JSON answer through Jackson's non-blocking
 * parser, which keeps only the current token. What it cannot parse it ignores; it never throws into the stream.
 *
 * <p>Not thread-safe: one tap per response, fed from the thread that streams it. {@link #result()} may run on
 * another thread once feeding has stopped.
 */
public final class UsageTap {
    /** Which usage shape to expect. */
    public enum Api { ANTHROPIC, OPENAI }

    /** A longer line is skipped whole: no usage event comes near this, and it bounds what a stream can make us hold. */
    static final int MAX_LINE = 1 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    // Cheap byte filters, so only the few events that carry usage are parsed at all.
    private static final byte[] MESSAGE_START = "\"message_start\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE_DELTA = "\"message_delta\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

    private final Api api;
    private final boolean sse;

    // SSE line splitter state
    private byte[] line;
    private int lineLen;
    private boolean skipping; // the current line is not a data line, or is too long

    // JSON state: the non-blocking parser and the field names on the path to the current token
    private JsonParser json;
    private ByteArrayFeeder feeder;
    private final String[] names = new String[4];
    private int depth;

    private boolean broken;

    // what the API reported so far; later reports win (they are cumulative)
    private boolean seen;
    private String model;
    private long input;
    private long output;
    private long cacheRead;
    private long cacheCreation;
    private long cached; // OpenAI: the cached part of prompt_tokens

    private UsageTap(Api api, boolean sse) {
        this.api = api;
        this.sse = sse;
        if (sse) {
            line = new byte[512];
        } else {
            try {
                json = FACTORY.createNonBlockingByteArrayParser();
                feeder = (ByteArrayFeeder) json.getNonBlockingInputFeeder();
            } catch (IOException e) {
                broken = true;
            }
        }
    }

    /**
     * A tap for a successful answer of the given content type, or null when that type carries no usage we read
     * (error answers are never tapped: the caller checks the status first).
     */
    public static UsageTap open(Api api, String contentType) {
        String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (ct.startsWith("text/event-stream")) {
            return new UsageTap(api, true);
        }
        if (ct.startsWith("application/json")) {
            return new UsageTap(api, false);
        }
        return null;
    }

    /** Looks at the next piece of the answer. Never throws: a tap that fails goes quiet, keeping what it saw. */
    public void accept(byte[] b, int off, int len) {
        if (broken || len <= 0) {
            return;
        }
        try {
            if (sse) {
                splitLines(b, off, len);
            } else {
                feeder.feedInput(b, off, off + len);
                drainJson();
            }
        } catch (IOException | RuntimeException e) {
            broken = true;
        }
    }

    /** The usage seen, once the answer has ended or been cut; empty when the answer reported none. */
    public Optional<Usage> result() {
        if (!sse && !broken) {
            try {
                feeder.endOfInput();
                drainJson();
            } catch (IOException | RuntimeException e) {
                broken = true;
            }
        }
        if (!seen) {
            return Optional.empty();
        }
        return Optional.of(api == Api.OPENAI
                ? new Usage(model, Math.max(0, input - cached), output, Math.min(cached, input), 0)
                : new Usage(model, input, output, cacheRead, cacheCreation));
    }

    // ---- event streams

    private void splitLines(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int nl = indexOf(b, i, end, (byte) '\n');
            int stop = nl < 0 ? end : nl;
            append(b, i, stop - i);
            if (nl < 0) {
                return;
            }
            if (!skipping) {
                int n = lineLen;
                if (n > 0 && line[n - 1] == '\r') {
                    n--;
                }
                onDataLine(n);
            }
            lineLen = 0;
            skipping = false;
            i = nl + 1;
        }
    }

    private void append(byte[] b, int off, int len) {
        if (skipping || len == 0) {
            return;
        }
        if (lineLen + len > MAX_LINE) {
            skipping = true;
            lineLen = 0;
            return;
        }
        if (lineLen + len > line.length) {
            byte[] bigger = new byte[Math.min(MAX_LINE, Math.max(line.length * 2, lineLen + len))];
            System.arraycopy(line, 0, bigger, 0, lineLen);
            line = bigger;
        }
        System.arraycopy(b, off, line, lineLen, len);
        lineLen += len;
        // Decide as soon as the field name is in: only data lines are kept.
        int check = Math.min(lineLen, DATA.length);
        for (int k = 0; k < check; k++) {
            if (line[k] != DATA[k]) {
                skipping = true;
                lineLen = 0;
                return;
            }
        }
    }

    /** One complete line of {@code n} bytes without its line end; only data lines get here whole. */
    private void onDataLine(int n) {
        if (n <= DATA.length) {
            return;
        }
        int from = DATA.length;
        if (line[from] == ' ') {
            from++;
        }
        boolean interesting = api == Api.ANTHROPIC
                ? indexOf(line, from, n, MESSAGE_START) >= 0 || indexOf(line, from, n, MESSAGE_DELTA) >= 0
                : indexOf(line, from, n, USAGE) >= 0;
        if (!interesting) {
            return;
        }
        JsonNode event;
        try {
            event = MAPPER.readTree(line, from, n - from);
        } catch (IOException e) {
            return; // not JSON ("[DONE]", a cut line): nothing to read
        }
        if (event == null || !event.isObject()) {
            return;
        }
        if (api == Api.ANTHROPIC) {
            String type = event.path("type").asText("");
            if (type.equals("message_start")) {
                JsonNode message = event.path("message");
                JsonNode m = message.get("model");
                if (m != null && m.isTextual()) {
                    model = m.asText();
                }
                readAnthropic(message.get("usage"));
            } else if (type.equals("message_delta")) {
                readAnthropic(event.get("usage")); // cumulative counts: the last delta wins
            }
        } else {
            JsonNode usage = event.get("usage");
            if (usage != null && usage.isObject()) { // "usage": null on every chunk before the last
                JsonNode m = event.get("model");
                if (m != null && m.isTextual()) {
                    model = m.asText();
                }
                input = num(usage.get("prompt_tokens"), input);
                output = num(usage.get("completion_tokens"), output);
                cached = num(usage.path("prompt_tokens_details").get("cached_tokens"), cached);
            }
        }
    }

    private void readAnthropic(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return;
        }
        input = num(usage.get("input_tokens"), input);
        output = num(usage.get("output_tokens"), output);
        cacheRead = num(usage.get("cache_read_input_tokens"), cacheRead);
        cacheCreation = num(usage.get("cache_creation_input_tokens"), cacheCreation);
    }

    private long num(JsonNode n, long old) {
        if (n == null || !n.isIntegralNumber() || n.asLong() < 0) {
            return old;
        }
        seen = true;
        return n.asLong();
    }

    // ---- plain JSON answers

    private void drainJson() throws IOException {
        JsonToken t;
        while ((t = json.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    depth++;
                    if (depth < names.length) {
                        names[depth] = null;
                    }
                }
                case END_OBJECT, END_ARRAY -> depth--;
                case FIELD_NAME -> {
                    if (depth < names.length) {
                        names[depth] = json.currentName();
                    }
                }
                case VALUE_STRING -> {
                    if (depth == 1 && "model".equals(names[1])) {
                        model = json.getText();
                    }
                }
                case VALUE_NUMBER_INT -> onJsonNumber(json.getLongValue());
                default -> { }
            }
        }
    }

    /** A number inside the top-level {@code usage} object (or OpenAI's {@code usage.prompt_tokens_details}). */
    private void onJsonNumber(long v) {
        if (depth < 2 || !"usage".equals(names[1]) || v < 0) {
            return;
        }
        if (depth == 2) {
            switch (names[2] == null ? "" : names[2]) {
                case "input_tokens", "prompt_tokens" -> input = v;
                case "output_tokens", "completion_tokens" -> output = v;
                case "cache_read_input_tokens" -> cacheRead = v;
                case "cache_creation_input_tokens" -> cacheCreation = v;
                default -> {
                    return;
                }
            }
            seen = true;
        } else if (depth == 3 && "prompt_tokens_details".equals(names[2]) && "cached_tokens".equals(names[3])) {
            cached = v;
            seen = true;
        }
    }

    // ---- bytes

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] b, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (b[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
