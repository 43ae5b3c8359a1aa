package io.nanoclaw.host.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.cli.NclHandler;
import io.nanoclaw.host.containers.ContainerRunner;
import io.nanoclaw.host.containers.ContainerSlots;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.delivery.DeliveryService;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.sessions.SessionDbs;
import io.nanoclaw.host.sessions.Sessions;
import io.nanoclaw.host.typing.TypingIndicators;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * {@code ncl sessions close --id <session>}: ends a session. It is marked {@code closed} first, so the router opens
 * a new session for the next message in that chat, the sweep no longer wakes it and a queued start leaves the queue;
 * then its place in the container queue is dropped, its container (if running) is stopped, replies it already wrote
 * are delivered once more, and the host forgets its delivery state and closes its DB connections. The session's
 * folder and DBs stay on disk (backups and {@code sessions get} still see them).
 */
@Singleton
public class SessionsCloseCommand implements NclHandler {
    private static final Logger LOG = Logger.getLogger(SessionsCloseCommand.class);

    @Inject
    Sessions sessions;
    @Inject
    Db db;
    @Inject
    ContainerRunner runner;
    @Inject
    ContainerSlots slots;
    @Inject
    TypingIndicators typing;
    @Inject
    DeliveryService delivery;
    @Inject
    SessionDbs sessionDbs;

    @Override
    public String command() {
        return "sessions-close";
    }

    @Override
    public NclAccess access() {
        return NclAccess.APPROVAL;
    }

    @Override
    public String summary() {
        return "closes a session: stops its container, delivers what it wrote, forgets its delivery state";
    }

    public String usage() {
        return "--id <session>";
    }

    public void validate(NclCall call) throws NclException {
        find(call);
    }

    private Session find(NclCall call) throws NclException {
        String id = call.require("id");
        Session s = sessions.byId(id).orElse(null);
        // An agent limited to its group does not learn that other groups' sessions exist (host.md 9).
        if (s == null || (call.caller() != null && call.caller().groupScoped()
                && !s.agentGroupId().equals(call.caller().agentGroupId()))) {
            throw new NclException(NclException.NOT_FOUND, "session " + id + " not found");
        }
        return s;
    }

    @Override
    public JsonNode handle(NclCall call) throws NclException {
        Session s = find(call);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", s.id());
        out.put("group", s.agentGroupId());
        boolean running = runner.isRunning(s.id());
        if ("closed".equals(s.status()) && !running && !slots.isQueued(s.id())) {
            out.put("status", "closed");
            out.put("alreadyClosed", true);
            return out;
        }
        db.update("UPDATE sessions SET status = 'closed' WHERE id = ?", s.id());
        boolean leftQueue = slots.drop(s.id());
        if (running) {
            runner.stop(s.id()); // its exit marks the container stopped and frees the slot
        } else {
            sessions.setContainerStatus(s.id(), "stopped");
        }
        typing.stop(s.id());
        try {
            delivery.drain(s);
        } catch (RuntimeException e) {
            LOG.warnf("session %s: delivering its last replies at close failed: %s", s.id(), e.getMessage());
        }
        delivery.forget(s.id());
        sessionDbs.close(s.id());
        LOG.infof("session %s closed (ncl)%s", s.id(), running ? ", its container stopped" : "");
        out.put("status", "closed");
        out.put("alreadyClosed", false);
        out.put("containerStopped", running);
        out.put("leftQueue", leftQueue);
        return out;
    }
}
