package io.nanoclaw.host.channels.pairing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.nanoclaw.host.cli.NclAccess;
import io.nanoclaw.host.cli.NclCall;
import io.nanoclaw.host.cli.NclException;
import io.nanoclaw.host.cli.NclHandler;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;

/** {@code ncl pairing create}: a one-time code that makes whoever sends it to the bot privately an owner. */
@Singleton
public class PairingCreateCommand implements NclHandler {
    @Inject
    PairingCodes codes;

    @Override
    public String command() {
        return "pairing-create";
    }

    @Override
    public NclAccess access() {
        return NclAccess.OPERATOR;
    }

    @Override
    public String summary() {
        return "a one-time code (valid 1 hour) that makes you the owner when you send it to the bot in a private chat";
    }

    @Override
    public JsonNode handle(NclCall call) throws NclException {
        if (call.caller() != null && !call.caller().operator()) {
            throw new NclException(NclException.FORBIDDEN, "only the operator can create a pairing code");
        }
        try {
            PairingCodes.Issued issued = codes.issue();
            return JsonNodeFactory.instance.objectNode().put("code", issued.code())
                    .put("expiresAt", issued.expiresAt().toString())
                    .put("instructions", "Send " + issued.code() + " to your bot in a private chat (on Telegram: "
                            + "open the bot and send the six digits) before " + issued.expiresAt()
                            + ". You become the owner and that chat is connected to the main agent. The code works "
                            + "once; a new one replaces it.");
        } catch (IOException e) {
            throw new NclException(NclException.HANDLER_ERROR, "could not store the pairing code: "
                    + e.getMessage());
        }
    }
}
