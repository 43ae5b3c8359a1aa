package io.nanoclaw.host.channels;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A display card from send_card ({@code {type: "card", card: {title, description, children, actions}, fallbackText}})
 * as plain text, the way every channel can show it: the agent's own fallback text when it gave one, else the card's
 * parts line by line with link actions as "label: url".
 */
public final class DisplayCardText {
    private DisplayCardText() {}

    public static String of(JsonNode content) {
        String fallback = content.path("fallbackText").asText("");
        if (!fallback.isBlank()) {
            return fallback;
        }
        JsonNode card = content.path("card");
        StringBuilder sb = new StringBuilder();
        line(sb, card.path("title").asText(""));
        line(sb, card.path("description").asText(""));
        for (JsonNode child : card.path("children")) {
            line(sb, child.isTextual() ? child.asText() : child.path("text").asText(""));
        }
        for (JsonNode action : card.path("actions")) {
            String label = action.path("label").asText("");
            String url = action.path("url").asText("");
            if (url.startsWith("http://") || url.startsWith("https://")) {
                line(sb, label.isBlank() ? url : label + ": " + url);
            }
        }
        return sb.toString().strip();
    }

    private static void line(StringBuilder sb, String s) {
        if (s != null && !s.isBlank()) {
            sb.append(s.strip()).append('\n');
        }
    }
}
