package io.nanoclaw.runner.tools.nanoclaw;

import io.nanoclaw.runner.tools.Tool;
import java.util.List;

/**
 * The nanoclaw tools (agent-runner.md 3), in-process instead of upstream's separate MCP server. The order is fixed:
 * the tools list is part of the cached prompt prefix.
 */
public final class NanoclawTools {
    private NanoclawTools() {}

    public static List<Tool> all(NanoclawToolEnv env) {
        return List.of(
                new SendMessage(env),
                new SendFile(env),
                new EditMessage(env),
                new AddReaction(env),
                new AskUserQuestion(env),
                new SendCard(env),
                new ScheduleTask(env),
                new ListTasks(env),
                new UpdateTask(env),
                TaskControl.cancel(env),
                TaskControl.pause(env),
                TaskControl.resume(env),
                new CreateAgent(env),
                new InstallPackages(env),
                new AddMcpServer(env));
    }
}
