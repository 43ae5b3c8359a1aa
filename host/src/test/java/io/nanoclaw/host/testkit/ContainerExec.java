package io.nanoclaw.host.testkit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;

/** Runs a command inside a running container, the way an agent's Bash tool would, and returns what it printed. */
public final class ContainerExec {
    private ContainerExec() {}

    public record Result(int exitCode, String output) {}

    public static Result run(DockerClient docker, String containerId, String user, String script) throws Exception {
        String exec = docker.execCreateCmd(containerId).withUser(user).withAttachStdout(true).withAttachStderr(true)
                .withCmd("bash", "-c", script).exec().getId();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ResultCallback.Adapter<Frame> cb = docker.execStartCmd(exec).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                out.writeBytes(frame.getPayload());
            }
        })) {
            if (!cb.awaitCompletion(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("exec did not finish in 60 s: " + script);
            }
        }
        Long code = docker.inspectExecCmd(exec).exec().getExitCodeLong();
        return new Result(code == null ? -1 : code.intValue(), out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
