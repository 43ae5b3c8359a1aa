package io.nanoclaw.host.containers;

import io.nanoclaw.host.channels.ChannelNotices;
import io.nanoclaw.host.delivery.AgentNotes;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionDbs;
import io.nanoclaw.protocol.SessionDb;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * What happens after a container was killed at its memory limit (the engine's OOM flag on exit).
 *
 * <p>The messages it had claimed ({@code processing} in outbound.db, read read-only) and not finished are marked
 * {@code failed} in inbound.db: running them again would most likely hit the limit again, and the sweep would
 * otherwise retry them five times, each retry another kill. The user is told in the chat the message came from,
 * with the limit and how to raise it, and the agent gets a note it reads with its next batch. Nothing is restarted:
 * the next message starts a fresh container.
 *
 * <p>The runner calls {@link #settle} before the session stops counting as running, so the sweep's claim reset
 * (which acts only on stopped sessions and only on pending rows) never sees these claims as stuck, and no new
 * container can start and drop the claims before they are read. It calls {@link #tellUser} after: a user who
 * answers the notice at once must find the session stopped, so that their message starts a fresh container.
 *
 * <p>A flag with nothing in flight (a child process such as a build was killed earlier and the agent carried on,
 * which Docker also reports as OOMKilled) is only logged: the agent saw its command fail at the time.
 */
@Singleton
public class MemoryLimitKills {
    private static final Logger LOG = Logger.getLogger(MemoryLimitKills.class);

    @Inject
    SessionDbs dbs;
    @Inject
    ChannelNotices notices;
    @Inject
    AgentNotes notes;
    @Inject
    AgentGroups agentGroups;
    @Inject
    MessagingGroups messagingGroups;

    /** A message the killed container was working on, with the chat it came from. */
    public record Lost(String messageId, String channelType, String platformId, String threadId) {}

    /**
     * Marks the killed container's unfinished messages failed and leaves the agent a note; returns them (empty when
     * nothing was in flight). Never throws.
     */
    public List<Lost> settle(Session s, long memoryMb, int exitCode) {
        try {
            List<String> claimed = claims(s);
            List<Lost> lost = claimed.isEmpty() ? List.of() : fail(s, claimed);
            if (lost.isEmpty()) {
                LOG.warnf("session %s: container exited (%d); a process in it had hit the memory limit (%d MB), "
                        + "with no message in flight", s.id(), exitCode, memoryMb);
                return lost;
            }
            LOG.warnf("session %s: container killed at its memory limit (%d MB) while working on %d message(s); "
                    + "they are marked failed", s.id(), memoryMb, lost.size());
            notes.tell(s, "Host note: your last container was killed at its memory limit (" + memoryMb
                    + " MB) while you were working on a message; that work was lost, the message is marked failed "
                    + "and the user was told. Avoid commands that need that much memory (or work in smaller "
                    + "pieces), or suggest raising this agent group's memory limit (container_configs.memory_mb).");
            return lost;
        } catch (RuntimeException e) {
            LOG.errorf(e, "session %s: handling a memory-limit kill failed", s.id());
            return List.of();
        }
    }

    /** Claims the container made and never finished; outbound.db is only read. */
    private List<String> claims(Session s) {
        List<String> ids = dbs.withOutbound(s.agentGroupId(), s.id(), c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT message_id FROM processing_ack WHERE status = 'processing'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        return ids == null ? List.of() : ids;
    }

    /** Marks the still-pending ones failed, in one transaction; rows already settled are left as they are. */
    private List<Lost> fail(Session s, List<String> claimed) {
        return dbs.withInbound(s.agentGroupId(), s.id(), c -> SessionDb.inImmediateTransaction(c, () -> {
            List<Lost> out = new ArrayList<>();
            try (PreparedStatement read = c.prepareStatement("SELECT channel_type, platform_id, thread_id "
                    + "FROM messages_in WHERE id = ? AND status = 'pending'");
                 PreparedStatement mark = c.prepareStatement(
                         "UPDATE messages_in SET status = 'failed' WHERE id = ? AND status = 'pending'")) {
                for (String id : claimed) {
                    read.setString(1, id);
                    try (ResultSet rs = read.executeQuery()) {
                        if (!rs.next()) {
                            continue;
                        }
                        out.add(new Lost(id, rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                    mark.setString(1, id);
                    mark.executeUpdate();
                }
            }
            return out;
        }));
    }

    /**
     * One notice per chat the lost messages came from; the session's own chat when none is a user's chat. Never
     * throws.
     */
    public void tellUser(Session s, List<Lost> lost, long memoryMb) {
        if (lost.isEmpty()) {
            return;
        }
        try {
            notice(s, lost, memoryMb);
        } catch (RuntimeException e) {
            LOG.errorf(e, "session %s: telling the user about a memory-limit kill failed", s.id());
        }
    }

    private void notice(Session s, List<Lost> lost, long memoryMb) {
        record Chat(String channelType, String platformId, String threadId) {}
        Set<Chat> chats = new LinkedHashSet<>();
        for (Lost l : lost) {
            if (l.channelType() != null && l.platformId() != null && !"agent".equals(l.channelType())) {
                chats.add(new Chat(l.channelType(), l.platformId(), l.threadId()));
            }
        }
        if (chats.isEmpty() && s.messagingGroupId() != null) {
            messagingGroups.byId(s.messagingGroupId())
                    .ifPresent(mg -> chats.add(new Chat(mg.channelType(), mg.platformId(), s.threadId())));
        }
        String group = agentGroups.byId(s.agentGroupId()).map(g -> " of agent group '" + g.name() + "'").orElse("");
        String text = "The agent ran out of memory (limit " + memoryMb + " MB) and was stopped while working on "
                + "your message; it was not finished. Send it again to retry, perhaps asking for a lighter approach. "
                + "To give the agent more memory, raise memory_mb in the container config" + group
                + " (container_configs.memory_mb); it applies from the next start.";
        for (Chat chat : chats) {
            notices.send(chat.channelType(), chat.platformId(), chat.threadId(), text);
        }
        if (chats.isEmpty()) {
            LOG.warnf("session %s: no chat to tell about the memory-limit kill (messages %s)", s.id(),
                    lost.stream().map(Lost::messageId).filter(Objects::nonNull).toList());
        }
    }
}
