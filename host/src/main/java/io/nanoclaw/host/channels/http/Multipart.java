package io.nanoclaw.host.channels.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A multipart/form-data body (file uploads). Vert.x core has no form encoder (vertx-web-client does, at the cost of
 * another dependency); this is the few lines the uploads need.
 */
public final class Multipart {
    private final String boundary = "nanoclaw-" + UUID.randomUUID();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Multipart field(String name, String value) {
        head("Content-Disposition: form-data; name=\"" + quote(name) + "\"\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n");
        write(value.getBytes(StandardCharsets.UTF_8));
        write("\r\n".getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    public Multipart file(String name, String fileName, String contentType, byte[] data) {
        head("Content-Disposition: form-data; name=\"" + quote(name) + "\"; filename=\"" + quote(fileName) + "\"\r\n"
                + "Content-Type: " + (contentType == null ? "application/octet-stream" : contentType) + "\r\n");
        write(data);
        write("\r\n".getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    public Multipart file(String name, Path file) throws IOException {
        String type = Files.probeContentType(file);
        return file(name, file.getFileName().toString(), type, Files.readAllBytes(file));
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public byte[] body() {
        ByteArrayOutputStream all = new ByteArrayOutputStream(out.size() + 64);
        all.writeBytes(out.toByteArray());
        all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return all.toByteArray();
    }

    private void head(String headers) {
        write(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] b) {
        out.writeBytes(b);
    }

    /** Quotes and line breaks in names would end the header early. */
    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", " ").replace("\n", " ");
    }
}
