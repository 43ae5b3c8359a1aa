package io.nanoclaw.runner.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Claude Code's WebFetch, client-side: fetches a page, turns HTML into Markdown-ish text, and answers the prompt
 * about it with a {@link Summarizer} when there is one, or else returns the text itself for the agent to read.
 */
public final class WebFetch implements Tool {
    static final int MAX_URL_CHARS = 2000;
    static final int MAX_CONTENT_CHARS = 100_000;

    private static final ObjectNode SCHEMA = Schema.object()
            .property("url", urlSchema(), true)
            .property("prompt", "string", "The prompt to run on the fetched content", true)
            .build();
    private static final Pattern CHARSET = Pattern.compile("(?i)charset\\s*=\\s*[\"']?([A-Za-z0-9_.:-]+)");

    private final Summarizer summarizer;
    private final WebPageFetcher fetcher;

    /** @param summarizer answers the prompt about the page; null returns the page text instead */
    public WebFetch(Summarizer summarizer) {
        this(summarizer, new WebPageFetcher());
    }

    WebFetch(Summarizer summarizer, WebPageFetcher fetcher) {
        this.summarizer = summarizer;
        this.fetcher = fetcher;
    }

    private static ObjectNode urlSchema() {
        ObjectNode url = Json.object();
        url.put("type", "string");
        url.put("format", "uri");
        url.put("description", "The URL to fetch content from");
        return url;
    }

    @Override
    public String name() {
        return "WebFetch";
    }

    @Override
    public String description() {
        return "Fetches a URL (http or https) and processes its content with the prompt: HTML is converted to"
                + " Markdown; plain text and JSON come as they are. Use it to read a web page or a public API answer"
                + " the user pointed to. The prompt should say what to extract from the page. Pages over 10 MB,"
                + " binary files (images, PDFs, archives) and pages behind a login cannot be read this way (use"
                + " Bash with curl for downloads). Redirects within the same host are followed; when a URL"
                + " redirects to another host, the result says so and gives the new URL: call WebFetch again with"
                + " it. Read-only.";
    }

    @Override
    public ObjectNode inputSchema() {
        return SCHEMA.deepCopy();
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public ToolResult run(JsonNode input, ToolContext context) throws InterruptedException {
        String rawUrl;
        String prompt;
        URI url;
        try {
            rawUrl = Input.requiredString(input, "url").strip();
            prompt = Input.requiredString(input, "prompt");
            url = parseUrl(rawUrl);
        } catch (BadInput e) {
            return ToolResult.error(e.getMessage());
        }
        // Only the heartbeat: container_state is for long tools that run alone (Bash, MCP); a fetch is bounded by
        // its 30 s and may run in parallel with other read-only calls, which would overwrite each other's record.
        try {
            WebPageFetcher.Outcome outcome = fetcher.fetch(url, context.liveness()::stillWorking);
            if (outcome instanceof WebPageFetcher.Redirect r) {
                return ToolResult.ok(redirectNotice(r, prompt));
            }
            WebPageFetcher.Page page = (WebPageFetcher.Page) outcome;
            String content = readable(page);
            return ToolResult.ok(answer(page.url(), prompt, content));
        } catch (WebPageFetcher.Failed | BadInput e) {
            return ToolResult.error(e.getMessage());
        }
    }

    static URI parseUrl(String raw) throws BadInput {
        if (raw.isEmpty()) {
            throw new BadInput("url is empty");
        }
        if (raw.length() > MAX_URL_CHARS) {
            throw new BadInput("the URL is longer than " + MAX_URL_CHARS + " characters");
        }
        URI url;
        try {
            url = new URI(raw);
        } catch (URISyntaxException e) {
            throw new BadInput("invalid URL: " + raw + " (" + e.getReason() + ")");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new BadInput("WebFetch fetches only http and https URLs, not "
                    + (scheme.isEmpty() ? "a URL without a scheme" : scheme + ":") + " (" + raw + ")");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new BadInput("the URL has no host name: " + raw);
        }
        return url;
    }

    /** Claude Code's wording, so the model (trained on it) knows to call again with the new URL. */
    static String redirectNotice(WebPageFetcher.Redirect r, String prompt) {
        return "REDIRECT DETECTED: The URL redirects to a different host.\n\n"
                + "Original URL: " + r.from() + "\n"
                + "Redirect URL: " + r.to() + "\n"
                + "Status: " + WebPageFetcher.statusLine(r.status()) + "\n\n"
                + "To complete your request, I need to fetch content from the redirected URL. Please use WebFetch"
                + " again with these parameters:\n"
                + "- url: \"" + r.to() + "\"\n"
                + "- prompt: \"" + prompt + "\"";
    }

    /** The page as text: HTML converted, other text as it is; anything else is refused. */
    static String readable(WebPageFetcher.Page page) throws BadInput {
        String type = mediaType(page.contentType());
        byte[] body = page.body();
        boolean html = type.equals("text/html") || type.equals("application/xhtml+xml");
        if (type.isEmpty()) {
            if (looksBinary(body)) {
                throw new BadInput(page.url() + " did not say what it is and looks like binary data ("
                        + body.length + " bytes); WebFetch reads text only. Download it with Bash (curl -o) instead.");
            }
            String head = new String(body, 0, Math.min(body.length, 1024), StandardCharsets.ISO_8859_1)
                    .stripLeading().toLowerCase(Locale.ROOT);
            html = head.startsWith("<!doctype html") || head.startsWith("<html");
        } else if (!html && !isText(type)) {
            throw new BadInput(page.url() + " is " + type + " (" + body.length + " bytes), not a text page;"
                    + " WebFetch reads text only. Download it with Bash (curl -o) and open it with a suitable tool"
                    + " instead (Read shows images and PDFs).");
        }
        String text = new String(body, charset(page.contentType(), body, html));
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return html ? HtmlToMarkdown.convert(text, page.url()) : text;
    }

    private String answer(URI url, String prompt, String content) {
        String shown = truncate(content);
        if (summarizer != null) {
            try {
                String a = summarizer.answer(prompt, shown);
                if (a != null && !a.isBlank()) {
                    return a;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                Log.warn("webfetch", "the summarizer failed, returning the page itself: " + Log.describe(e));
            }
        }
        if (shown.isBlank()) {
            return "Prompt: " + prompt + "\n\n" + url + " returned no readable text.";
        }
        return "Prompt: " + prompt + "\n\nContent of " + url + ":\n\n" + shown;
    }

    static String truncate(String content) {
        if (content.length() <= MAX_CONTENT_CHARS) {
            return content;
        }
        int cut = MAX_CONTENT_CHARS;
        if (Character.isHighSurrogate(content.charAt(cut - 1))) {
            cut--;
        }
        return content.substring(0, cut) + "\n\n[Content truncated: the first " + cut + " of " + content.length()
                + " characters]";
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    static boolean isText(String type) {
        if (type.startsWith("text/") || type.endsWith("+json") || type.endsWith("+xml")) {
            return true;
        }
        return switch (type) {
            case "application/json", "application/xml", "application/javascript", "application/x-javascript",
                    "application/ecmascript", "application/yaml", "application/x-yaml", "application/toml",
                    "application/x-ndjson", "application/x-www-form-urlencoded", "application/markdown" -> true;
            default -> false;
        };
    }

    private static boolean looksBinary(byte[] body) {
        for (int i = 0; i < Math.min(body.length, 8192); i++) {
            if (body[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** The Content-Type's charset, else (for HTML) a {@code <meta charset>} near the top, else UTF-8. */
    private static Charset charset(String contentType, byte[] body, boolean html) {
        String name = null;
        Matcher m = CHARSET.matcher(contentType == null ? "" : contentType);
        if (m.find()) {
            name = m.group(1);
        } else if (html) {
            Matcher meta = CHARSET.matcher(new String(body, 0, Math.min(body.length, 2048),
                    StandardCharsets.ISO_8859_1));
            if (meta.find()) {
                name = meta.group(1);
            }
        }
        if (name != null) {
            try {
                return Charset.forName(name);
            } catch (IllegalArgumentException e) {
                // unknown or unsupported: UTF-8 is the best guess on today's web
            }
        }
        return StandardCharsets.UTF_8;
    }
}
