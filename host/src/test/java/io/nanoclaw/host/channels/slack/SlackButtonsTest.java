package io.nanoclaw.host.channels.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.host.entities.Session;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An agent's question as a Slack card with buttons, answered by a click (host.md 6.7). */
@QuarkusTest
@TestProfile(HostWithFakeSlack.class)
class SlackButtonsTest extends SlackTestBase {
    static final String QUESTION = "{\"type\":\"ask_question\",\"questionId\":\"%s\",\"title\":\"Pick\","
            + "\"question\":\"Which colour?\",\"options\":[{\"label\":\"Red\",\"selectedLabel\":\"Red it is\","
            + "\"value\":\"red\"},{\"label\":\"Blue\",\"selectedLabel\":\"Blue it is\",\"value\":\"blue\"}]}";

    private boolean pending(String qid) {
        return fx.db.one("SELECT 1 FROM pending_questions WHERE question_id = ?", r -> 1, qid).isPresent();
    }

    private List<String[]> answers(Chat c, Session s) throws Exception {
        return fx.inboundRows(c.ag().id(), s.id(), "SELECT content FROM messages_in WHERE kind = 'system'");
    }

    @Test
    void aClickAnswersTheQuestionAndTheCardLosesItsButtonsAForgedOneIsAckedAndIgnored() throws Exception {
        Chat c = chat(true, "pattern");
        String top = fake.sendMessage(c.channel(), "channel", "U100", "ask me", null);
        Session s = session(c, null);
        awaitRows(c, s, 1);
        String qid = "q-slack-" + System.nanoTime();
        fx.containerWrites(c.ag().id(), s.id(), "slack", c.channel(), null, "chat-sdk", String.format(QUESTION, qid));
        drainUntil(s, "the card", () -> fake.answered("chat.postMessage").stream().anyMatch(p -> p.args()
                .path("channel").asText().equals(c.channel()) && p.args().has("blocks")));

        List<FakeSlack.Call> posts = fake.answered("chat.postMessage");
        FakeSlack.Call card = posts.get(posts.size() - 1);
        assertEquals("Pick\n\nWhich colour?", card.args().path("text").asText(), "the notification fallback");
        JsonNode blocks = card.args().path("blocks");
        assertEquals("section", blocks.path(0).path("type").asText());
        assertEquals("*Pick*\n\nWhich colour?", blocks.path(0).path("text").path("text").asText());
        assertEquals("actions", blocks.path(1).path("type").asText());
        List<String> ids = new ArrayList<>();
        for (JsonNode b : blocks.path(1).path("elements")) {
            assertEquals("button", b.path("type").asText());
            assertEquals(b.path("action_id").asText(), b.path("value").asText());
            ids.add(b.path("action_id").asText());
        }
        assertEquals(List.of("ncq:" + qid + ":0", "ncq:" + qid + ":1"), ids);
        assertEquals("Blue", blocks.path(1).path("elements").path(1).path("text").path("text").asText());
        String cardTs = fake.messages.values().stream().filter(m -> m.path("channel").asText().equals(c.channel())
                && m.has("blocks")).map(m -> m.path("ts").asText()).findFirst().orElseThrow();

        // a button id the host never issued: acknowledged (the client stops spinning), nothing else happens
        String forged = fake.sendClick(c.channel(), cardTs, null, "U666", "eve", "ncq:never-issued:0");
        await("the forged click acked", () -> fake.acked(forged), 5_000);
        sleep(300);
        assertTrue(pending(qid));
        assertTrue(answers(c, s).isEmpty());

        String click = fake.sendClick(c.channel(), cardTs, null, "U200", "bob", ids.get(1));
        await("the click acked", () -> fake.acked(click), 5_000);
        await("the question answered", () -> !pending(qid) && !answersQuietly(c, s).isEmpty(), LONG);
        List<String[]> a = answers(c, s);
        assertEquals(1, a.size());
        JsonNode answer = json(a.get(0)[0]);
        assertEquals("blue", answer.path("selectedOption").asText());
        assertEquals("slack:U200", answer.path("userId").asText());

        List<FakeSlack.Call> updates = fake.answered("chat.update");
        FakeSlack.Call update = updates.get(updates.size() - 1);
        assertEquals(cardTs, update.args().path("ts").asText());
        assertEquals("Pick\n\nBlue it is", update.args().path("text").asText());
        assertTrue(update.args().path("blocks").isArray() && update.args().path("blocks").isEmpty(),
                "the buttons are gone");
        assertTrue(fake.messages.get(cardTs).path("blocks").isEmpty());
    }

    private List<String[]> answersQuietly(Chat c, Session s) {
        try {
            return answers(c, s);
        } catch (Exception e) {
            return List.of();
        }
    }
}
