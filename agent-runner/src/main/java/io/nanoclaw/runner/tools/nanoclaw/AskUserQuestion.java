package io.nanoclaw.runner.tools.nanoclaw;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.protocol.MessageIds;
import io.nanoclaw.protocol.MessageKind;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.store.AckStatus;
import io.nanoclaw.runner.store.OutboundMessage;
import io.nanoclaw.runner.store.SystemAnswers;
import io.nanoclaw.runner.tools.ToolContext;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * ask_user_question (agent-runner.md 3.4): sends a question card to the session's chat and blocks until the host
 * writes the answer ({@code system {type:'question_response', questionId, selectedOption}}) or the timeout passes.
 * The poll loop leaves system rows alone, so the answer is this tool's to take and ack. While it waits it keeps
 * the heartbeat moving and declares its timeout in container_state, so the host's sweep does not take a waiting
 * agent for a stuck one.
 */
final class AskUserQuestion extends NanoclawTool {
    static final double DEFAULT_TIMEOUT_S = 300;
    /** A day: longer waits are surely a mistake, and the declared timeout must stay a sane number. */
    static final double MAX_TIMEOUT_S = 86_400;
    static final Duration POLL = Duration.ofSeconds(1);

    private static final ObjectNode SCHEMA = schema();

    AskUserQuestion(NanoclawToolEnv env) {
        super(env, "ask_user_question", "Ask the user a multiple-choice question and wait for the answer. This call"
                + " blocks until the user picks an option or the timeout passes. Give a short card title (e.g."
                + " \"Confirm deletion\") and the options: each is a plain string (both the button label and the"
                + " returned value) or an object {label, selectedLabel?, value?}, where selectedLabel is what the card"
                + " shows after the click.", SCHEMA);
    }

    @Override
    String call(JsonNode input, ToolContext context) throws Refusal, SQLException, InterruptedException {
        String title = Args.text(input, "title");
        String question = Args.text(input, "question");
        JsonNode rawOptions = input == null ? null : input.get("options");
        if (title == null || question == null || rawOptions == null || !rawOptions.isArray()
                || rawOptions.isEmpty()) {
            throw new Refusal("title, question, and options are required");
        }
        ArrayNode options = normalise(rawOptions);
        double seconds = timeoutSeconds(input);

        String questionId = MessageIds.next("msg");
        ObjectNode content = Json.object();
        content.put("type", "ask_question");
        content.put("questionId", questionId);
        content.put("title", title);
        content.put("question", question);
        content.set("options", options);
        OutboundRows.write(env, new OutboundMessage(questionId, MessageKind.CHAT_SDK, content.toString(),
                SessionChat.require(env, "ask in"), null));

        long timeoutMs = Math.round(seconds * 1000);
        Instant deadline = env.clock().now().plusMillis(timeoutMs);
        context.liveness().started(name(), timeoutMs);
        try {
            while (true) {
                context.liveness().stillWorking();
                Optional<SystemAnswers.Answer> answer = SystemAnswers.find(env.inbound(), env.outbound(),
                        "question_response", "questionId", questionId);
                if (answer.isPresent()) {
                    env.outbound().ack(List.of(answer.get().rowId()), AckStatus.COMPLETED);
                    String selected = Json.text(answer.get().content(), "selectedOption");
                    return selected == null ? "" : selected;
                }
                Duration left = Duration.between(env.clock().now(), deadline);
                if (left.isNegative() || left.isZero()) {
                    break;
                }
                env.clock().sleep(left.compareTo(POLL) < 0 ? left : POLL);
            }
        } finally {
            context.liveness().finished();
        }
        // The host closes the card, so a late click can't send an answer that nothing reads any more.
        ObjectNode expired = Json.object();
        expired.put("action", "question_timeout");
        expired.put("questionId", questionId);
        OutboundRows.write(env, new OutboundMessage(MessageIds.next("msg"), MessageKind.SYSTEM, expired.toString(),
                null, null));
        throw new Refusal("Question timed out after " + plain(seconds) + "s");
    }

    /** Each option as {label, selectedLabel, value}, defaults from the label (upstream's normalisation). */
    private static ArrayNode normalise(JsonNode raw) throws Refusal {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode o : raw) {
            String label;
            String selectedLabel;
            String value;
            if (o.isTextual()) {
                label = o.textValue();
                selectedLabel = label;
                value = label;
            } else if (o.isObject() && Json.text(o, "label") != null) {
                label = Json.text(o, "label");
                selectedLabel = o.hasNonNull("selectedLabel") ? Json.text(o, "selectedLabel") : label;
                value = o.hasNonNull("value") ? Json.text(o, "value") : label;
            } else {
                throw new Refusal("each option must be a string or an object with a label");
            }
            ObjectNode n = out.addObject();
            n.put("label", label);
            n.put("selectedLabel", selectedLabel == null ? label : selectedLabel);
            n.put("value", value == null ? label : value);
        }
        return out;
    }

    private static double timeoutSeconds(JsonNode input) throws Refusal {
        Double t = Args.number(input, "timeout");
        if (t == null) {
            return DEFAULT_TIMEOUT_S;
        }
        if (t < 0 || t > MAX_TIMEOUT_S) {
            throw new Refusal("timeout must be between 0 and " + (long) MAX_TIMEOUT_S + " seconds");
        }
        return t;
    }

    /** 300 → "300", 0.5 → "0.5": the number as JavaScript prints it in upstream's message. */
    static String plain(double seconds) {
        return BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString();
    }

    private static ObjectNode schema() {
        ObjectNode option = Json.object();
        option.put("type", "object");
        ObjectNode props = option.putObject("properties");
        props.putObject("label").put("type", "string");
        props.putObject("selectedLabel").put("type", "string");
        props.putObject("value").put("type", "string");
        option.putArray("required").add("label");
        ObjectNode options = Json.object();
        options.put("type", "array");
        ArrayNode oneOf = options.putObject("items").putArray("oneOf");
        oneOf.addObject().put("type", "string");
        oneOf.add(option);
        options.put("description", "Options for the user to choose from (string or {label, selectedLabel?, value?})");
        return SchemaBuilder.object()
                .property("title", "string", "Short card title shown above the question", true)
                .property("question", "string", "The question to ask", true)
                .property("options", options, true)
                .property("timeout", "number", "Timeout in seconds (default: 300)", false)
                .build();
    }
}
