package io.nanoclaw.host.containers.mounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The allowlist file: missing, broken, misplaced, and parsed. */
class MountAllowlistFileTest {
    @TempDir
    Path tmp;
    Path base;
    Path userHome;
    Path install;
    Path configDir;
    Path root;

    @BeforeEach
    void layout() throws Exception {
        base = tmp.toRealPath();
        userHome = Files.createDirectories(base.resolve("home"));
        install = Files.createDirectories(base.resolve("install"));
        configDir = Files.createDirectories(base.resolve("config/nanoclaw"));
        root = Files.createDirectories(base.resolve("shared"));
    }

    String valid() {
        return "{\"allowedRoots\":[{\"path\":\"" + root + "\",\"allowReadWrite\":true,\"description\":\"shared\"}],"
                + "\"blockedPatterns\":[\"tax\"]}";
    }

    AllowlistFile at(Path file) {
        return new AllowlistFile(file, install, userHome);
    }

    @Test
    void aMissingFileRefusesEverythingAndIsLookedForAgain() throws Exception {
        Path file = configDir.resolve("mount-allowlist.json");
        AllowlistFile f = at(file);
        AllowlistFile.State s = f.current();
        assertFalse(s.ok());
        assertTrue(s.problem().contains("no mount allowlist at " + file), s.problem());
        Files.writeString(file, valid());
        s = f.current();
        assertTrue(s.ok(), s.problem());
        assertEquals(List.of(new AllowedRoot(root, true, "shared")), s.allowlist().roots());
        assertTrue(s.allowlist().effectivePatterns().containsAll(List.of(".ssh", "id_ed25519", "tax")));
    }

    @Test
    void aParseErrorIsRememberedUntilTheMtimeChanges() throws Exception {
        // As long as the fixed file below, so only the mtime tells them apart.
        String broken = String.format("%-" + valid().length() + "s", "{\"allowedRoots\": [ oops");
        Path file = Files.writeString(configDir.resolve("mount-allowlist.json"), broken);
        FileTime mtime = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(file, mtime);
        AllowlistFile f = at(file);
        assertTrue(f.current().problem().contains("cannot parse"), f.current().problem());
        assertFalse(f.current().ok());
        assertEquals(1, f.reads());
        // Fixed in place, but with the same mtime: still the remembered error, and the file is not read again.
        Files.writeString(file, valid());
        Files.setLastModifiedTime(file, mtime);
        assertFalse(f.current().ok());
        assertEquals(1, f.reads());
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_060_000L));
        assertTrue(f.current().ok(), f.current().problem());
        assertEquals(2, f.reads());
        // A good file is not re-read either.
        f.current();
        assertEquals(2, f.reads());
    }

    @Test
    void anAllowlistInsideAnAllowedRootIsRefused() throws Exception {
        Path file = Files.writeString(root.resolve("mount-allowlist.json"), valid());
        AllowlistFile.State s = at(file).current();
        assertFalse(s.ok());
        assertTrue(s.problem().contains("inside its own allowed root"), s.problem());
    }

    @Test
    void aSymlinkInsideAnAllowedRootIsRefusedEvenIfItPointsOutside() throws Exception {
        Path real = Files.writeString(configDir.resolve("mount-allowlist.json"), valid());
        Path link = Files.createSymbolicLink(root.resolve("allow.json"), real);
        assertTrue(at(real).current().ok());
        assertFalse(at(link).current().ok());
    }

    @Test
    void anAllowlistInsideTheInstallHomeIsRefused() throws Exception {
        Path file = Files.writeString(install.resolve("mount-allowlist.json"), valid());
        AllowlistFile.State s = at(file).current();
        assertFalse(s.ok());
        assertTrue(s.problem().contains("inside the install home"), s.problem());
    }

    @Test
    void aRootThatAppearsLaterStillCounts() throws Exception {
        Path later = base.resolve("later");
        Path file = Files.writeString(configDir.resolve("mount-allowlist.json"),
                "{\"allowedRoots\":[{\"path\":\"" + base.resolve("later") + "\"}]}");
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L));
        AllowlistFile f = at(file);
        assertTrue(f.current().ok());
        // Now the root is a symlink to the folder holding the allowlist: refused although the file is unchanged.
        Files.createSymbolicLink(later, configDir);
        assertFalse(f.current().ok());
    }

    @Test
    void theParserIsStrict() {
        assertThrows(IllegalArgumentException.class, () -> AllowlistParser.parse("[]", userHome));
        assertThrows(IllegalArgumentException.class, () -> AllowlistParser.parse("{}", userHome));
        assertThrows(IllegalArgumentException.class,
                () -> AllowlistParser.parse("{\"allowedRoots\":[{\"path\":\"relative/x\"}]}", userHome));
        assertThrows(IllegalArgumentException.class,
                () -> AllowlistParser.parse("{\"allowedRoots\":[{\"path\":\"/x\",\"allowReadWrite\":\"yes\"}]}",
                        userHome));
        assertThrows(IllegalArgumentException.class,
                () -> AllowlistParser.parse("{\"allowedRoots\":[],\"blockedPatterns\":[\"\"]}", userHome));
        assertThrows(IllegalArgumentException.class,
                () -> AllowlistParser.parse("{\"allowedRoots\":[],\"blockedPatterns\":\"x\"}", userHome));
    }

    @Test
    void rootPathsExpandTildeAndDefaultToReadOnly() {
        MountAllowlist a = AllowlistParser.parse("{\"allowedRoots\":[{\"path\":\"~/projects\"},{\"path\":\"~\"}]}",
                userHome);
        assertEquals(new AllowedRoot(userHome.resolve("projects"), false, null), a.roots().get(0));
        assertEquals(userHome, a.roots().get(1).path());
        assertEquals(MountAllowlist.DEFAULT_BLOCKED_PATTERNS, a.effectivePatterns());
        assertNull(a.roots().get(0).description());
    }
}
