package io.nanoclaw.runner.loop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** /files: what is in the agent's folder, top level, so the user can see what it keeps. */
final class WorkspaceFiles {
    static final int MAX_ENTRIES = 50;

    private WorkspaceFiles() {}

    static String list(Path agentDir) {
        List<Path> entries;
        try (Stream<Path> s = Files.list(agentDir)) {
            entries = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            return "Error: cannot list the agent's folder: " + e.getMessage();
        }
        if (entries.isEmpty()) {
            return "The agent's folder is empty.";
        }
        StringBuilder sb = new StringBuilder("Files in the agent's folder (/workspace/agent):");
        for (Path p : entries.subList(0, Math.min(entries.size(), MAX_ENTRIES))) {
            sb.append("\n- ").append(p.getFileName());
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                sb.append('/');
            } else {
                try {
                    sb.append(" (").append(Files.size(p)).append(" bytes)");
                } catch (IOException e) {
                    // listed without a size
                }
            }
        }
        if (entries.size() > MAX_ENTRIES) {
            sb.append("\n… and ").append(entries.size() - MAX_ENTRIES).append(" more");
        }
        return sb.toString();
    }
}
