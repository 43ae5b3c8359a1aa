package io.nanoclaw.host.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nanoclaw.host.channels.ActionEvent;
import io.nanoclaw.host.channels.ChannelRegistry;
import io.nanoclaw.host.channels.InboundMessage;
import io.nanoclaw.host.delivery.DeliveryService;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.routing.Router;
import io.nanoclaw.host.sessions.SessionResolver;
import io.nanoclaw.host.testkit.CoreFixture;
import io.nanoclaw.host.testkit.HostWithoutContainers;
import io.nanoclaw.host.testkit.RecordingAdapter;
import io.nanoclaw.host.testkit.RecordingWaker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** host.md 6.7: an ask_user_question card answered by a button or by a typed number, back to the agent. */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class QuestionAnswersTest {
    static final String QUESTION = "{\"type\":\"ask_question\",\"questionId\":\"%s\",\"title\":\"Pick\","
            + "\"question\":\"Which colour?\",\"options\":[{\"label\":\"Red\",\"selectedLabel\":\"Red it is\","
            + "\"value\":\"red\"},{\"label\":\"Blue\",\"selectedLabel\":\"Blue it is\",\"value\":\"blue\"}]}";

    @Inject
    Router router;
    @Inject
    DeliveryService delivery;
    @Inject
    CoreFixture fx;
    @Inject
    SessionResolver resolver;
    @Inject
    ChannelRegistry channels;
    @Inject
    RecordingWaker waker;

    private final ObjectMapper mapper = new ObjectMapper();

    record Setup(RecordingAdapter adapter, AgentGroup ag, MessagingGroup chat, Session session) {}

    private Setup setUp(boolean buttons) {
        RecordingAdapter a = new RecordingAdapter(CoreFixture.unique("q"), false, buttons);
        channels.register(a);
        AgentGroup ag = fx.group("Q");
        MessagingGroup chat = fx.chat(a.channelType(), "home", true, "public");
        fx.wireAll(chat, ag);
        return new Setup(a, ag, chat, resolver.resolve(ag.id(), chat.id(), null, "shared"));
    }

    private void askIn(Setup s, String qid) throws Exception {
        fx.containerWrites(s.ag().id(), s.session().id(), s.chat().channelType(), s.chat().platformId(), null,
                "chat-sdk", String.format(QUESTION, qid));
        delivery.drain(s.session());
    }

    private List<JsonNode> responses(Setup s) throws Exception {
        return fx.inboundRows(s.ag().id(), s.session().id(),
                        "SELECT content, kind, trigger FROM messages_in WHERE kind = 'system' ORDER BY seq").stream()
                .map(r -> {
                    assertEquals("1", r[2], "the answer wakes the agent");
                    try {
                        return mapper.readTree(r[0]);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }

    private boolean pending(String qid) {
        return fx.db.one("SELECT 1 FROM pending_questions WHERE question_id = ?", r -> 1, qid).isPresent();
    }

    @Test
    void aButtonClickFromAnyoneInTheChatAnswersAndEditsTheCard() throws Exception {
        Setup s = setUp(true);
        askIn(s, "q-btn-1");
        List<String> ids = s.adapter().buttonsIn(s.chat().platformId());
        assertEquals(List.of("ncq:q-btn-1:0", "ncq:q-btn-1:1"), ids);

        waker.woken.clear();
        router.onAction(s.chat().channelType(), s.chat().platformId(), null,
                new ActionEvent("alice", "Alice", ids.get(1), "p-1"));
        List<JsonNode> rs = responses(s);
        assertEquals(1, rs.size());
        assertEquals("question_response", rs.get(0).path("type").asText());
        assertEquals("q-btn-1", rs.get(0).path("questionId").asText());
        assertEquals("blue", rs.get(0).path("selectedOption").asText());
        assertEquals(s.chat().channelType() + ":alice", rs.get(0).path("userId").asText());
        assertTrue(!pending("q-btn-1"), "the pending row is gone");
        assertEquals(List.of(s.session().id()), waker.woken);
        JsonNode edit = s.adapter().delivered.get(s.adapter().delivered.size() - 1).message().content();
        assertEquals("edit", edit.path("operation").asText());
        assertEquals("p-1", edit.path("messageId").asText());
        assertEquals("Pick\n\nBlue it is", edit.path("text").asText());

        // a second click on the answered card changes nothing
        router.onAction(s.chat().channelType(), s.chat().platformId(), null,
                new ActionEvent("bob", "Bob", ids.get(0), "p-1"));
        assertEquals(1, responses(s).size());
    }

    @Test
    void whenTheAgentStopsWaitingTheCardClosesAndALateClickDoesNothing() throws Exception {
        Setup s = setUp(true);
        askIn(s, "q-late-1");
        Setup other = setUp(true);
        fx.containerWrites(other.ag().id(), other.session().id(), null, null, null, "system",
                "{\"action\":\"question_timeout\",\"questionId\":\"q-late-1\"}");
        delivery.drain(other.session());
        assertTrue(pending("q-late-1"), "another session can't close this session's question");
        fx.containerWrites(s.ag().id(), s.session().id(), null, null, null, "system",
                "{\"action\":\"question_timeout\",\"questionId\":\"q-late-1\"}");
        delivery.drain(s.session());
        assertTrue(!pending("q-late-1"));
        JsonNode edit = s.adapter().delivered.get(s.adapter().delivered.size() - 1).message().content();
        assertEquals("edit", edit.path("operation").asText());
        assertEquals("Pick\n\n⌛ No answer in time", edit.path("text").asText());
        router.onAction(s.chat().channelType(), s.chat().platformId(), null,
                new ActionEvent("alice", "Alice", "ncq:q-late-1:0", "p-1"));
        assertTrue(responses(s).isEmpty(), "a late click sends nothing");
    }

    @Test
    void anAnswerToAQuestionAskedBeforeAHostRestartReachesTheAgentAsANote() throws Exception {
        Setup s = setUp(true);
        askIn(s, "q-old-1");
        fx.db.update("UPDATE pending_questions SET created_at = '2020-01-01T00:00:00.000Z' WHERE question_id = ?",
                "q-old-1"); // asked by a container of an earlier host run: no tool waits for it now
        router.onAction(s.chat().channelType(), s.chat().platformId(), null,
                new ActionEvent("alice", "Alice", "ncq:q-old-1:0", "p-1"));
        assertTrue(responses(s).isEmpty(), "no question_response that nothing would read");
        List<String[]> notes = fx.inboundRows(s.ag().id(), s.session().id(),
                "SELECT content FROM messages_in WHERE channel_type = 'agent' ORDER BY seq");
        assertEquals(1, notes.size());
        assertTrue(notes.get(0)[0].contains("answered your earlier question \\\"Pick\\\": Red it is (value: red)"),
                notes.get(0)[0]);
        assertTrue(!pending("q-old-1"));
    }

    @Test
    void aTypedNumberAnswersOnAChannelWithoutButtonsAndIsNotRoutedToTheAgent() throws Exception {
        Setup s = setUp(false);
        askIn(s, "q-txt-1");
        String card = s.adapter().textsTo(s.chat().platformId()).get(0);
        assertEquals("Pick\n\nWhich colour?\n\nReply with the number: 1. Red  2. Blue", card);

        String content = "{\"text\":\" 1 \",\"sender\":\"carol\",\"senderId\":\"carol\"}";
        router.onInbound(s.chat().channelType(), s.chat().platformId(), null, new InboundMessage("pm-q1", "chat",
                content, "2026-01-01T00:00:00Z", false, true, "carol", "Carol"));
        List<JsonNode> rs = responses(s);
        assertEquals(1, rs.size());
        assertEquals("red", rs.get(0).path("selectedOption").asText());
        assertTrue(!pending("q-txt-1"));
        assertTrue(fx.inboundRows(s.ag().id(), s.session().id(),
                "SELECT 1 FROM messages_in WHERE kind = 'chat' AND content LIKE '% 1 %'").isEmpty(),
                "the answer is not a chat message for the agent");

        // with no question open, a number is an ordinary message
        router.onInbound(s.chat().channelType(), s.chat().platformId(), null, new InboundMessage("pm-q2", "chat",
                content, "2026-01-01T00:00:00Z", false, true, "carol", "Carol"));
        assertEquals(1, fx.inboundRows(s.ag().id(), s.session().id(),
                "SELECT 1 FROM messages_in WHERE kind = 'chat' AND channel_type <> 'agent'").size());
    }

    @Test
    void forgedOrForeignAnswersAreIgnored() throws Exception {
        Setup s = setUp(true);
        askIn(s, "q-forge-1");
        router.onAction(s.chat().channelType(), s.chat().platformId(), null,
                new ActionEvent("eve", "Eve", "ncq:q-nope:0", null));
        router.onAction(s.chat().channelType(), "another-chat", null,
                new ActionEvent("eve", "Eve", "ncq:q-forge-1:0", null));
        router.onAction(s.chat().channelType(), s.chat().platformId(), null,
                new ActionEvent("eve", "Eve", "ncq:q-forge-1:9", null));
        assertTrue(responses(s).isEmpty());
        assertTrue(pending("q-forge-1"));
    }

    @Test
    void aLongQuestionIdStillFitsA64ByteButtonAndIsFoundAgain() throws Exception {
        Setup s = setUp(true);
        String qid = "q-" + "x".repeat(100);
        askIn(s, qid);
        List<String> ids = s.adapter().buttonsIn(s.chat().platformId());
        assertTrue(ids.get(0).getBytes().length <= 64, ids.get(0));
        router.onAction(s.chat().channelType(), s.chat().platformId(), null,
                new ActionEvent("dan", "Dan", ids.get(0), null));
        assertEquals(qid, responses(s).get(0).path("questionId").asText());
    }
}
