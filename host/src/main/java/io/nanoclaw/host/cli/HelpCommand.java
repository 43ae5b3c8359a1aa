package io.nanoclaw.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** {@code ncl help} and {@code ncl <resource> help}: the commands this caller may run, one row each. */
@Singleton
public class HelpCommand extends NclCommand {
    @Inject
    NclDispatcher dispatcher;

    public HelpCommand() {
        super("help", NclAccess.OPEN, "[--resource r]", "the commands, their arguments and who may run them");
    }

    @Override
    public JsonNode handle(NclCall call) throws NclException {
        String resource = call.optional("resource");
        if (resource != null && !dispatcher.resources().contains(resource)) {
            String guess = NclArgs.closest(resource, dispatcher.resources());
            throw new NclException(NclException.UNKNOWN_COMMAND, "unknown resource '" + resource + "'"
                    + (guess == null ? "" : "; did you mean '" + guess + "'?") + " (resources: "
                    + String.join(", ", dispatcher.resources()) + ")");
        }
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (NclHandler h : dispatcher.visible(call.caller())) {
            if (resource != null && !NclDispatcher.resource(h.command()).equals(resource)) {
                continue;
            }
            rows.addObject().put("command", NclDispatcher.words(h.command()))
                    .put("access", h.access().name().toLowerCase())
                    .put("arguments", h.usage())
                    .put("summary", h.summary());
        }
        return rows;
    }
}
