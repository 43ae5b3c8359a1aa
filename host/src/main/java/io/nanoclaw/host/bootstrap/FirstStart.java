package io.nanoclaw.host.bootstrap;

import io.nanoclaw.host.channels.cli.CliChannel;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.MessagingGroup;
import io.nanoclaw.host.entities.MessagingGroups;
import io.nanoclaw.host.entities.Users;
import io.nanoclaw.host.entities.Wirings;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * On first start with an empty DB: agent group `main` named after ASSISTANT_NAME, the CLI channel (platform id
 * `local`, public) wired to it with engage pattern `.`, and `cli:local` as owner, so a new install can chat at once.
 */
@Singleton
public class FirstStart {
    private static final Logger LOG = Logger.getLogger(FirstStart.class);

    @Inject
    Db db;
    @Inject
    HostConfig config;
    @Inject
    AgentGroups agentGroups;
    @Inject
    MessagingGroups messagingGroups;
    @Inject
    Wirings wirings;
    @Inject
    Users users;

    /** @return true when it seeded the DB. */
    public boolean seedIfEmpty() {
        if (agentGroups.any()) {
            return false;
        }
        db.inTransaction(c -> {
            AgentGroup main = agentGroups.create(c, config.assistantName(), "main");
            // The owner's own agent manages the install through ncl without asking (host.md 9: cli_scope global).
            Db.exec(c, "UPDATE container_configs SET cli_scope = 'global' WHERE agent_group_id = ?", main.id());
            MessagingGroup cli = messagingGroups.create(c, CliChannel.CHANNEL_TYPE, CliChannel.PLATFORM_ID, "cli",
                    false, "public");
            wirings.create(c, cli, main.id(), "pattern", ".", "all", "drop", "shared", 0);
            String owner = CliChannel.CHANNEL_TYPE + ":" + CliChannel.OWNER_HANDLE;
            users.upsert(c, owner, CliChannel.CHANNEL_TYPE, "You");
            users.grant(c, owner, "owner", null, "setup");
            return main;
        });
        LOG.infof("first start: created agent group 'main' (%s), wired to the CLI channel", config.assistantName());
        return true;
    }
}
