package io.nanoclaw.runner.ncl;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One parsed {@code ncl} invocation.
 *
 * @param command the positional words joined with '-' ("groups list" → "groups-list")
 * @param args    the {@code --key value} flags; a bare flag is true
 * @param json    print the raw response frame
 */
record NclCommand(String command, ObjectNode args, boolean json) {
}
