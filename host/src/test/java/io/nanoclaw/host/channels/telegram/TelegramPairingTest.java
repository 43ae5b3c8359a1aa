package io.nanoclaw.host.channels.telegram;

import static io.nanoclaw.host.channels.telegram.TelegramFixture.await;
import static io.nanoclaw.host.channels.telegram.TelegramFixture.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.nanoclaw.host.channels.pairing.PairingCodes;
import io.nanoclaw.host.channels.pairing.PairingCreateCommand;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclCaller;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Session;
import io.nanoclaw.host.entities.Wirings;
import io.nanoclaw.host.sessions.Sessions;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Owner setup: a one-time code from ncl, sent to the bot in a private chat. */
@QuarkusTest
@TestProfile(TelegramProfile.class)
class TelegramPairingTest {
    @Inject
    TelegramFixture f;
    @Inject
    PairingCreateCommand command;
    @Inject
    PairingCodes codes;
    @Inject
    HostConfig config;
    @Inject
    AgentGroups agentGroups;
    @Inject
    MessagingGroups messagingGroups;
    @Inject
    Wirings wirings;
    @Inject
    Sessions sessions;

    FakeTelegram tg = FakeTelegram.shared();

    private String issue() throws Exception {
        JsonNode r = command.handle(new NclCall("1", "pairing-create", f.mapper.createObjectNode(),
                NclCaller.OPERATOR));
        return r.path("code").asText();
    }

    private boolean owner(String userId) {
        return f.db.one("SELECT 1 FROM user_roles WHERE user_id = ? AND role = 'owner' AND agent_group_id = ''",
                r -> 1, userId).isPresent();
    }

    private Path codeFile() {
        return config.dataDir().resolve("pairing-code");
    }

    @Test
    void theCodeInAPrivateChatMakesTheSenderOwnerAndWiresTheChatToMain() throws Exception {
        assertEquals("pairing-create", command.command());
        assertEquals(NclAccess.OPERATOR, command.access());
        JsonNode r = command.handle(new NclCall("1", "pairing-create", f.mapper.createObjectNode(),
                NclCaller.OPERATOR));
        String code = r.path("code").asText();
        assertTrue(code.matches("[0-9]{6}"), code);
        assertTrue(r.path("expiresAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), r.toString());
        assertTrue(r.path("instructions").asText().contains(code));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(codeFile())));

        long gid = TelegramFixture.newGroupId();
        long uid = TelegramFixture.newUserId();
        // in a group the code is just text: no pairing
        tg.push("message", tg.message(gid, "supergroup", tg.user(uid, "Kim", null, null), code));
        tg.push("message", tg.message(uid, "private", tg.user(uid, "Kim", "Lee", null), code));

        String userId = "telegram:" + uid;
        awaitTrue("owner", () -> owner(userId));
        assertFalse(Files.exists(codeFile()), "single use");
        MessagingGroup dm = messagingGroups.find("telegram", String.valueOf(uid)).orElseThrow();
        assertFalse(dm.isGroup());
        AgentGroup main = agentGroups.list().stream().filter(g -> g.folder().equals("main")).findFirst()
                .orElseThrow();
        assertEquals(List.of(main.id()), wirings.forMessagingGroup(dm.id()).stream().map(w -> w.agentGroupId())
                .toList());
        assertEquals(dm.id(), f.db.one("SELECT messaging_group_id FROM user_dms WHERE user_id = ?",
                rs -> rs.getString(1), userId).orElseThrow());
        String reply = f.awaitSent("sendMessage", uid, 1).get(0).param("text");
        assertTrue(reply.startsWith("Paired: you are the owner"), reply);

        // the next message goes to the main agent; the code itself never reached it
        tg.push("message", tg.message(uid, "private", tg.user(uid, "Kim", "Lee", null), "hello main"));
        Session s = await("main's session for the DM", () -> sessions.findActive(main.id(), dm.id(), null)
                .orElse(null));
        List<String[]> rows = await("the hello", () -> {
            try {
                List<String[]> rs = f.fx.inboundRows(main.id(), s.id(), "SELECT content FROM messages_in "
                        + "WHERE kind = 'chat'");
                return rs.isEmpty() ? null : rs;
            } catch (Exception e) {
                return null;
            }
        });
        assertEquals(1, rows.size());
        assertEquals("hello main", f.json(rows.get(0)[0]).path("text").asText());
    }

    @Test
    void aSpentExpiredOrGuessedCodePairsNobody() throws Exception {
        String code = issue();
        assertTrue(codes.tryPair("telegram", "501", "501", "A", code));
        assertFalse(codes.tryPair("telegram", "502", "502", "B", code), "single use");
        assertFalse(owner("telegram:502"));

        code = issue();
        String wrong = code.equals("000000") ? "000001" : "000000";
        for (int i = 0; i < 10; i++) {
            assertFalse(codes.tryPair("telegram", "503", "503", "C", wrong));
        }
        assertFalse(Files.exists(codeFile()), "ten wrong guesses void the code");
        assertFalse(codes.tryPair("telegram", "503", "503", "C", code));

        code = issue();
        Files.writeString(codeFile(), "{\"code\":\"" + code + "\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}");
        assertFalse(codes.tryPair("telegram", "504", "504", "D", code), "expired");
        assertFalse(Files.exists(codeFile()));
        assertFalse(owner("telegram:504"));

        code = issue();
        assertFalse(codes.tryPair("telegram", "505", "505", "E", "my code is " + code));
        assertTrue(codes.tryPair("telegram", "505", "505", "E", "/start " + code), "a t.me deep link works");
        assertTrue(owner("telegram:505"));
    }

    @Test
    void onlyTheOperatorGetsACode() {
        NclException e = assertThrows(NclException.class, () -> command.handle(new NclCall("1", "pairing-create",
                f.mapper.createObjectNode(), NclCaller.agent("ag-1", "sess-1", "global"))));
        assertEquals(NclException.FORBIDDEN, e.code());
    }
}
