package io.nanoclaw.cli.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * {@code ncl restore --from <archive> [--home <dir>] [--force]}: puts an {@code ncl backup} archive back into an
 * install home, with no host running (it runs in the client, not over the socket).
 *
 * <p>In order: refuses while a host answers on the home's sockets, and when the home already has data unless
 * {@code --force}; unpacks into a staging folder inside the home, refusing any entry that is not a regular file or
 * folder under {@code data/nanoclaw.db}, {@code data/sessions/} or {@code groups/} (absolute names, {@code ..},
 * links and devices: hostile archives); checks every file against the manifest's size and SHA-256 and runs
 * {@code PRAGMA integrity_check} on every database; only then moves the files into place. With {@code --force} the
 * home's previous DB, sessions and groups are moved into {@code pre-restore-<time>/}, never deleted.
 *
 * <p>Exit codes: 0 restored, 1 refused or the archive is corrupt, 2 an I/O error.
 */
public final class Restore {
    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int IO_ERROR = 2;
    static final int FORMAT = 1;
    static final String MANIFEST = "manifest.json";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private Restore() {}

    /** A refusal: said in one line, exit 1. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        String from = null;
        String homeArg = null;
        boolean force = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--from" -> from = i + 1 < args.size() ? args.get(++i) : null;
                case "--home" -> homeArg = i + 1 < args.size() ? args.get(++i) : null;
                case "--force" -> force = true;
                default -> {
                    err.println("restore: unknown argument '" + a + "' (usage: ncl restore --from <archive> "
                            + "[--home <dir>] [--force])");
                    return REFUSED;
                }
            }
        }
        if (from == null || from.isBlank()) {
            err.println("restore: missing --from <archive> (usage: ncl restore --from <archive> [--home <dir>] "
                    + "[--force])");
            return REFUSED;
        }
        if (homeArg == null) {
            homeArg = System.getenv("NANOCLAW_HOME");
        }
        Path home = Path.of(homeArg == null || homeArg.isBlank() ? "." : homeArg).toAbsolutePath().normalize();
        Path archive = Path.of(from).toAbsolutePath().normalize();
        try {
            Summary s = restore(archive, home, force);
            out.println("restored " + s.files + " files (" + s.sessions + " sessions, backup of " + s.createdAt
                    + ") into " + home);
            if (s.movedAside != null) {
                out.println("the home's previous data is in " + s.movedAside);
            }
            out.println(".env is not in backups: put your own copy in " + home.resolve(".env")
                    + " before starting the host");
            return OK;
        } catch (Refused e) {
            err.println("restore refused: " + e.getMessage());
            return REFUSED;
        } catch (IOException e) {
            err.println("restore failed (I/O): " + e.getMessage());
            return IO_ERROR;
        }
    }

    record Summary(int files, int sessions, String createdAt, Path movedAside) {}

    static Summary restore(Path archive, Path home, boolean force) throws Refused, IOException {
        if (!Files.isRegularFile(archive)) {
            throw new Refused("no archive at " + archive);
        }
        Path data = home.resolve("data");
        for (Path sock : List.of(data.resolve("ncl.sock"), data.resolve("cli.sock"))) {
            if (answers(sock)) {
                throw new Refused("a host is running on " + home + " (" + sock.getFileName()
                        + " answers): stop it first");
            }
        }
        boolean hasData = Files.exists(data.resolve("nanoclaw.db"), LinkOption.NOFOLLOW_LINKS)
                || nonEmpty(data.resolve("sessions")) || nonEmpty(home.resolve("groups"));
        if (hasData && !force) {
            throw new Refused(home + " already has data (data/nanoclaw.db, sessions or groups): restore into a "
                    + "fresh home, or add --force to move the current data aside first");
        }
        Files.createDirectories(data);
        Path staging = Files.createTempDirectory(home, ".restore-");
        try {
            Map<String, String[]> got = unpack(archive, staging);
            JsonNode manifest = checkManifest(staging, got);
            int sessions = 0;
            for (String name : got.keySet()) {
                if (name.endsWith(".db")) {
                    integrityCheck(staging.resolve(name), name);
                }
                if (name.startsWith("data/sessions/") && name.endsWith("/inbound.db")) {
                    sessions++;
                }
            }
            if (!got.containsKey("data/nanoclaw.db")) {
                throw new Refused("the archive has no data/nanoclaw.db");
            }
            Path aside = hasData ? moveAside(home) : null;
            place(staging, home);
            prepareSessionFolders(home, containerUid(home));
            return new Summary(got.size() - 1, sessions, manifest.path("createdAt").asText("?"), aside);
        } finally {
            deleteTree(staging);
        }
    }

    /** True when something accepts a connection on the socket. */
    static boolean answers(Path sock) {
        if (!Files.exists(sock, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            return true;
        } catch (IOException e) {
            return false; // a socket file left behind by a host that is gone
        }
    }

    /**
     * Unpacks into {@code staging}; returns the regular files by name with {size, sha256}. Refuses any name or entry
     * type a backup never holds.
     */
    static Map<String, String[]> unpack(Path archive, Path staging) throws Refused, IOException {
        Map<String, String[]> files = new LinkedHashMap<>();
        java.util.Set<String> dirs = new java.util.HashSet<>();
        try (InputStream raw = Files.newInputStream(archive);
             InputStream gz = new GZIPInputStream(new java.io.BufferedInputStream(raw), 64 * 1024)) {
            TarReader tar = new TarReader(gz);
            TarReader.Entry e;
            while ((e = tar.next()) != null) {
                String name = e.name();
                if (e.isDirectory() && name.endsWith("/")) {
                    name = name.substring(0, name.length() - 1);
                }
                checkName(name, e);
                Path target = staging.resolve(name).normalize();
                if (!target.startsWith(staging) || target.equals(staging)) {
                    throw new Refused("entry '" + name + "' points outside the home");
                }
                if (e.isDirectory()) {
                    dirs.add(name);
                    Files.createDirectories(target);
                    continue;
                }
                if (files.containsKey(name) || dirs.contains(name)) {
                    throw new Refused("entry '" + name + "' appears twice");
                }
                Files.createDirectories(target.getParent());
                MessageDigest sha = sha256();
                long n = 0;
                boolean exec = (e.mode() & 0100) != 0;
                try (OutputStream os = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE); InputStream in = tar.content()) {
                    byte[] buf = new byte[64 * 1024];
                    int r;
                    while ((r = in.read(buf)) > 0) {
                        os.write(buf, 0, r);
                        sha.update(buf, 0, r);
                        n += r;
                    }
                }
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(exec ? "rwxr-xr-x"
                        : name.equals("data/nanoclaw.db") ? "rw-------" : "rw-r--r--"));
                files.put(name, new String[] {Long.toString(n), HexFormat.of().formatHex(sha.digest())});
            }
        } catch (TarReader.FormatException | ZipException | EOFException ex) {
            throw new Refused("the archive is damaged or not an ncl backup: " + ex.getMessage());
        }
        return files;
    }

    /** Only regular files and folders, only under the places a backup writes, with plain relative names. */
    static void checkName(String name, TarReader.Entry e) throws Refused {
        if (!e.isFile() && !e.isDirectory()) {
            String what = switch (e.type()) {
                case '1' -> "a hard link";
                case '2' -> "a symbolic link";
                case '3', '4' -> "a device";
                case '6' -> "a FIFO";
                default -> "an entry of type '" + e.type() + "'";
            };
            throw new Refused("entry '" + name + "' is " + what + ": backups hold only files and folders");
        }
        if (name.isEmpty() || name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new Refused("entry '" + name + "' has an absolute or malformed name");
        }
        for (String seg : name.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw new Refused("entry '" + name + "' has a '" + seg + "' path segment");
            }
        }
        boolean allowed = e.isFile()
                ? name.equals(MANIFEST) || name.equals("data/nanoclaw.db") || name.startsWith("data/sessions/")
                        || name.startsWith("groups/")
                : name.equals("data") || name.equals("data/sessions") || name.startsWith("data/sessions/")
                        || name.equals("groups") || name.startsWith("groups/");
        if (!allowed) {
            throw new Refused("entry '" + name + "' is outside data/nanoclaw.db, data/sessions/ and groups/");
        }
    }

    /** Every file listed with the same size and SHA-256, and nothing unlisted. */
    static JsonNode checkManifest(Path staging, Map<String, String[]> got) throws Refused, IOException {
        if (!got.containsKey(MANIFEST)) {
            throw new Refused("the archive has no manifest.json: not an ncl backup");
        }
        JsonNode m;
        try {
            m = new ObjectMapper().readTree(staging.resolve(MANIFEST).toFile());
        } catch (IOException e) {
            throw new Refused("manifest.json is not valid JSON: " + e.getMessage());
        }
        if (m.path("format").asInt(-1) != FORMAT) {
            throw new Refused("manifest format " + m.path("format") + " is not one this ncl reads (" + FORMAT + ")");
        }
        Map<String, JsonNode> listed = new LinkedHashMap<>();
        for (JsonNode f : m.path("files")) {
            listed.put(f.path("path").asText(), f);
        }
        for (Map.Entry<String, String[]> e : got.entrySet()) {
            if (e.getKey().equals(MANIFEST)) {
                continue;
            }
            JsonNode f = listed.remove(e.getKey());
            if (f == null) {
                throw new Refused(e.getKey() + " is in the archive but not in its manifest");
            }
            if (f.path("bytes").asLong(-1) != Long.parseLong(e.getValue()[0])
                    || !f.path("sha256").asText().equalsIgnoreCase(e.getValue()[1])) {
                throw new Refused(e.getKey() + " does not match its SHA-256 in the manifest (damaged or altered)");
            }
        }
        if (!listed.isEmpty()) {
            throw new Refused("the manifest lists " + listed.keySet().iterator().next()
                    + (listed.size() > 1 ? " and " + (listed.size() - 1) + " more" : "") + ", missing from the archive");
        }
        return m;
    }

    static void integrityCheck(Path db, String name) throws Refused, IOException {
        Properties p = new Properties();
        p.setProperty("busy_timeout", "5000");
        try (Connection c = org.sqlite.JDBC.createConnection("jdbc:sqlite:" + db.toAbsolutePath(), p);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            List<String> problems = new ArrayList<>();
            while (rs.next() && problems.size() < 5) {
                problems.add(rs.getString(1));
            }
            if (!problems.equals(List.of("ok"))) {
                throw new Refused(name + " fails SQLite's integrity check: " + String.join("; ", problems));
            }
        } catch (SQLException e) {
            throw new Refused(name + " is not a readable SQLite database: " + e.getMessage());
        }
    }

    /** With --force: the home's DB (and its -wal/-shm), sessions and groups into pre-restore-<time>/. */
    static Path moveAside(Path home) throws IOException {
        Path aside = home.resolve("pre-restore-" + STAMP.format(Instant.now()));
        Files.createDirectories(aside.resolve("data"));
        for (String n : List.of("nanoclaw.db", "nanoclaw.db-wal", "nanoclaw.db-shm", "nanoclaw.db-journal",
                "sessions")) {
            Path p = home.resolve("data").resolve(n);
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(p, aside.resolve("data").resolve(n));
            }
        }
        Path groups = home.resolve("groups");
        if (Files.exists(groups, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(groups, aside.resolve("groups"));
        }
        return aside;
    }

    /** Renames the staged files into the home (same file system: the staging folder is inside it). */
    static void place(Path staging, Path home) throws IOException {
        Path data = home.resolve("data");
        deleteEmpty(data.resolve("sessions"));
        deleteEmpty(home.resolve("groups"));
        for (String stale : List.of("nanoclaw.db-wal", "nanoclaw.db-shm", "nanoclaw.db-journal")) {
            Files.deleteIfExists(data.resolve(stale)); // never next to a DB they do not belong to
        }
        Files.move(staging.resolve("data/nanoclaw.db"), data.resolve("nanoclaw.db"));
        if (Files.isDirectory(staging.resolve("data/sessions"))) {
            Files.move(staging.resolve("data/sessions"), data.resolve("sessions"));
        } else {
            Files.createDirectories(data.resolve("sessions"));
        }
        if (Files.isDirectory(staging.resolve("groups"))) {
            Files.move(staging.resolve("groups"), home.resolve("groups"));
        } else {
            Files.createDirectories(home.resolve("groups"));
        }
    }

    /**
     * Each session folder gets its empty inbox/ and outbox/ back. When run as root (the host's usual case), the
     * folders and files containers write are handed to the container's uid, as the host does when it creates them:
     * the session folder, outbound.db, inbox/, outbox/, .agent-state and the groups folder's content.
     */
    static void prepareSessionFolders(Path home, int uid) throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path sessions = home.resolve("data/sessions");
        if (Files.isDirectory(sessions)) {
            for (Path group : list(sessions)) {
                for (Path dir : list(group)) {
                    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    if (dir.getFileName().toString().equals(".agent-state")) {
                        if (root) {
                            chownTree(dir, uid);
                        }
                        continue;
                    }
                    Files.createDirectories(dir.resolve("inbox"));
                    Files.createDirectories(dir.resolve("outbox"));
                    if (root) {
                        for (Path p : List.of(dir, dir.resolve("inbox"), dir.resolve("outbox"),
                                dir.resolve("outbound.db"))) {
                            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                                chown(p, uid);
                            }
                        }
                    }
                }
            }
        }
        if (root) {
            for (Path g : list(home.resolve("groups"))) {
                chownTree(g, uid);
            }
        }
    }

    /** CONTAINER_UID from the environment, else from the home's .env, else 1000 (the host's rule). */
    static int containerUid(Path home) {
        String v = System.getenv("CONTAINER_UID");
        if (v == null) {
            Path env = home.resolve(".env");
            if (Files.isRegularFile(env)) {
                try {
                    for (String line : Files.readAllLines(env)) {
                        String l = line.strip();
                        if (l.startsWith("CONTAINER_UID=")) {
                            v = l.substring("CONTAINER_UID=".length()).strip();
                        }
                    }
                } catch (IOException e) {
                    // the default
                }
            }
        }
        try {
            return v == null ? 1000 : Integer.parseInt(v.replace("\"", "").strip());
        } catch (NumberFormatException e) {
            return 1000;
        }
    }

    private static void chownTree(Path root, int uid) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                chown(p, uid);
            }
        }
    }

    private static void chown(Path p, int uid) throws IOException {
        var lookup = p.getFileSystem().getUserPrincipalLookupService();
        var view = Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        view.setOwner(lookup.lookupPrincipalByName(Integer.toString(uid)));
        view.setGroup(lookup.lookupPrincipalByGroupName(Integer.toString(uid)));
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        }
        return out;
    }

    private static boolean nonEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            return ds.iterator().hasNext();
        }
    }

    private static void deleteEmpty(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && !nonEmpty(dir)) {
            Files.delete(dir);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
