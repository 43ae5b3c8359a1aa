package io.nanoclaw.host.containers.images;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.BuildResponseItem;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Follows a build's JSON stream: logs it line by line under the agent group's id (a progress line per Dockerfile
 * step), keeps the last lines for the error a failed build reports, and notes the error the engine sends.
 */
final class BuildOutput extends ResultCallback.Adapter<BuildResponseItem> {
    private static final Logger LOG = Logger.getLogger(AgentGroupImages.class);
    static final int TAIL = 25;
    private static final Pattern STEP = Pattern.compile("^Step \\d+/\\d+ : .*");
    /** The legacy builder's own bookkeeping: logged at debug, kept out of the tail the agent reads. */
    private static final Pattern CHATTER = Pattern.compile(
            "^( ---> .*|Removing intermediate container .*|Successfully built .*|Successfully tagged .*)$");

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    private static final Pattern RUN_FAILED = Pattern.compile("(?s)^The command .* returned a non-zero code: (\\d+)$");

    private final String prefix;
    private volatile String lastStep;
    private final Deque<String> tail = new ArrayDeque<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile String error;
    private volatile String builtId;

    BuildOutput(String agentGroupId) {
        this.prefix = "agent group " + agentGroupId + ": image build: ";
    }

    @Override
    public void onNext(BuildResponseItem item) {
        if (item.getStream() != null) {
            text(item.getStream());
        }
        if (item.isBuildSuccessIndicated()) {
            builtId = item.getImageId();
        }
        if (item.isErrorIndicated()) {
            String m = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                    ? item.getErrorDetail().getMessage() : item.getError();
            error = summary(m == null ? "unknown error" : m.strip());
        }
    }

    /** Stream chunks usually end in a newline but need not: lines are cut here, not per chunk. */
    private synchronized void text(String chunk) {
        partial.append(chunk);
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
            line(partial.substring(0, nl));
            partial.delete(0, nl + 1);
        }
    }

    private void line(String raw) {
        // The legacy builder wraps what a RUN step writes to stderr in colour codes.
        String l = ANSI.matcher(raw).replaceAll("").replace("\r", "").stripTrailing();
        if (l.isEmpty()) {
            return;
        }
        if (STEP.matcher(l).matches()) {
            lastStep = l;
            LOG.infof("%s%s", prefix, l.length() > 140 ? l.substring(0, 140) + "…" : l);
        } else if (CHATTER.matcher(l).matches()) {
            LOG.debugf("%s%s", prefix, l);
            return;
        } else {
            LOG.infof("%s| %s", prefix, l);
        }
        if (tail.size() == TAIL) {
            tail.removeFirst();
        }
        tail.addLast(l);
    }

    /** The engine's message repeats the whole RUN command; the step's number and start say the same shorter. */
    private String summary(String message) {
        java.util.regex.Matcher m = RUN_FAILED.matcher(message);
        if (!m.matches()) {
            return message;
        }
        String step = lastStep == null ? "a RUN step" : lastStep;
        return (step.length() > 90 ? step.substring(0, 90) + "…" : step) + " exited with code " + m.group(1);
    }

    synchronized List<String> tail() {
        if (partial.length() > 0) {
            line(partial.toString());
            partial.setLength(0);
        }
        return List.copyOf(tail);
    }

    String error() {
        return error;
    }

    String builtId() {
        return builtId;
    }
}
