package io.nanoclaw.host.channels;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A card with a few choices: an approval request or an agent's question (host.md 6.5, 6.7). {@code key} names the
 * pending row it answers (an approval id or a question id). Button ids are {@code ncq:<key>:<index>}; a key that
 * would make the id longer than 64 bytes (Telegram's limit) is replaced by {@code ~<hash>}, which
 * {@link #matchesKey} recognises.
 */
public record ChoiceCard(String key, String title, String question, List<String> labels) {
    static final int MAX_BUTTON_ID_BYTES = 64;

    /** A parsed button id. */
    public record Click(String key, int index) {}

    public String buttonId(int index) {
        String id = "ncq:" + key + ":" + index;
        return id.getBytes(StandardCharsets.UTF_8).length <= MAX_BUTTON_ID_BYTES ? id
                : "ncq:~" + hash(key) + ":" + index;
    }

    /** The content an adapter with buttons renders. */
    public ObjectNode buttonsContent() {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("type", "choice_card").put("title", title)
                .put("question", question);
        ArrayNode buttons = n.putArray("buttons");
        for (int i = 0; i < labels.size(); i++) {
            buttons.addObject().put("id", buttonId(i)).put("label", labels.get(i));
        }
        n.put("text", title + "\n\n" + question); // for logs and adapters that show text beside the buttons
        return n;
    }

    /** The card as plain text for adapters without buttons. */
    public ObjectNode textContent() {
        StringBuilder sb = new StringBuilder();
        if (title != null && !title.isBlank()) {
            sb.append(title).append("\n\n");
        }
        if (question != null && !question.isBlank()) {
            sb.append(question).append("\n\n");
        }
        sb.append("Reply with the number:");
        for (int i = 0; i < labels.size(); i++) {
            sb.append(i == 0 ? " " : "  ").append(i + 1).append(". ").append(labels.get(i));
        }
        return JsonNodeFactory.instance.objectNode().put("text", sb.toString());
    }

    /** {@code ncq:<key>:<index>} → the key (or {@code ~hash}) and index; anything else → empty. */
    public static Optional<Click> parse(String buttonId) {
        if (buttonId == null || !buttonId.startsWith("ncq:")) {
            return Optional.empty();
        }
        int colon = buttonId.lastIndexOf(':');
        if (colon <= 4) {
            return Optional.empty();
        }
        try {
            int index = Integer.parseInt(buttonId.substring(colon + 1));
            return index < 0 ? Optional.empty() : Optional.of(new Click(buttonId.substring(4, colon), index));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether a clicked key (as parsed) names this pending row's key. */
    public static boolean matchesKey(String clicked, String key) {
        return clicked.equals(key) || (clicked.startsWith("~") && clicked.substring(1).equals(hash(key)));
    }

    /** A reply typed in the chat: "2" or an option's label (case-insensitive) → its index; else -1. */
    public static int answerIndex(String text, List<String> labels) {
        if (text == null) {
            return -1;
        }
        String t = text.strip();
        if (t.matches("[0-9]{1,3}")) {
            int n = Integer.parseInt(t);
            return n >= 1 && n <= labels.size() ? n - 1 : -1;
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).equalsIgnoreCase(t)) {
                return i;
            }
        }
        return -1;
    }

    static String hash(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
