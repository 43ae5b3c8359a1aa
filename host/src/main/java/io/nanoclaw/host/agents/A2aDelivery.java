package io.nanoclaw.host.agents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.attachments.InboxWriter;
import io.nanoclaw.host.attachments.OutboxFiles;
import io.nanoclaw.host.attachments.OutboxRefusedException;
import io.nanoclaw.host.delivery.OutboundRow;
import io.nanoclaw.host.delivery.UndeliverableException;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.Destinations;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.routing.SessionWaker;
import io.nanoclaw.host.sessions.InboundRow;
import io.nanoclaw.host.sessions.InboundWriter;
import io.nanoclaw.host.sessions.SessionFolders;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.protocol.MessageIds;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Delivers an out row addressed {@code ('agent', target group)} (host.md 6.6): checks the ACL and the caps, picks
 * the target session (the return path first), hands over the row's files into the target's inbox, writes the row
 * into the target's inbound.db as a triggering chat from the sender, and wakes the target.
 */
@Singleton
public class A2aDelivery {
    private static final Logger LOG = Logger.getLogger(A2aDelivery.class);

    @Inject
    AgentGroups agentGroups;
    @Inject
    Destinations destinations;
    @Inject
    Sessions sessions;
    @Inject
    SessionResolver resolver;
    @Inject
    SessionFolders folders;
    @Inject
    InboundWriter inbound;
    @Inject
    A2aLookups lookups;
    @Inject
    A2aLimits limits;
    @Inject
    OutboxFiles outbox;
    @Inject
    InboxWriter inbox;
    @Inject
    SessionWaker waker;

    /** @return the id of the row written into the target's inbound.db (recorded as the platform message id). */
    public String deliver(Session s, OutboundRow row, ObjectNode content) throws UndeliverableException {
        String target = row.platformId();
        if (target == null || target.isEmpty()) {
            throw new UndeliverableException("an agent message without a target agent group");
        }
        AgentGroup targetGroup = agentGroups.byId(target)
                .orElseThrow(() -> new UndeliverableException("agent group " + target + " does not exist"));
        String source = s.agentGroupId();
        if (!target.equals(source) && !destinations.allowsAgent(source, target)) {
            throw new UndeliverableException("this agent has no destination for agent " + targetGroup.name());
        }
        List<String> names;
        try {
            names = OutboxFiles.fileNames(content);
        } catch (OutboxRefusedException e) {
            throw new UndeliverableException(e.getMessage());
        }
        String why = limits.admit(source, target, s.id(), lookups.latestHumanMessage(s));
        if (why != null) {
            String called = destinations.nameOfAgent(source, target).orElse(targetGroup.name());
            throw new A2aLimitReached("Message to " + called + " not delivered: agent-to-agent limit reached (" + why
                    + "); wait for the user or ask them.",
                    limits.firstRefusal(source, target) ? "The agents stopped messaging each other: the agent-to-agent "
                            + "limit was reached (" + why + "). Reply to let them go on." : null);
        }
        Session to = targetSession(s, row, target);
        String a2aId = MessageIds.next("a2a");
        if (!names.isEmpty()) {
            handOverFiles(s, row, names, to, a2aId, content);
        }
        inbound.write(target, to.id(), new InboundRow(a2aId, "chat", source, "agent", null, content.toString(), true,
                false, null, s.id()));
        waker.wake(to);
        LOG.debugf("a2a %s: session %s (%s) -> session %s (%s)", a2aId, s.id(), source, to.id(), target);
        return a2aId;
    }

    /** host.md 6.6 step 2: the return path, else peer affinity, else the newest active session, else a new one. */
    private Session targetSession(Session s, OutboundRow row, String target) {
        Optional<Session> found = Optional.empty();
        if (row.inReplyTo() != null) {
            found = usable(lookups.originOf(s, row.inReplyTo()), target);
        }
        if (found.isEmpty()) {
            found = usable(lookups.latestFrom(s, target), target);
        }
        if (found.isEmpty()) {
            found = sessions.newestActive(target);
        }
        // Its own session, with no chat: its replies go to agents by name, or nowhere (agent-shared routing).
        return found.orElseGet(() -> resolver.resolve(target, null, null, "agent-shared"));
    }

    /** The candidate must still be active and belong to the target (a reference can't send a row elsewhere). */
    private Optional<Session> usable(Optional<String> sessionId, String target) {
        return sessionId.flatMap(sessions::byId)
                .filter(c -> "active".equals(c.status()) && target.equals(c.agentGroupId()));
    }

    /**
     * Copies the staged (checked) outbox files into the target's {@code inbox/<a2aId>/} through InboxWriter, with
     * its safety checks; {@code files} (names in the sender's outbox) becomes {@code attachments} with localPaths.
     */
    private void handOverFiles(Session s, OutboundRow row, List<String> names, Session to, String a2aId,
                               ObjectNode content) throws UndeliverableException {
        Path sourceDir = folders.sessionDir(s.agentGroupId(), s.id());
        ArrayNode atts = content.putArray("attachments");
        try (OutboxFiles.Staged staged = outbox.stage(sourceDir, row.id(), names)) {
            for (Path f : staged.files()) {
                atts.addObject().put("name", f.getFileName().toString())
                        .put("data", Base64.getEncoder().encodeToString(Files.readAllBytes(f)));
            }
        } catch (OutboxRefusedException e) {
            throw new UndeliverableException(e.getMessage());
        } catch (IOException e) {
            throw new UndeliverableException("the files could not be read: " + e.getMessage());
        }
        content.remove("files");
        inbox.extract(folders.sessionDir(to.agentGroupId(), to.id()), a2aId, content);
        outbox.cleanup(sourceDir, row.id());
    }
}
