package io.nanoclaw.cli.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builds tar.gz archives for restore tests, well-formed or hostile on purpose. */
final class TestArchive {
    record Entry(String name, char type, byte[] data, String linkTarget, boolean pax) {}

    private final List<Entry> entries = new ArrayList<>();
    /** Files the manifest lists, with their sizes and hashes (may be tampered with). */
    final Map<String, String[]> manifest = new LinkedHashMap<>();
    boolean withManifest = true;

    TestArchive file(String name, byte[] data) {
        entries.add(new Entry(name, '0', data, null, false));
        manifest.put(name, new String[] {Long.toString(data.length), sha(data)});
        return this;
    }

    TestArchive paxFile(String name, byte[] data) {
        entries.add(new Entry(name, '0', data, null, true));
        manifest.put(name, new String[] {Long.toString(data.length), sha(data)});
        return this;
    }

    TestArchive unlisted(String name, byte[] data) {
        entries.add(new Entry(name, '0', data, null, false));
        return this;
    }

    TestArchive dir(String name) {
        entries.add(new Entry(name + "/", '5', new byte[0], null, false));
        return this;
    }

    TestArchive link(String name, char type, String target) {
        entries.add(new Entry(name, type, new byte[0], target, false));
        return this;
    }

    /** A minimal valid home: a central DB with one table and row, one session with its two DBs. */
    static TestArchive minimal(Path scratch) throws Exception {
        TestArchive a = new TestArchive();
        a.dir("data");
        a.file("data/nanoclaw.db", db(scratch.resolve("c.db"), "CREATE TABLE agent_groups(id TEXT, name TEXT)",
                "INSERT INTO agent_groups VALUES ('ag-1', 'main')"));
        a.dir("data/sessions");
        a.file("data/sessions/ag-1/s-1/inbound.db", db(scratch.resolve("i.db"),
                "CREATE TABLE messages_in(id TEXT, seq INTEGER, content TEXT)",
                "INSERT INTO messages_in VALUES ('m1', 2, 'hello')"));
        a.file("data/sessions/ag-1/s-1/outbound.db", db(scratch.resolve("o.db"),
                "CREATE TABLE messages_out(id TEXT, seq INTEGER, content TEXT)"));
        a.file("data/sessions/ag-1/.agent-state/conv.jsonl", "{}\n".getBytes(StandardCharsets.UTF_8));
        a.dir("groups");
        a.dir("groups/main");
        a.file("groups/main/CLAUDE.local.md", "remember\n".getBytes(StandardCharsets.UTF_8));
        return a;
    }

    static byte[] db(Path file, String... sql) throws Exception {
        try (var c = org.sqlite.JDBC.createConnection("jdbc:sqlite:" + file, new java.util.Properties());
             var st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
        return Files.readAllBytes(file);
    }

    Path write(Path to) throws IOException {
        try (OutputStream os = Files.newOutputStream(to); GZIPOutputStream gz = new GZIPOutputStream(os)) {
            for (Entry e : entries) {
                if (e.pax) {
                    byte[] rec = pax("path", e.name);
                    gz.write(header("PaxHeaders/x", 'x', rec.length, null));
                    gz.write(rec);
                    gz.write(new byte[(512 - rec.length % 512) % 512]);
                    gz.write(header("long/stand-in", e.type, e.data.length, null));
                } else {
                    gz.write(header(e.name, e.type, e.data.length, e.linkTarget));
                }
                gz.write(e.data);
                gz.write(new byte[(512 - e.data.length % 512) % 512]);
            }
            if (withManifest) {
                StringBuilder m = new StringBuilder("{\"format\":1,\"createdAt\":\"2026-01-01T00:00:00Z\",\"files\":[");
                boolean first = true;
                for (var f : manifest.entrySet()) {
                    m.append(first ? "" : ",").append("{\"path\":\"").append(f.getKey()).append("\",\"bytes\":")
                            .append(f.getValue()[0]).append(",\"sha256\":\"").append(f.getValue()[1]).append("\"}");
                    first = false;
                }
                byte[] mb = m.append("]}").toString().getBytes(StandardCharsets.UTF_8);
                gz.write(header("manifest.json", '0', mb.length, null));
                gz.write(mb);
                gz.write(new byte[(512 - mb.length % 512) % 512]);
            }
            gz.write(new byte[1024]);
        }
        return to;
    }

    static byte[] pax(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.getBytes(StandardCharsets.UTF_8).length;
        int total = len + Integer.toString(len).length();
        if (Integer.toString(total).length() != Integer.toString(len).length()) {
            total++;
        }
        return (total + body).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] header(String name, char type, long size, String link) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
        put(h, 100, String.format("%07o\0", 0644));
        put(h, 108, "0000000\0");
        put(h, 116, "0000000\0");
        put(h, 124, String.format("%011o\0", size));
        put(h, 136, "00000000000\0");
        h[156] = (byte) type;
        if (link != null) {
            put(h, 157, link);
        }
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o\0 ", sum));
        return h;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    static String sha(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static ByteArrayOutputStream sink() {
        return new ByteArrayOutputStream();
    }
}
