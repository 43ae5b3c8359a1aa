package io.nanoclaw.runner.tools.nanoclaw;

import io.nanoclaw.runner.store.Routing;

/**
 * Where send_message and send_file deliver, and the name the result reports.
 *
 * @param name the destination's name, or "(current conversation)" for the session's own chat
 */
record Route(Routing routing, String name) {
}
