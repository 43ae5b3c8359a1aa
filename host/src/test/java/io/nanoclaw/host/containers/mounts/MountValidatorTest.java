package io.nanoclaw.host.containers.mounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.host.containers.ContainerSpec;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mount rules on real temp folders: roots, symlinks, blocked patterns, protected folders, names, rw. */
class MountValidatorTest {
    @TempDir
    Path tmp;
    Path base;
    Path userHome;
    Path roRoot;
    Path rwRoot;
    Path outside;
    Path install;
    Path project;

    @BeforeEach
    void layout() throws Exception {
        base = tmp.toRealPath();
        userHome = Files.createDirectories(base.resolve("home"));
        roRoot = Files.createDirectories(base.resolve("roots/ro"));
        rwRoot = Files.createDirectories(base.resolve("roots/rw"));
        outside = Files.createDirectories(base.resolve("outside"));
        install = Files.createDirectories(base.resolve("install"));
        project = Files.createDirectories(base.resolve("project"));
        Files.createDirectories(roRoot.resolve("docs/sub"));
        Files.createDirectories(rwRoot.resolve("work"));
        Files.createDirectories(install.resolve("data/sessions"));
        Files.createDirectories(install.resolve("groups/main"));
        Files.createDirectories(project.resolve("src"));
    }

    MountValidator validator() {
        return new MountValidator(userHome, List.of(new ProtectedFolder(project, "the NanoClaw project folder"),
                new ProtectedFolder(install.resolve("data"), "the install's data folder"),
                new ProtectedFolder(install.resolve("groups"), "the agent groups folder")));
    }

    MountAllowlist roots(AllowedRoot... roots) {
        return new MountAllowlist(List.of(roots), List.of());
    }

    MountAllowlist standard() {
        return roots(new AllowedRoot(roRoot, false, "read-only things"), new AllowedRoot(rwRoot, true, null));
    }

    static RequestedMount ro(Object host) {
        return new RequestedMount(host.toString(), null, true);
    }

    static RequestedMount rw(Object host) {
        return new RequestedMount(host.toString(), null, false);
    }

    static RequestedMount named(Object host, String containerPath) {
        return new RequestedMount(host.toString(), containerPath, true);
    }

    MountCheck check(MountAllowlist allowlist, RequestedMount... requested) {
        return validator().check(allowlist, List.of(requested));
    }

    /** The single rejection's reason; fails when the mount was accepted. */
    String refusal(MountAllowlist allowlist, RequestedMount m) {
        MountCheck c = check(allowlist, m);
        assertEquals(List.of(), c.accepted(), "accepted although it should be refused: " + m);
        assertEquals(1, c.rejected().size());
        return c.rejected().get(0).reason();
    }

    static void assertHas(String reason, String part) {
        assertTrue(reason.contains(part), "reason '" + reason + "' should mention '" + part + "'");
    }

    @Test
    void aMountInsideARootIsAcceptedReadOnlyAtItsName() {
        MountCheck c = check(standard(), ro(roRoot.resolve("docs")));
        assertEquals(List.of(new ContainerSpec.Mount(roRoot.resolve("docs").toString(), "/workspace/extra/docs", true)),
                c.accepted());
        assertEquals(List.of(), c.rejected());
    }

    @Test
    void readonlyIsTheDefaultEvenOnAReadWriteRoot() {
        MountCheck c = check(standard(), ro(rwRoot.resolve("work")));
        assertTrue(c.accepted().get(0).readOnly());
        assertEquals(List.of(), c.downgraded());
    }

    @Test
    void readWriteOnlyWhenTheMountAsksAndTheRootAllows() {
        MountCheck c = check(standard(), rw(rwRoot.resolve("work")));
        assertFalse(c.accepted().get(0).readOnly());
        assertEquals(List.of(), c.downgraded());
    }

    @Test
    void readWriteAskedOnAReadOnlyRootIsMountedReadOnlyAndReported() {
        MountCheck c = check(standard(), rw(roRoot.resolve("docs")));
        assertTrue(c.accepted().get(0).readOnly());
        assertEquals(List.of(roRoot.resolve("docs").toString()), c.downgraded());
    }

    @Test
    void aReadOnlyRootInsideAReadWriteRootKeepsItsPartReadOnly() {
        MountAllowlist nested = roots(new AllowedRoot(base.resolve("roots"), true, null),
                new AllowedRoot(roRoot, false, null));
        assertTrue(check(nested, rw(roRoot.resolve("docs"))).accepted().get(0).readOnly());
        assertFalse(check(nested, rw(rwRoot.resolve("work"))).accepted().get(0).readOnly());
    }

    @Test
    void tildeMeansTheUsersHome() throws Exception {
        Files.createDirectories(userHome.resolve("notes"));
        MountCheck c = check(roots(new AllowedRoot(userHome, false, null)), ro("~/notes"));
        assertEquals(userHome.resolve("notes").toString(), c.accepted().get(0).hostPath());
        assertEquals("/workspace/extra/notes", c.accepted().get(0).containerPath());
    }

    @Test
    void aSymlinkAsTheHostPathIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(roRoot.resolve("link"), roRoot.resolve("docs"));
        assertHas(refusal(standard(), ro(link)), "symlink");
        Path out = Files.createSymbolicLink(roRoot.resolve("out"), outside);
        assertHas(refusal(standard(), ro(out)), "symlink");
    }

    @Test
    void aSymlinkedParentFolderIsRefused() throws Exception {
        Path linkDir = Files.createSymbolicLink(roRoot.resolve("linkdir"), roRoot.resolve("docs"));
        assertTrue(Files.isDirectory(linkDir.resolve("sub")));
        assertHas(refusal(standard(), ro(linkDir.resolve("sub"))), "symlink");
    }

    @Test
    void dotDotThatLeavesTheRootIsRefused() {
        String escape = roRoot + "/docs/../../../outside";
        assertTrue(Files.isDirectory(Path.of(escape)));
        assertHas(refusal(standard(), ro(escape)), "not inside any allowed root");
    }

    @Test
    void aPathOutsideEveryRootIsRefused() {
        assertHas(refusal(standard(), ro(outside)), "not inside any allowed root");
        assertHas(refusal(standard(), ro(base.resolve("roots"))), "not inside any allowed root");
    }

    @Test
    void aRelativeOrMissingHostPathIsRefused() {
        assertHas(refusal(standard(), ro("roots/ro/docs")), "absolute");
        assertHas(refusal(standard(), ro("~other/docs")), "absolute");
        assertHas(refusal(standard(), ro(roRoot.resolve("nope"))), "does not exist");
    }

    @Test
    void sshInTheHomeIsBlocked() throws Exception {
        Files.createDirectories(userHome.resolve(".ssh"));
        MountAllowlist home = roots(new AllowedRoot(userHome, true, null));
        assertHas(refusal(home, ro("~/.ssh")), "blocked pattern '.ssh'");
    }

    @Test
    void aFolderNamedAfterAKeyAndTheKeyItselfAreBlocked() throws Exception {
        Path keys = Files.createDirectories(roRoot.resolve("old-id_rsa-backup"));
        assertHas(refusal(standard(), ro(keys)), "blocked pattern 'id_rsa'");
        Path key = Files.writeString(Files.createDirectories(roRoot.resolve("keys")).resolve("id_rsa"), "k");
        assertHas(refusal(standard(), ro(key)), "blocked pattern 'id_rsa'");
    }

    @Test
    void aDotEnvFileAndEverythingBelowABlockedNameAreBlocked() throws Exception {
        Path x = Files.createDirectories(roRoot.resolve("x"));
        Path env = Files.writeString(x.resolve(".env"), "KEY=v");
        assertHas(refusal(standard(), ro(env)), "blocked pattern '.env'");
        Path below = Files.createDirectories(roRoot.resolve(".aws/cache"));
        assertHas(refusal(standard(), ro(below)), "blocked pattern '.aws'");
        Path upper = Files.createDirectories(roRoot.resolve("Backup.SSH"));
        assertHas(refusal(standard(), ro(upper)), "blocked pattern '.ssh'");
    }

    @Test
    void thePatternsOfTheFileAreAddedToTheDefaults() throws Exception {
        Path tax = Files.createDirectories(roRoot.resolve("tax-returns-2025"));
        MountAllowlist withOwn = new MountAllowlist(standard().roots(), List.of("tax-returns"));
        assertHas(refusal(withOwn, ro(tax)), "blocked pattern 'tax-returns'");
        assertEquals(1, check(standard(), ro(tax)).accepted().size());
        Files.createDirectories(roRoot.resolve(".gnupg"));
        assertHas(refusal(withOwn, ro(roRoot.resolve(".gnupg"))), "blocked pattern '.gnupg'");
    }

    @Test
    void installDataGroupsAndProjectAreRefusedEvenInsideARoot() {
        MountAllowlist everything = roots(new AllowedRoot(base, true, null));
        assertHas(refusal(everything, ro(install.resolve("data"))), "inside the install's data folder");
        assertHas(refusal(everything, ro(install.resolve("data/sessions"))), "inside the install's data folder");
        assertHas(refusal(everything, ro(install.resolve("groups/main"))), "inside the agent groups folder");
        assertHas(refusal(everything, ro(project.resolve("src"))), "inside the NanoClaw project folder");
        // Nor may a mount contain them.
        assertHas(refusal(everything, ro(install)), "contains the install's data folder");
        assertHas(refusal(everything, rw(base)), "contains");
    }

    @Test
    void containerPathsMustBeOneSafeName() {
        Path docs = roRoot.resolve("docs");
        assertHas(refusal(standard(), named(docs, "../x")), "container path");
        assertHas(refusal(standard(), named(docs, "a/b")), "container path");
        assertHas(refusal(standard(), named(docs, "a:b")), "container path");
        assertHas(refusal(standard(), named(docs, "")), "container path is empty");
        assertHas(refusal(standard(), named(docs, "..")), "container path");
        assertHas(refusal(standard(), named(docs, "/abs")), "container path");
        assertEquals("/workspace/extra/my.docs-1_x",
                check(standard(), named(docs, "my.docs-1_x")).accepted().get(0).containerPath());
    }

    @Test
    void aDuplicateContainerPathIsRefusedAndTheFirstKept() throws Exception {
        Path other = Files.createDirectories(rwRoot.resolve("docs"));
        MountCheck c = check(standard(), ro(roRoot.resolve("docs")), ro(other), named(rwRoot.resolve("work"), "docs"));
        assertEquals(1, c.accepted().size());
        assertEquals(roRoot.resolve("docs").toString(), c.accepted().get(0).hostPath());
        assertEquals(2, c.rejected().size());
        c.rejected().forEach(r -> assertHas(r.reason(), "already used"));
    }

    @Test
    void aRefusedMountDoesNotTakeItsNameFromALaterOne() throws Exception {
        Path missing = roRoot.resolve("gone/docs");
        MountCheck c = check(standard(), ro(missing), ro(roRoot.resolve("docs")));
        assertEquals(1, c.accepted().size());
        assertEquals(1, c.rejected().size());
    }

    @Test
    void socketsAndBindBreakingCharactersAreRefused() throws Exception {
        Path sock = roRoot.resolve("engine.sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(sock));
            assertHas(refusal(standard(), named(sock, "engine")), "not a regular file or folder");
        }
        Path colon = Files.createDirectories(roRoot.resolve("a:b"));
        assertHas(refusal(standard(), named(colon, "ab")), "':'");
    }

    @Test
    void everyMountIsJudgedOnItsOwn() {
        List<RequestedMount> many = new ArrayList<>();
        many.add(ro(roRoot.resolve("docs")));
        many.add(ro(outside));
        many.add(rw(rwRoot.resolve("work")));
        MountCheck c = validator().check(standard(), many);
        assertEquals(2, c.accepted().size());
        assertEquals(1, c.rejected().size());
        assertEquals(outside.toString(), c.rejected().get(0).hostPath());
        assertEquals("outside", c.rejected().get(0).containerPath());
    }
}
