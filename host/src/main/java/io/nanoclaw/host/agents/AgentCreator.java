package io.nanoclaw.host.agents;

import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.Destinations;
import io.nanoclaw.host.sessions.DestinationProjection;
import io.nanoclaw.host.sessions.SessionFolders;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Creates a child agent for a parent agent group (host.md 6.2): a group with its container config, its folder with
 * CLAUDE.local.md seeded from the instructions, and destinations both ways (the parent calls the child by its slug,
 * the child calls its creator "parent"). Permission is the caller's business (CreateAgentHandler, or an approval).
 */
@Singleton
public class AgentCreator {
    private static final Logger LOG = Logger.getLogger(AgentCreator.class);
    public static final String PARENT = "parent";

    @Inject
    Db db;
    @Inject
    HostConfig config;
    @Inject
    AgentGroups agentGroups;
    @Inject
    SessionFolders folders;
    @Inject
    DestinationProjection projection;

    /** What was made: the new group and the name its parent uses for it. */
    public record Created(AgentGroup group, String destinationName) {
        public String note() {
            return "Agent " + group.name() + " is ready: message it with <message to=\"" + destinationName
                    + "\">…</message>.";
        }
    }

    public Created create(String parentGroupId, String name, String instructions) throws CreateAgentRefused {
        String problem = AgentNames.problem(name);
        if (problem != null) {
            throw new CreateAgentRefused("create_agent failed: " + problem + ".");
        }
        String display = name.strip();
        String slug = AgentNames.slug(display);
        if (agentGroups.byId(parentGroupId).isEmpty()) {
            throw new CreateAgentRefused("create_agent failed: your agent group no longer exists.");
        }
        Created created;
        try {
            created = db.inTransaction(c -> {
                if (Destinations.nameTaken(c, parentGroupId, slug)) {
                    return null;
                }
                String folder = freeFolder(c, slug);
                AgentGroup child = agentGroups.create(c, display, folder);
                Destinations.addAgentDestination(c, parentGroupId, slug, child.id());
                Destinations.addAgentDestination(c, child.id(), PARENT, parentGroupId);
                // Last, so a folder that can't be made rolls the rows back and nothing half-made is left.
                seedFolder(folder, instructions);
                return new Created(child, slug);
            });
        } catch (UncheckedIOException e) {
            throw new CreateAgentRefused("create_agent failed: its folder could not be made ("
                    + e.getCause().getMessage() + ").");
        }
        if (created == null) {
            throw new CreateAgentRefused("create_agent failed: you already have a destination named '" + slug
                    + "'; choose another name for the new agent.");
        }
        // The runner reads the destinations table each turn: the parent can use the new name at once.
        projection.reproject(parentGroupId);
        LOG.infof("agent group %s created agent %s (%s, folder %s)", parentGroupId, display, created.group().id(),
                created.group().folder());
        return created;
    }

    /**
     * A top-level agent group (no parent), as the new-chat card's "new agent" reply makes it (host.md 4.8): folder =
     * the name's slug, with -2, -3… on a clash, and an empty CLAUDE.local.md.
     */
    public AgentGroup createTopLevel(String name) throws CreateAgentRefused {
        return createTopLevel(name, null, null);
    }

    /**
     * A top-level agent group as {@code ncl groups create} makes it: the same rows, folder and memory file as every
     * other way of creating one. A folder named by the operator must be free; without one, the name's slug (-2,
     * -3… on a clash) is used.
     */
    public AgentGroup createTopLevel(String name, String folder, String instructions) throws CreateAgentRefused {
        String problem = AgentNames.problem(name);
        if (problem != null) {
            throw new CreateAgentRefused("The agent could not be created: " + problem + ".");
        }
        if (folder != null) {
            try {
                AgentGroups.validateFolder(folder);
            } catch (IllegalArgumentException e) {
                throw new CreateAgentRefused("The agent could not be created: " + e.getMessage() + ".");
            }
        }
        String display = name.strip();
        String slug = AgentNames.slug(display);
        try {
            AgentGroup g = db.inTransaction(c -> {
                if (folder != null && folderTaken(c, folder)) {
                    return null;
                }
                String f = folder != null ? folder : freeFolder(c, slug);
                AgentGroup made = agentGroups.create(c, display, f);
                seedFolder(f, instructions);
                return made;
            });
            if (g == null) {
                throw new CreateAgentRefused("The agent could not be created: the folder '" + folder
                        + "' is taken (by another agent group or by something in groups/).");
            }
            LOG.infof("agent %s created from a new-chat card (%s, folder %s)", display, g.id(), g.folder());
            return g;
        } catch (UncheckedIOException e) {
            throw new CreateAgentRefused("The agent could not be created: its folder could not be made ("
                    + e.getCause().getMessage() + ").");
        }
    }

    /** The slug, or slug-2, slug-3, ...: taken means a group has it (any case) or something is on disk by it. */
    private String freeFolder(Connection c, String slug) throws SQLException {
        String folder = slug;
        for (int n = 2; folderTaken(c, folder); n++) {
            folder = slug + "-" + n;
        }
        return folder;
    }

    private boolean folderTaken(Connection c, String folder) throws SQLException {
        if (folder.equalsIgnoreCase("global")
                || Files.exists(config.groupsDir().resolve(folder), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try (PreparedStatement ps = Db.prepare(c, "SELECT 1 FROM agent_groups WHERE folder = ? COLLATE NOCASE",
                folder); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /**
     * A new folder (createDirectory fails on anything already there, a symlink too) and CLAUDE.local.md made with
     * CREATE_NEW and NOFOLLOW_LINKS (O_EXCL), so nothing outside the folder can be written through a planted link.
     */
    private void seedFolder(String folder, String instructions) {
        Path dir = config.groupsDir().resolve(folder);
        Path memory = dir.resolve("CLAUDE.local.md");
        boolean made = false;
        try {
            Files.createDirectories(config.groupsDir());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            made = true;
            byte[] text = instructions == null ? new byte[0] : instructions.getBytes(StandardCharsets.UTF_8);
            try (SeekableByteChannel ch = Files.newByteChannel(memory, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")))) {
                ByteBuffer buf = ByteBuffer.wrap(text);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            // No container mounts the folder yet, so nothing can have swapped these paths since we made them.
            folders.giveToContainer(dir);
            folders.giveToContainer(memory);
        } catch (IOException e) {
            try {
                if (!made) {
                    throw new UncheckedIOException(e); // not ours: leave whatever is there alone
                }
                Files.deleteIfExists(memory);
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // best effort: a leftover empty folder only makes the next try use -2
            }
            throw new UncheckedIOException(e);
        }
    }
}
