package io.nanoclaw.host.sessions;

import io.nanoclaw.host.config.HostConfig;
import java.nio.file.Path;

/**
 * Real session folders and DB connections under a temp dir, wired by hand for plain JUnit tests (a @QuarkusTest
 * would boot the whole host and need Docker). Lives in this package to reach the injected fields.
 */
public final class SessionTestKit {
    public final HostConfig config;
    public final SessionFolders folders;
    public final SessionDbs dbs;

    public SessionTestKit(Path home) {
        Path sessions = home.resolve("data").resolve("sessions");
        this.config = new HostConfig() {
            @Override
            public Path sessionsDir() {
                return sessions;
            }
        };
        this.folders = new SessionFolders();
        folders.config = config;
        this.dbs = new SessionDbs();
        dbs.config = config;
        dbs.folders = folders;
    }

    /** Closes every connection the host side opened. */
    public void close() {
        dbs.closeAll();
    }
}
