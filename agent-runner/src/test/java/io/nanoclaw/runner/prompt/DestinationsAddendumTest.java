package io.nanoclaw.runner.prompt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nanoclaw.runner.store.Destination;
import java.util.List;
import org.junit.jupiter.api.Test;

/** agent-runner.md 7, item 38. */
class DestinationsAddendumTest {
    static final Destination CASA = new Destination("casa", "Casa Chat", "channel", "telegram", "123", null);
    static final Destination OPS = new Destination("ops", "ops", "channel", "slack", "C1", null);
    static final Destination HELPER = new Destination("helper", "Helper", "agent", null, null, "ag-2");

    @Test
    void severalDestinationsDefaultToTheSender() {
        String a = DestinationsAddendum.build("Andy", List.of(CASA, OPS, HELPER));
        assertTrue(a.contains("reply to that destination"), a);
        assertTrue(a.contains("from=\"name\""), a);
        assertTrue(a.contains("- `casa` (Casa Chat)\n- `ops`\n- `helper` (Helper), another agent"), a);
    }

    @Test
    void oneDestinationIsNamedWithItsDisplayName() {
        String a = DestinationsAddendum.build("Andy", List.of(CASA));
        assertTrue(a.contains("Wrap each delivered message"), a);
        assertTrue(a.contains("<message to=\"casa\">"), a);
        assertTrue(a.contains("Your destination is `casa` (Casa Chat)."), a);
        assertTrue(a.contains("from=\"name\""), "the routing text");
    }

    @Test
    void noDestinationsMeansNothingCanBeSent() {
        String a = DestinationsAddendum.build(null, List.of());
        assertTrue(a.contains("no configured destinations"), a);
        assertFalse(a.contains("from=\"name\""), "no routing text");
        assertFalse(a.contains("# You are"), "no identity without a name");
    }

    @Test
    void theIdentitySectionUsesTheName() {
        assertTrue(DestinationsAddendum.build("Andy", List.of(CASA)).startsWith("# You are Andy\n\n"));
    }
}
