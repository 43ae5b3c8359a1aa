package io.nanoclaw.host.channels.pairing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.channels.ChannelNotices;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Now;
import io.nanoclaw.host.entities.Users;
import io.nanoclaw.host.entities.Wirings;
import io.nanoclaw.host.sessions.DestinationProjection;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Owner setup from a chat (host.md 4.2: "the first owner comes from setup or Telegram pairing"). The operator asks
 * for a one-time code ({@code ncl pairing create}); whoever sends exactly that code to the bot in a private chat
 * within the hour becomes an owner, and that chat is wired to the main agent group. The code lives in
 * {@code data/pairing-code} (0600) so it survives a restart, is used once, and is never logged. Wrong six-digit
 * guesses are counted: after {@value #MAX_WRONG_GUESSES} the code is void, so nobody can walk the million codes.
 * Any channel can call {@link #tryPair} before routing a direct message.
 */
@Singleton
public class PairingCodes {
    private static final Logger LOG = Logger.getLogger(PairingCodes.class);
    static final Duration TTL = Duration.ofHours(1);
    static final int MAX_WRONG_GUESSES = 10;
    static final String MAIN_FOLDER = "main";

    /** A code just issued. */
    public record Issued(String code, Instant expiresAt) {}

    @Inject
    HostConfig config;
    @Inject
    Db db;
    @Inject
    AgentGroups agentGroups;
    @Inject
    MessagingGroups messagingGroups;
    @Inject
    Wirings wirings;
    @Inject
    Users users;
    @Inject
    DestinationProjection projection;
    @Inject
    ChannelNotices notices;

    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper mapper = new ObjectMapper();
    private int wrongGuesses;

    Path file() {
        return config.dataDir().resolve("pairing-code");
    }

    /** A fresh code, replacing any pending one. */
    public synchronized Issued issue() throws IOException {
        String code = String.format("%06d", random.nextInt(1_000_000));
        Instant expires = Instant.now().plus(TTL).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Path f = file();
        Files.createDirectories(f.getParent());
        Path tmp = f.resolveSibling("pairing-code.tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, mapper.createObjectNode().put("code", code).put("expiresAt", expires.toString())
                .toString(), StandardCharsets.UTF_8);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        wrongGuesses = 0;
        LOG.info("a pairing code was issued (valid for 1 hour, shown only to the operator)");
        return new Issued(code, expires);
    }

    /**
     * Called by an adapter for a direct (private) message before routing it. When the text is the pending code
     * ({@code 123456}, or {@code /start 123456} from a Telegram deep link), the sender becomes an owner, the chat is
     * wired to the main agent group, the code is spent, the chat is told, and this returns true: the message must
     * then not be routed. Otherwise false and nothing changes.
     */
    public synchronized boolean tryPair(String channelType, String platformId, String handle, String name,
                                        String text) {
        String candidate = candidate(text);
        if (candidate == null || handle == null || handle.isBlank()) {
            return false;
        }
        Optional<String[]> pending = read();
        if (pending.isEmpty()) {
            return false;
        }
        Instant expires = Instant.parse(pending.get()[1]);
        if (Instant.now().isAfter(expires)) {
            discard("expired");
            return false;
        }
        if (!MessageDigest.isEqual(candidate.getBytes(StandardCharsets.US_ASCII),
                pending.get()[0].getBytes(StandardCharsets.US_ASCII))) {
            if (++wrongGuesses >= MAX_WRONG_GUESSES) {
                discard("voided after " + wrongGuesses + " wrong guesses; issue a new one");
            }
            return false;
        }
        discard(null); // single use, before anything else can fail
        String userId = Users.userId(channelType, handle);
        String agentName = pair(channelType, platformId, userId, name);
        LOG.infof("pairing: %s is now an owner; chat %s:%s is wired to %s", userId, channelType, platformId,
                agentName == null ? "no agent (there is no agent group)" : agentName);
        notices.send(channelType, platformId, null, agentName == null
                ? "Paired: you are the owner of this assistant. There is no agent group to talk to yet."
                : "Paired: you are the owner of this assistant, and this chat now talks to " + agentName
                        + ". Say hello!");
        return true;
    }

    /** The code in a message, or null when it doesn't look like one (most messages: no file read). */
    static String candidate(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.startsWith("/start ")) {
            t = t.substring(7).strip();
        }
        return t.matches("[0-9]{6}") ? t : null;
    }

    /** @return the agent group's name the chat is wired to, or null when there is none */
    private String pair(String channelType, String platformId, String userId, String name) {
        Optional<AgentGroup> main = agentGroups.list().stream().filter(g -> MAIN_FOLDER.equals(g.folder()))
                .findFirst().or(() -> agentGroups.list().stream().findFirst());
        Optional<MessagingGroup> existing = messagingGroups.find(channelType, platformId);
        boolean wired = existing.isPresent() && main.isPresent() && wirings.forMessagingGroup(existing.get().id())
                .stream().anyMatch(w -> w.agentGroupId().equals(main.get().id()));
        db.inTransaction(c -> {
            users.upsert(c, userId, channelType, name);
            users.grant(c, userId, "owner", null, "pairing");
            MessagingGroup mg = existing.isPresent() ? existing.get()
                    : messagingGroups.create(c, channelType, platformId, name, false, "strict");
            if (existing.isPresent() && existing.get().deniedAt() != null) {
                Db.exec(c, "UPDATE messaging_groups SET denied_at = NULL WHERE id = ?", mg.id());
            }
            if (main.isPresent() && !wired) {
                wirings.create(c, mg, main.get().id(), "pattern", ".", "known", "drop", "shared", 0);
            }
            Db.exec(c, "INSERT INTO user_dms(user_id, channel_type, messaging_group_id, resolved_at) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT(user_id, channel_type) DO UPDATE SET "
                    + "messaging_group_id = excluded.messaging_group_id, resolved_at = excluded.resolved_at",
                    userId, channelType, mg.id(), Now.iso());
            return null;
        });
        if (main.isPresent() && !wired) {
            projection.reproject(main.get().id());
        }
        return main.map(AgentGroup::name).orElse(null);
    }

    /** {code, expiresAt} of the pending code, if any and readable. */
    private Optional<String[]> read() {
        Path f = file();
        try {
            if (!Files.isRegularFile(f)) {
                return Optional.empty();
            }
            JsonNode n = mapper.readTree(Files.readString(f, StandardCharsets.UTF_8));
            String code = n.path("code").asText("");
            String expires = n.path("expiresAt").asText("");
            Instant.parse(expires);
            return code.matches("[0-9]{6}") ? Optional.of(new String[] {code, expires}) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("pairing: %s is unreadable (%s); issue a new code", f, e.getMessage());
            return Optional.empty();
        }
    }

    private void discard(String why) {
        try {
            Files.deleteIfExists(file());
        } catch (IOException e) {
            LOG.warnf("pairing: could not delete %s: %s", file(), e.getMessage());
        }
        wrongGuesses = 0;
        if (why != null) {
            LOG.infof("pairing code %s", why);
        }
    }
}
