package io.nanoclaw.host.routing;

import io.nanoclaw.host.channels.ChannelNotices;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.Users;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Set;

/**
 * Slash commands before they reach an agent (host.md 1.1 step 4). Commands that only make sense for Claude Code's
 * own terminal are dropped; admin commands need an owner or admin. A refusal is answered straight through the
 * channel adapter: the host never writes outbound.db.
 */
@Singleton
public class CommandGate {
    static final Set<String> DROPPED = Set.of("/help", "/login", "/logout", "/doctor", "/config", "/remote-control");
    static final Set<String> ADMIN = Set.of("/clear", "/compact", "/context", "/cost", "/files");

    @Inject
    Users users;
    @Inject
    ChannelNotices notices;

    /** @return true when the message may be written for the agent. */
    boolean admits(String text, String userId, String agentGroupId, MessagingGroup mg, String thread) {
        String first = firstToken(text);
        if (first == null) {
            return true;
        }
        if (DROPPED.contains(first)) {
            return false;
        }
        if (ADMIN.contains(first) && !users.isAdmin(userId, agentGroupId)) {
            notices.send(mg.channelType(), mg.platformId(), thread,
                    "Permission denied: " + first + " requires admin access.");
            return false;
        }
        return true;
    }

    static String firstToken(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (!t.startsWith("/")) {
            return null;
        }
        int sp = t.indexOf(' ');
        return (sp < 0 ? t : t.substring(0, sp)).toLowerCase(Locale.ROOT);
    }
}
