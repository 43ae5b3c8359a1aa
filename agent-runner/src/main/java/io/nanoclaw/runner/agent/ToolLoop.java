package io.nanoclaw.runner.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nanoclaw.runner.history.ConversationHistory;
import io.nanoclaw.runner.history.Turns;
import io.nanoclaw.runner.json.Json;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.provider.ModelProvider;
import io.nanoclaw.runner.provider.ModelReply;
import io.nanoclaw.runner.provider.ModelRequest;
import io.nanoclaw.runner.provider.ProviderException;
import io.nanoclaw.runner.tools.Tool;
import io.nanoclaw.runner.tools.ToolContext;
import io.nanoclaw.runner.tools.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agentic loop of one user turn (agent-runner.md 8.3): call the model; on {@code tool_use} run the calls and
 * send their results back; on {@code max_tokens} ask it to go on (at most {@value #MAX_RECOVERIES} times); on
 * {@code pause_turn} resend the paused turn as is; anything else ends the turn. Every turn it adds (assistant turns
 * exactly as received, thinking blocks and signatures included) goes into the caller's exchange list, which the
 * session records only when the turn ends well.
 */
final class ToolLoop {
    static final int MAX_MODEL_CALLS = 50;
    static final int MAX_RECOVERIES = 3;
    static final int MAX_RESULT_CHARS = 30_000;
    static final String CONTINUE_PROMPT = "Your response was cut off because it exceeded the output token limit. "
            + "Please continue exactly where you left off, and break long outputs into smaller pieces.";

    /** Read-only calls of one turn run here, a few at a time; daemon threads so they never block an exit. */
    private static final ExecutorService READ_ONLY_POOL = Executors.newFixedThreadPool(4, daemonThreads());

    private final ModelProvider provider;
    private final String system;
    private final List<Tool> tools;
    private final Map<String, Tool> byName;
    private final ToolContext context;
    private final Runnable heartbeat;
    private final FollowUps followUps;
    private final UsageTotals usage;

    ToolLoop(ModelProvider provider, String system, List<Tool> tools, Map<String, Tool> byName, ToolContext context,
             Runnable heartbeat, FollowUps followUps, UsageTotals usage) {
        this.followUps = followUps;
        this.usage = usage;
        this.provider = provider;
        this.system = system;
        this.tools = tools;
        this.byName = byName;
        this.context = context;
        this.heartbeat = heartbeat;
    }

    /**
     * Runs the loop; {@code exchange} starts with the user turn and ends with the final assistant turn (or with a
     * user turn when the final answer had no content at all).
     *
     * @return the final reply; its text is the final assistant message's text blocks (after max_tokens recoveries,
     *         the cut-off parts before it as well, since they are one answer)
     */
    ModelReply run(ConversationHistory history, List<ObjectNode> exchange) throws ProviderException {
        List<ObjectNode> paused = List.of();
        StringBuilder cutOffText = new StringBuilder();
        int recoveries = 0;
        for (int call = 1; ; call++) {
            if (call > MAX_MODEL_CALLS) {
                throw new ProviderException("the agent stopped after " + MAX_MODEL_CALLS
                        + " model calls in one turn without finishing");
            }
            List<ObjectNode> messages = history.turnsWith(exchange);
            if (!paused.isEmpty()) {
                messages.add(Turns.of(Turns.ASSISTANT, paused));
            }
            ModelReply reply = provider.complete(new ModelRequest(system, messages, tools));
            usage.add(reply.usage());
            List<ObjectNode> content = new ArrayList<>(paused);
            content.addAll(reply.content());
            paused = List.of();
            String stop = reply.stopReason();
            if ("pause_turn".equals(stop)) {
                // a long server-tool turn paused by the API: send it back unchanged and let the model go on
                paused = content;
                continue;
            }
            List<ObjectNode> calls = content.stream().filter(b -> "tool_use".equals(Json.text(b, "type"))).toList();
            if ("tool_use".equals(stop) && !calls.isEmpty()) {
                exchange.add(Turns.of(Turns.ASSISTANT, content));
                List<ObjectNode> results = new ArrayList<>(runCalls(calls, reply.malformedToolInputs()));
                // messages that came in meanwhile ride along after the results (the API wants tool_results first)
                followUps.poll().ifPresent(text -> results.add(Json.object().put("type", "text").put("text", text)));
                exchange.add(Turns.of(Turns.USER, results));
                cutOffText.setLength(0);
                continue;
            }
            if ("max_tokens".equals(stop) && recoveries < MAX_RECOVERIES) {
                recoveries++;
                // a call cut off mid-input can't be run, and a tool_use without its result is invalid: drop it
                List<ObjectNode> kept = content.stream()
                        .filter(b -> !"tool_use".equals(Json.text(b, "type"))).toList();
                Log.warn("agent", "answer cut off at max_tokens, asking to continue (" + recoveries + "/"
                        + MAX_RECOVERIES + ")");
                exchange.add(kept.isEmpty() ? Turns.assistant("(cut off)") : Turns.of(Turns.ASSISTANT, kept));
                exchange.add(Turns.user(CONTINUE_PROMPT));
                cutOffText.append(textOf(kept));
                continue;
            }
            // end_turn, stop_sequence, refusal, max_tokens once too often, or a stop reason newer than this code
            List<ObjectNode> fin = content.stream().filter(b -> !"tool_use".equals(Json.text(b, "type"))).toList();
            if (!fin.isEmpty()) {
                exchange.add(Turns.of(Turns.ASSISTANT, fin));
            }
            return new ModelReply(cutOffText + textOf(fin), stop, reply.usage(), fin);
        }
    }

    /** Consecutive read-only calls run in parallel; any other call runs alone, in order. */
    private List<ObjectNode> runCalls(List<ObjectNode> calls, Map<String, String> malformed)
            throws ProviderException {
        List<ObjectNode> results = new ArrayList<>(calls.size());
        int i = 0;
        while (i < calls.size()) {
            String badInput = malformed.get(Json.text(calls.get(i), "id"));
            if (badInput != null) {
                results.add(resultBlock(Json.text(calls.get(i), "id"), ToolResult.error("Your input for "
                        + Json.text(calls.get(i), "name") + " was not a valid JSON object, so the tool did not run: "
                        + abbreviate(badInput) + "\nSend the call again with a valid JSON object.")));
                i++;
                continue;
            }
            int j = i;
            while (j < calls.size() && isReadOnly(calls.get(j)) && !malformed.containsKey(Json.text(calls.get(j), "id"))) {
                j++;
            }
            if (j - i >= 2) {
                results.addAll(runParallel(calls.subList(i, j)));
                i = j;
            } else {
                results.add(runOne(calls.get(i)));
                i++;
            }
        }
        return results;
    }

    private List<ObjectNode> runParallel(List<ObjectNode> batch) throws ProviderException {
        List<Future<ObjectNode>> futures = new ArrayList<>(batch.size());
        for (ObjectNode call : batch) {
            futures.add(READ_ONLY_POOL.submit(() -> runOne(call)));
        }
        List<ObjectNode> results = new ArrayList<>(batch.size());
        try {
            for (Future<ObjectNode> f : futures) {
                results.add(f.get());
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof ProviderException pe) {
                throw pe;
            }
            throw new ProviderException("a tool failed: " + Log.describe(cause), cause);
        }
        return results;
    }

    private boolean isReadOnly(ObjectNode call) {
        Tool t = byName.get(Json.text(call, "name"));
        return t != null && t.readOnly();
    }

    /** One call, always answered with a tool_result: unknown tools and unexpected exceptions become errors. */
    private ObjectNode runOne(ObjectNode call) throws ProviderException {
        String id = Json.text(call, "id");
        String name = Json.text(call, "name");
        Tool tool = byName.get(name);
        if (tool == null) {
            Log.warn("agent", "the model called an unknown tool: " + name);
            return resultBlock(id, ToolResult.error("Unknown tool: " + name));
        }
        JsonNode input = call.get("input") == null ? Json.object() : call.get("input");
        heartbeat.run();
        long started = System.nanoTime();
        ToolResult result;
        context.liveness().started(name, 0); // the host's sweep sees which tool runs (Bash adds its timeout)
        try {
            result = tool.run(input, context);
            if (result == null) {
                result = ToolResult.error("Tool " + name + " returned no result");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted", e);
        } catch (RuntimeException e) {
            Log.warn("agent", "tool " + name + " threw " + Log.describe(e));
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            result = ToolResult.error("Tool " + name + " failed: " + message);
        } finally {
            context.liveness().finished();
            heartbeat.run();
        }
        Log.info("agent", "tool " + name + " in " + (System.nanoTime() - started) / 1_000_000 + " ms"
                + (result.isError() ? " (error)" : ""));
        return resultBlock(id, result);
    }

    static ObjectNode resultBlock(String toolUseId, ToolResult result) {
        ObjectNode block = Json.object();
        block.put("type", "tool_result");
        block.put("tool_use_id", toolUseId);
        if (result.blocks() != null && !result.blocks().isEmpty()) {
            block.set("content", result.blocks().deepCopy());
        } else {
            String text = truncate(result.text() == null ? "" : result.text());
            if (text.isEmpty() && result.isError()) {
                text = "Error";
            }
            if (!text.isEmpty()) {
                block.put("content", text); // an empty content string is left out: the field is optional
            }
        }
        if (result.isError()) {
            block.put("is_error", true);
        }
        return block;
    }

    /** Keeps the head and the tail (where errors usually are) of a long output, around 30,000 chars in all. */
    static String truncate(String text) {
        if (text.length() <= MAX_RESULT_CHARS) {
            return text;
        }
        int head = MAX_RESULT_CHARS * 2 / 3;
        int tail = MAX_RESULT_CHARS - head;
        if (Character.isHighSurrogate(text.charAt(head - 1))) {
            head--;
        }
        int tailStart = text.length() - tail;
        if (Character.isLowSurrogate(text.charAt(tailStart))) {
            tailStart++;
        }
        int omitted = tailStart - head;
        return text.substring(0, head) + "\n\n[... " + omitted + " characters truncated (output was " + text.length()
                + " characters) ...]\n\n" + text.substring(tailStart);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    private static String textOf(List<ObjectNode> blocks) {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode b : blocks) {
            if ("text".equals(Json.text(b, "type"))) {
                sb.append(Json.text(b, "text"));
            }
        }
        return sb.toString();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "tool-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
