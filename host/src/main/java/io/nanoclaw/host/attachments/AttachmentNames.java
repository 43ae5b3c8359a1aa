package io.nanoclaw.host.attachments;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The file-name rules shared by inbox and outbox (host.md 5.7, #66, #82). Names and ids come from chat platforms and
 * from the agent, so neither is trusted: a name is used on disk only when it is one plain path component.
 */
public final class AttachmentNames {
    private AttachmentNames() {}

    /** Linux refuses longer names (ENAMETOOLONG); refusing them here gives a clear reason instead of an I/O error. */
    static final int MAX_NAME_BYTES = 255;

    private static final Map<String, String> EXT_BY_MIME = Map.of(
            "image/png", "png",
            "image/jpeg", "jpg",
            "image/gif", "gif",
            "image/webp", "webp",
            "application/pdf", "pdf",
            "audio/ogg", "ogg",
            "audio/mpeg", "mp3",
            "video/mp4", "mp4",
            "text/plain", "txt");

    /**
     * True when {@code name} is one plain file name: not empty, not {@code .} or {@code ..}, no {@code /} or
     * {@code \}, no NUL, and equal to its own basename. Control characters and names over 255 bytes are refused too:
     * they are legal on Linux but break the agent's shell tools or the file system.
     */
    public static boolean isSafe(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return false;
        }
        // The separator and NUL checks above already imply this on Linux; kept as the spec states it, for other
        // file systems whose parser might split differently.
        java.nio.file.Path base = java.nio.file.Path.of(name).getFileName();
        return base != null && base.toString().equals(name);
    }

    /**
     * The extension for a generated name, in this order: the MIME type (a fixed map; parameters and case ignored),
     * then the first bytes of the data (the same formats; the platform's coarse {@code type} says "image" but not
     * which kind, and a wrong extension makes tools mislabel the file), then {@code type} "text" → txt, else bin.
     */
    public static String extension(String mimeType, String type, byte[] data) {
        String byMime = mimeType == null ? null : EXT_BY_MIME.get(baseMime(mimeType));
        if (byMime != null) {
            return byMime;
        }
        String sniffed = sniff(data);
        if (sniffed != null) {
            return sniffed;
        }
        if (type != null && type.trim().toLowerCase(Locale.ROOT).equals("text")) {
            return "txt";
        }
        return "bin";
    }

    /** {@code attachment-<epochMs>.<ext>}, or with {@code -<n>} before the dot for the n-th one in a message. */
    public static String generated(long epochMs, String ext, int n) {
        return "attachment-" + epochMs + (n > 1 ? "-" + n : "") + "." + ext;
    }

    /** A name made unique within one message: {@code a.png}, then {@code a-2.png}, {@code a-3.png}… */
    static String numbered(String name, int n) {
        if (n <= 1) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n;
    }

    private static final java.util.Set<String> MP4_BRANDS = java.util.Set.of("isom", "iso2", "mp41", "mp42", "avc1");

    private static String baseMime(String mime) {
        int semi = mime.indexOf(';');
        return (semi >= 0 ? mime.substring(0, semi) : mime).trim().toLowerCase(Locale.ROOT);
    }

    /** Magic numbers of the formats in the MIME map; null when none matches. */
    static String sniff(byte[] d) {
        if (d == null || d.length < 4) {
            return null;
        }
        if (u(d, 0) == 0x89 && d[1] == 'P' && d[2] == 'N' && d[3] == 'G') {
            return "png";
        }
        if (u(d, 0) == 0xFF && u(d, 1) == 0xD8 && u(d, 2) == 0xFF) {
            return "jpg";
        }
        if (d[0] == 'G' && d[1] == 'I' && d[2] == 'F' && d[3] == '8') {
            return "gif";
        }
        if (d.length >= 12 && d[0] == 'R' && d[1] == 'I' && d[2] == 'F' && d[3] == 'F'
                && d[8] == 'W' && d[9] == 'E' && d[10] == 'B' && d[11] == 'P') {
            return "webp";
        }
        if (d[0] == '%' && d[1] == 'P' && d[2] == 'D' && d[3] == 'F') {
            return "pdf";
        }
        if (d[0] == 'O' && d[1] == 'g' && d[2] == 'g' && d[3] == 'S') {
            return "ogg";
        }
        // ISO media with an MP4 video brand; HEIC, QuickTime and M4A share "ftyp" but are not .mp4.
        if (d.length >= 12 && d[4] == 'f' && d[5] == 't' && d[6] == 'y' && d[7] == 'p'
                && MP4_BRANDS.contains(new String(d, 8, 4, StandardCharsets.US_ASCII))) {
            return "mp4";
        }
        // An ID3 tag, or an MPEG frame sync whose layer bits say Layer III (AAC's ADTS header has layer 00).
        if ((d[0] == 'I' && d[1] == 'D' && d[2] == '3') || (u(d, 0) == 0xFF && (u(d, 1) & 0xE6) == 0xE2)) {
            return "mp3";
        }
        return null;
    }

    private static int u(byte[] d, int i) {
        return d[i] & 0xFF;
    }

    /** A hostile name made safe to print in one log line: control characters become '?', long names are cut. */
    static String forLog(String s) {
        if (s == null) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 80) + 2).append('"');
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.append(s.length() > 80 ? "…\"" : "\"").toString();
    }
}
