package io.nanoclaw.runner.tools.nanoclaw;

import io.nanoclaw.runner.store.Destination;
import io.nanoclaw.runner.store.Routing;
import io.nanoclaw.runner.store.ToolInbound;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * upstream's {@code resolveRouting(to?)} (agent-runner.md 3.1): the destinations table is both the address book
 * and the list of what this agent may reach; the host checks again on delivery.
 */
final class Routes {
    static final String CURRENT_CONVERSATION = "(current conversation)";

    private Routes() {}

    static Route resolve(ToolInbound inbound, String to) throws Refusal, SQLException {
        Optional<Routing> session = inbound.sessionRouting();
        if (to == null) {
            if (session.isPresent()) {
                return new Route(session.get(), CURRENT_CONVERSATION);
            }
            // No chat of its own (agent-shared or internal session): a single destination is unambiguous.
            List<Destination> all = inbound.destinations();
            if (all.isEmpty()) {
                throw new Refusal("No destinations configured.");
            }
            if (all.size() > 1) {
                throw new Refusal("You have multiple destinations — specify \"to\". Options: " + names(all));
            }
            to = all.get(0).name();
        }
        String wanted = to;
        List<Destination> all = inbound.destinations();
        Destination d = all.stream().filter(x -> x.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new Refusal("Unknown destination \"" + wanted + "\". Known: "
                        + (all.isEmpty() ? "(none)" : names(all))));
        if (d.isAgent()) {
            return new Route(new Routing(d.agentGroupId(), "agent", null), to);
        }
        // The session's thread only when this is the session's own chat; elsewhere a send starts a new thread.
        String thread = session.filter(s -> s.channelType().equals(d.channelType())
                && s.platformId().equals(d.platformId())).map(Routing::threadId).orElse(null);
        return new Route(new Routing(d.platformId(), d.channelType(), thread), to);
    }

    private static String names(List<Destination> all) {
        return all.stream().map(Destination::name).collect(Collectors.joining(", "));
    }
}
