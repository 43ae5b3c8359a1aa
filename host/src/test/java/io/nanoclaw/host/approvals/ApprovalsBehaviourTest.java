package io.nanoclaw.host.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** host.md 6.5 with decisions.md's clicker check, 6.3's install_packages and add_mcp_server requests. */
@QuarkusTest
@TestProfile(HostWithoutContainers.class)
class ApprovalsBehaviourTest {
    @Inject
    Approvals approvals;
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
    EchoApprovedAction echo;

    RecordingAdapter plain;   // no buttons: numbered text
    RecordingAdapter buttons; // buttons and edits
    AgentGroup ag;
    Session session;
    String admin;

    @BeforeEach
    void setUp() {
        plain = new RecordingAdapter(CoreFixture.unique("txt"), false);
        buttons = new RecordingAdapter(CoreFixture.unique("btn"), false, true);
        channels.register(plain);
        channels.register(buttons);
        ag = fx.group("A");
        MessagingGroup chat = fx.chat(plain.channelType(), "home", false, "public");
        fx.wireAll(chat, ag);
        session = resolver.resolve(ag.id(), chat.id(), null, "shared");
        admin = plain.channelType() + ":admin1";
        fx.role(admin, "admin", ag);
    }

    private void ask(String say) {
        approvals.request(session, "test_echo", JsonNodeFactory.instance.objectNode().put("say", say), "🧪 Echo",
                "The agent asks to echo " + say);
    }

    private void typed(RecordingAdapter a, String platformId, String sender, String text) {
        String content = "{\"text\":\"" + text + "\",\"sender\":\"" + sender + "\",\"senderId\":\"" + sender + "\"}";
        router.onInbound(a.channelType(), platformId, null, new InboundMessage(CoreFixture.unique("pm-"), "chat",
                content, "2026-01-01T00:00:00Z", false, false, sender, sender));
    }

    private void click(RecordingAdapter a, String platformId, String sender, String buttonId) {
        router.onAction(a.channelType(), platformId, null, new ActionEvent(sender, sender, buttonId, null));
    }

    private List<String> notes() throws Exception {
        List<String> out = new ArrayList<>();
        for (String[] r : fx.inboundRows(ag.id(), session.id(),
                "SELECT content FROM messages_in WHERE channel_type = 'agent' ORDER BY seq")) {
            out.add(r[0]);
        }
        return out;
    }

    private String status() {
        return fx.db.one("SELECT group_concat(status) FROM pending_approvals WHERE agent_group_id = ?",
                r -> r.getString(1), ag.id()).orElse(null);
    }

    private static void await(BooleanSupplier ok) throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (!ok.getAsBoolean() && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        assertTrue(ok.getAsBoolean(), "condition not met within 5 s");
    }

    private boolean noteContains(String s) {
        try {
            return notes().stream().anyMatch(n -> n.contains(s));
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void theCardGoesToTheAdminsDmAsNumberedTextAndATypedOneApproves() throws Exception {
        ask("hello");
        List<String> dm = plain.textsTo("admin1");
        assertEquals(1, dm.size());
        assertTrue(dm.get(0).startsWith("🧪 Echo\n\nThe agent asks to echo hello"), dm.get(0));
        assertTrue(dm.get(0).endsWith("Reply with the number: 1. Approve  2. Reject"), dm.get(0));
        assertEquals("pending", status());

        typed(plain, "admin1", "admin1", "1");
        await(() -> noteContains("test_echo approved by admin: echoed hello"));
        assertEquals(List.of("hello"), echo.applied.stream().filter("hello"::equals).toList());
        await(() -> status() == null);
        assertTrue(plain.textsTo("admin1").get(1).contains("Approved"), "the admin sees the outcome");
    }

    @Test
    void aClickFromSomeoneElseIsIgnoredAndTheApproverRejects() throws Exception {
        String btnAdmin = buttons.channelType() + ":boss";
        fx.role(btnAdmin, "admin", ag);
        // the origin chat is on the plain channel, but only the button admin exists besides admin1: make admin1's
        // DM unreachable so the card goes to the button admin
        fx.db.update("DELETE FROM user_roles WHERE user_id = ?", admin);
        ask("x");
        List<String> ids = buttons.buttonsIn("boss");
        assertEquals(2, ids.size());
        assertTrue(ids.get(0).startsWith("ncq:appr-") && ids.get(0).getBytes().length <= 64, ids.get(0));

        click(buttons, "boss", "intruder", ids.get(0));
        assertEquals("pending", status(), "not the approver nor an admin: nothing happens");
        assertFalse(noteContains("test_echo"));

        click(buttons, "boss", "boss", ids.get(1));
        assertTrue(noteContains("test_echo was rejected by admin."), notes().toString());
        assertEquals(null, status());
        assertTrue(echo.applied.stream().noneMatch("x"::equals));
        var last = buttons.delivered.get(buttons.delivered.size() - 1).message().content();
        assertEquals("edit", last.path("operation").asText(), "the card is edited to the outcome");
        assertTrue(last.path("text").asText().endsWith("Rejected"));
    }

    @Test
    void aGlobalOwnerMayAnswerTooAndAFailureIsToldToTheAgent() throws Exception {
        String owner = plain.channelType() + ":owner1";
        fx.role(owner, "owner", null);
        approvals.request(session, "test_echo", JsonNodeFactory.instance.objectNode().put("fail", true), "t", "q");
        typed(plain, "admin1", "owner1", "approve"); // the label works too; the owner types in admin1's DM
        await(() -> noteContains("test_echo was approved but failed: it broke"));
    }

    @Test
    void leftoversFromBeforeARestartExpireAndCantBeUsed() throws Exception {
        ask("old");
        approvals.expireLeftovers(); // what the host does at start
        assertEquals("expired", status());
        assertTrue(noteContains("expired because the host restarted"), notes().toString());
        assertTrue(plain.textsTo("admin1").get(1).contains("Expired (host restarted)"));

        String id = fx.db.one("SELECT approval_id FROM pending_approvals WHERE agent_group_id = ?",
                r -> r.getString(1), ag.id()).orElseThrow();
        click(plain, "admin1", "admin1", "ncq:" + id + ":0");
        assertTrue(plain.textsTo("admin1").get(2).contains("has expired"), plain.textsTo("admin1").toString());
        Thread.sleep(200);
        assertTrue(echo.applied.stream().noneMatch("old"::equals));
    }

    @Test
    void anApprovalPastItsExpiryCantBeUsed() throws Exception {
        ask("late");
        fx.db.update("UPDATE pending_approvals SET expires_at = '2000-01-01T00:00:00Z' WHERE agent_group_id = ?",
                ag.id());
        typed(plain, "admin1", "admin1", "1");
        assertEquals("expired", status());
        assertTrue(noteContains("test_echo request expired before an admin answered"), notes().toString());
        Thread.sleep(200);
        assertTrue(echo.applied.stream().noneMatch("late"::equals));
    }

    @Test
    void theExpirySweepClosesAStaleCardAndTellsTheAgentWithoutAClick() throws Exception {
        ask("stale");
        assertEquals(0, approvals.expireDue(java.time.Instant.now()), "not yet due");
        fx.db.update("UPDATE pending_approvals SET expires_at = '2000-01-01T00:00:00Z' WHERE agent_group_id = ?",
                ag.id());
        assertTrue(approvals.expireDue(java.time.Instant.now()) >= 1);
        assertEquals("expired", status());
        assertTrue(noteContains("test_echo request expired before an admin answered"), notes().toString());
        assertTrue(plain.textsTo("admin1").stream().anyMatch(t -> t.contains("Expired")),
                plain.textsTo("admin1").toString());
        typed(plain, "admin1", "admin1", "1");
        Thread.sleep(200);
        assertTrue(echo.applied.stream().noneMatch("stale"::equals), "a late answer does nothing");
    }

    @Test
    void aForgedIdGetsAClearAnswerAndChangesNothing() throws Exception {
        ask("real");
        click(plain, "admin1", "admin1", "ncq:appr-forged:0");
        assertTrue(plain.textsTo("admin1").get(1).contains("unknown"), plain.textsTo("admin1").toString());
        assertEquals("pending", status());
        assertTrue(notes().isEmpty());
    }

    @Test
    void anApprovalForADeletedAgentGroupDoesNothing() throws Exception {
        ask("gone");
        String id = fx.db.one("SELECT approval_id FROM pending_approvals WHERE agent_group_id = ?",
                r -> r.getString(1), ag.id()).orElseThrow();
        fx.db.update("DELETE FROM agent_groups WHERE id = ?", ag.id());
        click(plain, "admin1", "admin1", "ncq:" + id + ":0");
        assertTrue(plain.textsTo("admin1").get(1).contains("no longer exists"), plain.textsTo("admin1").toString());
        Thread.sleep(200);
        assertTrue(echo.applied.stream().noneMatch("gone"::equals));
    }

    @Test
    void withoutAnAdminTheAgentIsToldAndNoCardIsSent() throws Exception {
        fx.db.update("DELETE FROM user_roles WHERE agent_group_id = ?", ag.id());
        fx.db.update("DELETE FROM user_roles WHERE agent_group_id = ''"); // other tests' owners
        ask("nobody");
        assertTrue(noteContains("test_echo failed: no admin could be asked"), notes().toString());
        assertTrue(plain.textsTo("admin1").isEmpty());
    }

    @Test
    void addMcpServerAsksWithoutShowingEnvValuesAndOnApproveStoresIt() throws Exception {
        fx.containerWrites(ag.id(), session.id(), null, null, null, "system", "{\"action\":\"add_mcp_server\","
                + "\"name\":\"weather\",\"command\":\"npx\",\"args\":[\"-y\",\"weather-mcp\"],"
                + "\"env\":{\"API_KEY\":\"s3cret\"}}");
        delivery.drain(session);
        String card = plain.textsTo("admin1").get(0);
        assertTrue(card.contains("npx -y weather-mcp") && card.contains("API_KEY"), card);
        assertFalse(card.contains("s3cret"), "env values are never shown");
        typed(plain, "admin1", "admin1", "1");
        await(() -> noteContains("add_mcp_server approved by admin"));
        String stored = fx.db.one("SELECT mcp_servers FROM container_configs WHERE agent_group_id = ?",
                r -> r.getString(1), ag.id()).orElseThrow();
        assertEquals("{\"weather\":{\"command\":\"npx\",\"args\":[\"-y\",\"weather-mcp\"],"
                + "\"env\":{\"API_KEY\":\"s3cret\"}}}", stored);
    }

    @Test
    void installPackagesWithABadNameIsRefusedWithoutACard() throws Exception {
        fx.containerWrites(ag.id(), session.id(), null, null, null, "system",
                "{\"action\":\"install_packages\",\"apt\":[\"curl; rm -rf /\"],\"reason\":\"x\"}");
        delivery.drain(session);
        assertTrue(noteContains("install_packages failed: invalid apt package name"), notes().toString());
        assertTrue(plain.textsTo("admin1").isEmpty(), "no card");
    }

    @Test
    void installPackagesCardListsThePackagesAndTheReason() throws Exception {
        fx.containerWrites(ag.id(), session.id(), null, null, null, "system",
                "{\"action\":\"install_packages\",\"apt\":[\"ffmpeg\"],\"npm\":[\"sharp\"],\"reason\":\"video\"}");
        delivery.drain(session);
        String card = plain.textsTo("admin1").get(0);
        assertTrue(card.startsWith("📦 Install packages") && card.contains("apt: ffmpeg")
                && card.contains("npm: sharp") && card.contains("Reason: video"), card);
    }
}
